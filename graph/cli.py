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


def main() -> None:
    cli(prog_name="partnerkg")
