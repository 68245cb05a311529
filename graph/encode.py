"""Dictionary encoding of RDF terms for the fast reasoner.

Terms are keyed either by rdflib terms (``RdflibCodec``) or by their N-Triples text
(``NTriplesCodec``, which lets the store's dump be encoded without building rdflib or
pyoxigraph objects: the slow part of handling a million triples in Python).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import count, islice
from operator import itemgetter, methodcaller
from typing import Any, Generic, TypeVar

import numpy as np
import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from .errors import ReasoningError
from .noise import BUILTIN_NAMESPACES
from .store import from_ox, to_ox

K = TypeVar("K", bound=Hashable)

_LINE = re.compile(r"^(\S+) (\S+) (.+) \.$", re.M)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_BUILTIN_KEYS = tuple(f"<{ns}" for ns in BUILTIN_NAMESPACES)


def parse_ntriples(text: str) -> list[tuple[str, str, str]]:
    """(subject, predicate, object) of N-Triples lines, as N-Triples terms."""
    if text and not text.endswith("\n"):
        text += "\n"
    rows: list[tuple[str, str, str]] = _LINE.findall(text)
    if len(rows) != text.count("\n"):
        raise ReasoningError("cannot read the N-Triples dump of the store (unexpected line)")
    return rows


def ntriples_chunks(text: str, size: int = 1 << 22) -> Iterator[str]:
    """Pieces of about ``size`` characters, cut after a newline."""
    start = 0
    while start < len(text):
        end = text.find("\n", min(start + size, len(text) - 1))
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


@contextmanager
def no_gc() -> Iterator[None]:
    """Pauses the cyclic garbage collector: millions of small tuples and strings (none in a
    cycle) would trigger many full collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return _SIMPLE.get(m.group(3), m.group(3))
        return chr(int(m.group(1) or m.group(2), 16))

    return _ESCAPE.sub(repl, text)


def literal_parts(key: str) -> tuple[str, str | None, str | None]:
    """(lexical form, language, datatype IRI) of an N-Triples literal."""
    end = key.rindex('"')
    lexical, rest = _unescape(key[1:end]), key[end + 1 :]
    if rest.startswith("@"):
        return lexical, rest[1:], None
    if rest.startswith("^^<"):
        return lexical, None, rest[3:-1]
    return lexical, None, None


class Codec(Generic[K]):
    """How terms are keyed: conversions to and from rdflib and the kinds of terms."""

    def key(self, node: Node) -> K:
        raise NotImplementedError

    def node(self, key: K) -> Node:
        raise NotImplementedError

    def iri(self, iri: str) -> K:
        return self.key(URIRef(iri))

    def is_literal(self, key: K) -> bool:
        raise NotImplementedError

    def is_builtin(self, key: K) -> bool:
        raise NotImplementedError

    def typed(self, key: K) -> tuple[str, str] | None:
        """(datatype IRI, lexical form) of a literal with a datatype, else None."""
        raise NotImplementedError

    def literal_test(self) -> Callable[[K], bool]:
        return self.is_literal

    def builtin_test(self) -> Callable[[K], bool]:
        return self.is_builtin


class RdflibCodec(Codec[Node]):
    def key(self, node: Node) -> Node:
        return node

    def node(self, key: Node) -> Node:
        return key

    def is_literal(self, key: Node) -> bool:
        return isinstance(key, Literal)

    def is_builtin(self, key: Node) -> bool:
        return isinstance(key, URIRef) and str(key).startswith(BUILTIN_NAMESPACES)

    def typed(self, key: Node) -> tuple[str, str] | None:
        if isinstance(key, Literal) and key.datatype is not None:
            return str(key.datatype), str(key)
        return None


class NTriplesCodec(Codec[str]):
    def key(self, node: Node) -> str:
        return str(to_ox(node))

    def node(self, key: str) -> Node:
        return from_ox(self.ox(key))

    def iri(self, iri: str) -> str:
        return f"<{iri}>"

    def ox(self, key: str) -> Any:
        if key.startswith("<"):
            return ox.NamedNode(key[1:-1])
        if key.startswith("_:"):
            return ox.BlankNode(key[2:])
        lexical, lang, datatype = literal_parts(key)
        if lang is not None:
            return ox.Literal(lexical, language=lang)
        if datatype is not None:
            return ox.Literal(lexical, datatype=ox.NamedNode(datatype))
        return ox.Literal(lexical)

    def is_literal(self, key: str) -> bool:
        return key.startswith('"')

    def is_builtin(self, key: str) -> bool:
        return key.startswith(_BUILTIN_KEYS)

    def typed(self, key: str) -> tuple[str, str] | None:
        if not (key.startswith('"') and key.endswith(">")):
            return None
        lexical, _, datatype = literal_parts(key)
        return (datatype, lexical) if datatype is not None else None

    def literal_test(self) -> Callable[[str], bool]:
        return methodcaller("startswith", '"')

    def builtin_test(self) -> Callable[[str], bool]:
        return methodcaller("startswith", _BUILTIN_KEYS)


class TermTable(Generic[K]):
    """term key <-> integer id."""

    def __init__(self, codec: Codec[K]) -> None:
        self.codec = codec
        self.ids: dict[K, int] = {}
        self.terms: list[K] = []

    def encode(self, n: int, *columns: Iterable[K]) -> list[np.ndarray]:
        """Ids of the keys of columns of ``n`` keys each, adding the new keys to the table."""
        # one dict operation per key: new keys get provisional, sparse ids from a counter,
        # then dense ones (in insertion order) through a remapping array
        start = len(self.terms)
        counter = count(start)
        raw = [np.fromiter(map(self.ids.setdefault, col, counter), np.int64, n) for col in columns]
        top = next(counter)
        fresh = list(islice(self.ids, start, None))
        if top >= 2**31:
            raise ReasoningError("too many terms for the fast reasoner (2**31)")
        remap = np.arange(top, dtype=np.int64)
        remap[np.fromiter(map(self.ids.__getitem__, fresh), np.int64, len(fresh))] = np.arange(
            start, start + len(fresh), dtype=np.int64
        )
        self.ids.update(zip(fresh, range(start, start + len(fresh)), strict=True))
        self.terms.extend(fresh)
        return [remap[ids] for ids in raw]

    def encode_rows(self, rows: Sequence[tuple[K, K, K]]) -> list[np.ndarray]:
        return self.encode(len(rows), *(map(itemgetter(i), rows) for i in range(3)))

    def encode_triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[np.ndarray]:
        key = self.codec.key
        return self.encode_rows([(key(s), key(p), key(o)) for s, p, o in triples])

    def id_of(self, iri: str) -> int:
        """The id of an IRI, added to the table if new."""
        key = self.codec.iri(iri)
        if key not in self.ids:
            self.ids[key] = len(self.terms)
            self.terms.append(key)
        return self.ids[key]

    def lookup(self, iri: str) -> int | None:
        return self.ids.get(self.codec.iri(iri))

    def kinds(self) -> tuple[np.ndarray, np.ndarray]:
        """Boolean arrays by id: is a literal, is a built-in vocabulary IRI."""
        n = len(self.terms)
        lit, builtin = self.codec.literal_test(), self.codec.builtin_test()
        return (
            np.fromiter(map(lit, self.terms), dtype=bool, count=n),
            np.fromiter(map(builtin, self.terms), dtype=bool, count=n),
        )


def encode_ntriples(table: TermTable[str], text: str) -> list[np.ndarray]:
    """Ids of the N-Triples lines of ``text``, parsed and encoded piece by piece (the parsed
    rows of a whole million-triple dump would take hundreds of megabytes)."""
    parts = [table.encode_rows(parse_ntriples(chunk)) for chunk in ntriples_chunks(text)]
    if not parts:
        return [np.zeros(0, dtype=np.int64) for _ in range(3)]
    return [np.concatenate(column) for column in zip(*parts, strict=True)]
