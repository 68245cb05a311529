"""Resolve (graph/resolve.py): the mentions of every article -> one entity each, stable IRIs.

Most tests build records.Extraction objects by hand, as the extractor hands them over: one
list of mentions per article, a unit's ``owner`` being the index of its company's mention in
the same article. The last tests read tiny invented articles through the extractor.
"""

from __future__ import annotations

import itertools

import pytest
from rdflib import URIRef

from graph.corpus import article_from_text
from graph.extract import extract_articles
from graph.iris import Iris
from graph.records import Extraction, Mention
from graph.resolve import Entity, Resolution, resolve

BASE = "https://example.org/kg/"
IRIS = Iris(BASE)


def mention(
    kind: str, name: str, *aliases: str, owner: int | None = None, subtype: str | None = None
) -> Mention:
    return Mention(kind, name, list(aliases), owner, subtype)


def article(article_id: str, *mentions: Mention) -> Extraction:
    return Extraction(article_id, list(mentions))


def entity_of(res: Resolution, article_id: str, index: int) -> Entity:
    return res.entities[res.iri(article_id, index)]


def summary(res: Resolution) -> dict[str, tuple[object, ...]]:
    """Everything a build writes about the entities, as comparable values."""
    return {
        str(iri): (
            e.kind,
            e.label,
            tuple(e.alt_labels),
            tuple(e.subtypes),
            e.owner,
            tuple(e.articles),
        )
        for iri, e in res.entities.items()
    }


def netapp_unit(article_id: str, name: str, *aliases: str) -> Extraction:
    """An article naming the vendor NetApp (mention 0) and one of its units (mention 1)."""
    return article(
        article_id, mention("vendor", "NetApp"), mention("unit", name, *aliases, owner=0)
    )


# --- one entity for all mentions ---------------------------------------------------------------
def test_acronym_declared_in_one_article_matches_the_bare_acronym_in_another() -> None:
    # "la division Partner Ecosystem Group (PEG)" in a1, "le PEG" in a2
    res = resolve(
        [netapp_unit("a1", "Partner Ecosystem Group", "PEG"), netapp_unit("a2", "PEG")], IRIS
    )
    unit = entity_of(res, "a1", 1)
    assert res.iri("a2", 1) == unit.iri
    assert unit.label == "Partner Ecosystem Group"
    assert unit.alt_labels == ["PEG"]
    assert unit.articles == ["a1", "a2"]


def test_long_form_is_the_label_even_when_the_acronym_is_more_frequent() -> None:
    articles = [netapp_unit(f"b{i}", "PEG") for i in range(4)]
    articles.append(netapp_unit("b9", "Partner Ecosystem Group", "PEG"))
    res = resolve(articles, IRIS)
    assert len({res.iri(a.article_id, 1) for a in articles}) == 1
    assert entity_of(res, "b0", 1).label == "Partner Ecosystem Group"


def test_ampersand_acronym_matches_the_one_without() -> None:
    # the "SMS&P = SMSP", on an invented unit
    res = resolve(
        [
            netapp_unit("a1", "Global Technology & Services", "GT&S"),
            netapp_unit("a2", "GTS"),
            netapp_unit("a3", "GT&S"),
        ],
        IRIS,
    )
    assert res.iri("a1", 1) == res.iri("a2", 1) == res.iri("a3", 1)
    unit = entity_of(res, "a2", 1)
    assert unit.label == "Global Technology & Services"
    assert set(unit.alt_labels) == {"GT&S", "GTS"}


def test_accents_and_case_are_one_person_and_other_forms_are_alt_labels() -> None:
    res = resolve(
        [
            article("a1", mention("person", "Bérénice Vautrin")),
            article("a2", mention("person", "Bérénice Vautrin")),
            article("a3", mention("person", "Berenice Vautrin")),
            article("a4", mention("person", "Bérénice VAUTRIN")),
        ],
        IRIS,
    )
    assert len(res.entities) == 1
    person = entity_of(res, "a3", 0)
    assert person.label == "Bérénice Vautrin"  # the most used form
    assert person.iri == IRIS.entity("person", "Bérénice Vautrin")
    # the other surface forms stay findable
    assert sorted(person.alt_labels) == ["Berenice Vautrin", "Bérénice VAUTRIN"]
    assert person.articles == ["a1", "a2", "a3", "a4"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Jean-Marc Tessier", "Jean Marc Tessier"),
        ("Loïc d'Arvor", "Loïc d’Arvor"),
        ("Noémie  Keraudren", "Noémie Keraudren"),
    ],
)
def test_person_name_variants_are_one_person(first: str, second: str) -> None:
    res = resolve(
        [article("a1", mention("person", first)), article("a2", mention("person", second))],
        IRIS,
    )
    assert res.iri("a1", 0) == res.iri("a2", 0)


def test_persons_with_the_same_name_are_one_person_across_companies() -> None:
    res = resolve(
        [
            article("a1", mention("vendor", "NetApp"), mention("person", "Gaspard Lemoine")),
            article("a2", mention("vendor", "Sophos"), mention("person", "Gaspard Lemoine")),
        ],
        IRIS,
    )
    assert res.iri("a1", 1) == res.iri("a2", 1)
    assert res.iri("a1", 0) != res.iri("a2", 0)


def test_persons_one_letter_apart_are_different_people() -> None:
    res = resolve(
        [
            article("a1", mention("person", "Julien Martin")),
            article("a2", mention("person", "Julien Marin")),
        ],
        IRIS,
    )
    assert res.iri("a1", 0) != res.iri("a2", 0)


def test_one_typo_in_a_unit_name() -> None:
    # the "Once Commercial Partner" = "One Commercial Partner", on invented units
    res = resolve(
        [
            netapp_unit("a1", "Partner Ecosystem Group"),
            netapp_unit("a2", "Partner Ecosystem Group"),
            netapp_unit("a3", "Partner Ecosytem Group"),
            netapp_unit("a4", "Partners Ecosystem Group"),
        ],
        IRIS,
    )
    assert len({res.iri(f"a{i}", 1) for i in range(1, 5)}) == 1
    unit = entity_of(res, "a3", 1)
    assert unit.label == "Partner Ecosystem Group"
    assert set(unit.alt_labels) == {"Partner Ecosytem Group", "Partners Ecosystem Group"}


def test_one_typo_in_a_partner_company_name() -> None:
    res = resolve(
        [
            article("a1", mention("company", "Keravel Informatique")),
            article("a2", mention("company", "Keravel Informatiqe")),
        ],
        IRIS,
    )
    assert res.iri("a1", 0) == res.iri("a2", 0)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Partner Ecosystem Group", "Partner Ecosystem Team"),  # another word
        ("Partner Ecosystem Group", "Partner Ecosytem Groups"),  # two typos
        ("Data AI Group", "Data BI Group"),  # a two-letter word: no typo there
        ("Cloud Alliances", "Cloud Alliances Europe"),  # one more word
        ("Alliances", "Aliances"),  # one word only: too risky
    ],
)
def test_names_that_are_not_one_typo_apart_stay_apart(first: str, second: str) -> None:
    res = resolve([netapp_unit("a1", first), netapp_unit("a2", second)], IRIS)
    assert res.iri("a1", 1) != res.iri("a2", 1)


def test_units_of_different_vendors_are_not_merged() -> None:
    res = resolve(
        [
            netapp_unit("a1", "Partner Ecosystem Group", "PEG"),
            article(
                "a2",
                mention("vendor", "Sophos"),
                mention("unit", "Partner Ecosystem Group", owner=0),
                mention("unit", "Partner Ecosytem Group", owner=0),
            ),
            article("a3", mention("vendor", "Sophos"), mention("unit", "PEG", owner=0)),
        ],
        IRIS,
    )
    netapp, sophos = res.iri("a1", 1), res.iri("a2", 1)
    assert netapp != sophos
    assert res.iri("a2", 2) == sophos  # the typo is merged within Sophos
    assert res.iri("a3", 1) != netapp  # Sophos's "PEG" is not NetApp's
    assert netapp == URIRef(f"{BASE}id/unit/netapp/partner-ecosystem-group")
    assert sophos == URIRef(f"{BASE}id/unit/sophos/partner-ecosystem-group")
    assert res.entities[sophos].owner == res.iri("a2", 0)


def test_tiers_are_merged_within_their_vendor_whatever_their_suffix() -> None:
    res = resolve(
        [
            article("a1", mention("vendor", "Sophos"), mention("tier", "Gold", owner=0)),
            article("a2", mention("vendor", "Sophos"), mention("tier", "Gold Partner", owner=0)),
            article("a3", mention("vendor", "NetApp"), mention("tier", "Gold", owner=0)),
            article("a4", mention("vendor", "Sophos"), mention("tier", "Gold Certified", owner=0)),
            article("a5", mention("vendor", "Sophos"), mention("tier", "Gold", owner=0)),
        ],
        IRIS,
    )
    sophos_gold = {res.iri(a, 1) for a in ("a1", "a2", "a4", "a5")}
    assert sophos_gold == {URIRef(f"{BASE}id/tier/sophos/gold")}  # "Gold": the most used
    assert res.iri("a3", 1) == URIRef(f"{BASE}id/tier/netapp/gold")


def test_every_mention_has_an_entity() -> None:
    articles = [
        netapp_unit("a1", "Partner Ecosystem Group", "PEG"),
        article(
            "a2", mention("person", "Tristan Ferrand"), mention("role", "Partner Account Manager")
        ),
    ]
    res = resolve(articles, IRIS)
    assert set(res.by_mention) == {
        (a.article_id, i) for a in articles for i in range(len(a.mentions))
    }
    assert all(iri in res.entities for iri in res.by_mention.values())


# --- IRIs ---------------------------------------------------------------------------------
MIXED = [
    article(
        "a1",
        mention("vendor", "NetApp"),
        mention("unit", "Global Technology & Services", "GT&S", owner=0),
        mention("person", "Bérénice Vautrin"),
        mention("role", "Partner Account Manager", "PAM"),
    ),
    article(
        "a2",
        mention("vendor", "NetApp"),
        mention("person", "Berenice Vautrin"),
        mention("company", "Cœur Réseaux"),
        mention("tier", "Platinum", owner=0),
        mention("programme", "NetApp Unified Partner Program", owner=0),
    ),
    article(
        "a3",
        mention("vendor", "Sophos"),
        mention("unit", "GTS", owner=0),
        mention("person", "Loïc d'Arvor"),
    ),
]


def test_iris_are_readable_slugs_under_type_paths() -> None:
    res = resolve(MIXED, IRIS)
    expected = {
        ("a1", 0): "id/org/netapp",
        ("a1", 1): "id/unit/netapp/global-technology-services",
        ("a1", 2): "id/person/berenice-vautrin",
        ("a1", 3): "id/role/partner-account-manager",
        ("a2", 0): "id/org/netapp",
        ("a2", 1): "id/person/berenice-vautrin",
        ("a2", 2): "id/org/coeur-reseaux",
        ("a2", 3): "id/tier/netapp/platinum",
        ("a2", 4): "id/programme/netapp/netapp-unified-partner-program",
        ("a3", 0): "id/org/sophos",
        ("a3", 1): "id/unit/sophos/gts",
        ("a3", 2): "id/person/loic-d-arvor",
    }
    assert {k: str(v) for k, v in res.by_mention.items()} == {
        k: BASE + path for k, path in expected.items()
    }


def test_base_iri_is_configurable() -> None:
    for base in ("https://data.example.net/partners/", "http://localhost:8000/kg#"):
        res = resolve(MIXED, Iris(base))
        assert all(str(iri).startswith(base + "id/") for iri in res.entities)
        assert res.iri("a1", 2) == URIRef(base + "id/person/berenice-vautrin")


def test_building_twice_gives_the_same_iris() -> None:
    first = resolve(MIXED, IRIS)
    again = [Extraction.from_dict(a.to_dict()) for a in MIXED]  # as read back from the cache
    second = resolve(again, IRIS)
    assert first.by_mention == second.by_mention
    assert summary(first) == summary(second)


# two units named alike but kept apart (no owner known, different articles), and a vendor and a
# partner company with the same name: their slugs collide, and who gets "-2" must not depend on
# the order in which the articles come
COLLIDING = [
    article("c1", mention("unit", "équipe channel")),
    article("c2", mention("unit", "équipe channel")),
    article("c3", mention("vendor", "Sage")),
    article("c4", mention("company", "SAGE")),
    article("c5", mention("vendor", "Sage")),
    *MIXED,
]


def test_iris_do_not_depend_on_the_order_of_the_articles() -> None:
    reference = resolve(COLLIDING, IRIS)
    assert len({reference.iri("c1", 0), reference.iri("c2", 0)}) == 2
    assert reference.iri("c3", 0) == reference.iri("c5", 0) != reference.iri("c4", 0)
    # a spread of the 40320 orders, and the reverse one
    orders = list(itertools.islice(itertools.permutations(COLLIDING), 0, None, 997))
    orders.append(tuple(reversed(COLLIDING)))
    for order in orders:
        res = resolve(list(order), IRIS)
        assert res.by_mention == reference.by_mention, [a.article_id for a in order]
        assert summary(res) == summary(reference)


# --- through the extractor --------------------------------------------------------------------
def test_acronym_declared_in_text_resolves_across_articles() -> None:
    articles = [
        article_from_text(
            "NetApp crée une division\n\nNetApp a annoncé la création de la division Partner "
            "Ecosystem Group (PEG), dirigée par Bérénice Vautrin.\n",
            "peg-1",
            "2016-03",
        ),
        article_from_text(
            "Nouvelle recrue chez NetApp\n\nTristan Ferrand rejoint la division PEG de NetApp.\n",
            "peg-2",
            "2016-05",
        ),
    ]
    extractions = extract_articles(articles)
    res = resolve(extractions, IRIS)
    units = [e for e in res.entities.values() if e.kind == "unit"]
    assert [(str(u.iri), u.label, u.articles) for u in units] == [
        (
            f"{BASE}id/unit/netapp/partner-ecosystem-group",
            "Partner Ecosystem Group",
            ["peg-1", "peg-2"],
        )
    ]
    assert "PEG" in units[0].alt_labels


def test_a_vendors_tier_named_in_two_articles_is_one_tier() -> None:
    articles = [
        article_from_text(
            "Sophos et ses partenaires\n\nL'intégrateur rennais Keravel Informatique devient "
            "partenaire Gold de Sophos.\n",
            "gold-1",
            "2016-03",
        ),
        article_from_text(
            "Sophos recrute\n\nL'intégrateur nantais Ouestlink, partenaire Gold de Sophos, "
            "ouvre une agence à Brest.\n",
            "gold-2",
            "2016-06",
        ),
    ]
    res = resolve(extract_articles(articles), IRIS)
    tiers = [e for e in res.entities.values() if e.kind == "tier"]
    assert [(str(t.iri), t.articles) for t in tiers] == [
        (f"{BASE}id/tier/sophos/gold", ["gold-1", "gold-2"])
    ]
