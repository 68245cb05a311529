"""Every rule of graph/extract/patterns fires on its example sentence and not on its counter.

Each example is read as a one-sentence article through the whole extractor (spaCy, mentions,
anaphora, rules), so a rule that no longer fires, or that fires where it must not, fails here.
"""

from __future__ import annotations

import pytest

from graph.corpus import article_from_text
from graph.errors import RuleError
from graph.extract.article import extract_article, relation_rules
from graph.extract.mentions import find_mentions, mention_rules
from graph.extract.nlp import parse
from graph.extract.patterns import load_rules

RELATION_RULES = relation_rules()
MENTION_RULES = mention_rules()


def _facts(text: str) -> set[str]:
    article = article_from_text(text, "example", "2017-01")
    doc = next(parse([article.text]))
    return {f.evidence.rule for f in extract_article(article, doc).facts}


def _introduced(text: str) -> set[str]:
    article = article_from_text(text, "example", "2017-01")
    doc = next(parse([article.text]))
    return {o.source for o in find_mentions(article.text, doc).occs}


@pytest.mark.parametrize("rule", RELATION_RULES, ids=lambda r: r.id)
def test_relation_rule_fires_on_its_example(rule):
    assert rule.id in _facts(rule.example), f"{rule.where}: {rule.id} does not fire on its example"


@pytest.mark.parametrize("rule", [r for r in RELATION_RULES if r.counter], ids=lambda r: r.id)
def test_relation_rule_ignores_its_counter_example(rule):
    assert rule.id not in _facts(rule.counter), f"{rule.where}: {rule.id} fires on its counter"


@pytest.mark.parametrize("rule", MENTION_RULES, ids=lambda r: r.id)
def test_mention_rule_fires_on_its_example(rule):
    assert rule.id in _introduced(rule.example), f"{rule.where}: {rule.id} does not fire"


@pytest.mark.parametrize("rule", [r for r in MENTION_RULES if r.counter], ids=lambda r: r.id)
def test_mention_rule_ignores_its_counter_example(rule):
    assert rule.id not in _introduced(rule.counter)


def test_bad_rule_file_names_file_and_line(tmp_path):
    (tmp_path / "relations.yaml").write_text(
        "- id: ok\n  relation: head\n  pattern: '{person} dirige {unit}'\n  example: x\n"
        "- id: broken\n  relation: head\n  pattern: '{person} (dirige {unit}'\n  example: y\n",
        encoding="utf-8")
    with pytest.raises(RuleError, match=r"relations.yaml:5: rule broken: bad pattern"):
        load_rules("relations", {"head"}, folder=tmp_path)


def test_unknown_macro_and_relation_are_reported(tmp_path):
    (tmp_path / "relations.yaml").write_text(
        "- id: a\n  relation: head\n  pattern: '{persn} dirige'\n  example: x\n", "utf-8")
    with pytest.raises(RuleError, match=r"relations.yaml:1: unknown macro \{persn\}"):
        load_rules("relations", {"head"}, folder=tmp_path)
    (tmp_path / "relations.yaml").write_text(
        "- id: a\n  relation: heads\n  pattern: 'x'\n  example: x\n", "utf-8")
    with pytest.raises(RuleError, match=r"unknown relation 'heads'"):
        load_rules("relations", {"head"}, folder=tmp_path)


# --- what a rule or an anaphor resolves to, not only that it fires ------------------------------
def _heads(text: str) -> set[tuple[str, str]]:
    article = article_from_text(text, "example", "2017-01")
    extraction = extract_article(article, next(parse([article.text])))
    names = [m.name for m in extraction.mentions]
    return {
        (names[f.args["person"]], names[f.args["org"]])
        for f in extraction.facts
        if f.relation == "membership" and f.args.get("head") and not f.args.get("former")
    }


def test_ordinal_in_the_same_sentence_picks_that_unit_of_the_list():
    text = ("La direction Channel est organisée en trois équipes (Alliances, Revendeurs et "
            "Grossistes), dont la dernière a été confiée à Paul Girard.")
    assert _heads(text) == {("Paul Girard", "Grossistes")}


def test_celle_ci_is_the_unit_named_last_not_the_subject():
    text = ("Lenovo France crée une nouvelle entité baptisée Lenovo Channel France. "
            "Celle-ci sera dirigée par Marc Ribot, qui rapportera à Anne Vasseur, directrice "
            "générale de la filiale.")
    heads = _heads(text)
    assert ("Marc Ribot", "Lenovo Channel France") in heads
    assert ("Anne Vasseur", "Lenovo France") in heads


def test_a_sentence_initial_participle_is_not_part_of_a_name():
    article = article_from_text(
        "Google crée une nouvelle équipe. Baptisée Channel Sales France, l'équipe est dirigée "
        "par Julien Marsac.", "example", "2017-01")
    mentions = extract_article(article, next(parse([article.text]))).mentions
    assert not any(m.name.startswith("Baptisée") for m in mentions)
