"""The dataset: its VoID description (``/.well-known/void``, also at the dataset IRI's path
``/dataset``) with triple counts per graph, and dumps of the whole graph (``/dumps/``), each
written once per build and kept in ``{data_dir}/dumps``."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, send_file, url_for

from .. import conneg
from ..local_engine import DUMP_FORMATS, dump_format
from .state import state

bp = Blueprint("data", __name__)

DUMPS = [f"graph.{ext}.gz" for ext in DUMP_FORMATS]
MEDIA_TYPES = {
    "nq": "application/n-quads",
    "trig": "application/trig",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}


@bp.route("/.well-known/void")
@bp.route("/dataset")
def void() -> Response:
    fmt = (
        conneg.choose(request.headers.get("Accept"), request.args.getlist("format"), conneg.GRAPH)
        or conneg.TURTLE
    )
    links = {"sparqlEndpoint": [url_for("sparql.endpoint", _external=True)]}
    if state().engine.local:
        links["dataDump"] = [url_for("data.dump", name=n, _external=True) for n in DUMPS]
    body = state().engine.describe_dataset(fmt.name, links)
    response = Response(body, content_type=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/dumps/")
def dumps() -> str:
    names = [f"graph.{ext}{gz}" for ext in DUMP_FORMATS for gz in (".gz", "")]
    return render_template("dumps.html", names=names, local=state().engine.local)


@bp.route("/dumps/<name>")
def dump(name: str) -> Response:
    _, gzipped = dump_format(name)  # NotFound for other names
    path = state().engine.dump(name)
    ext = name.split(".")[1]
    mimetype = "application/gzip" if gzipped else MEDIA_TYPES[ext]
    return send_file(path, mimetype=mimetype, download_name=name, conditional=True)
