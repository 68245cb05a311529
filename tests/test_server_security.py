"""Each item of shared/design/SECURITY.md, attacked on a live server.

A canary HTTP server on 127.0.0.1 must receive nothing and a local secret file must not leak,
whatever the query asks (SERVICE, FROM, FROM NAMED, GRAPH, LOAD, protocol dataset parameters,
JSON-LD or RDF/XML bodies). Pathological queries stop at the time limit with a clear error
while another client keeps being served; rows, query length and body size are capped; updates
need a token; HTML is escaped; error bodies hold no stack trace.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from live_server import BASE, Canary, LiveServer, make_data_dir, seed_nquads, server_settings

from graph.store import new_store

TIMEOUT = 2.0


def request(
    url: str,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, Message, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:  # headers: case-insensitive (waitress writes Www-...)
        return exc.code, exc.headers, exc.read()


JSON = "application/sparql-results+json"


def query(server: LiveServer, text: str, accept: str = JSON) -> tuple[int, Message, bytes]:
    url = f"{server.endpoint}?{urllib.parse.urlencode({'query': text})}"
    return request(url, headers={"Accept": accept})


def post_update(
    server: LiveServer, text: str, token: str | None = None
) -> tuple[int, Message, bytes]:
    headers = {"Content-Type": "application/sparql-update"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return request(server.endpoint, text.encode(), headers)


@pytest.fixture(scope="module")
def strict_server(seed_data_dir: Path) -> Iterator[LiveServer]:
    settings = server_settings(
        seed_data_dir,
        query_timeout=TIMEOUT,
        max_rows=50,
        max_query_length=2000,
        max_body=20000,
        query_workers=2,
    )
    live = LiveServer(settings)
    yield live
    live.close()


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    """A local file whose marker must never appear in an answer."""
    marker = f"TOP-SECRET-{uuid.uuid4().hex}"
    path = tmp_path / "secret.nt"
    path.write_text(f'<http://secret.example/s> <http://secret.example/p> "{marker}" .\n')
    return path, marker


# --- 2. SERVICE: refused, nothing goes out -------------------------------------------------------
def test_the_canary_sees_requests_and_pyoxigraph_would_send_them(canary: Canary) -> None:
    """The control: without the server's guards pyoxigraph does fetch SERVICE endpoints."""
    with pytest.raises((OSError, RuntimeError)):  # the canary's answer is no SPARQL result
        list(ox.Store().query(f"SELECT * {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}"))
    assert canary.hits


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * {{ VALUES ?e {{ <{url}> }} {{ SELECT * {{ SERVICE ?e {{ ?s ?p ?o }} }} }} }}",
        "ASK {{ SERVICE <{url}> {{ }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused(strict_server: LiveServer, canary: Canary, template: str) -> None:
    status, _, body = query(strict_server, template.format(url=f"{canary.url}/sparql"))
    assert status == 403
    assert b"SERVICE is not allowed" in body
    time.sleep(0.2)
    assert canary.hits == []


def test_workers_refuse_service_themselves(seed_data_dir: Path, canary: Canary) -> None:
    """The second line: a query that reached a worker without the server's check."""
    from graph.errors import QueryRefused
    from graph.sparql_worker import LiveStore, QueryJob, WorkerConfig, run_query

    live = LiveStore(WorkerConfig(str(seed_data_dir), BASE))
    for text in (
        f"SELECT * {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}",
    ):
        with pytest.raises(QueryRefused):
            run_query(live, QueryJob(text, "json"))
    assert canary.hits == []


def test_worker_processes_cannot_open_network_sockets(
    strict_server: LiveServer, canary: Canary
) -> None:
    """The audit hook: Python code in a worker cannot reach the network."""
    status, _, body = request(f"{strict_server.url}/health")
    assert status == 200 and json.loads(body)["network_blocked"] is True
    probe = (
        "import sys, urllib.request\n"
        "from graph.sparql_worker import install_network_guard\n"
        "install_network_guard()\n"
        "try:\n"
        f"    urllib.request.urlopen('{canary.url}/x', timeout=5)\n"
        "except PermissionError as exc:\n"
        "    print('blocked:', exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "blocked: partnerkg query workers" in out.stdout, out.stderr
    assert canary.hits == []


# --- 1. FROM / FROM NAMED / GRAPH / dataset parameters / LOAD: no fetch, no file read ------------
def test_dataset_clauses_never_fetch(
    strict_server: LiveServer, canary: Canary, secret: tuple[Path, str]
) -> None:
    path, marker = secret
    file_iri = path.as_uri()
    for target in (file_iri, f"{canary.url}/data.nt"):
        for text in (
            f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
            f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}",
            f"CONSTRUCT {{ ?s ?p ?o }} FROM <{target}> WHERE {{ ?s ?p ?o }}",
        ):
            graph = text.startswith("CONSTRUCT")
            status, _, body = query(strict_server, text, "text/turtle" if graph else JSON)
            assert status == 200, body
            assert marker.encode() not in body and Canary.MARKER.encode() not in body
            if text.startswith("SELECT"):
                assert json.loads(body)["results"]["bindings"] == []
        for param in ("default-graph-uri", "named-graph-uri"):
            args = urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }", param: target})
            status, _, body = request(f"{strict_server.endpoint}?{args}")
            assert status == 200 and marker.encode() not in body
            assert json.loads(body)["results"]["bindings"] == []
    time.sleep(0.2)
    assert canary.hits == []


@pytest.fixture(scope="module")
def update_server(
    seed_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, str]]:
    """A server with updates enabled, on a copy of the seed graph."""
    token = uuid.uuid4().hex
    data_dir = make_data_dir(tmp_path_factory.mktemp("updates"), seed_nquads(seed_data_dir))
    live = LiveServer(server_settings(data_dir, update_token=token, query_timeout=TIMEOUT))
    yield live, token
    live.close()


def test_load_is_refused_even_with_the_token(
    update_server: tuple[LiveServer, str], canary: Canary, secret: tuple[Path, str]
) -> None:
    server, token = update_server
    for text in (
        f"LOAD <{canary.url}/data.nt>",
        f"LOAD SILENT <{secret[0].as_uri()}> INTO GRAPH <http://g.example/>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}",
    ):
        status, _, body = post_update(server, text, token)
        assert status == 403 and b"not allowed" in body
    status, _, body = query(server, f'ASK {{ ?s ?p "{secret[1]}" }}')
    assert json.loads(body)["boolean"] is False
    time.sleep(0.2)
    assert canary.hits == []


# --- 3 and 4. JSON-LD remote contexts, XML entities: no such body is parsed ----------------------
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="http://x.example/s"><rdf:value>&lol6;</rdf:value></rdf:Description>
</rdf:RDF>"""


def test_rdf_bodies_are_not_parsed(strict_server: LiveServer, canary: Canary) -> None:
    jsonld = json.dumps({"@context": f"{canary.url}/context.jsonld", "@id": "http://x/s"})
    for body, media_type in (
        (jsonld.encode(), "application/ld+json"),
        (BILLION_LAUGHS, "application/rdf+xml"),
        (BILLION_LAUGHS, "application/xml"),
    ):
        start = time.perf_counter()
        status, _, answer = request(strict_server.endpoint, body, {"Content-Type": media_type})
        assert status == 415 and time.perf_counter() - start < 2
        assert b"lollol" not in answer
    time.sleep(0.2)
    assert canary.hits == []


def test_jsonld_answers_carry_no_remote_context(strict_server: LiveServer) -> None:
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
    status, _, body = query(strict_server, text, "application/ld+json")
    assert status == 200
    assert '"@context"' not in body.decode()
    status, _, body = request(f"{strict_server.url}/.well-known/void?format=jsonld")
    assert status == 200 and '"@context"' not in body.decode()


# --- 5. denial of service: time limit, row cap, length and body caps ------------------------------
PATHOLOGICAL = {
    "cartesian product": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded property path": (
        "SELECT (COUNT(*) AS ?n) { ?a (!<urn:x:none>)* ?b . ?b (!<urn:x:none>)* ?c }"
    ),
    "catastrophic regex": (
        "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f "
        "FILTER(REGEX(CONCAT(STR(?c), STR(?f)), '^(a|aa)+(b|bb)+$')) }"
    ),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_query_stops_at_the_limit_while_others_are_served(
    strict_server: LiveServer, name: str
) -> None:
    outcome: dict[str, object] = {}

    def run() -> None:
        start = time.perf_counter()
        outcome["answer"] = query(strict_server, PATHOLOGICAL[name])
        outcome["seconds"] = time.perf_counter() - start

    slow = threading.Thread(target=run)
    slow.start()
    time.sleep(0.3)
    simple_times = []
    while slow.is_alive():  # another client keeps being served meanwhile
        start = time.perf_counter()
        status, _, body = query(strict_server, "SELECT (COUNT(*) AS ?n) { ?s a ?t }")
        simple_times.append(time.perf_counter() - start)
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0
        time.sleep(0.1)
    slow.join()
    status, _, body = outcome["answer"]  # type: ignore[misc]
    assert status == 503
    assert b"time limit of 2 s" in body and b"stopped" in body
    assert outcome["seconds"] < TIMEOUT + 3  # type: ignore[operator]
    assert simple_times and max(simple_times) < 1.5
    assert query(strict_server, "ASK {}")[0] == 200  # the stopped worker was replaced


def test_rows_are_capped(strict_server: LiveServer) -> None:
    status, headers, body = query(strict_server, "SELECT * { ?s ?p ?o }")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 50
    assert "first 50 results" in headers["X-Partnerkg-Truncated"]
    status, headers, body = query(
        strict_server, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"
    )
    assert len(body.decode().strip().splitlines()) == 50 and "X-Partnerkg-Truncated" in headers


def test_query_length_and_body_are_capped(strict_server: LiveServer) -> None:
    long_query = "SELECT * { ?s ?p ?o } #" + "x" * 2000
    assert query(strict_server, long_query)[0] == 413
    status, _, body = request(
        strict_server.endpoint, long_query.encode(), {"Content-Type": "application/sparql-query"}
    )
    assert status == 413 and b"max_query_length" in body
    huge = b"query=" + b"x" * 30000
    status, _, _ = request(
        strict_server.endpoint, huge, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 413


# --- 6. updates: off by default, then only with the token, and logged ----------------------------
def test_updates_are_off_by_default(strict_server: LiveServer) -> None:
    status, _, body = post_update(strict_server, "INSERT DATA { <http://x/s> <http://x/p> 1 }")
    assert status == 403 and b"updates are disabled" in body


def test_updates_need_the_token_and_are_logged(
    update_server: tuple[LiveServer, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="partnerkg.server")
    server, token = update_server
    insert = (
        "INSERT DATA { GRAPH <http://g.example/> { <http://x.example/s> <http://x.example/p> 1 } }"
    )
    status, headers, _ = post_update(server, insert)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert post_update(server, insert, token + "x")[0] == 403
    assert post_update(server, insert, "")[0] == 401
    ask = "ASK { <http://x.example/s> <http://x.example/p> 1 }"
    assert json.loads(query(server, ask)[2])["boolean"] is False
    status, _, body = post_update(server, insert, token)
    assert status == 200 and b"update applied" in body
    assert json.loads(query(server, ask)[2])["boolean"] is True
    messages = [r.getMessage() for r in caplog.records]
    assert any("update refused" in m and "no token" in m for m in messages)
    assert any("update refused" in m and "wrong token" in m for m in messages)
    assert any("update applied" in m and "INSERT DATA" in m for m in messages)


# --- 7. concurrency, and a rebuilt store swapped in ------------------------------------------
def test_concurrent_clients_get_correct_answers(strict_server: LiveServer) -> None:
    errors: list[str] = []

    def client(i: int) -> None:
        for j in range(5):
            status, _, body = query(strict_server, f"SELECT ({i} * 100 + {j} AS ?v) {{}}")
            value = json.loads(body)["results"]["bindings"][0]["v"]["value"]
            if status != 200 or value != str(i * 100 + j):
                errors.append(f"{i}/{j}: {status} {value}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_workers_follow_a_rebuilt_store(tmp_path: Path) -> None:
    one = b"<http://x.example/a> <http://x.example/p> <http://x.example/b> <http://x.example/g> .\n"
    data_dir = make_data_dir(tmp_path / "data", one)
    live = LiveServer(server_settings(data_dir, query_workers=1))
    try:
        count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        assert json.loads(query(live, count)[2])["results"]["bindings"][0]["n"]["value"] == "1"
        time.sleep(1.1)  # a new build id (stores are named by the second)
        two = one + one.replace(b"/b>", b"/c>")
        with new_store(data_dir) as store:
            store.bulk_load(__import__("io").BytesIO(two), "nq")
        assert json.loads(query(live, count)[2])["results"]["bindings"][0]["n"]["value"] == "2"
    finally:
        live.close()


# --- 8. HTTP hygiene: no raw exception text, escaping, CORS ------------------------------------
LEAKS = (b"Traceback", b'File "', b"site-packages", b"pyoxigraph", b".py", b"RuntimeError")


def test_error_bodies_hold_no_stack_trace(strict_server: LiveServer) -> None:
    e = strict_server.endpoint
    bad = [
        request(f"{e}?query=SELECT%20*%20%7B"),
        request(f"{e}?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"),
        request(f"{e}?query=ASK%7B%7D", headers={"Accept": "image/png"}),
        request(e, b"ASK {}", {"Content-Type": "application/sparql-query; charset=latin-1"}),
        request(e, b"\xff\xfe", {"Content-Type": "application/sparql-query"}),
        request(f"{e}?query=ASK%7B%7D", method="DELETE"),
        request(f"{strict_server.url}/id/person/nobody-at-all"),
        request(f"{strict_server.url}/explain?s=http://x/a&p=http://x/p&o=http://x/b"),
        request(f"{strict_server.url}/orgchart.svg?org=http://x/a&date=yesterday"),
        request(f"{strict_server.url}/dumps/graph.zip"),
    ]
    for status, _, body in bad:
        assert 400 <= status < 500, (status, body)
        assert body.strip(), status
        assert not any(leak in body for leak in LEAKS), body


@pytest.fixture(scope="module")
def evil_app(seed_data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The seed graph plus an entity whose label and links try to inject HTML and script."""
    evil = f"{BASE}id/person/evil"
    extra = (
        f'<{evil}> <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert(1)</script>" '
        f"<{BASE}graph/entities> .\n"
        f"<{evil}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        f"<http://xmlns.com/foaf/0.1/Person> <{BASE}graph/entities> .\n"
        f"<{evil}> <http://xmlns.com/foaf/0.1/homepage> <javascript:alert(2)> "
        f"<{BASE}graph/entities> .\n"
        f"<{evil}> <http://www.w3.org/2004/02/skos/core#altLabel> "
        f'"\\"><img src=x onerror=alert(3)>" '
        f"<{BASE}graph/entities> .\n"
    ).encode()
    data_dir = make_data_dir(tmp_path_factory.mktemp("evil"), seed_nquads(seed_data_dir) + extra)
    from graph.web.app import create_app

    app = create_app(server_settings(data_dir, query_workers=1))
    yield app
    app.extensions["partnerkg"].engine.close()


def test_html_is_escaped(evil_app) -> None:
    web = evil_app.test_client()
    pages = [
        web.get("/id/person/evil"),
        web.get("/search?q=script"),
        web.get(
            "/",
            query_string={
                "query": "SELECT ?l { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
            },
        ),
        web.get("/", query_string={"query": "SELECT * { <script>alert(4)</script>"}),
    ]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code in (200, 400), page.status_code
        assert "<script>alert" not in html and "<img src=x" not in html
        assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0].get_data(as_text=True)
    policy = pages[0].headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_cors_without_credentials(strict_server: LiveServer) -> None:
    status, headers, _ = query(strict_server, "ASK {}")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in headers
    status, headers, _ = request(strict_server.endpoint, method="OPTIONS")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


def test_host_header_cannot_inject_statements(server_client: FlaskClient) -> None:
    """The VoID links are built from the request's host: a forged Host adds no statement."""
    from rdflib import Graph

    r = server_client.get(
        "/.well-known/void",
        headers={"Host": 'evil.example> <http://x.example/p> "injected', "Accept": "text/turtle"},
    )
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        graph = Graph().parse(data=r.get_data(as_text=True), format="turtle")
        assert not any("injected" in str(o) for o in graph.objects())
