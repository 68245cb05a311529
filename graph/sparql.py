"""SPARQL for the server: the guards every request passes, and the query engines.

check_query / check_update   length cap, no SERVICE, no LOAD, a query is not an update
make_engine(settings)        graph.local_engine.LocalEngine on the live store (worker
                             processes), or graph.remote_engine.RemoteEngine on the
                             ``backend`` endpoint: the same interface, ``Engine``
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .config import Settings
from .errors import QueryError, QueryRefused
from .sparql_lexer import Shape, scan
from .sparql_worker import Answer, QueryJob

Row = dict[str, Node]


# --- guards -------------------------------------------------------------------------------------
def check_length(text: str, settings: Settings) -> None:
    if len(text) > settings.max_query_length:
        raise QueryError(
            f"the request is {len(text)} characters long; the limit is "
            f"{settings.max_query_length} (setting max_query_length)"
        )


def check_query(text: str, settings: Settings) -> Shape:
    check_length(text, settings)
    shape = scan(text)
    if shape.has_service:
        raise QueryRefused(
            "SERVICE is not allowed: this endpoint queries only its own data and never "
            "sends requests elsewhere"
        )
    if shape.is_update:
        raise QueryError("this is a SPARQL update: send it as `update`, not `query`")
    return shape


def check_update(text: str, settings: Settings) -> Shape:
    check_length(text, settings)
    shape = scan(text)
    if shape.has_service or "LOAD" in shape.keywords:
        raise QueryRefused(
            "SERVICE and LOAD are not allowed: this endpoint never fetches data from elsewhere"
        )
    return shape


# --- terms ------------------------------------------------------------------------------------
def decode_term(encoded: tuple[str, ...] | None) -> Node | None:
    """The rdflib term of graph.sparql_worker.encode_term's tuple."""
    if encoded is None:
        return None
    kind, value = encoded[0], encoded[1]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang, datatype = encoded[2], encoded[3]
    if lang:
        return Literal(value, lang=lang)
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def json_binding_term(b: dict[str, Any]) -> Node:
    """The rdflib term of a SPARQL JSON results binding."""
    if b["type"] == "uri":
        return URIRef(b["value"])
    if b["type"] == "bnode":
        return BNode(b["value"])
    if "xml:lang" in b:
        return Literal(b["value"], lang=b["xml:lang"])
    if b.get("datatype"):
        return Literal(b["value"], datatype=URIRef(b["datatype"]))
    return Literal(b["value"])


# --- the engine interface -------------------------------------------------------------------------
class Engine(Protocol):
    local: bool

    def query(self, job: QueryJob) -> Answer: ...

    def select(self, text: str, limit: int = 100000) -> list[Row]: ...

    def update(self, text: str, base_iri: str | None) -> dict[str, Any]: ...

    def explain(self, subject: str, predicate: str, object: str) -> dict[str, Any]: ...

    def describe_dataset(self, fmt: str, links: dict[str, list[str]]) -> bytes: ...

    def counts(self) -> dict[str, int]: ...

    def dump(self, name: str) -> Path: ...

    def status(self) -> dict[str, Any]: ...

    def build_id(self) -> str | None: ...

    def close(self) -> None: ...


def make_engine(settings: Settings) -> Engine:
    if settings.backend:
        from .remote_engine import RemoteEngine

        return RemoteEngine(settings)
    from .local_engine import LocalEngine

    return LocalEngine(settings)


def __getattr__(name: str) -> Any:
    """``graph.sparql.LocalEngine`` / ``RemoteEngine``, imported on first use."""
    if name == "LocalEngine":
        from .local_engine import LocalEngine

        return LocalEngine
    if name == "RemoteEngine":
        from .remote_engine import RemoteEngine

        return RemoteEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
