"""Explanations: proofs of inferred triples down to the records and sentences they come from.

Every proof is re-checked here step by step against the ontology's axioms and the store, by a
checker independent of graph.explain."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, Namespace

from graph.cli import cli
from graph.errors import NotFound
from graph.explain import Step, explain, normalise, resolve_predicate
from graph.reason import reason_store
from graph.resources import ontology_file
from graph.rules import Axioms, stated_axioms
from graph.store import Store, Triple, new_store, to_ox
from graph.vocab import ORG, PK, PREFIXES

FIXTURE = Path(__file__).parent / "fixtures" / "org_fixture.ttl"
EX = Namespace("https://example.org/fixture/")
BASE = "https://w3id.org/partnerkg/"
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
ARTICLE_GRAPH = URIRef(BASE + "graph/article/fixture-001")
INFERRED = URIRef(BASE + "graph/inferred")
URL = URIRef("https://example.org/news/acme-reorganise-son-channel")
SUBUNIT_SENTENCE = "Le pôle Sell East est rattaché au pôle Sell."


def fill(store: Store) -> None:
    """Ontology + fixture (plus the article's URL and an evidence node stating a plain triple),
    then the inferred graph by reason_store."""
    ontology = Graph().parse(ontology_file(), format="turtle")
    fixture = Graph().parse(FIXTURE, format="turtle")
    fixture.add((EX.article, DCTERMS.source, URL))
    ev = EX.ev2
    for t in [
        (ev, RDF.type, PK.Evidence),
        (ev, PK.sentenceText, Literal(SUBUNIT_SENTENCE, lang="fr")),
        (ev, PROV.wasQuotedFrom, EX.article),
        (ev, RDF.subject, EX.sellEast),
        (ev, RDF.predicate, PK.subUnitOf),
        (ev, RDF.object, EX.sell),
    ]:
        fixture.add(t)
    store.replace_graphs({ONTOLOGY_GRAPH: ontology, ARTICLE_GRAPH: fixture})  # type: ignore[dict-item]
    reason_store(store, [ARTICLE_GRAPH], ontology, INFERRED, "fast", 0)


@pytest.fixture(scope="module")
def store() -> Store:
    s = Store()
    fill(s)
    return s


@pytest.fixture(scope="module")
def axioms() -> Axioms:
    return stated_axioms(Graph().parse(ontology_file(), format="turtle"))


# --- an independent checker of proof steps -------------------------------------------------------
def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def in_graphs(store: Store, t: Triple, inferred: bool) -> bool:
    return any((g == INFERRED) == inferred for g in graphs_of(store, t))


def graphs_of(store: Store, t: Triple) -> set[URIRef]:
    quads = store.ox.quads_for_pattern(*(to_ox(x) for x in t), None)
    return {URIRef(q.graph_name.value) for q in quads}


def check(step: Step, store: Store, ax: Axioms) -> None:
    """Each step follows from its premises by the axiom it names, and that axiom is stated."""
    s, p, o = step.triple
    if step.asserted:
        assert not step.premises and step.sources
        assert in_graphs(store, step.triple, inferred=False), step.triple
        return
    assert in_graphs(store, step.triple, inferred=True), step.triple
    axiom = step.axiom or ""
    prem = [x.triple for x in step.premises]
    if " ⊒ " in axiom:  # property chain: a path from s to o
        head, body = axiom.split(" ⊒ ")
        preds = [expand(b) for b in body.split(" ∘ ")]
        assert expand(head) == p
        assert tuple(map(str, preds)) in ax.chains[str(p)]
        assert [x[1] for x in prem] == preds
        assert prem[0][0] == s and prem[-1][2] == o
        assert all(a[2] == b[0] for a, b in itertools.pairwise(prem))
    elif axiom.endswith(" is transitive"):
        assert str(p) in ax.transitive and expand(axiom.split()[0]) == p
        assert len(prem) >= 2 and all(x[1] == p for x in prem)
        assert prem[0][0] == s and prem[-1][2] == o
        assert all(a[2] == b[0] for a, b in itertools.pairwise(prem))
    elif " ≡ " in axiom:  # inverse
        left, right = axiom.split(" ≡ ")
        q = expand(right.rstrip("⁻"))
        assert expand(left) == p and str(q) in ax.inverse[str(p)]
        assert prem == [(o, q, s)]
    elif " has domain " in axiom or " has range " in axiom:
        q, _, _, c = axiom.split()
        assert p == RDF.type and o == expand(c)
        ((x, q2, y),) = prem
        assert q2 == expand(q)
        if " has domain " in axiom:
            assert x == s and str(o) in ax.domain[str(q2)]
        else:
            assert y == s and str(o) in ax.range[str(q2)]
    elif " ⊑ " in axiom:
        sub, sup = (expand(x) for x in axiom.split(" ⊑ "))
        if p == RDF.type:
            assert o == sup and str(sup) in ax.subclass[str(sub)] and prem == [(s, RDF.type, sub)]
        else:
            assert p == sup and str(sup) in ax.subproperty[str(sub)] and prem == [(s, sub, o)]
    else:
        raise AssertionError(f"unknown axiom {axiom!r}")
    for x in step.premises:
        check(x, store, ax)


# --- the example of the brief: Dan reports, through the chart, to Zoé ----------------------------
def test_dan_reports_transitively_to_zoe(store: Store, axioms: Axioms) -> None:
    e = explain(store, "Dan Leroy", "pk:reportsToTransitively", "zoé fontaine")
    assert e.triple == (EX.dan, PK.reportsToTransitively, EX.zoe)
    assert e.root is not None and not e.asserted
    check(e.root, store, axioms)
    records = {src.record: (src, facts) for src, facts in e.records()}
    for record, person, unit in [
        (EX.h4, EX.dan, EX.sellEast),
        (EX.h3, EX.carol, EX.sell),
        (EX.h1, EX.alice, EX.channel),
    ]:
        src, facts = records[record]
        assert src.record_type == PK.Headship
        assert (record, PK.headshipHolder, person) in facts
        assert (record, ORG.organization, unit) in facts
    line, facts = records[EX.r1]
    assert line.record_type == PK.ReportingLine
    assert (EX.r1, PK.superior, EX.zoe) in facts
    assert line.sentence == "Alice Martin prend la tête de la division Channel d'Acme."
    assert line.article == "fixture-001" and line.url == str(URL)
    plain = [(src, facts) for src, facts in e.records() if src.record is None]
    stated = [s for s, f in plain if (EX.sellEast, PK.subUnitOf, EX.sell) in f]
    assert stated and stated[0].sentence == SUBUNIT_SENTENCE
    assert any((EX.sell, PK.subUnitOf, EX.channel) in f for _, f in plain)
    for axiom in [
        "pk:reportsToTransitively is transitive",
        "org:reportsTo ⊑ pk:reportsToTransitively",
        "org:reportsTo ⊒ org:headOf ∘ pk:subUnitOf ∘ pk:hasHead",
        "org:headOf ⊒ pk:holdsHeadship ∘ org:organization",
        "org:reportsTo ⊒ pk:hasReportingLine ∘ pk:superior",
    ]:
        assert axiom in e.axioms()
    text = e.to_text()
    assert "Dan Leroy pk:reportsToTransitively Zoé Fontaine  (inferred)" in text
    assert "« Alice Martin prend la tête de la division Channel d'Acme. »" in text
    assert f"« {SUBUNIT_SENTENCE} »" in text
    assert "pk:Headship <https://example.org/fixture/h4>" in text


def test_every_inferred_fact_of_the_fixture_has_a_checked_proof(
    store: Store, axioms: Axioms
) -> None:
    inferred = [t for t in store.triples(INFERRED) if str(t[0]).startswith(str(EX))]
    assert len(inferred) > 100
    ontology = Graph().parse(ontology_file(), format="turtle")
    for s, p, o in inferred:
        e = explain(store, f"<{s}>", f"<{p}>", f"<{o}>", ontology=ontology)
        assert e.root is not None, (s, p, o)
        check(e.root, store, axioms)


def test_an_asserted_fact_is_traced_to_its_record(store: Store) -> None:
    e = explain(store, str(EX.h4), "pk:headshipHolder", "dan leroy")
    assert e.asserted and e.axioms() == []
    ((src, _),) = e.records()
    assert src.record == EX.h4 and src.record_type == PK.Headship
    assert src.evidence == EX.ev1 and src.article == "fixture-001"
    assert e.to_dict()["status"] == "asserted"


def test_to_dict_is_json(store: Store) -> None:
    d = explain(store, "Frank Roux", "pk:reportsToTransitively", "Zoé Fontaine").to_dict()
    d = json.loads(json.dumps(d))
    assert d["status"] == "inferred" and d["complete"] is True
    assert d["proof"]["axiom"] == "pk:reportsToTransitively is transitive"
    assert d["subject"]["label"] == "Frank Roux"
    sentences = {r["sentence"] for r in d["records"]}
    assert "Alice Martin prend la tête de la division Channel d'Acme." in sentences
    ids = {r["id"] for r in d["records"]}

    def refs(step: dict) -> set[int]:
        return set(step["records"]).union(*(refs(p) for p in step["premises"]))

    assert refs(d["proof"]) == ids


# --- terms ---------------------------------------------------------------------------------------
def test_labels_resolve_without_case_or_accents(store: Store) -> None:
    e = explain(store, "DAN leroy", "pk:reportsToTransitively", "Zoe Fontaine")
    assert e.triple[2] == EX.zoe
    assert normalise("  Zoé   FONTAINE ") == "zoe fontaine"
    e = explain(store, "GINA BLANC", "org:memberOf", "sell east")
    assert e.triple == (EX.gina, ORG.memberOf, EX.sellEast)


def test_alt_labels_resolve(store: Store) -> None:
    e = explain(store, "pam", "a", "org:Role")
    assert e.triple == (EX.pam, RDF.type, ORG.Role)
    assert e.root is not None


def test_unknown_and_ambiguous_names() -> None:
    s = Store()
    s.replace_graphs(
        {
            ARTICLE_GRAPH: [
                (EX.x1, RDFS.label, Literal("Martin Dupont")),
                (EX.x2, RDFS.label, Literal("Martin Dupont")),
            ]
        }
    )
    with pytest.raises(NotFound, match="several entities"):
        explain(s, "martin dupont", "org:reportsTo", str(EX.x1))
    with pytest.raises(NotFound, match="no entity labelled"):
        explain(s, "Personne Inconnue", "org:reportsTo", str(EX.x1))


def test_predicates() -> None:
    assert resolve_predicate("org:reportsTo") == ORG.reportsTo
    assert resolve_predicate("pk:reportsToTransitively") == PK.reportsToTransitively
    assert resolve_predicate(str(ORG.headOf)) == ORG.headOf
    assert resolve_predicate(f"<{ORG.headOf}>") == ORG.headOf
    assert resolve_predicate("a") == RDF.type
    with pytest.raises(NotFound, match="unknown predicate"):
        resolve_predicate("zz:reportsTo")


def test_a_triple_that_does_not_hold(store: Store) -> None:
    with pytest.raises(NotFound, match="neither asserted nor inferred"):
        explain(store, "Dan Leroy", "org:reportsTo", "Zoé Fontaine")  # only transitively


# --- the command ---------------------------------------------------------------------------------
def test_cli_explain(tmp_path: Path) -> None:
    with new_store(tmp_path) as live:
        fill(live)
    del live
    runner = CliRunner()
    args = ["explain", "Dan Leroy", "pk:reportsToTransitively", "Zoé Fontaine"]
    result = runner.invoke(cli, [*args, "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "pk:reportsToTransitively is transitive" in result.output
    assert "pk:ReportingLine <https://example.org/fixture/r1>" in result.output
    result = runner.invoke(cli, [*args, "--data-dir", str(tmp_path), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["status"] == "inferred"
    result = runner.invoke(
        cli, ["explain", "Nobody", "org:reportsTo", "Zoé Fontaine", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and "no entity labelled 'Nobody'" in result.output
