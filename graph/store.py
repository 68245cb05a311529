"""The store: a named-graph RDF dataset kept in pyoxigraph, on disk (default) or in memory.

On disk, the data directory holds generations of the store::

    {data_dir}/stores/{build id}/                 a complete RocksDB store (pyoxigraph)
    {data_dir}/stores/{build id}.manifest.json    what it was built from (graph.build)
    {data_dir}/current -> stores/{build id}       the live generation (a symlink)

A build never writes to the live store. It writes a new generation, either empty or a
checkpoint clone of the live one (``Store.backup``: hard links to the immutable RocksDB files,
milliseconds), then switches ``current`` in one atomic rename: readers keep the previous store
until the new one is complete, and a build that fails or is killed leaves it untouched (its
unfinished generation is deleted by the next build). The previous generation is kept for the
readers that still have it open. ``build_lock`` serialises builds of one data directory.

In memory (``Store()``), nothing is kept. ``Store.to_dataset`` / ``Store.from_dataset`` convert
to and from an rdflib ``Dataset`` (named graphs kept) for notebooks and tests.

Terms cross the boundary as rdflib terms; ``to_ox`` / ``from_ox`` convert them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .errors import StoreError

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, URIRef | None]

CURRENT = "current"
STORES = "stores"
MANIFEST_SUFFIX = ".manifest.json"
LOCK = ".build.lock"

_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
}


# --- term conversion ----------------------------------------------------------------------------
def to_ox(term: Node) -> Any:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store term {term!r}")


def from_ox(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise StoreError(f"cannot convert term {term!r}")


def ox_quad(s: Node, p: Node, o: Node, g: URIRef) -> ox.Quad:
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)))


# --- the store --------------------------------------------------------------------------------
class Store:
    """A dataset of named graphs. ``Store()`` is in memory; ``Store.open(path)`` on disk."""

    def __init__(self, ox_store: ox.Store | None = None, path: Path | None = None) -> None:
        self.ox = ox_store if ox_store is not None else ox.Store()
        self.path = path

    @classmethod
    def open(cls, path: Path, read_only: bool = False) -> Store:
        try:
            store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from None
        return cls(store, path)

    # reading
    def graph_names(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def triples(self, graph: URIRef | None = None) -> Iterator[Triple]:
        g = ox.NamedNode(str(graph)) if graph is not None else None
        for q in self.ox.quads_for_pattern(None, None, None, g):
            yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)

    def quads(self) -> Iterator[Quad]:
        for q in self.ox.quads_for_pattern(None, None, None, None):
            g = q.graph_name
            yield (
                from_ox(q.subject),
                from_ox(q.predicate),
                from_ox(q.object),
                URIRef(g.value) if isinstance(g, ox.NamedNode) else None,
            )

    def count(self, graph: URIRef | None = None) -> int:
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        res: Any = self.ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(next(iter(res))["n"].value)

    def counts(self) -> dict[URIRef, int]:
        res: Any = self.ox.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        return {URIRef(r["g"].value): int(r["n"].value) for r in res}

    def query(self, sparql: str, **options: Any) -> Any:
        """Evaluate with pyoxigraph (trusted callers only: the server adds its own guards)."""
        options.setdefault("use_default_graph_as_union", True)
        return self.ox.query(sparql, **options)

    def dump(self, output: IO[bytes] | Path, fmt: str = "nq", graph: URIRef | None = None) -> None:
        kw: dict[str, Any] = {"format": _FORMATS[fmt]}
        if graph is not None:
            kw["from_graph"] = ox.NamedNode(str(graph))
        self.ox.dump(output if not isinstance(output, Path) else str(output), **kw)

    def ntriples(self, graph: URIRef) -> bytes:
        """One named graph as N-Triples (the canonical form the reasoner reads)."""
        data = self.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(graph)))
        return data or b""

    def to_dataset(self) -> Dataset:
        """A copy as an rdflib Dataset, named graphs kept (for notebooks and tests)."""
        ds = Dataset()
        for s, p, o, g in self.quads():
            ds.add((s, p, o, ds.graph(g) if g is not None else ds.default_graph))
        return ds

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Store:
        """An in-memory store holding the named graphs of an rdflib Dataset."""
        store = cls()
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = getattr(g, "identifier", g)
            if isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID:
                store.ox.add(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(name))))
        return store

    # writing
    def replace_graphs(
        self, graphs: Mapping[URIRef, Iterable[Triple]], drop: Iterable[URIRef] = ()
    ) -> None:
        """Replace whole named graphs and drop others (atomicity comes from ``new_store``)."""
        for g in [*graphs, *drop]:
            name = ox.NamedNode(str(g))
            if self.ox.contains_named_graph(name):
                self.ox.remove_graph(name)
        self.ox.extend(ox_quad(s, p, o, g) for g, triples in graphs.items() for s, p, o in triples)

    def bulk_load(
        self, source: Path | IO[bytes] | bytes, fmt: str = "nq", graph: URIRef | None = None
    ) -> None:
        """Fast, non-transactional load (for stores no reader sees yet)."""
        kw: dict[str, Any] = {"format": _FORMATS[fmt]}
        if graph is not None:
            kw["to_graph"] = ox.NamedNode(str(graph))
        if isinstance(source, Path):
            self.ox.bulk_load(path=str(source), **kw)
        else:
            self.ox.bulk_load(source, **kw)

    def load_ntriples(self, data: bytes, graph: URIRef) -> None:
        """Adds N-Triples (no blank nodes: the parser would rename them) to a named graph."""
        if data:
            self.ox.load(
                data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph)), lenient=True
            )

    def remove_graph(self, graph: URIRef) -> None:
        name = ox.NamedNode(str(graph))
        if self.ox.contains_named_graph(name):
            self.ox.remove_graph(name)

    def backup(self, path: Path) -> Store:
        """A copy at ``path`` (a RocksDB checkpoint: hard links on the same file system)."""
        try:
            self.ox.backup(str(path))
        except OSError as exc:
            raise StoreError(f"cannot copy the store to {path}: {exc}") from None
        return Store.open(path)

    def flush(self) -> None:
        if self.path is not None:
            self.ox.flush()


# --- the data directory ---------------------------------------------------------------------------
def live_path(data_dir: Path) -> Path | None:
    """The store the ``current`` symlink points to, or None before the first build."""
    link = data_dir / CURRENT
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def open_live(data_dir: Path, read_only: bool = True) -> Store:
    path = live_path(data_dir)
    if path is None:
        raise StoreError(f"no graph built in {data_dir} yet: run `partnerkg build` first")
    return Store.open(path, read_only=read_only)


def manifest_path(store_path: Path) -> Path:
    """Where the manifest of a generation lives: beside it, switched with it."""
    return store_path.with_name(store_path.name + MANIFEST_SUFFIX)


def read_manifest(data_dir: Path) -> dict[str, Any] | None:
    """The live generation's manifest (graph.build writes it), or None."""
    path = live_path(data_dir)
    if path is None or not manifest_path(path).exists():
        return None
    try:
        data = json.loads(manifest_path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextlib.contextmanager
def build_lock(data_dir: Path) -> Iterator[None]:
    """One build at a time per data directory (released when the process dies)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK).open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"another build is running in {data_dir}; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@contextlib.contextmanager
def new_store(
    data_dir: Path, clone: bool = False, manifest: Mapping[str, Any] | None = None
) -> Iterator[Store]:
    """A new on-disk generation that becomes the live one only if the block succeeds.

    ``clone``: start from a checkpoint of the live store instead of an empty one. ``manifest``
    (a dict the block may fill in) is written beside the new store before the switch.
    """
    stores = data_dir / STORES
    stores.mkdir(parents=True, exist_ok=True)
    build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    path = stores / build_id
    previous = live_path(data_dir)
    try:
        if clone and previous is not None:
            store = Store.open(previous, read_only=True).backup(path)
        else:
            store = Store.open(path)
        yield store
        store.flush()
        if manifest is not None:
            tmp = manifest_path(path).with_suffix(".tmp")
            tmp.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
            _fsync(tmp)
            tmp.replace(manifest_path(path))
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        manifest_path(path).unlink(missing_ok=True)
        raise
    tmp_link = data_dir / f".{CURRENT}.{build_id}"
    tmp_link.symlink_to(Path(STORES) / build_id)
    os.replace(tmp_link, data_dir / CURRENT)  # the atomic switch
    _fsync(data_dir)
    # keep the new generation and the previous one (readers may still have it open)
    keep = {build_id, previous.name if previous is not None else ""}
    for old in stores.iterdir():
        name = old.name.removesuffix(MANIFEST_SUFFIX)
        if name not in keep:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
