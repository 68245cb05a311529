"""Pages: the query page (``/``), entity pages (``/id/...``), named graphs (``/graph/...``),
explanations (``/explain``), organisation charts (``/orgchart.svg``) and a label search.

Entity IRIs ``{base}id/...`` are served at ``/id/...``: HTML for browsers, and Turtle,
JSON-LD, N-Triples, RDF/XML, N-Quads or TriG by content negotiation (or ``?format=``) at the
same URL (``Vary: Accept``), so the IRI always names the entity and each response is one of
its representations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from markupsafe import Markup
from rdflib import Graph, URIRef
from rdflib.term import Node
from werkzeug.exceptions import BadRequest, NotAcceptable

from .. import conneg, orgchart
from ..entity import describe, exists, labels_of
from ..errors import NotFound, PartnerKGError
from ..query_examples import load_examples
from ..rdfio import EXPORT_PREFIXES
from ..sparql import check_query, json_binding_term
from ..sparql_worker import QueryJob
from .errors import status_of
from .sparql import answer_response
from .state import href, state

bp = Blueprint("pages", __name__)

ENTITY_FORMATS = (conneg.HTML, *conneg.GRAPH)
SHOWN_ROWS = 1000  # rows of a result table on the query page
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')


def select(text: str) -> list[dict[str, Node]]:
    return state().engine.select(text)


def _choose(candidates: tuple[conneg.Format, ...]) -> conneg.Format:
    fmt = conneg.choose(request.headers.get("Accept"), request.args.getlist("format"), candidates)
    if fmt is None:
        types = ", ".join(f.media_type for f in candidates)
        raise NotAcceptable(f"this resource is available as {types}")
    return fmt


def _checked_iri(text: str | None, what: str) -> str:
    if not text or _BAD_IRI_CHARS.search(text) or ":" not in text:
        raise BadRequest(f"{what} must be an absolute IRI")
    return text


def _rdf(construct: str, fmt: conneg.Format) -> Response:
    answer = state().engine.query(QueryJob(construct, fmt.name, max_rows=100000))
    response = answer_response(answer)
    response.headers["Vary"] = "Accept"
    return response


# --- the query page ------------------------------------------------------------------------------
@dataclass
class PageResult:
    kind: str  # solutions, boolean or graph
    variables: list[str] = field(default_factory=list)
    rows: list[list[Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    count: int = 0
    truncated: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def run_for_page(text: str) -> PageResult:
    shape = check_query(text, state().settings)
    job = QueryJob(
        text,
        "nt" if shape.returns_graph else "json",
        base_iri=url_for("sparql.endpoint", _external=True),
        max_rows=state().settings.max_rows,
    )
    answer = state().engine.query(job)
    result = PageResult(answer.kind, truncated=answer.truncated, seconds=answer.seconds)
    if answer.kind == "graph":
        graph = Graph().parse(data=answer.body.decode("utf-8"), format="nt")
        result.variables = ["subject", "predicate", "object"]
        result.rows = [list(t) for t in sorted(graph)]
    else:
        doc = json.loads(answer.body)
        if "boolean" in doc:
            result.kind, result.boolean = "boolean", bool(doc["boolean"])
            return result
        result.variables = doc["head"]["vars"]
        result.rows = [
            [json_binding_term(b[v]) if v in b else None for v in result.variables]
            for b in doc["results"]["bindings"]
        ]
    result.count = len(result.rows)
    shown_iris = {str(t) for row in result.rows[:SHOWN_ROWS] for t in row if isinstance(t, URIRef)}
    if shown_iris and len(shown_iris) <= 3000:
        result.labels = labels_of(select, shown_iris)
    return result


@bp.route("/", methods=["GET", "POST"])
def query_page() -> str:
    examples = load_examples(state().queries_dir)
    text = request.values.get("query")
    chosen = request.values.get("example")
    if text is None and chosen:
        text = next((e.text for e in examples if e.name == chosen), None)
        if text is None:
            raise NotFound(f"no example query named {chosen!r}")
        run = False
    else:
        run = text is not None and bool(text.strip())
    result, error = None, None
    if run and text is not None:
        try:
            result = run_for_page(text)
        except PartnerKGError as exc:
            error = (status_of(exc), str(exc))
    kind = "graph" if result and result.kind == "graph" else "results"
    formats = conneg.GRAPH if kind == "graph" else conneg.RESULTS
    return render_template(
        "query.html",
        text=text or DEFAULT_QUERY,
        examples=examples,
        result=result,
        error=error,
        shown_rows=SHOWN_ROWS,
        downloads=[(f, url_for("sparql.endpoint", query=text, format=f.name)) for f in formats]
        if result
        else [],
        prefixes=EXPORT_PREFIXES,
        settings=state().settings,
    )


DEFAULT_QUERY = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Who reports to whom (direct lines, stated or derived from unit heads)
SELECT ?person ?personLabel ?boss ?bossLabel WHERE {
  ?person org:reportsTo ?boss .
  ?person rdfs:label ?personLabel .
  ?boss rdfs:label ?bossLabel .
}
ORDER BY ?personLabel
"""


# --- entities -----------------------------------------------------------------------------------
@bp.route("/id/<path:rest>")
def entity(rest: str) -> Response | str:
    iri = f"{state().settings.base_iri}id/{rest}"
    if _BAD_IRI_CHARS.search(iri):
        raise NotFound(f"{rest!r} is not an entity path")
    fmt = _choose(ENTITY_FORMATS)
    if not exists(select, iri):
        raise NotFound(f"no entity <{iri}> in the graph")
    if fmt is not conneg.HTML:
        return _rdf(
            f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE "
            f"{{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}",
            fmt,
        )
    view = describe(select, iri, str(state().iris.graph("inferred")))
    chart, date = None, request.args.get("date") or dt.date.today().isoformat()
    if view.chartable:
        if not orgchart.valid_date(date):
            raise BadRequest("date must be YYYY, YYYY-MM or YYYY-MM-DD")
        built = orgchart.build_chart(select, iri, date)
        chart = Markup(orgchart.render_svg(built, href, standalone=False))
    body = render_template(
        "entity.html",
        view=view,
        chart=chart,
        date=date,
        inferred_graph=str(state().iris.graph("inferred")),
        article_of=_article_of_graph,
        alternates=[f for f in conneg.GRAPH],
        explain_url=_explain_url,
    )
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{request.path}?format={f.name}>; rel="alternate"; type="{f.media_type}"'
        for f in conneg.GRAPH
    )
    return response


def _article_of_graph(graph: str) -> str | None:
    """The article entity of an article graph (``{base}graph/article/ID`` -> its page)."""
    iris = state().iris
    if iris.is_article_graph(graph):
        return str(iris.article(graph.rsplit("/", 1)[-1]))
    return None


def _explain_url(s: Node, p: Node, o: Node) -> str | None:
    if not all(isinstance(t, URIRef) for t in (s, p, o)):
        return None  # graph.explain explains statements between IRIs
    return url_for("pages.explain_page", s=str(s), p=str(p), o=str(o))


# --- named graphs ------------------------------------------------------------------------------
@bp.route("/graph/<path:rest>")
def named_graph(rest: str) -> Response | str:
    iri = f"{state().settings.base_iri}graph/{rest}"
    counts = state().engine.counts()
    if iri not in counts:
        raise NotFound(f"no graph <{iri}> in the store")
    fmt = _choose(ENTITY_FORMATS)
    if fmt is not conneg.HTML:
        return _rdf(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", fmt)
    sample = f"SELECT ?s ?p ?o WHERE {{\n  GRAPH <{iri}> {{ ?s ?p ?o }}\n}}\nLIMIT 100\n"
    return render_template(
        "graph.html",
        iri=iri,
        count=counts[iri],
        article=_article_of_graph(iri),
        formats=conneg.GRAPH,
        sample=sample,
    )


# --- explanations ---------------------------------------------------------------------------------
@bp.route("/explain")
def explain_page() -> Response | str:
    s = _checked_iri(request.args.get("s"), "s")
    p = _checked_iri(request.args.get("p"), "p")
    o = _checked_iri(request.args.get("o"), "o")
    fmt = _choose((conneg.HTML, conneg.JSON_DOC, conneg.TEXT))
    result = state().engine.explain(s, p, o)
    if fmt is conneg.JSON_DOC:
        return Response(
            json.dumps(result["data"], ensure_ascii=False, indent=1), mimetype="application/json"
        )
    if fmt is conneg.TEXT:
        return Response(result["text"], content_type="text/plain; charset=utf-8")
    return render_template("explain.html", e=result["data"], text=result["text"])


# --- organisation charts -----------------------------------------------------------------------
@bp.route("/orgchart.svg")
def orgchart_svg() -> Response:
    org = _checked_iri(request.args.get("org"), "org")
    date = request.args.get("date") or dt.date.today().isoformat()
    if not orgchart.valid_date(date):
        raise BadRequest("date must be YYYY, YYYY-MM or YYYY-MM-DD")
    if not exists(select, org):
        raise NotFound(f"no organisation <{org}> in the graph")
    chart = orgchart.build_chart(select, org, date)
    return Response(orgchart.render_svg(chart, href), mimetype="image/svg+xml")


# --- search ---------------------------------------------------------------------------------
def sparql_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


@bp.route("/search")
def search() -> str:
    q = (request.args.get("q") or "").strip()[:200]
    hits: list[dict[str, Any]] = []
    if q:
        rows = select(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT DISTINCT ?x ?label ?type WHERE { ?x rdfs:label ?label "
            f"FILTER(CONTAINS(LCASE(STR(?label)), {sparql_string(q.lower())})) "
            "OPTIONAL { ?x a ?type } } ORDER BY ?label LIMIT 300"
        )
        found: dict[str, dict[str, Any]] = {}
        for row in rows:
            hit = found.setdefault(
                str(row["x"]), {"iri": str(row["x"]), "label": str(row["label"]), "types": []}
            )
            if "type" in row and str(row["type"]) not in hit["types"]:
                hit["types"].append(str(row["type"]))
        hits = list(found.values())[:100]
    return render_template("search.html", q=q, hits=hits)
