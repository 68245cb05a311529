"""`partnerkg serve` end to end: a real process serving the SPARQL endpoint with waitress,
building the graph first when there is none, logging one line per query."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from live_server import free_port
from SPARQLWrapper import JSON, SPARQLWrapper

from graph.resources import sample_corpus

PARTNERKG = [sys.executable, "-c", "from graph.cli import main; main()"]


def wait_for_health(url: str, process: subprocess.Popen, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                return json.loads(response.read())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"no answer from {url}/health within {seconds} s")


def serve(args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [*PARTNERKG, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return process, f"http://127.0.0.1:{port}"


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def test_serve_an_existing_graph(seed_data_dir: Path) -> None:
    process, url = serve(["--data-dir", str(seed_data_dir), "--query-timeout", "5"])
    try:
        health = wait_for_health(url, process, 60)
        assert health["status"] == "ok" and health["network_blocked"] is True
        sw = SPARQLWrapper(f"{url}/sparql")
        sw.setQuery(
            'SELECT ?x WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> "Microsoft" }'
        )
        sw.setReturnFormat(JSON)
        assert sw.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.headers["Server"] == "partnerkg"  # waitress's ident, as serve sets it
    finally:
        out = stop(process)
    assert "serving on http://127.0.0.1:" in out
    logged = [line for line in out.splitlines() if "INFO sparql 200 " in line]
    assert len([line for line in logged if '"Microsoft"' in line]) == 1


@pytest.mark.slow
def test_serve_builds_the_graph_first(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus(), corpus)
    data_dir = tmp_path / "data"
    process, url = serve(["--data-dir", str(data_dir)], {"PARTNERKG_CORPUS": str(corpus)})
    try:
        assert wait_for_health(url, process, 300)["status"] == "ok"
        assert (data_dir / "current").is_symlink()
    finally:
        out = stop(process)
    assert "building it first" in out
