"""The Flask application of the server (re-exported by the repository's ``server.py``).

    create_app(settings)     the application (nothing is built or started at import)
    serve(settings)          run it with waitress (what `partnerkg serve` does)

The blueprints are graph.web's modules; errors become responses in graph.web.errors.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response
from rdflib import Literal, URIRef

from ..config import Settings, load_settings
from ..iris import Iris
from ..resources import package_data, queries_dir
from ..sparql import Engine, make_engine
from . import data, errors, health, ontology, pages, sparql
from .state import ServerState, curie, display, href, local_path

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def create_app(
    settings: Settings | None = None,
    test_config: Mapping[str, Any] | None = None,
    engine: Engine | None = None,
) -> Flask:
    """The application for ``settings`` (default: environment variables, then defaults).

    ``test_config`` updates Flask's config (``QUERIES_DIR`` points the examples elsewhere);
    ``engine`` replaces the query engine built from the settings."""
    settings = settings if settings is not None else load_settings()
    app = Flask(
        __name__,
        template_folder=str(package_data("templates/server")),
        static_folder=str(package_data("static")),
        static_url_path="/static",
    )
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body,
        MAX_FORM_MEMORY_SIZE=settings.max_body,
        JSON_AS_ASCII=False,
    )
    if test_config:
        app.config.update(test_config)
    app.jinja_env.autoescape = True
    app.jinja_env.filters.update(
        href=href, curie=curie, local=local_path, key=_key, display=display
    )
    app.jinja_env.tests.update(
        iri=lambda t: isinstance(t, URIRef), literal=lambda t: isinstance(t, Literal)
    )
    try:
        examples = app.config.get("QUERIES_DIR") or queries_dir()
    except FileNotFoundError:
        examples = None
    app.extensions["partnerkg"] = ServerState(
        settings, engine or make_engine(settings), Iris(settings.base_iri), examples
    )
    for blueprint in (sparql.bp, pages.bp, ontology.bp, data.bp, health.bp):
        app.register_blueprint(blueprint)
    errors.register(app)
    app.after_request(_headers)
    return app


def _key(term: Any) -> str:
    """A term as a plain str (rdflib's URIRef("x") is not equal to "x" as a dict key)."""
    return f"{term}"


def _headers(response: Response) -> Response:
    """CORS for everyone (no credentials) and a strict policy for pages."""
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    response.headers.setdefault("Access-Control-Allow-Headers", "Content-Type, Accept")
    response.headers.setdefault("Access-Control-Expose-Headers", "X-Partnerkg-Truncated")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    elif response.mimetype == "image/svg+xml":  # its own <style>, never a script
        response.headers.setdefault("Content-Security-Policy", SVG_POLICY)
    return response


def serve(settings: Settings) -> None:
    """Serve with waitress on settings.host:settings.port until interrupted."""
    import waitress

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" lines
    app = create_app(settings)
    logging.getLogger("partnerkg.server").info(
        "serving on http://%s:%s/ (SPARQL endpoint /sparql)", settings.host, settings.port
    )
    try:
        waitress.serve(
            app,
            host=settings.host,
            port=settings.port,
            threads=settings.threads,
            max_request_body_size=settings.max_body,
            ident="partnerkg",
        )
    finally:
        app.extensions["partnerkg"].engine.close()
