"""Helpers of the server tests: a live server in a background thread, data directories made
from N-Quads, a canary HTTP server that records every request it gets."""

from __future__ import annotations

import http.server
import io
import socket
import threading
from pathlib import Path
from typing import Any

import waitress
from flask import Flask

from graph.config import Settings, load_settings
from graph.store import new_store, open_live

BASE = "https://w3id.org/partnerkg/"


def seed_nquads(seed_dir: Path) -> bytes:
    """The whole seed graph as N-Quads."""
    buffer = io.BytesIO()
    open_live(seed_dir).dump(buffer, "nq")
    return buffer.getvalue()


def make_data_dir(path: Path, nquads: bytes) -> Path:
    """A data directory whose live store holds ``nquads`` (as a build would leave it)."""
    path.mkdir(parents=True, exist_ok=True)
    with new_store(path) as store:
        if nquads:
            store.bulk_load(io.BytesIO(nquads), "nq")
    return path


def server_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": str(data_dir), "store": "oxigraph"}
    values.update(overrides)
    return load_settings(values, env={})


class LiveServer:
    """The app served by waitress on a free port of 127.0.0.1, in a daemon thread."""

    def __init__(self, settings: Settings, app: Flask | None = None) -> None:
        from graph.web.app import create_app

        self.settings = settings
        self.app = app or create_app(settings)
        self.server: Any = waitress.create_server(
            self.app,
            host="127.0.0.1",
            port=0,
            threads=settings.threads,
            max_request_body_size=settings.max_body,
        )
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/sparql"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.close()
        self.app.extensions["partnerkg"].engine.close()


class Canary:
    """An HTTP server on 127.0.0.1 that answers 200 with a marker and records every request."""

    MARKER = "canary-was-reached"

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(f"{self.command} {self.path}")
                body = (
                    f'<http://canary.example/s> <http://canary.example/p> "{Canary.MARKER}" .\n'
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/n-triples")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
