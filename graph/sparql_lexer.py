"""A small SPARQL lexer: what a query or update is, and the keywords the endpoint refuses.

pyoxigraph has no algebra API, so the server reads the request text itself. ``scan(text)``
tokenises it the way the SPARQL grammar does (strings, IRIs, comments, variables and
prefixed names are single tokens, so ``"SERVICE"``, ``<http://x/SERVICE>``, ``# SERVICE``,
``?service`` and ``sd:Service`` are not the keyword) and reports the bare keywords.

SPARQL lets ``\\uXXXX`` escapes stand for any character of the text (Query 19.2), so both the
text as sent and the text with its escapes replaced are scanned: a keyword found in either
counts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Local names may hold %XX and backslash escapes such as \' (not the start of a string).
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
# One alternative per token kind; the first that matches at a position wins.
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*)
    | (?P<pname>(?:[^\W\d_](?:[\w.-]*[\w-])?)?:
                (?:(?:[\w:]|{plx})(?:(?:[\w.:\-\u00B7\u0300-\u036F\u203F-\u2040]|{plx})*
                                     (?:[\w:\-\u00B7\u0300-\u036F\u203F-\u2040]|{plx}))?)?)
    | (?P<bnode>_:[\w.-]*)
    | (?P<word>[^\W\d][\w-]*)
    | (?P<other>.)
    """.replace("{plx}", _PLX),
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)


@dataclass(frozen=True)
class Shape:
    """What the lexer saw: the query form, dataset clauses and refused keywords."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None (an update, or unreadable)
    keywords: frozenset[str] = field(default_factory=frozenset)  # bare words, upper case

    @property
    def has_dataset_clause(self) -> bool:
        """FROM or FROM NAMED: the query names its own dataset."""
        return "FROM" in self.keywords

    @property
    def has_service(self) -> bool:
        return "SERVICE" in self.keywords

    @property
    def is_update(self) -> bool:
        return bool(self.keywords & UPDATE_WORDS) and self.form is None

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def unescape(text: str) -> str:
    """Replace the ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes (invalid code points are kept)."""

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(char, text)


def words(text: str) -> list[str]:
    """The bare words of ``text`` (keywords and the like), upper case, in order."""
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def may_name_service(text: str) -> bool:
    """False when ``text`` cannot hold the keyword SERVICE in any spelling (a cheap test)."""
    return "service" in text.lower() or "\\u" in text or "\\U" in text


@functools.lru_cache(maxsize=512)
def scan(text: str) -> Shape:
    """Scan a query or update (both as sent and with its escapes replaced); the same text,
    sent again, is not scanned again."""
    found = words(text)
    unescaped = unescape(text)
    if unescaped != text:
        found += words(unescaped)
    form = next((w for w in found if w in QUERY_FORMS), None)
    # An update has no query form before its first operation; "INSERT ... WHERE { SELECT }"
    # holds a sub-select, so the first of the two kinds of word decides.
    first = next((w for w in found if w in QUERY_FORMS or w in UPDATE_WORDS), None)
    if first in UPDATE_WORDS:
        form = None
    return Shape(form, frozenset(found))
