"""The competency questions of the query library (``queries/*.rq``) as examples for the query
page. graph.queries reads their YAML headers (``#+ title: ...``, ``#+ summary: ...``); a file
it rejects is still listed, with its ``#+ key: value`` lines and plain comments read here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEADER = re.compile(r"^#\+\s*([\w-]+)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Example:
    name: str  # the file's stem
    title: str
    description: str
    text: str


def read_example(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    description: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        m = _HEADER.match(stripped)
        if m:
            fields.setdefault(m.group(1).lower(), m.group(2).strip())
        elif not stripped.startswith("#+"):
            description.append(stripped.lstrip("#").strip())
    title = fields.get("summary") or fields.get("title") or path.stem.replace("_", " ")
    desc = fields.get("description") or " ".join(d for d in description if d)
    return Example(path.stem, title, desc, text)


def _from_library(path: Path) -> Example | None:
    """The example as the query library (graph.queries) reads it, if it can."""
    try:
        from .queries import parse_query_file

        info = parse_query_file(path)
    except Exception:  # a header the library rejects: read it plainly
        return None
    return Example(info.name, info.title, info.summary, info.sparql)


def load_examples(folder: Path | None) -> list[Example]:
    """The .rq files of ``folder``, sorted by name (nothing if there is no folder)."""
    if folder is None or not folder.is_dir():
        return []
    return [_from_library(p) or read_example(p) for p in sorted(folder.glob("*.rq"))]
