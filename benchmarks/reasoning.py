"""Reasoning benchmark: owlrl against the compiled rules (fast path), on synthetic data.

For each size, ``synthetic_org.py`` generates the data (seeded); each engine then runs in its
own subprocess, which reports its wall time, CPU time and peak memory (getrusage):

* owlrl   parse the N-Triples + ``infer_owlrl``, "did not finish" beyond --owlrl-cpu-limit CPU
          seconds (RLIMIT_CPU; CPU time does not depend on what else the machine runs)
* fast    read the N-Triples file + ``infer_ntriples``: loaded and reasoned, to N-Triples lines
* store   load the N-Quads into an in-memory store (timed apart), then ``reason_store``: dump
          of the asserted graphs, fast reasoning, inferred graph written back to the store
* disk    the same with an on-disk store (RocksDB), as ``partnerkg build`` uses

The inferred triples of owlrl and fast are compared wherever owlrl finished. Results go to
benchmarks/results/reasoning.md and .json.

    python benchmarks/reasoning.py                      # 1e3, 1e4, 1e5, 1e6
    python benchmarks/reasoning.py --sizes 1000 10000 --owlrl-cpu-limit 60
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

SIZES = (1_000, 10_000, 100_000, 1_000_000)
SEED = 42
INFERRED = "https://example.org/partnerkg/graph/inferred"


# --- children: one engine, one size --------------------------------------------------------------
def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(engine: str, data: Path, output: Path, cache: Path) -> dict[str, Any]:
    import pyoxigraph as ox
    from rdflib import Graph, URIRef

    from graph.encode import NTriplesCodec
    from graph.reason import infer_ntriples, infer_owlrl, reason_store
    from graph.resources import ontology_file
    from graph.store import Store, from_ox

    ontology = Graph().parse(ontology_file(), format="turtle")
    result: dict[str, Any] = {}
    cpu, start = _cpu(), time.perf_counter()
    if engine == "owlrl":
        triples = [
            (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
            for t in ox.parse(path=str(data), format=ox.RdfFormat.N_TRIPLES)
        ]
        inferred = infer_owlrl(triples, ontology)
        result["seconds"], result["cpu"] = time.perf_counter() - start, _cpu() - cpu
        key = NTriplesCodec().key
        lines = sorted(f"{key(s)} {key(p)} {key(o)} .\n" for s, p, o in inferred)
    elif engine == "fast":
        out = infer_ntriples(data.read_text(encoding="utf-8"), ontology, cache)
        result["seconds"], result["cpu"] = time.perf_counter() - start, _cpu() - cpu
        lines = sorted(f"{s} {p} {o} .\n" for s, p, o in out.triples())
    else:  # store (in memory) or disk (on-disk store, as a build makes)
        store = Store() if engine == "store" else Store.open(output.with_suffix(".store"))
        store.ox.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        store.flush()
        result["load_seconds"] = time.perf_counter() - start
        graphs = store.graph_names()
        cpu = _cpu()
        report = reason_store(store, graphs, ontology, URIRef(INFERRED), "fast", 0, cache)
        result["seconds"], result["cpu"] = report.seconds, _cpu() - cpu
        lines = []
        result["inferred"] = report.triples_inferred
    if lines:
        output.write_text("".join(lines), encoding="utf-8")
        result["inferred"] = len(lines)
    return {**result, "peak_mb": _peak_mb()}


# --- the parent ----------------------------------------------------------------------------------
def run_child(
    engine: str, data: Path, output: Path, cache: Path, cpu_limit: float
) -> dict[str, Any]:
    """Runs one engine; beyond ``cpu_limit`` CPU seconds (or three times that in wall time,
    when the machine is busy) it "did not finish"."""
    command = [sys.executable, __file__, "--child", engine, str(data), str(output), str(cache)]

    def limit_cpu() -> None:
        seconds = int(cpu_limit)
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    load = os.getloadavg()[0]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=3 * cpu_limit, preexec_fn=limit_cpu
        )
    except subprocess.TimeoutExpired:
        return {"finished": False, "limit": f"{3 * cpu_limit:.0f} s wall", "load": load}
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return {"finished": False, "limit": f"{cpu_limit:.0f} CPU s", "load": load}
    if done.returncode != 0:
        return {"finished": False, "error": done.stderr.strip().splitlines()[-1:], "load": load}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"finished": True, **result, "load": max(load, os.getloadavg()[0])}


def prepare(size: int, work: Path) -> tuple[Path, Path, int]:
    """N-Quads (graphs kept, for the store) and N-Triples (for the engines) of one size."""
    from synthetic_org import generate

    lines = generate(size, seed=SEED)
    nq, nt = work / f"data-{size}.nq", work / f"data-{size}.nt"
    nq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    triples = dict.fromkeys(line.rsplit(" ", 2)[0] + " .\n" for line in lines)
    nt.write_text("".join(triples), encoding="utf-8")
    return nq, nt, len(triples)


def warm_cache(cache: Path) -> float:
    """Compiles the ontology once (owlrl on the TBox) so that every fast run reads the cache."""
    from rdflib import Graph

    from graph.resources import ontology_file
    from graph.rules import compile_rules

    start = time.perf_counter()
    compile_rules(Graph().parse(ontology_file(), format="turtle"), cache_dir=cache)
    return time.perf_counter() - start


def same(a: Path, b: Path) -> bool:
    return a.read_bytes() == b.read_bytes()


def benchmark(sizes: list[int], owlrl_limit: float, work: Path) -> dict[str, Any]:
    cache = work / "cache"
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "seed": SEED,
        "tbox_compile_seconds": warm_cache(cache),
        "runs": [],
    }
    for size in sizes:
        nq, nt, n = prepare(size, work)
        row: dict[str, Any] = {"size": size, "triples": n}
        print(f"size {size}: {n} triples", file=sys.stderr, flush=True)
        for engine, data, timeout in (
            ("fast", nt, 3600.0),
            ("store", nq, 3600.0),
            ("disk", nq, 3600.0),
            ("owlrl", nt, owlrl_limit),
        ):
            row[engine] = run_child(engine, data, work / f"{engine}-{size}.nt", cache, timeout)
            print(f"  {engine}: {row[engine]}", file=sys.stderr, flush=True)
        if row["owlrl"]["finished"] and row["fast"]["finished"]:
            row["identical"] = same(work / f"owlrl-{size}.nt", work / f"fast-{size}.nt")
        results["runs"].append(row)
    return results


# --- report --------------------------------------------------------------------------------------
def _cell(r: dict[str, Any], key: str = "seconds") -> str:
    if not r.get("finished"):
        return f"did not finish ({r['limit']})" if "limit" in r else "error"
    return f"{r[key]:.2f} s"


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# Reasoning benchmark",
        "",
        f"Machine: {m['cpus']} CPUs, Python {m['python']}, {m['platform']}. "
        f"Seed {results['seed']}. Ontology compiled once (owlrl on the TBox, then cached): "
        f"{results['tbox_compile_seconds']:.2f} s.",
        "",
        "| triples | owlrl time | owlrl CPU | owlrl peak | fast: load + reason | fast CPU "
        "| fast peak | memory store: load | reason_store | CPU | peak | disk store: load "
        "| reason_store | CPU | peak | inferred | identical | load avg |",
        "|" + "---:|" * 15 + ":---:|---:|",
    ]
    for row in results["runs"]:
        o, f, s, d = row["owlrl"], row["fast"], row["store"], row["disk"]
        identical = {True: "yes", False: "NO"}.get(row.get("identical"), "n/a")
        owlrl_use = f"{o['cpu']:.1f} s | {o['peak_mb']:.0f} MB" if o.get("finished") else "– | –"
        cells = [
            f"{row['triples']:,}",
            _cell(o),
            owlrl_use,
            _cell(f),
            f"{f.get('cpu', 0):.1f} s",
            f"{f.get('peak_mb', 0):.0f} MB",
            _cell(s, "load_seconds"),
            _cell(s),
            f"{s.get('cpu', 0):.1f} s",
            f"{s.get('peak_mb', 0):.0f} MB",
            _cell(d, "load_seconds"),
            _cell(d),
            f"{d.get('cpu', 0):.1f} s",
            f"{d.get('peak_mb', 0):.0f} MB",
            f"{f.get('inferred', 0):,}",
            identical,
            f"{max(r.get('load', 0) for r in (o, f, s, d)):.1f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "owlrl: parse + `infer_owlrl`. fast: read the N-Triples + `infer_ntriples` (parse, "
        "encode, compiled rules, noise filter, N-Triples out). memory / disk store: pyoxigraph "
        "bulk-loads the N-Quads into an in-memory / on-disk store (load), then `reason_store` "
        "reads the asserted graphs, reasons and writes the inferred graph. CPU: CPU seconds "
        "of the timed part. Peak memory is the child process's maximum resident set size. "
        "Load avg: the machine's 1-minute load average around the runs (2 CPUs: above 2, "
        "other processes shared the CPUs and wall times are longer than on an idle machine).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--owlrl-cpu-limit", type=float, default=300.0, help="CPU seconds")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "DATA", "OUTPUT", "CACHE"))
    args = parser.parse_args(argv)
    if args.child:
        engine, data, output, cache = args.child
        print(json.dumps(child(engine, Path(data), Path(output), Path(cache))))
        return
    with tempfile.TemporaryDirectory(prefix="partnerkg-bench-") as tmp:
        results = benchmark(args.sizes, args.owlrl_cpu_limit, Path(tmp))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "reasoning.json").write_text(json.dumps(results, indent=2) + "\n")
    report = markdown(results)
    (args.out / "reasoning.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
