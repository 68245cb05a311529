"""Deterministic RDF serialisation: the same statements give the same bytes, so that exports
diff cleanly in git.

* Blank nodes are relabelled by W3C RDF Dataset Canonicalization (RDFC-1.0, as implemented by
  oxigraph) over everything written together, so their labels do not depend on the store.
* N-Triples and N-Quads are written here: one statement a line, lines sorted.
* RDF/XML is written here too: one ``rdf:Description`` per subject, subjects, properties and
  values sorted, fixed namespace prefixes.
* Turtle and TriG use rdflib's writers, which sort subjects, predicates and objects; they are
  fed graphs built in sorted order with fixed prefixes, and TriG's graphs are sorted too.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from .errors import PartnerKGError
from .store import Quad, Triple, from_ox, to_ox
from .vocab import DCAT, PREFIXES, VANN, VOID

# Prefixes of every export: the ontology's vocabularies and those of the dataset description.
EXPORT_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "vann": str(VANN),
    "void": str(VOID),
    "dcat": str(DCAT),
}

# --- blank nodes ------------------------------------------------------------------------------


def canonical_quads(quads: Iterable[Quad]) -> list[Quad]:
    """The quads with blank nodes relabelled by RDFC-1.0 (unchanged if there are none)."""
    quads = list(quads)
    if not any(isinstance(t, BNode) for q in quads for t in q[:3]):
        return quads
    dataset = ox.Dataset(
        ox.Quad(
            to_ox(s),
            to_ox(p),
            to_ox(o),
            ox.NamedNode(str(g)) if g is not None else ox.DefaultGraph(),
        )
        for s, p, o, g in quads
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [
        (
            from_ox(q.subject),
            from_ox(q.predicate),
            from_ox(q.object),
            URIRef(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None,
        )
        for q in dataset
    ]


def canonical_triples(triples: Iterable[Triple]) -> list[Triple]:
    return [(s, p, o) for s, p, o, _ in canonical_quads((s, p, o, None) for s, p, o in triples)]


# --- N-Triples and N-Quads --------------------------------------------------------------------
_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"'}
_ECHAR["\\"] = "\\\\"
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_string(text: str) -> str:
    out = []
    for c in text:
        if c in _ECHAR:
            out.append(_ECHAR[c])
        elif c < " " or c == "\x7f":
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


def nt_term(term: Node) -> str:
    """A term in canonical N-Triples syntax."""
    if isinstance(term, URIRef):
        return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", str(term)) + ">"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = f'"{_escape_string(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^{nt_term(term.datatype)}"
        return text
    raise PartnerKGError(f"cannot write {term!r} as N-Triples")


def nquads_lines(quads: Iterable[Quad]) -> list[str]:
    """Sorted, distinct N-Quads lines (N-Triples lines for the default graph)."""
    lines = set()
    for s, p, o, g in quads:
        graph = f" {nt_term(g)}" if g is not None else ""
        lines.add(f"{nt_term(s)} {nt_term(p)} {nt_term(o)}{graph} .\n")
    return sorted(lines)


def write_nquads(quads: Iterable[Quad]) -> bytes:
    return "".join(nquads_lines(quads)).encode("utf-8")


def write_ntriples(triples: Iterable[Triple]) -> bytes:
    return write_nquads((s, p, o, None) for s, p, o in triples)


def sort_key(triple: Sequence[Node | None]) -> tuple[str, ...]:
    return tuple(nt_term(t) for t in triple if t is not None)


# --- Turtle and TriG (rdflib's writers) ----------------------------------------------------------
def bind_prefixes(graph: Graph) -> Graph:
    for prefix, namespace in EXPORT_PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def to_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph filled in sorted order, with the export prefixes bound."""
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for t in sorted(set(triples), key=sort_key):
        graph.add(t)
    return graph


class _TurtleSerializer(TurtleSerializer):
    """Writes a literal in short form (5, 2.5, true) only if that keeps its lexical form:
    rdflib would write the decimal "5" as 5.0, which reads back as a different literal."""

    def label(self, node: Node, position: int) -> str:
        text = super().label(node, position)
        if isinstance(node, Literal) and not text.startswith('"') and text != str(node):
            return node._literal_n3(
                use_plain=False, qname_callback=lambda dt: self.get_pname(dt, False)
            )
        return text


class _SortedTrigSerializer(_TurtleSerializer, TrigSerializer):
    """rdflib's TriG writer, with the named graphs in IRI order."""

    def __init__(self, store: Graph) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda g: str(g.identifier))


def write_turtle(triples: Iterable[Triple]) -> bytes:
    out = io.BytesIO()
    _TurtleSerializer(to_graph(triples)).serialize(out, encoding="utf-8")
    return out.getvalue()


def write_trig(quads: Iterable[Quad]) -> bytes:
    dataset = Dataset(default_union=False)
    bind_prefixes(dataset)
    for s, p, o, g in sorted(set(quads), key=sort_key):
        target = dataset.graph(g) if g is not None else dataset.default_graph
        target.add((s, p, o))
    out = io.BytesIO()
    with warnings.catch_warnings():  # rdflib's TriG writer uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        _SortedTrigSerializer(dataset).serialize(out, encoding="utf-8")
    return out.getvalue()


# --- RDF/XML -----------------------------------------------------------------------------------
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_ENTITIES = {"\r": "&#13;"}  # XML parsers would turn a raw CR into LF


def _split_iri(iri: str) -> tuple[str, str]:
    """(namespace, local name): the longest XML NCName at the end is the local name."""
    for i in range(len(iri)):
        if _NCNAME.match(iri, i):
            return iri[:i], iri[i:]
    raise PartnerKGError(
        f"cannot write the property <{iri}> in RDF/XML (no XML name at its end): "
        "export as Turtle, N-Triples or JSON-LD instead"
    )


def _node_id(node: BNode) -> str:
    label = str(node)
    return quoteattr(label if _NCNAME.match(label) else f"b{label}")


def _xml_text(text: str) -> str:
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise PartnerKGError("a literal holds a control character XML cannot encode: use N-Triples")
    return text


def write_rdfxml(triples: Iterable[Triple]) -> bytes:
    by_subject: dict[Node, list[tuple[str, Node]]] = {}
    namespaces = {ns: prefix for prefix, ns in EXPORT_PREFIXES.items()}
    extra: list[str] = []
    for s, p, o in sorted(set(triples), key=sort_key):
        ns, local = _split_iri(str(p))
        if ns not in namespaces:
            extra.append(ns)
            namespaces[ns] = f"ns{len(extra)}"
        by_subject.setdefault(s, []).append((f"{namespaces[ns]}:{local}", o))
    used = sorted({q.split(":")[0] for props in by_subject.values() for q, _ in props} | {"rdf"})
    prefix_ns = {prefix: ns for ns, prefix in namespaces.items()}
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"   xmlns:{p}={quoteattr(prefix_ns[p])}" for p in used]
    lines[-1] += ">"
    for subject, props in by_subject.items():
        about = (
            f"rdf:nodeID={_node_id(subject)}"
            if isinstance(subject, BNode)
            else f"rdf:about={quoteattr(_xml_text(str(subject)))}"
        )
        lines.append(f"  <rdf:Description {about}>")
        for qname, o in props:
            if isinstance(o, URIRef):
                lines.append(f"    <{qname} rdf:resource={quoteattr(_xml_text(str(o)))}/>")
            elif isinstance(o, BNode):
                lines.append(f"    <{qname} rdf:nodeID={_node_id(o)}/>")
            else:
                assert isinstance(o, Literal)
                attrs = ""
                if o.language:
                    attrs = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None and o.datatype != XSD.string:
                    attrs = f" rdf:datatype={quoteattr(str(o.datatype))}"
                lines.append(
                    f"    <{qname}{attrs}>{escape(_xml_text(str(o)), _XML_ENTITIES)}</{qname}>"
                )
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")
