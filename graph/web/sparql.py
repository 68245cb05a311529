"""The SPARQL 1.1 Protocol endpoint, ``/sparql``.

Queries by GET, by form-encoded POST or by direct POST (``application/sparql-query``); the
answer's format comes from a ``format`` (or ``output``) parameter, else from Accept with
q-values. ``default-graph-uri`` / ``named-graph-uri`` choose among the store's graphs. A GET
without query answers with the Service Description (a browser is sent to the query page).
Updates (form ``update`` or ``application/sparql-update``) need ``update_token`` as a bearer
token. Every request is logged on one line with its duration.
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Blueprint, Response, g, redirect, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.wrappers import Response as BaseResponse

from .. import conneg
from ..describe import service_description
from ..errors import QueryError, QueryRefused, Unauthorized
from ..results import write_rdf
from ..sparql import check_query, check_update
from ..sparql_lexer import Shape
from ..sparql_worker import Answer, QueryJob
from .state import state

bp = Blueprint("sparql", __name__)
log = logging.getLogger("partnerkg.server")

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass
class ProtocolRequest:
    operation: str | None  # "query", "update" or None (no operation: describe the service)
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    has_dataset: bool = False
    using_graphs: bool = False


def _decode(body: bytes) -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body must be UTF-8 (got charset={charset})")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body is not valid UTF-8") from None


def read_request() -> ProtocolRequest:
    """The operation and dataset of a protocol request (400/415 for malformed ones)."""
    params = request.args.copy()
    if request.method == "POST":
        mime = request.mimetype
        if not mime:
            raise BadRequest(
                f"a POST needs a Content-Type: {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}"
            )
        if mime == FORM:
            for key, values in request.form.lists():
                for v in values:
                    params.add(key, v)
        elif mime in (SPARQL_QUERY, SPARQL_UPDATE):
            if "query" in params or "update" in params:
                raise BadRequest("a direct POST carries the operation in its body only")
            params.add("query" if mime == SPARQL_QUERY else "update", _decode(request.get_data()))
        else:
            raise UnsupportedMediaType(
                f"Content-Type {mime} is not one of {FORM}, {SPARQL_QUERY}, {SPARQL_UPDATE}"
            )
    queries, updates = params.getlist("query"), params.getlist("update")
    if len(queries) + len(updates) > 1:
        raise BadRequest("give exactly one query (or one update) per request")
    if updates and request.method != "POST":
        raise BadRequest("updates are sent by POST, not GET")
    default, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    using = bool(params.getlist("using-graph-uri") or params.getlist("using-named-graph-uri"))
    if not queries and not updates:
        if request.method == "POST" or default or named:
            raise BadRequest("the request has no `query` (or `update`) parameter")
        return ProtocolRequest(None)
    operation, text = ("query", queries[0]) if queries else ("update", updates[0])
    limit = state().settings.max_query_length
    if len(text) > limit:
        raise RequestEntityTooLarge(
            f"the {operation} is {len(text)} characters long; the limit is {limit} "
            "(setting max_query_length)"
        )
    for iri in default + named:
        if not _is_iri(iri):
            raise BadRequest(f"{iri!r} is not an absolute IRI (default-graph-uri/named-graph-uri)")
    return ProtocolRequest(operation, text, default, named, bool(default or named), using)


def _is_iri(text: str) -> bool:
    import pyoxigraph as ox

    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return ":" in text


def choose_format(shape: Shape) -> conneg.Format | None:
    """The answer's format; None if the client accepts none."""
    if shape.returns_graph:
        candidates: tuple[conneg.Format, ...] = (*conneg.GRAPH, conneg.HTML)
    elif shape.form == "ASK":
        candidates = (*conneg.BOOLEAN, conneg.HTML)
    else:
        candidates = (*conneg.RESULTS, conneg.HTML)
    values = request.values.getlist("format") + request.values.getlist("output")
    return conneg.choose(request.headers.get("Accept"), values, candidates)


def not_acceptable(candidates: tuple[conneg.Format, ...]) -> Response:
    from werkzeug.exceptions import NotAcceptable

    types = ", ".join(f.media_type for f in candidates)
    raise NotAcceptable(f"this answer can be given as {types}")


def run_query(req: ProtocolRequest) -> BaseResponse:
    settings = state().settings
    shape = check_query(req.text, settings)
    fmt = choose_format(shape)
    if fmt is None:
        not_acceptable(conneg.GRAPH if shape.returns_graph else conneg.RESULTS)
    assert fmt is not None
    if fmt is conneg.HTML:  # a browser: the query page shows the results
        return redirect("/?" + urlencode({"query": req.text}), 303)
    job = QueryJob(
        req.text,
        fmt.name,
        base_iri=request.base_url,
        default_graphs=tuple(req.default_graphs) if req.has_dataset else None,
        named_graphs=tuple(req.named_graphs) if req.has_dataset else None,
        max_rows=settings.max_rows,
        own_dataset=shape.has_dataset_clause,
    )
    answer = state().engine.query(job)
    g.query_log = (req.text, answer)
    return answer_response(answer)


def answer_response(answer: Answer) -> Response:
    charset = "" if answer.media_type.endswith("+xml") else "; charset=utf-8"
    response = Response(answer.body, content_type=answer.media_type + charset)
    response.headers["Vary"] = "Accept"
    if answer.count >= 0:
        response.headers["X-Partnerkg-Results"] = str(answer.count)
    if answer.cached:
        response.headers["X-Partnerkg-Cache"] = "hit"
    if answer.truncated:
        response.headers["X-Partnerkg-Truncated"] = (
            f"only the first {answer.count} results (setting max_rows)"
        )
    return response


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def run_update(req: ProtocolRequest) -> Response:
    settings = state().settings
    who = request.remote_addr or "?"
    token = settings.update_token
    if not token:
        log.warning("update refused from %s: updates are disabled", who)
        raise QueryRefused("updates are disabled on this endpoint (setting update_token)")
    supplied = _bearer_token()
    if supplied is None:
        log.warning("update refused from %s: no token", who)
        raise Unauthorized("updates need the token: send it as `Authorization: Bearer TOKEN`")
    if not hmac.compare_digest(supplied.encode(), token.encode()):
        log.warning("update refused from %s: wrong token", who)
        raise QueryRefused("the update token is not valid")
    if req.using_graphs or req.has_dataset:
        raise QueryError("using-graph-uri and using-named-graph-uri are not supported")
    check_update(req.text, settings)
    result = state().engine.update(req.text, request.base_url)
    log.warning(
        "update applied from %s: %s -> %s triples: %s",
        who,
        result.get("before"),
        result.get("after"),
        " ".join(req.text.split())[:500],
    )
    message = f"update applied: {result.get('before')} -> {result.get('after')} statements\n"
    return Response(message, 200, content_type="text/plain; charset=utf-8")


def describe_service() -> BaseResponse:
    settings = state().settings
    candidates = (*conneg.GRAPH, conneg.HTML)
    values = request.values.getlist("format")
    fmt = conneg.choose(request.headers.get("Accept"), values, candidates)
    if fmt is conneg.HTML:
        return redirect("/", 303)
    if fmt is None:
        not_acceptable(conneg.GRAPH)
    assert fmt is not None
    triples = service_description(
        request.base_url, settings, state().engine.counts(), bool(settings.update_token)
    )
    response = Response(write_rdf(fmt.name, triples), content_type=f"{fmt.media_type}")
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> BaseResponse:
    req = read_request()
    if req.operation is None:
        return describe_service()
    g.query_log = (req.text, None)
    if req.operation == "update":
        return run_update(req)
    return run_query(req)


@bp.before_request
def _start_clock() -> None:
    g.started = time.perf_counter()


@bp.after_request
def _log_query(response: Response) -> Response:
    """One line per request: status, duration, results, format, client, the query."""
    text, answer = getattr(g, "query_log", (None, None))
    if text is None:
        text = request.values.get("query") or request.values.get("update") or ""
    if text or response.status_code >= 400:
        millis = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        results = (
            f"results={answer.count}{'+' if answer.truncated else ''} {answer.media_type}"
            if answer is not None
            else "results=-"
        )
        log.info(
            "sparql %s %.1fms %s %s %s",
            response.status_code,
            millis,
            results,
            request.remote_addr or "-",
            " ".join(text.split())[:300],
        )
    return response
