"""Errors as HTTP responses, in one place: partnerkg's exceptions get their status here, and
every error body (HTML for browsers, JSON for clients asking for JSON, else plain text) holds
a readable message and never a stack trace or raw exception text of a library.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import (
    ConfigError,
    NotFound,
    PartnerKGError,
    QueryError,
    QueryFailed,
    QueryRefused,
    QueryTimeout,
    StoreError,
    Unauthorized,
    Unavailable,
)

log = logging.getLogger("partnerkg.server")

# The first class an exception is an instance of gives its status (subclasses first).
STATUS: tuple[tuple[type[PartnerKGError], int], ...] = (
    (Unauthorized, 401),
    (QueryRefused, 403),
    (QueryTimeout, 503),
    (QueryFailed, 500),
    (QueryError, 400),
    (NotFound, 404),
    (StoreError, 503),
    (Unavailable, 503),
    (ConfigError, 500),
    (PartnerKGError, 500),
)
TITLES = {
    400: "Bad request",
    401: "Token needed",
    403: "Refused",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Too large",
    415: "Unsupported media type",
    500: "Internal error",
    503: "Unavailable",
}


def status_of(exc: PartnerKGError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def error_response(status: int, message: str) -> Response:
    """The error in the representation the client prefers."""
    title = TITLES.get(status, "Error")
    accept = request.accept_mimetypes
    best = accept.best_match(["text/plain", "application/json", "text/html"], "text/plain")
    if best == "text/html" and "text/html" in (request.headers.get("Accept") or ""):
        body = render_template("error.html", status=status, title=title, message=message)
        return Response(body, status, content_type="text/html; charset=utf-8")
    if best == "application/json" and "json" in (request.headers.get("Accept") or ""):
        doc = {"status": status, "error": title, "message": message}
        return Response(json.dumps(doc, ensure_ascii=False), status, mimetype="application/json")
    return Response(f"{title}: {message}\n", status, content_type="text/plain; charset=utf-8")


def _partnerkg_error(exc: PartnerKGError) -> Response:
    status = status_of(exc)
    if status >= 500 and not isinstance(exc, QueryTimeout | Unavailable):
        log.error("%s %s: %s", request.method, request.path, exc)
    response = error_response(status, str(exc))
    if isinstance(exc, Unauthorized):
        response.headers["WWW-Authenticate"] = 'Bearer realm="partnerkg updates"'
    return response


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    response = error_response(status, exc.description or TITLES.get(status, "error"))
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unexpected(exc: Exception) -> Response:
    log.exception("%s %s failed", request.method, request.path)
    return error_response(500, "the server failed to answer this request; see its log")


def register(app: Flask) -> None:
    app.register_error_handler(PartnerKGError, _partnerkg_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
