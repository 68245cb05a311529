"""Worker processes evaluating queries (graph.sparql_worker), and a pool of them.

A worker is a plain subprocess, ``python -m graph.sparql_worker``, talking over a socket
pair; ``Worker.call`` kills and restarts it when a task runs past its time limit, the only
way to stop pyoxigraph in the middle of a query. Workers are not multiprocessing processes so
that they never import the server's ``__main__`` module (multiprocessing's spawn would run
the script that started the server once more in every worker).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import queue
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from . import errors
from .errors import PartnerKGError, QueryFailed, QueryTimeout, Unavailable
from .sparql_worker import WorkerConfig

STARTUP_TIMEOUT = 60.0  # seconds a new worker may take to import and report ready


def _raise_remote(name: str, message: str) -> None:
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, PartnerKGError)):
        cls = QueryFailed
    raise cls(message)


class Worker:
    """One worker process and its socket; ``call`` kills and restarts it past the limit."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.process: subprocess.Popen[bytes] | None = None
        self.conn: Connection | None = None
        self.ready = False
        self.start()

    def start(self) -> None:
        ours, theirs = socket.socketpair()
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "graph.sparql_worker",
                str(theirs.fileno()),
                json.dumps(dataclasses.asdict(self.config)),
            ],
            pass_fds=[theirs.fileno()],
            env=env,
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.conn, self.ready = Connection(ours.detach()), False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
        if self.conn is not None:
            self.conn.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def _wait_ready(self) -> None:
        if self.ready:
            return
        assert self.conn is not None
        try:
            started = self.conn.poll(STARTUP_TIMEOUT) and self.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            started = False
        if not started:
            self.restart()
            raise Unavailable("a query worker failed to start; see the server log")
        self.ready = True

    def call(self, task: str, kwargs: dict[str, Any], timeout: float) -> Any:
        self._wait_ready()
        assert self.conn is not None
        try:
            self.conn.send((task, kwargs))
            finished = self.conn.poll(timeout)
            reply = self.conn.recv() if finished else None
        except (EOFError, OSError):
            self.restart()
            raise QueryFailed(
                "the query stopped its worker process (out of memory?); it was restarted"
            ) from None
        if reply is None:
            self.restart()  # the only way to stop pyoxigraph mid-query
            raise QueryTimeout(
                f"the query ran past the time limit of {timeout:g} s and was stopped; narrow "
                "it (more specific patterns, LIMIT, fewer property paths) or raise "
                "query_timeout"
            )
        if reply[0] == "ok":
            return reply[1]
        _raise_remote(reply[1], reply[2])


class WorkerPool:
    """``size`` workers started on first use; a request waits at most ``wait`` s for one."""

    def __init__(self, size: int, config: WorkerConfig) -> None:
        self.size, self.config = max(1, size), config
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.workers: list[Worker] = []
        self.lock = threading.Lock()

    def _start(self) -> None:
        with self.lock:
            if not self.workers:
                self.workers = [Worker(self.config) for _ in range(self.size)]
                for w in self.workers:
                    self.idle.put(w)

    def call(self, task: str, kwargs: dict[str, Any], timeout: float, wait: float) -> Any:
        if not self.workers:
            self._start()
        try:
            worker = self.idle.get(timeout=wait)
        except queue.Empty:
            raise Unavailable(
                f"all {self.size} query workers are busy; retry in a moment"
            ) from None
        try:
            return worker.call(task, kwargs, timeout)
        finally:
            self.idle.put(worker)

    def close(self) -> None:
        with self.lock:
            for w in self.workers:
                w.stop()
            self.workers = []
            self.idle = queue.Queue()


def run_once(config: WorkerConfig, task: str, kwargs: dict[str, Any], timeout: float) -> Any:
    """A task in a process of its own (long tasks, and updates: each gets a new pid, which
    graph.store.new_store uses in the name of the store it creates)."""
    worker = Worker(config)
    try:
        return worker.call(task, kwargs, timeout)
    finally:
        worker.stop()
