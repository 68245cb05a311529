"""The query library: the SPARQL files of ``queries/``, their headers, and a runner.

Each ``queries/NAME.rq`` is a valid SPARQL 1.1 SELECT query that opens with a header of
``#+ `` comment lines holding YAML (see queries/README.md)::

    #+ title: Reporting lines of a person
    #+ summary: Whom a person reports to, directly and through the chain of command.
    #+ cq: 1
    #+ params:
    #+   person:
    #+     type: entity
    #+     class: foaf:Person
    #+     default: Marc Tessier
    #+     help: the person
    #+ example: partnerkg query reports_to --param person="Marc Tessier"

Parameters are variables of the query (``?person``). The runner turns each value into an RDF
term (a label is resolved to an IRI through rdfs:label / skos:altLabel, ignoring case and
accents) and binds it with a ``VALUES`` block put at the top of the WHERE clause. Terms are
written by rdflib's ``.n3()``: user text is never pasted into the query.

    list_queries() -> [QueryInfo]          get_query(name) -> QueryInfo
    bind_query(name, params, store) -> SPARQL text with the parameters bound
    run_query(name, params, settings, store) -> QueryResult (.rows, .to_dataframe(), ...)
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .config import Settings, load_settings
from .errors import NotFound, QueryError
from .resources import queries_dir
from .store import Store, from_ox, open_live
from .vocab import PREFIXES

PARAM_TYPES = ("entity", "iri", "date", "string", "integer")
HEADER_KEYS = {"title", "summary", "description", "cq", "params", "example"}
PARAM_KEYS = {"type", "class", "default", "optional", "help"}
FORMATS = ("table", "csv", "json")
_TABLE_CELL = 60  # characters a table cell shows at most


# --- what a query file declares -----------------------------------------------------------------
@dataclass(frozen=True)
class QueryParam:
    """One parameter: the variable ``?name`` of the query."""

    name: str
    type: str = "entity"
    default: str | None = None
    optional: bool = False  # may be left unbound (all values): given as an empty value
    cls: str | None = None  # CURIE or IRI of the class a label is looked up in (entities)
    help: str = ""


@dataclass(frozen=True)
class QueryInfo:
    name: str
    title: str
    summary: str
    params: tuple[QueryParam, ...]
    example: str
    sparql: str
    description: str = ""
    cq: int | None = None  # the competency question of ARCHITECTURE.md it answers

    @property
    def short_name(self) -> str:
        """The name without its ``NN_`` ordering prefix (``reports_to``)."""
        return re.sub(r"^\d+_", "", self.name)

    def param(self, name: str) -> QueryParam:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name} has no parameter {name!r} (parameters: {known})")

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "summary": self.summary,
            "description": self.description,
            "cq": self.cq,
            "params": [
                {
                    "name": p.name,
                    "type": p.type,
                    "default": p.default,
                    "optional": p.optional,
                    "class": p.cls,
                    "help": p.help,
                }
                for p in self.params
            ],
            "example": self.example,
            "sparql": self.sparql,
        }


def _header(text: str) -> str:
    """The YAML of the ``#+`` lines that open a query (plain comments may sit among them)."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#+"):
            body = stripped[2:]
            lines.append(body[1:] if body.startswith(" ") else body)
        elif stripped and not stripped.startswith("#"):
            break
    return "\n".join(lines)


def parse_query_file(path: Path) -> QueryInfo:
    """Read one ``.rq`` file and its header; raise QueryError naming the file on a bad header."""
    text = path.read_text("utf-8")
    where = f"{path.name}: header"
    try:
        header = yaml.safe_load(_header(text)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(
            f"{where} is not valid YAML (quote values that contain ': '): {exc}"
        ) from None
    if not isinstance(header, dict):
        raise QueryError(f"{where} must be `#+ key: value` lines")
    unknown = set(header) - HEADER_KEYS
    if unknown:
        known = ", ".join(sorted(HEADER_KEYS))
        raise QueryError(f"{where} has unknown keys {sorted(unknown)}; known: {known}")
    if not header.get("summary"):
        raise QueryError(f"{where} needs a `#+ summary:` line")
    params = []
    for name, spec in (header.get("params") or {}).items():
        spec = spec or {}
        if not isinstance(spec, dict) or set(spec) - PARAM_KEYS:
            raise QueryError(f"{where}: parameter {name} takes the keys {sorted(PARAM_KEYS)}")
        ptype = spec.get("type", "entity")
        if ptype not in PARAM_TYPES:
            raise QueryError(
                f"{where}: parameter {name} has type {ptype!r}; use one of {', '.join(PARAM_TYPES)}"
            )
        if not re.search(rf"[?$]{re.escape(str(name))}\b", _strip_comments(text)):
            raise QueryError(f"{where}: parameter {name} is not a variable ?{name} of the query")
        default = spec.get("default")
        params.append(
            QueryParam(
                name=str(name),
                type=ptype,
                default=None if default is None else str(default),
                optional=bool(spec.get("optional", default is None)),
                cls=spec.get("class"),
                help=str(spec.get("help", "")),
            )
        )
    cq = header.get("cq")
    return QueryInfo(
        name=path.stem,
        title=str(header.get("title") or path.stem.replace("_", " ")),
        summary=" ".join(str(header["summary"]).split()),
        params=tuple(params),
        example=str(header.get("example", "")).strip(),
        sparql=text,
        description=" ".join(str(header.get("description", "")).split()),
        cq=int(cq) if cq is not None else None,
    )


def list_queries(directory: Path | None = None) -> list[QueryInfo]:
    """Every query of the library, in file-name order."""
    folder = directory or queries_dir()
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, directory: Path | None = None) -> QueryInfo:
    """A query by file name (``01_reports_to``), without the .rq, or without the NN_ prefix."""
    queries = list_queries(directory)
    key = name.removesuffix(".rq")
    for q in queries:
        if key in (q.name, q.short_name):
            return q
    names = ", ".join(q.short_name for q in queries)
    raise NotFound(f"no query {name!r}; known queries: {names} (see `partnerkg query --list`)")


# --- from parameter values to RDF terms -----------------------------------------------------------
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"^(https?|urn|ftp|mailto|file|tag):", re.IGNORECASE)
_CURIE = re.compile(r"^([A-Za-z][\w.-]*)?:(\S*)$")
_DATE = re.compile(r"^(\d{4})(-(\d{2}))?(-(\d{2}))?$")


def normalise_label(text: str) -> str:
    """Compare labels ignoring case, accents, quotes style, hyphens and spacing."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(re.sub(r"[-_\s]+", " ", text).split())


def _prefixes(settings: Settings) -> dict[str, str]:
    return {**PREFIXES, "id": f"{settings.base_iri}id/"}


def _iri(param: QueryParam, value: str, settings: Settings) -> URIRef | None:
    """The IRI written as <IRI>, a full IRI or a CURIE, or None when it is none of these."""
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    elif not _SCHEME.match(text):
        m = _CURIE.match(text)
        prefix = (m.group(1) or "") if m else None
        prefixes = _prefixes(settings)
        if prefix is None or prefix not in prefixes:
            return None
        text = prefixes[prefix] + m.group(2)  # type: ignore[union-attr]
    if _IRI_FORBIDDEN.search(text) or not _SCHEME.match(text):
        raise QueryError(
            f"parameter {param.name}: {value!r} is not a valid IRI "
            "(no spaces, quotes or <>{}|^`\\; percent-encode them)"
        )
    return URIRef(text)


_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?label ?preferred WHERE {
  { ?entity rdfs:label ?label BIND(true AS ?preferred) }
  UNION
  { ?entity skos:altLabel ?label BIND(false AS ?preferred) }
  ?entity a ?class .
}"""


def resolve_label(store: Store, label: str, cls: URIRef | None = None) -> list[URIRef]:
    """The entities whose rdfs:label (else skos:altLabel) is ``label``, ignoring case and
    accents, optionally only those of class ``cls``. Labels are compared in Python."""
    query = bind_values(_LABELS, {"class": cls}) if cls is not None else _LABELS
    key = normalise_label(label)
    preferred: set[URIRef] = set()
    alternative: set[URIRef] = set()
    for row in store.query(query):
        if normalise_label(row["label"].value) == key:
            entity = from_ox(row["entity"])
            if isinstance(entity, URIRef):
                (preferred if row["preferred"].value == "true" else alternative).add(entity)
    return sorted(preferred or alternative)


def to_term(param: QueryParam, value: str, store: Store, settings: Settings) -> Node:
    """The RDF term a parameter value stands for; QueryError / NotFound say how to fix it."""
    text = value.strip()
    if param.type == "entity" or param.type == "iri":
        iri = _iri(param, text, settings)
        if iri is not None:
            return iri
        if param.type == "iri":
            raise QueryError(
                f"parameter {param.name}: {value!r} is not an IRI; give a full IRI or a CURIE "
                f"with one of the prefixes {', '.join(_prefixes(settings))}"
            )
        cls = _iri(QueryParam("class"), param.cls, settings) if param.cls else None
        found = resolve_label(store, text, cls)
        kind = f" of class {param.cls}" if param.cls else ""
        if not found:
            raise NotFound(
                f"parameter {param.name}: nothing{kind} is labelled {value!r}; check the "
                "spelling, or give its IRI (see `partnerkg stats` and the entity pages)"
            )
        if len(found) > 1:
            raise QueryError(
                f"parameter {param.name}: {value!r} names {len(found)} entities{kind} "
                f"({', '.join(found)}); give one of these IRIs instead"
            )
        return found[0]
    if param.type == "date":
        m = _DATE.match(text)
        try:
            if m is None:
                raise ValueError
            if m.group(5):
                datetime.date.fromisoformat(text)
                return Literal(text, datatype=XSD.date)
            if m.group(3):
                if not 1 <= int(m.group(3)) <= 12:
                    raise ValueError
                return Literal(text, datatype=XSD.gYearMonth)
            return Literal(text, datatype=XSD.gYear)
        except ValueError:
            raise QueryError(
                f"parameter {param.name}: {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"
            ) from None
    if param.type == "integer":
        try:
            return Literal(int(text))
        except ValueError:
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer") from None
    return Literal(value)


# --- binding: a VALUES block at the top of the WHERE clause ---------------------------------------
_SKIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs
    r"|#[^\n]*",  # comments
    re.DOTALL,
)


def _strip_comments(sparql: str) -> str:
    return re.sub(r"(?m)^\s*#.*$", "", sparql)


def _where_brace(sparql: str) -> int:
    """Index just after the ``{`` that opens the outermost WHERE clause."""
    depth, i, seen_where = 0, 0, False
    while i < len(sparql):
        m = _SKIPPED.match(sparql, i)
        if m:
            i = m.end()
            continue
        c = sparql[i]
        if c == "{":
            if seen_where and depth == 0:
                return i + 1
            depth += 1
        elif c == "}":
            depth -= 1
        elif (
            depth == 0
            and sparql[i : i + 5].upper() == "WHERE"
            and (i == 0 or not (sparql[i - 1].isalnum() or sparql[i - 1] in "_?$:"))
            and not (sparql[i + 5 : i + 6].isalnum() or sparql[i + 5 : i + 6] == "_")
        ):
            seen_where = True
            i += 5
            continue
        i += 1
    raise QueryError("the query has no `WHERE {` clause to bind parameters in")


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``VALUES (?a ?b) { (termA termB) }`` opening its WHERE clause."""
    if not bindings:
        return sparql
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    at = _where_brace(sparql)
    return f"{sparql[:at]}\n  VALUES ({names}) {{ ({terms}) }}{sparql[at:]}"


def resolve_params(
    info: QueryInfo,
    params: Mapping[str, str] | None,
    store: Store,
    settings: Settings,
) -> dict[str, Node]:
    """Parameter values (given, else defaults) as RDF terms; unbound optional ones left out."""
    given = dict(params or {})
    for name in given:
        info.param(name)  # unknown names raise
    bindings: dict[str, Node] = {}
    # the values given first, so that their errors come before those of defaults
    for p in sorted(info.params, key=lambda p: p.name not in given):
        value = given.get(p.name, p.default)
        if value is None or not str(value).strip():
            if p.optional:
                continue
            raise QueryError(
                f"parameter {p.name} of query {info.name} needs a value: --param {p.name}=..."
            )
        bindings[p.name] = to_term(p, str(value), store, settings)
    return {p.name: bindings[p.name] for p in info.params if p.name in bindings}


# --- results ----------------------------------------------------------------------------------
def python_value(term: Node | None) -> Any:
    """A result term as a Python value: IRIs and dates as strings, numbers and booleans typed."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        dt = term.datatype
        if dt in (XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger):
            return int(term)
        if dt in (XSD.decimal, XSD.double, XSD.float):
            return float(term)
        if dt == XSD.boolean:
            return str(term) in ("true", "1")
        return str(term)
    return str(term)


@dataclass
class QueryResult:
    """The rows of one library query: dicts from column name to Python value (None: unbound)."""

    query: QueryInfo
    columns: list[str]
    rows: list[dict[str, Any]]
    params: dict[str, str] = field(default_factory=dict)  # bound parameters, as N3 terms
    sparql: str = ""  # the query that ran, parameters bound

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        return [row.get(name) for row in self.rows]

    def to_dataframe(self) -> Any:
        try:
            import pandas as pd
        except ModuleNotFoundError:
            raise ModuleNotFoundError(
                "QueryResult.to_dataframe needs pandas: pip install pandas"
            ) from None
        return pd.DataFrame(self.rows, columns=self.columns)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if row[c] is None else row[c] for c in self.columns])
        return out.getvalue()

    def to_json(self) -> str:
        doc: dict[str, Any] = {
            "query": self.query.name,
            "params": self.params,
            "columns": self.columns,
            "rows": self.rows,
        }
        return json.dumps(doc, ensure_ascii=False, indent=1)

    def to_table(self, width: int = _TABLE_CELL) -> str:
        def cell(value: Any) -> str:
            text = "" if value is None else " ".join(str(value).split())
            return text if len(text) <= width else text[: width - 1] + "…"

        cells = [[cell(row[c]) for c in self.columns] for row in self.rows]
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(self.columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(line.rstrip() for line in lines)

    def format(self, fmt: str) -> str:
        if fmt not in FORMATS:
            raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return {"table": self.to_table, "csv": self.to_csv, "json": self.to_json}[fmt]()


# --- running ----------------------------------------------------------------------------------
def bind_query(
    name: str | QueryInfo,
    params: Mapping[str, str] | None = None,
    store: Store | None = None,
    settings: Settings | None = None,
) -> tuple[str, dict[str, Node]]:
    """The SPARQL text of a library query with its parameters bound, and the bound terms.
    (A store is needed to resolve labels; IRIs, CURIEs and literals are resolved without.)"""
    settings = settings or load_settings()
    info = name if isinstance(name, QueryInfo) else get_query(name)
    if store is None:
        store = open_live(settings.data_dir)
    bindings = resolve_params(info, params, store, settings)
    return bind_values(info.sparql, bindings), bindings


def run_query(
    name: str | QueryInfo,
    params: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    store: Store | None = None,
) -> QueryResult:
    """Run a library query on the store (default: the live store of settings.data_dir)."""
    settings = settings or load_settings()
    info = name if isinstance(name, QueryInfo) else get_query(name)
    if store is None:
        store = open_live(settings.data_dir)
    sparql, bindings = bind_query(info, params, store, settings)
    try:
        solutions = store.query(sparql)
    except SyntaxError as exc:
        raise QueryError(f"query {info.name} is not valid SPARQL: {exc}") from None
    except OSError as exc:
        raise QueryError(f"query {info.name} failed: {exc}") from None
    variables = getattr(solutions, "variables", None)
    if variables is None:
        raise QueryError(f"query {info.name} is not a SELECT query")
    columns = [v.value for v in variables]
    rows = []
    for solution in solutions:
        rows.append(
            {
                c: python_value(from_ox(solution[c]) if solution[c] is not None else None)
                for c in columns
            }
        )
    return QueryResult(
        query=info,
        columns=columns,
        rows=rows,
        params={k: v.n3() for k, v in bindings.items()},
        sparql=sparql,
    )


__all__ = [
    "FORMATS",
    "PARAM_TYPES",
    "QueryInfo",
    "QueryParam",
    "QueryResult",
    "bind_query",
    "bind_values",
    "get_query",
    "list_queries",
    "normalise_label",
    "parse_query_file",
    "resolve_label",
    "run_query",
]
