"""Reasoning: the OWL 2 RL closure of ontology + asserted data, as a separate set of triples.

Two paths compute the same triples:

* ``infer_owlrl``: owlrl's closure (reference implementation; minutes at 1e5 triples);
* ``infer_fast``: the ontology compiled into rules (graph.rules: owlrl computes the schema
  closure, the ABox rules are read from it, unsupported axioms raise ReasoningError) and
  evaluated semi-naively with numpy over dictionary-encoded terms (graph.fixpoint).

``infer(method="auto")`` uses owlrl below ``threshold`` asserted triples and the fast path
above. ``reason_store`` reads the asserted graphs of a store and replaces its inferred graph.
The asserted graphs are never modified. The inferred triples are those the closure adds,
minus the asserted ones and minus the noise (``is_noise``, documented in graph/noise.py and
docs/reasoning.md). Data inconsistent with the ontology (an individual in two disjoint
classes, a literal invalid for its datatype) raises ReasoningError on both paths.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import methodcaller
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .config import Settings
from .encode import NTriplesCodec, RdflibCodec, TermTable, encode_ntriples, no_gc
from .errors import ReasoningError
from .fixpoint import pack, program, runs, saturate, split, unique
from .noise import is_noise, noise_mask
from .rules import (
    compile_rules,
    inconsistent,
    is_schema,
    owlrl_added,
    schema_class,
    schema_predicate,
)
from .store import Store, Triple, from_ox

__all__ = [
    "METHODS",
    "NTriplesInference",
    "ReasoningReport",
    "choose_method",
    "infer",
    "infer_fast",
    "infer_ntriples",
    "infer_owlrl",
    "is_noise",
    "reason_store",
]

METHODS = ("auto", "owlrl", "fast")
DEFAULT_THRESHOLD = Settings().fast_threshold
_RL_DATATYPES = {str(d) for d in OWL_RL_Datatypes}
_CONVERTERS = {str(d): f for d, f in AltXSDToPYTHON.items()}


@dataclass(frozen=True)
class ReasoningReport:
    method: str  # the path actually used: owlrl or fast
    triples_in: int  # asserted triples read
    triples_inferred: int  # triples written to the inferred graph
    seconds: float


def choose_method(method: str, size: int, threshold: int = DEFAULT_THRESHOLD) -> str:
    if method not in METHODS:
        raise ReasoningError(
            f"unknown reasoning method {method!r}: use one of {', '.join(METHODS)}"
        )
    if method == "auto":
        return "owlrl" if size < threshold else "fast"
    return method


# --- owlrl ---------------------------------------------------------------------------------------
def infer_owlrl(asserted: Iterable[Triple], ontology: Graph) -> set[Triple]:
    """owlrl's OWL 2 RL closure; returns the added triples without noise."""
    graph = Graph()
    for t in ontology:
        graph.add(t)
    for t in asserted:
        graph.add(t)
    return {t for t in owlrl_added(graph) if not is_noise(t)}


# --- the compiled rules --------------------------------------------------------------------------
def _group(s: np.ndarray, p: np.ndarray, o: np.ndarray) -> dict[int, np.ndarray]:
    if p.size == 0:
        return {}
    order = np.argsort(p, kind="stable")
    s, p, o = s[order], p[order], o[order]
    preds, starts = runs(p)
    ends = [*starts[1:].tolist(), p.size]
    return {
        int(q): unique(pack(s[a:b], o[a:b]))
        for q, a, b in zip(preds.tolist(), starts.tolist(), ends, strict=True)
    }


def _lexical_errors(table: TermTable[Any], objects: np.ndarray, literal: np.ndarray) -> list[str]:
    """owlrl's check of the literals of the data (rules dt-type2 / dt-not-type)."""
    errors = []
    ids = unique(objects)
    for i in ids[literal[ids]].tolist():
        typed = table.codec.typed(table.terms[i])
        if typed is None:
            continue
        datatype, lexical = typed
        if datatype in _RL_DATATYPES and datatype in _CONVERTERS:
            try:
                _CONVERTERS[datatype](lexical)
            except ValueError:
                errors.append(
                    f"Lexical value of the literal '{lexical}' does not match its datatype "
                    f"({datatype})"
                )
    return errors


def _fast(
    table: TermTable[Any],
    data: list[np.ndarray],
    schema: list[Triple],
    ontology: Graph,
    cache_dir: Path | None,
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(predicate, subjects, objects) of the inferred triples, by predicate."""
    rules = compile_rules(ontology, schema, cache_dir)
    onto = table.encode_triples(ontology)
    tbox = table.encode_triples(rules.derived_tbox)
    prog = program(rules.closed, table.id_of, str(RDF.type))
    asserted = [np.concatenate([d, x]) for d, x in zip(data, onto, strict=True)]
    facts, disjoint = saturate(prog, *(np.concatenate(c) for c in zip(asserted, tbox, strict=True)))
    literal, builtin = table.kinds()
    node = table.codec.node
    errors = [
        f"Disjoint classes {node(table.terms[a])} and {node(table.terms[b])} have a common "
        f"individual {node(table.terms[x])}"
        for x, a, b in disjoint
    ]
    errors += _lexical_errors(table, data[2], literal)
    if errors:
        raise inconsistent(sorted(errors))
    stated = _group(*asserted)
    for p, keys in facts.rel.items():
        old = stated.get(p)
        if old is not None and old.size:
            idx = np.minimum(np.searchsorted(old, keys), old.size - 1)
            keys = keys[old[idx] != keys]
        s, o = split(keys)
        predicate = node(table.terms[p])
        if s.size and isinstance(predicate, URIRef):
            keep = ~noise_mask(predicate, s, o, literal, builtin, table.lookup)
            if keep.any():
                yield p, s[keep], o[keep]


def infer_fast(
    asserted: Iterable[Triple], ontology: Graph, cache_dir: Path | None = None
) -> set[Triple]:
    """The same triples as ``infer_owlrl``, from the compiled rules."""
    triples = list(asserted)
    table: TermTable[Node] = TermTable(RdflibCodec())
    data = table.encode_triples(triples)
    schema = [t for t in triples if is_schema(t)]
    terms = table.terms
    return {
        (terms[a], terms[p], terms[b])
        for p, s, o in _fast(table, data, schema, ontology, cache_dir)
        for a, b in zip(s.tolist(), o.tolist(), strict=True)
    }


def _schema_rows(
    table: TermTable[str], s: np.ndarray, p: np.ndarray, o: np.ndarray
) -> list[Triple]:
    """The schema triples (``is_schema``) of encoded N-Triples data, as rdflib triples."""
    node = table.codec.node
    rdf_type = table.lookup(str(RDF.type))
    preds = [q for q in unique(p).tolist() if q != rdf_type]
    bad = [q for q in preds if schema_predicate(node(table.terms[q]))]
    mask = np.isin(p, np.array(bad, dtype=np.int64))
    if rdf_type is not None:
        typed = p == rdf_type
        classes = unique(o[typed]).tolist()
        bad = [c for c in classes if schema_class(node(table.terms[c]))]
        mask |= typed & np.isin(o, np.array(bad, dtype=np.int64))
    rows = np.flatnonzero(mask).tolist()
    t = table.terms
    return [(node(t[s[i]]), node(t[p[i]]), node(t[o[i]])) for i in rows]


@dataclass(frozen=True)
class NTriplesInference:
    """Inferred triples as N-Triples: lines without blank nodes, and the others as terms
    (pyoxigraph's loader would rename their blank nodes)."""

    lines: list[str]
    blank: list[tuple[str, str, str]]

    def __len__(self) -> int:
        return len(self.lines) + len(self.blank)

    def triples(self) -> Iterator[tuple[str, str, str]]:
        for line in self.lines:
            s, p, o = line[:-3].split(" ", 2)
            yield s, p, o
        yield from self.blank


def infer_ntriples(text: str, ontology: Graph, cache_dir: Path | None = None) -> NTriplesInference:
    """The fast path on N-Triples text (a store's dump), without rdflib terms."""
    with no_gc():
        return _infer_ntriples(text, ontology, cache_dir)


def _infer_ntriples(text: str, ontology: Graph, cache_dir: Path | None) -> NTriplesInference:
    table: TermTable[str] = TermTable(NTriplesCodec())
    data = encode_ntriples(table, text)
    schema = _schema_rows(table, *data)
    groups = list(_fast(table, data, schema, ontology, cache_dir))
    terms = table.terms
    column = np.array(terms, dtype=object)
    blank = np.fromiter(map(methodcaller("startswith", "_:"), terms), bool, len(terms))
    lines: list[str] = []
    blanks: list[tuple[str, str, str]] = []
    for p, s, o in groups:
        pred = terms[p]
        has_blank = blank[s] | blank[o]
        if has_blank.any():
            blanks += [
                (a, pred, b)
                for a, b in zip(
                    column[s[has_blank]].tolist(), column[o[has_blank]].tolist(), strict=True
                )
            ]
            s, o = s[~has_blank], o[~has_blank]
        lines += [
            f"{a} {pred} {b} .\n"
            for a, b in zip(column[s].tolist(), column[o].tolist(), strict=True)
        ]
    return NTriplesInference(lines, blanks)


def infer(
    asserted: Iterable[Triple],
    ontology: Graph,
    method: str = "auto",
    threshold: int = DEFAULT_THRESHOLD,
    cache_dir: Path | None = None,
) -> set[Triple]:
    """Inferred triples (minus asserted, minus noise); ``auto`` picks by size."""
    triples = list(asserted)
    if choose_method(method, len(triples), threshold) == "owlrl":
        return infer_owlrl(triples, ontology)
    return infer_fast(triples, ontology, cache_dir)


# --- the store -----------------------------------------------------------------------------------
def _read(store: Store, graphs: list[URIRef]) -> str:
    """The asserted graphs as N-Triples (one dump per graph: the store indexes by graph)."""
    dumps = (
        store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(g)))
        for g in graphs
    )
    return "".join(d.decode() for d in dumps if d)


def _write(store: Store, graph: URIRef, inferred: NTriplesInference) -> None:
    """Replaces ``graph`` by the inferred triples (their terms come from the store or the
    ontology, already valid: no need to validate them again)."""
    name = ox.NamedNode(str(graph))
    if store.ox.contains_named_graph(name):
        store.ox.remove_graph(name)
    if inferred.lines:  # bulk_load: ~9x faster than load on an on-disk store
        data = "".join(inferred.lines).encode()
        store.ox.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name, lenient=True)
    if inferred.blank:
        codec = NTriplesCodec()
        store.ox.extend(
            ox.Quad(codec.ox(s), codec.ox(p), codec.ox(o), name) for s, p, o in inferred.blank
        )


def reason_store(
    store: Store,
    asserted_graphs: list[URIRef],
    ontology: Graph,
    inferred_graph: URIRef,
    method: str = "auto",
    threshold: int = DEFAULT_THRESHOLD,
    cache_dir: Path | None = None,
) -> ReasoningReport:
    """Reasons over the asserted graphs of ``store`` and replaces ``inferred_graph``.

    ``cache_dir`` (e.g. ``{data_dir}/cache``) keeps the schema closure between runs.
    """
    start = time.perf_counter()
    graphs = [g for g in dict.fromkeys(asserted_graphs) if g != inferred_graph]
    text = _read(store, graphs)
    size = text.count("\n")
    used = choose_method(method, size, threshold)
    if used == "fast":
        inferred = infer_ntriples(text, ontology, cache_dir)
    else:
        triples = [
            (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
        ]
        key = NTriplesCodec().key
        rows = [(key(s), key(p), key(o)) for s, p, o in infer_owlrl(triples, ontology)]
        inferred = NTriplesInference(
            [f"{s} {p} {o} .\n" for s, p, o in rows if not _has_blank(s, p, o)],
            [(s, p, o) for s, p, o in rows if _has_blank(s, p, o)],
        )
    _write(store, inferred_graph, inferred)
    return ReasoningReport(used, size, len(inferred), time.perf_counter() - start)


def _has_blank(*keys: str) -> bool:
    return any(k.startswith("_:") for k in keys)
