"""Regular-expression building blocks for names, and name normalisation."""

from __future__ import annotations

import re
import unicodedata

UPPER = "A-ZÀ-ÖØ-Þ"
# a capitalised word ("Worldwide", "SMS&P", "Co-build", "d'Quadrim" excluded) or "3Com"
CAP = rf"(?:[{UPPER}][\w&'’.+-]*[\w&+]|[{UPPER}]|\d+[A-Za-z][\w-]*)"
# words allowed inside a multi-word proper name
CONNECT = r"(?:and|&|of|for|the|et|on|in|to|with|y|e)"
_SP = r"[ \t\u00a0]+"          # names never run across a line break
NAME = rf"{CAP}(?:{_SP}(?:{CONNECT}{_SP})?{CAP})*"
# a name in a list "A et B": "et" separates names instead of joining their words
LIST_NAME = rf"{CAP}(?:{_SP}(?:(?:and|&|of|for|the|on|in|to|with){_SP})?{CAP})*"
ACRONYM = rf"[{UPPER}][{UPPER}0-9&-]*[{UPPER}0-9]s?"
DET = (r"(?:l'|la |le |les |une |un |sa |son |ses |leur |leurs |cette |ce |cet |ces |"
       r"notre |nos )")

_FOLD = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: 'Raïssa  Lamrani' -> 'raissa lamrani'."""
    s = unicodedata.normalize("NFKD", text.translate(_FOLD))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = s.replace("&", " and ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join("and" if w == "et" else w for w in s.split())


def acronym_key(text: str) -> str:
    """'SMS&P' and 'SMSP' -> 'SMSP'; plural 'PAMs' -> 'PAM'."""
    s = re.sub(r"[^A-Za-z0-9]", "", text)
    if len(s) > 2 and s.endswith("s") and s[:-1].isupper():
        s = s[:-1]
    return s.upper()


def is_acronym(text: str) -> bool:
    return bool(re.fullmatch(ACRONYM, text.strip()))


def initials(name: str) -> str:
    """'Strategic Partner Group' -> 'EPG'; 'Small and Mid Market Solution & Partner' ->
    'SAMMSP' and, without small words, 'SMMSP'."""
    words = re.findall(r"[\w]+", name)
    return "".join(w[0] for w in words).upper()


def expands(acronym: str, long_form: str) -> bool:
    """Whether the capitals of ``long_form`` can spell ``acronym`` in order (loose)."""
    key = acronym_key(acronym)
    letters = [w[0].upper() for w in re.findall(r"\w+", long_form)]
    i = 0
    for ch in key:
        while i < len(letters) and letters[i] != ch:
            i += 1
        if i == len(letters):
            return False
        i += 1
    return True


def edit_distance_le1(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = diff = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            diff += 1
            if diff > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
        else:
            i += 1
            j += 1
    return diff + (len(b) - j) <= 1


def near_same_name(a: str, b: str) -> bool:
    """Multi-word names differing by one small typo in one word ('Unified Chanel Partner')."""
    wa, wb = fold(a).split(), fold(b).split()
    if len(wa) < 2 or len(wa) != len(wb):
        return False
    diffs = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return len(diffs) == 1 and min(map(len, diffs[0])) > 2 and edit_distance_le1(*diffs[0])
