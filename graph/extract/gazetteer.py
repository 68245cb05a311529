"""Gazetteers: the general vocabulary of the genre, kept as CSV files in gazetteers/.

They hold words, never the names of specific people, units or partner companies: role and
title words, unit-type words, tier words, places, and a list of well-known vendors. Each file is
validated on load; a bad row raises RuleError naming the file and line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import RuleError
from ..resources import package_data

GAZETTEERS = package_data("extract/gazetteers")


def _rows(name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; '#' lines are comments."""
    path = GAZETTEERS / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RuleError(f"{path}: cannot be read ({exc.strerror})") from None
    numbered = [(i + 1, line) for i, line in enumerate(lines)
                if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        raise RuleError(f"{path}: empty gazetteer")
    header_line, header = numbered[0]
    found = tuple(next(csv.reader([header])))
    if found != columns:
        raise RuleError(f"{path}:{header_line}: header is {','.join(found)}, expected "
                        f"{','.join(columns)}")
    out = []
    for lineno, line in numbered[1:]:
        values = next(csv.reader([line]))
        if len(values) != len(columns):
            raise RuleError(f"{path}:{lineno}: {len(values)} fields, expected {len(columns)} "
                            f"({','.join(columns)})")
        row = dict(zip(columns, (v.strip() for v in values), strict=True))
        if not row[columns[0]]:
            raise RuleError(f"{path}:{lineno}: empty {columns[0]}")
        out.append((lineno, row))
    return out


def alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first, spaces as flexible whitespace."""
    parts = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)


@dataclass(frozen=True)
class Role:
    name: str
    acronyms: tuple[str, ...]
    partner_facing: bool


@dataclass
class Gazetteer:
    vendors: dict[str, str] = field(default_factory=dict)          # surface form -> canonical
    unit_words: dict[str, str] = field(default_factory=dict)       # singular or plural -> class
    unit_plurals: set[str] = field(default_factory=set)
    head_titles: set[str] = field(default_factory=set)
    title_words: set[str] = field(default_factory=set)
    tiers: set[str] = field(default_factory=set)
    tier_ranks: dict[str, int] = field(default_factory=dict)     # lower-cased name -> rank
    roles: dict[str, Role] = field(default_factory=dict)           # lower-cased name -> role
    role_acronyms: dict[str, Role] = field(default_factory=dict)   # acronym -> role
    places: dict[str, str] = field(default_factory=dict)           # name or adjective -> name
    unit_suffixes: set[str] = field(default_factory=set)
    company_cues: set[str] = field(default_factory=set)
    company_words: set[str] = field(default_factory=set)
    first_names: set[str] = field(default_factory=set)
    not_name_starts: set[str] = field(default_factory=set)

    def unit_class(self, word: str) -> str:
        return self.unit_words.get(word.lower(), self.unit_words.get(word, "OrganizationalUnit"))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    g = Gazetteer()
    for _, row in _rows("vendors.csv", ("name", "aliases")):
        g.vendors[row["name"]] = row["name"]
        for alias in filter(None, row["aliases"].split("|")):
            g.vendors[alias] = row["name"]
    for lineno, row in _rows("unit_words.csv", ("word", "plural", "class", "gender")):
        if row["class"] not in ("Division", "Department", "Pole", "Team", "Subsidiary",
                                "OrganizationalUnit"):
            raise RuleError(f"{GAZETTEERS / 'unit_words.csv'}:{lineno}: unknown class "
                            f"{row['class']!r}")
        g.unit_words[row["word"]] = row["class"]
        g.unit_words[row["plural"]] = row["class"]
        g.unit_plurals.add(row["plural"])
    for _, row in _rows("head_titles.csv", ("word", "feminine")):
        g.head_titles.update((row["word"], row["feminine"]))
    for _, row in _rows("title_words.csv", ("word",)):
        g.title_words.add(row["word"])
    for lineno, row in _rows("tiers.csv", ("name", "rank")):
        g.tiers.add(row["name"])
        if row["rank"]:
            if not row["rank"].isdigit():
                raise RuleError(f"{GAZETTEERS / 'tiers.csv'}:{lineno}: rank must be a number")
            g.tier_ranks[row["name"].lower()] = int(row["rank"])
    for lineno, row in _rows("roles.csv", ("name", "acronyms", "partner_facing")):
        if row["partner_facing"] not in ("yes", "no"):
            raise RuleError(f"{GAZETTEERS / 'roles.csv'}:{lineno}: partner_facing must be "
                            "yes or no")
        role = Role(row["name"], tuple(filter(None, row["acronyms"].split("|"))),
                    row["partner_facing"] == "yes")
        g.roles[role.name.lower()] = role
        for acronym in role.acronyms:
            g.role_acronyms.setdefault(acronym, role)
    for _, row in _rows("places.csv", ("name", "adjective_feminine")):
        g.places[row["name"]] = row["name"]
        if row["adjective_feminine"]:
            g.places[row["adjective_feminine"]] = row["name"]
    for _, row in _rows("unit_suffixes.csv", ("word",)):
        g.unit_suffixes.add(row["word"])
    for _, row in _rows("company_cues.csv", ("word", "plural")):
        g.company_cues.update((row["word"], row["plural"]))
    for _, row in _rows("company_words.csv", ("word",)):
        g.company_words.add(row["word"])
    for _, row in _rows("first_names.csv", ("name",)):
        g.first_names.add(row["name"])
    for _, row in _rows("not_name_starts.csv", ("word",)):
        g.not_name_starts.add(row["word"])
    return g


def gazetteer_files() -> list[Path]:
    return sorted(GAZETTEERS.glob("*.csv"))
