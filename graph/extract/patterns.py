"""Rules as data: the YAML files of patterns/, validated and compiled on load.

Each rule is a mapping with ``id``, ``pattern`` (a Python regular expression), ``example`` (a
French sentence it must fire on: tests/test_rules.py checks every one), optional ``counter``
(a sentence it must not fire on) and, for relation rules, ``relation`` and ``confidence``.

Patterns use macros between braces, expanded before compiling:

* vocabulary from the gazetteers: ``{NAME}`` (a capitalised name), ``{CAP}``, ``{ACRONYM}``,
  ``{DET}``, ``{UNITWORD}``, ``{UNITWORDS}`` (plural), ``{TITLE}``, ``{HEADTITLE}``,
  ``{TIERWORD}``, ``{COMPANYCUE}``, ``{ROLEWORD}``;
* slots (relation rules only; they match the placeholders of entity mentions and name the
  group): ``{person}``, ``{unit}``, ``{vendor}``, ``{company}``, ``{org}`` (vendor or
  company), ``{orgunit}`` (any organisation), ``{tier}``, ``{role}``, ``{programme}``; a name
  after a colon renames the group, ``{person:boss}``. A slot matches one mention or a
  coordination of mentions of its kind ("⟦P1⟧, ⟦P2⟧ et ⟦P3⟧");
* helpers: ``{de}`` (de, du, des, d', de la, de l'), ``{app}`` (an optional apposition:
  ", ... ," or " (...)"), ``{adv}`` (optional adverbs), ``{title}`` (a job title, captured).

A rule whose pattern does not compile, or names an unknown macro, raises RuleError naming the
file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import RuleError
from ..resources import package_data
from .gazetteer import Gazetteer, alternation, load_gazetteer
from .names import ACRONYM, CAP, DET, LIST_NAME, NAME

PATTERNS = package_data("extract/patterns")

# placeholder kinds: person, unit, vendor, company, tier, role, programme
KIND_CODE = {"person": "P", "unit": "U", "vendor": "V", "company": "C", "tier": "T",
             "role": "R", "programme": "G"}
SLOT_CODES = {**KIND_CODE, "org": "VC", "orgunit": "UVC"}
PLACEHOLDER = re.compile(r"⟦([PUVCTRG])(\d+)⟧")

_MACRO = re.compile(r"\{([A-Za-z_]+)(?::([A-Za-z_]\w*))?\}")
ADVERBS = ("directement", "désormais", "dorénavant", "maintenant", "aussi", "également",
           "lui-même", "elle-même", "eux-mêmes", "elles-mêmes", "lui aussi", "elle aussi",
           "donc", "ainsi", "toujours", "alors", "bien", "déjà", "officiellement",
           "tous les deux", "tous les trois", "tous les quatre", "toutes les deux",
           "toutes les trois", "tous deux", "toutes deux", "en France", "en direct")


@dataclass(frozen=True)
class Rule:
    id: str
    file: str
    line: int
    pattern: str
    regex: re.Pattern[str]
    example: str
    counter: str | None = None
    relation: str | None = None
    confidence: float = 0.8
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def slot_regex(kind: str, group: str) -> str:
    codes = SLOT_CODES[kind]
    one = rf"⟦[{codes}]\d+⟧(?:\s*\([^()⟦]{{1,60}}\))?"
    if "U" in codes:            # "la division X d'HP France": the owner qualifies the item
        one += r"(?:\s+(?:de\s+|d')\s*⟦[UV]\d+⟧)?"
    sep = r"(?:\s*,\s*(?:et\s+)?|\s+et\s+|\s+ou\s+|\s+ainsi\s+que\s+|\s*…\s*)"
    return rf"(?P<{group}>{one}(?:{sep}{one})*)"


def vocabulary(g: Gazetteer) -> dict[str, str]:
    title_words = sorted(g.title_words | g.head_titles)
    return {
        "NAME": NAME, "LISTNAME": LIST_NAME, "CAP": CAP, "ACRONYM": ACRONYM, "DET": DET,
        "UNITWORD": rf"(?:{alternation(list(g.unit_words))})",
        "UNITWORDS": rf"(?:{alternation(sorted(g.unit_plurals))})",
        "TITLE": rf"(?i:{alternation(title_words)})",
        "HEADTITLE": rf"(?i:{alternation(sorted(g.head_titles))})",
        "TIERWORD": rf"(?:{alternation(sorted(g.tiers))})",
        "COMPANYCUE": rf"(?:{alternation(sorted(g.company_cues))})",
        "ROLEWORD": rf"(?:{alternation([r.name for r in g.roles.values()])})",
        "de": r"(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')",
        "app": r"(?:\s*,[^,;.⟦]*(?:⟦[UVCTRG]\d+⟧[^,;.⟦]*)*,|\s*\([^()]*\))?",
        "adv": rf"(?:(?:{alternation(list(ADVERBS))})\s+)*",
        "title": r"(?P<title>(?:[^,;.()⟦]|⟦[UVCTRG]\d+⟧)+?)",
        "of_org": r"(?:\s+(?:de\s+|d')\s*(?:⟦[UV]\d+⟧|la\s+filiale|l'éditeur|la\s+société))?",
        "units_intro": rf"(?:(?:ses|leurs|les|des|deux|trois|quatre|ces|sa|son)\s+)*"
        rf"(?:(?i:{alternation(sorted(g.unit_plurals))})\s+)?",
    }


def expand(pattern: str, vocab: dict[str, str], where: str, slots: bool) -> str:
    def sub(m: re.Match[str]) -> str:
        name, group = m.group(1), m.group(2)
        if name in vocab and group is None:
            return vocab[name]
        if slots and name in SLOT_CODES:
            return slot_regex(name, group or name)
        raise RuleError(f"{where}: unknown macro {{{m.group(0)[1:-1]}}}; known: "
                        f"{', '.join([*vocab, *(SLOT_CODES if slots else [])])}")
    return _MACRO.sub(sub, pattern)      # {2,3} quantifiers start with a digit: untouched


def _load_file(path: Path, vocab: dict[str, str], slots: bool,
               relations: set[str] | None) -> list[Rule]:
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: not valid YAML: {exc}") from None
    if root is None or not isinstance(root, yaml.SequenceNode):
        raise RuleError(f"{path}: expected a list of rules")
    data = yaml.safe_load(text)
    rules = []
    seen: set[str] = set()
    for node, item in zip(root.value, data, strict=True):
        where = f"{path.name}:{node.start_mark.line + 1}"
        if not isinstance(item, dict):
            raise RuleError(f"{where}: a rule must be a mapping")
        missing = {"id", "pattern", "example"} - set(item)
        if relations is not None:
            missing |= {"relation"} - set(item)
        if missing:
            raise RuleError(f"{where}: missing {', '.join(sorted(missing))}")
        if item["id"] in seen:
            raise RuleError(f"{where}: duplicate rule id {item['id']!r}")
        seen.add(item["id"])
        if relations is not None and item["relation"] not in relations:
            raise RuleError(f"{where}: unknown relation {item['relation']!r}; known: "
                            f"{', '.join(sorted(relations))}")
        known = {"id", "pattern", "example", "counter", "relation", "confidence", "options"}
        if set(item) - known:
            raise RuleError(f"{where}: unknown key(s) {', '.join(sorted(set(item) - known))}")
        source = expand(item["pattern"], vocab, where, slots)
        try:
            regex = re.compile(source, re.I if item.get("options", {}).get("ignore_case")
                               else 0)
        except re.error as exc:
            raise RuleError(f"{where}: rule {item['id']}: bad pattern: {exc}") from None
        confidence = float(item.get("confidence", 0.8))
        if not 0 < confidence <= 1:
            raise RuleError(f"{where}: confidence must be in (0, 1]")
        rules.append(Rule(id=item["id"], file=path.name, line=node.start_mark.line + 1,
                          pattern=item["pattern"], regex=regex, example=item["example"],
                          counter=item.get("counter"), relation=item.get("relation"),
                          confidence=confidence, options=dict(item.get("options") or {})))
    return rules


def load_rules(name: str, relations: set[str] | None = None, slots: bool = True,
               folder: Path | None = None) -> list[Rule]:
    """Rules of patterns/<name>.yaml (relations: the names the handlers accept)."""
    path = (folder or PATTERNS) / f"{name}.yaml"
    if not path.exists():
        raise RuleError(f"{path}: rule file missing")
    return _load_file(path, vocabulary(load_gazetteer()), slots, relations)


@cache
def cached_rules(name: str, relations: frozenset[str] | None = None,
                 slots: bool = True) -> tuple[Rule, ...]:
    return tuple(load_rules(name, set(relations) if relations is not None else None, slots))


def placeholders(text: str, kinds: str = "PUVCTRG") -> list[tuple[str, int]]:
    """[(kind code, entity index)] of the placeholders in ``text``."""
    return [(m.group(1), int(m.group(2))) for m in PLACEHOLDER.finditer(text)
            if m.group(1) in kinds]
