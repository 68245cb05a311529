"""Scale benchmark: build synthetic corpora of growing size and measure the store.

For each size: generate the articles (benchmarks/synthetic_articles.py, seeded), run
``partnerkg build`` in a subprocess (wall time, peak memory of the whole process tree sampled
from /proc, and the largest single process from getrusage), then measure the store on disk,
the graph size, the latency of queries mirroring the competency questions, a rebuild with
nothing changed, and an incremental rebuild after one article changed.

    python benchmarks/scale.py --sizes 100 1000 10000 --json benchmarks/results/scale.json

The data directories are temporary unless --work DIR is given (kept for inspection).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_articles import change_article, generate

# queries mirroring the competency questions on data the generator produces (no parameters:
# a first query picks the person or vendor each one is about)
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX pk: <https://w3id.org/partnerkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
PICK_PERSON = "SELECT ?p WHERE { ?p pk:reportsToTransitively ?q } LIMIT 1"
PICK_BOSS = (
    "SELECT ?q (COUNT(?p) AS ?n) WHERE { ?p pk:reportsToTransitively ?q } "
    "GROUP BY ?q ORDER BY DESC(?n) LIMIT 1"
)
PICK_VENDOR = "SELECT ?v WHERE { ?v a pk:Vendor } LIMIT 1"
CQS = {
    "cq1_reports_to": "SELECT ?q ?direct WHERE { $person pk:reportsToTransitively ?q . "
    "BIND(EXISTS { $person org:reportsTo ?q } AS ?direct) }",
    "cq2_reports_from": "SELECT ?p WHERE { ?p pk:reportsToTransitively $boss }",
    "cq3_subunits_heads": "SELECT ?u ?sub ?head WHERE { ?sub pk:subUnitOf ?u . "
    "?u org:unitOf $vendor . OPTIONAL { ?head org:headOf ?sub } }",
    "cq4_mergers": "SELECT ?e ?a ?b ?d WHERE { ?e a pk:Merger ; org:originalOrganization ?a ; "
    "org:resultingOrganization ?b . OPTIONAL { ?e dcterms:date ?d } }",
    "cq5_tiers": "SELECT ?t ?lower ?points WHERE { ?t pk:tierOf $vendor . "
    "OPTIONAL { ?lower pk:rankedBelow ?t } OPTIONAL { ?t pk:hasRequirement ?r . "
    "?r pk:minimumPoints ?points } }",
    "cq6_roles": "SELECT ?role ?old WHERE { ?role a pk:PartnerFacingRole . "
    "OPTIONAL { ?role pk:replaces ?old } }",
    "cq7_positions": "SELECT ?rec ?org ?date WHERE { { ?rec pk:headshipHolder $person } UNION "
    "{ ?rec org:member $person } ?rec org:organization ?org ; "
    "pk:attestedOn ?date } ORDER BY ?date",
    "cq8_reorganisations": "SELECT ?e ?d WHERE { ?e a org:ChangeEvent ; "
    "pk:concernsOrganization $vendor . OPTIONAL { ?e dcterms:date ?d } } "
    "ORDER BY ?d",
    "cq9_partners": "SELECT ?c ?t WHERE { ?c pk:partnerAtTier ?t ; pk:partnerOf $vendor }",
    "cq10_figures": "SELECT ?f ?s ?v WHERE { ?f pk:figureOf ?s ; pk:value ?v }",
    "cq11_evidence": "SELECT ?rec ?text ?article WHERE { ?rec pk:subordinate $person ; "
    "prov:wasDerivedFrom ?ev . ?ev pk:sentenceText ?text ; "
    "prov:wasQuotedFrom ?article }",
    "count_all": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}


class TreeMemory:
    """Peak of the summed RSS of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo += children.get(p, [])
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for p in self._tree():
                try:
                    with open(f"/proc/{p}/status") as f:
                        for line in f:
                            if line.startswith("VmRSS:"):
                                total += int(line.split()[1]) * 1024
                except OSError:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_build(corpus: Path, data_dir: Path, workers: int) -> dict[str, Any]:
    """`partnerkg build` in a subprocess: wall time, memory, and its build.json."""
    command = [
        sys.executable,
        "-m",
        "graph",
        "build",
        "--corpus",
        str(corpus),
        "--data-dir",
        str(data_dir),
    ]
    env = {**os.environ, "PARTNERKG_WORKERS": str(workers)}
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    memory = TreeMemory(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    peak_tree = memory.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"build failed ({proc.returncode}):\n{err[-3000:]}")
    report = json.loads((data_dir / "build.json").read_text("utf-8"))
    return {
        "seconds": round(wall, 2),
        "peak_memory_mb": round(peak_tree / 2**20),
        "largest_process_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "stages": report["seconds"],
        "changes": {
            k: (len(v) if isinstance(v, list) else v) for k, v in report["changes"].items()
        },
        "triples": sum(report["graphs"].values()),
        "inferred": report["graphs"].get(
            next((k for k in report["graphs"] if k.endswith("/inferred")), ""), 0
        ),
        "reasoning": report["reasoning"].get("method"),
        "summary_line": next((line for line in out.splitlines() if "unchanged" in line), ""),
    }


def disk_size(path: Path) -> int:
    """Bytes of the files under path, hard links counted once."""
    seen, total = set(), 0
    for root, _, files in os.walk(path):
        for name in files:
            st = os.lstat(os.path.join(root, name))
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return total


def query_latency(data_dir: Path, repeat: int = 5) -> dict[str, float]:
    """Median milliseconds of each query on the live store (read-only, warm after one run)."""
    from graph.store import open_live

    store = open_live(data_dir)

    def first(q: str) -> str:
        rows = list(store.query(PREFIXES + q))
        return str(rows[0][0]) if rows else "<urn:none>"

    subs = {"$person": first(PICK_PERSON), "$boss": first(PICK_BOSS), "$vendor": first(PICK_VENDOR)}
    out = {}
    for name, q in CQS.items():
        for k, v in subs.items():
            q = q.replace(k, v)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            rows = list(store.query(PREFIXES + q))
            times.append(time.perf_counter() - t)
        out[name] = round(statistics.median(times) * 1000, 1)
        out[name + "_rows"] = len(rows)
    return out


def measure(size: int, work: Path, seed: int, workers: int) -> dict[str, Any]:
    corpus, data_dir = work / f"corpus-{size}", work / f"data-{size}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(data_dir, ignore_errors=True)
    files = generate(size, corpus, seed)
    words = sum(len(p.read_text("utf-8").split()) for p in files)
    result: dict[str, Any] = {"articles": size, "words_per_article": round(words / size)}
    print(f"[{size}] full build...", file=sys.stderr, flush=True)
    result["full"] = run_build(corpus, data_dir, workers)
    result["articles_per_second"] = round(size / result["full"]["seconds"], 1)
    live = (data_dir / "current").resolve()
    result["store_mb"] = round(disk_size(live) / 2**20, 1)
    result["graph_cache_mb"] = round(disk_size(data_dir / "cache" / "graphs") / 2**20, 1)
    result["extract_cache_mb"] = round(disk_size(data_dir / "cache" / "extract") / 2**20, 1)
    print(f"[{size}] queries...", file=sys.stderr, flush=True)
    result["query_ms"] = query_latency(data_dir)
    print(f"[{size}] rebuild, nothing changed...", file=sys.stderr, flush=True)
    result["unchanged"] = run_build(corpus, data_dir, workers)
    print(f"[{size}] rebuild, one article changed...", file=sys.stderr, flush=True)
    change_article(files[len(files) // 2], seed)
    result["one_changed"] = run_build(corpus, data_dir, workers)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0, help="extraction processes (0: cores)")
    parser.add_argument("--work", type=Path, help="keep corpora and data directories here")
    parser.add_argument("--json", type=Path, help="append the results to this JSON file")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="partnerkg-scale-"))
    results = []
    try:
        for size in args.sizes:
            r = measure(size, work, args.seed, args.workers)
            results.append(r)
            print(json.dumps(r, indent=1), flush=True)
            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                old = json.loads(args.json.read_text()) if args.json.exists() else []
                args.json.write_text(json.dumps([*old, r], indent=1))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
