"""Extraction quality: builds each annotated corpus and scores its graph against the gold.

The corpora: the bundled sample (scored against the shared seed gold), the development
articles written for the rules, and the held-out articles (tests/articles). The scorer is the
shared ``score.py`` (``--scorer``; found beside the checkout by default).

    python benchmarks/quality.py            # writes results/quality.md and results/quality.json
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.build import build  # noqa: E402
from graph.config import Settings  # noqa: E402
from graph.store import open_live  # noqa: E402

SHARED_GOLD = ("shared", "eval", "seeds-gold")
CORPORA = {  # name -> (articles, gold, relative to the repository; None: the shared seed gold)
    "sample (corpus/)": ("corpus", None),
    "development (tests/articles/dev)": ("tests/articles/dev", "tests/articles/dev-gold"),
    "held-out (tests/articles/heldout)": ("tests/articles/heldout", "tests/articles/heldout-gold"),
}


def find_shared(*parts: str) -> Path | None:
    for parent in ROOT.parents:
        if (parent.joinpath(*parts)).exists():
            return parent.joinpath(*parts)
    return None


def score(corpus: Path, gold: Path, scorer: Path, work: Path) -> dict[str, float]:
    data_dir = work / corpus.name
    build(Settings(corpus=corpus, data_dir=data_dir, curation=ROOT / "curation.yaml"))
    graph = data_dir / "out.nq"
    open_live(data_dir).dump(graph)
    out = subprocess.run(
        [sys.executable, str(scorer), "--graph", str(graph), "--gold", str(gold)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"score: F1=([\d.]+) P=([\d.]+) R=([\d.]+)", out.stdout)
    if found is None:
        raise SystemExit(f"no score line in the scorer's output:\n{out.stdout}{out.stderr}")
    return dict(zip(("F1", "P", "R"), map(float, found.groups()), strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorer", type=Path, default=find_shared("shared", "eval", "score.py"))
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.scorer is None or not args.scorer.is_file():
        parser.error("the shared scorer was not found: give --scorer PATH/score.py")
    rows = {}
    with tempfile.TemporaryDirectory(prefix="partnerkg-quality-") as tmp:
        for name, (articles, gold) in CORPORA.items():
            gold_dir = ROOT / gold if gold else find_shared(*SHARED_GOLD)
            if gold_dir is None:
                print(f"{name}: no gold found, skipped", file=sys.stderr)
                continue
            rows[name] = score(ROOT / articles, gold_dir, args.scorer, Path(tmp))
            print(f"{name}: {rows[name]}", file=sys.stderr, flush=True)
    lines = ["| articles | F1 | precision | recall |", "|---|---:|---:|---:|"]
    lines += [f"| {n} | {s['F1']:.3f} | {s['P']:.3f} | {s['R']:.3f} |" for n, s in rows.items()]
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "quality.json").write_text(json.dumps(rows, indent=1) + "\n", "utf-8")
    (args.results / "quality.md").write_text(
        "# Extraction quality\n\n`python benchmarks/quality.py` (shared score.py)\n\n"
        + "\n".join(lines) + "\n", "utf-8",
    )  # fmt: skip
    print("\n".join(lines))


if __name__ == "__main__":
    main()
