"""Endpoint benchmark: partnerkg's server against Oxigraph's own server, on the same data.

For each dataset, both servers serve the same on-disk store (``partnerkg serve`` in its
production setup, waitress + query worker processes; ``oxigraph serve-read-only
--union-default-graph`` of PyPI ``oxigraph`` on the very same store directory) and answer the
same mix of requests: the competency questions of the query library (``queries/*.rq``), their
parameters bound to entities sampled from the data (seeded). Clients (threads spread over a
few processes, keep-alive HTTP, SPARQL JSON results) send requests back to back for
``--duration`` seconds at each concurrency level; the table gives throughput and the p50 and
p95 latencies seen by the clients. Before measuring, every request of the mix is sent once to
both servers and their answers compared (same number of solutions).

Datasets: ``seed`` (the bundled sample corpus, built by ``partnerkg build``) and a synthetic
graph of SIZE asserted triples (benchmarks/synthetic_org.py, seed 42) plus its inferred graph
(the fast reasoner) and the ontology.

    python benchmarks/endpoint.py                                   # seed and 1e6
    python benchmarks/endpoint.py --datasets seed --duration 5 --clients 1 8
Results go to benchmarks/results/endpoint.md and .json.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import multiprocessing
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

BASE = "https://w3id.org/partnerkg/"
SEED = 42
RESULTS = HERE / "results"
JSON_RESULTS = "application/sparql-results+json"
SERVERS = ("oxigraph", "partnerkg", "partnerkg+cache")


# --- data -------------------------------------------------------------------------------------
def build_seed(data_dir: Path) -> None:
    from graph.build import build
    from graph.config import load_settings

    build(load_settings({"data_dir": str(data_dir), "store": "oxigraph"}, env={}))


def build_synthetic(data_dir: Path, size: int) -> None:
    """The generator's N-Quads, the ontology graph and the inferred graph (fast reasoner)."""
    from rdflib import Graph, URIRef
    from synthetic_org import generate

    from graph.reason import reason_store
    from graph.resources import ontology_file
    from graph.store import new_store

    lines = generate(size, seed=SEED, base=BASE)
    ontology = Graph().parse(ontology_file(), format="turtle")
    with new_store(data_dir) as store:
        store.bulk_load(io.BytesIO("\n".join(lines).encode() + b"\n"), "nq")
        store.replace_graphs({URIRef(f"{BASE}graph/ontology"): list(ontology)})  # type: ignore[dict-item]
        asserted = [g for g in store.graph_names() if not str(g).endswith("graph/ontology")]
        reason_store(store, asserted, ontology, URIRef(f"{BASE}graph/inferred"), "fast", 0)


def prepare(name: str, work: Path) -> Path:
    data_dir = work / name
    if (data_dir / "current").exists():
        print(f"[{name}] reusing {data_dir}", flush=True)
        return data_dir
    start = time.perf_counter()
    if name == "seed":
        build_seed(data_dir)
    else:
        build_synthetic(data_dir, int(float(name)))
    print(f"[{name}] built in {time.perf_counter() - start:.1f} s", flush=True)
    return data_dir


# --- the request mix --------------------------------------------------------------------------
POOLS = {
    "persons": "SELECT DISTINCT ?x WHERE { ?x <http://www.w3.org/ns/org#reportsTo> ?y }",
    "superiors": "SELECT DISTINCT ?x WHERE { ?y <http://www.w3.org/ns/org#reportsTo> ?x }",
    "units": "SELECT DISTINCT ?x WHERE { ?y <https://w3id.org/partnerkg/ontology#subUnitOf> ?x }",
    "vendors": "SELECT DISTINCT ?x WHERE { ?x a <https://w3id.org/partnerkg/ontology#Vendor> }",
}
QUERY_POOLS = {("02_reports_to_person", "person"): "superiors"}  # who reports to them
CLASS_POOLS = {
    "foaf:Person": "persons",
    "org:Organization": "units",
    "org:OrganizationalUnit": "units",
    "org:FormalOrganization": "vendors",
    "pk:Vendor": "vendors",
}


def entity_pools(store_path: Path, per_pool: int) -> dict[str, list[str]]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    rng = random.Random(SEED)
    pools = {}
    for name, query in POOLS.items():
        found = sorted(r["x"].value for r in store.query(query, use_default_graph_as_union=True))
        pools[name] = rng.sample(found, min(per_pool, len(found)))
    return pools


def request_mix(store_path: Path, date: str, per_pool: int = 25) -> list[tuple[str, str]]:
    """(query name, SPARQL text) for every query of the library and sampled parameters."""
    from rdflib import Literal, URIRef

    from graph.queries import bind_values, list_queries
    from graph.vocab import PREFIXES

    pools = entity_pools(store_path, per_pool)
    mix = []
    for info in list_queries():
        choices: list[dict[str, Any]] = [{}]
        for p in info.params:
            if p.type == "date":
                values: list[Any] = [Literal(date)]
            elif p.type == "entity":
                pool = (
                    QUERY_POOLS.get((info.name, p.name))
                    or CLASS_POOLS.get(p.cls or "")
                    or ("units" if "figure" in info.name else "persons")
                )
                values = [URIRef(x) for x in pools[pool]]
            elif p.type == "iri" and p.default and ":" in p.default:
                prefix, _, local = p.default.partition(":")
                values = [URIRef(PREFIXES[prefix] + local)] if prefix in PREFIXES else []
            else:
                values = []
            if values:
                choices = [{**c, p.name: v} for c in choices for v in values][:per_pool]
        mix += [(info.name, bind_values(info.sparql, c)) for c in choices]
    return mix


# --- the servers ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server of {url} exited with status {process.returncode}")
        try:
            query = urllib.parse.urlencode({"query": "ASK {}"})
            urllib.request.urlopen(f"{url}?{query}", timeout=5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up within {seconds} s")


def start_partnerkg(
    data_dir: Path, args: argparse.Namespace, log: Path, cache_mb: float
) -> tuple[Any, str]:
    port = free_port()
    command = [
        sys.executable, "-c", "from graph.cli import main; main()", "serve",
        "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port),
        "--query-workers", str(args.workers), "--threads", str(args.threads),
        "--query-timeout", str(args.timeout),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(HERE.parent), "PARTNERKG_RESULT_CACHE": str(cache_mb)}
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_until_up(url, process)
    return process, url


def start_oxigraph(store_path: Path, args: argparse.Namespace, log: Path) -> tuple[Any, str]:
    binary = Path(sys.executable).parent / "oxigraph"
    command = [
        str(binary if binary.is_file() else shutil.which("oxigraph") or "oxigraph"),
        "serve-read-only", "--location", str(store_path), "--union-default-graph",
        "--bind", f"127.0.0.1:{(port := free_port())}", "--timeout-s", str(int(args.timeout)),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    wait_until_up(url, process)
    return process, url


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- clients --------------------------------------------------------------------------------
def post(conn: http.client.HTTPConnection, path: str, query: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": query})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_RESULTS}
    conn.request("POST", path, body, headers)
    response = conn.getresponse()
    return response.status, response.read()


def client_process(url: str, mix: list[str], threads: int, seconds: float, seed: int) -> dict:
    """``threads`` clients sending requests back to back; latencies of the successful ones."""
    parsed = urllib.parse.urlsplit(url)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_at = time.monotonic() + 0.5
    deadline = start_at + seconds

    def run(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        mine, failed = [], []
        time.sleep(max(0.0, start_at - time.monotonic()))
        while time.monotonic() < deadline:
            query = mix[rng.randrange(len(mix))]
            t0 = time.perf_counter()
            try:
                status, _ = post(conn, parsed.path, query)
            except (OSError, http.client.HTTPException) as exc:
                failed.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
                continue
            elapsed = time.perf_counter() - t0
            if status == 200:
                mine.append(elapsed)
            else:
                failed.append(str(status))
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return {"latencies": latencies, "errors": errors}


def run_clients(
    pool: Any, url: str, mix: list[str], clients: int, seconds: float, seed: int
) -> list[dict[str, Any]]:
    processes = min(clients, 4)
    shares = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    return list(
        pool.starmap(
            client_process, [(url, mix, n, seconds, seed + i) for i, n in enumerate(shares)]
        )
    )


def measure_interleaved(
    urls: dict[str, str], mix: list[str], clients: int, seconds: float, rounds: int
) -> dict[str, dict[str, Any]]:
    """Each server ``seconds`` in all, in ``rounds`` slices taken in turn, so that a change in
    what else the machine runs meanwhile weighs on all of them alike."""
    parts: dict[str, list[dict[str, Any]]] = {name: [] for name in urls}
    loads: dict[str, list[float]] = {name: [] for name in urls}
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(min(clients, 4)) as pool:
        for r in range(rounds):
            order = list(urls) if r % 2 == 0 else list(reversed(urls))
            for name in order:
                loads[name].append(os.getloadavg()[0])
                parts[name] += run_clients(pool, urls[name], mix, clients, seconds / rounds, r)
    return {
        name: {**summarise(parts[name], seconds), "load": round(statistics.mean(loads[name]), 2)}
        for name in urls
    }


def summarise(parts: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    latencies = sorted(x for p in parts for x in p["latencies"])
    errors = [e for p in parts for e in p["errors"]]
    if not latencies:
        return {
            "throughput": 0.0,
            "p50_ms": None,
            "p95_ms": None,
            "requests": 0,
            "errors": len(errors),
        }
    return {
        "throughput": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
        "requests": len(latencies),
        "errors": len(errors),
    }


def calibrate(
    mix: list[tuple[str, str]], url: str, slow: float
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Leave out the queries whose first request takes Oxigraph more than ``slow`` seconds
    (they would turn a throughput measure into a count of time-outs)."""
    parts = urllib.parse.urlsplit(url)
    left_out: dict[str, str] = {}
    for name in dict.fromkeys(n for n, _ in mix):
        query = next(q for n, q in mix if n == name)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=slow + 10)
        t0 = time.perf_counter()
        try:
            status, body = post(conn, parts.path, query)
            outcome = solutions(status, body)
        except TimeoutError:
            outcome = "no answer"
        seconds = time.perf_counter() - t0
        conn.close()
        if seconds > slow or not isinstance(outcome, int):
            left_out[name] = f"{seconds:.1f} s ({outcome if isinstance(outcome, str) else 'ok'})"
    return [(n, q) for n, q in mix if n not in left_out], left_out


def solutions(status: int, body: bytes) -> int | str:
    """The number of solutions, or what went wrong (a 200 cut short is a timeout midway)."""
    if status != 200:
        return f"HTTP {status}"
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError):
        return "incomplete JSON"


def check_answers(mix: list[tuple[str, str]], urls: dict[str, str]) -> tuple[list[str], dict]:
    """Send each request once to every server: same number of solutions? Also the warm-up."""
    mismatches: list[str] = []
    timings: dict[str, dict[str, list[float]]] = {name: {} for name in urls}
    for name, query in mix:
        counts: dict[str, Any] = {}
        for server, url in urls.items():
            parts = urllib.parse.urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
            t0 = time.perf_counter()
            status, body = post(conn, parts.path, query)
            timings[server].setdefault(name, []).append(time.perf_counter() - t0)
            conn.close()
            counts[server] = solutions(status, body)
        if len(set(map(str, counts.values()))) > 1:
            mismatches.append(f"{name}: {counts}")
    medians = {
        s: {q: round(1000 * statistics.median(t), 1) for q, t in per.items()}
        for s, per in timings.items()
    }
    return mismatches, medians


# --- the run --------------------------------------------------------------------------------------
def run_dataset(name: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from graph.store import live_path

    data_dir = prepare(name, work)
    store_path = live_path(data_dir)
    assert store_path is not None
    import pyoxigraph as ox

    triples = len(ox.Store.read_only(str(store_path)))
    mix = request_mix(store_path, "2017" if name == "seed" else "2020")
    print(f"[{name}] {triples:,} statements, {len(mix)} requests in the mix", flush=True)
    oxigraph_log = work / f"{name}-oxigraph.log"
    theirs, theirs_url = start_oxigraph(store_path, args, oxigraph_log)
    mix, left_out = calibrate(mix, theirs_url, args.slow)
    for query_name, why in left_out.items():
        print(f"  left out {query_name}: Oxigraph took {why}", flush=True)
    stop(theirs)  # its time limit does not stop every query: start afresh
    theirs, theirs_url = start_oxigraph(store_path, args, oxigraph_log)
    ours, ours_url = start_partnerkg(data_dir, args, work / f"{name}-partnerkg.log", 0)
    cached, cached_url = start_partnerkg(
        data_dir, args, work / f"{name}-partnerkg-cached.log", args.result_cache
    )
    urls = {"partnerkg": ours_url, "oxigraph": theirs_url}
    try:
        mismatches, single = check_answers(mix, urls)
        for m in mismatches:
            print(f"  answers differ: {m}", flush=True)
        texts = [q for _, q in mix]
        rows = []
        urls["partnerkg+cache"] = cached_url
        for clients in args.clients:
            measured = measure_interleaved(urls, texts, clients, args.duration, args.rounds)
            for server in SERVERS:
                rows.append({"server": server, "clients": clients, **measured[server]})
                print(f"  {server:15s} {clients:3d} clients: {fmt_row(measured[server])}")
    finally:
        stop(ours)
        stop(cached)
        stop(theirs)
    return {
        "dataset": name,
        "statements": triples,
        "requests_in_mix": len(mix),
        "queries": sorted({n for n, _ in mix}),
        "left_out": left_out,
        "mismatches": mismatches,
        "single_request_median_ms": single,
        "rows": rows,
    }


def fmt_row(r: dict[str, Any]) -> str:
    p50 = f"{r['p50_ms']:.1f}" if r["p50_ms"] is not None else "-"
    p95 = f"{r['p95_ms']:.1f}" if r["p95_ms"] is not None else "-"
    return (
        f"{r['throughput']:8.1f} req/s  p50 {p50:>7} ms  p95 {p95:>7} ms  "
        f"errors {r['errors']}  (load average: {r.get('load')})"
    )


def write_report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "endpoint.json").write_text(
        json.dumps({"args": vars(args), "results": results}, indent=1)
    )
    lines = [
        "# Endpoint benchmark",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.platform()}. partnerkg: waitress, {args.threads} threads, "
        f"{args.workers} query workers; `partnerkg` evaluates every request (result cache "
        f"off), `partnerkg+cache` is the default setup ({args.result_cache:g} MB result cache: "
        "a request of the mix sent again is answered from it). Oxigraph: `oxigraph "
        "serve-read-only --union-default-graph` on the same store. "
        f"{args.duration:g} s per server and level, in {args.rounds} slices taken in turn; "
        "clients in up to 4 processes, keep-alive, JSON results. The load average (what else "
        "the machine ran, other jobs included) is the mean over the slices.",
        "",
    ]
    for res in results:
        lines += [
            f"## {res['dataset']}: {res['statements']:,} statements, "
            f"{res['requests_in_mix']} requests ({len(res['queries'])} queries)",
            "",
            "| clients | server | req/s | p50 ms | p95 ms | errors | throughput vs oxigraph "
            "| load average |",
            "|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        by = {(r["server"], r["clients"]): r for r in res["rows"]}
        for clients in args.clients:
            for server in SERVERS:
                r = by[(server, clients)]
                ratio = ""
                if server != "oxigraph" and by[("oxigraph", clients)]["throughput"]:
                    ratio = f"{r['throughput'] / by[('oxigraph', clients)]['throughput']:.2f}"
                p50 = f"{r['p50_ms']:.1f}" if r["p50_ms"] is not None else "-"
                p95 = f"{r['p95_ms']:.1f}" if r["p95_ms"] is not None else "-"
                lines.append(
                    f"| {clients} | {server} | {r['throughput']:.1f} | {p50} | {p95} | "
                    f"{r['errors']} | {ratio} | {r.get('load', '')} |"
                )
        lines.append("")
        if res["left_out"]:
            lines += [
                f"Left out of the mix (a first request took Oxigraph more than {args.slow:g} s): "
                + ", ".join(f"`{n}` {why}" for n, why in res["left_out"].items()),
                "",
            ]
        if res["mismatches"]:
            lines += ["Answers that differ:", *(f"* {m}" for m in res["mismatches"]), ""]
        else:
            lines += ["Both servers gave the same number of solutions to every request.", ""]
    (RESULTS / "endpoint.md").write_text("\n".join(lines))
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["seed", "1000000"])
    parser.add_argument("--clients", nargs="+", type=int, default=[1, 8, 32])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per server")
    parser.add_argument("--rounds", type=int, default=5, help="slices taken in turn")
    parser.add_argument("--workers", type=int, default=2, help="partnerkg query workers")
    parser.add_argument("--threads", type=int, default=8, help="partnerkg HTTP threads")
    parser.add_argument(
        "--result-cache", type=float, default=64.0, help="MB of result cache of partnerkg+cache"
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="query time limit (both)")
    parser.add_argument(
        "--slow", type=float, default=1.0, help="leave out queries Oxigraph needs longer for"
    )
    parser.add_argument("--work", type=Path, help="keep the built data here (reused next time)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="partnerkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        results = [run_dataset(name, args, work) for name in args.datasets]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    args.work = str(args.work) if args.work else None
    write_report(results, args)


if __name__ == "__main__":
    main()
