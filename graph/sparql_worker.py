"""The query worker: a process that evaluates SPARQL with pyoxigraph on the live store.

The server keeps a pool of these (graph.sparql) so that a query past its time limit can be
stopped for real: the process is killed and replaced while the others keep serving. A worker
opens the store read-only and reopens it when a build (or an update) switches the
``{data_dir}/current`` link; it serialises answers itself and returns bytes, at most
``max_rows`` solutions or triples.

A worker never reaches the network: the server refuses SERVICE before a query gets here, and
``install_network_guard`` makes any socket or urllib use from Python fail in this process.
Tasks are plain functions of ``TASKS``; the parent sends ``(task, kwargs)`` and receives
``("ok", value)`` or ``("error", error class name, message)``.
"""

from __future__ import annotations

import io
import os
import socket
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import conneg, errors
from .results import write_boolean, write_rdf, write_solutions, write_triples
from .sparql_lexer import may_name_service, scan

# --- the network guard ------------------------------------------------------------------------
_BLOCKED_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "urllib.Request",
        "http.client.connect",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
    }
)


def _network_hook(event: str, args: tuple[Any, ...]) -> None:
    if event in _BLOCKED_EVENTS:
        raise PermissionError(f"partnerkg query workers make no outbound request ({event})")
    if event == "socket.__new__" and len(args) > 1 and args[1] in (socket.AF_INET, socket.AF_INET6):
        raise PermissionError("partnerkg query workers open no network socket")


def install_network_guard() -> None:
    """Make network and process use from Python fail in this process (for good: audit
    hooks cannot be removed)."""
    sys.addaudithook(_network_hook)


def network_blocked() -> bool:
    """True if this process cannot open an IPv4 socket (the guard is active)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False


# --- the live store ---------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkerConfig:
    data_dir: str
    base_iri: str
    default_graph: str = "all"  # all graphs, or "asserted": all but {base}graph/inferred
    max_rows: int = 10000


class LiveStore:
    """The store ``{data_dir}/current`` points to, reopened when the link changes."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.target: Path | None = None
        self.store: ox.Store | None = None
        self.asserted: list[Any] = []
        self.ontology: Any = None  # rdflib Graph of the ontology, for explanations

    def get(self) -> ox.Store:
        from .store import live_path

        target = live_path(Path(self.config.data_dir))
        if target is None:
            raise errors.StoreError(
                f"no graph built in {self.config.data_dir} yet: run `partnerkg build` first"
            )
        if target != self.target or self.store is None:
            try:
                store = ox.Store.read_only(str(target))
            except (OSError, RuntimeError) as exc:
                print(f"partnerkg worker: cannot open {target}: {exc}", file=sys.stderr)
                raise errors.StoreError("the graph store cannot be opened") from None
            inferred = f"{self.config.base_iri}graph/inferred"
            self.asserted = [ox.DefaultGraph()] + [
                g for g in store.named_graphs() if getattr(g, "value", None) != inferred
            ]
            self.store, self.target, self.ontology = store, target, None
        return self.store

    def wrapped(self) -> Any:
        """The store as a graph.store.Store (for the modules written against it)."""
        from .store import Store

        return Store(self.get(), self.target)


# --- queries ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryJob:
    text: str
    format: str  # conneg format name: json, xml, csv, tsv for solutions; ttl, nt... for graphs
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None  # the protocol dataset, if the request has one
    named_graphs: tuple[str, ...] | None = None
    union: bool | None = None  # None: the configured default graph
    max_rows: int | None = None
    own_dataset: bool | None = None  # FROM / FROM NAMED in the query (None: scan it here)


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    kind: str  # solutions, boolean or graph
    count: int  # solutions or triples written
    truncated: bool
    seconds: float
    cached: bool = False  # served from the server's result cache


def _formats(kind: str) -> tuple[conneg.Format, ...]:
    return conneg.GRAPH if kind == "graph" else conneg.RESULTS


def _fit(name: str, kind: str) -> conneg.Format:
    """The format named ``name`` if it suits the kind of result, else the kind's default."""
    return conneg.by_name(name, _formats(kind)) or _formats(kind)[0]


def dataset_options(live: LiveStore, job: QueryJob) -> dict[str, Any]:
    """pyoxigraph's dataset options: the protocol dataset if given, else the query's own
    FROM / FROM NAMED, else the configured default graph."""
    if job.default_graphs is not None or job.named_graphs is not None:
        return {
            "default_graph": [ox.NamedNode(g) for g in job.default_graphs or ()],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
        }
    own = job.own_dataset if job.own_dataset is not None else scan(job.text).has_dataset_clause
    if own:
        return {}
    union = job.union if job.union is not None else live.config.default_graph == "all"
    return {"use_default_graph_as_union": True} if union else {"default_graph": live.asserted}


def run_query(live: LiveStore, job: QueryJob) -> Answer:
    if may_name_service(job.text) and scan(job.text).has_service:  # a second line of defence
        raise errors.QueryRefused("SERVICE is not allowed: this endpoint queries only its own data")
    start = time.perf_counter()
    store = live.get()
    result = store.query(job.text, base_iri=job.base_iri, **dataset_options(live, job))
    cap = job.max_rows if job.max_rows is not None else live.config.max_rows
    if isinstance(result, ox.QueryBoolean):
        fmt = conneg.by_name(job.format, conneg.BOOLEAN) or conneg.JSON
        body = write_boolean(fmt, bool(result))
        return Answer(body, fmt.media_type, "boolean", 1, False, time.perf_counter() - start)
    items: list[Any] = []
    truncated = False
    if isinstance(result, ox.QuerySolutions):
        kind = "solutions"
        variables = [v.value for v in result.variables]
        for solution in result:
            if len(items) == cap:
                truncated = True
                break
            items.append(list(solution))
        fmt = _fit(job.format, kind)
        body = write_solutions(fmt, variables, items)
    else:
        kind = "graph"
        for triple in result:
            if len(items) == cap:
                truncated = True
                break
            items.append(triple)
        fmt = _fit(job.format, kind)
        from .rdfio import EXPORT_PREFIXES

        body = write_triples(fmt, items, EXPORT_PREFIXES)
    return Answer(body, fmt.media_type, kind, len(items), truncated, time.perf_counter() - start)


def encode_term(term: Any) -> tuple[str, ...] | None:
    """A picklable form of a term: (kind, value[, language, datatype])."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language or "", term.datatype.value)
    return ("literal", str(term), "", "")


def select_rows(
    live: LiveStore, text: str, limit: int = 100000
) -> tuple[list[str], list[list[Any]]]:
    """An internal SELECT (pages, org charts) over the union of all graphs."""
    result = live.get().query(text, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise errors.QueryError("an internal query must be a SELECT")
    variables = [v.value for v in result.variables]
    rows: list[list[tuple[str, ...] | None]] = []
    for solution in result:
        if len(rows) == limit:
            break
        rows.append([encode_term(t) for t in solution])
    return variables, rows


# --- other tasks ------------------------------------------------------------------------------
def _settings(live: LiveStore) -> Any:
    from .config import load_settings

    return load_settings(
        {"data_dir": live.config.data_dir, "base_iri": live.config.base_iri}, env={}
    )


def explain_triple(live: LiveStore, subject: str, predicate: str, object: str) -> dict[str, Any]:
    try:
        from .explain import explain
    except ImportError:
        raise errors.Unavailable("explanations unavailable (graph.explain is missing)") from None
    from rdflib import Graph, URIRef

    store = live.wrapped()
    inferred = URIRef(f"{live.config.base_iri}graph/inferred")
    ontology_graph = URIRef(f"{live.config.base_iri}graph/ontology")
    if live.ontology is None:  # read once per store
        live.ontology = Graph()
        for triple in store.triples(ontology_graph):
            live.ontology.add(triple)
    result = explain(
        store,
        f"<{subject}>",
        f"<{predicate}>",
        f"<{object}>",
        ontology=live.ontology if len(live.ontology) else None,
        inferred_graph=inferred,
        ontology_graph=ontology_graph,
    )
    return {"data": result.to_dict(), "text": result.to_text()}


def describe_dataset(live: LiveStore) -> bytes:
    """The VoID + DCAT description of graph.void, as N-Triples."""
    from .void import dataset_description

    return write_rdf("nt", dataset_description(live.wrapped(), _settings(live)))


def graph_counts(live: LiveStore) -> dict[str, int]:
    from .store import Store

    return {str(g): n for g, n in Store(live.get()).counts().items()}


def write_dump(live: LiveStore, fmt: str, path: str, gzipped: bool) -> int:
    """Write the whole dataset as ``partnerkg export`` does; returns the bytes written."""
    import gzip

    from .export import export_bytes

    data = export_bytes(live.wrapped(), _settings(live), fmt)
    tmp = Path(f"{path}.{os.getpid()}.tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_bytes(gzip.compress(data, mtime=0) if gzipped else data)
    os.replace(tmp, path)
    return len(data)


def apply_update(live: LiveStore, text: str, base_iri: str | None) -> dict[str, Any]:
    """Copy the live store, update the copy, make it the live one (graph.store.new_store):
    readers never see a half-applied update, and a failed one changes nothing."""
    from .store import new_store

    shape = scan(text)
    if shape.has_service or "LOAD" in shape.keywords:
        raise errors.QueryRefused("SERVICE and LOAD are not allowed: no outbound request")
    current = live.get()
    buffer = io.BytesIO()
    current.dump(buffer, format=ox.RdfFormat.N_QUADS)
    before = len(current)
    with new_store(Path(live.config.data_dir)) as store:
        if buffer.tell():
            store.ox.bulk_load(buffer.getvalue(), format=ox.RdfFormat.N_QUADS)
        store.ox.update(text, base_iri=base_iri)
        after = len(store.ox)
    return {"before": before, "after": after}


def status(live: LiveStore) -> dict[str, Any]:
    store = live.get()
    return {
        "store": live.target.name if live.target else None,
        "network_blocked": network_blocked(),
        "ask": bool(store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)),
    }


TASKS: dict[str, Callable[..., Any]] = {
    "query": run_query,
    "rows": select_rows,
    "explain": explain_triple,
    "void": describe_dataset,
    "counts": graph_counts,
    "dump": write_dump,
    "update": apply_update,
    "status": status,
}


# --- the process --------------------------------------------------------------------------------
def _error_reply(exc: BaseException) -> tuple[str, str, str]:
    if isinstance(exc, SyntaxError):
        return ("error", "QueryError", f"syntax error: {exc}")
    if isinstance(exc, errors.PartnerKGError):
        return ("error", type(exc).__name__, str(exc))
    traceback.print_exc(file=sys.stderr)
    if isinstance(exc, OSError):
        return ("error", "QueryFailed", "the query could not be evaluated (store or I/O error)")
    if isinstance(exc, ValueError | TypeError):
        return ("error", "QueryError", "the request has an invalid value (an IRI or a term)")
    return ("error", "QueryFailed", "internal error while evaluating the query")


def main(conn: Connection, config: WorkerConfig) -> None:
    """The worker's loop: one task at a time until the parent closes the pipe."""
    install_network_guard()
    live = LiveStore(config)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task, kwargs = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            reply: tuple[Any, ...] = ("ok", TASKS[task](live, **kwargs))
        except Exception as exc:
            reply = _error_reply(exc)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


if __name__ == "__main__":  # python -m graph.sparql_worker FD CONFIG_JSON (see graph.sparql)
    import json

    # through the package, so that pickled answers name graph.sparql_worker, not __main__
    from graph import sparql_worker

    sparql_worker.main(
        Connection(int(sys.argv[1])), sparql_worker.WorkerConfig(**json.loads(sys.argv[2]))
    )
