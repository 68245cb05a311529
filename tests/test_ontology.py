"""The ontology file: OWL API / HermiT verdicts, labels and definitions, the closed vocabulary,
the Protégé catalog, and the SHACL shapes on the hand-written fixture."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.reason import infer
from graph.resources import ontology_file, shapes_file
from graph.validate import validate
from graph.vocab import ONTOLOGY_IRI, ORG, PK

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "org_fixture.ttl"
DCTERMS = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
PK_NS = str(PK._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file())


def declared(g: Graph) -> dict[URIRef, set[URIRef]]:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    out: dict[URIRef, set[URIRef]] = {}
    for s, o in g.subject_objects(RDF.type):
        if o in kinds and isinstance(s, URIRef):
            out.setdefault(s, set()).add(o)
    return out


def test_metadata(ontology):
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator,
              OWL.versionIRI, OWL.versionInfo, VANN.preferredNamespacePrefix):
        assert ontology.value(ONTOLOGY_IRI, p) is not None, f"ontology lacks {p}"


def test_every_term_has_one_kind_and_labels_and_definitions_in_french_and_english(ontology):
    for term, kinds in declared(ontology).items():
        assert len(kinds) == 1, f"{term} is declared as {kinds} (punning breaks OWL 2 DL)"
        if OWL.AnnotationProperty in kinds and not str(term).startswith(PK_NS):
            continue
        if term in (RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo):
            continue
        for prop in (RDFS.label, SKOS.definition):
            langs = {o.language for o in ontology.objects(term, prop) if isinstance(o, Literal)}
            assert {"en", "fr"} <= langs, f"{term} lacks {prop} in en/fr (has {langs})"


def test_external_terms_are_declared_here_not_imported(ontology):
    assert not list(ontology.objects(ONTOLOGY_IRI, OWL.imports))
    for term in declared(ontology):
        if not str(term).startswith(PK_NS) and term not in (
                RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo):
            assert ontology.value(term, RDFS.isDefinedBy) is not None, f"{term}: no isDefinedBy"


def test_vocab_module_lists_exactly_the_ontology_terms(ontology):
    in_file = {str(t)[len(PK_NS):] for t in declared(ontology) if str(t).startswith(PK_NS)}
    in_module = set(PK.__annotations__)
    assert in_file == in_module, (f"only in the ontology: {sorted(in_file - in_module)}; "
                                  f"only in graph/vocab.py: {sorted(in_module - in_file)}")
    with pytest.raises(AttributeError):
        PK.Vendorr  # noqa: B018 - a typo must fail


def test_catalog_maps_the_ontology_iri_to_the_local_file():
    catalog = ET.parse(ROOT / "ontology" / "catalog-v001.xml").getroot()
    uris = {e.get("name"): e.get("uri") for e in catalog if e.tag.endswith("uri")}
    assert uris[str(ONTOLOGY_IRI)] == "partnerkg.ttl"
    assert (ROOT / "ontology" / uris[str(ONTOLOGY_IRI)]).exists()


def test_chains_and_characteristics_the_reasoning_relies_on(ontology):
    chains = {(s, tuple(Graph.items(ontology, o))) for s, o in
              ontology.subject_objects(OWL.propertyChainAxiom)}
    assert (ORG.headOf, (PK.holdsHeadship, ORG.organization)) in chains
    assert (ORG.reportsTo, (ORG.headOf, PK.subUnitOf, PK.hasHead)) in chains
    assert (ORG.reportsTo, (PK.hasReportingLine, PK.superior)) in chains
    assert (ORG.memberOf, (ORG.memberOf, ORG.subOrganizationOf)) in chains
    assert (ORG.unitOf, (PK.subUnitOf, ORG.unitOf)) in chains
    for transitive in (PK.reportsToTransitively, ORG.transitiveSubOrganizationOf, PK.rankedBelow):
        assert (transitive, RDF.type, OWL.TransitiveProperty) in ontology
    assert (ORG.reportsTo, RDF.type, OWL.TransitiveProperty) not in ontology


@pytest.mark.java
def test_owlcheck_accepts_the_ontology_as_owl2_dl_and_rl(owlcheck):
    out = subprocess.run([str(owlcheck), str(ontology_file())], capture_output=True, text=True,
                         timeout=600)
    report = out.stdout
    assert out.returncode == 0, report + out.stderr
    assert report.strip().splitlines()[-1] == "owlcheck: OK", report + out.stderr
    assert re.search(r"unparsed triples \(dropped, as in Protégé\): 0", report)
    assert "OWL 2 DL: yes" in report
    assert "OWL 2 RL: yes" in report
    assert "consistent: yes" in report
    assert "unsatisfiable classes: none" in report


# --- SHACL ---------------------------------------------------------------------------------------
def _closure(data: Graph, ontology: Graph) -> Graph:
    """Asserted + inferred, as the build validates it."""
    full = Graph()
    for t in data:
        full.add(t)
    for t in infer(list(data), ontology, method="owlrl"):
        full.add(t)
    return full


def test_fixture_conforms_to_the_shapes(ontology):
    report = validate(_closure(Graph().parse(FIXTURE), ontology))
    assert report.conforms, "\n".join(map(str, report.results))


def test_broken_fixture_is_reported_with_the_offending_nodes(ontology):
    data = Graph().parse(FIXTURE)
    ex = Namespace("https://example.org/fixture/")
    data.remove((ex.h2, ORG.organization, None))            # a headship of nothing
    data.remove((ex.gold_req, None, None))
    data.set((ex["gold-req"], PK.currency, Literal("euros")))  # not an ISO 4217 code
    data.remove((ex.bob, RDFS.label, None))                  # a person without a label
    report = validate(_closure(data, ontology))
    assert not report.conforms
    focus = {(v.focus, v.path) for v in report.violations}
    assert (str(ex.h2), str(ORG.organization)) in focus
    assert (str(ex["gold-req"]), str(PK.currency)) in focus
    assert (str(ex.bob), str(RDFS.label)) in focus


def test_two_current_heads_of_one_unit_is_a_warning(ontology):
    data = Graph().parse(FIXTURE)
    ex = Namespace("https://example.org/fixture/")
    extra = ex.h6
    for p, o in ((RDF.type, PK.Headship), (PK.headshipHolder, ex.gina),
                 (ORG.organization, ex.build), (PK.attestedOn, data.value(ex.h2, PK.attestedOn)),
                 (URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), ex.ev1)):
        data.add((extra, p, o))
    report = validate(_closure(data, ontology))
    assert any(w.focus == str(ex.build) for w in report.warnings)
    assert not report.violations


def test_shapes_file_parses():
    assert len(Graph().parse(shapes_file())) > 50
