"""Descriptions the server publishes about itself: the SPARQL 1.1 Service Description (at the
endpoint URL) and, when the graph lives in an external backend, a VoID description made from
its graph counts (with the local store, graph.void describes the dataset in full).
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from .config import Settings
from .store import Triple
from .vocab import SD, VOID

FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "N-Quads",
    "TriG",
)


def dataset_iri(settings: Settings) -> URIRef:
    return URIRef(f"{settings.base_iri}dataset")


def _graph_descriptions(
    dataset: URIRef, counts: dict[str, int], settings: Settings
) -> list[Triple]:
    out: list[Triple] = []
    default = BNode("defaultGraph")
    union = settings.default_graph == "all"
    inferred = f"{settings.base_iri}graph/inferred"
    out += [
        (dataset, SD.defaultGraph, default),
        (default, RDF.type, SD.Graph),
        (
            default,
            VOID.triples,
            Literal(sum(n for g, n in counts.items() if union or g != inferred)),
        ),
        (
            default,
            RDFS.comment,
            Literal(
                "the union of all named graphs"
                if union
                else "the union of all named graphs but the inferred one"
            ),
        ),
    ]
    for i, (name, n) in enumerate(sorted(counts.items())):
        node, graph = BNode(f"named{i}"), BNode(f"graph{i}")
        out += [
            (dataset, SD.namedGraph, node),
            (node, RDF.type, SD.NamedGraph),
            (node, SD.name, URIRef(name)),
            (node, SD.graph, graph),
            (graph, RDF.type, SD.Graph),
            (graph, VOID.triples, Literal(n)),
        ]
    return out


def service_description(
    endpoint: str, settings: Settings, counts: dict[str, int], updates: bool
) -> list[Triple]:
    service = BNode("service")
    dataset = dataset_iri(settings)
    out: list[Triple] = [
        (service, RDF.type, SD.Service),
        (service, SD.endpoint, URIRef(endpoint)),
        (service, SD.supportedLanguage, SD.SPARQL11Query),
        (service, SD.defaultDataset, dataset),
        (dataset, RDF.type, SD.Dataset),
        (
            service,
            RDFS.comment,
            Literal(
                f"partnerkg SPARQL endpoint: queries stop after {settings.query_timeout:g} s "
                f"and return at most {settings.max_rows} rows; SERVICE is not supported."
            ),
        ),
    ]
    if updates:
        out.append((service, SD.supportedLanguage, SD.SPARQL11Update))
    if settings.default_graph == "all":
        out.append((service, SD.feature, SD.UnionDefaultGraph))
    out += [(service, SD.resultFormat, URIRef(FORMATS + f)) for f in RESULT_FORMATS]
    return out + _graph_descriptions(dataset, counts, settings)


def describe_counts(counts: dict[str, int], settings: Settings) -> list[Triple]:
    """A VoID description of a dataset known only by its graph counts (an external backend)."""
    ds = dataset_iri(settings)
    out: list[Triple] = [
        (ds, RDF.type, VOID.Dataset),
        (ds, DCTERMS.title, Literal("partnerkg", lang="en")),
        (ds, VOID.triples, Literal(sum(counts.values()))),
        (ds, VOID.uriSpace, Literal(f"{settings.base_iri}id/")),
    ]
    for name, n in sorted(counts.items()):
        out += [
            (ds, VOID.subset, URIRef(name)),
            (URIRef(name), RDF.type, VOID.Dataset),
            (URIRef(name), VOID.triples, Literal(n)),
        ]
    return out
