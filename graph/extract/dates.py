"""French dates, absolute or relative to the article's date, with their precision.

"à compter du 1er février" (day), "au mois de juillet dernier" (month), "cet été" (year),
"début avril" (month), "en ce début d'année fiscale" (the article's month), "05/02/04" (day
first), "en 2012", "l'an dernier". Each found date says whether it starts something ("à
compter du", "dès", "depuis"), ends it ("jusqu'en", "jusqu'au") or is a point in time.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ..records import Date

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}
_MONTH = "|".join(MONTHS)
_START = r"(?P<start>à\s+compter\s+d[ue]s?|à\s+partir\s+d[ue]s?|dès|depuis|effective?\s+au)"
_END = r"(?P<end>jusqu'(?:en|au|à|à\s+la\s+fin\s+de)|avant)"
_CUE = rf"(?:{_START}\s+|{_END}\s+)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("slash", re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}|\d{2})\b")),
    ("daymonth", re.compile(
        _CUE + r"(?:le\s+|du\s+|au\s+)?(?P<d>\d{1,2})(?:er|e)?\s+(?P<month>" + _MONTH
        + r")(?:\s+(?P<y>\d{4}))?\b", re.I)),
    ("month", re.compile(
        rf"(?:{_START}\s+(?:de\s+|d')?|{_END}\s*|(?:au\s+mois\s+de|en|courant|(?:au\s+)?"
        r"(?:début|fin|mi)[- ]?)\s*(?:d'|de\s+)?)(?P<month>" + _MONTH + r")(?:\s+(?P<y>\d{4}))?"
        r"(?:\s+(?P<rel>dernier|prochain))?\b", re.I)),
    ("season", re.compile(
        r"\b(?P<rel1>cet|ce|l')\s*(?P<season>été|automne|hiver|printemps)(?:\s+(?P<rel>dernier|"
        r"prochain))?\b", re.I)),
    ("relmonth", re.compile(r"\ble\s+mois\s+(?P<rel>dernier|prochain|passé)\b", re.I)),
    ("thismonth", re.compile(r"\b(?:ce\s+mois-ci|en\s+ce\s+début\s+d'année(?:\s+fiscale)?|"
                             r"début\s+de\s+ce\s+mois)\b", re.I)),
    ("relyear", re.compile(r"\b(?:l'(?:an|année)\s+(?P<rel>dernier|dernière|passée?|prochaine?)|"
                           r"(?P<this>cette\s+année))\b", re.I)),
    ("year", re.compile(_CUE + r"(?P<lead>en|depuis|début|fin|mi-|courant|dès)?\s*"
                        r"(?P<y>(?:19|20)\d{2})\b(?![.,/]\d)", re.I)),
]
# what follows a number that counts things ("2000 revendeurs", "1950 points", "2010 €")
_QUANTITY = re.compile(r"\s*(?:[a-zà-öø-ÿ'-]*[a-zà-öø-ÿ][sx]\b|%|€|\$|[kM]€)")


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    date: Date
    role: str            # "start", "end" or "point"


def _year(y: str) -> int:
    n = int(y)
    return n if len(y) == 4 else (2000 + n if n < 70 else 1900 + n)


def _relative_month(month: int, rel: str | None, ref: Date | None, future_cue: bool,
                    since: bool = False) -> Date | None:
    """The year of a month named without one: 'juillet dernier' is the last July before the
    article, 'juillet prochain' the next one, 'à compter du 1er février' the next February
    (or this one), 'depuis septembre' the last September (or this one); otherwise the
    article's year."""
    if ref is None:
        return None
    year, ref_month = ref.year, ref.month
    if ref_month is not None:
        if rel == "dernier" and month >= ref_month:
            year -= 1
        elif (rel == "prochain" and month <= ref_month) or (future_cue and month < ref_month):
            year += 1
        elif since and month > ref_month:
            year -= 1
    return Date(f"{year}-{month:02d}")


def find_dates(text: str, ref: Date | None) -> list[FoundDate]:
    """Dates in a sentence, resolved against the article's date ``ref``."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            date = _resolve(kind, m, ref)
            if date is None:
                continue
            gd = m.groupdict()
            role = "start" if gd.get("start") else "end" if gd.get("end") else "point"
            found.append(FoundDate(m.start(), m.end(), date, role))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _resolve(kind: str, m: re.Match[str], ref: Date | None) -> Date | None:
    g = m.groupdict()
    since = (g.get("start") or "").lower() == "depuis"  # a start in the past
    future = bool(g.get("start")) and not since
    if kind == "slash":
        return _day(_year(g["y"]), int(g["m"]), int(g["d"]))
    if kind in ("daymonth", "month"):
        month = MONTHS[g["month"].lower()]
        base: Date | None
        if g.get("y"):
            base = Date(f"{g['y']}-{month:02d}")
        else:
            base = _relative_month(month, (g.get("rel") or "").lower() or None, ref, future,
                                   since)
            if base is None:
                return None
        if kind == "daymonth":
            return _day(base.year, month, int(g["d"]))
        return base
    if kind == "year":
        if not (g.get("start") or g.get("end") or g.get("lead")) and _QUANTITY.match(
                m.string, m.end()):
            return None                  # "2000 revendeurs": a count, not a year
        return Date(g["y"])
    if ref is None:
        return None
    if kind == "season":
        rel = (g.get("rel") or "").lower()
        season_end = {"hiver": 2, "printemps": 6, "été": 9, "automne": 12}[g["season"].lower()]
        year = ref.year
        if rel == "dernier" and (ref.month or 12) <= season_end:
            year -= 1
        elif rel == "prochain" and (ref.month or 1) >= season_end:
            year += 1
        return Date(str(year))
    if kind == "relmonth":
        if ref.month is None:
            return None                  # "le mois prochain" of an article dated by its year
        y, mo = ref.year, (ref.month or 1) + (1 if g["rel"].lower() == "prochain" else -1)
        if mo == 0:
            y, mo = y - 1, 12
        elif mo == 13:
            y, mo = y + 1, 1
        return Date(f"{y}-{mo:02d}")
    if kind == "thismonth":
        return Date(ref.iso[:7]) if ref.month else Date(str(ref.year))
    if kind == "relyear":
        if g.get("this"):
            return Date(str(ref.year))
        rel = g["rel"].lower()
        return Date(str(ref.year + (1 if rel.startswith("prochain") else -1)))
    return None


def _day(year: int, month: int, day: int) -> Date | None:
    """The date, or None for an impossible one ("le 30 février", "31/06/2016")."""
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return Date(f"{year}-{month:02d}-{day:02d}")
