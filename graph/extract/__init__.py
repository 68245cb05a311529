"""Extract: articles -> entity mentions and facts with evidence (records.Extraction).

spaCy's French model (with the gazetteer SpanRuler) reads the articles in batches; the rules of
patterns/ turn each article into facts. Results are cached per article: the cache key is the
article's content hash plus a hash of the extractor itself (code, rules, gazetteers), so a
rebuild only re-reads articles that changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from ..records import Article, Extraction
from ..resources import package_data
from .article import extract_article
from .nlp import parse


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """Hash of every file the extraction depends on."""
    h = hashlib.sha256()
    folder = package_data("extract")
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".py", ".yaml", ".csv") and "__pycache__" not in path.parts:
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _cache_path(cache_dir: Path, article: Article) -> Path:
    return cache_dir / f"{article.id}.{article.sha[:16]}.{extractor_version()}.json"


def extract_articles(articles: Sequence[Article], cache_dir: Path | None = None,
                     batch_size: int = 16,
                     progress: Callable[[int, int], None] | None = None) -> list[Extraction]:
    """One Extraction per article, in order; cached articles are not parsed again."""
    results: dict[str, Extraction] = {}
    todo: list[Article] = []
    for article in articles:
        path = _cache_path(cache_dir, article) if cache_dir else None
        if path is not None and path.exists():
            try:
                results[article.id] = Extraction.from_dict(json.loads(path.read_text("utf-8")))
                continue
            except (ValueError, KeyError, TypeError):
                path.unlink(missing_ok=True)          # a corrupt cache entry is re-extracted
        todo.append(article)
    for n, (article, doc) in enumerate(zip(todo, parse([a.text for a in todo], batch_size),
                                           strict=True), 1):
        extraction = extract_article(article, doc)
        results[article.id] = extraction
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            for old in cache_dir.glob(f"{article.id}.*.json"):
                old.unlink(missing_ok=True)
            tmp = _cache_path(cache_dir, article).with_suffix(".tmp")
            tmp.write_text(json.dumps(extraction.to_dict(), ensure_ascii=False), "utf-8")
            tmp.replace(_cache_path(cache_dir, article))
        if progress:
            progress(n, len(todo))
    return [results[a.id] for a in articles]


__all__ = ["extract_article", "extract_articles", "extractor_version"]
