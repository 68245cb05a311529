"""The noise filter: what an OWL 2 RL closure adds that carries no information.

Both reasoning paths (owlrl and the compiled rules) drop exactly these triples from the
inferred graph; ``is_noise`` tests one rdflib triple, ``noise_mask`` the same conditions over
dictionary-encoded triples. docs/reasoning.md lists them for users.

A triple (s, p, o) is noise when

1. s is a literal (owlrl's ``"50"^^xsd:integer rdf:type xsd:integer``...);
2. s is a term of the RDF, RDFS, OWL or XSD vocabularies: owlrl's statements about the
   built-ins (``owl:Thing a owl:Class``, ``rdfs:label a owl:AnnotationProperty``,
   ``xsd:decimal a rdfs:Datatype``, ``owl:Nothing rdfs:subClassOf C``, the disjointness of
   the datatypes the data uses...);
3. p is rdf:type and o is owl:Thing or rdfs:Resource (everything is a thing);
4. p is owl:sameAs, rdfs:subClassOf, owl:equivalentClass, rdfs:subPropertyOf or
   owl:equivalentProperty and s = o (everything is the same as / a subclass of itself);
5. p is rdfs:subClassOf, rdfs:domain or rdfs:range and o is owl:Thing (every class is a
   subclass of owl:Thing, so every property has owl:Thing as domain and range).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
TRIVIAL_TYPES = frozenset({OWL.Thing, RDFS.Resource})
REFLEXIVE = frozenset(
    {OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty}
)
THING_OBJECT = frozenset({RDFS.subClassOf, RDFS.domain, RDFS.range})


def is_builtin(term: Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BUILTIN_NAMESPACES)


def is_noise(triple: tuple[Node, Node, Node]) -> bool:
    """True for a triple (s, p, o) the inferred graph leaves out: s is a literal; s is an
    RDF/RDFS/OWL/XSD term; p is rdf:type and o is owl:Thing or rdfs:Resource; p is
    owl:sameAs, rdfs:subClassOf, owl:equivalentClass, rdfs:subPropertyOf or
    owl:equivalentProperty and s = o; p is rdfs:subClassOf, rdfs:domain or rdfs:range and o
    is owl:Thing. (Examples in the module docstring.)"""
    s, p, o = triple
    if isinstance(s, Literal) or is_builtin(s):
        return True
    if p == RDF.type and o in TRIVIAL_TYPES:
        return True
    if p in REFLEXIVE and s == o:
        return True
    return p in THING_OBJECT and o == OWL.Thing


def noise_mask(
    predicate: URIRef,
    s: np.ndarray,
    o: np.ndarray,
    literal: np.ndarray,
    builtin: np.ndarray,
    id_of: Any,
) -> np.ndarray:
    """``is_noise`` over encoded triples of one predicate.

    ``literal`` / ``builtin`` are boolean arrays indexed by term id; ``id_of(iri)`` gives the
    id of an IRI, or None when it does not occur in the data.
    """
    mask = literal[s] | builtin[s]
    objects: list[URIRef] = []
    if predicate == RDF.type:
        objects = list(TRIVIAL_TYPES)
    elif predicate in THING_OBJECT:
        objects = [OWL.Thing]
    ids = [i for i in (id_of(x) for x in objects) if i is not None]
    if ids:
        mask |= np.isin(o, np.array(ids, dtype=o.dtype))
    if predicate in REFLEXIVE:
        mask |= s == o
    return mask
