"""Incremental, atomic builds of the on-disk store (graph.build + graph.store).

Each scenario builds a small corpus of articles written for these tests, changes it, rebuilds
incrementally, and compares the result with a build from scratch of the changed corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graph.build import build
from graph.config import Settings, load_settings
from graph.errors import StoreError
from graph.iris import Iris
from graph.store import Store, build_lock, live_path, open_live, read_manifest

ARTICLES = {
    "a1": "Microsoft réorganise son channel\n\nChez Microsoft, Raissa Lamrani prend la tête de "
    "la division Cloud Partners. Elle rendra compte à Marc Delorme, directeur général de "
    "Microsoft France.\n",
    "a2": "Cisco fusionne ses équipes\n\nCisco fusionne ses divisions Commercial Sales et "
    "Enterprise Sales en une nouvelle entité baptisée Global Sales. Paul Verdier prend la tête "
    "de la division Global Sales.\n",
    "a3": "Oracle et ses partenaires\n\nLe programme partenaires d'Oracle compte désormais trois "
    "niveaux : Silver, Gold et Platinum. L'intégrateur lyonnais Nexora devient partenaire Gold "
    "d'Oracle.\n",
}
# two articles that make "Raïssa Lamrani" the most used form of a1's person: a1's graph must
# be rebuilt although a1 did not change (its entity's label changed)
LABEL_CHANGERS = {
    "b1": "Microsoft renforce ses équipes\n\nRaïssa Lamrani est désormais responsable de la "
    "division Cloud Partners de Microsoft.\n",
    "b2": "Nouvelles nominations chez Microsoft\n\nRaïssa Lamrani succède à Hugo Marchal à la "
    "tête de la division Cloud Partners de Microsoft.\n",
}


def write_corpus(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
    return folder


def settings_for(corpus: Path, data_dir: Path, **more: object) -> Settings:
    return load_settings({"corpus": str(corpus), "data_dir": str(data_dir), **more}, env={})


def dataset(data_dir: Path) -> dict[str, set[str]]:
    """Graph name -> its N-Triples lines (the ontology only by size: blank nodes)."""
    store = open_live(data_dir)
    out: dict[str, set[str]] = {}
    for g in store.graph_names():
        lines = set(store.ntriples(g).decode().splitlines())
        out[str(g)] = {str(len(lines))} if str(g).endswith("/ontology") else lines
    return out


def assert_same_as_fresh(corpus: Path, data_dir: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    build(settings_for(corpus, fresh))
    assert dataset(data_dir) == dataset(fresh)


@pytest.fixture()
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    data_dir = tmp_path / "data"
    report, _ = build(settings_for(corpus, data_dir))
    assert report.changes["mode"] == "full: first build"
    assert len(report.changes["added"]) == 3
    return corpus, data_dir


def test_nothing_changed_keeps_the_live_store(built: tuple[Path, Path]) -> None:
    corpus, data_dir = built
    before = live_path(data_dir)
    report, _ = build(settings_for(corpus, data_dir))
    assert (report.changes["changed"], report.changes["added"], report.changes["removed"]) == (
        [],
        [],
        [],
    )
    assert report.changes["unchanged"] == 3
    assert report.changes["extracted"] == 0
    assert live_path(data_dir) == before  # no new generation at all
    assert "0 articles changed, 0 removed, 3 unchanged" in report.summary()


def test_touched_file_is_read_but_not_extracted(built: tuple[Path, Path]) -> None:
    corpus, data_dir = built
    os.utime(corpus / "a2.txt", ns=(1, 1))
    report, _ = build(settings_for(corpus, data_dir))
    assert report.changes["changed"] == [] and report.changes["extracted"] == 0
    assert report.changes["repopulated"] == 0


def test_one_changed_article(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, data_dir = built
    before = dataset(data_dir)
    with (corpus / "a2.txt").open("a", encoding="utf-8") as f:
        f.write("Julie Morvan prend la tête de la division Inside Sales de Cisco.\n")
    report, _ = build(settings_for(corpus, data_dir))
    assert report.changes["changed"] == ["a2"]
    assert report.changes["mode"] == "incremental"
    assert report.changes["extracted"] == 1
    assert "1 article changed, 0 removed, 2 unchanged" in report.summary()
    after = dataset(data_dir)
    iris = Iris(load_settings(env={}).base_iri)
    a1 = str(iris.article_graph("a1"))
    assert after[a1] == before[a1]
    assert after[str(iris.article_graph("a2"))] != before[str(iris.article_graph("a2"))]
    assert any("Julie Morvan" in t for t in after[str(iris.graph("entities"))])
    assert_same_as_fresh(corpus, data_dir, tmp_path)


def test_removed_and_added_articles(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, data_dir = built
    (corpus / "a3.txt").unlink()
    write_corpus(
        corpus,
        {"a4": "Dell recrute\n\nSophie Garnier rejoint Dell France pour piloter le channel.\n"},
    )
    report, _ = build(settings_for(corpus, data_dir))
    assert report.changes["removed"] == ["a3"] and report.changes["added"] == ["a4"]
    graphs = dataset(data_dir)
    iris = Iris(load_settings(env={}).base_iri)
    assert str(iris.article_graph("a3")) not in graphs
    assert str(iris.article_graph("a4")) in graphs
    assert not any("Nexora" in t for t in graphs[str(iris.graph("entities"))])
    assert_same_as_fresh(corpus, data_dir, tmp_path)


def test_new_label_rebuilds_the_graphs_that_mention_the_entity(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    corpus, data_dir = built
    write_corpus(corpus, LABEL_CHANGERS)
    report, _ = build(settings_for(corpus, data_dir))
    assert sorted(report.changes["added"]) == ["b1", "b2"]
    assert report.changes["repopulated"] == 3  # b1, b2 and a1 (its person's label changed)
    entities = dataset(data_dir)[str(Iris(load_settings(env={}).base_iri).graph("entities"))]
    assert any('"Raïssa Lamrani"' in t and "#label>" in t for t in entities)
    assert_same_as_fresh(corpus, data_dir, tmp_path)


def test_a_failing_stage_leaves_the_live_store(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, data_dir = built
    before_path, before = live_path(data_dir), dataset(data_dir)
    manifest = read_manifest(data_dir)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("reasoner crashed")

    monkeypatch.setattr("graph.build.reasoning.reason_store", broken)
    monkeypatch.setattr("graph.build.reasoning.infer_ntriples", broken)
    (corpus / "a1.txt").write_text(ARTICLES["a1"] + "Une phrase de plus.\n", "utf-8")
    with pytest.raises(RuntimeError, match="reasoner crashed"):
        build(settings_for(corpus, data_dir))
    assert live_path(data_dir) == before_path
    assert dataset(data_dir) == before
    assert read_manifest(data_dir) == manifest
    assert sorted(p.name for p in (data_dir / "stores").iterdir()) == sorted(
        [before_path.name, before_path.name + ".manifest.json"]
    )  # the unfinished generation is gone
    monkeypatch.undo()
    report, _ = build(settings_for(corpus, data_dir))
    assert report.changes["changed"] == ["a1"]


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from graph.build import build
    from graph.config import load_settings

    def progress(message):
        if message == "reasoning":  # the new generation is written, not yet live
            os.kill(os.getpid(), signal.SIGKILL)

    build(load_settings({"corpus": sys.argv[1], "data_dir": sys.argv[2]}, env={}), progress)
    """
)


def test_a_killed_build_leaves_the_live_store(built: tuple[Path, Path]) -> None:
    corpus, data_dir = built
    before_path, before = live_path(data_dir), dataset(data_dir)
    (corpus / "a3.txt").write_text(ARTICLES["a3"] + "Une phrase ajoutée.\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(corpus), str(data_dir)],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == -9, done.stderr
    assert len(list((data_dir / "stores").iterdir())) > 2  # the unfinished generation
    assert live_path(data_dir) == before_path
    assert dataset(data_dir) == before  # intact and queryable
    report, _ = build(settings_for(corpus, data_dir))  # the next build recovers and cleans up
    assert report.changes["changed"] == ["a3"]
    names = {p.name.removesuffix(".manifest.json") for p in (data_dir / "stores").iterdir()}
    assert names == {before_path.name, live_path(data_dir).name}  # type: ignore[union-attr]


def test_one_build_at_a_time(built: tuple[Path, Path]) -> None:
    corpus, data_dir = built
    with build_lock(data_dir), pytest.raises(StoreError, match="another build is running"):
        build(settings_for(corpus, data_dir))


def test_pipeline_change_rebuilds_everything(built: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, data_dir = built
    report, _ = build(settings_for(corpus, data_dir, base_iri="https://example.org/kg/"))
    assert report.changes["mode"] == "full: the pipeline or its settings changed"
    assert report.changes["repopulated"] == 3
    assert all(g.startswith("https://example.org/kg/") for g in dataset(data_dir))


def test_memory_store_keeps_nothing_on_disk(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    data_dir = tmp_path / "data"
    report, store = build(settings_for(corpus, data_dir, store="memory"))
    assert not data_dir.exists()
    assert store.path is None and report.changes["mode"] == "full: in memory"
    ds = store.to_dataset()  # the rdflib view, named graphs kept
    assert len(ds) == sum(store.counts().values())
    assert Store.from_dataset(ds).counts() == store.counts()


def test_sample_data_dir_copy_is_usable(sample_data_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(sample_data_dir, copy, symlinks=True)
    assert open_live(copy).counts() == open_live(sample_data_dir).counts()


def test_build_finds_the_extraction_cache(built: tuple[Path, Path]) -> None:
    """build.cached_extractions names cache files as graph.extract does (no spaCy for hits)."""
    from graph.build import cached_extractions
    from graph.corpus import read_corpus

    corpus, data_dir = built
    articles = read_corpus(corpus).articles
    hits, misses = cached_extractions(articles, data_dir / "cache" / "extract")
    assert misses == [] and sorted(hits) == sorted(ARTICLES)
