"""Compile the ontology into the rules of the fast reasoner and of explanations.

The schema (TBox) closure is owlrl's own: owlrl runs on the ontology alone, once per ontology
content (kept in memory and, given a cache folder, on disk as ``tbox-{hash}.nt`` where the hash
is that of the ontology's canonical N-Triples). From the ontology and that closure this module
reads the OWL 2 RL rules that apply to instance data (ABox), over named classes and properties:

    cax-sco, cax-eqc   x a C, C ⊑ D                          → x a D
    prp-dom, prp-rng   x p y, p domain C (range C)            → x a C (y a C)
    prp-spo1, prp-eqp  x p y, p ⊑ q                           → x q y
    prp-inv            x p y, p inverseOf q (or q of p)       → y q x
    prp-symp           x p y, p symmetric                     → y p x
    prp-trp            x p y, y p z, p transitive             → x p z
    prp-spo2           x0 p1 x1 … x(n-1) pn xn, q ⊒ p1∘…∘pn   → x0 q xn
    cax-dw             x a C, x a D, C disjointWith D         → inconsistent

Every other OWL construct (restrictions, class expressions, functional or irreflexive
properties, keys, owl:sameAs between different nodes...) raises ReasoningError naming the
axiom: what is compiled is then exactly what owlrl applies, which makes both paths agree.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .errors import ReasoningError
from .noise import is_noise
from .vocab import PREFIXES

Triple = tuple[Node, Node, Node]
RULES_VERSION = "1"

# rdf:type objects that only declare a term, or that the compiler turns into rules
DECLARATIONS = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.OntologyProperty,
        RDF.Property,
        OWL.Ontology,
        OWL.NamedIndividual,
        RDFS.Datatype,
        OWL.Thing,
        OWL.DeprecatedClass,
        OWL.DeprecatedProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
    }
)
# OWL predicates the compiler supports (the others are axioms it cannot compile)
OWL_PREDICATES = frozenset(
    {
        OWL.inverseOf,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.propertyChainAxiom,
        OWL.disjointWith,
        OWL.sameAs,
        OWL.versionIRI,
        OWL.versionInfo,
        OWL.imports,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.deprecated,
    }
)
SCHEMA_PREDICATES = frozenset(
    {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, RDF.first, RDF.rest}
)
SCHEMA_TYPES = frozenset({RDFS.Class, RDFS.Datatype, RDF.Property})


def curie(term: Node) -> str:
    """A short, readable form of a term: pk:Vendor, <https://...>, "text"."""
    if isinstance(term, URIRef):
        for prefix, ns in PREFIXES.items():
            if str(term).startswith(ns) and len(term) > len(ns):
                return f"{prefix}:{term[len(ns) :]}"
        return f"<{term}>"
    if isinstance(term, BNode):
        return "[]"
    return repr(str(term)) if isinstance(term, Literal) else str(term)


def axiom_text(triple: Triple) -> str:
    return " ".join(curie(t) for t in triple)


def schema_predicate(p: Node) -> bool:
    """Triples with this predicate belong to the schema (rdfs:subClassOf, owl:...)."""
    return p in SCHEMA_PREDICATES or (isinstance(p, URIRef) and p.startswith(str(OWL)))


def schema_class(o: Node) -> bool:
    """``x rdf:type o`` belongs to the schema (owl:Class, owl:TransitiveProperty...)."""
    if o in (OWL.NamedIndividual, OWL.Thing):
        return False
    return o in SCHEMA_TYPES or (isinstance(o, URIRef) and o.startswith(str(OWL)))


def is_schema(triple: Triple) -> bool:
    """A triple that belongs to the schema (compiled with the ontology), not to the ABox."""
    _, p, o = triple
    return schema_class(o) if p == RDF.type else schema_predicate(p)


def _rule_sensitive(term: Node) -> bool:
    """Built-in predicates whose triples owlrl reads as schema: no ABox rule may produce them."""
    return term == RDF.type or term in SCHEMA_PREDICATES or str(term).startswith(str(OWL))


# --- owlrl ---------------------------------------------------------------------------------------
def owlrl_added(graph: Graph) -> set[Triple]:
    """The triples owlrl's OWL 2 RL closure adds to ``graph`` (a copy is expanded).

    Raises ReasoningError when owlrl finds the graph inconsistent.
    """
    work = Graph()
    for t in graph:
        work.add(t)
    before = set(work)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    messages = [
        str(m)
        for b in work.subjects(RDF.type, ERRNS.ErrorMessage)
        for m in work.objects(b, ERRNS.error)
    ]
    if messages:
        raise inconsistent(sorted(messages))
    return {t for t in work if t not in before}


def inconsistent(messages: list[str]) -> ReasoningError:
    more = f" (and {len(messages) - 3} more)" if len(messages) > 3 else ""
    return ReasoningError(
        "the data is inconsistent with the ontology: "
        + "; ".join(messages[:3])
        + more
        + ". Correct the extraction or retract the facts in curation.yaml"
    )


# --- the compiled rules --------------------------------------------------------------------------
@dataclass(frozen=True)
class Axioms:
    """ABox rules by kind, over IRIs (strings). ``inverse`` is symmetric."""

    subclass: Mapping[str, frozenset[str]]  # C -> D with C ⊑ D, D != C
    subproperty: Mapping[str, frozenset[str]]  # p -> q with p ⊑ q, q != p
    domain: Mapping[str, frozenset[str]]
    range: Mapping[str, frozenset[str]]
    inverse: Mapping[str, frozenset[str]]
    symmetric: frozenset[str]
    transitive: frozenset[str]
    chains: Mapping[str, tuple[tuple[str, ...], ...]]  # q -> chains p1..pn with q ⊒ p1∘…∘pn
    disjoint: frozenset[tuple[str, str]]  # both orders


@dataclass(frozen=True)
class RuleSet:
    fingerprint: str
    derived_tbox: frozenset[Triple]  # what owlrl adds to the schema alone, without noise
    closed: Axioms  # from the schema closure: what the fast reasoner runs
    stated: Axioms  # as written in the ontology: one step each, for explanations


def _freeze(d: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in d.items() if v}


_USE_OWLRL = "(use --reasoner owlrl)"


def _unnamed(triple: Triple, *terms: Node) -> str | None:
    if all(isinstance(t, URIRef) for t in terms):
        return None
    return (
        f"{axiom_text(triple)}: the fast reasoner compiles axioms between named classes and "
        "properties only"
    )


def _problem(graph: Graph, triple: Triple) -> str | None:
    """Why the fast reasoner cannot compile this schema triple, or None."""
    s, p, o = triple
    if p == RDF.type and isinstance(o, URIRef) and o.startswith(str(OWL)):
        if o not in DECLARATIONS:
            return f"{axiom_text(triple)}: {curie(o)} is not compiled"
        if o in (OWL.TransitiveProperty, OWL.SymmetricProperty):
            return _unnamed(triple, s)
    elif isinstance(p, URIRef) and p.startswith(str(OWL)) and p not in OWL_PREDICATES:
        return f"{axiom_text(triple)}: {curie(p)} is not compiled"
    elif p == OWL.sameAs and s != o:
        return (
            f"{axiom_text(triple)}: owl:sameAs is not handled (merge the entities in "
            "curation.yaml instead)"
        )
    elif p in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf) or (
        p in (OWL.equivalentClass, OWL.equivalentProperty, OWL.disjointWith)
    ):
        return _unnamed(triple, s, o)
    elif p == OWL.propertyChainAxiom:
        items = list(Collection(graph, o)) if isinstance(o, BNode) else []
        if not items:
            return f"{axiom_text(triple)}: the chain is not an RDF list"
        return _unnamed(triple, s, *items)
    return None


def check_supported(graph: Graph) -> None:
    """Raises ReasoningError naming every axiom of ``graph`` the compiler does not support."""
    problems = sorted({m for t in graph if (m := _problem(graph, t)) is not None})
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ReasoningError(
            "unsupported axioms for the fast reasoner: "
            + "; ".join(problems[:5])
            + more
            + " "
            + _USE_OWLRL
        )


def _axioms(schema: Graph) -> Axioms:
    sub: dict[str, set[str]] = defaultdict(set)
    subp: dict[str, set[str]] = defaultdict(set)
    dom: dict[str, set[str]] = defaultdict(set)
    rng: dict[str, set[str]] = defaultdict(set)
    inv: dict[str, set[str]] = defaultdict(set)
    chains: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    disjoint: set[tuple[str, str]] = set()
    sym: set[str] = set()
    trans: set[str] = set()
    for s, p, o in schema:
        a, b = str(s), str(o)
        if p == RDFS.subClassOf and s != o:
            sub[a].add(b)
        elif p == OWL.equivalentClass and s != o:
            sub[a].add(b)
            sub[b].add(a)
        elif p == RDFS.subPropertyOf and s != o:
            subp[a].add(b)
        elif p == OWL.equivalentProperty and s != o:
            subp[a].add(b)
            subp[b].add(a)
        elif p == RDFS.domain:
            dom[a].add(b)
        elif p == RDFS.range:
            rng[a].add(b)
        elif p == OWL.inverseOf:
            inv[a].add(b)
            inv[b].add(a)
        elif p == OWL.disjointWith:
            disjoint |= {(a, b), (b, a)}
        elif p == RDF.type and o == OWL.SymmetricProperty:
            sym.add(a)
        elif p == RDF.type and o == OWL.TransitiveProperty:
            trans.add(a)
        elif p == OWL.propertyChainAxiom:
            chains[a].append(tuple(str(x) for x in Collection(schema, o)))
    return Axioms(
        subclass=_freeze(sub),
        subproperty=_freeze(subp),
        domain=_freeze(dom),
        range=_freeze(rng),
        inverse=_freeze(inv),
        symmetric=frozenset(sym),
        transitive=frozenset(trans),
        chains={k: tuple(sorted(set(v))) for k, v in chains.items()},
        disjoint=frozenset(disjoint),
    )


def stated_axioms(ontology: Graph) -> Axioms:
    """The axioms as written (no closure, no checks): one step each, for explanations."""
    return _axioms(ontology)


def _check_meta(ax: Axioms) -> None:
    """No ABox rule may produce schema triples: the schema closure would change with the data."""
    props: set[str] = set(ax.symmetric) | set(ax.transitive)
    for m in (ax.subproperty, ax.inverse, ax.domain, ax.range):
        props |= set(m)
    for m in (ax.subproperty, ax.inverse):
        props |= {q for qs in m.values() for q in qs}
    for head, bodies in ax.chains.items():
        props |= {head, *(p for body in bodies for p in body)}
    for p in sorted(props):
        if _rule_sensitive(URIRef(p)):
            raise ReasoningError(
                f"unsupported axiom on {curie(URIRef(p))}: the fast reasoner does not compile "
                f"axioms about built-in RDF/RDFS/OWL properties {_USE_OWLRL}"
            )
    targets = {c for m in (ax.subclass, ax.domain, ax.range) for cs in m.values() for c in cs}
    for c in sorted(targets):
        term = URIRef(c)
        if term != OWL.Thing and (term in SCHEMA_TYPES or c.startswith(str(OWL))):
            raise ReasoningError(
                f"unsupported axiom with {curie(term)} as a superclass, domain or range: "
                f"the fast reasoner does not compile it {_USE_OWLRL}"
            )


# --- compiling, with a cache ---------------------------------------------------------------------
_MEMO: dict[str, RuleSet] = {}
_LOCK = threading.Lock()


def fingerprint(schema: Graph) -> str:
    """Hash of the schema's canonical N-Triples (blank nodes canonicalised)."""
    canon = to_canonical_graph(schema)
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in canon)
    h = hashlib.sha256(f"{RULES_VERSION} owlrl {owlrl.__version__}\n".encode())
    h.update("\n".join(lines).encode())
    return h.hexdigest()


def _cache_file(cache_dir: Path | None, key: str) -> Path | None:
    return cache_dir / f"tbox-{key[:32]}.nt" if cache_dir is not None else None


def _write_cache(path: Path, triples: frozenset[Triple]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = Graph()
    for t in triples:
        out.add(t)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    out.serialize(tmp, format="nt", encoding="utf-8")
    tmp.replace(path)  # atomic: concurrent builds never read half a file


def _derived_tbox(schema: Graph, path: Path | None) -> frozenset[Triple]:
    """What owlrl adds to the schema alone, without noise (from the cache file if present)."""
    if path is not None and path.exists():
        return frozenset(Graph().parse(path, format="nt"))
    added = frozenset(t for t in owlrl_added(schema) if not is_noise(t))
    for t in added:
        if any(isinstance(x, BNode) for x in t):
            raise ReasoningError(
                f"unsupported axiom: the schema closure derives {axiom_text(t)} about an "
                f"anonymous class or property {_USE_OWLRL}"
            )
    if path is not None:
        _write_cache(path, added)
    return added


def compile_rules(
    ontology: Graph, schema: Iterable[Triple] = (), cache_dir: Path | None = None
) -> RuleSet:
    """The rules of ``ontology`` plus the schema triples found in the data (``is_schema``)."""
    graph = Graph()
    for t in ontology:
        graph.add(t)
    for t in schema:
        graph.add(t)
    key = fingerprint(graph)
    path = _cache_file(cache_dir, key)
    with _LOCK:
        known = _MEMO.get(key)
    if known is not None:
        if path is not None and not path.exists():
            _write_cache(path, known.derived_tbox)
        return known
    check_supported(graph)
    stated = _axioms(graph)
    derived = _derived_tbox(graph, path)
    closure = Graph()
    for t in graph:
        closure.add(t)
    for t in derived:
        closure.add(t)
    closed = _axioms(closure)
    _check_meta(closed)
    rules = RuleSet(fingerprint=key, derived_tbox=derived, closed=closed, stated=stated)
    with _LOCK:
        _MEMO[key] = rules
    return rules
