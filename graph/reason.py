"""Reasoning: the OWL 2 RL closure of ontology + asserted data, as a separate set of triples.

The asserted graphs are never modified: ``infer`` returns only what reasoning adds, minus the
noise no researcher wants to see (see NOISE below and docs).
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from .store import Triple

# What the closure adds that carries no information, and is dropped:
#   - x owl:sameAs x (every node is the same as itself)
#   - x rdf:type owl:Thing / rdfs:Resource (everything is a thing)
#   - triples whose subject is a literal, and "literal rdf:type datatype"
#   - C rdfs:subClassOf C, C owl:equivalentClass C, C rdfs:subClassOf owl:Thing,
#     owl:Nothing rdfs:subClassOf C; P rdfs:subPropertyOf P, P owl:equivalentProperty P
#   - rdf:type declarations of OWL/RDF(S) built-in vocabulary terms
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}
_REFLEXIVE = {
    OWL.sameAs,
    RDFS.subClassOf,
    OWL.equivalentClass,
    RDFS.subPropertyOf,
    OWL.equivalentProperty,
}
_BUILTIN = (str(OWL), str(RDF), str(RDFS), "http://www.w3.org/2001/XMLSchema#")


def is_noise(triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal):
        return True
    if p == RDF.type and (o in _TRIVIAL_TYPES or str(s).startswith(_BUILTIN)):
        return True
    if p in _REFLEXIVE and s == o:
        return True
    return p == RDFS.subClassOf and (o == OWL.Thing or s == OWL.Nothing)


def infer_owlrl(asserted: Iterable[Triple], ontology: Graph) -> set[Triple]:
    """owlrl's OWL 2 RL closure; returns the added triples without noise."""
    graph = Graph()
    for t in ontology:
        graph.add(t)
    for t in asserted:
        graph.add(t)
    before = set(graph)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return {t for t in graph if t not in before and not is_noise(t)}


def infer(asserted: Iterable[Triple], ontology: Graph, method: str = "owlrl") -> set[Triple]:
    if method != "owlrl":
        raise ValueError(f"unknown reasoning method {method!r}")
    return infer_owlrl(asserted, ontology)
