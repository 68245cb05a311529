"""IRIs: readable, stable identifiers minted under the configured base.

    {base}id/{kind}/{slug}            entities: person/judson-althoff, org/microsoft,
                                      unit/microsoft/one-commercial-partner, tier/ibm/aligned
    {base}id/{kind}/{article}/{key}   records read from one article (headship, evidence...)
    {base}graph/{name}                named graphs: ontology, entities, curation, inferred,
                                      article/{article id}

Slugs depend only on the canonical name, so building twice gives the same IRIs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

_SPECIAL = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o"})


def slug(text: str) -> str:
    """'Anaïs Lebrun' -> 'anais-lebrun'; 'SMS&P' -> 'sms-p'. Never empty."""
    s = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x" + hashlib.sha1(text.encode()).hexdigest()[:8]


def short_hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:12]


class Iris:
    """Mints every IRI of the graph from one base."""

    GRAPHS = ("ontology", "entities", "curation", "inferred")

    def __init__(self, base: str) -> None:
        self.base = base

    def entity(self, kind: str, *names: str) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/" + "/".join(slug(n) for n in names))

    def record(self, kind: str, article_id: str, *key: object) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/{article_id}/{short_hash(*key)}")

    def article(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}id/article/{article_id}")

    def graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}graph/{name}")

    def article_graph(self, article_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/article/{article_id}")

    def is_article_graph(self, iri: str) -> bool:
        return iri.startswith(f"{self.base}graph/article/")

    def local_path(self, iri: str) -> str | None:
        """'id/person/x' for an IRI under the base, else None (used by the server)."""
        return iri[len(self.base) :] if iri.startswith(self.base) else None
