"""What the routes share: the settings, the query engine, IRIs, and links to local pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from flask import current_app, request

from ..config import Settings
from ..iris import Iris
from ..sparql import Engine
from ..vocab import ONTOLOGY_IRI, PREFIXES


@dataclass
class ServerState:
    settings: Settings
    engine: Engine
    iris: Iris
    queries_dir: Path | None


def state() -> ServerState:
    server_state: ServerState = current_app.extensions["partnerkg"]
    return server_state


# vocabularies whose terms the ontology declares and documents (anchors #prefix-Term)
DOCUMENTED = ("pk", "org", "foaf", "prov", "time", "skos", "dcterms", "rdfs")


def local_path(iri: str) -> str | None:
    """The path on this server that serves ``iri``, or None if it is not one of ours."""
    base = state().settings.base_iri
    if iri == str(ONTOLOGY_IRI):
        return "/ontology"
    for prefix in DOCUMENTED:
        ns = PREFIXES[prefix]
        local = iri[len(ns) :]
        if iri.startswith(ns) and local and "/" not in local and "#" not in local:
            return f"/ontology#{prefix}-{quote(local)}"
    if iri.startswith(base):
        rest = iri[len(base) :]
        if rest.startswith(("id/", "graph/")) or rest in ("dataset", "context.jsonld"):
            return "/" + quote(rest, safe="/:@!$&'()*+,;=-._~")
    return None


def href(iri: str) -> str | None:
    """Where a link to ``iri`` goes: its local page, or the IRI itself if it is http(s);
    None for anything else (urn:, mailto:, javascript:...), which is shown but not linked."""
    local = local_path(iri)
    if local is not None:
        return local
    return iri if iri.startswith(("http://", "https://")) else None


def curie(iri: str) -> str:
    """pk:Vendor, org:reportsTo, or the local path of an entity; else the IRI."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best = ns
            short = f"{prefix}:{iri[len(ns) :]}"
    if best:
        return short
    base = state().settings.base_iri
    return iri[len(base) :] if iri.startswith(base) else iri


def page_url(path: str, **params: str) -> str:
    return path + ("?" + urlencode(params) if params else "")


def wants_html() -> bool:
    """True when the client prefers HTML to JSON and plain text (a browser)."""
    accept = request.accept_mimetypes
    html = max(accept["text/html"], accept["application/xhtml+xml"])
    return (
        html > 0
        and html >= max(accept["application/json"], accept["text/plain"])
        and ("text/html" in (request.headers.get("Accept") or ""))
    )


def display(term: object, labels: dict[str, str] | None = None) -> str:
    """How a term is named on a page: vocabulary terms by CURIE (org:reportsTo), entities by
    their label, else by their path under the base or their IRI."""
    text = f"{term}"
    short = curie(text)
    if short != text and short.partition(":")[0] in PREFIXES:
        return short
    return (labels or {}).get(text) or short
