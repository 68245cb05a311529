"""Sentence splitting, by rule: spaCy's parser cuts long sentences full of capitalised names
("... Enterprise Partner | Group (EPG) allaient fusionner") in the middle."""

from __future__ import annotations

import re

_ABBREVIATIONS = {"M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Me", "St", "Ste", "cf", "p", "pp",
                  "N", "n", "av", "bd", "vol", "chap", "env", "min", "max", "art", "Inc", "Corp",
                  "Ltd", "Co", "Cie", "vs"}
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»)]*\s+(?=[\"«(]?\s*[A-ZÀ-ÖØ-Þ0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences: split at line breaks and after . ! ? followed by a capital, except after
    abbreviations and initials ("M. Dupont", "J. Smith")."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _SENTENCE_END.finditer(line.group(0)):
            before = line.group(0)[:m.start()].rstrip(".!?…\"»)")
            word = re.search(r"([\w°]+)$", before)
            if word and (word.group(1) in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
            end = line.start() + m.start()
            if text[start:end].strip():
                spans.append((start, end))
            start = line.start() + m.end()
        if text[start:line.end()].strip():
            spans.append((start, line.end()))
    return spans
