"""Linked-data exports of the built dataset: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

What is exported (``content``): ``all`` named graphs, the ``asserted`` ones (all but
``{base}graph/inferred``), only the ``inferred`` graph, only the ``ontology`` graph, or with
``article`` one article's graph ``{base}graph/article/{id}``. N-Quads and TriG keep the named
graphs; the other formats merge the chosen graphs into one.

Exports are deterministic (see ``graph.rdfio``): the same dataset gives the same bytes, even
after a rebuild of the store. A full export to a file (``content="all"``, no article) also
writes the dataset description beside it, as ``FILE.void.ttl``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from .config import Settings
from .errors import ConfigError, NotFound
from .iris import Iris
from .jsonld import write_jsonld
from .rdfio import (
    canonical_quads,
    write_nquads,
    write_ntriples,
    write_rdfxml,
    write_trig,
    write_turtle,
)
from .store import Quad, Store
from .void import dataset_description

CONTENTS = ("all", "asserted", "inferred", "ontology")


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    media_type: str
    keeps_graphs: bool  # N-Quads and TriG; the others merge the graphs
    write: Callable[[list[Quad]], bytes]


def _merged(writer: Callable[[list[tuple]], bytes]) -> Callable[[list[Quad]], bytes]:
    return lambda quads: writer([(s, p, o) for s, p, o, _ in quads])


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("nq", "nq", "application/n-quads", True, write_nquads),
        ExportFormat("trig", "trig", "application/trig", True, write_trig),
        ExportFormat("ttl", "ttl", "text/turtle", False, _merged(write_turtle)),
        ExportFormat("nt", "nt", "application/n-triples", False, _merged(write_ntriples)),
        ExportFormat("jsonld", "jsonld", "application/ld+json", False, _merged(write_jsonld)),
        ExportFormat("rdfxml", "rdf", "application/rdf+xml", False, _merged(write_rdfxml)),
    )
}


def select_graphs(
    store: Store, settings: Settings, content: str = "all", article: str | None = None
) -> list[URIRef]:
    """The named graphs an export holds, sorted."""
    if content not in CONTENTS:
        raise ConfigError(f"unknown export content {content!r}: one of {', '.join(CONTENTS)}")
    iris = Iris(settings.base_iri)
    names = store.graph_names()
    if article is not None:
        if content != "all":
            raise ConfigError("--article exports one article's graph: leave --content at 'all'")
        graph = iris.article_graph(article)
        if graph not in names:
            prefix = len(iris.article_graph(""))
            known = [n[prefix:] for n in names if iris.is_article_graph(n)]
            listed = ", ".join(known[:10]) + (f" and {len(known) - 10} more" if known[10:] else "")
            raise NotFound(
                f"no article {article!r} in the built graph; articles: {listed or 'none'}"
            )
        return [graph]
    inferred, ontology = iris.graph("inferred"), iris.graph("ontology")
    chosen = {
        "all": names,
        "asserted": [n for n in names if n != inferred],
        "inferred": [n for n in names if n == inferred],
        "ontology": [n for n in names if n == ontology],
    }[content]
    if not chosen:
        raise NotFound(
            f"the built graph has no {content} graph under {settings.base_iri}: "
            "run `partnerkg build` (with the same --base-iri)"
        )
    return chosen


def export_quads(store: Store, graphs: list[URIRef]) -> list[Quad]:
    """The statements of the graphs, blank nodes canonicalised."""
    return canonical_quads((s, p, o, g) for g in graphs for s, p, o in store.triples(g))


def export_bytes(
    store: Store,
    settings: Settings,
    fmt: str = "nq",
    content: str = "all",
    article: str | None = None,
) -> bytes:
    """The export as bytes (UTF-8)."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    graphs = select_graphs(store, settings, content, article)
    return FORMATS[fmt].write(export_quads(store, graphs))


def description_path(path: Path) -> Path:
    return path.with_name(path.name + ".void.ttl")


def write_export(
    store: Store,
    settings: Settings,
    path: Path,
    fmt: str = "nq",
    content: str = "all",
    article: str | None = None,
) -> list[Path]:
    """Write the export to ``path`` (and, for a full export, its description); the paths."""
    written = [path]
    _write_atomically(path, export_bytes(store, settings, fmt, content, article))
    if content == "all" and article is None:
        description = write_turtle(dataset_description(store, settings))
        _write_atomically(description_path(path), description)
        written.append(description_path(path))
    return written


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


__all__ = [
    "CONTENTS",
    "FORMATS",
    "ExportFormat",
    "dataset_description",
    "description_path",
    "export_bytes",
    "export_quads",
    "select_graphs",
    "write_export",
]
