"""The local engine: queries on the live store of ``data_dir``, evaluated in worker processes.

``query_workers`` processes evaluate queries; a request takes an idle one (waiting at most
``query_timeout`` for it, else Unavailable), a query past ``query_timeout`` has its worker
killed and replaced (QueryTimeout) while the others go on serving. Answers are kept in a
result cache keyed by the store's name. Dumps, the dataset description and updates run in a
one-off process each, with ``dump_timeout``.
"""

from __future__ import annotations

import atexit
import dataclasses
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import conneg
from .config import Settings
from .errors import NotFound, StoreError
from .result_cache import ResultCache
from .sparql import Row, decode_term
from .sparql_worker import Answer, QueryJob, WorkerConfig
from .vocab import VOID
from .worker_pool import WorkerPool, run_once


class LocalEngine:
    """The live store of ``settings.data_dir``, evaluated in worker processes."""

    local = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.config = WorkerConfig(
            str(Path(settings.data_dir).resolve()),
            settings.base_iri,
            settings.default_graph,
            settings.max_rows,
        )
        self.pool = WorkerPool(settings.query_workers, self.config)
        self.dump_lock = threading.Lock()
        self.update_lock = threading.Lock()
        self.cache: dict[tuple[Any, ...], Any] = {}
        self.cache_lock = threading.Lock()
        megabytes = settings.result_cache
        self.results = ResultCache(int(megabytes * 1_000_000)) if megabytes > 0 else None
        atexit.register(self.close)

    def _call(self, task: str, **kwargs: Any) -> Any:
        t = self.settings.query_timeout
        return self.pool.call(task, kwargs, timeout=t, wait=t)

    def query(self, job: QueryJob) -> Answer:
        if self.results is None or not self.results.cacheable(job.text):
            answer: Answer = self._call("query", job=job)
            return answer
        key = (self.build_id(), job)
        cached = self.results.get(key)
        if cached is not None:
            return dataclasses.replace(cached, cached=True)
        answer = self._call("query", job=job)
        self.results.put(key, answer)
        return answer

    def select(self, text: str, limit: int = 100000) -> list[Row]:
        variables, rows = self._call("rows", text=text, limit=limit)
        return [
            {v: t for v, t in zip(variables, map(decode_term, row), strict=True) if t is not None}
            for row in rows
        ]

    def explain(self, subject: str, predicate: str, object: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "explain", subject=subject, predicate=predicate, object=object
        )
        return result

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()`` once per build of the store (one thread computes, others wait)."""
        key = (self.build_id(), *key)
        with self.cache_lock:
            if key not in self.cache:
                if len(self.cache) > 64:
                    self.cache.clear()
                self.cache[key] = compute()
            return self.cache[key]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = self._cached(("counts",), lambda: self._call("counts"))
        return counts

    def describe_dataset(self, fmt: str, links: dict[str, list[str]]) -> bytes:
        """graph.void's description (computed once per build) plus ``links``: VoID
        properties (sparqlEndpoint, dataDump...) to URLs only the server knows."""
        from .describe import dataset_iri

        ntriples: bytes = self._cached(
            ("void",), lambda: run_once(self.config, "void", {}, self.settings.dump_timeout)
        )
        return reserialise(ntriples, fmt, dataset_iri(self.settings), links)

    def dump(self, name: str) -> Path:
        """The file of a dump (``graph.nq.gz``...), written once per build."""
        fmt, gzipped = dump_format(name)
        build = self.build_id()
        if build is None:
            raise StoreError(f"no graph built in {self.settings.data_dir} yet")
        folder = Path(self.config.data_dir) / "dumps"
        path = folder / build / name
        with self.dump_lock:
            if not path.exists():
                run_once(
                    self.config,
                    "dump",
                    {"fmt": fmt, "path": str(path), "gzipped": gzipped},
                    self.settings.dump_timeout,
                )
                for old in folder.iterdir():  # dumps of earlier builds
                    if old.name != build:
                        shutil.rmtree(old, ignore_errors=True)
        return path

    def update(self, text: str, base_iri: str | None) -> dict[str, Any]:
        with self.update_lock:
            result: dict[str, Any] = run_once(
                self.config,
                "update",
                {"text": text, "base_iri": base_iri},
                self.settings.dump_timeout,
            )
        return result

    def status(self) -> dict[str, Any]:
        result: dict[str, Any] = self.pool.call("status", {}, timeout=5.0, wait=5.0)
        return result

    def build_id(self) -> str | None:
        from .store import live_path

        path = live_path(Path(self.config.data_dir))
        return path.name if path is not None else None

    def close(self) -> None:
        self.pool.close()


DUMP_FORMATS = {
    "nq": "nq",
    "trig": "trig",
    "ttl": "ttl",
    "nt": "nt",
    "jsonld": "jsonld",
    "rdf": "rdfxml",
}


def reserialise(ntriples: bytes, fmt: str, subject: str, links: dict[str, list[str]]) -> bytes:
    """N-Triples plus ``subject void:PROP <url>`` for each link, in the graph format named
    ``fmt``. A link that is no valid IRI (the URLs come from the request's Host) is left out."""
    import pyoxigraph as ox

    from .rdfio import EXPORT_PREFIXES
    from .results import write_triples

    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    ]
    for prop, urls in links.items():
        for url in urls:
            try:
                link = ox.Triple(
                    ox.NamedNode(subject), ox.NamedNode(f"{VOID}{prop}"), ox.NamedNode(url)
                )
            except ValueError:
                continue
            triples.append(link)
    chosen = conneg.by_name(fmt, conneg.GRAPH) or conneg.TURTLE
    return write_triples(chosen, triples, EXPORT_PREFIXES)


def dump_format(name: str) -> tuple[str, bool]:
    """('nq', True) for 'graph.nq.gz'; NotFound for other names."""
    stem, _, ext = name.partition(".")
    gzipped = ext.endswith(".gz")
    ext = ext.removesuffix(".gz")
    if stem != "graph" or ext not in DUMP_FORMATS:
        raise NotFound(
            f"no dump {name!r}: graph.EXT or graph.EXT.gz with EXT one of "
            + ", ".join(DUMP_FORMATS)
        )
    return DUMP_FORMATS[ext], gzipped
