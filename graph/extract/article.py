"""One article: mentions, then the relation rules sentence by sentence, then what follows
from the whole article (who owns each unit, the programme of each tier, tier order from
requirements, units announced as new).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from ..records import Article, Evidence, Extraction, Fact
from . import abstract
from .mentions import find_mentions
from .names import fold
from .patterns import Rule, cached_rules
from .relations import State, apply, relations
from .sentences import sentence_spans

CONFIDENCE_OWNERSHIP = 0.6
ENTITY_ARGS = {"person", "org", "unit", "parent", "superior", "tier", "lower", "higher",
               "company", "role", "old", "subject", "vendor", "programme"}


def relation_rules() -> tuple[Rule, ...]:
    return cached_rules("relations", relations())


def extract_article(article: Article, doc: Any) -> Extraction:
    ents = find_mentions(article.text, doc, article.title)
    state = State(article, ents, abstract.Context())
    rules = relation_rules()
    abstracts = []
    for index, (start, end) in enumerate(sentence_spans(article.text)):
        ab = abstract.build(ents, index, start, end, state.ctx)
        abstracts.append(ab)
        before = len(state.facts)
        for rule in rules:
            not_after = rule.options.get("not_after")
            for m in rule.regex.finditer(ab.text):
                if not_after and re.search(not_after, ab.text[:m.start()]):
                    continue
                apply(state, rule, ab, m)
        _expected_subunits(state, ab)
        abstract.update(state.ctx, ab, ents)
        appointed = [f.args["person"] for f in state.facts[before:]
                     if f.relation == "membership" and f.args.get("head") and not f.args["former"]]
        state.ctx.subjects.extend(appointed)     # "Il/Elle" next refers to who was appointed
    _ownership(state, abstracts)
    _tiers(state, abstracts)
    _announced_units(state, abstracts)
    _creations_cover_subunits(state)
    _roles(state, abstracts)
    _parent_companies(state, abstracts)
    mentions, facts = _prune(state)
    return Extraction(article.id, mentions=mentions, facts=_dedupe(facts))


def _evidence(state: State, ab: abstract.Abstract, start: int, end: int, rule: str,
              confidence: float) -> Evidence:
    to_orig = state.article.offsets.to_original
    return Evidence(state.article.id, ab.index, state.article.text[ab.start:ab.end].strip(),
                    to_orig(start), to_orig(end), rule, confidence)


def _first_occurrence(state: State, entity: int, abstracts: list[abstract.Abstract]
                      ) -> tuple[abstract.Abstract, int, int] | None:
    for ab in abstracts:
        for a_start, _a_end, t_start, t_end in ab.marks:
            if re.match(rf"⟦[A-Z]{entity}⟧", ab.text[a_start:]):
                return ab, t_start, t_end
    return None


def _expected_subunits(state: State, ab: abstract.Abstract) -> None:
    """Units named in the sentences after 'structurée en trois pôles' are its sub-units."""
    remaining = []
    for parent, count, since, rule in state.expected_subunits:
        if ab.index == since:
            remaining.append((parent, count, since, rule))
            continue
        if ab.index > since + 4:
            continue
        found = [int(x) for x in re.findall(r"⟦U(\d+)⟧", ab.text) if int(x) != parent]
        already = {f.args["unit"] for f in state.facts if f.relation == "subUnitOf"}
        new = [u for u in dict.fromkeys(found) if u not in already][:count]
        for unit in new:
            state.add(
                "subUnitOf",
                {"unit": unit, "parent": parent},
                _evidence(state, ab, ab.start, ab.end, rule, 0.75),
            )
        if count > len(new):
            remaining.append((parent, count - len(new), since, rule))
    state.expected_subunits = remaining


def _ownership(state: State, abstracts: list[abstract.Abstract]) -> None:
    """Every unit belongs to a company: the one in its name or named with it ("la division X
    d'Oracle"), else its parent unit's, else the vendor named before it in its sentence, else
    the article's vendor. Top units get a unitOf fact."""
    ents = state.ents
    parent_of = {f.args["unit"]: f.args["parent"] for f in state.facts
                 if f.relation == "subUnitOf"}

    def owner(i: int, seen: frozenset[int] = frozenset()) -> int | None:
        m = ents.items[i]
        if m.owner is not None:
            return m.owner
        parent = parent_of.get(i)
        if parent is not None and parent not in seen:
            found = owner(parent, seen | {i})
            if found is not None:
                return found
        first = _first_occurrence(state, i, abstracts)
        if first is not None:
            ab, t_start, _ = first
            before = ab.text[:next(a for a, _b, t, _e in ab.marks if t == t_start)]
            vendors = re.findall(r"⟦V(\d+)⟧", before)
            if vendors:
                return int(vendors[-1])
        return ents.focus_vendor

    for i, m in enumerate(ents.items):
        if m.kind == "unit":
            m.owner = owner(i)
    for i, m in enumerate(ents.items):
        if m.kind != "unit" or m.owner is None or i in parent_of:
            continue
        found = _first_occurrence(state, i, abstracts)
        if found is not None:
            ab, t_start, t_end = found
            ev = _evidence(state, ab, t_start, t_end, "ownership.context_vendor",
                           CONFIDENCE_OWNERSHIP)
        else:                           # named by a rule only: the fact that named it
            source = next((f for f in state.facts if i in _mentioned(f)), None)
            if source is None:
                continue
            ev = Evidence(**{**source.evidence.__dict__, "rule": "ownership.article_vendor",
                             "confidence": CONFIDENCE_OWNERSHIP})
        state.add("unitOf", {"unit": i, "org": m.owner}, ev)


def _mentioned(fact: Fact) -> set[int]:
    """Entity indices a fact refers to."""
    out: set[int] = set()
    for key, value in fact.args.items():
        if key in ENTITY_ARGS and isinstance(value, int):
            out.add(value)
        elif key in ("before", "after"):
            out.update(value)
    return out


def _prune(state: State) -> tuple[list[Any], list[Fact]]:
    """Drop vendors named once in passing ('les marchés Intel et Unix': not the article's
    vendor, in no fact, owning nothing) and descriptive units no fact uses ('son channel').
    Entity indices are renumbered."""
    ents = state.ents
    attached = ("unitOf", "tierOf", "roleUsedBy")
    used = set().union(*(_mentioned(f) for f in state.facts if f.relation not in attached))
    owners = {m.owner for m in ents.items if m.owner is not None}

    def drop(i: int, m: Any) -> bool:
        if m.kind == "vendor":
            return (i != ents.focus_vendor and i not in used and i not in owners
                    and len(ents.occurrences_of(i)) < 2)
        return m.kind == "unit" and m.descriptive and i not in used

    keep = [i for i, m in enumerate(ents.items) if not drop(i, m)]
    new = {old: k for k, old in enumerate(keep)}
    facts = [f for f in state.facts if _mentioned(f) <= set(new)]
    items = []
    for old in keep:
        m = ents.items[old]
        m.owner = new.get(m.owner) if m.owner is not None else None
        items.append(m)
    for f in facts:
        for key, value in f.args.items():
            if key in ENTITY_ARGS and isinstance(value, int):
                f.args[key] = new[value]
            elif key in ("before", "after"):
                f.args[key] = [new[v] for v in value]
    return items, facts


def _tiers(state: State, abstracts: list[abstract.Abstract]) -> None:
    """Each tier belongs to the programme named in or just before its sentence (and to that
    programme's vendor), else to the article's vendor's programme; points order tiers."""
    ents = state.ents
    for i, m in enumerate(ents.items):
        if m.kind != "tier":
            continue
        found = _first_occurrence(state, i, abstracts)
        if found is None:
            continue
        ab, t_start, t_end = found
        programme = _programme_near(state, abstracts, ab.index)
        vendor = (_programme_owner(state, abstracts, programme) if programme is not None
                  else ents.focus_vendor)
        if vendor is None:
            continue
        m.owner = vendor                        # tiers are scoped by vendor: tier/ibm/aligned
        state.add("tierOf", {"tier": i, "programme": programme, "vendor": vendor},
                  _evidence(state, ab, t_start, t_end, "tier.article_vendor",
                            CONFIDENCE_OWNERSHIP))
    points = {}
    for f in state.facts:
        if f.relation == "requirement" and f.args.get("points") is not None:
            points[f.args["tier"]] = (f.args["points"], f.evidence)
    ranked = {(f.args["lower"], f.args["higher"]) for f in state.facts
              if f.relation == "tierRank"}
    ordered = sorted(points, key=lambda t: points[t][0])
    for lower, higher in itertools.pairwise(ordered):
        if (lower, higher) not in ranked and points[lower][0] < points[higher][0]:
            ev = points[higher][1]
            state.add("tierRank", {"lower": lower, "higher": higher},
                      Evidence(ev.article_id, ev.sentence_index, ev.sentence, ev.start, ev.end,
                               "tier.order_by_points", 0.8))


def _programme_near(state: State, abstracts: list[abstract.Abstract], index: int) -> int | None:
    for ab in (abstracts[index], abstracts[index - 1] if index > 0 else None):
        if ab is not None:
            found = re.findall(r"⟦G(\d+)⟧", ab.text)
            if found:
                return int(found[-1])
    return None


def _programme_owner(
    state: State, abstracts: list[abstract.Abstract], programme: int
) -> int | None:
    """The vendor of a programme: in its name ("Symantec Partner Program"), else the vendor
    named before it in its sentence, else the article's vendor."""
    ents = state.ents
    m = ents.items[programme]
    if m.owner is not None:
        return m.owner
    for i, v in enumerate(ents.items):
        if v.kind == "vendor" and fold(m.name).startswith(fold(v.name)):
            return i
    found = _first_occurrence(state, programme, abstracts)
    if found is not None:
        ab, t_start, _ = found
        before = ab.text[:next(a for a, _b, t, _e in ab.marks if t == t_start)]
        vendors = re.findall(r"⟦V(\d+)⟧", before)
        if vendors:
            return int(vendors[-1])
    return ents.focus_vendor


def _announced_units(state: State, abstracts: list[abstract.Abstract]) -> None:
    """'une nouvelle entité baptisée X': a creation, dated to the article, unless an event
    already covers the unit."""
    covered = {u for f in state.facts if f.relation == "event"
               for u in f.args["before"] + f.args["after"]}
    for ab in abstracts:
        for a_start, _a_end, t_start, t_end in ab.marks:
            hit = re.match(r"⟦U(\d+)⟧", ab.text[a_start:])
            if not hit or int(hit.group(1)) in covered:
                continue
            phrase = state.article.text[t_start:t_end]
            before = abstracts[ab.index - 1].text if ab.index > 0 else ""
            if re.match(r"(?i)(?:une?|d'une?)\s+(?:nouvel(?:le)?|nouveau)\s", phrase) or (
                    re.match(r"(?i)(?:baptisée?|nommée?|appelée?|dénommée?)\s", phrase)
                    and re.search(r"(?i)\b(?:nouvel(?:le)?s?|nouveaux?|unique)\s+(?:direction|"
                                  r"division|entité|équipe|pôle|département|structure|"
                                  r"organisation|unité|cellule)", before)):
                unit = int(hit.group(1))
                covered.add(unit)
                dates = state.dates(ab)
                date = dates[0].date.iso if dates else (
                    state.article.published.iso if state.article.published else None)
                state.add("event", {"type": "Creation", "date": date, "before": [],
                                    "after": [unit], "person": None,
                                    "org": state.ents.focus_vendor},
                          _evidence(state, ab, t_start, t_end, "creation.announced_new", 0.7))


def _creations_cover_subunits(state: State) -> None:
    """Creating a unit structured in sub-units creates them too."""
    children: dict[int, list[int]] = {}
    for f in state.facts:
        if f.relation == "subUnitOf":
            children.setdefault(f.args["parent"], []).append(f.args["unit"])
    for f in state.facts:
        if f.relation == "event" and f.args["type"] == "Creation":
            for unit in list(f.args["after"]):
                for child in children.get(unit, []):
                    if child not in f.args["after"]:
                        f.args["after"].append(child)


def _roles(state: State, abstracts: list[abstract.Abstract]) -> None:
    vendor = state.ents.focus_vendor
    if vendor is None:
        return
    for i, m in enumerate(state.ents.items):
        if m.kind == "role":
            found = _first_occurrence(state, i, abstracts)
            if found:
                ab, t_start, t_end = found
                state.add("roleUsedBy", {"role": i, "org": vendor},
                          _evidence(state, ab, t_start, t_end, "role.article_vendor",
                                    CONFIDENCE_OWNERSHIP))


def _parent_companies(state: State, abstracts: list[abstract.Abstract]) -> None:
    """'Nuvolia (la filiale ... d'Quadrim)': ownership, read by the introducer rules."""
    for i, m in enumerate(state.ents.items):
        if m.kind == "company" and m.owner is not None:
            found = _first_occurrence(state, i, abstracts)
            if found:
                ab, t_start, t_end = found
                state.add("parentCompany", {"company": i, "parent": m.owner},
                          _evidence(state, ab, t_start, t_end, "company.subsidiary_of", 0.7))


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """One fact per statement; requirements are the same when their figures are."""
    best: dict[str, Fact] = {}
    for f in facts:
        args = f.args
        if f.relation == "requirement" and any(args.get(k) is not None for k in
                                               ("points", "amount", "staff")):
            args = {k: v for k, v in args.items() if k != "text"}
        key = f.relation + repr(sorted(args.items(), key=lambda kv: kv[0]))
        if key not in best or f.evidence.confidence > best[key].evidence.confidence:
            best[key] = f
    return list(best.values())


