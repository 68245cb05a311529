"""OWL 2 DL compatibility of instance data, for HermiT and the Protégé bundle.

Instance data uses two things outside OWL 2 DL (ontology/README.md, "OWL 2 profiles"):
literals typed with XSD datatypes that are not in the OWL 2 datatype map (xsd:date,
xsd:gYearMonth, xsd:gYear...), and the reification statements of evidence nodes
(rdf:subject / rdf:predicate / rdf:object, rdf:Statement). ``dl_compatible`` returns a copy
of a graph where such literals are typed xsd:string (same lexical form) and those
statements are left out.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD

# XSD datatypes that the OWL 2 datatype map does not include
NON_DL_DATATYPES = frozenset(
    {
        XSD.date,
        XSD.time,
        XSD.gYear,
        XSD.gYearMonth,
        XSD.gMonth,
        XSD.gMonthDay,
        XSD.gDay,
        XSD.duration,
        XSD.yearMonthDuration,
        XSD.dayTimeDuration,
    }
)
REIFICATION = frozenset({RDF.subject, RDF.predicate, RDF.object})


def dl_compatible(graph: Graph) -> Graph:
    """A copy of ``graph`` that OWL 2 DL tools accept (see the module docstring)."""
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True)
    for s, p, o in graph:
        if p in REIFICATION or (p == RDF.type and o == RDF.Statement):
            continue
        if isinstance(o, Literal) and o.datatype in NON_DL_DATATYPES:
            o = Literal(str(o), datatype=XSD.string)
        out.add((s, p, o))
    return out
