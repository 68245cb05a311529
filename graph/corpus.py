"""Ingest: a folder of articles (.txt, .md, .html) and their metadata -> cleaned Article records.

Metadata comes from, in order of precedence: a sidecar ``<name>.json``, an entry of the
folder's ``metadata.json`` (a list of objects with a ``file`` key, as in the sample corpus),
and what the text itself says ("date 2017-09" at the top, "(05/02/04)" near the top).

Cleaning drops page furniture (data/boilerplate.yaml), normalises quotes, apostrophes and
dashes one character for one, and keeps an OffsetMap so that evidence spans point into the
original text. A bad file never stops the others: it becomes a problem message naming the
file, unless ``strict`` is set.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .errors import CorpusError
from .records import Article, Date, OffsetMap
from .resources import package_data

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MAX_ARTICLE_BYTES = 5_000_000
METADATA_KEYS = {
    "file",
    "url",
    "publisher",
    "language",
    "published",
    "published_is_estimate",
    "title",
}

# one character for one, so that offsets are unchanged
_NORMALISE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u0060": "'",
        "\u2032": "'",
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2039": '"',
        "\u203a": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": " ",
        "\ufeff": " ",
    }
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        )
    )
}
_DATE_PREFIX = re.compile(r"\A\s*date\s*:?\s*(\d{4}-\d{2}(?:-\d{2})?)\s*", re.I)
_SLASH_DATE = re.compile(r"\((\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\)")
_LONG_DATE = re.compile(
    r"(?:publié|mis à jour)\s+le\s+(\d{1,2})(?:er)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})", re.I
)


@dataclass
class CorpusResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _boilerplate() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], re.Pattern[str]]:
    data = yaml.safe_load(package_data("data/boilerplate.yaml").read_text(encoding="utf-8"))
    compile_all = lambda key: [re.compile(rf"^\s*(?:{p})\s*$", re.I) for p in data[key]]  # noqa: E731
    inline = re.compile("|".join(f"(?:{p})" for p in data["blank_inline"]), re.I)
    return compile_all("drop_lines"), compile_all("cut_from"), inline


def _real_date(iso: str) -> bool:
    """'2017-13' and '2017-02-30' are typos, not dates."""
    try:
        datetime.date.fromisoformat(iso if len(iso) != 7 else iso + "-01")
    except ValueError:
        return len(iso) == 4 and iso.isdigit()
    return True


def parse_date(value: str, where: str) -> Date:
    """'2017-01', '2004-02-05', '2017', '05/02/2004' (day first) -> Date."""
    value = value.strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if m:
        value = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    try:
        if not _real_date(value):
            raise ValueError(value)
        return Date(value)
    except ValueError:
        raise CorpusError(
            f"{where}: bad date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        ) from None


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1; binary files refused."""
    if not data.strip():
        raise CorpusError(f"{name}: the file is empty; remove it or give it the article text")
    if b"\x00" in data[:4096]:
        raise CorpusError(
            f"{name}: looks binary (NUL bytes), not a text article; convert it to .txt or .html"
        )
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 4096):
        raise CorpusError(f"{name}: looks binary (control characters), not a text article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _HTMLText(HTMLParser):
    """Text content of an HTML page, skipping scripts, styles and navigation."""

    SKIP: ClassVar[set[str]] = {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "noscript",
        "svg",
    }
    BLOCK: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "ul",
        "ol",
        "table",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.meta: dict[str, str] = {}
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "meta":
            key = a.get("property") or a.get("name") or ""
            if key in ("og:url", "og:site_name", "article:published_time", "date", "og:title"):
                self.meta[key] = a.get("content", "")
        elif tag == "title":
            self._title = []
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == "title" and self._title is not None:
            self.meta.setdefault("title", "".join(self._title).strip())
            self._title = None
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._title is not None:
            self._title.append(data)
        elif not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, dict[str, str]]:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]*\n[ \t\n]*", "\n\n", "".join(parser.parts)).strip()
    return text, parser.meta


def clean(original: str) -> tuple[str, OffsetMap, Date | None]:
    """Drop boilerplate lines and a leading 'date ...' stamp; normalise punctuation."""
    drop, cut, inline = _boilerplate()
    stamp = _DATE_PREFIX.match(original)
    date = Date(stamp.group(1)) if stamp and _real_date(stamp.group(1)) else None
    pos = stamp.end() if stamp else 0
    kept: list[tuple[int, int]] = []  # (start, end) in the original text
    for line in original[pos:].splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        if any(rx.match(line) for rx in cut):
            break
        if not any(rx.match(line) for rx in drop):
            if kept and kept[-1][1] == start:
                kept[-1] = (kept[-1][0], pos)
            else:
                kept.append((start, pos))
    parts, segments, length = [], [], 0
    for start, end in kept:
        segments.append((length, start))
        parts.append(original[start:end])
        length += end - start
    text = inline.sub(lambda m: " " * len(m.group(0)), "".join(parts).translate(_NORMALISE))
    text = text.rstrip()
    return text, OffsetMap(tuple(segments) or ((0, 0),)), date


def date_in_text(text: str) -> Date | None:
    head = text[:600]
    m = _SLASH_DATE.search(head)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        year_n = (
            int(year)
            if len(year) == 4
            else (2000 + int(year) if int(year) < 70 else 1900 + int(year))
        )
        if _real_date(f"{year_n}-{month:02d}-{day:02d}"):
            return Date(f"{year_n}-{month:02d}-{day:02d}")
    m = _LONG_DATE.search(head)
    if m:
        return Date(f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}")
    return None


def guess_title(text: str) -> str | None:
    first = text.strip().split("\n", 1)[0].strip()
    first = re.sub(r"^#{1,6}\s+", "", first)  # a Markdown heading
    if 0 < len(first) <= 160 and not first.endswith((".", "!", "?", ":", '"')):
        return first
    return None


def _load_metadata_file(path: Path) -> dict[str, dict[str, Any]]:
    """metadata.json -> {file name: entry}; errors name the file and the entry."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(
            f"{path.name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path.name}: not UTF-8; save it as UTF-8") from None
    if isinstance(data, dict):
        data = [{"file": k, **v} if isinstance(v, dict) else v for k, v in data.items()]
    if not isinstance(data, list):
        raise CorpusError(f"{path.name}: expected a list of objects with a 'file' key")
    out: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise CorpusError(f"{path.name}: entry {i + 1} is not an object with a 'file' string")
        out[entry["file"]] = entry
    return out


def _check_entry(entry: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = set(entry) - METADATA_KEYS
    if unknown:
        raise CorpusError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: "
            f"{', '.join(sorted(METADATA_KEYS))}"
        )
    for key in ("url", "publisher", "language", "published", "title"):
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise CorpusError(f"{where}: '{key}' must be a string")
    if "published_is_estimate" in entry and not isinstance(entry["published_is_estimate"], bool):
        raise CorpusError(f"{where}: 'published_is_estimate' must be true or false")
    return entry


def read_article(path: Path, entry: dict[str, Any] | None = None) -> Article:
    """One article file (+ its metadata entry) -> Article. Raises CorpusError."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise CorpusError(
            f"{name}: {size} bytes is more than one article "
            f"({MAX_ARTICLE_BYTES} at most); split it into one file per article"
        )
    data = path.read_bytes()
    meta = dict(entry or {})
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        try:
            side = json.loads(sidecar.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CorpusError(f"{sidecar.name}: not valid UTF-8 JSON ({exc})") from None
        if not isinstance(side, dict):
            raise CorpusError(f"{sidecar.name}: expected a JSON object")
        meta.update(_check_entry(side, sidecar.name))
    text = decode(data, name)
    html_meta: dict[str, str] = {}
    if path.suffix.lower() in (".html", ".htm"):
        text, html_meta = html_to_text(text)
    cleaned, offsets, stamped = clean(text)
    if not cleaned.strip():
        raise CorpusError(f"{name}: no article text left after removing page furniture")
    published = None
    if meta.get("published"):
        published = parse_date(meta["published"], f"metadata of {name}")
    elif html_meta.get("article:published_time") or html_meta.get("date"):
        raw = (html_meta.get("article:published_time") or html_meta["date"])[:10]
        published = parse_date(raw, f"{name} <meta> date")
    else:
        published = stamped or date_in_text(cleaned)
    sha = hashlib.sha256(data + json.dumps(meta, sort_keys=True).encode()).hexdigest()
    return Article(
        id=path.stem,
        file=name,
        text=cleaned,
        original=text,
        offsets=offsets,
        sha=sha,
        url=meta.get("url") or html_meta.get("og:url"),
        publisher=meta.get("publisher") or html_meta.get("og:site_name"),
        published=published,
        published_is_estimate=bool(meta.get("published_is_estimate", False)),
        title=meta.get("title")
        or html_meta.get("og:title")
        or html_meta.get("title")
        or guess_title(cleaned),
        language=meta.get("language") or "fr",
    )


def article_from_text(
    text: str, article_id: str = "text", published: str | None = None, **meta: Any
) -> Article:
    """An Article from a string (tests, notebooks): cleaned like a file's text."""
    cleaned, offsets, stamped = clean(text.replace("\r\n", "\n"))
    date = parse_date(published, article_id) if published else stamped or date_in_text(cleaned)
    sha = hashlib.sha256(text.encode() + json.dumps(meta, sort_keys=True).encode()).hexdigest()
    return Article(
        id=article_id,
        file=f"{article_id}.txt",
        text=cleaned,
        original=text,
        offsets=offsets,
        sha=sha,
        published=date,
        title=meta.get("title"),
        url=meta.get("url"),
        publisher=meta.get("publisher"),
    )


def article_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in ARTICLE_SUFFIXES
        and not p.name.startswith(".")
        and not p.stem.upper().startswith("README")  # the folder's documentation
    )


def read_corpus(
    folder: Path, strict: bool = False, only: Iterable[str] | None = None
) -> CorpusResult:
    """Every article of ``folder``. Bad files are reported in ``problems`` (or raise, strict)."""
    if not folder.is_dir():
        raise CorpusError(f"corpus folder not found: {folder} (give --corpus DIR)")
    result = CorpusResult()

    def problem(msg: str) -> None:
        if strict:
            raise CorpusError(msg)
        result.problems.append(msg)

    entries: dict[str, dict[str, Any]] = {}
    meta_file = folder / "metadata.json"
    if meta_file.exists():
        try:
            entries = _load_metadata_file(meta_file)
        except CorpusError as exc:
            problem(f"{exc} (articles are read without it)")
    wanted = set(only) if only is not None else None
    seen: dict[str, str] = {}
    files = article_files(folder)
    if not files:
        raise CorpusError(f"no articles (.txt, .md, .html) in {folder}")
    for path in files:
        if wanted is not None and path.stem not in wanted:
            continue
        if path.stem in seen:
            problem(f"{path.name}: same article id as {seen[path.stem]}; rename one of them")
            continue
        try:
            entry = entries.get(path.name)
            if entry is not None:
                _check_entry(entry, f"metadata.json entry for {path.name}")
            article = read_article(path, entry)
        except CorpusError as exc:
            problem(str(exc))
            continue
        except OSError as exc:
            problem(f"{path.name}: cannot be read ({exc.strerror})")
            continue
        seen[path.stem] = path.name
        result.articles.append(article)
    missing = sorted(set(entries) - {p.name for p in files})
    for name in missing:
        problem(f"metadata.json lists {name}, which is not in {folder}")
    return result
