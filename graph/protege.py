"""The Protégé bundle: a folder that opens offline in Protégé, individuals and ontology, for
browsing and for reasoning with HermiT.

    partnerkg-individuals.ttl   the asserted individuals, an ontology that owl:imports the
                                partnerkg ontology IRI
    partnerkg.ttl               the ontology (a copy of ontology/partnerkg.ttl)
    catalog-v001.xml            maps the ontology IRI (and version IRI) to partnerkg.ttl
    README.md                   how to open it, and what was converted or left out

Only asserted statements go in (HermiT derives the rest itself), made OWL 2 DL: non-DL
datatypes become xsd:string and reification statements are left out (``graph.owl_dl``), and
so are statements that would make the file leave OWL 2 DL: a property or a class the ontology
does not declare, a literal as value of an object property, an IRI or a literal of a datatype
outside the OWL 2 datatype map as value of a data property.
Every individual is declared an ``owl:NamedIndividual``.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from .config import Settings
from .iris import Iris
from .owl_dl import dl_compatible
from .rdfio import canonical_triples, write_turtle
from .resources import ontology_file
from .store import Store, Triple
from .vocab import ONTOLOGY_IRI

INDIVIDUALS_FILE = "partnerkg-individuals.ttl"
ONTOLOGY_FILE = "partnerkg.ttl"
CATALOG_FILE = "catalog-v001.xml"
README_FILE = "README.md"
# The OWL 2 datatype map (OWL 2 Structural Specification, section 4)
# fmt: off
OWL2_DATATYPES: frozenset[URIRef] = frozenset({
    RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational,
    *(XSD[name] for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString",
        "token", "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary",
        "base64Binary", "anyURI", "dateTime", "dateTimeStamp",
    )),
})
# fmt: on


@dataclass
class BundleReport:
    directory: Path
    graphs: list[URIRef] = field(default_factory=list)
    individuals: int = 0
    triples: int = 0
    converted: Counter[str] = field(default_factory=Counter)  # datatype -> literals
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> statements

    @property
    def files(self) -> list[Path]:
        names = (INDIVIDUALS_FILE, ONTOLOGY_FILE, CATALOG_FILE, README_FILE)
        return [self.directory / n for n in names]


@dataclass(frozen=True)
class Declarations:
    """The ontology's declared classes and properties, by kind."""

    classes: frozenset[Node]
    object_properties: frozenset[Node]
    data_properties: frozenset[Node]
    annotation_properties: frozenset[Node]

    @classmethod
    def of(cls, ontology: Graph) -> Declarations:
        def typed(kind: URIRef) -> frozenset[Node]:
            return frozenset(s for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef))

        return cls(
            typed(OWL.Class) | {OWL.Thing, OWL.NamedIndividual},
            typed(OWL.ObjectProperty),
            typed(OWL.DatatypeProperty),
            typed(OWL.AnnotationProperty) | {RDFS.label, RDFS.comment},
        )

    @property
    def terms(self) -> frozenset[Node]:
        return (
            self.classes
            | self.object_properties
            | self.data_properties
            | self.annotation_properties
        )

    def problem(self, triple: Triple) -> str | None:
        """Why the statement cannot go into an OWL 2 DL file of individuals, or None."""
        _, p, o = triple
        if p == RDF.type:
            return None if o in self.classes else f"type of a class not in the ontology: {o}"
        if p in self.object_properties or p in (OWL.sameAs, OWL.differentFrom):
            return f"literal value of object property {p}" if isinstance(o, Literal) else None
        if p in self.data_properties:
            if not isinstance(o, Literal):
                return f"non-literal value of data property {p}"
            if o.datatype is not None and o.datatype not in OWL2_DATATYPES:
                return f"datatype outside the OWL 2 datatype map: {o.datatype}"
            return None
        if p in self.annotation_properties:
            return None
        return f"property not in the ontology: {p}"


def bundle_graphs(store: Store, settings: Settings) -> list[URIRef]:
    """The asserted data graphs: all but the ontology and the inferred graph."""
    iris = Iris(settings.base_iri)
    skip = {iris.graph("ontology"), iris.graph("inferred")}
    return [g for g in store.graph_names() if g not in skip]


def individuals_graph(
    store: Store, settings: Settings, ontology: Graph, report: BundleReport
) -> Graph:
    """The individuals ontology of the bundle; fills in the report's counts."""
    report.graphs = bundle_graphs(store, settings)
    data = Graph()
    for t in canonical_triples(t for g in report.graphs for t in store.triples(g)):
        data.add(t)
    compatible = dl_compatible(data)
    _count_dl_changes(data, compatible, report)
    declared = Declarations.of(ontology)
    out = Graph()
    for t in compatible:
        why = declared.problem(t)
        if why is None:
            out.add(t)
        else:
            report.dropped[why] += 1
    individuals = _individuals(out, declared)
    for i in individuals:
        out.add((i, RDF.type, OWL.NamedIndividual))
    header = URIRef(f"{settings.base_iri}individuals")
    out.add((header, RDF.type, OWL.Ontology))
    out.add((header, OWL.imports, ONTOLOGY_IRI))
    out.add((header, RDFS.label, Literal("partnerkg individuals (Protégé bundle)", lang="en")))
    out.add((header, RDFS.comment, Literal(_COMMENT, lang="en")))
    report.individuals = len(individuals)
    report.triples = len(out)
    return out


_COMMENT = (
    "The asserted individuals of a partnerkg build, made OWL 2 DL. Open with Protégé and "
    "start HermiT to see the derived reporting lines, memberships and tier order."
)


_REIFICATION = "reification statement (rdf:subject/predicate/object, rdf:Statement)"


def _count_dl_changes(data: Graph, compatible: Graph, report: BundleReport) -> None:
    """What ``dl_compatible`` changed: literals retyped as strings, statements left out."""
    for s, p, o in data - compatible:
        if isinstance(o, Literal) and any(
            isinstance(x, Literal) and str(x) == str(o) and x.datatype in (None, XSD.string)
            for x in compatible.objects(s, p)
        ):
            report.converted[str(o.datatype)] += 1
        else:
            report.dropped[_REIFICATION] += 1


def _individuals(graph: Graph, declared: Declarations) -> set[URIRef]:
    """IRIs used as individuals: subjects, and values of object properties."""
    found: set[URIRef] = set()
    for s, p, o in graph:
        if isinstance(s, URIRef) and s not in declared.terms:
            found.add(s)
        if isinstance(o, URIRef) and (p in declared.object_properties or p == OWL.sameAs):
            found.add(o)
    return found


def catalog_xml(version_iri: str | None = None) -> str:
    """The OASIS XML catalog Protégé reads: ontology IRI (and version IRI) -> local file."""
    entries = [("partnerkg", str(ONTOLOGY_IRI))]
    if version_iri:
        entries.append(("partnerkg-version", version_iri))
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">',
        "    <!-- Protégé resolves the imported ontology IRI to the local file, offline. -->",
        *(f'    <uri id="{i}" name="{name}" uri="{ONTOLOGY_FILE}"/>' for i, name in entries),
        "</catalog>",
    ]
    return "\n".join(lines) + "\n"


def write_bundle(store: Store, settings: Settings, directory: Path) -> BundleReport:
    """Write the Protégé bundle into ``directory`` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    ontology = Graph().parse(ontology_file(), format="turtle")
    report = BundleReport(directory)
    individuals = individuals_graph(store, settings, ontology, report)
    (directory / INDIVIDUALS_FILE).write_bytes(write_turtle(individuals))
    shutil.copyfile(ontology_file(), directory / ONTOLOGY_FILE)
    version = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    catalog = catalog_xml(str(version) if version is not None else None)
    (directory / CATALOG_FILE).write_text(catalog, encoding="utf-8")
    (directory / README_FILE).write_text(bundle_readme(report, settings), encoding="utf-8")
    return report


def bundle_readme(report: BundleReport, settings: Settings) -> str:
    iris = Iris(settings.base_iri)
    articles = sum(1 for g in report.graphs if iris.is_article_graph(g))
    graphs = ", ".join(f"`{g[len(iris.graph('')) :]}`" for g in report.graphs) or "none"
    lines = [
        "# partnerkg: Protégé bundle",
        "",
        "| file | holds |",
        "|---|---|",
        f"| `{INDIVIDUALS_FILE}` | {report.individuals} individuals, {report.triples} "
        f"statements, from the asserted graphs {graphs} ({articles} articles); "
        f"it `owl:imports` <{ONTOLOGY_IRI}> |",
        f"| `{ONTOLOGY_FILE}` | the partnerkg ontology |",
        f"| `{CATALOG_FILE}` | maps the ontology IRI to `{ONTOLOGY_FILE}`, so nothing is "
        "fetched from the web |",
        "",
        "## Open it in Protégé",
        "",
        f"1. *File › Open…* and choose `{INDIVIDUALS_FILE}`. The catalog next to it resolves "
        "the import of the ontology offline.",
        "2. The *Individuals by class* tab lists the individuals under their classes, with "
        "their object and data property assertions and labels (*View › Render by label*).",
        "3. *Reasoner › HermiT*, then *Reasoner › Start reasoner*. Derived assertions show on a "
        "yellow background: the reporting lines (`org:reportsTo`, through unit heads and "
        "from reporting-line records) and their chain `pk:reportsToTransitively`, "
        "`org:headOf` and `org:memberOf` from headships and memberships, sub-units, the "
        "order of tiers.",
        "",
        "## What differs from the exported graph",
        "",
        "The bundle holds only asserted statements: nothing of the `inferred` graph, which "
        "HermiT derives again. OWL 2 DL allows less than RDF, so:",
        "",
        "* literals typed with a datatype outside the OWL 2 datatype map (the dates "
        "`xsd:date`, `xsd:gYearMonth`, `xsd:gYear`) are written as `xsd:string` with the "
        "same lexical form;",
        "* the `rdf:subject` / `rdf:predicate` / `rdf:object` statements of evidence nodes and "
        "their `rdf:Statement` type are left out (the rest of each evidence node stays);",
        "* statements with a property or a class the ontology does not declare, a literal "
        "as value of an object property, an IRI or a literal of another datatype as value of "
        "a data property are left out;",
        "* every individual is declared an `owl:NamedIndividual`.",
        "",
        "In this bundle:",
        "",
    ]
    changes = [
        f"* {_count(n, 'literal')} typed `{_short(dt)}` written as `xsd:string`"
        for dt, n in sorted(report.converted.items())
    ] + [f"* {_count(n, 'statement')} left out: {why}" for why, n in sorted(report.dropped.items())]
    lines += changes or ["* nothing converted or left out"]
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _short(iri: str) -> str:
    return iri.replace(str(XSD), "xsd:")
