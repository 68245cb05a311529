"""The dataset description (VoID + DCAT): written beside full exports, served at
/.well-known/void by the server.

It describes the store as it is: one ``void:subset`` per named graph (the graph's IRI) with
its triple count, the source articles (their URLs), the vocabularies the data uses. The
dataset's ``void:triples`` is the number of statements of all graphs together.

``dcterms:created`` is the build date, so that describing the same build twice gives the same
bytes: ``SOURCE_DATE_EPOCH`` if set (the reproducible-builds convention), else the date in the
name of the store's build folder, else today.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.term import Node

from .config import Settings
from .iris import Iris
from .rdfio import EXPORT_PREFIXES, bind_prefixes
from .store import Store, from_ox
from .vocab import DCAT, ONTOLOGY_IRI, PK, VOID

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
FRENCH = URIRef("http://id.loc.gov/vocabulary/iso639-1/fr")
TITLES = {
    "en": "partnerkg: IT vendors' sales and partner organisations, from the trade press",
    "fr": "partnerkg : organisations commerciales et partenaires des éditeurs informatiques, "
    "d'après la presse professionnelle",
}
DESCRIPTION = (
    "A knowledge graph of IT vendors' sales and partner organisations (units, heads, "
    "reporting lines, partner programmes and tiers, reorganisations) extracted from French "
    "trade-press articles. Every fact links to the article and sentence that state it."
)
_BUILD_ID = re.compile(r"^(\d{4})(\d{2})(\d{2})T\d{6}")


def dataset_iri(settings: Settings) -> URIRef:
    return URIRef(f"{settings.base_iri}dataset")


def creation_date(store: Store) -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    match = _BUILD_ID.match(store.path.name) if store.path is not None else None
    if match:
        return dt.date(*(int(x) for x in match.groups()))
    return dt.date.today()


def _namespace(iri: str) -> str:
    known = [ns for ns in EXPORT_PREFIXES.values() if iri.startswith(ns)]
    if known:
        return max(known, key=len)
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def vocabularies(store: Store) -> list[URIRef]:
    """Namespaces of the properties and classes the dataset uses."""
    used = store.query(
        "SELECT DISTINCT ?t WHERE { GRAPH ?g { { ?s ?t ?o } UNION { ?s a ?t } } FILTER isIRI(?t) }",
        use_default_graph_as_union=False,
    )
    return sorted({URIRef(_namespace(row["t"].value)) for row in used})


def article_sources(store: Store, graph: URIRef | None = None) -> list[Node]:
    """The URLs (dcterms:source) of the pk:Article nodes, of one graph or of all."""
    where = f"GRAPH <{graph}>" if graph is not None else "GRAPH ?g"
    query = (
        f"SELECT DISTINCT ?url WHERE {{ {where} "
        f"{{ ?a a <{PK.Article}> ; <{DCTERMS.source}> ?url }} }}"
    )
    rows = store.query(query, use_default_graph_as_union=False)
    return sorted({from_ox(row["url"]) for row in rows}, key=str)


def dataset_description(store: Store, settings: Settings) -> Graph:
    """VoID + DCAT description of the store's dataset."""
    iris = Iris(settings.base_iri)
    ds = dataset_iri(settings)
    g = bind_prefixes(Graph(bind_namespaces="none"))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    for lang, title in TITLES.items():
        g.add((ds, DCTERMS.title, Literal(title, lang=lang)))
    g.add((ds, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, DCTERMS.language, FRENCH))
    g.add((ds, DCTERMS.conformsTo, ONTOLOGY_IRI))
    g.add((ds, DCTERMS.created, Literal(creation_date(store).isoformat(), datatype=XSD.date)))
    g.add((ds, VOID.uriSpace, Literal(f"{settings.base_iri}id/")))
    for url in article_sources(store):
        g.add((ds, DCTERMS.source, url))
    for vocabulary in vocabularies(store):
        g.add((ds, VOID.vocabulary, vocabulary))
    counts = store.counts()
    g.add((ds, VOID.triples, Literal(sum(counts.values()))))
    for name, n in sorted(counts.items()):
        g.add((ds, VOID.subset, name))
        g.add((name, RDF.type, VOID.Dataset))
        g.add((name, VOID.triples, Literal(n)))
        g.add((name, DCTERMS.title, Literal(_graph_title(iris, str(name)), lang="en")))
        if iris.is_article_graph(str(name)):
            for url in article_sources(store, name):
                g.add((name, DCTERMS.source, url))
    return g


def _graph_title(iris: Iris, name: str) -> str:
    if iris.is_article_graph(name):
        return f"article {name.rsplit('/', 1)[-1]}: its metadata, records, events and evidence"
    titles = {
        "ontology": "the partnerkg ontology",
        "entities": "canonical entities: types and labels",
        "curation": "the curation overlay and its provenance",
        "inferred": "what OWL 2 RL reasoning adds",
    }
    local = name[len(iris.graph("")) :]
    return titles.get(local, f"graph {local}")
