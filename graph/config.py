"""Settings: one table (name, default, help) feeding the CLI, environment variables and docs.

Every setting can be given as an environment variable ``PARTNERKG_<NAME>`` (upper case) or,
for the commands that use it, as a command-line option. ``partnerkg settings`` prints the table.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .resources import resource, sample_corpus


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting("corpus", None, "folder of articles (default: the bundled sample corpus)"),
    Setting("data_dir", "partnerkg-data", "where the built graph, caches and exports live"),
    Setting(
        "base_iri", "https://w3id.org/partnerkg/", "base of entity IRIs (id/...) and graph names"
    ),
    Setting(
        "store",
        "oxigraph",
        "oxigraph: on-disk store in data_dir; memory: in memory, not kept",
        ("oxigraph", "memory"),
    ),
    Setting(
        "reasoner",
        "auto",
        "auto: owlrl below fast_threshold triples, else the compiled rules",
        ("auto", "owlrl", "fast"),
    ),
    Setting("fast_threshold", 20000, "asserted triples above which 'auto' uses the fast reasoner"),
    Setting(
        "curation", None, "curation file applied on top of extraction (default: curation.yaml)"
    ),
    Setting(
        "validate_limit", 30000, "graphs larger than this (triples) are not SHACL-validated"
    ),
    Setting("strict", False, "fail the build on the first bad article instead of skipping it"),
    Setting("batch_size", 16, "articles per spaCy nlp.pipe batch"),
    Setting("workers", 0, "processes extracting articles in parallel (0: one per CPU core)"),
    Setting("host", "127.0.0.1", "address the server listens on"),
    Setting("port", 5000, "port the server listens on"),
    Setting("threads", 8, "server threads (concurrent HTTP requests)"),
    Setting("query_workers", 2, "worker processes evaluating SPARQL queries"),
    Setting("query_timeout", 10.0, "seconds a query may run before it is stopped"),
    Setting("max_rows", 10000, "result rows returned at most by one query"),
    Setting("max_query_length", 20000, "characters a query may have"),
    Setting("max_body", 1_000_000, "bytes an HTTP request body may have"),
    Setting(
        "result_cache",
        64.0,
        "megabytes of query answers kept to answer the same request again (0: no cache)",
    ),
    Setting(
        "dump_timeout",
        600.0,
        "seconds writing a dump, the dataset description or an update may take",
    ),
    Setting(
        "default_graph",
        "all",
        "default graph of queries: all graphs, or asserted (no inferred)",
        ("all", "asserted"),
    ),
    Setting("update_token", None, "enables SPARQL Update for requests bearing this token"),
    Setting("backend", None, "URL of an external SPARQL endpoint to query instead of the store"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    corpus: Path | None = None
    data_dir: Path = Path("partnerkg-data")
    base_iri: str = "https://w3id.org/partnerkg/"
    store: str = "oxigraph"
    reasoner: str = "auto"
    fast_threshold: int = 20000
    curation: Path | None = None
    validate_limit: int = 30000
    strict: bool = False
    batch_size: int = 16
    workers: int = 0
    host: str = "127.0.0.1"
    port: int = 5000
    threads: int = 8
    query_workers: int = 2
    query_timeout: float = 10.0
    max_rows: int = 10000
    max_query_length: int = 20000
    max_body: int = 1_000_000
    result_cache: float = 64.0
    dump_timeout: float = 600.0
    default_graph: str = "all"
    update_token: str | None = None
    backend: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def corpus_dir(self) -> Path:
        return self.corpus if self.corpus is not None else sample_corpus()

    @property
    def curation_file(self) -> Path | None:
        if self.curation is not None:
            return self.curation
        try:
            return resource("curation.yaml")
        except FileNotFoundError:
            return None

    def replace(self, **changes: Any) -> Settings:
        return load_settings({**self.as_dict(), **changes}, env={})

    def as_dict(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "extra"
        }


def _convert(name: str, value: Any, source: str) -> Any:
    """Turn a raw value (string from env/CLI, or Python value) into the setting's type."""
    if value is None or value == "":
        return None if _BY_NAME[name].default is None else _BY_NAME[name].default
    ftype = {f.name: f.type for f in dataclasses.fields(Settings)}[name]
    try:
        if "Path" in str(ftype):
            return Path(value)
        if "bool" in str(ftype):
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("1", "true", "yes", "on"):
                return True
            if str(value).lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError("expected true or false")
        if "int" in str(ftype):
            return int(value)
        if "float" in str(ftype):
            return float(value)
        return str(value)
    except ValueError as exc:
        raise ConfigError(f"setting {name} (from {source}): {value!r} is invalid: {exc}") from None


def load_settings(
    overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Defaults, then PARTNERKG_* environment variables, then explicit overrides (not None)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for s in SETTINGS:
        key = f"PARTNERKG_{s.name.upper()}"
        if key in env:
            values[s.name] = _convert(s.name, env[key], f"environment variable {key}")
    for name, value in (overrides or {}).items():
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}")
        if value is not None:
            values[name] = _convert(name, value, f"option --{name.replace('_', '-')}")
    for name, value in values.items():
        choices = _BY_NAME[name].choices
        if choices and value not in choices:
            raise ConfigError(f"setting {name}: {value!r} is not one of {', '.join(choices)}")
    settings = Settings(**values)
    if not settings.base_iri.endswith(("/", "#")):
        raise ConfigError(f"setting base_iri: {settings.base_iri!r} must end with '/' or '#'")
    return settings


def settings_table() -> str:
    """The settings as a text table, for `partnerkg settings` and the docs."""
    rows = [(s.name, f"PARTNERKG_{s.name.upper()}", repr(s.default), s.help) for s in SETTINGS]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(
        f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}" for a, b, c, d in rows
    )
