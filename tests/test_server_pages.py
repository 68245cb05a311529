"""The pages, through Flask's test client: the query page, entity pages (HTML and RDF by
content negotiation), named graphs, explanations, organisation charts, the ontology, search."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph.errors import Unavailable

ORG = Namespace("http://www.w3.org/ns/org#")
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX pk: <https://w3id.org/partnerkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def select(web: FlaskClient, query: str) -> list[dict[str, str]]:
    r = web.get("/sparql", query_string={"query": PREFIXES + query}, headers={"Accept": "*/*"})
    assert r.status_code == 200, r.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in r.get_json()["results"]["bindings"]]


@pytest.fixture(scope="module")
def iri(server_app: Any) -> dict[str, str]:
    rows = select(server_app.test_client(), "SELECT ?x ?l WHERE { ?x rdfs:label ?l }")
    return {r["l"]: r["x"] for r in rows}


def path_of(iri: str) -> str:
    assert iri.startswith("https://w3id.org/partnerkg/id/")
    return "/" + iri.split("https://w3id.org/partnerkg/", 1)[1]


# --- the query page ------------------------------------------------------------------------------
def test_query_page_works_offline(server_client: FlaskClient) -> None:
    r = server_client.get("/", headers={"Accept": "text/html"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and '<textarea id="query"' in html
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets)  # no CDN
    for asset in assets:
        assert server_client.get(asset).status_code == 200


def test_query_page_lists_the_query_library(tmp_path: Path, seed_data_dir: Path) -> None:
    from live_server import server_settings

    from graph.web.app import create_app

    (tmp_path / "01_who.rq").write_text(
        "#+ title: Who reports to whom\n#+ summary: Reporting lines (CQ1).\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\nSELECT * WHERE { ?a org:reportsTo ?b }\n"
    )
    app = create_app(server_settings(seed_data_dir, query_workers=1), {"QUERIES_DIR": tmp_path})
    try:
        web = app.test_client()
        html = web.get("/").get_data(as_text=True)
        assert "Who reports to whom" in html and "Reporting lines (CQ1)." in html
        loaded = web.get("/?example=01_who").get_data(as_text=True)
        assert "?a org:reportsTo ?b" in loaded
        assert web.get("/?example=nothing").status_code == 404
    finally:
        app.extensions["partnerkg"].engine.close()


def test_shipped_competency_questions_are_examples(server_client: FlaskClient) -> None:
    from graph.queries import list_queries

    html = server_client.get("/").get_data(as_text=True)
    for info in list_queries():
        assert f'href="/?example={quote(info.name)}"' in html


def test_query_page_shows_results_with_links(server_client: FlaskClient, iri: dict) -> None:
    query = PREFIXES + "SELECT ?p ?q WHERE { ?p org:reportsTo ?q }"
    html = server_client.get("/", query_string={"query": query}).get_data(as_text=True)
    assert f'href="{path_of(iri["Chris Weber"])}"' in html and ">Judson Althoff</a>" in html
    for fmt in ("json", "xml", "csv", "tsv"):
        assert f"format={fmt}" in html
    bad = server_client.get("/", query_string={"query": "SELECT * {"}).get_data(as_text=True)
    assert "syntax error" in bad


def test_browsers_are_sent_from_the_endpoint_to_the_page(server_client: FlaskClient) -> None:
    r = server_client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "text/html,*/*;q=0.8"}
    )
    assert r.status_code == 303 and r.headers["Location"].startswith("/?query=ASK")


# --- entities ---------------------------------------------------------------------------------
def test_entity_page(server_client: FlaskClient, iri: dict) -> None:
    chris, judson = iri["Chris Weber"], iri["Judson Althoff"]
    r = server_client.get(path_of(chris), headers={"Accept": "text/html"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["Vary"] == "Accept"
    assert "<h1>Chris Weber</h1>" in html
    # org:reportsTo is inferred (from a reporting-line record): marked, with its explanation
    row = re.search(
        r"<tr class=\"inferred\">(?:(?!</tr>).)*>Judson Althoff</a>(?:(?!</tr>).)*</tr>", html, re.S
    )
    assert row is not None
    explain = re.search(r'href="(/explain\?[^"]+)"', row.group(0))
    assert explain is not None and "reportsTo" in explain.group(1)
    # evidence sentences, linked to their articles
    assert "«" in html and 'href="/id/article/' in html
    # relations in both directions
    back = server_client.get(path_of(judson), headers={"Accept": "text/html"})
    assert f'href="{path_of(chris)}"' in back.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "parser"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_entity_rdf_by_content_negotiation(
    server_client: FlaskClient, iri: dict, accept: str, parser: str
) -> None:
    chris = URIRef(iri["Chris Weber"])
    r = server_client.get(path_of(chris), headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == accept and r.headers["Vary"] == "Accept"
    g = Graph().parse(data=r.get_data(as_text=True), format=parser)
    assert (chris, RDFS.label, Literal("Chris Weber")) in g
    assert (chris, ORG.reportsTo, URIRef(iri["Judson Althoff"])) in g


def test_entity_formats_and_errors(server_client: FlaskClient, iri: dict) -> None:
    path = path_of(iri["Chris Weber"])
    assert server_client.get(f"{path}?format=ttl").mimetype == "text/turtle"
    assert server_client.get(path, headers={"Accept": "image/png"}).status_code == 406
    assert server_client.get("/id/person/nobody-at-all").status_code == 404
    link = server_client.get(path, headers={"Accept": "text/html"}).headers["Link"]
    assert 'rel="alternate"; type="text/turtle"' in link


def test_named_graph_page(server_client: FlaskClient) -> None:
    html = server_client.get("/graph/inferred", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "statements" in html.get_data(as_text=True)
    nt = server_client.get("/graph/inferred", headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=nt.get_data(as_text=True), format="nt")) > 0
    assert server_client.get("/graph/nothing").status_code == 404


# --- explanations ------------------------------------------------------------------------------
def test_explanation(server_client: FlaskClient, iri: dict) -> None:
    args = {"s": iri["Chris Weber"], "p": str(ORG.reportsTo), "o": iri["Judson Althoff"]}
    page = server_client.get("/explain", query_string=args, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Why does this hold?" in page.get_data(as_text=True)
    data = server_client.get("/explain", query_string={**args, "format": "json"}).get_json()
    assert data["status"] == "inferred" and data["subject"]["value"] == iri["Chris Weber"]
    text = server_client.get("/explain", query_string={**args, "format": "text"})
    assert text.mimetype == "text/plain"
    missing = {**args, "o": iri["Chris Weber"]}  # Chris Weber does not report to himself
    assert server_client.get("/explain", query_string=missing).status_code == 404


def test_explanations_unavailable_is_503(seed_data_dir: Path) -> None:
    from live_server import server_settings

    from graph.local_engine import LocalEngine
    from graph.web.app import create_app

    class NoExplanations(LocalEngine):
        def explain(self, subject: str, predicate: str, object: str) -> dict[str, Any]:
            raise Unavailable("explanations unavailable (graph.explain is missing)")

    settings = server_settings(seed_data_dir, query_workers=1)
    app = create_app(settings, engine=NoExplanations(settings))
    try:
        r = app.test_client().get("/explain?s=http://x/a&p=http://x/p&o=http://x/b")
        assert r.status_code == 503 and b"explanations unavailable" in r.data
    finally:
        app.extensions["partnerkg"].engine.close()


# --- organisation charts --------------------------------------------------------------------------
def test_orgchart_svg(server_client: FlaskClient) -> None:
    rows = select(
        server_client,
        'SELECT DISTINCT ?unit WHERE { ?h pk:headshipHolder ?p . ?p rdfs:label "Raissa Lamrani" .'
        " ?h org:organization ?unit }",
    )
    assert rows, "Raissa Lamrani heads a unit"
    r = server_client.get("/orgchart.svg", query_string={"org": rows[0]["unit"]})
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    svg = ET.fromstring(r.data)
    text = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "Raissa Lamrani" in text and "reports to Alain Bernard" in text
    assert server_client.get("/orgchart.svg?org=http://x/y&date=2017-13").status_code == 400


def test_vendor_page_shows_its_chart(server_client: FlaskClient, iri: dict) -> None:
    html = server_client.get(path_of(iri["Microsoft"]), headers={"Accept": "text/html"})
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="orgchart"' in html.get_data(as_text=True)
    dated = server_client.get(path_of(iri["Microsoft"]) + "?date=2017-12-31")
    assert "at 2017-12-31" in dated.get_data(as_text=True)


# --- the rest -----------------------------------------------------------------------------------
def test_ontology_and_context(server_client: FlaskClient) -> None:
    html = server_client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    ttl = server_client.get("/ontology", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=ttl.get_data(as_text=True), format="turtle")
    assert (URIRef("https://w3id.org/partnerkg/ontology"), RDF.type, OWL.Ontology) in g
    context = json.loads(server_client.get("/context.jsonld").data)
    assert "@context" in context


def test_search_and_health(server_client: FlaskClient, iri: dict) -> None:
    html = server_client.get("/search?q=weber").get_data(as_text=True)
    assert f'href="{path_of(iri["Chris Weber"])}"' in html
    health = server_client.get("/health")
    assert health.status_code == 200 and health.get_json()["status"] == "ok"


def test_the_repository_server_module_is_the_app_factory() -> None:
    import importlib.util

    from graph.web import app

    path = Path(__file__).resolve().parents[1] / "server.py"
    spec = importlib.util.spec_from_file_location("partnerkg_server_module", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.create_app is app.create_app and module.serve is app.serve
