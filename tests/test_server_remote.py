"""`--backend URL`: the same endpoint and pages on an external SPARQL endpoint (Oxigraph's own
server, PyPI ``oxigraph``, loaded with the seed graph), reached through SPARQLWrapper."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import LiveServer, free_port, seed_nquads, server_settings
from SPARQLWrapper import JSON, SPARQLWrapper


def oxigraph_command() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def backend(seed_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    command = oxigraph_command()
    if command is None:
        pytest.skip("Oxigraph's server is not installed (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("oxigraph")
    (folder / "seed.nq").write_bytes(seed_nquads(seed_data_dir))
    store = folder / "store"
    subprocess.run(
        [command, "load", "--location", str(store), "--file", str(folder / "seed.nq")],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            command,
            "serve",
            "--location",
            str(store),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).close()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def remote_server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    empty = tmp_path_factory.mktemp("no-store")  # nothing built here: all goes to the backend
    live = LiveServer(server_settings(empty, backend=backend))
    yield live
    live.close()


def test_queries_go_to_the_backend(remote_server: LiveServer) -> None:
    sw = SPARQLWrapper(remote_server.endpoint)
    sw.setQuery(
        "PREFIX org: <http://www.w3.org/ns/org#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?who ?boss WHERE { ?p org:reportsTo ?b . ?p rdfs:label ?who . ?b rdfs:label ?boss }"
    )
    sw.setReturnFormat(JSON)
    rows = sw.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert ("Chris Weber", "Judson Althoff") in {
        (r["who"]["value"], r["boss"]["value"]) for r in rows
    }


def test_pages_and_guards_with_a_backend(remote_server: LiveServer) -> None:
    def get(path: str, accept: str = "text/html") -> tuple[int, bytes]:
        request = urllib.request.Request(remote_server.url + path, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    status, page = get("/search?q=weber")
    assert status == 200 and b"Chris Weber" in page
    status, page = get("/id/person/chris-weber")
    assert status == 200 and b"<h1>Chris Weber</h1>" in page
    status, ttl = get("/id/person/chris-weber", "text/turtle")
    assert status == 200 and b"Chris Weber" in ttl
    assert (
        get("/sparql?query=SELECT%20*%20%7B%20SERVICE%20%3Chttp%3A%2F%2Fx%2F%3E%20%7B%7D%20%7D")[0]
        == 403
    )
    assert get("/dumps/graph.nq.gz")[0] == 503
    status, body = get("/explain?s=http://x/a&p=http://x/p&o=http://x/b")
    assert status == 503 and b"local store" in body
    status, void = get("/.well-known/void", "text/turtle")
    assert status == 200 and b"void:triples" in void


def test_comments_do_not_turn_a_query_into_an_update(remote_server: LiveServer) -> None:
    """Regression: SPARQLWrapper reads "created" in a comment (of every second comment line)
    as CREATE and would send the query to the backend as an update; the remote engine tells it
    the real form."""
    sw = SPARQLWrapper(remote_server.endpoint)
    sw.setQuery("# units that were\n# created or merged\nSELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    sw.setReturnFormat(JSON)
    sw.queryType = "SELECT"  # the same mistake on the client side is not ours to fix
    rows = sw.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert int(rows[0]["n"]["value"]) > 0
