"""The ontology at ``/ontology``: its HTML documentation (graph.docs) for browsers, Turtle or
another RDF syntax by content negotiation; and the JSON-LD context at ``/context.jsonld``."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from rdflib import Graph

from .. import conneg
from ..resources import ontology_file, resource
from ..results import write_rdf

bp = Blueprint("ontology", __name__)


def _documentation() -> str:
    try:
        from ..docs import ontology_html
    except ImportError:  # graph.docs missing: a minimal page
        return render_template("ontology.html")
    return ontology_html()


@bp.route("/ontology")
def ontology() -> Response:
    candidates = (conneg.HTML, *conneg.GRAPH)
    fmt = conneg.choose(request.headers.get("Accept"), request.args.getlist("format"), candidates)
    if fmt is None:
        fmt = conneg.TURTLE
    if fmt is conneg.HTML:
        response = Response(_documentation(), content_type="text/html; charset=utf-8")
    elif fmt is conneg.TURTLE:
        response = Response(ontology_file().read_bytes(), content_type="text/turtle")
    else:
        graph = Graph().parse(ontology_file(), format="turtle")
        response = Response(write_rdf(fmt.name, graph), content_type=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/context.jsonld")
def context() -> Response:
    data = resource("ontology/context.jsonld").read_bytes()
    return Response(data, content_type="application/ld+json")
