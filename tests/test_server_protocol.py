"""The SPARQL endpoint on a live server, driven by SPARQLWrapper (the researchers' client) in
every result format, plus the named graphs, the service and dataset descriptions, the dumps,
and the W3C SPARQL 1.1 Protocol suite."""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from xml.dom.minidom import Document

import pytest
from live_server import BASE, LiveServer, make_data_dir, seed_nquads, server_settings
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

ORG = Namespace("http://www.w3.org/ns/org#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX pk: <https://w3id.org/partnerkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
REPORTS = (
    PREFIXES
    + """SELECT ?who ?boss WHERE {
  ?p org:reportsTo ?b . ?p rdfs:label ?who . ?b rdfs:label ?boss }"""
)
LINES = {("Chris Weber", "Judson Althoff"), ("Raissa Lamrani", "Alain Bernard")}


def client(server: LiveServer, query: str, fmt: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.endpoint)
    sw.setQuery(query)
    if fmt is not None:
        sw.setReturnFormat(fmt)
    return sw


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def iris(seed_server: LiveServer) -> dict[str, URIRef]:
    """IRIs of the stable seed-corpus entities, found by their labels."""
    sw = client(seed_server, PREFIXES + "SELECT ?x ?l WHERE { ?x rdfs:label ?l }", JSON)
    rows = sw.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    found = {r["l"]["value"]: URIRef(r["x"]["value"]) for r in rows}
    return {k: found[k] for k in ("Chris Weber", "Judson Althoff", "Raissa Lamrani", "Microsoft")}


# --- every result format --------------------------------------------------------------------
def test_select_as_json(seed_server: LiveServer) -> None:
    result = client(seed_server, REPORTS, JSON).queryAndConvert()
    pairs = {(r["who"]["value"], r["boss"]["value"]) for r in result["results"]["bindings"]}  # type: ignore[index]
    assert pairs >= LINES


def test_select_as_xml(seed_server: LiveServer) -> None:
    doc = client(seed_server, REPORTS, XML).queryAndConvert()
    assert isinstance(doc, Document)
    pairs = set()
    for result in doc.getElementsByTagName("result"):
        values = {
            b.getAttribute("name"): b.getElementsByTagName("literal")[0].firstChild.data  # type: ignore[union-attr]
            for b in result.getElementsByTagName("binding")
        }
        pairs.add((values["who"], values["boss"]))
    assert pairs >= LINES


def test_select_as_csv(seed_server: LiveServer) -> None:
    body = client(seed_server, REPORTS, CSV).queryAndConvert()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))  # type: ignore[union-attr]
    assert rows[0] == ["who", "boss"]
    assert {tuple(r) for r in rows[1:]} >= LINES


def test_select_as_tsv(seed_server: LiveServer) -> None:
    body = client(seed_server, REPORTS, TSV).queryAndConvert()
    lines = body.decode("utf-8").splitlines()  # type: ignore[union-attr]
    assert lines[0] == "?who\t?boss"
    assert '"Chris Weber"\t"Judson Althoff"' in lines[1:]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask(seed_server: LiveServer, fmt: str, iris: dict[str, URIRef]) -> None:
    chris, judson = iris["Chris Weber"], iris["Judson Althoff"]
    yes = client(seed_server, f"ASK {{ <{chris}> <{ORG.reportsTo}> <{judson}> }}", fmt)
    no = client(seed_server, f"ASK {{ <{judson}> <{ORG.reportsTo}> <{chris}> }}", fmt)
    if fmt == JSON:
        assert yes.queryAndConvert()["boolean"] is True  # type: ignore[index]
        assert no.queryAndConvert()["boolean"] is False  # type: ignore[index]
    else:
        value = yes.queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data  # type: ignore[union-attr]
        assert value == "true"


CONSTRUCT = "CONSTRUCT { ?p <http://www.w3.org/ns/org#reportsTo> ?b } WHERE { ?p org:reportsTo ?b }"


@pytest.mark.parametrize(
    ("fmt", "parser"), [(TURTLE, "turtle"), (N3, "n3"), (RDFXML, None), (JSONLD, None)]
)
def test_construct(
    seed_server: LiveServer, iris: dict[str, URIRef], fmt: str, parser: str | None
) -> None:
    converted = client(seed_server, PREFIXES + CONSTRUCT, fmt).queryAndConvert()
    graph = converted if parser is None else Graph().parse(data=converted, format=parser)
    assert (iris["Chris Weber"], ORG.reportsTo, iris["Judson Althoff"]) in graph  # type: ignore[operator]


def test_construct_as_ntriples(seed_server: LiveServer, iris: dict[str, URIRef]) -> None:
    sw = client(seed_server, PREFIXES + CONSTRUCT)
    sw.setOnlyConneg(True)
    sw.addCustomHttpHeader("Accept", "application/n-triples")
    response = sw.query().response
    assert response.headers["Content-Type"].startswith("application/n-triples")
    graph = Graph().parse(data=response.read().decode("utf-8"), format="nt")
    assert (iris["Chris Weber"], ORG.reportsTo, iris["Judson Althoff"]) in graph


def test_describe_and_post(seed_server: LiveServer, iris: dict[str, URIRef]) -> None:
    sw = client(seed_server, f"DESCRIBE <{iris['Chris Weber']}>", TURTLE)
    sw.setMethod(POST)
    graph = Graph().parse(data=sw.queryAndConvert(), format="turtle")
    assert (iris["Chris Weber"], URIRef(str(RDF.type)), None) in graph
    assert Literal("Chris Weber") in set(graph.objects())


# --- the dataset ------------------------------------------------------------------------------
def count(server: LiveServer, query: str, **graphs: list[str]) -> int:
    sw = client(server, query, JSON)
    for g in graphs.get("default", []):
        sw.addDefaultGraph(g)
    for g in graphs.get("named", []):
        sw.addNamedGraph(g)
    rows = sw.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    return int(rows[0]["n"]["value"])


def test_named_graphs_are_addressable(seed_server: LiveServer, iris: dict[str, URIRef]) -> None:
    articles = count(
        seed_server,
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{BASE}graph/article/")) }}',
    )
    assert articles == 5
    inferred = f"{BASE}graph/inferred"
    line = f"<{iris['Chris Weber']}> <{ORG.reportsTo}> <{iris['Judson Althoff']}>"
    assert count(seed_server, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{inferred}> {{ {line} }} }}") == 1
    # the default graph is the union, inferred graph included
    assert count(seed_server, f"SELECT (COUNT(*) AS ?n) {{ {line} }}") >= 1


def test_protocol_dataset_selects_graphs_of_the_store(seed_server: LiveServer) -> None:
    entities = f"{BASE}graph/entities"
    in_graph = count(
        seed_server, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{entities}> {{ ?s ?p ?o }} }}"
    )
    all_triples = count(seed_server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert 0 < in_graph < all_triples
    spo = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert count(seed_server, spo, default=[entities]) == in_graph
    from_clause = f"SELECT (COUNT(*) AS ?n) FROM <{entities}> {{ ?s ?p ?o }}"
    assert count(seed_server, from_clause) == in_graph
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    assert count(seed_server, named, named=[entities]) == 1
    assert count(seed_server, spo, named=[entities]) == 0  # named only: empty default graph


def test_default_graph_can_leave_out_inferences(seed_data_dir: Path) -> None:
    from graph.web.app import create_app

    app = create_app(server_settings(seed_data_dir, default_graph="asserted", query_workers=1))
    try:
        web = app.test_client()
        ask = f"{PREFIXES}ASK {{ ?p pk:reportsToTransitively ?q }}"
        r = web.get("/sparql", query_string={"query": ask}, headers={"Accept": "application/json"})
        assert r.get_json()["boolean"] is False
        ask = f"{PREFIXES}ASK {{ GRAPH ?g {{ ?p pk:reportsToTransitively ?q }} }}"
        r = web.get("/sparql", query_string={"query": ask}, headers={"Accept": "application/json"})
        assert r.get_json()["boolean"] is True
    finally:
        app.extensions["partnerkg"].engine.close()


# --- descriptions and dumps ---------------------------------------------------------------------
def graph_counts(server: LiveServer) -> dict[str, int]:
    sw = client(server, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", JSON)
    rows = sw.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def test_service_description(seed_server: LiveServer) -> None:
    status, headers, body = get(seed_server.endpoint, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    service = next(g.subjects(RDF.type, SD.Service))
    assert (service, SD.endpoint, URIRef(seed_server.endpoint)) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    names = {str(n) for n in g.objects(None, SD.name)}
    assert names == set(graph_counts(seed_server))


def test_void_counts_each_graph(seed_server: LiveServer) -> None:
    status, _, body = get(f"{seed_server.url}/.well-known/void", "text/turtle")
    assert status == 200
    g = Graph().parse(data=body, format="turtle")
    counts = graph_counts(seed_server)
    for name, n in counts.items():
        assert (URIRef(name), VOID.triples, Literal(n)) in g
    assert (None, VOID.sparqlEndpoint, URIRef(seed_server.endpoint)) in g
    assert (None, VOID.dataDump, URIRef(f"{seed_server.url}/dumps/graph.nq.gz")) in g


def test_dumps(seed_server: LiveServer) -> None:
    status, headers, body = get(f"{seed_server.url}/dumps/graph.nq.gz")
    assert status == 200 and headers["Content-Type"] == "application/gzip"
    ds = Dataset()
    ds.parse(data=gzip.decompress(body).decode("utf-8"), format="nquads")
    counts = graph_counts(seed_server)
    assert len(list(ds.quads((None, None, None, None)))) == sum(counts.values())
    status, _, body = get(f"{seed_server.url}/dumps/graph.ttl")
    assert status == 200 and len(Graph().parse(data=body, format="turtle")) > 0
    assert get(f"{seed_server.url}/dumps/graph.exe")[0] == 404
    assert get(f"{seed_server.url}/dumps/..%2F..%2Fetc%2Fpasswd")[0] == 404


# --- protocol errors and the log ------------------------------------------------------------------
def test_errors_are_readable(seed_server: LiveServer) -> None:
    request = urllib.request.Request(f"{seed_server.endpoint}?query=ASK%7B%7D", method="PUT")
    try:
        urllib.request.urlopen(request, timeout=30)
        raise AssertionError("PUT must fail")
    except urllib.error.HTTPError as exc:
        assert exc.code == 405
        assert {"GET", "POST"} <= {m.strip() for m in exc.headers["Allow"].split(",")}
    status, _, body = get(f"{seed_server.endpoint}?query=SELECT%20*%20%7B%20%3Fs%20%3Fp%20%7D")
    assert status == 400
    assert b"syntax error" in body and b"Traceback" not in body


def test_one_log_line_per_query(seed_server: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="partnerkg.server")
    client(seed_server, "SELECT (42 AS ?answer) {}", JSON).queryAndConvert()
    lines = [r.getMessage() for r in caplog.records if "42 AS ?answer" in r.getMessage()]
    assert len(lines) == 1
    assert lines[0].startswith("sparql 200 ") and "ms results=1" in lines[0]


# --- the W3C SPARQL 1.1 Protocol suite ---------------------------------------------------------
def protocol_suite() -> Path | None:
    configured = os.environ.get("PARTNERKG_PROTOCOL_SUITE")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for parent in Path(__file__).resolve().parents:
        path = parent / "shared" / "tools" / "sparql_protocol" / "run_protocol_suite.py"
        if path.is_file():
            return path
    return None


@pytest.fixture(scope="module")
def suite_server(
    seed_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A server on the seed graph plus the suite's fixture graphs (data1, data2, data3)."""
    suite = protocol_suite()
    if suite is None:
        pytest.skip("the protocol suite was not found: set PARTNERKG_PROTOCOL_SUITE")
    folder = tmp_path_factory.mktemp("suite")
    subprocess.run(
        [sys.executable, str(suite), "--write-fixture", str(folder / "fixture.nq")], check=True
    )
    data = seed_nquads(seed_data_dir) + (folder / "fixture.nq").read_bytes()
    live = LiveServer(server_settings(make_data_dir(folder / "data", data)))
    yield live
    live.close()


def test_w3c_protocol_suite_passes(
    suite_server: LiveServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = protocol_suite()
    assert suite is not None
    report = tmp_path / "report.json"
    run = subprocess.run(
        [
            sys.executable,
            str(suite),
            "--endpoint",
            suite_server.endpoint,
            "--only-query",
            "--data-load",
            "preloaded",
            "--json-report",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    results = json.loads(report.read_text())
    with capsys.disabled():
        print(f"\nW3C protocol suite: {run.stdout.strip().splitlines()[-1]}")
    failed = [f"{r['name']}: {r['reason']}" for r in results["results"] if r["outcome"] == "FAIL"]
    assert failed == [] and run.returncode == 0
    # every query and dataset test ran; only the update tests (--only-query) are NA
    not_run = {r["group"] for r in results["results"] if r["outcome"] == "NA"}
    assert not_run <= {"update", "extra-update"}
    assert results["passed"] == 49


def test_answers_are_cached_per_store(seed_server: LiveServer) -> None:
    """The same request again comes from the result cache; NOW() is never cached (a rebuilt
    store is: see test_server_security.test_workers_follow_a_rebuilt_store)."""
    text = f"SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o }} # {uuid.uuid4()}"  # sent for the first time
    url = f"{seed_server.endpoint}?{urllib.parse.urlencode({'query': text})}"
    first, second = get(url), get(url)
    assert "X-Partnerkg-Cache" not in first[1] and second[1].get("X-Partnerkg-Cache") == "hit"
    assert first[2] == second[2]
    now = f"{seed_server.endpoint}?query=SELECT%20(NOW()%20AS%20%3Ft)%20%7B%7D"
    assert "X-Partnerkg-Cache" not in get(now)[1] and "X-Partnerkg-Cache" not in get(now)[1]
