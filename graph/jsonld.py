"""JSON-LD: compacted with partnerkg's context, deterministic, never fetching anything.

The context ships as ``ontology/context.jsonld`` and is published at ``CONTEXT_IRI``. Exported
documents reference the published IRI; compaction here, and ``parse_jsonld`` for reading them
back, use the local file, so nothing ever goes to the network.

Compaction follows the context exactly: a term with ``"@type": "@id"`` takes IRIs, a term
with a datatype takes literals of that datatype, a term without coercion takes anything in
expanded value form; a value no term fits goes under the property's compact IRI. Literals keep
their lexical form (no native JSON numbers), so a round trip gives back the same RDF.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from .resources import resource
from .store import Triple

CONTEXT_IRI = "https://w3id.org/partnerkg/context.jsonld"
CONTEXT_FILE = "ontology/context.jsonld"
JsonValue = Any


@functools.cache
def local_context() -> dict[str, Any]:
    """The ``@context`` object of ontology/context.jsonld."""
    data = json.loads(resource(CONTEXT_FILE).read_text(encoding="utf-8"))
    return dict(data["@context"])


class Compactor:
    """Turns triples into compacted JSON-LD node objects for one context."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = {
            name: iri
            for name, iri in context.items()
            if isinstance(iri, str) and iri.endswith(("#", "/"))
        }
        self.terms: dict[str, str] = {}  # IRI -> term without coercion
        self.coerced: dict[str, tuple[str, str]] = {}  # IRI -> (term, "@id" or datatype IRI)
        for name, definition in context.items():
            if name in self.prefixes or name.startswith("@"):
                continue
            if isinstance(definition, str):
                self.terms.setdefault(self.expand(definition), name)
                continue
            iri = self.expand(definition["@id"])
            coercion = definition.get("@type")
            if coercion is None:
                self.terms.setdefault(iri, name)
            else:
                kind = coercion if coercion == "@id" else self.expand(coercion)
                self.coerced.setdefault(iri, (name, kind))

    def expand(self, curie: str) -> str:
        prefix, sep, rest = curie.partition(":")
        return self.prefixes[prefix] + rest if sep and prefix in self.prefixes else curie

    def compact_iri(self, iri: str) -> str:
        """Compact IRI with the longest matching prefix (for @id values)."""
        best = ""
        for name, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                rest = iri[len(ns) :]
                if rest and not rest.startswith("//"):
                    best = name
        return f"{best}:{iri[len(self.prefixes[best]) :]}" if best else iri

    def vocab(self, iri: str) -> str:
        """A term if there is one, else a compact IRI (for keys and @type values)."""
        return self.terms.get(iri) or self.compact_iri(iri)

    def ref(self, node: Node) -> str:
        return f"_:{node}" if isinstance(node, BNode) else self.compact_iri(str(node))

    def expanded_value(self, o: Node) -> JsonValue:
        if isinstance(o, Literal):
            if o.language:
                return {"@value": str(o), "@language": o.language}
            if o.datatype is not None and o.datatype != XSD.string:
                return {"@value": str(o), "@type": self.compact_iri(str(o.datatype))}
            return str(o)
        return {"@id": self.ref(o)}

    def entry(self, p: URIRef, o: Node) -> tuple[str, JsonValue]:
        """The key and the value of one property value."""
        coerced = self.coerced.get(str(p))
        if coerced is not None:
            name, kind = coerced
            if kind == "@id" and isinstance(o, URIRef | BNode):
                return name, self.ref(o)
            if isinstance(o, Literal) and o.language is None and str(o.datatype) == kind:
                return name, str(o)
            return self.compact_iri(str(p)), self.expanded_value(o)
        return self.vocab(str(p)), self.expanded_value(o)

    def nodes(self, triples: Iterable[Triple]) -> list[dict[str, JsonValue]]:
        by_subject: dict[Node, dict[str, list[JsonValue]]] = {}
        for s, p, o in triples:
            props = by_subject.setdefault(s, {})
            if p == RDF.type and isinstance(o, URIRef):
                props.setdefault("@type", []).append(self.vocab(str(o)))
            else:
                key, value = self.entry(p, o)  # type: ignore[arg-type]
                props.setdefault(key, []).append(value)
        out = []
        for s, props in by_subject.items():
            node: dict[str, JsonValue] = {"@id": self.ref(s)}
            for key, values in props.items():
                unique = {_dump(v): v for v in values}
                ordered = [unique[k] for k in sorted(unique)]
                node[key] = ordered[0] if len(ordered) == 1 else ordered
            out.append(node)
        return sorted(out, key=lambda n: n["@id"])


def _dump(value: JsonValue) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def compact(triples: Iterable[Triple], context: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-LD document: ``{"@context": CONTEXT_IRI, "@graph": [nodes]}``."""
    compactor = Compactor(context if context is not None else local_context())
    return {"@context": CONTEXT_IRI, "@graph": compactor.nodes(triples)}


def write_jsonld(triples: Iterable[Triple]) -> bytes:
    text = json.dumps(compact(triples), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _local(value: Any) -> Any:
    """Replace references to the published context by the local context object."""
    if value == CONTEXT_IRI:
        return local_context()
    if isinstance(value, list):
        return [_local(v) for v in value]
    return value


def _with_local_context(doc: Any) -> Any:
    if isinstance(doc, list):
        return [_with_local_context(d) for d in doc]
    if isinstance(doc, dict):
        return {k: _local(v) if k == "@context" else _with_local_context(v) for k, v in doc.items()}
    return doc


def parse_jsonld(data: bytes | str) -> Graph:
    """Read a partnerkg JSON-LD document offline (the published context is the local file)."""
    doc = _with_local_context(json.loads(data))
    with warnings.catch_warnings():  # rdflib's JSON-LD parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        return Graph().parse(data=json.dumps(doc), format="json-ld")
