"""Relation handlers: what each kind of rule of patterns/relations.yaml turns a match into.

A handler receives the match on an abstracted sentence and the article's state, and returns
Facts whose arguments are indices of the article's entities. The rules (patterns) are data;
these handlers are the only code that knows what a relation means.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..records import Article, Evidence, Fact
from .abstract import Abstract, Context
from .dates import FoundDate, find_dates
from .gazetteer import load_gazetteer
from .mentions import Entities
from .patterns import PLACEHOLDER, Rule, vocabulary

NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
                "quinze": 15, "vingt": 20, "trente": 30, "cinquante": 50, "cent": 100,
                "cents": 100, "mille": 1000}
FORMER_CUE = re.compile(r"(?i)^(?:ex-|ancien(?:ne)?\s+|jusqu'(?:ici|alors|à\s+présent)\s+|"
                        r"précédemment\s+|auparavant\s+)")
DEPARTURE_BEFORE = re.compile(r"(?i)(?:départ|démission|retraite|éviction|limogeage|remplacement)"
                              r"\s+(?:de\s+|d')$")


@dataclass
class State:
    """Everything a handler may read or extend while one article is processed."""

    article: Article
    ents: Entities
    ctx: Context
    facts: list[Fact] = field(default_factory=list)
    expected_subunits: list[tuple[int, int, int, str]] = field(default_factory=list)
    # (parent unit, how many, sentence index, rule id) announced by "structurée en trois pôles"

    def evidence(self, ab: Abstract, m: re.Match[str], rule: Rule) -> Evidence:
        start, end = ab.span(m.start(), m.end())
        sentence = self.article.text[ab.start:ab.end].strip()
        to_orig = self.article.offsets.to_original
        return Evidence(article_id=self.article.id, sentence_index=ab.index,
                        sentence=sentence, start=to_orig(start), end=to_orig(end),
                        rule=rule.id, confidence=rule.confidence)

    def add(self, relation: str, args: dict[str, Any], ev: Evidence) -> None:
        self.facts.append(Fact(relation, args, ev))

    def dates(self, ab: Abstract) -> list[FoundDate]:
        return find_dates(self.article.text[ab.start:ab.end], self.article.published)

    def text_of(self, ab: Abstract, m: re.Match[str], group: str) -> str:
        start, end = ab.span(m.start(group), m.end(group))
        return re.sub(r"\s+", " ", self.article.text[start:end]).strip(" ,;:")


Handler = Callable[[State, Rule, Abstract, re.Match[str]], None]
HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn
    return register


def ids(m: re.Match[str], group: str, kinds: str = "PUVCTRG") -> list[int]:
    if group not in m.groupdict() or m.group(group) is None:
        return []
    text = m.group(group)
    found = [x for x in PLACEHOLDER.finditer(text) if x.group(1) in kinds]
    if kinds == "U" and group != "title":      # "X d'HP France et Y": HP France qualifies X
        found = [x for x in found if not re.search(r"(?:\bde\s+|\bd')\s*$", text[:x.start()])]
    return [int(x.group(2)) for x in found]


def _date(state: State, ab: Abstract, roles: tuple[str, ...] = ("start", "point"),
          m: re.Match[str] | None = None) -> str | None:
    """A date of the sentence; within the match first when there is one."""
    found = [f for f in state.dates(ab) if f.role in roles]
    if m is not None:
        a, b = (x - ab.start for x in ab.span(m.start(), m.end()))
        inside = [f for f in found if a <= f.start < b]
        found = inside or [f for f in found if f.start >= b]
    return found[0].date.iso if found else None


def _event_date(state: State, ab: Abstract) -> str | None:
    found = state.dates(ab)
    if found:
        return found[0].date.iso
    return state.article.published.iso if state.article.published else None


def _membership(state: State, ev: Evidence, person: int, org: int, *, head: bool,
                former: bool, title: str | None = None, start: str | None = None,
                role: int | None = None) -> None:
    end = state.article.published.iso if former and state.article.published else None
    state.add("membership", {"person": person, "org": org, "head": head, "former": former,
                             "title": title, "role": role, "start_date": None if former else start,
                             "end_date": end}, ev)


def _appointment(state: State, ab: Abstract, ev: Evidence, person: int, org: int) -> None:
    state.add("event", {"type": "Appointment", "date": _event_date(state, ab), "before": [],
                        "after": [], "person": person, "org": org}, ev)


# --- people and units ----------------------------------------------------------------------------
@handler("head")
def head(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    ev = state.evidence(ab, m, rule)
    former = bool(rule.options.get("former"))
    title = state.text_of(ab, m, "title") if "title" in m.groupdict() and m.group("title") \
        else None
    start = _date(state, ab, m=m)
    units = ids(m, "unit", "U")
    if rule.options.get("unit_from_context") and state.ctx.last_unit is not None:
        units = [state.ctx.last_unit]
    for person in ids(m, "person", "P"):
        for unit in units:
            _membership(state, ev, person, unit, head=True, former=former, title=title,
                        start=start)
            if rule.options.get("appointment"):
                _appointment(state, ab, ev, person, unit)


@handler("succession")
def succession(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    ev = state.evidence(ab, m, rule)
    for unit in ids(m, "unit", "U"):
        for person in ids(m, "person", "P"):
            _membership(state, ev, person, unit, head=True, former=False, start=_date(state, ab))
            _appointment(state, ab, ev, person, unit)
        for old in ids(m, "predecessor", "P"):
            _membership(state, ev, old, unit, head=True, former=True)


@handler("title")
def title(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """An apposition or a fronted job title: a membership of the organisation it names; a
    headship when the title is 'directeur (général) de <unit>', also after another title
    ('vice-présidente et directrice générale d'Oracle France') or for a function
    ('directrice channel d'Adobe France' heads the unit 'channel d'Adobe France')."""
    text = state.text_of(ab, m, "title")
    abstract_title = m.group("title").strip()
    if len(text) < 3 or len(text.split()) > 18:
        return
    former = bool(FORMER_CUE.match(abstract_title)) or bool(rule.options.get("former"))
    former = former or bool(DEPARTURE_BEFORE.search(ab.text[:m.start("person")]))
    orgs, roles = ids(m, "title", "UVC"), ids(m, "title", "R")
    ev = state.evidence(ab, m, rule)
    head = _title_patterns()
    found = head["head"].match(abstract_title) or head["coordinated"].search(abstract_title)
    org = int(found.group("unit")) if found else (orgs[-1] if orgs else None)
    function = None if found else head["function"].match(abstract_title)
    if function:
        org = _function_unit(state, function.group("function"), int(function.group("org")), ev)
    if org is None and re.search(r"(?i)\b(?:son|sa|leur)\s*$", ab.text[:m.start("title")]):
        org = state.ctx.last_company                 # "estime son PDG, X": that company's
    if org is None:
        org = state.ents.focus_vendor
    if org is None:
        return
    start = next((f.date.iso for f in find_dates(text, state.article.published)
                  if f.role == "start"), None)
    for person in ids(m, "person", "P"):
        _membership(state, ev, person, org, head=bool(found or function), former=former,
                    title=text, start=start, role=roles[0] if roles else None)


@lru_cache(maxsize=1)
def _title_patterns() -> dict[str, re.Pattern[str]]:
    voc = vocabulary(load_gazetteer())
    head = (rf"{voc['HEADTITLE']}(?:\s+(?:général|générale|exécutif|exécutive))?\s+{voc['de']}"
            r"⟦U(?P<unit>\d+)⟧(?:\s|$|\s*(?:pour|en|depuis|à))")
    return {
        "head": re.compile(rf"^(?:(?:nouvelle?|actuel(?:le)?(?:ment)?|promue?|nommée?)\s+)?"
                           rf"(?:ex-|ancienn?e?\s+)?{head}", re.I),
        "coordinated": re.compile(rf"(?:\bet\s+|,\s*){head}", re.I),
        "function": re.compile(r"(?i)^(?:ex-|ancienn?e?\s+)?(?:directeur|directrice|responsable|"
                               r"head)\s+(?:du\s+|de\s+la\s+|des\s+)?(?P<function>channel|"
                               r"partenaires|alliances|ventes\s+indirectes)\s+(?:de\s+|d')\s*"
                               r"⟦[UV](?P<org>\d+)⟧"),
    }


def of(name: str) -> str:
    """'de Cisco France' / "d'Adobe France"."""
    return f"d'{name}" if name[:1].lower() in "aeiouyéèêàâîôûh" else f"de {name}"


def _function_unit(state: State, function: str, org: int, ev: Evidence) -> int:
    """The unit 'channel d'Adobe France' of an organisation, a sub-unit when it is a unit."""
    ents = state.ents
    parent = ents.items[org]
    unit = ents.add("unit", f"{function.lower()} {of(parent.name)}", subtype="Department",
                    owner=parent.owner if parent.kind == "unit" else org)
    ents.items[unit].descriptive = True
    if parent.kind == "unit":
        state.add("subUnitOf", {"unit": unit, "parent": org}, ev)
    return unit


@handler("member")
def member(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """A person works for an organisation; with no organisation slot, for the article's vendor."""
    orgs = ids(m, "org", "UVC") or ([state.ents.focus_vendor]
                                    if state.ents.focus_vendor is not None else [])
    ev = state.evidence(ab, m, rule)
    for person in ids(m, "person", "P"):
        for org in orgs:
            _membership(state, ev, person, org, head=False,
                        former=bool(rule.options.get("former")))
            if rule.options.get("appointment"):
                _appointment(state, ab, ev, person, org)


@handler("departure")
def departure(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    ev = state.evidence(ab, m, rule)
    orgs = ids(m, "org", "UVC")
    for person in ids(m, "person", "P"):
        state.add("event", {"type": "Departure", "date": _event_date(state, ab), "before": [],
                            "after": [], "person": person,
                            "org": orgs[0] if orgs else state.ents.focus_vendor}, ev)
        for org in orgs:
            _membership(state, ev, person, org, head=False, former=True)


ORDINALS = {"premier": 0, "première": 0, "second": 1, "seconde": 1, "deuxième": 1,
            "troisième": 2, "quatrième": 3, "dernier": -1, "dernière": -1}


@handler("ordinal_head")
def ordinal_head(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """'Le premier est confié à X, le deuxième à Y': heads of the units listed just before,
    in this sentence ('..., dont la dernière a été confiée à X') or the previous one."""
    listed = state.ctx.last_list
    here = list(dict.fromkeys(int(u) for u in re.findall(r"⟦U(\d+)⟧", ab.text[:m.start()])))
    if len(here) >= 3 or (len(here) == 2 and not re.match(r"\W*⟦U", ab.text)):
        listed = here[1:] if re.match(r"\W*⟦U", ab.text) else here
    if len(listed) < 2:
        return
    ev = state.evidence(ab, m, rule)
    for ordinal, group in (("first", "p1"), ("second", "p2")):
        if not m.groupdict().get(ordinal):
            continue
        k = ORDINALS[m.group(ordinal).lower()]
        if -len(listed) <= k < len(listed):
            for person in ids(m, group, "P"):
                _membership(state, ev, person, listed[k], head=True, former=False)


@handler("reports")
def reports(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """A reporting line; the boss may be 'lui' (the person named just before) or 'me' (the
    interviewee), the subordinate 'je'."""
    ev = state.evidence(ab, m, rule)
    persons, bosses = ids(m, "person", "P"), ids(m, "boss", "P")
    if rule.options.get("boss_from_context"):
        before = [int(x) for x in re.findall(r"⟦P(\d+)⟧", ab.text[:m.start()])]
        bosses = [before[-1]] if before else (
            [state.ctx.last_person] if state.ctx.last_person is not None else [])
    if rule.options.get("boss_from_speaker"):
        bosses = [state.ctx.speaker] if state.ctx.speaker is not None else []
    if rule.options.get("person_from_speaker"):
        persons = [state.ctx.speaker] if state.ctx.speaker is not None else []
    for person in persons:
        for boss in bosses:
            if person != boss:
                state.add("reportsTo", {"person": person, "superior": boss,
                                        "start_date": _date(state, ab, ("start",))}, ev)


@handler("subunit")
def subunit(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    ev = state.evidence(ab, m, rule)
    for parent in ids(m, "parent", "U"):
        for unit in ids(m, "unit", "U"):
            if unit != parent:
                state.add("subUnitOf", {"unit": unit, "parent": parent}, ev)


@handler("subunits_follow")
def subunits_follow(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """'X, structurée en trois pôles': the next N units named are X's sub-units."""
    count = m.group("count").lower()
    n = NUMBER_WORDS.get(count) or (int(count) if count.isdigit() else 0)
    for parent in ids(m, "parent", "U"):
        listed = [u for u in ids_after(ab, m.end(), "U") if u != parent][:n]
        ev = state.evidence(ab, m, rule)
        for unit in listed:
            state.add("subUnitOf", {"unit": unit, "parent": parent}, ev)
        if len(listed) < n:
            state.expected_subunits.append((parent, n - len(listed), ab.index, rule.id))


def ids_after(ab: Abstract, pos: int, kinds: str) -> list[int]:
    return [int(x.group(2)) for x in PLACEHOLDER.finditer(ab.text, pos) if x.group(1) in kinds]


@handler("unitof")
def unitof(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """'la division Applications d'Oracle': the unit's company, stated."""
    for unit in ids(m, "unit", "U"):
        for org in ids(m, "org", "VC"):
            state.ents.items[unit].owner = org
            state.add("unitOf", {"unit": unit, "org": org}, state.evidence(ab, m, rule))


# --- events --------------------------------------------------------------------------------------
def _new_units(state: State, ab: Abstract, m: re.Match[str], group: str) -> list[int]:
    """Units named in plain words by the rule ('fusion des deux branches secteur public et
    industriel'), added to the article's entities."""
    if group not in m.groupdict() or not m.group(group):
        return []
    raw = state.text_of(ab, m, group)
    out = []
    for part in re.split(r"\s*,\s*|\s+et\s+", raw):
        part = part.strip(" .;:")
        if 1 <= len(part.split()) <= 6 and not PLACEHOLDER.search(part):
            out.append(state.ents.add("unit", part, owner=state.ents.focus_vendor))
    return out


def _event(state: State, ab: Abstract, ev: Evidence, kind: str, before: list[int],
           after: list[int]) -> None:
    state.add("event", {"type": kind, "date": _event_date(state, ab), "before": before,
                        "after": after, "person": None, "org": state.ents.focus_vendor}, ev)


@handler("merger")
def merger(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    inputs = ids(m, "inputs", "U") + _new_units(state, ab, m, "new_units")
    if len(inputs) < 2:
        return
    result = ids(m, "result", "U")
    if not result:
        names = " et ".join(state.ents.items[i].name for i in inputs)
        owner = state.ents.items[inputs[0]].owner
        result = [state.ents.add("unit", f"ensemble issu de la fusion de {names}",
                                 owner=owner if owner is not None else state.ents.focus_vendor)]
    state.ctx.result_unit = result[0]
    _event(state, ab, state.evidence(ab, m, rule), "Merger", inputs, result)


@handler("creation")
def creation(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    units = ids(m, "units", "U") + _new_units(state, ab, m, "new_units")
    if rule.options.get("require_new"):
        units = [u for u in units if _announced_new(state, ab, u)]
    if not units:
        return
    state.ctx.result_unit = units[-1]
    _event(state, ab, state.evidence(ab, m, rule), "Creation", [], units)


def _announced_new(state: State, ab: Abstract, unit: int) -> bool:
    for a_start, _a_end, t_start, t_end in ab.marks:
        if ab.text[a_start:].startswith(f"⟦U{unit}⟧"):
            before = state.article.text[max(ab.start, t_start - 30):t_end]
            if re.search(r"(?i)\b(?:nouve(?:au|l|lle)s?|unique|créée?)\b", before):
                return True
    return False


def _register(state: State, entity: int, name: str, after: int) -> None:
    """A unit a rule just named: its later mentions become occurrences, so that the next
    sentences see it ("... est renommée Partner Hub. X prend la tête de Partner Hub.")."""
    text = state.article.text
    for hit in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text[after:]):
        start, end = after + hit.start(), after + hit.end()
        if not state.ents.covered(start, end):
            state.ents.occur(entity, start, end, "named by rule", 2)


@handler("renaming")
def renaming(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    old = ids(m, "old", "U")
    new = ids(m, "new", "U")
    if "new_name" in m.groupdict() and m.group("new_name") and old:
        owner = state.ents.items[old[0]].owner
        name = m.group("new_name").strip()
        new = [state.ents.add("unit", name, owner=owner)]
        _register(state, new[0], name, ab.end)
    if old and new:
        _event(state, ab, state.evidence(ab, m, rule), "Renaming", old, new)


@handler("dissolution")
def dissolution(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    units = ids(m, "unit", "U")
    if units:
        _event(state, ab, state.evidence(ab, m, rule), "Dissolution", units, [])


@handler("transfer")
def transfer(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    source, target = ids(m, "source", "U"), ids(m, "target", "U")
    if source and target:
        _event(state, ab, state.evidence(ab, m, rule), "Transfer", source, target)


# --- tiers, roles, figures -----------------------------------------------------------------------
@handler("tier_order")
def tier_order(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """Tiers listed together: in the gazetteer's usual order when all are known, else as
    written (lowest first) unless the text says the list goes down."""
    tiers = list(dict.fromkeys(ids(m, "tiers", "T")))
    if len(tiers) < 2:
        return
    ranks = load_gazetteer().tier_ranks
    known = [ranks.get(state.ents.items[t].name.lower()) for t in tiers]
    if all(r is not None for r in known) and len(set(known)) == len(known):
        tiers = [t for _, t in sorted(zip(known, tiers, strict=True))]
    elif DESCENDING.search(ab.text):
        tiers = tiers[::-1]
    ev = state.evidence(ab, m, rule)
    for lower, higher in itertools.pairwise(tiers):
        state.add("tierRank", {"lower": lower, "higher": higher}, ev)


DESCENDING = re.compile(r"(?i)(?:par\s+ordre\s+décroissant|du\s+plus\s+(?:haut|élevé|exigeant)"
                        r"\s+au\s+plus\s+(?:bas|accessible)|décroissants?)")


@handler("tier_next")
def tier_next(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """'Au niveau suivant...' / 'le niveau le plus haut': above the tier named just before."""
    previous = state.ctx.last_tier
    ev = state.evidence(ab, m, rule)
    for tier in ids(m, "tier", "T"):
        if previous is not None and previous != tier:
            state.add("tierRank", {"lower": previous, "higher": tier}, ev)


_NUM = (r"\d{1,3}(?:[\s\u00a0.]\d{3})+|\d+(?:[.,]\d+)?|\b(?:un|une|deux|trois|quatre|cinq|"
        r"six|sept|huit|neuf|dix|douze|quinze|vingt|trente|cinquante|cent)\b")
_MONEY = (r"M€|M\$|Md€|Md\$|k€|K€|k\$|MF|€|\$|millions?\s+d'(?:euros|dollars|francs)|"
          r"milliards?\s+d'(?:euros|dollars)|euros|dollars|francs")
_STAFF = (r"certifications?|spécialisations?|VCP|(?:personnes|consultants|ingénieurs|commerciaux|"
          r"techniciens|collaborateurs|vendeurs|experts|salariés)\s+(?:certifiée?s|formée?s|"
          r"accréditée?s|qualifiée?s)")
AMOUNT = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_MONEY}|points?|{_STAFF}|%|[a-zé]+)?", re.I)


@handler("requirements")
def requirements(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    """The conditions a clause states for a tier: points, revenue, certified staff, or the
    words themselves ('sur invitation')."""
    tiers = ids(m, "tier", "T")
    clause = state.text_of(ab, m, "clause")
    if not tiers or not clause:
        return
    found = []
    for a in AMOUNT.finditer(clause):
        value = parse_number(a.group("num"))
        unit = (a.group("unit") or "").strip()
        if value is None or (a.group("num").isdigit() and len(a.group("num")) == 4
                             and 1980 <= value <= 2040 and not unit):
            continue                                        # a year, not an amount
        if not unit or unit.lower() in ("pour", "et", "de", "d"):
            unit = state.ctx.last_amount_unit or ""
        elif re.fullmatch(rf"{_MONEY}|points?|{_STAFF}|%", unit, re.I):
            state.ctx.last_amount_unit = unit
        end = re.search(r"[,;]|\s+et\s+(?=\d|un|une|deux|trois|quatre|cinq|dix)|\s+contre\s+",
                        clause[a.end():])
        text = clause[a.start():a.end() + (end.start() if end else len(clause))].strip(" ,;")
        found.append((value, unit, " ".join(text.split()[:14])))
    ev = state.evidence(ab, m, rule)
    for value, unit, text in found:
        args = _requirement_args(value, unit, text)
        for tier in tiers:
            state.add("requirement", {"tier": tier, **args}, ev)
    if not found and rule.options.get("verb") and len(clause.split()) <= 10:
        for tier in tiers:
            state.add("requirement", {"tier": tier, "text": clause, "points": None,
                                      "amount": None, "currency": None, "staff": None}, ev)


def _requirement_args(value: float, unit: str, text: str) -> dict[str, Any]:
    args: dict[str, Any] = {"text": text, "points": None, "amount": None, "currency": None,
                            "staff": None}
    u = unit.lower()
    if u.startswith("point"):
        args["points"] = int(value)
    elif re.fullmatch(_STAFF, unit, re.I):
        args["staff"] = int(value)
    elif re.fullmatch(_MONEY, unit, re.I):
        scale = 1e9 if re.match(r"(?i)md|milliard", unit) else 1e6 if re.match(
            r"(?i)m(?!d)|million", unit) else 1e3 if re.match(r"(?i)k", unit) else 1
        args["amount"] = value * scale
        args["currency"] = ("USD" if re.search(r"\$|dollar", unit) else
                            "FRF" if re.search(r"(?i)MF|franc", unit) else "EUR")
    return args


def parse_number(text: str | None) -> float | None:
    if not text:
        return None
    t = text.strip().lower()
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    t = re.sub(r"[\s\u00a0.](?=\d{3}\b)", "", t).replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


@handler("partner_tier")
def partner_tier(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    ev = state.evidence(ab, m, rule)
    for company in ids(m, "companies", "VC"):
        for tier in ids(m, "tier", "T"):
            state.add("partnerStatus", {"company": company, "tier": tier}, ev)


@handler("role_replaces")
def role_replaces(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    ev = state.evidence(ab, m, rule)
    for new in ids(m, "role", "R"):
        for old in ids(m, "old", "R"):
            if new != old:
                state.add("roleReplaces", {"role": new, "old": old}, ev)


@handler("figure")
def figure(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    ev = state.evidence(ab, m, rule)
    subjects = ids(m, "subject", "UVCTG")
    value = parse_number(m.group("value"))
    if not subjects or value is None:
        return
    measure = m.group("measure")
    state.add("figure", {"subject": subjects[0], "value": value, "measure": measure,
                         "text": state.text_of(ab, m, "value") + " " + measure}, ev)
    rest = m.groupdict().get("rest") or ""
    for part in re.finditer(r"(?P<v>\d[\d\s.,]*)\s+(?P<what>[^,;.]*?)(?=\s+et\s+\d|[,;.]|$)",
                            rest):
        v = parse_number(part.group("v"))
        if v is not None:
            state.add("figure", {"subject": subjects[0], "value": v,
                                 "measure": f"{measure} {part.group('what').strip()}".strip(),
                                 "text": part.group(0).strip()}, ev)


def relations() -> frozenset[str]:
    return frozenset(HANDLERS)


def apply(state: State, rule: Rule, ab: Abstract, m: re.Match[str]) -> None:
    HANDLERS[rule.relation or ""](state, rule, ab, m)


__all__ = ["HANDLERS", "State", "apply", "relations"]
