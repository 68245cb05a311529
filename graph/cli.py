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
@click.option("--corpus", type=click.Path(file_okay=False, exists=True),
              help="folder of articles [default: the bundled sample corpus]")
@click.option("--store", type=click.Choice(["oxigraph", "memory"]), help="where to keep the graph")
@click.option("--reasoner", type=click.Choice(["auto", "owlrl", "fast"]),
              help="reasoning path [default: auto]")
@click.option("--curation", type=click.Path(dir_okay=False, exists=True),
              help="curation file [default: curation.yaml]")
@click.option("--strict", is_flag=True, default=None, help="fail on the first bad article")
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


def main() -> None:
    cli(prog_name="partnerkg")
