"""Reasoning: the compiled rules (fast path) give exactly owlrl's triples; the fixture's
derived relations are the ones worked out by hand; HermiT agrees on the reporting chains."""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import FOAF, OWL, RDF, RDFS, Namespace

from graph import rules
from graph.encode import RdflibCodec, TermTable
from graph.errors import ReasoningError
from graph.fixpoint import split
from graph.noise import is_noise, noise_mask
from graph.owl_dl import dl_compatible
from graph.reason import (
    ReasoningReport,
    choose_method,
    infer,
    infer_fast,
    infer_owlrl,
    reason_store,
)
from graph.resources import ontology_file
from graph.store import Store, Triple, from_ox
from graph.vocab import ORG, PK

# plain namespaces: pytest probes module attributes, and rdflib's TIME / XSD warn on that
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "org_fixture.ttl"
EX = "https://example.org/fixture/"
BASE = "https://w3id.org/partnerkg/"
ARTICLE_GRAPH = URIRef(BASE + "graph/article/fixture-001")
INFERRED = URIRef(BASE + "graph/inferred")
PREFIXES = f"""
@prefix pk: <{PK._NS}> . @prefix org: <{ORG}> . @prefix foaf: <{FOAF}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix time: <{TIME}> .
@prefix owl: <{OWL}> . @prefix rdfs: <{RDFS}> . @prefix xsd: <{XSD}> . @prefix ex: <{EX}> .
"""


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def turtle(text: str) -> list[Triple]:
    return list(Graph().parse(data=PREFIXES + text, format="turtle"))  # type: ignore[arg-type]


@functools.cache
def synthetic() -> ModuleType:
    """benchmarks/synthetic_org.py (the benchmarks folder is not a package)."""
    path = ROOT / "benchmarks" / "synthetic_org.py"
    spec = importlib.util.spec_from_file_location("synthetic_org", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def pairs(triples: set[Triple], predicate: URIRef) -> set[tuple[str, str]]:
    """(subject, object) local names of the triples with this predicate between fixture IRIs."""
    return {
        (str(s)[len(EX) :], str(o)[len(EX) :])
        for s, p, o in triples
        if p == predicate and str(s).startswith(EX) and str(o).startswith(EX)
    }


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def fixture_triples() -> list[Triple]:
    return list(Graph().parse(FIXTURE, format="turtle"))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fixture_owlrl(ontology: Graph, fixture_triples: list[Triple]) -> set[Triple]:
    return infer_owlrl(fixture_triples, ontology)


def assert_same(ontology: Graph, data: list[Triple]) -> set[Triple]:
    """Both paths on the same data: identical triple sets; returns them."""
    slow = infer_owlrl(data, ontology)
    fast = infer_fast(data, ontology)
    assert fast == slow, (sorted(slow - fast)[:5], sorted(fast - slow)[:5])
    return slow


# --- the fixture: exact derived sets, worked out by hand from its header and records -------------
EXPECTED = {
    ORG.headOf: {("alice", "channel"), ("bob", "build"), ("carol", "sell"), ("dan", "sellEast")},
    PK.formerlyHeadOf: {("eve", "build")},
    # stated lines, and heads of sub-units to the head of the parent unit (unit -> unit only)
    ORG.reportsTo: {
        ("alice", "zoe"),
        ("frank", "carol"),
        ("bob", "alice"),
        ("carol", "alice"),
        ("dan", "carol"),
    },
    PK.reportsToTransitively: {
        ("alice", "zoe"),
        ("bob", "alice"),
        ("bob", "zoe"),
        ("carol", "alice"),
        ("carol", "zoe"),
        ("dan", "carol"),
        ("dan", "alice"),
        ("dan", "zoe"),
        ("frank", "carol"),
        ("frank", "alice"),
        ("frank", "zoe"),
    },
    # current headships and the membership climb the chart up to the company; not Eve (former)
    ORG.memberOf: {
        ("alice", "channel"),
        ("alice", "acme"),
        ("bob", "build"),
        ("bob", "channel"),
        ("bob", "acme"),
        ("carol", "sell"),
        ("carol", "channel"),
        ("carol", "acme"),
        ("dan", "sellEast"),
        ("dan", "sell"),
        ("dan", "channel"),
        ("dan", "acme"),
        ("gina", "sellEast"),
        ("gina", "sell"),
        ("gina", "channel"),
        ("gina", "acme"),
    },
    ORG.transitiveSubOrganizationOf: {
        ("build", "channel"),
        ("build", "acme"),
        ("sell", "channel"),
        ("sell", "acme"),
        ("sellEast", "sell"),
        ("sellEast", "channel"),
        ("sellEast", "acme"),
        ("channel", "acme"),
        ("merged", "acme"),
    },
    # asserted for top units (channel, merged), derived for nested ones
    ORG.unitOf: {("build", "acme"), ("sell", "acme"), ("sellEast", "acme")},
    PK.rankedBelow: {("registered", "silver"), ("silver", "gold"), ("registered", "gold")},
    PK.tierOf: {("registered", "acme"), ("silver", "acme"), ("gold", "acme")},
    PK.partnerAtTier: {("widgets", "gold")},
}


@pytest.mark.parametrize("predicate", list(EXPECTED), ids=lambda p: str(p).rsplit("#", 1)[-1])
def test_fixture_derived_sets_are_exactly_the_expected_ones(
    fixture_owlrl: set[Triple], predicate: URIRef
) -> None:
    assert pairs(fixture_owlrl, predicate) == EXPECTED[predicate]


def test_fixture_fast_equals_owlrl(
    ontology: Graph, fixture_triples: list[Triple], fixture_owlrl: set[Triple]
) -> None:
    fast = infer_fast(fixture_triples, ontology)
    assert fast == fixture_owlrl
    # chain-derived triples are part of it, and no asserted triple is repeated
    assert (ex("dan"), ORG.reportsTo, ex("carol")) in fast
    assert (ex("widgets"), PK.partnerOf, ex("acme")) in fast
    assert not fast & set(fixture_triples)
    assert not any(is_noise(t) for t in fast)


# --- synthetic data and edge cases ---------------------------------------------------------------
@pytest.mark.parametrize(("size", "seed"), [(800, 1), (2000, 7)])
def test_synthetic_fast_equals_owlrl(ontology: Graph, size: int, seed: int) -> None:
    lines = synthetic().generate(size, seed=seed)
    triples = [
        (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
        for t in ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    ]
    inferred = assert_same(ontology, triples)
    assert any(p == ORG.reportsTo for _, p, _ in inferred)
    assert any(p == PK.reportsToTransitively for _, p, _ in inferred)


def test_no_data_gives_the_schema_inferences_only(ontology: Graph) -> None:
    inferred = assert_same(ontology, [])
    assert (PK.Vendor, RDFS.subClassOf, FOAF.Agent) in inferred
    assert (PK.headshipHolder, RDFS.domain, ORG.Membership) in inferred  # Headship ⊑ Membership
    store = Store()
    report = reason_store(store, [], ontology, INFERRED, "fast", 0)
    assert report.triples_in == 0 and set(store.triples(INFERRED)) == inferred


def test_chains_through_inverse_properties(ontology: Graph) -> None:
    data = turtle("""
        ex:acme a pk:Vendor ; org:hasUnit ex:top ; pk:hasProgramme ex:prog .
        ex:top a pk:Division ; pk:hasSubUnit ex:mid ; pk:hasHead ex:p1 .
        ex:mid a pk:Pole ; pk:hasHead ex:p2 .
        ex:leaf a pk:Team ; pk:subUnitOf ex:mid .
        ex:h a pk:Headship ; pk:headshipHolder ex:p3 ; org:organization ex:leaf .
        ex:boss pk:hasDirectReport ex:p1 .
        ex:r a pk:ReportingLine ; pk:superior ex:boss . ex:p4 pk:hasReportingLine ex:r .
        ex:t1 skos:inScheme ex:prog . ex:co pk:hasPartnerStatus ex:st . ex:st pk:atTier ex:t1 .
    """)
    inferred = assert_same(ontology, data)
    for s, p, o in [
        ("p2", ORG.reportsTo, "p1"),  # hasHead (inverse of headOf) at both ends of the chain
        ("p3", ORG.reportsTo, "p2"),  # headOf from a Headship, hasSubUnit read backwards
        ("p1", ORG.reportsTo, "boss"),  # inverse of hasDirectReport
        ("p4", ORG.reportsTo, "boss"),
        ("p3", PK.reportsToTransitively, "boss"),
        ("boss", PK.managesTransitively, "p3"),
        ("co", PK.partnerOf, "acme"),  # partnerAtTier ∘ tierOf, tierOf via hasProgramme
        ("leaf", ORG.unitOf, "acme"),
    ]:
        assert (ex(s), p, ex(o)) in inferred


def test_cycles_in_reporting_lines(ontology: Graph) -> None:
    data = turtle("""
        ex:a a foaf:Person . ex:b a foaf:Person . ex:c a foaf:Person .
        ex:r1 a pk:ReportingLine ; pk:subordinate ex:a ; pk:superior ex:b .
        ex:r2 a pk:ReportingLine ; pk:subordinate ex:b ; pk:superior ex:c .
        ex:r3 a pk:ReportingLine ; pk:subordinate ex:c ; pk:superior ex:a .
        ex:u1 a pk:Team ; pk:subUnitOf ex:u2 . ex:u2 a pk:Team ; pk:subUnitOf ex:u1 .
        ex:h1 a pk:Headship ; pk:headshipHolder ex:a ; org:organization ex:u1 .
        ex:h2 a pk:Headship ; pk:headshipHolder ex:c ; org:organization ex:u2 .
    """)
    inferred = assert_same(ontology, data)
    people = {"a", "b", "c"}
    assert pairs(inferred, PK.reportsToTransitively) == {(x, y) for x in people for y in people}
    # u1 and u2 are each other's parent: their heads report to each other
    assert pairs(inferred, ORG.reportsTo) == {("a", "b"), ("b", "c"), ("c", "a"), ("a", "c")}
    assert pairs(inferred, ORG.transitiveSubOrganizationOf) == {
        ("u1", "u2"),
        ("u2", "u1"),
        ("u1", "u1"),
        ("u2", "u2"),
    }


def test_unit_with_two_parents(ontology: Graph) -> None:
    data = turtle("""
        ex:acme a pk:Vendor .
        ex:p1 a pk:Division ; org:unitOf ex:acme . ex:p2 a pk:Division ; org:unitOf ex:acme .
        ex:u a pk:Team ; pk:subUnitOf ex:p1 , ex:p2 .
        ex:hu a pk:Headship ; pk:headshipHolder ex:x ; org:organization ex:u .
        ex:h1 a pk:Headship ; pk:headshipHolder ex:y1 ; org:organization ex:p1 .
        ex:h2 a pk:Headship ; pk:headshipHolder ex:y2 ; org:organization ex:p2 .
        ex:m a org:Membership ; org:member ex:z ; org:organization ex:u .
    """)
    inferred = assert_same(ontology, data)
    assert pairs(inferred, ORG.reportsTo) == {("x", "y1"), ("x", "y2")}
    assert {o for s, o in pairs(inferred, ORG.memberOf) if s == "z"} == {"u", "p1", "p2", "acme"}
    assert ("u", "acme") in pairs(inferred, ORG.unitOf)


def test_schema_triples_in_the_data_are_compiled(ontology: Graph) -> None:
    data = turtle("""
        ex:Squad rdfs:subClassOf pk:Team .
        ex:leads rdfs:subPropertyOf org:headOf .
        ex:s a ex:Squad ; pk:subUnitOf ex:t . ex:t a pk:Pole .
        ex:p ex:leads ex:s . ex:q ex:leads ex:t .
    """)
    inferred = assert_same(ontology, data)
    assert (ex("s"), RDF.type, ORG.OrganizationalUnit) in inferred
    assert (ex("p"), ORG.reportsTo, ex("q")) in inferred


def test_literal_as_the_object_of_an_object_property(ontology: Graph) -> None:
    """Inverse and range rules then give triples about a literal: noise on both paths."""
    data = turtle("""
        ex:r a pk:ReportingLine ; pk:subordinate "Jean Dupont" ; pk:superior ex:boss .
        ex:st a pk:PartnerStatus ; pk:partner "Widgets" ; pk:atTier ex:gold .
    """)
    inferred = assert_same(ontology, data)
    assert not any(isinstance(s, Literal) for s, _, _ in inferred)
    assert (ex("gold"), RDF.type, PK.PartnerTier) in inferred


def test_extended_ontology_every_compiled_rule_kind(ontology: Graph) -> None:
    """Symmetric, equivalent classes and properties, a chain of four, disjoint classes."""
    extra = Graph().parse(
        data=PREFIXES
        + """
        ex:colleagueOf a owl:ObjectProperty , owl:SymmetricProperty .
        ex:worksWith a owl:ObjectProperty ; owl:equivalentProperty ex:colleagueOf .
        ex:Squad a owl:Class ; owl:equivalentClass pk:Team .
        ex:grandManager a owl:ObjectProperty ;
            owl:propertyChainAxiom ( org:headOf pk:subUnitOf pk:subUnitOf pk:hasHead ) .
        ex:Robot a owl:Class ; owl:disjointWith foaf:Person .
        """,
        format="turtle",
    )
    data = turtle("""
        ex:a ex:worksWith ex:b .
        ex:leaf a ex:Squad ; pk:subUnitOf ex:mid . ex:mid pk:subUnitOf ex:top .
        ex:h1 a pk:Headship ; pk:headshipHolder ex:x ; org:organization ex:leaf .
        ex:h2 a pk:Headship ; pk:headshipHolder ex:y ; org:organization ex:top .
    """)
    inferred = assert_same(ontology + extra, data)
    assert (ex("b"), ex("colleagueOf"), ex("a")) in inferred
    assert (ex("b"), ex("worksWith"), ex("a")) in inferred
    assert (ex("leaf"), RDF.type, PK.Team) in inferred
    assert (ex("x"), ex("grandManager"), ex("y")) in inferred


@pytest.mark.parametrize(
    "text",
    [
        "ex:x a foaf:Person , pk:Vendor .",  # foaf:Person and org:Organization are disjoint
        'ex:req pk:minimumPoints "beaucoup"^^xsd:integer .',  # invalid literal
    ],
)
def test_inconsistent_data_raises_on_both_paths(ontology: Graph, text: str) -> None:
    data = turtle(text)
    with pytest.raises(ReasoningError, match="inconsistent"):
        infer_owlrl(data, ontology)
    with pytest.raises(ReasoningError, match="inconsistent"):
        infer_fast(data, ontology)


@pytest.mark.parametrize(
    ("axioms", "named"),
    [
        ("pk:superior a owl:FunctionalProperty .", "owl:FunctionalProperty"),
        (
            "pk:Headship rdfs:subClassOf [ a owl:Restriction ; owl:onProperty pk:superior ;"
            " owl:someValuesFrom foaf:Person ] .",
            "owl:someValuesFrom",
        ),
        ("ex:p owl:propertyChainAxiom ( [ owl:inverseOf org:headOf ] org:headOf ) .", "named"),
        ("ex:p rdfs:subPropertyOf rdf:type .", "rdf:type"),
    ],
)
def test_unsupported_axioms_raise_naming_the_axiom(
    ontology: Graph, axioms: str, named: str
) -> None:
    extra = Graph().parse(
        data=PREFIXES + "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ." + axioms,
        format="turtle",
    )
    with pytest.raises(ReasoningError, match=named):
        infer_fast([], ontology + extra)


def test_same_as_in_the_data_is_refused_by_the_fast_path(ontology: Graph) -> None:
    data = turtle("ex:a a foaf:Person . ex:a owl:sameAs ex:b .")
    with pytest.raises(ReasoningError, match="owl:sameAs"):
        infer_fast(data, ontology)
    assert (ex("b"), RDF.type, FOAF.Agent) in infer_owlrl(data, ontology)


# --- the noise filter ----------------------------------------------------------------------------
def test_noise_filter_is_the_same_on_both_representations(
    ontology: Graph, fixture_triples: list[Triple]
) -> None:
    graph = Graph()
    for t in [*ontology, *fixture_triples]:
        graph.add(t)
    raw = list(rules.owlrl_added(graph))  # with the noise
    table: TermTable[object] = TermTable(RdflibCodec())  # type: ignore[arg-type]
    s, p, o = table.encode_triples(raw)  # type: ignore[arg-type]
    literal, builtin = table.kinds()
    mask = np.zeros(len(raw), dtype=bool)
    for pred in np.unique(p).tolist():
        rows = p == pred
        mask[rows] = noise_mask(table.terms[pred], s[rows], o[rows], literal, builtin, table.lookup)  # type: ignore[arg-type]
    expected = np.array([is_noise(t) for t in raw])
    assert (mask == expected).all()
    # every rule of the filter is exercised by this closure
    assert any(isinstance(t[0], Literal) for t in raw)
    assert (OWL.Thing, RDF.type, OWL.Class) in raw
    assert (ex("dan"), RDF.type, OWL.Thing) in raw
    assert (ex("dan"), OWL.sameAs, ex("dan")) in raw
    assert (PK.Vendor, RDFS.subClassOf, OWL.Thing) in raw
    assert any(p == RDFS.domain and o == OWL.Thing for _, p, o in raw)
    assert 0 < expected.sum() < len(raw)


# --- methods, the store, the cache ---------------------------------------------------------------
def test_choose_method() -> None:
    assert choose_method("auto", 10, threshold=100) == "owlrl"
    assert choose_method("auto", 100, threshold=100) == "fast"
    assert choose_method("owlrl", 10**9, threshold=100) == "owlrl"
    with pytest.raises(ReasoningError, match="unknown reasoning method"):
        choose_method("hermit", 10)
    with pytest.raises(ReasoningError):
        infer([], Graph(), method="hermit")


def _fixture_store(ontology: Graph, fixture_triples: list[Triple]) -> Store:
    store = Store()
    store.replace_graphs(
        {
            URIRef(BASE + "graph/ontology"): list(ontology),  # type: ignore[dict-item]
            ARTICLE_GRAPH: fixture_triples,
            INFERRED: [(ex("junk"), RDFS.label, Literal("from a previous build"))],
        }
    )
    return store


@pytest.mark.parametrize(
    ("method", "threshold", "used"),
    [("fast", 0, "fast"), ("auto", 10**6, "owlrl"), ("auto", 0, "fast")],
)
def test_reason_store_replaces_the_inferred_graph(
    ontology: Graph,
    fixture_triples: list[Triple],
    fixture_owlrl: set[Triple],
    method: str,
    threshold: int,
    used: str,
) -> None:
    store = _fixture_store(ontology, fixture_triples)
    article = ox.NamedNode(str(ARTICLE_GRAPH))
    before = set(store.ox.quads_for_pattern(None, None, None, article))
    report = reason_store(store, [ARTICLE_GRAPH], ontology, INFERRED, method, threshold)
    assert isinstance(report, ReasoningReport)
    assert report.method == used
    assert report.triples_in == len(set(fixture_triples))
    assert report.triples_inferred == len(fixture_owlrl)
    assert set(store.triples(INFERRED)) == fixture_owlrl  # the junk triple is gone
    assert set(store.ox.quads_for_pattern(None, None, None, article)) == before  # untouched


def test_reason_store_keeps_blank_nodes_connected(ontology: Graph) -> None:
    interval = BNode("interval1")
    data = [
        (ex("h"), RDF.type, PK.Headship),
        (ex("h"), ORG.memberDuring, interval),
        (interval, TIME.hasBeginning, ex("start")),
    ]
    store = Store()
    store.replace_graphs({ARTICLE_GRAPH: data})
    reason_store(store, [ARTICLE_GRAPH], ontology, INFERRED, "fast", 0)
    rows = list(
        store.query(
            f"""SELECT ?i WHERE {{ GRAPH <{ARTICLE_GRAPH}> {{ <{EX}h> <{ORG.memberDuring}> ?i }}
            GRAPH <{INFERRED}> {{ ?i a <{TIME.TemporalEntity}> }} }}"""
        )
    )
    assert len(rows) == 1


def test_reason_store_fast_equals_owlrl_on_synthetic_graphs(ontology: Graph) -> None:
    """The N-Triples path (the store's dump, no rdflib terms) against owlrl."""
    lines = synthetic().generate(1200, seed=3)
    store = Store()
    store.ox.load("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    graphs = store.graph_names()
    assert len(graphs) > 2
    report = reason_store(store, graphs, ontology, INFERRED, "fast", 0)
    asserted = [t for g in graphs for t in store.triples(g)]
    assert set(store.triples(INFERRED)) == infer_owlrl(asserted, ontology)
    assert report.triples_inferred == store.count(INFERRED)


def test_tbox_closure_is_cached_on_disk(ontology: Graph, tmp_path: Path) -> None:
    first = rules.compile_rules(ontology, cache_dir=tmp_path)
    files = list(tmp_path.glob("tbox-*.nt"))
    assert len(files) == 1 and files[0].stat().st_size > 0
    rules._MEMO.clear()
    files[0].write_text(files[0].read_text(encoding="utf-8"), encoding="utf-8")
    again = rules.compile_rules(ontology, cache_dir=tmp_path)
    assert again is not first
    assert again.derived_tbox == first.derived_tbox and again.closed == first.closed
    assert (PK.Vendor, RDFS.subClassOf, FOAF.Agent) in first.derived_tbox


def test_fast_path_results_do_not_depend_on_term_order(
    ontology: Graph, fixture_triples: list[Triple], fixture_owlrl: set[Triple]
) -> None:
    assert infer_fast(list(reversed(fixture_triples)), ontology) == fixture_owlrl
    keys = np.array([3 << 32 | 5, 1 << 32 | 2], dtype=np.int64)
    assert [a.tolist() for a in split(keys)] == [[3, 1], [5, 2]]


# --- OWL 2 DL and HermiT -------------------------------------------------------------------------
def test_dl_compatible_converts_dates_and_drops_reification(fixture_triples: list[Triple]) -> None:
    data = Graph()
    for t in fixture_triples:
        data.add(t)
    data.add((ex("ev2"), RDF.type, RDF.Statement))
    data.add((ex("ev2"), RDF.subject, ex("build")))
    out = dl_compatible(data)
    assert (ex("h1-start"), TIME.inXSDDate, Literal("2021-04-01", datatype=XSD.string)) in out
    assert not any(isinstance(o, Literal) and o.datatype == XSD.gYearMonth for o in out.objects())
    assert (ex("ev2"), RDF.subject, ex("build")) not in out
    assert (ex("ev2"), RDF.type, RDF.Statement) not in out
    assert len(out) == len(data) - 2


def _hermit_pairs(path: Path) -> set[Triple]:
    return set(Graph().parse(path, format="nt"))  # type: ignore[arg-type]


@pytest.mark.java
def test_hermit_agrees_with_owlrl_on_the_fixture(
    ontology: Graph,
    fixture_triples: list[Triple],
    fixture_owlrl: set[Triple],
    owlcheck: Path,
    tmp_path: Path,
) -> None:
    if shutil.which("java") is None:
        pytest.skip("java is not installed (apt-get install default-jdk-headless)")
    merged = Graph()
    for t in [*ontology, *fixture_triples]:
        merged.add(t)
    source = tmp_path / "merged.ttl"
    dl_compatible(merged).serialize(source, format="turtle")
    out = tmp_path / "hermit.nt"
    run = subprocess.run(
        [str(owlcheck), str(source), "--inferred-out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ},
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    hermit = _hermit_pairs(out)
    for predicate in (ORG.reportsTo, PK.reportsToTransitively, ORG.headOf):
        assert pairs(hermit, predicate) == pairs(fixture_owlrl, predicate) == EXPECTED[predicate]
    # and on every object property assertion between named individuals
    properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    owlrl_assertions = {
        t
        for t in fixture_owlrl
        if t[1] in properties and isinstance(t[0], URIRef) and isinstance(t[2], URIRef)
    }
    assert hermit == owlrl_assertions
