"""Build: the whole pipeline, corpus -> store.

    read corpus -> extract (cached per article) -> resolve -> populate -> curate
    -> store (ontology + asserted graphs) -> reason (inferred graph) -> validate (SHACL)

On disk, the new store becomes the live one only when everything succeeded (store.new_store),
so a failed build leaves the previous graph intact. The report is also written to
{data_dir}/build.json.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import Graph

from . import reason as reasoning
from .config import Settings
from .corpus import read_corpus
from .curate import apply_curation
from .errors import PartnerKGError
from .extract import extract_articles
from .iris import Iris
from .populate import populate
from .resolve import resolve
from .resources import ontology_file
from .store import Store, new_store
from .validate import validate

VALIDATION_LIMIT = 300_000        # triples; above, run `partnerkg validate` on its own


@dataclass
class BuildReport:
    articles: int = 0
    problems: list[str] = field(default_factory=list)
    curation_warnings: list[str] = field(default_factory=list)
    empty_articles: list[str] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)
    reasoning: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    store: str = ""

    def summary(self) -> str:
        lines = [f"articles: {self.articles} built, {len(self.problems)} skipped"]
        lines += [f"  skipped: {p}" for p in self.problems]
        lines.append("entities: " + ", ".join(f"{n} {k}" for k, n in sorted(self.entities.items())))
        lines.append("facts: " + ", ".join(f"{n} {k}" for k, n in sorted(self.facts.items())))
        if self.empty_articles:
            lines.append(f"articles with no fact: {', '.join(self.empty_articles)}")
        lines.append("graphs: " + ", ".join(f"{k.rsplit('/', 1)[-1]} {n}"
                                            for k, n in self.graphs.items()
                                            if "/article/" not in k)
                     + f", {sum(1 for k in self.graphs if '/article/' in k)} article graphs")
        if self.reasoning:
            lines.append(f"reasoning: {self.reasoning['method']}, "
                         f"{self.reasoning['triples_inferred']} triples inferred")
        if self.validation:
            lines.append(f"validation: {self.validation['violations']} violations, "
                         f"{self.validation['warnings']} warnings")
        lines += [f"  curation: {w}" for w in self.curation_warnings]
        lines.append("time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items()))
        if self.store:
            lines.append(f"store: {self.store}")
        return "\n".join(lines)


def load_ontology() -> Graph:
    return Graph().parse(ontology_file(), format="turtle")


def build(settings: Settings, progress: Callable[[str], None] | None = None
          ) -> tuple[BuildReport, Store]:
    """Build the graph of settings.corpus_dir. Returns the report and the (new) store."""
    say = progress or (lambda msg: None)
    report = BuildReport()
    iris = Iris(settings.base_iri)
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.seconds[stage] = round(now - clock, 3)
        clock = now

    corpus = read_corpus(settings.corpus_dir, strict=settings.strict)
    report.problems = corpus.problems
    report.articles = len(corpus.articles)
    if not corpus.articles:
        raise PartnerKGError(f"no article of {settings.corpus_dir} could be read: "
                             + "; ".join(corpus.problems))
    lap("read")
    say(f"extracting {len(corpus.articles)} articles")
    extractions = extract_articles(corpus.articles, settings.data_dir / "cache" / "extract"
                                   if settings.store == "oxigraph" else None,
                                   batch_size=settings.batch_size)
    lap("extract")
    for ex in extractions:
        for f in ex.facts:
            report.facts[f.relation] = report.facts.get(f.relation, 0) + 1
        if not ex.facts:
            report.empty_articles.append(ex.article_id)
    resolution = resolve(extractions, iris)
    for e in resolution.entities.values():
        report.entities[e.kind] = report.entities.get(e.kind, 0) + 1
    graphs = populate(corpus.articles, extractions, resolution, iris)
    ontology = load_ontology()
    curated = apply_curation(graphs, settings.curation_file, ontology, iris)
    report.curation_warnings = curated.warnings
    lap("resolve+populate")

    disk = settings.store == "oxigraph"
    context = new_store(settings.data_dir) if disk else nullcontext(Store())
    with context as store:
        store.replace_graphs({iris.graph("ontology"): ontology,
                              iris.graph("curation"): curated.curation, **curated.graphs})
        lap("store")
        say("reasoning")
        asserted = [g for g in store.graph_names() if g != iris.graph("inferred")
                    and g != iris.graph("ontology")]
        result = reasoning.reason_store(store, asserted, ontology, iris.graph("inferred"),
                                        settings.reasoner, settings.fast_threshold,
                                        settings.data_dir / "cache" if disk else None)
        report.reasoning = _as_dict(result)
        lap("reason")
        total = sum(store.counts().values())
        if total <= VALIDATION_LIMIT:
            data = Graph()
            for g in [*asserted, iris.graph("inferred")]:
                for t in store.triples(g):
                    data.add(t)
            validation = validate(data)
            report.validation = {"violations": len(validation.violations),
                                 "warnings": len(validation.warnings),
                                 "results": [str(v) for v in validation.results[:50]]}
        lap("validate")
        report.graphs = {str(g): n for g, n in sorted(store.counts().items())}
    if disk:
        report.store = str(settings.data_dir / "current")
        (settings.data_dir / "build.json").write_text(
            json.dumps(asdict(report), indent=1, ensure_ascii=False), "utf-8")
    return report, store


def _as_dict(obj: Any) -> dict[str, Any]:
    return asdict(obj) if hasattr(obj, "__dataclass_fields__") else dict(obj)


__all__ = ["BuildReport", "build", "load_ontology"]
