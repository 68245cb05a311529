"""The store: a named-graph RDF dataset kept in pyoxigraph, on disk (default) or in memory.

On disk, every build writes a complete new store under ``{data_dir}/stores/{build id}`` and
then switches the ``{data_dir}/current`` symlink to it in one atomic rename: readers keep the
previous store until the new one is complete, and a failed build leaves it untouched.

Terms cross the boundary as rdflib terms; ``to_ox`` / ``from_ox`` convert them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import StoreError

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, URIRef | None]

CURRENT = "current"
STORES = "stores"

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
        res = self.ox.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(next(iter(res))["n"].value)

    def counts(self) -> dict[URIRef, int]:
        res = self.ox.query(
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

    def bulk_load(self, source: Path | IO[bytes], fmt: str = "nq") -> None:
        self.ox.bulk_load(
            source if not isinstance(source, Path) else str(source), format=_FORMATS[fmt]
        )

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


@contextlib.contextmanager
def new_store(data_dir: Path) -> Iterator[Store]:
    """A fresh on-disk store that becomes the live one only if the block succeeds."""
    stores = data_dir / STORES
    stores.mkdir(parents=True, exist_ok=True)
    build_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    path = stores / build_id
    store = Store.open(path)
    try:
        yield store
        store.flush()
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    previous = live_path(data_dir)
    tmp_link = data_dir / f".{CURRENT}.{build_id}"
    tmp_link.symlink_to(Path(STORES) / build_id)
    os.replace(tmp_link, data_dir / CURRENT)  # atomic switch
    for old in stores.iterdir():  # keep the new and the previous one
        if old.name != build_id and (previous is None or old.resolve() != previous):
            shutil.rmtree(old, ignore_errors=True)
