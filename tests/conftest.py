"""Shared pytest fixtures. Each fixture is self-contained; add yours below with a clear name."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from live_server import Canary, LiveServer, make_data_dir, server_settings
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from graph.config import Settings, load_settings
from graph.iris import Iris
from graph.reason import infer
from graph.resources import ontology_file
from graph.store import Store, Triple
from graph.vocab import ORG

FIXTURES = Path(__file__).parent / "fixtures"

# --- a store with ontology + fixture + inferred graph (used by the export and Protégé tests) ---
FIXTURE_ARTICLE_ID = "fixture-001"
FIXTURE_ARTICLE_URL = URIRef("https://example.org/news/acme-reorganise-son-channel")
_ENTITY_TYPES = {FOAF.Person, ORG.Organization, SKOS.Concept, SKOS.ConceptScheme}


def _is_entity_triple(triple: Triple, entities: set[URIRef]) -> bool:
    s, p, _ = triple
    return s in entities and p in (RDF.type, RDFS.label, SKOS.altLabel)


def build_fixture_store(settings: Settings) -> Store:
    """An in-memory store laid out like a build:

    * {base}graph/ontology: ontology/partnerkg.ttl
    * {base}graph/entities: types and labels of the people, organisations, roles, tiers and
      programmes of tests/fixtures/org_fixture.ttl
    * {base}graph/article/fixture-001: the rest of the fixture, plus the article's URL
      (dcterms:source)
    * {base}graph/inferred: graph.reason.infer over the asserted graphs
    """
    iris = Iris(settings.base_iri)
    ontology = Graph().parse(ontology_file(), format="turtle")
    fixture = Graph().parse(FIXTURES / "org_fixture.ttl", format="turtle")
    article = URIRef("https://example.org/fixture/article")
    fixture.add((article, DCTERMS.source, FIXTURE_ARTICLE_URL))
    # an entity: anything typed with a person, organisation, concept or scheme class
    closure = ontology.transitive_subjects
    entity_classes = {c for t in _ENTITY_TYPES for c in closure(RDFS.subClassOf, t)}
    entities = {s for s, o in fixture.subject_objects(RDF.type) if o in entity_classes}
    entity_triples = [t for t in fixture if _is_entity_triple(t, entities)]  # type: ignore[arg-type]
    article_triples = [t for t in fixture if not _is_entity_triple(t, entities)]  # type: ignore[arg-type]
    inferred = infer([*entity_triples, *article_triples], ontology)
    store = Store()
    store.replace_graphs(
        {
            iris.graph("ontology"): list(ontology),  # type: ignore[arg-type]
            iris.graph("entities"): entity_triples,
            iris.article_graph(FIXTURE_ARTICLE_ID): article_triples,
            iris.graph("inferred"): inferred,
        }
    )
    return store


@pytest.fixture(scope="session")
def fixture_settings() -> Settings:
    """Default settings (no environment) with an in-memory store."""
    return load_settings({"store": "memory"}, env={})


@pytest.fixture(scope="session")
def fixture_store_factory(fixture_settings: Settings) -> Callable[[], Store]:
    """Builds a fresh fixture store on each call (to check that rebuilding changes nothing)."""
    return lambda: build_fixture_store(fixture_settings)


@pytest.fixture(scope="session")
def fixture_store(fixture_store_factory: Callable[[], Store]) -> Store:
    """One fixture store for the session: treat it as read-only."""
    return fixture_store_factory()


@pytest.fixture(scope="session")
def fixture_article() -> tuple[str, URIRef]:
    """The fixture article's id and URL, as the fixture store holds them."""
    return FIXTURE_ARTICLE_ID, FIXTURE_ARTICLE_URL


# --- Java tools: Apache Jena's riot, owlcheck (for tests marked java) --------------------------
# Jena's jars and what they need, from Debian's libapache-jena-java. Not '/usr/share/java/*':
# that folder holds several SLF4J bindings, and Jena then fails to start.
# fmt: off
JENA_CLASSPATH = (
    "jena-arq", "jena-core", "jena-base", "jena-cmds", "jena-iri", "slf4j-api", "slf4j-simple",
    "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
    "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
    "jackson-core", "jackson-databind", "jackson-annotations", "jakarta.json-api",
    "jsonld-java", "titanium-json-ld", "thrift", "protobuf",
)
# fmt: on


def _xerces_messages(jena_core: Path, into: Path) -> Path:
    """Debian's jena-core moves its copy of Xerces to the package ``xerces`` but leaves the
    message files under ``org/apache/jena/ext/xerces``; without them every XSD datatype fails
    to initialise ("internal error" in XSSimpleTypeDecl). Copy them where the classes look."""
    moved = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(jena_core) as jar:
        names = jar.namelist()
        if any(n.startswith("xerces/impl/msg/") for n in names):
            return into  # a jar that is not affected
        for name in names:
            if name.startswith(moved) and name.endswith(".properties"):
                target = into / "xerces" / name[len(moved) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return into


@pytest.fixture(scope="session")
def riot(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], subprocess.CompletedProcess]:
    """``riot --validate FILE`` of Apache Jena: the `riot` script if on PATH, else Debian's
    jars (folder PARTNERKG_JAVA_DIR, default /usr/share/java). Skips when they are missing."""
    script = shutil.which("riot")
    if script is not None:
        command = [script]
    else:
        java = shutil.which("java")
        if java is None:
            pytest.skip("java is not installed (apt-get install default-jre-headless)")
        jars = Path(os.environ.get("PARTNERKG_JAVA_DIR", "/usr/share/java"))
        missing = [n for n in JENA_CLASSPATH if not (jars / f"{n}.jar").exists()]
        if missing:
            pytest.skip(
                f"Apache Jena's jars are missing from {jars} ({', '.join(missing)}): "
                "apt-get install libapache-jena-java"
            )
        fix = _xerces_messages(jars / "jena-core.jar", tmp_path_factory.mktemp("jena"))
        classpath = [str(fix), *(str(jars / f"{n}.jar") for n in JENA_CLASSPATH)]
        command = [java, "-cp", os.pathsep.join(classpath), "riotcmd.riot"]
    return lambda path: subprocess.run(
        [*command, "--validate", str(path)], capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="session")
def owlcheck() -> Path:
    """The owlcheck tool: $PARTNERKG_OWLCHECK, else shared/tools/owlcheck/owlcheck in a
    parent folder of the repository. Skips when it is not there."""
    if os.environ.get("PARTNERKG_OWLCHECK"):
        path = Path(os.environ["PARTNERKG_OWLCHECK"])
        if not path.is_file():
            pytest.skip(f"PARTNERKG_OWLCHECK={path} does not exist")
        return path
    for parent in Path(__file__).resolve().parents:
        path = parent / "shared" / "tools" / "owlcheck" / "owlcheck"
        if path.is_file():
            return path
    pytest.skip("owlcheck not found: set PARTNERKG_OWLCHECK to the owlcheck script")


# --- the sample corpus, built once (used by the query-library tests) ---------------------------
@pytest.fixture(scope="session")
def seed_store(fixture_settings: Settings) -> Store:
    """The bundled sample corpus built in memory by the live pipeline (extraction, curation,
    reasoning): a regression anywhere shows in the competency-question tests. Read-only."""
    from graph.build import build

    _, store = build(fixture_settings)
    return store


# --- the server (tests/test_server_*.py): the seed corpus built once, live servers -------------
@pytest.fixture(scope="session")
def seed_data_dir(tmp_path_factory: pytest.TempPathFactory, seed_store: Store) -> Path:
    """A data directory whose live on-disk store holds the seed build (``seed_store``, built
    once per session), laid out as ``partnerkg build`` leaves it (``current`` -> stores/...)."""
    buffer = io.BytesIO()
    seed_store.dump(buffer, "nq")
    return make_data_dir(tmp_path_factory.mktemp("seed-data"), buffer.getvalue())


@pytest.fixture(scope="session")
def seed_server(seed_data_dir: Path) -> Iterator[LiveServer]:
    """A live server (waitress, free port) on the seed graph with the default settings."""
    live = LiveServer(server_settings(seed_data_dir))
    yield live
    live.close()


@pytest.fixture(scope="session")
def server_app(seed_data_dir: Path) -> Iterator[Flask]:
    """The Flask app on the seed graph, for Flask's test client."""
    from graph.web.app import create_app

    app = create_app(server_settings(seed_data_dir))
    yield app
    app.extensions["partnerkg"].engine.close()


@pytest.fixture
def server_client(server_app: Flask) -> FlaskClient:
    return server_app.test_client()


@pytest.fixture
def canary() -> Iterator[Canary]:
    """A local HTTP server that must receive nothing from the endpoint."""
    c = Canary()
    yield c
    c.close()


# --- an Oxigraph server (PyPI `oxigraph`) for the push and --backend tests ---------------------
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``oxigraph serve --union-default-graph`` on a free loopback port; yields its base URL.
    Skips when the `oxigraph` console script is not installed (pip install oxigraph)."""
    import sys
    import time
    import urllib.request

    script = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(script).exists():
        pytest.skip("the oxigraph server is not installed: pip install oxigraph")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    log = (location.parent / "oxigraph.log").open("wb")
    proc = subprocess.Popen(
        [
            script,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start (see {log.name})")
            time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


# --- the sample corpus built on disk once (for the store and push tests) ----------------------
@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the build of the bundled sample corpus: treat it as read-only
    (copy it with shutil.copytree to change it)."""
    from graph.build import build

    data_dir = tmp_path_factory.mktemp("sample-data")
    build(load_settings({"data_dir": str(data_dir)}, env={}))
    return data_dir
