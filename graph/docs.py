"""HTML documentation of the ontology, generated from ontology/partnerkg.ttl.

    python -m graph.docs [DIR]      or      partnerkg docs [-o DIR]

writes DIR/index.html (default docs/ontology/) with the diagram inline, and DIR/diagram.svg.
Every class and property is listed with its labels and definitions in English and French and
its axioms: subclasses, domain and range, inverses, property chains, characteristics. The
output depends only on the ontology file, so regenerating it changes nothing unless the
ontology changed. The server serves ``ontology_html()`` at /ontology.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from .diagram import diagram_svg
from .rdfio import EXPORT_PREFIXES as PREFIXES
from .resources import ontology_file, package_data
from .vocab import ONTOLOGY_IRI, VANN

LANGUAGES = ("en", "fr")
KINDS = (
    ("classes", "Classes", OWL.Class),
    ("object-properties", "Object properties", OWL.ObjectProperty),
    ("datatype-properties", "Datatype properties", OWL.DatatypeProperty),
    ("annotation-properties", "Annotation properties", OWL.AnnotationProperty),
)
CHARACTERISTICS = {
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    OWL.AsymmetricProperty: "asymmetric",
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse functional",
    OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}
OWN = str(PREFIXES["pk"])


@dataclass(frozen=True)
class Ref:
    """A link to a term: to its section if documented here, else to its IRI."""

    curie: str
    href: str
    title: str


@dataclass
class Term:
    iri: str
    curie: str
    anchor: str
    labels: dict[str, str]
    definitions: dict[str, str]
    defined_by: str
    own: bool
    axioms: list[tuple[str, list[list[Ref]]]] = field(default_factory=list)


class Documenter:
    """Reads the ontology graph into what the template shows."""

    def __init__(self, ontology: Graph) -> None:
        self.g = ontology
        self.documented = {s for _, _, kind in KINDS for s in ontology.subjects(RDF.type, kind)} - {
            OWL.Thing
        }

    def curie(self, iri: Node) -> str:
        text = str(iri)
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns) :]}"
        return text

    def anchor(self, iri: Node) -> str:
        return self.curie(iri).replace(":", "-")

    def text(self, iri: Node, prop: URIRef) -> dict[str, str]:
        found: dict[str, str] = {}
        for value in sorted(self.g.objects(iri, prop), key=str):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
        return found

    def ref(self, node: Node) -> Ref:
        if isinstance(node, BNode):
            return Ref("(anonymous expression)", "", "")
        label = self.text(node, RDFS.label).get("en", "")
        href = f"#{self.anchor(node)}" if node in self.documented else str(node)
        return Ref(self.curie(node), href, label)

    def refs(self, nodes: object) -> list[list[Ref]]:
        return [[self.ref(n)] for n in sorted(set(nodes), key=self.curie)]  # type: ignore[call-overload]

    def chains(self, prop: Node) -> list[list[Ref]]:
        chains = [
            [self.ref(p) for p in Collection(self.g, head)]
            for head in self.g.objects(prop, OWL.propertyChainAxiom)
        ]
        return sorted(chains, key=lambda c: [r.curie for r in c])

    def axioms(self, iri: Node, kind: URIRef) -> list[tuple[str, list[list[Ref]]]]:
        g, refs = self.g, self.refs
        if kind == OWL.Class:
            rows = [
                ("subclass of", refs(g.objects(iri, RDFS.subClassOf))),
                ("superclass of", refs(g.subjects(RDFS.subClassOf, iri))),
                ("equivalent to", refs(g.objects(iri, OWL.equivalentClass))),
                (
                    "disjoint with",
                    refs([*g.objects(iri, OWL.disjointWith), *g.subjects(OWL.disjointWith, iri)]),
                ),
                ("in domain of", refs(g.subjects(RDFS.domain, iri))),
                ("in range of", refs(g.subjects(RDFS.range, iri))),
            ]
        else:
            used_in = {
                p
                for p, head in g.subject_objects(OWL.propertyChainAxiom)
                if iri in Collection(g, head)
            }
            characteristics = sorted(
                CHARACTERISTICS[t]
                for t in g.objects(iri, RDF.type)
                if isinstance(t, URIRef) and t in CHARACTERISTICS
            )
            rows = [
                ("characteristics", [[Ref(c, "", "")] for c in characteristics]),
                ("subproperty of", refs(g.objects(iri, RDFS.subPropertyOf))),
                ("superproperty of", refs(g.subjects(RDFS.subPropertyOf, iri))),
                (
                    "inverse of",
                    refs([*g.objects(iri, OWL.inverseOf), *g.subjects(OWL.inverseOf, iri)]),
                ),
                ("equivalent to", refs(g.objects(iri, OWL.equivalentProperty))),
                ("domain", refs(g.objects(iri, RDFS.domain))),
                ("range", refs(g.objects(iri, RDFS.range))),
                ("derived from the chain", self.chains(iri)),
                ("used in the chains of", refs(used_in)),
            ]
        return [(name, values) for name, values in rows if values]

    def terms(self, kind: URIRef) -> list[Term]:
        found = []
        members = set(self.g.subjects(RDF.type, kind)) & self.documented
        for iri in sorted(members, key=lambda i: (not str(i).startswith(OWN), self.curie(i))):
            defined_by = self.g.value(iri, RDFS.isDefinedBy)
            found.append(
                Term(
                    iri=str(iri),
                    curie=self.curie(iri),
                    anchor=self.anchor(iri),
                    labels=self.text(iri, RDFS.label),
                    definitions=self.text(iri, SKOS.definition),
                    defined_by=str(defined_by) if defined_by is not None else "",
                    own=str(iri).startswith(OWN),
                    axioms=self.axioms(iri, kind),
                )
            )
        return found

    def derivations(self) -> list[tuple[list[Ref], Ref]]:
        """Every property chain axiom: (chain, derived property)."""
        rows = [
            (chain, self.ref(p))
            for p in sorted(set(self.g.subjects(OWL.propertyChainAxiom, None)), key=self.curie)
            for chain in self.chains(p)
        ]
        return rows

    def transitive(self) -> list[Ref]:
        return [r[0] for r in self.refs(self.g.subjects(RDF.type, OWL.TransitiveProperty))]

    def metadata(self) -> dict[str, object]:
        o = ONTOLOGY_IRI
        value = self.g.value
        return {
            "iri": str(o),
            "titles": self.text(o, DCTERMS.title),
            "description": self.text(o, DCTERMS.description).get("en", ""),
            "version": str(value(o, OWL.versionInfo) or ""),
            "version_iri": str(value(o, OWL.versionIRI) or ""),
            "license": str(value(o, DCTERMS.license) or ""),
            "creator": str(value(o, DCTERMS.creator) or ""),
            "created": str(value(o, DCTERMS.created) or ""),
            "prefix": str(value(o, VANN.preferredNamespacePrefix) or ""),
            "namespace": str(value(o, VANN.preferredNamespaceUri) or ""),
        }

    def namespaces(self) -> list[tuple[str, str]]:
        used = {str(t) for triple in self.g for t in triple if isinstance(t, URIRef)}
        return [
            (prefix, ns) for prefix, ns in PREFIXES.items() if any(u.startswith(ns) for u in used)
        ]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(package_data("templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_html(ontology: Graph) -> str:
    doc = Documenter(ontology)
    sections = [(slug, title, doc.terms(kind)) for slug, title, kind in KINDS if doc.terms(kind)]
    return (
        _environment()
        .get_template("ontology.html.j2")
        .render(
            meta=doc.metadata(),
            namespaces=doc.namespaces(),
            sections=sections,
            derivations=doc.derivations(),
            transitive=doc.transitive(),
            diagram=Markup(diagram_svg(ontology)),
            languages=LANGUAGES,
        )
    )


def load_ontology(path: Path | None = None) -> Graph:
    return Graph().parse(path or ontology_file(), format="turtle")


@functools.cache
def ontology_html() -> str:
    """The documentation page of the shipped ontology (for the server's /ontology)."""
    return render_html(load_ontology())


def write_docs(directory: Path, ontology_path: Path | None = None) -> list[Path]:
    """Write index.html and diagram.svg into ``directory``; the paths written."""
    ontology = load_ontology(ontology_path)
    directory.mkdir(parents=True, exist_ok=True)
    html, svg = directory / "index.html", directory / "diagram.svg"
    html.write_text(render_html(ontology), encoding="utf-8")
    svg.write_text(diagram_svg(ontology, link="index.html"), encoding="utf-8")
    return [html, svg]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    for path in write_docs(Path(args[0] if args else "docs/ontology")):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
