"""Formats of the server's answers and content negotiation (Accept with q-values, or ``format``).

Query results (SELECT, ASK) are SPARQL JSON, XML, CSV or TSV; graphs (CONSTRUCT, DESCRIBE,
entity descriptions, the service and dataset descriptions) are Turtle, N-Triples, RDF/XML,
JSON-LD, N-Quads or TriG. Each format answers to its media type and a few aliases that clients
send (SPARQLWrapper asks for ``application/json`` among others); the answer is always labelled
with the format's own media type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()  # other media types it answers to
    names: tuple[str, ...] = ()  # other values of the ``format`` parameter

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


JSON = Format(
    "json",
    "application/sparql-results+json",
    "srj",
    ("application/json", "text/javascript", "application/javascript"),
)
XML = Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv", "csv")
TSV = Format("tsv", "text/tab-separated-values", "tsv")
TURTLE = Format(
    "ttl",
    "text/turtle",
    "ttl",
    ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
    ("turtle", "n3"),
)
NTRIPLES = Format("nt", "application/n-triples", "nt", ("text/plain",), ("ntriples", "n-triples"))
RDFXML = Format(
    "rdfxml",
    "application/rdf+xml",
    "rdf",
    ("application/xml", "text/xml"),
    ("rdf", "xml", "rdf+xml", "owl"),
)
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    "jsonld",
    ("application/x-json+ld", "application/json"),
    ("json-ld", "json"),
)
NQUADS = Format("nq", "application/n-quads", "nq", (), ("nquads", "n-quads"))
TRIG = Format("trig", "application/trig", "trig")
HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))
TEXT = Format("text", "text/plain", "txt")
JSON_DOC = Format("json", "application/json", "json")

RESULTS: tuple[Format, ...] = (JSON, XML, CSV, TSV)
BOOLEAN: tuple[Format, ...] = (JSON, XML, CSV, TSV)
GRAPH: tuple[Format, ...] = (TURTLE, NTRIPLES, RDFXML, JSONLD, NQUADS, TRIG)


def _parse_accept(header: str) -> list[tuple[str, str, float]]:
    """[(type, subtype, q)] of an Accept header; malformed ranges are skipped."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        kind, _, sub = fields[0].lower().partition("/")
        if not kind or not sub:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub, q))
    return ranges


def _quality(ranges: list[tuple[str, str, float]], media_type: str) -> float:
    """q of the most specific range matching ``media_type`` (0 if none matches)."""
    kind, _, sub = media_type.partition("/")
    best, specificity = 0.0, -1
    for rk, rs, q in ranges:
        if (rk, rs) == (kind, sub):
            level = 2
        elif rk == kind and rs == "*":
            level = 1
        elif (rk, rs) == ("*", "*"):
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(accept: str | None, candidates: Sequence[Format]) -> Format | None:
    """The candidate the client prefers; ties go to the earlier candidate. No Accept header
    means the first candidate; None means that the client accepts none of them."""
    if not accept or not accept.strip():
        return candidates[0]
    ranges = _parse_accept(accept)
    if not ranges:
        return candidates[0]
    best: Format | None = None
    best_q = 0.0
    for fmt in candidates:
        # the format's own media type counts fully, an alias a little less
        q = max(
            _quality(ranges, mt) - (0.0001 if i else 0.0) for i, mt in enumerate(fmt.media_types)
        )
        if q > best_q:
            best, best_q = fmt, q
    return best


def by_name(value: str, candidates: Sequence[Format]) -> Format | None:
    """The candidate a ``format`` parameter names: its name, extension, media type or alias."""
    v = value.strip().lower().partition(";")[0].strip()
    for fmt in candidates:
        if v in (fmt.name, fmt.extension, *fmt.names, *fmt.media_types):
            return fmt
    return None


def choose(
    accept: str | None, format_values: Sequence[str], candidates: Sequence[Format]
) -> Format | None:
    """A ``format`` parameter (the first value one of the candidates answers to) wins over
    the Accept header."""
    for value in format_values:
        fmt = by_name(value, candidates)
        if fmt is not None:
            return fmt
    return negotiate(accept, candidates)
