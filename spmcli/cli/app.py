"""The ``spm`` command: one Typer app, one module per command."""

from __future__ import annotations

from typing import Annotated

import typer

from spmcli import __version__
from spmcli.cli.appeal import appeal, appeals_app
from spmcli.cli.check import check
from spmcli.cli.diff import diff
from spmcli.cli.evaluate import evaluate
from spmcli.cli.explain import explain
from spmcli.cli.init import init
from spmcli.cli.letters import letters
from spmcli.cli.tier_customers import tier_customers

app = typer.Typer(
    name="spm",
    help=(
        "Sales performance management from spreadsheets.\n\n"
        "Examples:\n\n"
        "  spm evaluate sample_data/q3.xlsx\n\n"
        "  spm evaluate q3.xlsx --scheme spm.yaml --period 2025-Q3 --lang en\n\n"
        "  spm check q3.xlsx\n\n"
        "  spm letters q3.xlsx --format html\n\n"
        "  spm init my-close"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command()(evaluate)
app.command()(check)
app.command()(explain)
app.command()(appeal)
app.add_typer(appeals_app, name="appeals")
app.command()(diff)
app.command()(letters)
app.command()(init)
app.command("tier-customers")(tier_customers)


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"spm {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Sales performance management from spreadsheets."""


def main() -> None:
    app()
