"""End to end through the `partnerkg` command (click's CliRunner, in process): build a tiny
invented corpus, then `stats`, `export` and SPARQL on the store.

The corpus: a NetApp reorganisation (plain text with a date stamp, page furniture and
typographic punctuation), a follow-up article as an HTML page that spells a name without its
accents and a unit name with a typo, a Markdown article that states no fact, and a binary file.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Literal, URIRef

from graph.cli import cli
from graph.config import SETTINGS
from graph.iris import Iris
from graph.store import Store, live_path, open_live
from graph.vocab import DCTERMS, PK, RDF, RDFS, SKOS, sparql_prefixes

BASE = "https://w3id.org/partnerkg/"  # the default base IRI
IRIS = Iris(BASE)

N1 = """date 2016-03
NetApp France restructure son channel

NetApp a annoncé la création d’une nouvelle entité baptisée Partner Ecosystem Group. \
Bérénice Vautrin prend la tête de la division Partner Ecosystem Group à compter du 1er avril.

Publicité

Elle rendra compte à Gaspard Lemoine, directeur général de NetApp France. « Nos partenaires \
attendaient un interlocuteur unique », souligne-t-il.

Suivez-nous
"""
N2 = """<html><head><title>Nouvelle recrue chez NetApp</title>
<meta property="og:url" content="https://example.org/lemagit/netapp-recrue-tristan-ferrand">
<meta property="og:site_name" content="LeMagIT">
<meta property="article:published_time" content="2016-05-10T09:30:00+02:00">
</head><body><nav>Accueil | Channel | Newsletters</nav>
<article><h1>Nouvelle recrue chez NetApp</h1>
<p>Tristan Ferrand rejoint la division Partner Ecosytem Group de NetApp en tant que responsable \
des alliances. Il rapportera à Berenice Vautrin.</p>
</article><footer>Suivez-nous sur LinkedIn</footer></body></html>
"""
N3 = """# Le salon des intégrateurs fait le plein

Le salon des intégrateurs s'est tenu mardi à Lyon sous un soleil radieux. Les visiteurs, \
nombreux, se sont pressés dans les allées jusqu'au soir.
"""
METADATA = """[
 {"file": "n1-netapp-channel.txt", "publisher": "Distributique",
  "url": "https://example.org/distributique/netapp-restructure-son-channel"},
 {"file": "n3-salon.md", "published": "2016-06-02", "publisher": "ChannelNews"}
]
"""
CURATION = (
    "- add: [Tristan Ferrand, org:memberOf, NetApp]\n  reason: he joined NetApp in May 2016\n"
)
ARTICLES = ["n1-netapp-channel", "n2-netapp-recrue", "n3-salon"]

# "which sentence states that X reports to Y": X and Y by any of their labels
PROVENANCE = (
    sparql_prefixes()
    + """
SELECT ?sentence ?article ?start ?end ?url WHERE {
  ?x rdfs:label|skos:altLabel ?subordinate . ?y rdfs:label|skos:altLabel ?superior .
  ?line a pk:ReportingLine ; pk:subordinate ?x ; pk:superior ?y ; prov:wasDerivedFrom ?ev .
  ?ev pk:sentenceText ?sentence ; pk:startChar ?start ; pk:endChar ?end ;
      prov:wasQuotedFrom ?a .
  ?a dcterms:identifier ?article .
  OPTIONAL { ?a dcterms:source ?url }
}"""
)


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "n1-netapp-channel.txt").write_text(N1, "utf-8")
    (folder / "n2-netapp-recrue.html").write_text(N2, "utf-8")
    (folder / "n3-salon.md").write_text(N3, "utf-8")
    (folder / "n4-scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (folder / "metadata.json").write_text(METADATA, "utf-8")
    return folder


def run(*args: str | Path) -> Result:
    """`partnerkg ARGS`, in process, without any PARTNERKG_* variable of the environment."""
    env: dict[str, str | None] = {f"PARTNERKG_{s.name.upper()}": None for s in SETTINGS}
    return CliRunner(env=env).invoke(cli, [str(a) for a in args])


def build(corpus: Path, data_dir: Path, curation: Path, *more: str) -> Result:
    return run(
        "build", "--corpus", corpus, "--data-dir", data_dir, "--curation", curation,
        "--workers", "1", *more,
    )  # fmt: skip


@dataclass
class Built:
    """The corpus built once for the module (treat its data directory as read-only)."""

    corpus: Path
    data_dir: Path
    curation: Path
    result: Result

    def build(self, data_dir: Path, *more: str) -> Result:
        """The same build into another data directory."""
        return build(self.corpus, data_dir, self.curation, *more)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("e2e")
    corpus = write_corpus(root / "corpus")
    curation = root / "curation.yaml"
    curation.write_text(CURATION, "utf-8")
    result = build(corpus, root / "data", curation)
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)
    return Built(corpus, root / "data", curation, result)


def provenance(store: Store, subordinate: str, superior: str) -> list[dict[str, str]]:
    query = PROVENANCE.replace("?subordinate", f'"{subordinate}"').replace(
        "?superior", f'"{superior}"'
    )
    names = ("sentence", "article", "start", "end", "url")
    return [{n: row[n].value for n in names if row[n] is not None} for row in store.query(query)]


# --- build ------------------------------------------------------------------------------------
def test_build_skips_the_bad_article_and_builds_the_others(built: Built) -> None:
    out = built.result.stdout
    assert "articles: 3 built, 1 input problems" in out
    assert "problem: n4-scan.txt: looks binary" in out
    store = open_live(built.data_dir)
    names = {str(g) for g in store.graph_names()}
    assert {str(IRIS.article_graph(a)) for a in ARTICLES} <= names
    assert str(IRIS.article_graph("n4-scan")) not in names


def test_entities_are_resolved_across_articles(built: Built) -> None:
    store = open_live(built.data_dir)
    entities = IRIS.graph("entities")
    labels: dict[URIRef, set[str]] = {}
    for s, p, o in store.triples(entities):
        if p in (RDFS.label, SKOS.altLabel):
            labels.setdefault(s, set()).add(str(o))  # type: ignore[arg-type]
    # one person for "Bérénice Vautrin" (n1) and "Berenice Vautrin" (n2)
    person = IRIS.entity("person", "Berenice Vautrin")
    assert labels[person] == {"Bérénice Vautrin", "Berenice Vautrin"}
    # one unit for "Partner Ecosystem Group" (n1) and the typo "Partner Ecosytem Group" (n2)
    (unit,) = [s for s, names in labels.items() if "Partner Ecosytem Group" in names]
    assert unit == IRIS.entity("unit", "NetApp", "Partner Ecosystem Group")
    assert "Partner Ecosystem Group" in labels[unit]
    # and the person points to both articles that mention her
    sources = {o for s, p, o in store.triples() if s == person and p == DCTERMS.source}
    assert sources == {IRIS.article(a) for a in ARTICLES[:2]}


# --- stats ------------------------------------------------------------------------------------
def stats_counts(output: str) -> dict[str, int]:
    counts = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            counts[parts[0]] = int(parts[1])
    return counts


def test_stats_counts_classes_relations_and_lists_empty_articles(built: Built) -> None:
    result = run("stats", "--data-dir", built.data_dir)
    assert result.exit_code == 0, result.output
    counts = stats_counts(result.stdout)
    # what the articles state: three people, two reporting lines, three articles read
    assert counts["foaf:Person"] == 3
    assert counts["pk:ReportingLine"] == 2
    assert counts["pk:Article"] == 3
    assert counts["pk:Headship"] >= 1 and counts["org:headOf"] >= 1
    assert counts["pk:reportsToTransitively"] >= 3  # Tristan -> Bérénice -> Gaspard
    assert "graphs: 7 (3 articles)" in result.stdout
    assert "articles that produced no fact: n3-salon" in result.stdout.splitlines()


# --- export -----------------------------------------------------------------------------------
def test_export_nquads_keeps_every_named_graph(built: Built, tmp_path: Path) -> None:
    output = tmp_path / "partnerkg.nq"
    result = run("export", "--data-dir", built.data_dir, "--format", "nq", "-o", output)
    assert result.exit_code == 0, (result.output, result.exception)
    assert (tmp_path / "partnerkg.nq.void.ttl").is_file()  # the dataset description beside it
    dataset = Dataset()
    dataset.parse(output, format="nquads")
    graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    expected = {str(IRIS.graph(n)) for n in ("entities", "ontology", "curation", "inferred")}
    expected |= {str(IRIS.article_graph(a)) for a in ARTICLES}
    assert set(graphs) == expected
    store = open_live(built.data_dir)
    assert graphs == {str(g): n for g, n in store.counts().items()}  # everything, once
    curation = dataset.graph(IRIS.graph("curation"))
    (addition,) = curation.subjects(RDF.type, PK.Addition)
    assert curation.value(addition, PK.reason) == Literal("he joined NetApp in May 2016")


# --- provenance -------------------------------------------------------------------------------
def test_which_sentence_states_that_x_reports_to_y(built: Built) -> None:
    store = open_live(built.data_dir)
    (row,) = provenance(store, "Bérénice Vautrin", "Gaspard Lemoine")
    assert row["sentence"] == (
        "Elle rendra compte à Gaspard Lemoine, directeur général de NetApp France."
    )
    assert row["article"] == "n1-netapp-channel"
    assert row["url"] == "https://example.org/distributique/netapp-restructure-son-channel"
    # the span points into the file as written (date stamp, furniture and all)
    original = (built.corpus / "n1-netapp-channel.txt").read_text("utf-8")
    span = original[int(row["start"]) : int(row["end"])]
    assert span.startswith("Elle rendra compte à Gaspard Lemoine")
    assert span in row["sentence"]
    # the same person spelled without accents in the HTML article
    (row,) = provenance(store, "Tristan Ferrand", "Bérénice Vautrin")
    assert (row["sentence"], row["article"]) == (
        "Il rapportera à Berenice Vautrin.",
        "n2-netapp-recrue",
    )
    assert row["url"] == "https://example.org/lemagit/netapp-recrue-tristan-ferrand"


def test_every_fact_keeps_its_evidence(built: Built) -> None:
    """Article, sentence, character span, rule and confidence, for every record."""
    store = open_live(built.data_dir)
    records = (
        sparql_prefixes()
        + f"""
    SELECT ?record ?ev WHERE {{
      GRAPH ?g {{ ?record prov:wasDerivedFrom ?ev }}
      FILTER (STRSTARTS(STR(?g), "{BASE}graph/article/"))
      FILTER NOT EXISTS {{ ?record a pk:Evidence }}
    }}"""
    )
    found = {(row["record"].value, row["ev"].value) for row in store.query(records)}
    assert len(found) >= 4  # headship, two reporting lines, appointments...
    complete = (
        sparql_prefixes()
        + """
    ASK {
      ?ev a pk:Evidence ; pk:sentenceText ?sentence ; pk:startChar ?start ; pk:endChar ?end ;
          pk:extractionRule ?rule ; pk:confidence ?confidence ; prov:wasQuotedFrom ?a .
      ?a a pk:Article .
      FILTER (?start < ?end && ?confidence > 0 && ?confidence <= 1 && STRLEN(?rule) > 0)
    }"""
    )
    for record, ev in found:
        assert store.query(complete.replace("?ev", f"<{ev}>")), record


def test_reporting_chain_is_inferred_in_its_own_graph(built: Built) -> None:
    store = open_live(built.data_dir)
    tristan = IRIS.entity("person", "Tristan Ferrand")
    gaspard = IRIS.entity("person", "Gaspard Lemoine")
    triple = (tristan, PK.reportsToTransitively, gaspard)
    assert triple in set(store.triples(IRIS.graph("inferred")))
    for article in ARTICLES:
        assert triple not in set(store.triples(IRIS.article_graph(article)))


# --- failures ---------------------------------------------------------------------------------
def test_strict_build_fails_with_a_one_line_error(built: Built, tmp_path: Path) -> None:
    result = built.build(tmp_path / "data", "--strict")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: n4-scan.txt: looks binary (NUL bytes), not a text article; "
        "convert it to .txt or .html"
    ]
    assert live_path(tmp_path / "data") is None  # nothing built


def test_a_build_that_fails_midway_leaves_the_live_graph(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    data_dir = tmp_path / "data"
    shutil.copytree(built.corpus, corpus)
    shutil.copytree(built.data_dir, data_dir, symlinks=True)
    live = live_path(data_dir)
    before = open_live(data_dir).counts()
    (corpus / "n5-netapp-depart.txt").write_text(
        "NetApp perd un cadre\n\nGaspard Lemoine quitte NetApp France après six ans.\n", "utf-8"
    )

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("populate crashed")

    monkeypatch.setattr("graph.build.article_graph", crash)
    result = build(corpus, data_dir, built.curation)
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert live_path(data_dir) == live
    store = open_live(data_dir)
    assert store.counts() == before
    assert provenance(store, "Bérénice Vautrin", "Gaspard Lemoine")  # still queryable
    assert run("stats", "--data-dir", data_dir).exit_code == 0
    monkeypatch.undo()
    result = build(corpus, data_dir, built.curation)
    assert result.exit_code == 0, (result.output, result.exception)
    assert IRIS.article_graph("n5-netapp-depart") in open_live(data_dir).graph_names()


# --- identifiers ------------------------------------------------------------------------------
def asserted_lines(data_dir: Path) -> dict[str, set[str]]:
    """The asserted graphs (not the ontology: its blank nodes) as N-Triples lines."""
    store = open_live(data_dir)
    return {
        str(g): set(store.ntriples(g).decode().splitlines())
        for g in store.graph_names()
        if g not in (IRIS.graph("ontology"), IRIS.graph("inferred"))
    }


def test_building_twice_gives_the_same_iris(built: Built, tmp_path: Path) -> None:
    result = built.build(tmp_path / "again")
    assert result.exit_code == 0, (result.output, result.exception)
    assert asserted_lines(tmp_path / "again") == asserted_lines(built.data_dir)


def test_base_iri_is_configurable(built: Built, tmp_path: Path) -> None:
    base = "https://data.example.org/channel/"
    result = built.build(tmp_path / "data", "--base-iri", base)
    assert result.exit_code == 0, (result.output, result.exception)
    store = open_live(tmp_path / "data")
    names = {str(g) for g in store.graph_names()}
    assert names == {
        base + f"graph/{n}" for n in ("entities", "ontology", "curation", "inferred")
    } | {base + f"graph/article/{a}" for a in ARTICLES}
    mine = {str(s)[len(base) :] for s, _, _ in store.triples(URIRef(base + "graph/entities"))}
    default = {
        str(s)[len(BASE) :] for s, _, _ in open_live(built.data_dir).triples(IRIS.graph("entities"))
    }
    assert mine == default  # the same readable paths under another base
    assert "id/person/tristan-ferrand" in mine
