"""graph.sparql_lexer: the keywords the endpoint refuses are found however they are written,
and never inside strings, IRIs, comments, variables or prefixed names."""

from __future__ import annotations

import pytest

from graph.sparql_lexer import scan, unescape

SERVICE_QUERIES = [
    "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }",
    "select * { service <http://x/> { ?s ?p ?o } }",
    "SELECT * { SeRvIcE SILENT <http://x/> { ?s ?p ?o } }",
    "SELECT * {SERVICE<http://x/>{?s ?p ?o}}",
    "SELECT * { ?a ?b ?c . { SELECT * { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * { \\U00000053\\u0045RVICE <http://x/> { ?s ?p ?o } }",
    # a local name escape \' is not the start of a string that would hide the keyword
    "PREFIX ex: <http://x/> SELECT * { ?s ex:a\\'b ?o . SERVICE <http://x/> {} ?s ex:c\\'d ?o }",
    # an escaped quote outside a string: scanned as sent, the keyword is there
    "SELECT * { \\u0022 SERVICE <http://x/> { ?s ?p ?o } \\u0022 }",
    "SELECT * # comment\n{ SERVICE <http://x/> { ?s ?p ?o } }",
]

NOT_SERVICE_QUERIES = [
    'SELECT * { ?s ?p "SERVICE" }',
    "SELECT * { ?s ?p '''a SERVICE <http://x/> {}''' }",
    "SELECT * { ?s ?p ?o } # SERVICE <http://x/>",
    "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT * { ?s a sd:Service }",
    "PREFIX service: <http://x/> SELECT * { ?s service:p ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT $service WHERE { $service ?p ?o }",
]


@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_service_is_found(query: str) -> None:
    assert scan(query).has_service


@pytest.mark.parametrize("query", NOT_SERVICE_QUERIES)
def test_service_is_not_seen_where_it_is_not_a_keyword(query: str) -> None:
    assert not scan(query).has_service


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("PREFIX a: <http://x/> BASE <http://y/> ask {}", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x/>", "DESCRIBE"),
        ("# SELECT\nASK {}", "ASK"),
        ("INSERT DATA { <a> <b> <c> }", None),
        ("DELETE { ?s ?p ?o } WHERE { SELECT ?s ?p ?o { ?s ?p ?o } }", None),
    ],
)
def test_query_form(query: str, form: str | None) -> None:
    assert scan(query).form == form


def test_updates_and_dataset_clauses() -> None:
    assert scan("LOAD <http://x/>").is_update
    assert "LOAD" in scan("load <http://x/> into graph <http://g/>").keywords
    assert not scan("SELECT * { ?s <http://x/insert> ?o }").is_update
    assert scan("SELECT * FROM <http://g/> { ?s ?p ?o }").has_dataset_clause
    assert scan("SELECT * FROM NAMED <http://g/> { GRAPH ?g { ?s ?p ?o } }").has_dataset_clause
    assert not scan("SELECT ?from { ?from ?p <http://x/FROM> }").has_dataset_clause


def test_unescape_keeps_invalid_code_points() -> None:
    assert unescape("\\u0041\\U0001F600") == "A\U0001f600"
    assert unescape("\\uD800") == "\\uD800"  # a lone surrogate stays as written
