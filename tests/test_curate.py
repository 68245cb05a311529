"""Curate (graph/curate.py): a YAML overlay (add, retract, merge, each with a reason) applied on
top of the extracted graphs, recorded in its own graph, never editing its input.

The extracted graphs come from hand-made extraction records (two invented articles about
NetApp's partner organisation) through the real resolve and populate stages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.curate import apply_curation, load_actions
from graph.errors import CurationError
from graph.iris import Iris
from graph.populate import populate
from graph.reason import infer
from graph.records import Article, Evidence, Extraction, Fact, Mention, OffsetMap
from graph.resolve import resolve
from graph.resources import ontology_file
from graph.vocab import ORG, PK, RDF, RDFS, SKOS

Triple = tuple[Node, Node, Node]
IRIS = Iris("https://example.org/kg/")
ENTITIES = IRIS.graph("entities")
BERENICE = IRIS.entity("person", "Bérénice Vautrin")
B_VAUTRIN = IRIS.entity("person", "B. Vautrin")
TRISTAN = IRIS.entity("person", "Tristan Ferrand")
GASPARD = IRIS.entity("person", "Gaspard Lemoine")
PEG = IRIS.entity("unit", "NetApp", "Partner Ecosystem Group")
CLOUD = IRIS.entity("unit", "NetApp", "Alliances Cloud")
CHANNEL_1 = IRIS.entity("unit", "équipe channel")  # two units named alike, kept apart
CHANNEL_2 = IRIS.entity("unit", "équipe channel-2")

K1 = (
    "NetApp France restructure son channel. Bérénice Vautrin prend la tête de la division "
    "Partner Ecosystem Group. Tristan Ferrand dirigera l'équipe Alliances Cloud, rattachée au "
    "Partner Ecosystem Group. Bérénice Vautrin rendra compte à Gaspard Lemoine, directeur "
    "général de NetApp France. L'équipe channel reste inchangée."
)
K2 = "B. Vautrin, directrice de l'équipe channel de NetApp, détaille le programme."


def _fact(text: str, relation: str, args: dict[str, object], sentence: str, rule: str) -> Fact:
    start = text.index(sentence)
    article_id = "k1" if text == K1 else "k2"
    evidence = Evidence(article_id, 0, sentence, start, start + len(sentence), rule, 0.9)
    return Fact(relation, dict(args), evidence)


def _article(article_id: str, text: str) -> Article:
    return Article(article_id, f"{article_id}.txt", text, text, OffsetMap(), article_id,
                   published=None, title=article_id)  # fmt: skip


def extracted() -> tuple[list[Article], dict[URIRef, Graph]]:
    """Two articles' extraction records -> their graphs (entities + one graph per article)."""
    m = Mention
    k1 = Extraction(
        "k1",
        [
            m("vendor", "NetApp"),
            m("unit", "Partner Ecosystem Group", [], 0, "Division"),
            m("unit", "Alliances Cloud", [], 0, "Team"),
            m("person", "Bérénice Vautrin"),
            m("person", "Tristan Ferrand"),
            m("person", "Gaspard Lemoine"),
            m("unit", "NetApp France", [], 0, "Subsidiary"),
            m("unit", "équipe channel"),
        ],
    )
    s = K1.split(". ")
    head = {"head": True, "former": False, "title": None, "role": None}
    k1.facts = [
        _fact(K1, "membership", {"person": 3, "org": 1, **head}, s[1], "test.head"),
        _fact(K1, "membership", {"person": 4, "org": 2, **head}, s[2], "test.head"),
        _fact(K1, "subUnitOf", {"unit": 2, "parent": 1}, s[2], "test.sub"),
        _fact(K1, "unitOf", {"unit": 1, "org": 0}, s[1], "test.unit"),
        _fact(K1, "membership", {"person": 5, "org": 6, **head}, s[3], "test.head"),
        _fact(K1, "reportsTo", {"person": 3, "superior": 5}, s[3], "test.reports"),
    ]
    k2 = Extraction(
        "k2",
        [m("vendor", "NetApp"), m("person", "B. Vautrin"), m("unit", "équipe channel")],
    )
    member = {"head": False, "former": False, "title": "directrice", "role": None}
    k2.facts = [_fact(K2, "membership", {"person": 1, "org": 2, **member}, K2, "test.member")]
    articles = [_article("k1", K1), _article("k2", K2)]
    extractions = [k1, k2]
    return articles, populate(articles, extractions, resolve(extractions, IRIS), IRIS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


@pytest.fixture()
def graphs() -> dict[URIRef, Graph]:
    return extracted()[1]


def curation_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "curation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def everything(graphs: dict[URIRef, Graph], curation: Graph | None = None) -> set[Triple]:
    triples = {t for g in graphs.values() for t in g}
    return triples | set(curation or ())


def reasoned(graphs: dict[URIRef, Graph], curation: Graph, ontology: Graph) -> set[Triple]:
    asserted = everything(graphs, curation)
    return asserted | infer(asserted, ontology, method="fast")


def snapshot(graphs: dict[URIRef, Graph]) -> dict[URIRef, set[Triple]]:
    return {name: set(g) for name, g in graphs.items()}


def the_action(curation: Graph, cls: URIRef) -> URIRef:
    (record,) = curation.subjects(RDF.type, cls)
    assert isinstance(record, URIRef)
    return record


def test_the_world_before_curation(graphs: dict[URIRef, Graph], ontology: Graph) -> None:
    """What the other tests change: the IRIs they use, and what reasoning derives."""
    entities = graphs[ENTITIES]
    for iri in (BERENICE, B_VAUTRIN, TRISTAN, GASPARD, PEG, CLOUD, CHANNEL_1, CHANNEL_2):
        assert (iri, RDFS.label, None) in entities, iri
    closure = reasoned(graphs, Graph(), ontology)
    assert (BERENICE, ORG.headOf, PEG) in closure
    assert (TRISTAN, ORG.reportsTo, BERENICE) in closure  # the head of a sub-unit
    assert (BERENICE, ORG.reportsTo, GASPARD) in closure


# --- add ------------------------------------------------------------------------------------------
def test_add_a_fact(tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph) -> None:
    path = curation_file(
        tmp_path,
        "# corrections to the NetApp articles\n"
        '- add: ["tristan FERRAND", org:reportsTo, "Gaspard Lemoine"]\n'
        "  reason: stated in NetApp's press release of 15 March 2016\n"
        '- add: ["Partner Ecosystem Group", skos:altLabel, "PEG Europe"]\n'
        "  reason: the name used by the partners\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    curation = result.curation
    assert (TRISTAN, ORG.reportsTo, GASPARD) in curation
    assert (PEG, SKOS.altLabel, Literal("PEG Europe")) in curation  # a literal object
    records = set(curation.subjects(RDF.type, PK.Addition))
    assert len(records) == 2
    by_subject = {curation.value(r, RDF.subject): r for r in records}
    added = by_subject[TRISTAN]
    assert curation.value(added, RDF.predicate) == ORG.reportsTo
    assert curation.value(added, RDF.object) == GASPARD
    assert (
        str(curation.value(added, PK.reason)) == "stated in NetApp's press release of 15 March 2016"
    )
    # the addition lives in the curation graph only
    assert snapshot(result.graphs) == snapshot(graphs)
    assert (TRISTAN, ORG.reportsTo, GASPARD) in reasoned(result.graphs, curation, ontology)
    assert result.warnings == []


# --- retract --------------------------------------------------------------------------------------
def headships(g: Graph, person: URIRef, unit: URIRef) -> list[Node]:
    return [
        r
        for r in g.subjects(PK.headshipHolder, person)
        if (r, ORG.organization, unit) in g and (r, RDF.type, PK.Headship) in g
    ]


def test_retract_a_derived_property_removes_its_record(
    tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph
) -> None:
    k1 = IRIS.article_graph("k1")
    (record,) = headships(graphs[k1], BERENICE, PEG)
    path = curation_file(
        tmp_path,
        '- retract: ["Bérénice Vautrin", org:headOf, "Partner Ecosystem Group"]\n'
        "  reason: she was only appointed interim head\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    after = result.graphs[k1]
    assert headships(after, BERENICE, PEG) == []
    assert not any(record in t for t in after)  # nothing left of the record
    assert headships(after, TRISTAN, CLOUD) != []  # other records stay
    closure = reasoned(result.graphs, result.curation, ontology)
    assert (BERENICE, ORG.headOf, PEG) not in closure
    assert (TRISTAN, ORG.reportsTo, BERENICE) not in closure  # the derived line goes with it
    assert (BERENICE, ORG.reportsTo, GASPARD) in closure  # the stated line stays
    retraction = the_action(result.curation, PK.Retraction)
    assert result.curation.value(retraction, RDF.subject) == BERENICE
    assert result.curation.value(retraction, RDF.predicate) == ORG.headOf
    assert result.curation.value(retraction, RDF.object) == PEG
    assert str(result.curation.value(retraction, PK.reason)) == (
        "she was only appointed interim head"
    )
    assert result.warnings == []


def test_retract_a_plain_triple_and_its_statement(
    tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph
) -> None:
    k1 = IRIS.article_graph("k1")
    assert (CLOUD, PK.subUnitOf, PEG) in graphs[k1]
    path = curation_file(
        tmp_path,
        '- retract: ["Alliances Cloud", pk:subUnitOf, "Partner Ecosystem Group"]\n'
        "  reason: the team reports to NetApp France\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    after = result.graphs[k1]
    assert (CLOUD, PK.subUnitOf, PEG) not in after
    assert list(after.subjects(RDF.predicate, PK.subUnitOf)) == []  # nor its evidence statement
    assert (TRISTAN, ORG.reportsTo, BERENICE) not in reasoned(
        result.graphs, result.curation, ontology
    )


def test_retract_that_matches_nothing_is_a_warning_with_file_and_line(
    tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph
) -> None:
    path = curation_file(
        tmp_path,
        "- add: [Tristan Ferrand, org:memberOf, NetApp]\n"
        "  reason: obvious\n"
        "- retract: [Gaspard Lemoine, org:headOf, Partner Ecosystem Group]\n"
        "  reason: never stated\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("curation.yaml:3: retract matched no")
    assert snapshot(result.graphs) == snapshot(graphs)


# --- merge ----------------------------------------------------------------------------------------
def test_merge_two_entities(tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph) -> None:
    path = curation_file(
        tmp_path,
        '- merge: ["Bérénice Vautrin", "B. Vautrin"]\n'
        "  reason: the same person, named by her initial in the second article\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    assert not any(B_VAUTRIN in t for t in everything(result.graphs, result.curation))
    entities = result.graphs[ENTITIES]
    assert set(entities.objects(BERENICE, RDFS.label)) == {Literal("Bérénice Vautrin")}
    assert (BERENICE, SKOS.altLabel, Literal("B. Vautrin")) in entities
    k2 = result.graphs[IRIS.article_graph("k2")]
    (membership,) = k2.subjects(RDF.type, ORG.Membership)
    assert k2.value(membership, ORG.member) == BERENICE  # her facts follow her
    merge = the_action(result.curation, PK.Merge)
    assert result.curation.value(merge, PK.mergedInto) == BERENICE
    assert set(result.curation.objects(merge, PK.mergedName)) == {Literal("B. Vautrin")}
    assert str(result.curation.value(merge, PK.reason)).startswith("the same person")
    closure = reasoned(result.graphs, result.curation, ontology)
    assert (BERENICE, ORG.memberOf, CHANNEL_2) in closure


def test_merge_of_two_entities_with_the_same_label_keeps_the_label(
    tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph
) -> None:
    path = curation_file(
        tmp_path,
        f"- merge: ['<{CHANNEL_1}>', '<{CHANNEL_2}>']\n  reason: one channel team at NetApp\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    entities = result.graphs[ENTITIES]
    assert set(entities.objects(CHANNEL_1, RDFS.label)) == {Literal("équipe channel")}
    assert not any(CHANNEL_2 in t for t in everything(result.graphs, result.curation))


def test_actions_apply_in_order(
    tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph
) -> None:
    path = curation_file(
        tmp_path,
        '- merge: ["Bérénice Vautrin", "B. Vautrin"]\n'
        "  reason: the same person\n"
        '- add: ["B. Vautrin", org:reportsTo, "Gaspard Lemoine"]\n'  # now an altLabel
        "  reason: stated in the second article's caption\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    assert (BERENICE, ORG.reportsTo, GASPARD) in result.curation


def test_curation_never_modifies_its_input(
    tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph
) -> None:
    before = snapshot(graphs)
    path = curation_file(
        tmp_path,
        '- merge: ["Bérénice Vautrin", "B. Vautrin"]\n'
        "  reason: the same person\n"
        '- retract: ["Tristan Ferrand", org:headOf, "Alliances Cloud"]\n'
        "  reason: not yet appointed\n"
        '- add: ["Tristan Ferrand", org:memberOf, "NetApp"]\n'
        "  reason: he joined in 2015\n",
    )
    result = apply_curation(graphs, path, ontology, IRIS)
    assert snapshot(graphs) == before
    assert snapshot(result.graphs) != before


@pytest.mark.parametrize("text", [None, "", "# nothing to curate yet\n"])
def test_no_or_empty_curation_file(
    tmp_path: Path, graphs: dict[URIRef, Graph], ontology: Graph, text: str | None
) -> None:
    path = curation_file(tmp_path, text) if text is not None else None
    result = apply_curation(graphs, path, ontology, IRIS)
    assert snapshot(result.graphs) == snapshot(graphs)
    assert len(result.curation) == 0


# --- errors: each names the file and the line ----------------------------------------------------
GOOD = "# NetApp\n- add: [Tristan Ferrand, org:memberOf, NetApp]\n  reason: he joined in 2015\n"
ERRORS = [
    ("unknown key", GOOD + "- retract: [Tristan Ferrand, org:headOf, Alliances Cloud]\n"
     "  raison: not yet appointed\n", 4, "unknown key(s) raison"),
    ("missing reason", GOOD + "- merge: [Bérénice Vautrin, B. Vautrin]\n", 4,
     "every action needs a reason"),
    ("empty reason", GOOD + "- merge: [Bérénice Vautrin, B. Vautrin]\n  reason: ''\n", 4,
     "every action needs a reason"),
    ("unknown label", GOOD + "- add: [Tristan Ferand, org:reportsTo, Gaspard Lemoine]\n"
     "  reason: typo in the name\n", 4, "no entity is labelled 'Tristan Ferand'"),
    ("ambiguous label", GOOD + "- merge: [B. Vautrin, équipe channel]\n  reason: x\n", 4,
     "'équipe channel' names 2 entities"),
    ("bad YAML: tab", GOOD + "- merge: [Bérénice Vautrin, B. Vautrin]\n\treason: x\n", 5,
     "not valid YAML"),
    ("bad YAML: indentation", GOOD + " - merge: [Bérénice Vautrin, B. Vautrin]\n", 4,
     "not valid YAML"),
    ("predicate typo", GOOD + "- add: [Tristan Ferrand, org:reportTo, Gaspard Lemoine]\n"
     "  reason: stated\n", 4, "org:reportTo is not a property of the ontology"),
    ("unknown prefix", GOOD + "- add: [Tristan Ferrand, orgg:reportsTo, Gaspard Lemoine]\n"
     "  reason: stated\n", 4, "unknown prefix 'orgg'"),
    ("predicate as a label", GOOD + "- add: [Tristan Ferrand, reports to, Gaspard Lemoine]\n"
     "  reason: stated\n", 4, "must be a CURIE"),
    ("two actions", GOOD + "- add: [Tristan Ferrand, org:memberOf, NetApp]\n"
     "  merge: [Bérénice Vautrin, B. Vautrin]\n  reason: x\n", 4, "exactly one of"),
    ("arity", GOOD + "- merge: [Bérénice Vautrin, B. Vautrin, Tristan Ferrand]\n"
     "  reason: x\n", 4, "merge takes a list of 2 items"),
    ("not a mapping", GOOD + "- merge Bérénice Vautrin\n", 4, "an action is a mapping"),
    ("not a list", "add: [Tristan Ferrand, org:memberOf, NetApp]\nreason: x\n", 1,
     "expected a list of actions"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "message"), [e[1:] for e in ERRORS],
                         ids=[e[0] for e in ERRORS])  # fmt: skip
def test_errors_name_file_and_line(
    tmp_path: Path,
    graphs: dict[URIRef, Graph],
    ontology: Graph,
    text: str,
    line: int,
    message: str,
) -> None:
    before = snapshot(graphs)
    path = curation_file(tmp_path, text)
    with pytest.raises(CurationError) as error:
        apply_curation(graphs, path, ontology, IRIS)
    assert f"curation.yaml:{line}: " in str(error.value)
    assert message in str(error.value)
    assert "\n" not in str(error.value)  # one line
    assert snapshot(graphs) == before


def test_load_actions_reads_kind_line_and_reason(tmp_path: Path) -> None:
    path = curation_file(
        tmp_path,
        "# header\n\n"
        '- merge: ["Bérénice Vautrin", "B. Vautrin"]\n'
        "  reason: same person\n"
        "- reason: written first\n"
        "  retract: [Tristan Ferrand, org:headOf, Alliances Cloud]\n",
    )
    actions = load_actions(path)
    assert [(a.kind, a.line, a.args, a.reason) for a in actions] == [
        ("merge", 3, ["Bérénice Vautrin", "B. Vautrin"], "same person"),
        ("retract", 5, ["Tristan Ferrand", "org:headOf", "Alliances Cloud"], "written first"),
    ]
