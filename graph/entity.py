"""What an entity's page shows, read with SPARQL (so it works on the local store and on an
external backend alike).

``describe(select, iri, inferred_graph)`` gathers the entity's statements in both directions,
each value marked as inferred when only ``inferred_graph`` holds it; the records linked to it
(nodes ``prov:wasDerivedFrom`` an evidence: headships, memberships, reporting lines...) with
their dates; the evidence sentences of its records and of the plain triples about it
(evidence nodes with ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``); and the labels of
everything shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from .vocab import ORG, PK

Row = dict[str, Node]
Select = Callable[[str], list[Row]]

PREFIXES = """PREFIX pk: <https://w3id.org/partnerkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX time: <http://www.w3.org/2006/time#>
"""
EVIDENCE_COLUMNS = "?sentence ?rule ?article ?title ?url ?issued"
EVIDENCE_PATTERN = """OPTIONAL { ?ev pk:sentenceText ?sentence }
  OPTIONAL { ?ev pk:extractionRule ?rule }
  OPTIONAL { ?ev prov:wasQuotedFrom ?article
    OPTIONAL { ?article rdfs:label ?title } OPTIONAL { ?article dcterms:source ?url }
    OPTIONAL { ?article dcterms:issued ?issued } }"""
DATE_VALUE = "(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear|time:inXSDDateTimeStamp)"
LIMIT = 2000  # statements read in each direction
MAX_RECORDS = 100
CHART_TYPES = {
    str(PK.Vendor),
    str(ORG.OrganizationalUnit),
    str(ORG.FormalOrganization),
    str(PK.Division),
    str(PK.Department),
    str(PK.Pole),
    str(PK.Team),
    str(PK.Subsidiary),
}


@dataclass
class Evidence:
    node: Node
    sentence: str | None = None
    rule: str | None = None
    article: Node | None = None
    title: str | None = None
    url: str | None = None
    issued: str | None = None


@dataclass
class Value:
    term: Node
    inferred: bool
    graphs: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Statement:
    predicate: URIRef
    values: list[Value]


@dataclass
class Record:
    iri: URIRef
    types: list[Node] = field(default_factory=list)
    properties: list[tuple[URIRef, list[Node]]] = field(default_factory=list)
    begin: str | None = None
    end: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EntityView:
    iri: URIRef
    types: list[Node]
    outgoing: list[Statement]
    incoming: list[Statement]
    records: list[Record]
    evidence: list[Evidence]  # the entity's own, when it is a record
    labels: dict[str, str]
    truncated: bool = False

    def label(self, term: Node) -> str:
        if isinstance(term, URIRef):
            return self.labels.get(str(term), "")
        return ""

    @property
    def title(self) -> str:
        return self.label(self.iri) or str(self.iri).rstrip("/").rsplit("/", 1)[-1]

    @property
    def chartable(self) -> bool:
        return any(str(t) in CHART_TYPES for t in self.types)

    @property
    def alt_labels(self) -> list[str]:
        alt = str(URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
        return [str(v.term) for s in self.outgoing if str(s.predicate) == alt for v in s.values]


def _values(terms: Iterable[Node | str]) -> str:
    return " ".join(f"<{t}>" for t in terms)


def _evidence(row: Row) -> Evidence:
    text = {k: str(v) for k, v in row.items()}
    return Evidence(
        row["ev"],
        text.get("sentence"),
        text.get("rule"),
        row.get("article"),
        text.get("title"),
        text.get("url"),
        text.get("issued"),
    )


def _statements(
    rows: list[Row], key: str, inferred_graph: str
) -> tuple[list[Statement], dict[tuple[str, str], Value]]:
    values: dict[tuple[str, str], Value] = {}
    order: dict[str, list[Value]] = {}
    for row in rows:
        p, term, graph = row["p"], row[key], str(row.get("g", ""))
        k = (str(p), term.n3())
        if k not in values:
            values[k] = Value(term, True)
            order.setdefault(str(p), []).append(values[k])
        v = values[k]
        if graph and graph not in v.graphs:
            v.graphs.append(graph)
        if graph != inferred_graph:
            v.inferred = False
    statements = [
        Statement(URIRef(p), sorted(vs, key=lambda v: (v.inferred, str(v.term))))
        for p, vs in sorted(order.items(), key=lambda kv: (kv[0] != str(RDF.type), kv[0]))
    ]
    return statements, values


def _preferred_labels(rows: list[Row]) -> dict[str, str]:
    rank = {"": 0, "fr": 1, "en": 2}
    best: dict[str, tuple[int, str]] = {}
    for row in rows:
        label = row["l"]
        lang = label.language or "" if isinstance(label, Literal) else ""
        r = rank.get(lang, 3)
        x = str(row["x"])
        if x not in best or (r, str(label)) < best[x]:
            best[x] = (r, str(label))
    return {x: label for x, (_, label) in best.items()}


def labels_of(select: Select, iris: Iterable[str]) -> dict[str, str]:
    iris = sorted(set(iris))
    labels: dict[str, str] = {}
    for start in range(0, len(iris), 300):
        chunk = iris[start : start + 300]
        labels.update(
            _preferred_labels(
                select(
                    PREFIXES + f"SELECT DISTINCT ?x ?l WHERE {{ VALUES ?x {{ {_values(chunk)} }} "
                    "{ ?x rdfs:label ?l } UNION { ?x skos:prefLabel ?l } }"
                )
            )
        )
    return labels


def exists(select: Select, iri: str) -> bool:
    rows = select(
        f"SELECT ?x WHERE {{ {{ <{iri}> ?p ?o BIND(1 AS ?x) }} UNION "
        f"{{ ?s ?p <{iri}> BIND(1 AS ?x) }} }} LIMIT 1"
    )
    return bool(rows)


def _records(select: Select, candidates: list[Node], inferred_graph: str) -> list[Record]:
    """The candidates that are records (asserted ``prov:wasDerivedFrom`` an evidence; not
    evidence nodes themselves), with their asserted properties, dates and evidence."""
    if not candidates:
        return []
    found: dict[str, Record] = {}
    for start in range(0, len(candidates), 200):
        chunk = _values(candidates[start : start + 200])
        rows = select(
            PREFIXES + f"SELECT DISTINCT ?rec ?p ?o WHERE {{ VALUES ?rec {{ {chunk} }} "
            "GRAPH ?g0 { ?rec prov:wasDerivedFrom ?anything } "
            "FILTER NOT EXISTS { ?rec a pk:Evidence } "
            f"GRAPH ?g {{ ?rec ?p ?o }} "
            f"FILTER(?g != <{inferred_graph}> && ?g0 != <{inferred_graph}>) }} "
            "ORDER BY ?rec ?p ?o"
        )
        for row in rows:
            rec = found.setdefault(str(row["rec"]), Record(URIRef(str(row["rec"]))))
            p, o = URIRef(str(row["p"])), row["o"]
            if p == RDF.type:
                rec.types.append(o)
            elif str(p) != "http://www.w3.org/ns/prov#wasDerivedFrom":
                for prop, objects in rec.properties:
                    if prop == p:
                        objects.append(o)
                        break
                else:
                    rec.properties.append((p, [o]))
    if not found:
        return []
    chunk = _values(list(found)[:MAX_RECORDS])
    for row in select(
        PREFIXES + f"SELECT DISTINCT ?rec ?which ?date WHERE {{ VALUES ?rec {{ {chunk} }} "
        "?rec org:memberDuring|pk:validDuring ?i . "
        f"{{ ?i time:hasBeginning/{DATE_VALUE} ?date BIND('begin' AS ?which) }} UNION "
        f"{{ ?i time:hasEnd/{DATE_VALUE} ?date BIND('end' AS ?which) }} }}"
    ):
        rec = found[str(row["rec"])]
        if str(row["which"]) == "begin":
            rec.begin = str(row["date"])
        else:
            rec.end = str(row["date"])
    for row in select(
        PREFIXES
        + f"SELECT DISTINCT ?rec ?ev {EVIDENCE_COLUMNS} WHERE {{ VALUES ?rec {{ {chunk} }} "
        f"?rec prov:wasDerivedFrom ?ev . {EVIDENCE_PATTERN} }}"
    ):
        rec = found[str(row["rec"])]
        if all(e.node != row["ev"] for e in rec.evidence):
            rec.evidence.append(_evidence(row))
    return list(found.values())[:MAX_RECORDS]


def _triple_evidence(select: Select, iri: str) -> dict[tuple[str, str, str], list[Evidence]]:
    """Evidence nodes stating plain triples with the entity as subject or object."""
    out: dict[tuple[str, str, str], list[Evidence]] = {}
    rows = select(
        PREFIXES + f"SELECT DISTINCT ?ev ?s ?p ?o {EVIDENCE_COLUMNS} WHERE {{ "
        f"{{ ?ev rdf:subject <{iri}> }} UNION {{ ?ev rdf:object <{iri}> }} "
        f"?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . {EVIDENCE_PATTERN} }} "
        "LIMIT 500"
    )
    for row in rows:
        key = (str(row["s"]), str(row["p"]), row["o"].n3())
        found = out.setdefault(key, [])
        if all(e.node != row["ev"] for e in found):
            found.append(_evidence(row))
    return out


def describe(select: Select, iri: str, inferred_graph: str) -> EntityView:
    out_rows = select(
        f"SELECT DISTINCT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} LIMIT {LIMIT + 1}"
    )
    in_rows = select(
        f"SELECT DISTINCT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} LIMIT {LIMIT + 1}"
    )
    truncated = len(out_rows) > LIMIT or len(in_rows) > LIMIT
    outgoing, out_values = _statements(out_rows[:LIMIT], "o", inferred_graph)
    incoming, in_values = _statements(in_rows[:LIMIT], "s", inferred_graph)
    for (s, p, o), found in _triple_evidence(select, iri).items():
        if s == iri and (p, o) in out_values:
            out_values[(p, o)].evidence += found
        elif (p, URIRef(s).n3()) in in_values:
            in_values[(p, URIRef(s).n3())].evidence += found
    neighbours = [
        v.term
        for v in [*out_values.values(), *in_values.values()]
        if isinstance(v.term, URIRef) and not v.inferred
    ]
    records = _records(select, list(dict.fromkeys([URIRef(iri), *neighbours])), inferred_graph)
    own = next((r for r in records if str(r.iri) == iri), None)
    records = [r for r in records if str(r.iri) != iri]
    types = [v.term for s in outgoing if s.predicate == RDF.type for v in s.values]
    shown: set[str] = {iri}
    for statement in [*outgoing, *incoming]:
        shown.add(str(statement.predicate))
        shown.update(str(v.term) for v in statement.values if isinstance(v.term, URIRef))
    for r in records:
        shown.update(str(t) for t in r.types)
        for p, objects in r.properties:
            shown.add(str(p))
            shown.update(str(o) for o in objects if isinstance(o, URIRef))
    labels = labels_of(select, shown)
    return EntityView(
        URIRef(iri),
        types,
        outgoing,
        incoming,
        records,
        own.evidence if own else [],
        labels,
        truncated,
    )
