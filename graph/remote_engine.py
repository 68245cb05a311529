"""The remote engine: the same queries sent to an external SPARQL endpoint (``backend``)
through SPARQLWrapper. Pages work as long as the backend's default graph is the union of its
graphs (``oxigraph serve --union-default-graph``); explanations, dumps and updates need the
local store.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

from . import conneg
from .config import Settings
from .errors import QueryError, QueryFailed, QueryTimeout, StoreError, Unavailable
from .local_engine import reserialise
from .sparql import Row, json_binding_term
from .sparql_lexer import scan
from .sparql_worker import Answer, QueryJob


class RemoteEngine:
    """Queries sent to an external SPARQL endpoint with SPARQLWrapper."""

    local = False

    def __init__(self, settings: Settings) -> None:
        if not settings.backend:
            raise StoreError("RemoteEngine needs the backend setting (an endpoint URL)")
        self.settings = settings
        self.url = settings.backend

    def _send(self, text: str, accept: str, job: QueryJob | None = None) -> tuple[bytes, str]:
        from urllib.error import URLError

        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)
        client.setTimeout(max(1, math.ceil(self.settings.query_timeout)))
        client.setQuery(text)
        # SPARQLWrapper guesses the form with a regex that also reads comments ("created" is
        # CREATE to it) and would send such a query as an update: our lexer knows better
        client.queryType = scan(text).form or "SELECT"
        client.addCustomHttpHeader("Accept", accept)
        if job is not None:
            for g in job.default_graphs or ():
                client.addDefaultGraph(g)
            for g in job.named_graphs or ():
                client.addNamedGraph(g)
        try:
            response = client.query().response
            return response.read(), response.headers.get("Content-Type", "")
        except QueryBadFormed as exc:
            raise QueryError(
                f"the backend endpoint refused the query: {_first_line(exc)}"
            ) from None
        except SPARQLWrapperException as exc:
            raise QueryFailed(f"the backend endpoint failed: {_first_line(exc)}") from None
        except TimeoutError:
            raise QueryTimeout(
                f"the backend endpoint did not answer within {self.settings.query_timeout:g} s"
            ) from None
        except (URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                raise QueryTimeout(
                    f"the backend endpoint did not answer within {self.settings.query_timeout:g} s"
                ) from None
            raise Unavailable(f"the backend endpoint {self.url} cannot be reached") from None

    def query(self, job: QueryJob) -> Answer:
        shape = scan(job.text)
        kind_formats = conneg.GRAPH if shape.returns_graph else conneg.RESULTS
        fmt = conneg.by_name(job.format, kind_formats) or kind_formats[0]
        start = time.perf_counter()
        body, media_type = self._send(job.text, fmt.media_type, job)
        media_type = media_type.partition(";")[0].strip() or fmt.media_type
        kind = "graph" if shape.returns_graph else "boolean" if shape.form == "ASK" else "solutions"
        return Answer(body, media_type, kind, -1, False, time.perf_counter() - start)

    def select(self, text: str, limit: int = 100000) -> list[Row]:
        body, _ = self._send(text, conneg.JSON.media_type)
        try:
            bindings = json.loads(body)["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise QueryFailed("the backend endpoint sent a malformed JSON result") from None
        return [{v: json_binding_term(b) for v, b in row.items()} for row in bindings[:limit]]

    def counts(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {str(r["g"]): int(str(r["n"])) for r in rows if "g" in r and "n" in r}

    def describe_dataset(self, fmt: str, links: dict[str, list[str]]) -> bytes:
        from .describe import dataset_iri, describe_counts
        from .results import write_rdf

        ntriples = write_rdf("nt", describe_counts(self.counts(), self.settings))
        return reserialise(ntriples, fmt, str(dataset_iri(self.settings)), links)

    def explain(self, subject: str, predicate: str, object: str) -> dict[str, Any]:
        raise Unavailable("explanations need the local store (the server uses a backend)")

    def dump(self, name: str) -> Path:
        raise Unavailable("dumps need the local store (the server uses a backend)")

    def update(self, text: str, base_iri: str | None) -> dict[str, Any]:
        raise Unavailable("updates go to the backend endpoint directly, not through this server")

    def status(self) -> dict[str, Any]:
        rows = self.select("SELECT (1 AS ?one) WHERE {}")
        return {"backend": self.url, "ok": bool(rows)}

    def build_id(self) -> str | None:
        return None

    def close(self) -> None:
        pass


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
