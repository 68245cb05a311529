"""Content negotiation (graph.conneg) and the result writers (graph.results)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.query import Result

from graph import conneg
from graph.results import write_boolean, write_solutions, write_triples

RESULTS = conneg.RESULTS


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml;q=0.2, application/sparql-results+json;q=0.9", "json"),
        ("application/sparql-results+xml, */*;q=0.1", "xml"),
        ("text/csv", "csv"),
        ("text/*;q=0.5, text/tab-separated-values", "tsv"),
        ("application/json", "json"),  # SPARQLWrapper asks for it among others
        ("application/xml", "xml"),
        ("image/png", None),
        ("text/csv;q=0", None),
    ],
)
def test_negotiation_of_results(accept: str | None, expected: str | None) -> None:
    fmt = conneg.negotiate(accept, RESULTS)
    assert (fmt.name if fmt else None) == expected


def test_negotiation_of_graphs_and_format_parameter() -> None:
    assert conneg.negotiate("application/ld+json", conneg.GRAPH) is conneg.JSONLD
    assert conneg.negotiate("text/n3", conneg.GRAPH) is conneg.TURTLE
    assert conneg.negotiate("application/xml", conneg.GRAPH) is conneg.RDFXML
    # a format parameter wins over Accept; SPARQLWrapper's values are understood
    assert conneg.choose("text/turtle", ["json-ld"], conneg.GRAPH) is conneg.JSONLD
    assert conneg.choose(None, ["xml"], conneg.GRAPH) is conneg.RDFXML
    assert conneg.choose(None, ["tsv", "text/tab-separated-values"], RESULTS) is conneg.TSV
    assert conneg.choose("text/csv", ["nonsense"], RESULTS) is conneg.CSV


TERMS = [
    ox.NamedNode("http://example.org/a?b=c&d"),
    ox.Literal("chat", language="fr"),
    ox.Literal("2024-02-29", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal('line1\nline2\t"q" <&>, é'),
    ox.BlankNode("b0"),
    None,
]
VARS = ["iri", "lang", "typed", "esc", "bnode", "unbound"]


@pytest.mark.parametrize("name", ["json", "xml", "csv", "tsv"])
def test_solutions_parse_back_with_rdflib(name: str) -> None:
    fmt = conneg.by_name(name, RESULTS)
    assert fmt is not None
    second = [None, None, None, None, None, ox.Literal("only this one")]
    body = write_solutions(fmt, VARS, [TERMS, second])
    result = Result.parse(io.BytesIO(body), format=name)
    rows = list(result)
    assert [str(v) for v in result.vars] == VARS
    assert len(rows) == 2
    assert str(rows[0][0]) == "http://example.org/a?b=c&d"
    assert str(rows[0][3]) == 'line1\nline2\t"q" <&>, é'
    assert rows[0][5] is None
    assert all(v is None for v in rows[1][:5]) and str(rows[1][5]) == "only this one"


def test_solution_formats_follow_the_specs() -> None:
    doc = json.loads(write_solutions(conneg.JSON, VARS, [TERMS]))
    b = doc["results"]["bindings"][0]
    assert b["lang"] == {"type": "literal", "value": "chat", "xml:lang": "fr"}
    assert b["typed"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert "datatype" not in b["esc"] and "unbound" not in b
    root = ET.fromstring(write_solutions(conneg.XML, VARS, [TERMS]))
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    header = next(csv.reader(io.StringIO(write_solutions(conneg.CSV, VARS, [TERMS]).decode())))
    assert header == VARS
    tsv = write_solutions(conneg.TSV, VARS, [TERMS]).decode().split("\n")
    assert tsv[0] == "\t".join(f"?{v}" for v in VARS)
    assert len(tsv[1].split("\t")) == len(VARS)  # tabs and newlines inside literals escaped


def test_booleans_and_graphs() -> None:
    assert json.loads(write_boolean(conneg.JSON, False)) == {"head": {}, "boolean": False}
    assert b"<boolean>true</boolean>" in write_boolean(conneg.XML, True)
    triple = ox.Triple(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("é"))
    for fmt, parser in [
        (conneg.TURTLE, "turtle"),
        (conneg.NTRIPLES, "nt"),
        (conneg.RDFXML, "xml"),
        (conneg.JSONLD, "json-ld"),
        (conneg.NQUADS, "nquads"),
        (conneg.TRIG, "trig"),
    ]:
        g = Graph().parse(data=write_triples(fmt, [triple], {"x": "http://x/"}), format=parser)
        assert len(g) == 1, fmt.name
