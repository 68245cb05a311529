"""Linked-data exports: every format reads back as the same RDF, bytes are deterministic,
content selection, the dataset description, the CLI, and Apache Jena's riot."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, XSD

from graph.cli import cli
from graph.config import Settings
from graph.errors import ConfigError, NotFound
from graph.export import (
    CONTENTS,
    FORMATS,
    dataset_description,
    description_path,
    export_bytes,
    select_graphs,
    write_export,
)
from graph.iris import Iris
from graph.jsonld import CONTEXT_IRI, local_context, parse_jsonld
from graph.store import Store, new_store
from graph.vocab import DCAT, ORG, PK, VOID

# rdflib's own parsers call its deprecated ConjunctiveGraph API
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

MERGED = [f for f in FORMATS if not FORMATS[f].keeps_graphs]
QUADS = [f for f in FORMATS if FORMATS[f].keeps_graphs]
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "rdfxml": "xml", "nq": "nquads", "trig": "trig"}


def read_merged(fmt: str, data: bytes) -> Graph:
    if fmt == "jsonld":
        return parse_jsonld(data)
    return Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])


def read_dataset(fmt: str, data: bytes) -> dict[URIRef, Graph]:
    dataset = Dataset()
    dataset.parse(data=data, format=RDFLIB_FORMAT[fmt])
    return {
        g.identifier: g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)
    }  # type: ignore[misc]


def store_graph(store: Store, *graphs: URIRef) -> Graph:
    out = Graph()
    for g in graphs:
        for t in store.triples(g):
            out.add(t)
    return out


@pytest.fixture(scope="module")
def iris(fixture_settings: Settings) -> Iris:
    return Iris(fixture_settings.base_iri)


# --- round trips ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", MERGED)
def test_merged_formats_read_back_as_the_same_graph(
    fmt: str, fixture_store: Store, fixture_settings: Settings
) -> None:
    data = export_bytes(fixture_store, fixture_settings, fmt)
    expected = store_graph(fixture_store, *fixture_store.graph_names())
    back = read_merged(fmt, data)
    assert len(back) == len(expected)
    assert isomorphic(back, expected)


@pytest.mark.parametrize("fmt", QUADS)
def test_quad_formats_keep_every_named_graph(
    fmt: str, fixture_store: Store, fixture_settings: Settings
) -> None:
    back = read_dataset(fmt, export_bytes(fixture_store, fixture_settings, fmt))
    assert sorted(back) == fixture_store.graph_names()
    for name, graph in back.items():
        assert isomorphic(graph, store_graph(fixture_store, name)), name


def test_the_ontology_keeps_its_blank_nodes_canonical(
    fixture_store: Store, fixture_settings: Settings
) -> None:
    """Property chains are RDF lists: their blank nodes get RDFC-1.0 labels, not the store's."""
    text = export_bytes(fixture_store, fixture_settings, "nt", content="ontology").decode()
    labels = {word for word in text.split() if word.startswith("_:")}
    assert labels and all(label.startswith("_:c14n") for label in labels)
    store_labels = {f"_:{t}" for tr in fixture_store.triples() for t in tr if isinstance(t, BNode)}
    assert not labels & store_labels


# --- determinism ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_same_store_same_bytes(fmt: str, fixture_store: Store, fixture_settings: Settings) -> None:
    assert export_bytes(fixture_store, fixture_settings, fmt) == export_bytes(
        fixture_store, fixture_settings, fmt
    )


def test_rebuilt_store_same_bytes(
    fixture_store: Store,
    fixture_store_factory: Callable[[], Store],
    fixture_settings: Settings,
) -> None:
    rebuilt = fixture_store_factory()  # new blank node ids, new insertion order
    for fmt in FORMATS:
        assert export_bytes(rebuilt, fixture_settings, fmt) == export_bytes(
            fixture_store, fixture_settings, fmt
        ), fmt


DIGESTS = """
import hashlib, sys
sys.path.insert(0, sys.argv[1])
from conftest import build_fixture_store
from graph.config import load_settings
from graph.export import FORMATS, export_bytes
settings = load_settings({"store": "memory"}, env={})
store = build_fixture_store(settings)
for fmt in FORMATS:
    print(fmt, hashlib.sha256(export_bytes(store, settings, fmt)).hexdigest())
"""


def test_same_bytes_whatever_the_hash_seed(
    fixture_store: Store, fixture_settings: Settings
) -> None:
    """Python randomises str hashes per process: set and dict orders must not leak out."""
    here = {
        fmt: hashlib.sha256(export_bytes(fixture_store, fixture_settings, fmt)).hexdigest()
        for fmt in FORMATS
    }
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    tests_dir = str(Path(__file__).parent)
    out = subprocess.run(
        [sys.executable, "-c", DIGESTS, tests_dir],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    ).stdout
    there = dict(line.split() for line in out.splitlines())
    assert there == here


# --- content selection ---------------------------------------------------------------------------
def test_content_selects_named_graphs(
    fixture_store: Store, fixture_settings: Settings, iris: Iris, fixture_article: tuple
) -> None:
    article_id, _ = fixture_article
    names = fixture_store.graph_names()
    inferred, ontology = iris.graph("inferred"), iris.graph("ontology")
    assert select_graphs(fixture_store, fixture_settings, "all") == names
    assert select_graphs(fixture_store, fixture_settings, "asserted") == [
        n for n in names if n != inferred
    ]
    assert select_graphs(fixture_store, fixture_settings, "inferred") == [inferred]
    assert select_graphs(fixture_store, fixture_settings, "ontology") == [ontology]
    assert select_graphs(fixture_store, fixture_settings, article=article_id) == [
        iris.article_graph(article_id)
    ]


@pytest.mark.parametrize("content", CONTENTS)
def test_content_in_quads_and_merged(
    content: str, fixture_store: Store, fixture_settings: Settings
) -> None:
    graphs = select_graphs(fixture_store, fixture_settings, content)
    quads = read_dataset("nq", export_bytes(fixture_store, fixture_settings, "nq", content))
    assert sorted(quads) == graphs
    merged = read_merged("ttl", export_bytes(fixture_store, fixture_settings, "ttl", content))
    assert isomorphic(merged, store_graph(fixture_store, *graphs))


def test_asserted_export_has_no_inferred_statement(
    fixture_store: Store, fixture_settings: Settings
) -> None:
    asserted = read_merged("nt", export_bytes(fixture_store, fixture_settings, "nt", "asserted"))
    inferred = read_merged("nt", export_bytes(fixture_store, fixture_settings, "nt", "inferred"))
    assert (None, ORG.reportsTo, None) not in asserted  # only derived, never stated
    assert len(list(inferred.triples((None, ORG.reportsTo, None)))) == 5
    assert not set(asserted) & set(inferred)


def test_one_article(
    fixture_store: Store, fixture_settings: Settings, iris: Iris, fixture_article: tuple
) -> None:
    article_id, _ = fixture_article
    data = export_bytes(fixture_store, fixture_settings, "trig", article=article_id)
    graphs = read_dataset("trig", data)
    assert list(graphs) == [iris.article_graph(article_id)]
    assert isomorphic(graphs[iris.article_graph(article_id)], store_graph(fixture_store, *graphs))


def test_selection_errors(fixture_store: Store, fixture_settings: Settings) -> None:
    with pytest.raises(NotFound, match="fixture-001"):
        select_graphs(fixture_store, fixture_settings, article="no-such-article")
    with pytest.raises(ConfigError):
        select_graphs(fixture_store, fixture_settings, "inferred", article="fixture-001")
    with pytest.raises(ConfigError):
        select_graphs(fixture_store, fixture_settings, "everything")
    with pytest.raises(ConfigError):
        export_bytes(fixture_store, fixture_settings, "n3")
    with pytest.raises(NotFound):
        select_graphs(Store(), fixture_settings, "inferred")


# --- JSON-LD -------------------------------------------------------------------------------------
def test_jsonld_is_compacted_with_the_published_context(
    fixture_store: Store, fixture_settings: Settings
) -> None:
    doc = json.loads(export_bytes(fixture_store, fixture_settings, "jsonld"))
    assert doc["@context"] == CONTEXT_IRI
    nodes = {n["@id"]: n for n in doc["@graph"]}
    alice = nodes["https://example.org/fixture/alice"]
    assert alice["label"] == "Alice Martin"
    assert alice["reportsTo"] == "https://example.org/fixture/zoe"  # a term coerced to @id
    assert "Person" in alice["@type"]
    start = nodes["https://example.org/fixture/h1-start"]
    assert start["inXSDDate"] == "2021-04-01"  # typed by the context, no @value object
    article = nodes["https://example.org/fixture/article"]
    assert article["issued"] == {"@type": "xsd:gYearMonth", "@value": "2021-03"}


def test_jsonld_reads_back_without_network(
    fixture_store: Store, fixture_settings: Settings, iris: Iris, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("tried to open a network connection")

    data = export_bytes(fixture_store, fixture_settings, "jsonld", "ontology")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    back = parse_jsonld(data)
    assert isomorphic(back, store_graph(fixture_store, iris.graph("ontology")))
    assert (ORG.reportsTo, RDF.type, OWL.ObjectProperty) in back


def test_context_agrees_with_the_ontology() -> None:
    ontology = Graph().parse(Path(__file__).parents[1] / "ontology" / "partnerkg.ttl")
    context = local_context()
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(curie: str) -> URIRef:
        prefix, _, local = curie.partition(":")
        return URIRef(prefixes[prefix] + local)

    declared = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    terms = {}
    for name, definition in context.items():
        if name in prefixes:
            continue
        iri = expand(definition if isinstance(definition, str) else definition["@id"])
        assert iri in declared, f"context term {name} -> {iri} is not in the ontology"
        terms[iri] = definition
        coercion = None if isinstance(definition, str) else definition.get("@type")
        if (iri, RDF.type, OWL.ObjectProperty) in ontology:
            assert coercion == "@id", name
        if (iri, RDF.type, OWL.DatatypeProperty) in ontology:
            assert coercion != "@id", name
    own = {s for s in declared if str(s).startswith(str(PK._NS))}
    assert own <= set(terms), f"pk terms without a context term: {sorted(own - set(terms))}"


# --- dataset description -------------------------------------------------------------------------
def test_description_counts_match_the_store(
    fixture_store: Store, fixture_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    g = dataset_description(fixture_store, fixture_settings)
    ds = URIRef(f"{fixture_settings.base_iri}dataset")
    counts = fixture_store.counts()
    assert (ds, RDF.type, VOID.Dataset) in g and (ds, RDF.type, DCAT.Dataset) in g
    assert set(g.objects(ds, VOID.subset)) == set(counts)
    for name, n in counts.items():
        assert g.value(name, VOID.triples) == Literal(n)
    assert g.value(ds, VOID.triples) == Literal(sum(counts.values()))
    assert g.value(ds, DCTERMS.created) == Literal("2023-11-14", datatype=XSD.date)
    assert g.value(ds, DCTERMS.license) is not None
    assert g.value(ds, DCTERMS.title) is not None


def test_description_lists_sources_and_vocabularies(
    fixture_store: Store, fixture_settings: Settings, iris: Iris, fixture_article: tuple
) -> None:
    article_id, url = fixture_article
    g = dataset_description(fixture_store, fixture_settings)
    ds = URIRef(f"{fixture_settings.base_iri}dataset")
    assert set(g.objects(ds, DCTERMS.source)) == {url}
    assert set(g.objects(iris.article_graph(article_id), DCTERMS.source)) == {url}
    vocabularies = set(g.objects(ds, VOID.vocabulary))
    for ns in (ORG, PK._NS, "http://xmlns.com/foaf/0.1/", "http://www.w3.org/ns/prov#"):
        assert URIRef(str(ns)) in vocabularies


def test_full_export_writes_its_description(
    tmp_path: Path, fixture_store: Store, fixture_settings: Settings, fixture_article: tuple
) -> None:
    out = tmp_path / "kg.nq"
    written = write_export(fixture_store, fixture_settings, out, "nq")
    assert written == [out, description_path(out)]
    assert description_path(out).name == "kg.nq.void.ttl"
    described = Graph().parse(description_path(out))
    assert isomorphic(described, dataset_description(fixture_store, fixture_settings))
    part = tmp_path / "article.ttl"
    article_id, _ = fixture_article
    assert write_export(fixture_store, fixture_settings, part, "ttl", article=article_id) == [part]
    assert not description_path(part).exists()


# --- the command ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, fixture_store: Store) -> Path:
    """A data folder whose live store holds the fixture store's graphs."""
    folder = tmp_path_factory.mktemp("data")
    with new_store(folder) as store:
        store.replace_graphs(
            {g: list(fixture_store.triples(g)) for g in fixture_store.graph_names()}
        )
    return folder


def test_cli_options_match_the_module() -> None:
    export = cli.commands["export"]
    choices = {p.name: list(getattr(p.type, "choices", [])) for p in export.params}
    assert sorted(choices["fmt"]) == sorted(FORMATS)
    assert sorted(choices["content"]) == sorted(CONTENTS)


def test_cli_export_to_file_and_stdout(
    tmp_path: Path, data_dir: Path, fixture_store: Store, fixture_settings: Settings
) -> None:
    runner = CliRunner()
    out = tmp_path / "kg.ttl"
    result = runner.invoke(
        cli, ["export", "--data-dir", str(data_dir), "--format", "ttl", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export_bytes(fixture_store, fixture_settings, "ttl")
    assert description_path(out).exists()
    result = runner.invoke(cli, ["export", "--data-dir", str(data_dir), "--content", "inferred"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == export_bytes(fixture_store, fixture_settings, "nq", "inferred")


def test_cli_unknown_article_is_a_one_line_error(data_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--data-dir", str(data_dir), "--article", "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no article 'nope'")
    assert len(result.stderr.strip().splitlines()) == 1


# --- Apache Jena ---------------------------------------------------------------------------------
@pytest.mark.java
def test_riot_accepts_the_exports(
    tmp_path: Path,
    riot: Callable[[Path], subprocess.CompletedProcess],
    fixture_store: Store,
    fixture_settings: Settings,
) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text(f'<https://example.org/s> <https://example.org/p> "2021"^^<{XSD.date}> .\n')
    assert riot(bad).returncode != 0, "riot accepted an invalid xsd:date: it does not validate"
    for fmt in ("ttl", "nq", "rdfxml", "trig", "nt"):
        path = tmp_path / f"export.{FORMATS[fmt].extension}"
        path.write_bytes(export_bytes(fixture_store, fixture_settings, fmt))
        result = riot(path)
        assert result.returncode == 0, f"{fmt}: {result.stdout}{result.stderr}"
        assert "WARN" not in result.stderr and "ERROR" not in result.stderr, result.stderr
