"""The ontology documentation (docs/ontology/) and its diagram."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.diagram import EDGES, NODES, check_edges, diagram_svg, expand
from graph.docs import ontology_html, render_html, write_docs
from graph.resources import ontology_file
from graph.vocab import PK

DOCS = Path(__file__).parents[1] / "docs" / "ontology"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def html(ontology: Graph) -> str:
    return render_html(ontology)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.fragments: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value and value.startswith("#"):
                self.fragments.add(value[1:])


def test_every_term_with_both_labels_and_definitions(ontology: Graph, html: str) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {s for k in kinds for s in ontology.subjects(RDF.type, k) if isinstance(s, URIRef)}
    assert len(terms) > 100
    for term in terms:
        assert escape(str(term)) in html, term
        for prop in (RDFS.label, SKOS.definition):
            for value in ontology.objects(term, prop):
                assert isinstance(value, Literal)
                assert escape(str(value)) in html, (term, value)


def test_axioms_are_shown(html: str) -> None:
    def section(anchor: str) -> str:
        start = html.index(f'id="{anchor}"')
        return html[start : html.index("</section>", start)]

    reports_to = section("org-reportsTo")
    assert "derived from the chain" in reports_to
    for link in ("org:headOf", "pk:subUnitOf", "pk:hasReportingLine"):
        assert f"<code>{link}</code></a> ∘ " in reports_to, link  # followed by the next link
    for anchor in ("pk-hasHead", "pk-superior", "pk-reportsToTransitively"):
        assert f'href="#{anchor}"' in reports_to, anchor
    assert "inverse of" in reports_to and 'href="#pk-hasDirectReport"' in reports_to
    assert "transitive" in section("pk-reportsToTransitively")
    vendor = section("pk-Vendor")
    assert "subclass of" in vendor and 'href="#org-FormalOrganization"' in vendor
    assert "éditeur ou constructeur" in vendor


def test_internal_links_resolve(html: str) -> None:
    links = _Links()
    links.feed(html)
    assert links.fragments and links.fragments <= links.ids, links.fragments - links.ids


def test_diagram_is_inline_and_well_formed(ontology: Graph, html: str) -> None:
    assert "<svg" in html
    svg = ET.fromstring(diagram_svg(ontology))
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {curie for curie, _, _ in NODES} <= texts
    assert {prop for prop, _, _ in EDGES} <= texts


def test_diagram_agrees_with_the_ontology(ontology: Graph) -> None:
    assert check_edges(ontology) == []
    wrong = Graph()
    for t in ontology:
        wrong.add(t)
    wrong.set((PK.subordinate, RDFS.domain, PK.Team))
    assert any("pk:subordinate" in p for p in check_edges(wrong))
    with pytest.raises(ValueError, match="disagrees"):
        diagram_svg(wrong)
    assert expand("pk:Vendor") == PK.Vendor


def test_generation_is_deterministic_and_committed(tmp_path: Path, html: str) -> None:
    written = write_docs(tmp_path)
    assert [p.name for p in written] == ["index.html", "diagram.svg"]
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == html == ontology_html()
    for path in written:
        committed = DOCS / path.name
        assert committed.exists(), f"{committed} is missing: run `partnerkg docs`"
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is out of date with ontology/partnerkg.ttl: run `partnerkg docs`"
        )
