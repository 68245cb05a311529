"""Mentions: the entities one article names, and where.

Passes, each over the whole cleaned text: vendors and their subsidiaries/units (gazetteer),
acronym definitions ("Strategic Partner Group (SPG)"), units introduced by a unit word
("le pôle Co-build", "ses branches A et B", "quatre pôles (A, B, C et D)"), roles, people
(spaCy PER entities), then the introducer rules of patterns/mentions.yaml (partner companies,
tiers, programmes), and finally every later occurrence of a known name or alias, including
accent-less and one-typo variants.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..records import Mention
from .gazetteer import Gazetteer, alternation, load_gazetteer
from .names import (
    ACRONYM,
    DET,
    LIST_NAME,
    NAME,
    UPPER,
    acronym_key,
    expands,
    fold,
    is_acronym,
    near_same_name,
)
from .nlp import SPANS_KEY
from .patterns import Rule, cached_rules
from .sentences import sentence_spans

ROLE_NOUNS = {"manager", "managers", "executive", "executives", "director", "directors",
              "representative", "representatives", "specialist", "specialists", "strategist",
              "consultant", "consultants", "engineer", "engineers", "architect", "architects",
              "advisor", "advisors", "conseiller", "conseillers", "coordinateur",
              "coordinator", "officer", "lead", "owner"}
TIER_CUES = re.compile(r"\b(?:niveaux?|labels?|labellisés?|agréments?|certifiés?|statuts?|"
                       r"catégories?|programmes?|partenaires?|partner|tiers?|rangs?)\b", re.I)
PARTNER_WORDS = {"partner", "partners", "channel", "reseller", "resellers", "partenaire",
                 "partenaires", "bp", "alliance", "alliances", "distribution"}
PRODUCT_WORDS = {"Next", "Professional", "Foundation", "Summit", "Day", "Days", "Forum", "Expo",
                 "Conference", "Platform", "Suite", "Certified", "Engine", "Workspace", "Inspire",
                 "Ignite", "World", "Live", "Tour", "Awards"}
PROGRAMME_WORDS = {"Program", "Programme", "Network", "Advantage", "Connect", "PartnerWorld"}
COMPANY_BEFORE = re.compile(r"(?i)\b(?:l'|la\s+|le\s+)(?:intégrateur|société|groupe|"
                            r"revendeur|distributeur|grossiste|cabinet|SSII|ESN|éditeur|"
                            r"start-?up|opérateur)(?:\s+[a-zéèêàç-]+){0,3}\s*$")
TIER_SUFFIX = re.compile(r"\s+(?:Resellers?|Partners?|Providers?|Circle|Members?|Expert|"
                         r"Advantage(?:\s+Partner)?|Certified)\b")
LOWER_TIER_CUE = re.compile(r"(?i:\b(?:devenir|être|niveau|statut|agrément|label|ou|et)\s+$)")
NOT_NAMES = {"Le", "La", "Les", "L", "Un", "Une", "Il", "Elle", "Ils", "Elles", "Ce", "Cette",
             "En", "Et", "Mais", "Pour", "Par", "Dans", "Sur", "Avec", "Ainsi", "De", "Du",
             "Des", "Au", "Aux", "A", "À", "Selon", "Enfin", "Quant", "France", "Europe"}
_PARTICLES = {"de", "van", "von", "der", "den", "du", "le", "la", "di", "da", "del", "dos",
              "ben", "el", "mc", "d'", "des"}
_FOLD_CHAR = {c: unicodedata.normalize("NFKD", c)[0]
              for c in "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝ"}
KINDS = ("person", "unit", "vendor", "company", "tier", "role", "programme")


@dataclass
class Occurrence:
    entity: int
    start: int
    end: int
    source: str
    priority: int = 1             # higher wins when occurrences overlap


@dataclass
class Entities:
    """Article-local entities (records.Mention) and their occurrences in the text."""

    text: str
    items: list[Mention] = field(default_factory=list)
    occs: list[Occurrence] = field(default_factory=list)
    focus_vendor: int | None = None
    alias_pairs: list[tuple[str, str]] = field(default_factory=list)

    def names(self, i: int) -> list[str]:
        return [self.items[i].name, *self.items[i].aliases]

    def lookup(self, kind: str, name: str) -> int | None:
        key, akey = fold(name), acronym_key(name) if is_acronym(name) else None
        for i, m in enumerate(self.items):
            if m.kind != kind:
                continue
            for n in self.names(i):
                if fold(n) == key or (akey and is_acronym(n) and acronym_key(n) == akey):
                    return i
        return None

    def add(self, kind: str, name: str, aliases: tuple[str, ...] | list[str] = (),
            subtype: str | None = None, owner: int | None = None) -> int:
        name = name.strip()
        i = self.lookup(kind, name)
        if i is None:
            for alias in aliases:
                i = self.lookup(kind, alias)
                if i is not None:
                    break
        if i is None:
            self.items.append(Mention(kind=kind, name=name, subtype=subtype, owner=owner))
            i = len(self.items) - 1
            for short, long in self.alias_pairs:          # defined elsewhere in the text
                if fold(name) in (fold(short), fold(long)):
                    aliases = [*aliases, short, long]
        m = self.items[i]
        for alias in [name, *aliases]:
            alias = alias.strip()
            if alias and fold(alias) not in {fold(n) for n in self.names(i)}:
                m.aliases.append(alias)
        if subtype and not m.subtype:
            m.subtype = subtype
        if owner is not None and m.owner is None and owner != i:
            m.owner = owner
        return i

    def occur(self, i: int, start: int, end: int, source: str, priority: int = 1) -> None:
        while end > start and self.text[end - 1] in " ,.;:":
            end -= 1
        if not any(o.entity == i and o.start == start and o.end == end for o in self.occs):
            self.occs.append(Occurrence(i, start, end, source, priority))

    def covered(self, start: int, end: int) -> bool:
        return any(o.start < end and start < o.end for o in self.occs)

    def occurrences_of(self, i: int) -> list[Occurrence]:
        return [o for o in self.occs if o.entity == i]


def fold_text(text: str) -> str:
    """Accents stripped character by character (same length, so offsets are kept)."""
    return "".join(_FOLD_CHAR.get(c, c) for c in text)


# --- the regular expressions built from the gazetteer ------------------------------------------
@lru_cache(maxsize=1)
def _regexes() -> dict[str, re.Pattern[str]]:
    g = load_gazetteer()
    word = rf"\b(?i:{alternation(list(g.unit_words))})\b"
    plural = rf"\b(?i:{alternation(sorted(g.unit_plurals))})\b"
    pre = r"(?i:(?:nouvelles?|nouveaux?|nouvel|seule?s?|même|grande?s?|future?s?|unique)\s+)*"
    post = (r"(?:\s+(?:unique|distincte?s?|dédiée?s?|commerciale?s?|solutions?|mondiale?s?|"
            r"internationale?s?|spécifiques?|commune?s?))*")          # lower case only
    naming = (r"(?:\s*,\s*(?:la\s+|le\s+|l')?)?\s*(?i:(?:baptisée?s?|nommée?s?|appelée?s?|"
              r"dénommée?s?|intitulée?s?|dite?s?)\s+)?")
    quoted = r'"(?P<quoted>[^"]{2,60})"'
    item = rf"(?:{LIST_NAME})(?:\s*\([^()]{{1,80}}\))?"
    return {
        "unit": re.compile(rf"(?<![\w-])(?P<det>(?i:{DET}))?{pre}(?P<word>{word}){post}{naming}"
                           rf"(?:{quoted}|(?P<name>{NAME}))"),
        "unit_list": re.compile(rf"(?<![\w-])(?P<det>(?i:{DET}))?"
                                rf"(?:(?i:deux|trois|quatre|cinq|six)\s+)?(?P<word>{plural}){post}"
                                rf"\s+(?P<list>{item}(?:(?:\s*,\s*|\s+et\s+){item})+)"),
        "unit_paren_list": re.compile(rf"(?P<word>{plural})[^().;:{UPPER}]{{0,30}}"
                                      r"\((?P<list>[^()]+)\)"),
        "unit_colon_list": re.compile(rf"(?i:(?P<count>deux|trois|quatre|cinq|six|sept|huit))\s+"
                                      rf"(?:nouvelles?\s+|nouveaux\s+)?(?P<word>{plural})[^.:;]{{0,30}}"
                                      r":\s*(?P<rest>[^.]+)"),
        "subsidiary": re.compile(rf"(?<![\w-])(?P<det>(?i:{DET}))?(?i:filiale)\s+(?P<place>"
                                 rf"{alternation([p for p in g.places if p.islower()])})"),
        "pair_long_short": re.compile(rf"(?P<long>{NAME})\s*\((?P<short>{ACRONYM})\)"),
        "pair_short_long": re.compile(rf"(?P<short>{ACRONYM})\s*\((?:pour\s+)?"
                                      rf"(?P<long>[^()]{{2,80}}?)\)"),
        "pair_short_pour": re.compile(rf"(?P<short>{ACRONYM}),\s+pour\s+"
                                      rf"(?P<long>[A-Za-zÀ-ÿ][\w' &-]{{2,60}}?)(?=\s*[(,.;])"),
        "pair_bracket": re.compile(rf"(?P<short>{ACRONYM})\s*\[(?P<long>[^\]]{{2,60}})\]"),
        "name": re.compile(NAME),
        "descriptive": re.compile(
            rf"(?<![\w-])(?i:(?:{DET}|du\s+|au\s+|des\s+)(?:(?:nouvelle?|nouvel)\s+)?)"
            r"(?:(?P<word>(?i:direction|division|équipe|organisation|département|service|pôle|"
            r"cellule|activité)s?)\s+(?:des\s+|du\s+|de\s+la\s+)?)?"
            r"(?P<function>(?i:channel|partenaires|alliances|ventes\s+indirectes|ventes\s+PME|"
            r"ventes\s+partenaires|ventes\s+channel|"
            r"grands\s+comptes|mid-market|distribution|écosystème))\b"
            r"(?:\s+(?P<of>(?:de\s+|d')(?:la\s+filiale\s+)?(?:[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)))?"),
    }


# --- passes -------------------------------------------------------------------------------------
def find_mentions(text: str, doc: Any, title: str | None = None) -> Entities:
    g = load_gazetteer()
    ents = Entities(text)
    _vendors(ents, doc, g)
    _focus(ents, title)
    _acronym_pairs(ents, g)
    _people(ents, doc, g)
    _people_by_first_name(ents, g)
    _units(ents, g)
    _roles(ents, doc, g)
    _introducers(ents, g)
    _tiers(ents, doc)
    _repeat_names(ents)
    return ents


def _vendors(ents: Entities, doc: Any, g: Gazetteer) -> None:
    """Vendors; "<vendor> <place>" is its subsidiary, "<vendor> <unit word>..." one of its units
    ("Microsoft France", "Dell Channel France", "Compaq Channel Partners")."""
    spans = _spans(doc)
    by_start = {s.start: s for s in reversed(spans)}
    text = ents.text
    for span in spans:
        if span.label_ != "VENDOR" or ents.covered(span.start_char, span.end_char):
            continue
        vendor = ents.add("vendor", span.id_ or span.text)
        nxt = by_start.get(span.end)
        if nxt is None or nxt.label_ not in ("PLACE", "UNIT_SUFFIX") or \
                not doc[span.end - 1].whitespace_:
            ents.occur(vendor, span.start_char, span.end_char, "gazetteer", 2)
            continue
        end = nxt.end_char
        if nxt.label_ == "UNIT_SUFFIX":
            whole = re.compile(LIST_NAME).match(text, span.start_char)
            end = max(end, whole.end() if whole else end)
        name = ents.items[vendor].name + text[span.end_char:end]
        last = text[span.end_char:end].split()[-1]
        if last in PRODUCT_WORDS:                  # "Google Cloud Next", "VMware Cloud Foundation"
            ents.occur(vendor, span.start_char, span.end_char, "gazetteer", 2)
            continue
        if last in PROGRAMME_WORDS:                # "Microsoft Cloud Partner Program"
            i = ents.add("programme", name, owner=vendor)
            ents.occur(i, span.start_char, end, "vendor+programme", 3)
            continue
        # "Dell France" is a subsidiary; "Dell Channel France" a unit (of the subsidiary)
        subtype = "Subsidiary" if nxt.label_ == "PLACE" else "OrganizationalUnit"
        unit = ents.add("unit", name, subtype=subtype, owner=vendor)
        ents.occur(unit, span.start_char, end, "vendor+place", 3)


def _focus(ents: Entities, title: str | None) -> None:
    counts: Counter[int] = Counter()
    for o in ents.occs:
        m = ents.items[o.entity]
        vendor = o.entity if m.kind == "vendor" else m.owner
        if vendor is not None:
            counts[vendor] += 1
    if title:
        for i, m in enumerate(ents.items):
            if m.kind == "vendor" and re.search(rf"\b{re.escape(m.name)}\b", title):
                counts[i] += 2
    if counts:
        first = {i: min(o.start for o in ents.occs if o.entity == i or
                        ents.items[o.entity].owner == i) for i in counts}
        ents.focus_vendor = max(counts, key=lambda i: (counts[i], -first[i]))


def _classify_pair(short: str, long: str, context: str, g: Gazetteer) -> str | None:
    words = fold(long).split()
    if acronym_key(short) in {acronym_key(a) for a in g.role_acronyms} or \
            ROLE_NOUNS & set(words):
        return "role"
    if re.search(rf"(?i:\b(?:{alternation(list(g.unit_words))})\b)[^.;]{{0,40}}$", context):
        return "unit"
    return None


def _acronym_pairs(ents: Entities, g: Gazetteer) -> None:
    rx = _regexes()
    text = ents.text
    for key in ("pair_long_short", "pair_short_long", "pair_short_pour", "pair_bracket"):
        for m in rx[key].finditer(text):
            short, long = m.group("short"), m.group("long").strip()
            if len(long.split()) > 8 or fold(long) == fold(short):
                continue
            if key == "pair_long_short":
                last = re.split(r"\s+(?:et|and)\s+", long)[-1]
                if last != long and expands(short, last):
                    long = last                     # "A et Solution Provider Network (SPN)"
                elif not expands(short, long):
                    continue
            ents.alias_pairs.append((short, long))
            context = text[max(0, m.start() - 60):m.start()]
            kind = _classify_pair(short, long, context, g)
            if kind == "role":
                i = ents.add("role", long, aliases=[short])
                ents.occur(i, m.start(), m.end(), "acronym", 3)
            elif kind == "unit" and not ents.covered(m.start(), m.end()):
                i = ents.add("unit", long if not is_acronym(long) and long[:1].isupper()
                             else short, aliases=[short, long])
                ents.occur(i, m.start(), m.end(), "acronym", 2)


NUMBERS = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8}


def split_list(text: str) -> list[str]:
    """'A, B et C' -> [A, B, C]; 'A, B et C, et D' (items containing 'et') -> [A, B et C, D]."""
    if re.search(r",\s*et\s+", text):
        parts = re.split(r"\s*,\s*", text)
    else:
        parts = re.split(r"\s*,\s*|\s+et\s+", text)
    return [re.sub(r"^(?:et|and)\s+", "", p.strip()) for p in parts if p.strip()]


def _listed_units(ents: Entities, g: Gazetteer, word: str, items: list[str], pos: int) -> None:
    """Units listed after a plural unit word ('trois équipes (A, B et C)')."""
    if len(items) < 2 or any(len(x.split()) > 6 for x in items):
        return
    for item in items:
        start = ents.text.find(item, pos)
        if start < 0:
            return
        i = ents.add("unit", item, subtype=g.unit_class(word))
        ents.occur(i, start, start + len(item), "unit list", 3)
        pos = start + len(item)


def _unit_name_ok(name: str, g: Gazetteer) -> bool:
    return (name not in NOT_NAMES and name not in g.vendors and name not in g.places
            and fold(name) not in {fold(t) for t in g.title_words})


def _units(ents: Entities, g: Gazetteer) -> None:
    rx = _regexes()
    text = ents.text
    owner = ents.focus_vendor
    for m in rx["subsidiary"].finditer(text):
        if owner is None:
            continue
        place = g.places[m.group("place")]
        i = ents.add("unit", f"{ents.items[owner].name} {place}",
                     aliases=[f"filiale {m.group('place')}"], subtype="Subsidiary", owner=owner)
        ents.occur(i, m.start(), m.end(), "subsidiary", 3)
    for m in rx["unit_paren_list"].finditer(text):
        _listed_units(ents, g, m.group("word"), split_list(m.group("list")), m.start("list"))
    for m in rx["unit_colon_list"].finditer(text):
        count = NUMBERS.get(m.group("count").lower(), 0)
        names: list[str] = []
        for part in re.split(r"\s*;\s*|\s*,\s*(?:et\s+)?|\s+et\s+", m.group("rest")):
            found = re.match(LIST_NAME, re.sub(r"^(?:et|puis|enfin|ou)\s+", "", part.strip()))
            if found and len(names) < count and _unit_name_ok(found.group(0), g):
                names.append(found.group(0))
        if len(names) == count:
            _listed_units(ents, g, m.group("word"), names, m.start("rest"))
    for m in rx["unit_list"].finditer(text):
        cls = g.unit_class(m.group("word"))
        for item in re.finditer(rf"(?P<name>{LIST_NAME})(?:\s*\((?P<alias>[^()]{{1,80}})\))?",
                                m.group("list")):
            name = item.group("name")
            if not _unit_name_ok(name, g):
                continue
            aliases = [item.group("alias")] if item.group("alias") else []
            i = ents.add("unit", name, aliases=aliases, subtype=cls)
            start = m.start("list") + item.start()
            ents.occur(i, start, m.start("list") + item.end(), "unit list", 3)
    for m in rx["unit"].finditer(text):
        name = m.group("quoted") or m.group("name")
        if not m.group("det") and re.search(r"\b(?:en|de|d')\s*$", text[:m.start("word")]):
            continue                  # "répartis en entités nommées X": a kind, not a unit
        between = text[m.end("word"):m.start("quoted") if m.group("quoted") else m.start("name")]
        if "," in between and not m.group("det"):
            continue                  # "Côté organisation, Thibault Marquenet..."
        name = _longest_known_form(ents, text, m.start("quoted") if m.group("quoted")
                                   else m.start("name"), name)
        if not _unit_name_ok(name, g) or (name in g.tiers and not m.group("quoted")):
            continue
        known = ents.lookup("unit", name)
        if any(o.start < m.end() and m.start("word") < o.end and o.entity != known
               for o in ents.occs):
            continue
        word = re.sub(r"\s+", " ", m.group("word").lower())
        aliases = [f"{word} {name}"] if word not in ("bu", "business unit") else []
        i = ents.add("unit", name, aliases=aliases, subtype=g.unit_class(m.group("word")))
        start = m.start("det") if m.group("det") else m.start("word")
        ents.occur(i, start, m.end(), "unit word", 3)
    _descriptive_units(ents, g)


def _descriptive_units(ents: Entities, g: Gazetteer) -> None:
    """Units named by a common-noun phrase: "la direction channel", "l'équipe partenaires",
    "le channel d'Oracle France". One per function and owner in an article; kept only if a
    fact uses them (see extract.article)."""
    text = ents.text
    for m in _regexes()["descriptive"].finditer(text):
        start = m.start("word") if m.group("word") else m.start("function")
        if ents.covered(start, m.end("function")):
            continue
        function = re.sub(r"\s+", " ", m.group("function").lower())
        word = (m.group("word") or "").lower()
        if not word and function != "channel":
            continue                    # "les partenaires" is not a unit; "le channel" is
        owner = None
        if m.group("of"):
            owner_occ = next((o for o in ents.occs if o.start >= m.start("of")
                              and o.start <= m.start("of") + 12), None)
            owner = owner_occ.entity if owner_occ else None
        name = f"{word} {function}".strip() if word else function
        forms = [name]
        if m.group("of"):
            forms.append(f"{function} {text[m.start('of'):m.end()]}".strip())
        existing = next((i for i, e in enumerate(ents.items) if e.kind == "unit" and e.descriptive
                         and function in fold(e.name)), None)
        if existing is not None:
            i = ents.add("unit", ents.items[existing].name, aliases=forms)
        else:
            i = ents.add("unit", forms[0], aliases=forms[1:],
                         subtype=g.unit_class(word) if word else "Department")
            ents.items[i].descriptive = True
        if owner is not None and ents.items[i].owner is None:
            owner_item = ents.items[owner]
            ents.items[i].owner = owner_item.owner if owner_item.kind == "unit" else owner
        ents.occur(i, m.start(), m.end("function"), "descriptive", 2)


def _longest_known_form(ents: Entities, text: str, start: int, name: str) -> str:
    """'la division PME et partenaires': the name is the whole alias defined elsewhere in
    the text ('SMS&P (PME et partenaires)'), not just its capitalised start."""
    for short, long in ents.alias_pairs:
        for form in (long, short):
            if len(form) > len(name) and text.startswith(form, start):
                return form
    return name


def _roles(ents: Entities, doc: Any, g: Gazetteer) -> None:
    for span in _spans(doc):
        if span.label_ != "ROLE" or ents.covered(span.start_char, span.end_char):
            continue
        role = g.roles.get((span.id_ or span.text).lower())
        if role is None:
            continue
        i = ents.add("role", role.name, aliases=[span.text] if span.text != role.name else [],
                     subtype="PartnerFacingRole" if role.partner_facing else None)
        ents.occur(i, span.start_char, span.end_char, "gazetteer", 2)
    for i, m in enumerate(ents.items):
        if m.kind == "role" and m.subtype is None:
            known = [g.roles.get(n.lower()) or g.role_acronyms.get(n) for n in ents.names(i)]
            words = set(fold(" ".join(ents.names(i))).split())
            if any(r and r.partner_facing for r in known) or words & PARTNER_WORDS:
                m.subtype = "PartnerFacingRole"


def _people(ents: Entities, doc: Any, g: Gazetteer) -> None:
    for ent in doc.ents:
        if ent.label_ != "PER":
            continue
        tokens = [t for t in ent if not t.is_space]
        while tokens and tokens[0].text in ("M.", "Mme", "Mlle", "Dr", "Me"):
            tokens = tokens[1:]
        words = [t.text for t in tokens]
        if len(words) < 2 or not words[0][:1].isupper() or not words[-1][:1].isupper():
            continue
        if words[0] in g.not_name_starts:
            continue                      # "Baptisée Channel Sales France, l'équipe..."
        if any(not (w[:1].isupper() or w.lower() in _PARTICLES or w in "-'") for w in words):
            continue
        if any(w in g.vendors or w.lower() in g.unit_words or w in g.title_words
               or w in g.company_words or any(ch.isdigit() for ch in w) for w in words):
            continue
        before = ents.text[max(0, tokens[0].idx - 40):tokens[0].idx]
        if COMPANY_BEFORE.search(before):
            continue                      # "l'intégrateur Axiane Systèmes" is a company
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if ents.covered(start, end):
            continue
        i = ents.add("person", ents.text[start:end])
        ents.occur(i, start, end, "ner", 2)


@lru_cache(maxsize=1)
def _first_name_regex() -> re.Pattern[str]:
    first = alternation(sorted(load_gazetteer().first_names))
    surname = rf"[{UPPER}][a-zà-ÿ'’]+(?:-[{UPPER}][a-zà-ÿ'’]+)?"
    return re.compile(rf"(?<![\w-])(?:{first})(?:-(?:{first}))?[ \u00a0]+"
                      rf"(?:(?:de|du|van|von|le|la|da|di|del|ben|el|Le|La|De|Van)[ \u00a0]+)?"
                      rf"{surname}(?:[ \u00a0]+{surname})?(?![\w-])")


def _people_by_first_name(ents: Entities, g: Gazetteer) -> None:
    """People spaCy's NER missed: a common first name followed by a capitalised surname."""
    for m in _first_name_regex().finditer(ents.text):
        words = m.group(0).split()
        if ents.covered(m.start(), m.end()) or any(
                w in g.vendors or w in g.places or w in g.company_words
                or w.lower() in g.unit_words for w in words[1:]):
            continue
        i = ents.add("person", m.group(0))
        ents.occur(i, m.start(), m.end(), "first name", 2)


def _clean_candidate(name: str) -> str:
    name = name.strip(" ,.;:…-")
    return re.sub(r"\s+", " ", name)


def _introducers(ents: Entities, g: Gazetteer) -> None:
    """Partner companies, tiers and programmes introduced by the rules of mentions.yaml."""
    for rule in mention_rules():
        kind = rule.options["kind"]
        context = rule.options.get("context")
        for m in rule.regex.finditer(ents.text):
            window = ents.text[max(0, m.start() - 200):m.end()]
            if context and not re.search(context, window, re.I):
                continue
            parent = None
            if "parent" in m.groupdict() and m.group("parent"):
                parent = _introduce(ents, "company", m.group("parent"), m.start("parent"), g,
                                    rule)
            for gname in ("name", "names"):
                if gname not in m.groupdict() or not m.group(gname):
                    continue
                base = m.start(gname)
                parts = re.split(r"\s*,\s*|\s+et\s+|\s+ou\s+|…", m.group(gname)) \
                    if gname == "names" else [m.group(gname)]
                if rule.options.get("split") == "clause":
                    parts = _leading_names(m.group(gname))
                pos = base
                for part in parts:
                    part = _clean_candidate(part)
                    if not part:
                        continue
                    start = ents.text.find(part, pos)
                    if start < 0:
                        continue
                    pos = start + len(part)
                    i = _introduce(ents, kind, part, start, g, rule)
                    if i is not None and rule.options.get("span") == "match":
                        ents.occur(i, m.start(gname) if m.group(0)[:1] in ".!?" else
                                   m.start(), m.end(), rule.id, 3)
                    if i is not None and parent is not None and kind == "company":
                        ents.items[i].owner = parent


def _leading_names(clause: str) -> list[str]:
    """The names that open each item of 'A pour l'entrée, puis B et enfin C, le plus haut'."""
    names = []
    for part in re.split(r"[,;]|\s+et\s+|\s+ou\s+", clause):
        part = re.sub(r"^\s*(?:puis|enfin|et|ou)\s+", "", part.strip())
        found = re.match(NAME, part)
        if found:
            names.append(found.group(0))
    return names


def _introduce(ents: Entities, kind: str, name: str, start: int, g: Gazetteer,
               rule: Rule) -> int | None:
    name = _clean_candidate(name)
    end = start + len(name)
    if not name or name in NOT_NAMES or (not re.match(rf"[{UPPER}0-9]", name) and kind != "tier"):
        return None
    for o in ents.occs:                       # already known: vendor, unit, person...
        if o.start <= start and end <= o.end:
            return o.entity if ents.items[o.entity].kind == kind else None
    if name in g.vendors:
        return None
    if kind != "tier" and (name in g.places or fold(name) in {fold(t) for t in g.tiers}):
        return None
    for other in ("person", "unit", "vendor", "role"):
        if other != kind and ents.lookup(other, name) is not None:
            return None
    i = ents.add(kind, name)
    ents.occur(i, start, end, rule.id, 2)
    return i


@lru_cache(maxsize=1)
def mention_rules() -> tuple[Rule, ...]:
    return cached_rules("mentions", slots=False)


def _spans(doc: Any) -> list[Any]:
    """Gazetteer spans, longest first where several start at the same token."""
    return sorted(doc.spans[SPANS_KEY], key=lambda s: (s.start, -len(s)))


def _tiers(ents: Entities, doc: Any) -> None:
    """Tier words of the gazetteer, where the sentence (or its neighbour) talks of tiers."""
    sents = sentence_spans(ents.text)
    cue = [bool(TIER_CUES.search(ents.text[a:b])) for a, b in sents]
    for span in _spans(doc):
        if span.label_ != "TIER" or ents.covered(span.start_char, span.end_char):
            continue
        k = next((j for j, (a, b) in enumerate(sents) if a <= span.start_char < b), 0)
        if not (cue[k] or (k > 0 and cue[k - 1]) or (k + 1 < len(cue) and cue[k + 1])):
            continue
        text = span.text
        before = ents.text[max(0, span.start_char - 12):span.start_char]
        if text.islower() and not LOWER_TIER_CUE.search(before):
            continue
        end = span.end_char
        suffix = TIER_SUFFIX.match(ents.text, end)
        if suffix:
            end = suffix.end()
            text = ents.text[span.start_char:end]
        i = _tier(ents, text)
        ents.occur(i, span.start_char, end, "gazetteer", 2)


def _tier(ents: Entities, name: str) -> int:
    """'gold Certified' and 'Gold' are one tier: a tier word followed by Certified/Partner."""
    base = re.sub(r"(?i)\s+(?:certified|partners?)$", "", name).strip()
    for i, m in enumerate(ents.items):
        if m.kind == "tier" and any(fold(re.sub(r"(?i)\s+(?:certified|partners?)$", "", n))
                                    == fold(base) for n in ents.names(i)):
            if len(name) > len(m.name):
                m.aliases.append(m.name)
                m.name = name
            elif fold(name) not in {fold(n) for n in ents.names(i)}:
                m.aliases.append(name)
            return i
    return ents.add("tier", name)


def _inside_name(text: str, start: int, end: int) -> bool:
    """Whether a word is part of a longer capitalised name ("Partner Advantage")."""
    after = re.match(r"\s*(?:&\s*)?([A-ZÀ-Þ])", text[end:end + 6])
    before = re.search(r"([A-ZÀ-Þ][\w&-]*)\s*(?:&\s*)?$", text[max(0, start - 30):start])
    return bool(after) or bool(before and start > 0 and text[start - 1] == " "
                               and not re.search(r"[.!?:]\s*$", text[max(0, start - 3):start]))


def _repeat_names(ents: Entities) -> None:
    """Later occurrences of known names and aliases, accent-less forms, last names alone and
    one-typo variants of multi-word names."""
    text, folded = ents.text, fold_text(ents.text)
    persons = [i for i, m in enumerate(ents.items) if m.kind == "person"]
    last_names = Counter(ents.items[i].name.split()[-1] for i in persons)
    for i, m in enumerate(ents.items):
        if m.kind not in ("person", "unit", "company", "role", "tier", "programme"):
            continue
        forms = set(ents.names(i))
        if m.kind == "person" and last_names[m.name.split()[-1]] == 1 and \
                len(m.name.split()[-1]) > 2:
            forms.add(m.name.split()[-1])
        for form in sorted(forms, key=len, reverse=True):
            if len(form) < 2:
                continue
            flags = re.I if m.kind in ("role", "tier") and not is_acronym(form) else 0
            pattern = rf"(?<![\w-]){re.escape(fold_text(form))}(?![\w-])"
            if is_acronym(form):
                pattern = rf"(?<![\w-]){re.escape(form)}s?(?![\w-])"
            for hit in re.finditer(pattern, folded if not is_acronym(form) else text, flags):
                if m.kind == "tier" and _inside_name(text, hit.start(), hit.end()):
                    continue                  # "Partner" in "Partner & Ecosystem"
                if not ents.covered(hit.start(), hit.end()):
                    ents.occur(i, hit.start(), hit.end(), "repeat", 1)
    units = [i for i, m in enumerate(ents.items) if m.kind in ("unit", "company")]
    for hit in _regexes()["name"].finditer(text):
        if ents.covered(hit.start(), hit.end()):
            continue
        for i in units:
            if any(near_same_name(hit.group(0), n) for n in ents.names(i)):
                if fold(hit.group(0)) not in {fold(n) for n in ents.names(i)}:
                    ents.items[i].aliases.append(hit.group(0))
                ents.occur(i, hit.start(), hit.end(), "variant", 1)
                break
