"""Build: the whole pipeline, corpus -> store, incremental on disk.

    scan the corpus -> read new and changed articles -> extract (cached per article, in
    worker processes when many) -> resolve (the mentions of every article) -> populate + curate
    (only the articles whose graph changed) -> store (a new generation) -> reason (inferred
    graph) -> validate (SHACL, small graphs only) -> switch the live store

Incremental builds rest on a manifest written beside each store generation (store.new_store).
Per article it keeps the file's size, mtime and metadata entry (unchanged files are not read
again), the content hash, the mentions (resolution re-runs over every article: it is cheap and
global), and the *fingerprint* of the article's graph: a hash of everything that graph depends
on (content, extractor and pipeline code, curation file, IRI, label, kind and owner of each
entity it mentions). An article is populated again only when its fingerprint changed, e.g.
because a new article gave an entity it mentions a better label, hence a new IRI. The entities
graph is regenerated; the inferred graph is recomputed in full.

A new generation is either a checkpoint clone of the live store to which the changed graphs are
applied (few changes) or a fresh store bulk-loaded from the N-Triples of every graph, kept in
{data_dir}/cache/graphs (many changes, first build). Either way it becomes live only when
everything succeeded, in one atomic rename; a failed or killed build leaves the live store
untouched. The report is also written to {data_dir}/build.json.

``store="memory"`` runs the same pipeline in memory, in full, and keeps nothing on disk.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import multiprocessing
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from . import reason as reasoning
from .config import Settings
from .corpus import article_files, read_corpus
from .curate import apply_curation, load_actions
from .encode import NTriplesCodec
from .errors import CorpusError, PartnerKGError
from .extract import extract_articles, extractor_version
from .iris import Iris
from .populate import article_graph, entity_graph
from .records import Article, Extraction, Mention, OffsetMap
from .resolve import Resolution, resolve
from .resources import ontology_file, package_data
from .store import Store, build_lock, live_path, new_store, open_live, read_manifest, to_ox
from .validate import validate

MANIFEST_VERSION = 1
# a fresh store is written when more than this share of the article graphs changed (and more
# than CLONE_MIN): a bulk load then beats removing and adding graphs one by one
CLONE_LIMIT = 0.3
CLONE_MIN = 100
PARALLEL_MIN = 40  # articles to extract from which worker processes are used
CURATION_BATCH = 2000  # article graphs curated together
# the code whose change invalidates every article graph (the extractor has its own version)
PIPELINE_FILES = (
    "resolve.py",
    "populate.py",
    "curate.py",
    "iris.py",
    "vocab.py",
    "records.py",
    "build.py",
)


@dataclass
class BuildReport:
    articles: int = 0
    problems: list[str] = field(default_factory=list)
    curation_warnings: list[str] = field(default_factory=list)
    empty_articles: list[str] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)
    reasoning: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    store: str = ""

    def summary(self) -> str:
        lines = [f"articles: {self.articles} built, {len(self.problems)} input problems"]
        if self.changes:
            lines.append(changes_line(self.changes))
        lines += [f"  problem: {p}" for p in self.problems]
        lines.append("entities: " + ", ".join(f"{n} {k}" for k, n in sorted(self.entities.items())))
        if self.facts:
            lines.append("facts: " + ", ".join(f"{n} {k}" for k, n in sorted(self.facts.items())))
        if self.empty_articles:
            shown = ", ".join(self.empty_articles[:20])
            more = len(self.empty_articles) - 20
            lines.append(
                f"articles with no fact: {shown}" + (f" and {more} more" if more > 0 else "")
            )
        lines.append(
            "graphs: "
            + ", ".join(
                f"{k.rsplit('/', 1)[-1]} {n}"
                for k, n in self.graphs.items()
                if "/article/" not in k
            )
            + f", {sum(1 for k in self.graphs if '/article/' in k)} article graphs"
        )
        if self.reasoning:
            lines.append(
                f"reasoning: {self.reasoning['method']}, "
                f"{self.reasoning['triples_inferred']} triples inferred"
            )
        if self.validation.get("skipped"):
            lines.append(f"validation: skipped ({self.validation['skipped']})")
        elif self.validation:
            lines.append(
                f"validation: {self.validation['violations']} violations, "
                f"{self.validation['warnings']} warnings"
            )
        lines += [f"  curation: {w}" for w in self.curation_warnings]
        lines.append("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items()))
        if self.store:
            lines.append(f"store: {self.store}")
        return "\n".join(lines)


def changes_line(c: dict[str, Any]) -> str:
    """'3 articles changed, 1 new, 1 removed, 9,997 unchanged; 4 article graphs rebuilt...'"""
    parts = [f"{len(c['changed']):,} article{'s' if len(c['changed']) != 1 else ''} changed"]
    if c["added"]:
        parts.append(f"{len(c['added']):,} new")
    parts.append(f"{len(c['removed']):,} removed")
    parts.append(f"{c['unchanged']:,} unchanged")
    return (
        ", ".join(parts) + f"; {c['repopulated']:,} article graphs rebuilt, "
        f"{c['extracted']:,} articles extracted ({c['mode']})"
    )


def load_ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


# --- fingerprints --------------------------------------------------------------------------------
def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\x1f")
    return h.hexdigest()[:24]


def pipeline_version(base_iri: str) -> str:
    """Hash of what every article graph depends on, besides the article itself."""
    folder = package_data(".")
    sources = [(folder / name).read_bytes() for name in PIPELINE_FILES if (folder / name).exists()]
    return _sha(extractor_version(), base_iri, ontology_file().read_bytes(), *sources)


def _fingerprint(
    sha: str,
    context: str,
    resolution: Resolution,
    article_id: str,
    mentions: int,
    with_alt_labels: bool,
) -> str:
    """Hash of what one article graph depends on (see the module docstring)."""
    parts = [sha, context]
    for i in range(mentions):
        e = resolution.entities[resolution.iri(article_id, i)]
        parts.append(f"{e.iri}|{e.label}|{e.kind}|{','.join(e.subtypes)}|{e.owner or ''}")
        if with_alt_labels:
            parts.append("|".join(e.alt_labels))
    return _sha(*parts)


# --- the corpus folder -------------------------------------------------------------------------
def _metadata_hashes(folder: Path) -> dict[str, str]:
    """File name -> hash of its metadata.json entry ({} when absent or unreadable)."""
    path = folder / "metadata.json"
    try:
        data = json.loads(path.read_text("utf-8")) if path.exists() else []
    except (OSError, ValueError):
        return {}
    if isinstance(data, dict):
        data = [{"file": k, **v} if isinstance(v, dict) else v for k, v in data.items()]
    if not isinstance(data, list):
        return {}
    return {
        e["file"]: _sha(json.dumps(e, sort_keys=True))
        for e in data
        if isinstance(e, dict) and isinstance(e.get("file"), str)
    }


def _file_key(path: Path, entries: dict[str, str]) -> list[Any]:
    """What tells, without reading it, that an article file (or its metadata) may have changed."""
    st = path.stat()
    sidecar = path.with_suffix(".json")
    side = [sidecar.stat().st_size, sidecar.stat().st_mtime_ns] if sidecar.exists() else None
    return [path.name, st.st_size, st.st_mtime_ns, side, entries.get(path.name, "")]


def _publisher_stub(article_id: str, publisher: str | None) -> Article:
    """An Article standing for an unchanged one: entity_graph reads only its publisher."""
    return Article(article_id, "", "", "", OffsetMap(), "", publisher=publisher)


# --- extraction in worker processes --------------------------------------------------------------
def _extract_chunk(
    articles: list[Article], cache_dir: Path | None, batch_size: int
) -> list[Extraction]:
    return extract_articles(articles, cache_dir, batch_size=batch_size)


def cached_extractions(
    articles: Sequence[Article], cache_dir: Path | None
) -> tuple[dict[str, Extraction], list[Article]]:
    """The extractions already in the cache (graph.extract names the files by article id,
    content hash and extractor version), and the articles that still need extracting.
    Checked here so that a build whose articles are all cached never loads spaCy."""
    if cache_dir is None:
        return {}, list(articles)
    version, hits, misses = extractor_version(), {}, []
    for a in articles:
        path = cache_dir / f"{a.id}.{a.sha[:16]}.{version}.json"
        try:
            hits[a.id] = Extraction.from_dict(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            misses.append(a)
    return hits, misses


def extract_parallel(
    articles: Sequence[Article],
    cache_dir: Path | None,
    batch_size: int,
    workers: int,
    say: Callable[[str], None],
) -> list[Extraction]:
    """extract_articles, spread over ``workers`` processes (each loads spaCy once)."""
    if not articles:
        return []  # extract_articles would load spaCy for nothing
    if workers <= 1 or len(articles) < PARALLEL_MIN:
        return extract_articles(articles, cache_dir, batch_size=batch_size)
    size = max(batch_size, min(200, len(articles) // (workers * 4) or 1))
    chunks = [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    results: dict[int, list[Extraction]] = {}
    start, done = time.perf_counter(), 0
    context = multiprocessing.get_context("spawn")  # no fork of a process with store threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {
            pool.submit(_extract_chunk, chunk, cache_dir, batch_size): n
            for n, chunk in enumerate(chunks)
        }
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done += len(results[futures[future]])
            rate = done / (time.perf_counter() - start)
            say(f"extracted {done:,}/{len(articles):,} articles ({rate:.1f}/s)")
    return [ex for n in range(len(chunks)) for ex in results[n]]


# --- N-Triples of the graphs ---------------------------------------------------------------------
def ntriples(graph: Graph) -> bytes:
    """A graph as N-Triples in pyoxigraph's canonical form (that of the store's dumps)."""
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return b"".join(sorted(data.splitlines(keepends=True)))  # the same bytes for the same graph


def _lines(data: bytes) -> set[str]:
    return set(data.decode().splitlines(keepends=True))


def _quads(lines: Iterable[str], graph: URIRef) -> Iterator[ox.Quad]:
    codec, name = NTriplesCodec(), ox.NamedNode(str(graph))
    for line in lines:
        s, p, o = line.rstrip("\n")[:-2].split(" ", 2)
        yield ox.Quad(codec.ox(s), codec.ox(p), codec.ox(o), name)


def _add_lines(store: Store, lines: Iterable[str], graph: URIRef, bulk: bool) -> None:
    """Adds N-Triples lines to a graph; those with blank nodes as terms (keeps their ids)."""
    plain: list[str] = []
    blank: list[str] = []
    for line in lines:
        (blank if "_:" in line else plain).append(line)
    data = "".join(plain).encode()
    if bulk:
        if data:
            store.bulk_load(data, "nt", graph)
    else:
        store.load_ntriples(data, graph)
    if blank:
        store.ox.extend(_quads(blank, graph))


def _apply_delta(store: Store, old: set[str], new: set[str], graph: URIRef) -> int:
    """Turns ``graph`` from the lines ``old`` into ``new`` by the difference only."""
    gone, added = old - new, new - old
    for quad in _quads(gone, graph):
        store.ox.remove(quad)
    _add_lines(store, added, graph, bulk=False)
    return len(gone) + len(added)


# --- the build -----------------------------------------------------------------------------------
def release_memory() -> None:
    """Collect garbage and give freed heap pages back to the system (glibc), so that a large
    build's peak is not the sum of its stages."""
    gc.collect()
    with suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class _Timer:
    def __init__(self, report: BuildReport) -> None:
        self.report, self.clock = report, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.seconds[stage] = round(self.report.seconds.get(stage, 0) + now - self.clock, 3)
        self.clock = now


def build(
    settings: Settings, progress: Callable[[str], None] | None = None
) -> tuple[BuildReport, Store]:
    """Build the graph of settings.corpus_dir. Returns the report and the (new) store."""
    say = progress or (lambda msg: None)
    if settings.store != "oxigraph":
        return _Build(settings, say, disk=False).run()
    with build_lock(settings.data_dir):
        return _Build(settings, say, disk=True).run()


class _Build:
    def __init__(self, settings: Settings, say: Callable[[str], None], disk: bool) -> None:
        self.s, self.say, self.disk = settings, say, disk
        self.iris = Iris(settings.base_iri)
        self.report = BuildReport()
        self.timer = _Timer(self.report)
        self.cache = settings.data_dir / "cache" if disk else None
        self.graph_dir = settings.data_dir / "cache" / "graphs"
        self.texts: dict[str, bytes] = {}  # article id -> N-Triples, when held in memory

    # --- stages ------------------------------------------------------------------------------
    def run(self) -> tuple[BuildReport, Store]:
        s, report, iris = self.s, self.report, self.iris
        folder = s.corpus_dir
        if not folder.is_dir():
            raise CorpusError(f"corpus folder not found: {folder} (give --corpus DIR)")
        ontology = load_ontology()
        curation_file = s.curation_file if s.curation_file and s.curation_file.exists() else None
        actions = load_actions(curation_file) if curation_file else []
        curation_hash = _sha(curation_file.read_bytes()) if curation_file else ""
        pipeline = pipeline_version(s.base_iri)
        prev = read_manifest(s.data_dir) if self.disk else None
        reason_full = "first build" if self.disk else "in memory"
        if prev is not None and (
            prev.get("version") != MANIFEST_VERSION or prev.get("pipeline") != pipeline
        ):
            prev, reason_full = None, "the pipeline or its settings changed"
        elif prev is not None:
            reason_full = ""
        old: dict[str, dict[str, Any]] = prev["articles"] if prev else {}

        # which files to read: new ones, and those whose size, mtime or metadata changed
        entries = _metadata_hashes(folder)
        keys: dict[str, list[Any]] = {}
        order: list[str] = []
        for path in article_files(folder):
            if path.stem not in keys:
                keys[path.stem] = _file_key(path, entries)
                order.append(path.stem)
        to_read = [i for i in order if i not in old or old[i]["key"] != keys[i]]
        corpus = read_corpus(folder, strict=s.strict, only=to_read) if to_read else None
        report.problems = corpus.problems if corpus else []
        read = {a.id: a for a in corpus.articles} if corpus else {}
        current = [i for i in order if i in read or (i in old and i not in to_read)]
        if not current:
            raise PartnerKGError(
                f"no article of {folder} could be read: " + "; ".join(report.problems)
            )
        added = [i for i in current if i in read and i not in old]
        changed = [i for i in current if i in read and i in old and old[i]["sha"] != read[i].sha]
        current_set = set(current)
        removed = [i for i in old if i not in current_set]
        report.articles = len(current)
        self.timer.lap("read")
        if prev is not None and not to_read and not removed and prev["curation"] == curation_hash:
            return self._unchanged(prev, current)  # the same inputs: the same graph

        # extraction: only new and changed articles are read by the NLP pipeline
        todo = [read[i] for i in added + changed]
        if todo:
            self.say(f"extracting {len(todo):,} article{'s' if len(todo) > 1 else ''}")
        extractions = self._extract(todo)
        for i in current:
            if i not in extractions:
                extractions[i] = Extraction(i, [Mention(**m) for m in old[i]["mentions"]])
        self.timer.lap("extract")

        resolution = resolve([extractions[i] for i in current], iris)
        for e in resolution.entities.values():
            report.entities[e.kind] = report.entities.get(e.kind, 0) + 1
        context = _sha(pipeline, curation_hash)
        sha = {i: read[i].sha if i in read else old[i]["sha"] for i in current}
        fingerprints = {
            i: _fingerprint(
                sha[i], context, resolution, i, len(extractions[i].mentions), bool(actions)
            )
            for i in current
        }
        repopulate = [
            i
            for i in current
            if i not in old
            or old[i]["fingerprint"] != fingerprints[i]
            or (actions and old[i].get("curated"))
            or not self._has_text(i, old[i])
        ]
        self.timer.lap("resolve")

        # populate (and curate) the article graphs that changed
        missing = [i for i in repopulate if i not in read]
        if missing:
            for a in read_corpus(folder, strict=s.strict, only=missing).articles:
                read[a.id] = a
        todo_ids = {a.id for a in todo}
        need_facts = [read[i] for i in repopulate if i not in todo_ids]  # from the cache
        extractions.update(self._extract(need_facts))
        extracted = {a.id for a in todo} | {a.id for a in need_facts}
        publishers = [
            _publisher_stub(i, read[i].publisher if i in read else old[i].get("publisher"))
            for i in current
        ]
        entities = entity_graph(resolution, publishers, iris)
        curated = {i: False for i in repopulate}
        curation_graph, entities = self._populate(
            repopulate,
            read,
            extractions,
            resolution,
            entities,
            curation_file,
            actions,
            ontology,
            curated,
        )
        facts: dict[str, dict[str, int]] = {}
        for i in current:
            if i in extracted:
                facts[i] = {}
                for f in extractions[i].facts:
                    facts[i][f.relation] = facts[i].get(f.relation, 0) + 1
            else:
                facts[i] = old[i].get("facts", {})
            for relation, n in facts[i].items():
                report.facts[relation] = report.facts.get(relation, 0) + n
            if not facts[i]:
                report.empty_articles.append(i)
        self.timer.lap("populate")

        # the store
        manifest: dict[str, Any] = {
            "version": MANIFEST_VERSION,
            "pipeline": pipeline,
            "base_iri": s.base_iri,
            "curation": curation_hash,
            "entity_counts": report.entities,
            "articles": {},
        }
        for i in current:
            entry = dict(old.get(i, {}))
            entry.update(
                key=keys[i],
                sha=sha[i],
                fingerprint=fingerprints[i],
                publisher=read[i].publisher if i in read else entry.get("publisher"),
                mentions=[asdict(m) for m in extractions[i].mentions],
                facts=facts[i],
            )
            if i in curated:
                entry.update(curated=curated[i], triples=self._triples[i])
            manifest["articles"][i] = entry
        self._manifest = manifest
        if self.disk:
            self._save_texts(manifest)
            self.texts.clear()  # read back from the files: memory for the store and reasoning
        clone = (
            prev is not None
            and live_path(s.data_dir) is not None
            and len(repopulate) + len(removed) <= max(CLONE_LIMIT * len(current), CLONE_MIN)
        )
        mode = "incremental" if clone else "full" + (f": {reason_full}" if reason_full else "")
        report.changes = {
            "added": added,
            "changed": changed,
            "removed": removed,
            "unchanged": len(current) - len(added) - len(changed),
            "repopulated": len(repopulate),
            "extracted": len(todo),
            "mode": mode,
        }
        self.say(changes_line(report.changes))
        graphs = {
            iris.graph("ontology"): ntriples(ontology),
            iris.graph("entities"): ntriples(entities),
            iris.graph("curation"): ntriples(curation_graph),
        }
        manifest["hashes"] = {str(g): _sha(data) for g, data in graphs.items()}
        # rdflib names the ontology's blank nodes anew at each parse: hash the file instead
        manifest["hashes"][str(iris.graph("ontology"))] = _sha(ontology_file().read_bytes())
        # nothing asserted changed: the inferred graph (and the validation) still hold
        same = bool(
            prev is not None
            and clone
            and not repopulate
            and not removed
            and prev["hashes"] == manifest["hashes"]
        )
        if same and prev is not None:
            for k in ("inferred", "entities", "reasoning", "validation", "counts"):
                manifest[k] = prev[k]
            report.reasoning, report.validation = prev["reasoning"], prev["validation"]
            report.graphs = dict(prev["counts"])
            if not to_read:  # not even a file touched: no new generation
                for i in current:
                    report.graphs[str(iris.article_graph(i))] = prev["articles"][i]["triples"]
                self._write_report()
                return report, open_live(s.data_dir)
        del read, extractions, resolution, entities, curation_graph, old
        release_memory()  # the largest build stages (store, reasoning) come next
        context_manager = (
            new_store(s.data_dir, clone=clone, manifest=manifest)
            if self.disk
            else nullcontext(Store())
        )
        with context_manager as store:
            if not same:
                self._write_store(
                    store, graphs, current, ontology, prev, clone, repopulate, removed, manifest
                )
        for i in current:
            report.graphs[str(iris.article_graph(i))] = manifest["articles"][i]["triples"]
        report.graphs = dict(sorted(report.graphs.items()))
        if self.disk:
            self._collect_garbage(manifest, prev)
            self._write_report()
        return report, store

    def _unchanged(self, prev: dict[str, Any], current: list[str]) -> tuple[BuildReport, Store]:
        """Nothing to do: the live store stays; the report is the previous build's."""
        report = self.report
        report.changes = {
            "added": [],
            "changed": [],
            "removed": [],
            "unchanged": len(current),
            "repopulated": 0,
            "extracted": 0,
            "mode": "incremental",
        }
        report.entities = dict(prev.get("entity_counts", {}))
        for i in current:
            facts = prev["articles"][i].get("facts", {})
            for relation, n in facts.items():
                report.facts[relation] = report.facts.get(relation, 0) + n
            if not facts:
                report.empty_articles.append(i)
        report.reasoning, report.validation = prev["reasoning"], prev["validation"]
        report.graphs = dict(prev["counts"])
        for i in current:
            report.graphs[str(self.iris.article_graph(i))] = prev["articles"][i]["triples"]
        report.graphs = dict(sorted(report.graphs.items()))
        self._write_report()
        return report, open_live(self.s.data_dir)

    def _write_report(self) -> None:
        self.report.store = str(self.s.data_dir / "current")
        (self.s.data_dir / "build.json").write_text(
            json.dumps(asdict(self.report), indent=1, ensure_ascii=False), "utf-8"
        )

    def _write_store(
        self,
        store: Store,
        graphs: dict[URIRef, bytes],
        current: list[str],
        ontology: Graph,
        prev: dict[str, Any] | None,
        clone: bool,
        repopulate: list[str],
        removed: list[str],
        manifest: dict[str, Any],
    ) -> None:
        iris, report = self.iris, self.report
        counts = {str(g): len(_lines(data)) for g, data in graphs.items()}
        if clone:
            self._write_changes(store, prev or {}, graphs, repopulate, removed)
        else:
            self._write_all(store, graphs, current)
        self.timer.lap("store")
        self.say("reasoning")
        counts[str(iris.graph("inferred"))] = self._reason(
            store, graphs, current, ontology, prev if clone else None, manifest
        )
        self.timer.lap("reason")
        total = sum(counts.values()) + sum(manifest["articles"][i]["triples"] for i in current)
        limit = self.s.validate_limit  # pyshacl: about 20 s for 50,000 triples
        if total <= limit:
            self._validate(store, current)
        else:
            report.validation = {"skipped": f"{total:,} triples, more than {limit:,}"}
        self.timer.lap("validate")
        manifest["counts"] = counts
        manifest["reasoning"], manifest["validation"] = report.reasoning, report.validation
        report.graphs = dict(counts)

    def _extract(self, articles: list[Article]) -> dict[str, Extraction]:
        cache_dir = self.cache / "extract" if self.cache else None
        hits, misses = cached_extractions(articles, cache_dir)
        for ex in extract_parallel(misses, cache_dir, self.s.batch_size, self._workers(), self.say):
            hits[ex.article_id] = ex
        return hits

    def _workers(self) -> int:
        return self.s.workers if self.s.workers > 0 else (os.cpu_count() or 1)

    # --- populate + curate ---------------------------------------------------------------------
    _triples: dict[str, int]
    _manifest: dict[str, Any]

    def _populate(
        self,
        ids: list[str],
        read: dict[str, Article],
        extractions: dict[str, Extraction],
        resolution: Resolution,
        entities: Graph,
        curation_file: Path | None,
        actions: list[Any],
        ontology: Graph,
        curated: dict[str, bool],
    ) -> tuple[Graph, Graph]:
        """Writes the N-Triples of the article graphs ``ids``; returns the curation graph and
        the (curated) entities graph. Curation acts on each graph on its own, so it is applied
        batch by batch; a retraction matched nothing when it matched nothing in every batch."""
        iris, entities_iri = self.iris, self.iris.graph("entities")
        self._triples = {}
        curation_graph, curated_entities = Graph(), entities
        retract_warnings: set[str] | None = None
        other_warnings: list[str] = []
        batches = [ids[k : k + CURATION_BATCH] for k in range(0, len(ids), CURATION_BATCH)]
        for batch in batches or [[]]:
            raw = {
                iris.article_graph(i): article_graph(read[i], extractions[i], resolution, iris)
                for i in batch
            }
            out = raw
            if actions:
                result = apply_curation(
                    {entities_iri: entities, **raw}, curation_file, ontology, iris
                )
                out, curation_graph = result.graphs, result.curation
                curated_entities = out[entities_iri]
                retract = {w for w in result.warnings if "retract matched no" in w}
                retract_warnings = (
                    retract if retract_warnings is None else (retract_warnings & retract)
                )
                other_warnings += [
                    w for w in result.warnings if w not in retract and w not in other_warnings
                ]
            for i in batch:
                g = iris.article_graph(i)
                data = ntriples(out[g])
                curated[i] = bool(actions) and set(out[g]) != set(raw[g])
                self._triples[i] = len(out[g])
                self._keep_text(i, data)
        self.report.curation_warnings = other_warnings + sorted(retract_warnings or ())
        return curation_graph, curated_entities

    # article N-Triples: in memory for in-memory builds, else files named by fingerprint
    def _text_path(self, article_id: str, entry: dict[str, Any]) -> Path:
        return self.graph_dir / f"{article_id}.{entry['fingerprint']}.nt"

    def _has_text(self, article_id: str, entry: dict[str, Any]) -> bool:
        return self.disk and self._text_path(article_id, entry).exists()

    def _keep_text(self, article_id: str, data: bytes) -> None:
        self.texts[article_id] = data

    def _text(self, article_id: str, entry: dict[str, Any]) -> bytes:
        if article_id in self.texts:
            return self.texts[article_id]
        return self._text_path(article_id, entry).read_bytes()

    def _save_texts(self, manifest: dict[str, Any]) -> None:
        self.graph_dir.mkdir(parents=True, exist_ok=True)
        for i, data in self.texts.items():
            path = self._text_path(i, manifest["articles"][i])
            if not path.exists():
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(data)
                tmp.replace(path)

    # --- writing the store ---------------------------------------------------------------------
    def _write_all(self, store: Store, graphs: dict[URIRef, bytes], current: list[str]) -> None:
        """A fresh store: one bulk load of every graph as N-Quads."""
        manifest_articles = self._manifest_articles
        with tempfile.TemporaryDirectory(dir=self.s.data_dir if self.disk else None) as tmp:
            path = Path(tmp) / "graphs.nq"
            with path.open("wb") as f:
                for g, data in graphs.items():
                    f.write(_nquads(data, g))
                for i in current:
                    f.write(
                        _nquads(self._text(i, manifest_articles[i]), self.iris.article_graph(i))
                    )
            store.bulk_load(path, "nq")

    def _write_changes(
        self,
        store: Store,
        prev: dict[str, Any],
        graphs: dict[URIRef, bytes],
        repopulate: list[str],
        removed: list[str],
    ) -> None:
        """A clone of the live store: replace the changed graphs, patch the entities graph."""
        for i in [*removed, *repopulate]:
            store.remove_graph(self.iris.article_graph(i))
        for i in repopulate:
            data = self._text(i, self._manifest_articles[i])
            store.load_ntriples(data, self.iris.article_graph(i))
        for g, data in graphs.items():
            if g == self.iris.graph("ontology"):
                continue  # unchanged: a new ontology changes the pipeline version
            if g == self.iris.graph("entities") and prev.get("entities"):
                old = self.graph_dir / prev["entities"]
                if old.exists():
                    _apply_delta(store, _lines(old.read_bytes()), _lines(data), g)
                    continue
            store.remove_graph(g)
            _add_lines(store, _lines(data), g, bulk=False)

    @property
    def _manifest_articles(self) -> dict[str, dict[str, Any]]:
        return self._manifest["articles"]

    # --- reasoning -----------------------------------------------------------------------------
    def _reason(
        self,
        store: Store,
        graphs: dict[URIRef, bytes],
        current: list[str],
        ontology: Graph,
        prev: dict[str, Any] | None,
        manifest: dict[str, Any],
    ) -> int:
        """Recomputes the inferred graph; writes only its difference into a cloned store."""
        s, iris = self.s, self.iris
        inferred_iri = iris.graph("inferred")
        asserted = [
            iris.graph("entities"),
            iris.graph("curation"),
            *(iris.article_graph(i) for i in current),
        ]
        # one text (the reasoner's input); the article texts are no longer needed after it
        parts = [graphs[iris.graph("entities")], graphs[iris.graph("curation")]]
        for i in current:
            parts.append(self.texts.pop(i, b"") or self._text(i, manifest["articles"][i]))
        data = b"".join(parts)
        del parts
        text = data.decode()
        del data
        size = text.count("\n")
        method = reasoning.choose_method(s.reasoner, size, s.fast_threshold)
        start = time.perf_counter()
        if method == "owlrl":
            reasoning.reason_store(store, asserted, ontology, inferred_iri, "owlrl")
            lines = _lines(store.ntriples(inferred_iri))
        else:
            inference = reasoning.infer_ntriples(text, ontology, self.cache)
            del text
            lines = set(inference.lines) | {f"{a} {p} {b} .\n" for a, p, b in inference.blank}
            old = self.graph_dir / prev["inferred"] if prev and prev.get("inferred") else None
            if old is not None and old.exists():
                _apply_delta(store, _lines(old.read_bytes()), lines, inferred_iri)
            else:
                store.remove_graph(inferred_iri)
                _add_lines(store, lines, inferred_iri, bulk=True)
        self.report.reasoning = {
            "method": method,
            "triples_in": size,
            "triples_inferred": len(lines),
            "seconds": round(time.perf_counter() - start, 3),
        }
        if self.disk:
            manifest["inferred"] = self._save_sorted("inferred", lines)
            entities = graphs[iris.graph("entities")]
            manifest["entities"] = f"entities.{_sha(entities)}.nt"
            if not (self.graph_dir / manifest["entities"]).exists():
                (self.graph_dir / manifest["entities"]).write_bytes(entities)
        return len(lines)

    def _save_sorted(self, stem: str, lines: set[str]) -> str:
        """Writes the lines, sorted, to a file named by their hash (as _sha of their text),
        line by line: a large inferred graph is never joined into one string."""
        self.graph_dir.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        tmp = self.graph_dir / f"{stem}.{os.getpid()}.tmp"
        with tmp.open("wb") as f:
            for line in sorted(lines):
                data = line.encode()
                h.update(data)
                f.write(data)
        h.update(b"\x1f")
        name = f"{stem}.{h.hexdigest()[:24]}.nt"
        tmp.replace(self.graph_dir / name)
        return name

    def _validate(self, store: Store, current: list[str]) -> None:
        iris = self.iris
        data = Graph()
        for g in [
            iris.graph("entities"),
            iris.graph("curation"),
            iris.graph("inferred"),
            *(iris.article_graph(i) for i in current),
        ]:
            for t in store.triples(g):
                data.add(t)
        validation = validate(data)
        self.report.validation = {
            "violations": len(validation.violations),
            "warnings": len(validation.warnings),
            "results": [str(v) for v in validation.results[:50]],
        }

    def _collect_garbage(self, manifest: dict[str, Any], prev: dict[str, Any] | None) -> None:
        """Deletes the cached graph files that neither the live nor the previous generation
        uses (the previous one stays as long as readers may have it open)."""
        keep: set[str] = set()
        for m in (manifest, prev or {}):
            keep |= {f"{i}.{e['fingerprint']}.nt" for i, e in m.get("articles", {}).items()}
            keep |= {m[k] for k in ("inferred", "entities") if m.get(k)}
        if self.graph_dir.is_dir():
            for path in self.graph_dir.iterdir():
                if path.name not in keep:
                    path.unlink(missing_ok=True)


def _nquads(data: bytes, graph: URIRef) -> bytes:
    """N-Triples lines -> N-Quads lines in ``graph``."""
    if not data:
        return b""
    suffix = f" <{graph}> .\n".encode()
    return b"".join(
        line[:-2].rstrip() + suffix for line in data.splitlines(keepends=True) if line.strip()
    )


__all__ = [
    "BuildReport",
    "build",
    "changes_line",
    "extract_parallel",
    "load_ontology",
    "ntriples",
    "pipeline_version",
]
