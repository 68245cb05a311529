"""The `partnerkg` command. Commands are thin: parse options, call one function of the package,
turn a PartnerKGError into a one-line message (exit status 2).

Exit statuses: 0 ok, 1 findings (validation violations, failed checks), 2 error.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from .config import Settings, load_settings, settings_table
from .errors import PartnerKGError


def fail_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PartnerKGError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper


def settings_from(**options: Any) -> Settings:
    return load_settings({k: v for k, v in options.items() if v is not None})


def data_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option(
        "--data-dir",
        type=click.Path(file_okay=False),
        help="where the graph is stored [env PARTNERKG_DATA_DIR]",
    )(fn)
    fn = click.option("--base-iri", help="base of entity IRIs [env PARTNERKG_BASE_IRI]")(fn)
    return fn


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="partnerkg")
def cli() -> None:
    """partnerkg: a knowledge graph of IT vendors' sales and partner organisations,
    built from French trade-press articles."""


@cli.command("settings")
def settings_cmd() -> None:
    """List every setting with its environment variable and default."""
    click.echo(settings_table())


@cli.command("build")
@data_options
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True),
    help="folder of articles [default: the bundled sample corpus]",
)
@click.option("--store", type=click.Choice(["oxigraph", "memory"]), help="where to keep the graph")
@click.option(
    "--reasoner",
    type=click.Choice(["auto", "owlrl", "fast"]),
    help="reasoning path [default: auto]",
)
@click.option(
    "--curation",
    type=click.Path(dir_okay=False, exists=True),
    help="curation file [default: curation.yaml]",
)
@click.option("--strict", is_flag=True, default=None, help="fail on the first bad article")
@click.option(
    "--workers",
    type=int,
    help="extraction processes [default: one per core; env PARTNERKG_WORKERS]",
)
@fail_cleanly
def build_cmd(**options: Any) -> None:
    """Build the graph from a folder of articles (the previous graph stays until it succeeds)."""
    from .build import build

    settings = settings_from(**options)
    report, _ = build(settings, progress=lambda msg: click.echo(msg, err=True))
    click.echo(report.summary())


@cli.command("stats")
@data_options
@fail_cleanly
def stats_cmd(**options: Any) -> None:
    """Counts per class and relation of the built graph, and the articles that gave nothing."""
    from .stats import stats

    click.echo(stats(settings_from(**options)))


@cli.command("export")
@data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nq", "trig", "ttl", "nt", "jsonld", "rdfxml"]),
    default="nq",
    show_default=True,
    help="N-Quads and TriG keep the named graphs; the others merge them",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="file [default: stdout]")
@click.option(
    "--content",
    type=click.Choice(["all", "asserted", "inferred", "ontology"]),
    default="all",
    show_default=True,
    help="which graphs: all, all but the inferred one, the inferred one, the ontology",
)
@click.option("--article", help="export only this article's graph (its id)")
@click.option(
    "--protege",
    type=click.Path(file_okay=False),
    help="write a Protégé bundle (individuals, ontology, catalog) into this folder instead",
)
@fail_cleanly
def export_cmd(
    data_dir: str | None,
    base_iri: str | None,
    fmt: str,
    output: str | None,
    content: str,
    article: str | None,
    protege: str | None,
) -> None:
    """Export the built graph as linked data, or as a Protégé bundle.

    A full export to a file (--content all, no --article) writes the dataset description
    (VoID + DCAT) beside it, as FILE.void.ttl."""
    from pathlib import Path

    from .export import export_bytes, write_export
    from .protege import write_bundle
    from .store import open_live

    settings = settings_from(data_dir=data_dir, base_iri=base_iri)
    store = open_live(settings.data_dir)
    if protege:
        report = write_bundle(store, settings, Path(protege))
        click.echo(f"wrote {report.individuals} individuals to {protege}", err=True)
    elif output:
        for path in write_export(store, settings, Path(output), fmt, content, article):
            click.echo(f"wrote {path}", err=True)
    else:
        data = export_bytes(store, settings, fmt, content, article)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@cli.command("docs")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False),
    default="docs/ontology",
    show_default=True,
    help="folder for index.html and diagram.svg",
)
@fail_cleanly
def docs_cmd(output: str) -> None:
    """Generate the ontology's HTML documentation and diagram."""
    from pathlib import Path

    from .docs import write_docs

    for path in write_docs(Path(output)):
        click.echo(f"wrote {path}", err=True)


@cli.command("explain")
@click.argument("subject")
@click.argument("predicate")
@click.argument("object_")
@data_options
@click.option("--json", "as_json", is_flag=True, help="print the explanation as JSON")
@fail_cleanly
def explain_cmd(
    subject: str,
    predicate: str,
    object_: str,
    data_dir: str | None,
    base_iri: str | None,
    as_json: bool,
) -> None:
    """Why SUBJECT PREDICATE OBJECT holds: the records, sentences and axioms it follows from.

    SUBJECT and OBJECT are IRIs or labels (any case or accents); PREDICATE a CURIE such as
    org:reportsTo or pk:reportsToTransitively, or a full IRI."""
    import json

    from .explain import explain
    from .iris import Iris
    from .store import open_live

    settings = settings_from(data_dir=data_dir, base_iri=base_iri)
    iris = Iris(settings.base_iri)
    result = explain(
        open_live(settings.data_dir),
        subject,
        predicate,
        object_,
        inferred_graph=iris.graph("inferred"),
        ontology_graph=iris.graph("ontology"),
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.to_text())


@cli.command("query")
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="a parameter of the query: a label, CURIE or IRI, a date, a string (repeatable)",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="output format",
)
@click.option("--list", "list_", is_flag=True, help="list the queries with their summaries")
@click.option("--sparql", is_flag=True, help="print the query with its parameters bound, not run")
@data_options
@fail_cleanly
def query_cmd(
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    list_: bool,
    sparql: bool,
    data_dir: str | None,
    base_iri: str | None,
) -> None:
    """Run NAME, a query of the library (queries/*.rq), on the built graph.

    NAME is the file name without .rq, with or without its number (01_reports_to or
    reports_to). `partnerkg query --list` lists the queries and their parameters."""
    from .errors import QueryError
    from .queries import bind_query, get_query, list_queries, run_query
    from .store import open_live

    if list_:
        for q in list_queries():
            click.echo(f"{q.name}: {q.summary}")
            for p in q.params:
                default = "unbound" if p.default is None else repr(p.default)
                click.echo(f"    --param {p.name}=... ({p.type}, default {default}) {p.help}")
        return
    if not name:
        raise QueryError("give a query NAME, or --list to see them")
    values: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {item!r}: write it as NAME=VALUE, e.g. --param person=X")
        values[key.strip()] = value
    info = get_query(name)
    settings = settings_from(data_dir=data_dir, base_iri=base_iri)
    store = open_live(settings.data_dir)
    if sparql:
        click.echo(bind_query(info, values, store, settings)[0])
        return
    click.echo(run_query(info, values, settings, store).format(fmt).rstrip("\n"))


@cli.command("serve")
@data_options
@click.option("--host", help="address to listen on [default: 127.0.0.1; env PARTNERKG_HOST]")
@click.option("--port", type=int, help="port to listen on [default: 5000; env PARTNERKG_PORT]")
@click.option(
    "--backend",
    help="URL of an external SPARQL endpoint to query instead of the store [env PARTNERKG_BACKEND]",
)
@click.option(
    "--query-timeout",
    type=float,
    help="seconds a query may run [default: 10; env PARTNERKG_QUERY_TIMEOUT]",
)
@click.option(
    "--query-workers",
    type=int,
    help="worker processes evaluating queries [default: 2; env PARTNERKG_QUERY_WORKERS]",
)
@click.option("--threads", type=int, help="HTTP server threads [default: 8; env PARTNERKG_THREADS]")
@fail_cleanly
def serve_cmd(**options: Any) -> None:
    """Serve the SPARQL endpoint, the query page and the linked-data pages with waitress.

    Builds the graph first when there is none yet. Updates stay off unless the environment
    variable PARTNERKG_UPDATE_TOKEN is set (then they need `Authorization: Bearer TOKEN`)."""
    from .errors import StoreError
    from .store import open_live

    settings = settings_from(**options)
    if settings.backend is None:
        try:
            open_live(settings.data_dir)
        except StoreError:
            from .build import build

            click.echo(f"no graph in {settings.data_dir} yet: building it first", err=True)
            report, _ = build(settings, progress=lambda msg: click.echo(msg, err=True))
            click.echo(report.summary(), err=True)
    from .web.app import serve

    serve(settings)


@cli.command("push")
@data_options
@click.option(
    "--to",
    "url",
    required=True,
    help="base URL of the SPARQL server (e.g. http://localhost:7878 for Oxigraph)",
)
@click.option(
    "--gsp-path",
    default="/store",
    show_default=True,
    help="Graph Store Protocol endpoint (path under --to, or a full URL)",
)
@click.option(
    "--update-path",
    default="/update",
    show_default=True,
    help="SPARQL Update endpoint, used where there is no Graph Store endpoint",
)
@click.option(
    "--query-path", default="/query", show_default=True, help="SPARQL query endpoint (for --verify)"
)
@click.option(
    "--method",
    type=click.Choice(["auto", "gsp", "update"]),
    default="auto",
    show_default=True,
    help="auto: Graph Store Protocol, else SPARQL Update",
)
@click.option("--user", help="user name for HTTP authentication")
@click.option(
    "--password", envvar="PARTNERKG_PUSH_PASSWORD", help="password [env PARTNERKG_PUSH_PASSWORD]"
)
@click.option(
    "--auth",
    type=click.Choice(["basic", "digest"]),
    default="basic",
    show_default=True,
    help="HTTP authentication scheme (Virtuoso: digest)",
)
@click.option(
    "--token-env",
    default="PARTNERKG_PUSH_TOKEN",
    show_default=True,
    help="environment variable holding a bearer token, if set",
)
@click.option("--drop-first", is_flag=True, help="empty the target store first (DROP ALL)")
@click.option("--verify", is_flag=True, help="compare the triples per graph afterwards")
@fail_cleanly
def push_cmd(
    data_dir: str | None,
    base_iri: str | None,
    url: str,
    gsp_path: str,
    update_path: str,
    query_path: str,
    method: str,
    user: str | None,
    password: str | None,
    auth: str,
    token_env: str,
    drop_first: bool,
    verify: bool,
) -> None:
    """Load the built dataset, named graphs kept, into an external SPARQL store."""
    import os

    from .push import Target, push, remote_counts
    from .store import open_live

    settings = settings_from(data_dir=data_dir, base_iri=base_iri)
    target = Target(
        url,
        gsp_path,
        update_path,
        query_path,
        user,
        password,
        auth,
        os.environ.get(token_env) or None,
    )
    store = open_live(settings.data_dir)
    report = push(store, target, drop_first, method, progress=lambda msg: click.echo(msg, err=True))
    click.echo(report.summary())
    if verify:
        remote = remote_counts(target)
        wrong = {g: (n, remote.get(g, 0)) for g, n in report.sent.items() if remote.get(g) != n}
        if wrong:
            for g, (n, m) in sorted(wrong.items())[:20]:
                click.echo(f"mismatch: <{g}> sent {n} triples, the store has {m}", err=True)
            sys.exit(1)
        click.echo(f"verified: the {len(report.sent):,} graphs have the same triple counts")


def main() -> None:
    cli(prog_name="partnerkg")
