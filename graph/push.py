"""Push: copy the built dataset, named graphs kept, into an external SPARQL store.

Each named graph is sent with the SPARQL 1.1 Graph Store HTTP Protocol: ``PUT {gsp}?graph=G``
(replaces the graph) with the first chunk of its N-Triples, ``POST`` (adds) for the others.
Where the server has no Graph Store endpoint (404, 405 or 501 on the first request), or with
``method="update"``, each graph goes by SPARQL Update instead: ``DROP SILENT GRAPH`` then
``INSERT DATA`` in chunks. Triples with blank nodes always travel in one request (a blank
node label only means the same node within one request).

Connection errors, timeouts, 429 and 5xx are retried with exponential backoff; any other 4xx
stops the push with a one-line error naming the graph and the status. See docs/stores.md for
the endpoints of Oxigraph, Apache Jena Fuseki, Virtuoso, GraphDB and QLever.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from .errors import StoreError
from .store import Store

CHUNK_TRIPLES = 50_000  # triples per request
RETRY_STATUSES = {429, 500, 502, 503, 504}
NO_GSP_STATUSES = {404, 405, 501}
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Target:
    """Where and how to push: the server's URL plus the paths of its endpoints."""

    url: str
    gsp_path: str = "/store"
    update_path: str = "/update"
    query_path: str = "/query"
    user: str | None = None
    password: str | None = None
    auth: str = "basic"  # basic or digest (Virtuoso's /sparql-auth, /sparql-graph-crud-auth)
    token: str | None = None  # sent as "Authorization: Bearer ..."
    timeout: float = 120.0
    attempts: int = 5
    backoff: float = 0.5

    def endpoint(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return self.url.rstrip("/") + ("/" + path.lstrip("/") if path.strip("/") else "")


@dataclass
class PushReport:
    method: str = "gsp"
    graphs: int = 0
    triples: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    sent: dict[str, int] = field(default_factory=dict)  # graph -> triples

    def summary(self) -> str:
        via = "Graph Store Protocol" if self.method == "gsp" else "SPARQL Update"
        return (
            f"pushed {self.graphs:,} graphs, {self.triples:,} triples in {self.requests:,} "
            f"requests via {via} ({self.retries} retried) in {self.seconds:.1f}s"
        )


class _NoGraphStore(Exception):
    """The server has no Graph Store endpoint at that path."""


class Client:
    """HTTP with retries, basic/digest/bearer authentication, one-line errors."""

    def __init__(self, target: Target, report: PushReport) -> None:
        self.t, self.report = target, report
        handlers: list[Any] = []
        if target.user is not None and target.auth == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, target.url, target.user, target.password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        self.opener = urllib.request.build_opener(*handlers)

    def _headers(self, content_type: str | None) -> dict[str, str]:
        headers = {"User-Agent": "partnerkg-push"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.t.token:
            headers["Authorization"] = f"Bearer {self.t.token}"
        elif self.t.user is not None and self.t.auth == "basic":
            pair = f"{self.t.user}:{self.t.password or ''}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return headers

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        what: str,
        accept: str | None = None,
    ) -> bytes:
        """One request, retried on transient errors. ``what`` names it in errors."""
        headers = self._headers(content_type)
        if accept:
            headers["Accept"] = accept
        for attempt in range(1, self.t.attempts + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                self.report.requests += 1
                with self.opener.open(request, timeout=self.t.timeout) as response:
                    data: bytes = response.read()
                    return data
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:200].decode("utf-8", "replace").strip().replace("\n", " ")
                if exc.code in RETRY_STATUSES and attempt < self.t.attempts:
                    self._wait(attempt)
                    continue
                if exc.code in NO_GSP_STATUSES and content_type == NTRIPLES:
                    raise _NoGraphStore(f"{exc.code} from {url}") from None
                hint = " (check --user/--password or the token)" if exc.code in (401, 403) else ""
                raise StoreError(
                    f"{what}: {method} {url} answered {exc.code} {exc.reason}"
                    f"{hint}" + (f": {detail}" if detail else "")
                ) from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                if attempt < self.t.attempts:
                    self._wait(attempt)
                    continue
                reason = getattr(exc, "reason", exc)
                raise StoreError(
                    f"{what}: cannot reach {url} after {attempt} attempts "
                    f"({reason}); is the server running?"
                ) from None
        raise AssertionError("unreachable")

    def _wait(self, attempt: int) -> None:
        self.report.retries += 1
        time.sleep(min(self.t.backoff * 2 ** (attempt - 1), 10.0))


def chunks(data: bytes, size: int = CHUNK_TRIPLES) -> Iterator[bytes]:
    """N-Triples in chunks of ``size`` lines; every line with a blank node in the first."""
    lines = data.splitlines(keepends=True)
    blank = [line for line in lines if b"_:" in line]
    plain = [line for line in lines if b"_:" not in line] if blank else lines
    first = blank + plain[: max(0, size - len(blank))]
    yield b"".join(first)
    for k in range(len(first) - len(blank), len(plain), size):
        yield b"".join(plain[k : k + size])


def _update_body(graph: URIRef, chunk: bytes) -> bytes:
    return b"INSERT DATA { GRAPH <" + str(graph).encode() + b"> {\n" + chunk + b"} }"


def push(
    store: Store,
    target: Target,
    drop_first: bool = False,
    method: str = "auto",
    progress: Callable[[str], None] | None = None,
) -> PushReport:
    """Sends every named graph of ``store`` to ``target``. method: auto, gsp or update."""
    say = progress or (lambda msg: None)
    report = PushReport(method="update" if method == "update" else "gsp")
    client = Client(target, report)
    start = time.perf_counter()
    update_url = target.endpoint(target.update_path)
    if drop_first:
        say(f"dropping every graph of {update_url}")
        client.send("POST", update_url, b"DROP ALL", "application/sparql-update", "drop-first")
    names = store.graph_names()
    total = store.count()
    for n, graph in enumerate(names, 1):
        data = store.ntriples(graph)
        triples = data.count(b"\n")
        if report.method == "gsp":
            try:
                _put_graph(client, target, graph, data)
            except _NoGraphStore as exc:
                if method == "gsp" or report.graphs > 0:
                    raise StoreError(
                        f"graph <{graph}>: no Graph Store endpoint at "
                        f"{target.endpoint(target.gsp_path)} ({exc}); give "
                        "--gsp-path, or --method update"
                    ) from None
                say(
                    f"no Graph Store endpoint at {target.endpoint(target.gsp_path)}: "
                    "using SPARQL Update"
                )
                report.method = "update"
        if report.method == "update":
            _update_graph(client, update_url, graph, data)
        report.graphs += 1
        report.triples += triples
        report.sent[str(graph)] = triples
        if n == len(names) or n % 100 == 0 or triples > CHUNK_TRIPLES:
            elapsed = time.perf_counter() - start
            say(
                f"pushed {n:,}/{len(names):,} graphs, {report.triples:,}/{total:,} triples "
                f"({report.triples / max(elapsed, 1e-9):,.0f} triples/s)"
            )
    report.seconds = round(time.perf_counter() - start, 2)
    return report


def _put_graph(client: Client, target: Target, graph: URIRef, data: bytes) -> None:
    url = target.endpoint(target.gsp_path) + "?" + urllib.parse.urlencode({"graph": str(graph)})
    for k, chunk in enumerate(chunks(data)):
        client.send("PUT" if k == 0 else "POST", url, chunk, NTRIPLES, f"graph <{graph}>")


def _update_graph(client: Client, url: str, graph: URIRef, data: bytes) -> None:
    what = f"graph <{graph}>"
    client.send(
        "POST", url, f"DROP SILENT GRAPH <{graph}>".encode(), "application/sparql-update", what
    )
    for chunk in chunks(data):
        if chunk:
            client.send("POST", url, _update_body(graph, chunk), "application/sparql-update", what)


def remote_counts(target: Target) -> dict[str, int]:
    """Triples per named graph at the target's query endpoint (to check a push)."""
    client = Client(target, PushReport())
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    url = target.endpoint(target.query_path)
    data = client.send(
        "POST",
        url,
        urllib.parse.urlencode({"query": query}).encode(),
        "application/x-www-form-urlencoded",
        "count query",
        accept="application/sparql-results+json",
    )
    rows = json.loads(data)["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


__all__ = ["PushReport", "Target", "chunks", "push", "remote_counts"]
