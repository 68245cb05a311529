"""SPARQL query results written as bytes: JSON, XML, CSV and TSV for solutions and booleans,
the RDF syntaxes for graphs. Terms are pyoxigraph terms.

Solutions are written here rather than by pyoxigraph's serialiser because the server stops
reading them at the row cap (``max_rows``), which pyoxigraph's writer cannot do.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from . import conneg

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

Row = Sequence[Any]  # one solution: a term or None per variable


# --- JSON -------------------------------------------------------------------------------------
def json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_json(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    bindings = [
        {v: json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# --- XML --------------------------------------------------------------------------------------
def xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attr = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return "<triple>" + "".join(f"<{k}>{xml_term(t)}</{k}>" for k, t in parts) + "</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _xml(head: str, body: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head>{head}</head>{body}</sparql>\n'
    ).encode()


def solutions_xml(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    results = []
    for row in rows:
        bindings = "".join(
            f"<binding name={quoteattr(v)}>{xml_term(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        )
        results.append(f"<result>{bindings}</result>")
    return _xml(head, f"<results>{''.join(results)}</results>")


# --- CSV and TSV --------------------------------------------------------------------------------
def csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def solutions_csv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([csv_term(t) for t in row])
    return out.getvalue().encode("utf-8")


def solutions_tsv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    # terms in their N-Triples form: pyoxigraph escapes tabs and line breaks in literals
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


SOLUTION_WRITERS = {
    "json": solutions_json,
    "xml": solutions_xml,
    "csv": solutions_csv,
    "tsv": solutions_tsv,
}


def write_solutions(fmt: conneg.Format, variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    return SOLUTION_WRITERS[fmt.name](variables, rows)


def write_boolean(fmt: conneg.Format, value: bool) -> bytes:
    word = "true" if value else "false"
    if fmt.name == "json":
        return b'{"head":{},"boolean":' + word.encode() + b"}"
    if fmt.name == "xml":
        return _xml("", f"<boolean>{word}</boolean>")
    return word.encode()  # CSV and TSV define no boolean form: pyoxigraph's bare word


# --- graphs -----------------------------------------------------------------------------------
_RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


def write_triples(
    fmt: conneg.Format, triples: Iterable[ox.Triple], prefixes: dict[str, str] | None = None
) -> bytes:
    """Triples in a graph syntax; N-Quads and TriG put them in the default graph."""
    rdf_format = _RDF_FORMATS[fmt.name]
    items: Iterable[Any] = triples
    if rdf_format.supports_datasets:
        items = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    use_prefixes = prefixes if fmt.name in ("ttl", "trig", "rdfxml") else None
    return ox.serialize(items, format=rdf_format, prefixes=use_prefixes) or b""


def write_rdf(fmt_name: str, triples: Iterable[Any]) -> bytes:
    """rdflib triples in the graph format named ``fmt_name`` (Turtle if unknown)."""
    from .rdfio import EXPORT_PREFIXES
    from .store import to_ox

    fmt = conneg.by_name(fmt_name, conneg.GRAPH) or conneg.TURTLE
    oxt = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
    return write_triples(fmt, oxt, EXPORT_PREFIXES)
