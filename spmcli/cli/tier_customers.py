"""``spm tier-customers``: ABC tiers, value × potential, customer types and the call plan."""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from spmcli.cli.common import (
    ERRORS_FILE,
    DebugOpt,
    ForceOpt,
    InputsArg,
    JsonOpt,
    LangOpt,
    OutOpt,
    PeriodOpt,
    QuietOpt,
    SchemeOpt,
    SkipOpt,
    Steps,
    err,
    escape,
    locked,
    out,
    prepare,
    prepare_out_dir,
    show_warnings,
    stop_on_problems,
    user_errors,
)
from spmcli.cli.tier_console import show_tiers
from spmcli.errors import DataError, Problem, UsageError, did_you_mean
from spmcli.io.read import Inputs
from spmcli.io.staging import staged
from spmcli.io.tiers_json import tiers_json
from spmcli.io.tiers_workbook import TIERS_FILE, write_tiers_workbook
from spmcli.messages import msg
from spmcli.report.labels import label
from spmcli.scheme.model import Scheme, Tiering

ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by", help="revenue or gross_margin. Default: the scheme's tiering.by, else revenue."
    ),
]
ThresholdsOpt = Annotated[
    str | None,
    typer.Option(
        "--thresholds",
        help="The cumulative shares where A and B end, e.g. 0.8,0.95 (or 80%,95%).",
    ),
]
WindowOpt = Annotated[
    str | None,
    typer.Option("--window", help="period (default) or 12m: the 12 months ending with the period."),
]
PerOpt = Annotated[
    str | None, typer.Option("--per", help="team or region: tier within each, not company-wide.")
]


def tier_customers(
    inputs: InputsArg,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    by: ByOpt = None,
    thresholds: ThresholdsOpt = None,
    window: WindowOpt = None,
    per: PerOpt = None,
    out_dir: OutOpt = None,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    force: ForceOpt = False,
    skip_invalid: SkipOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Tier customers A/B/C by value, cross with potential, type them and check call plans;
    write tiers.xlsx.

    Examples:

      spm tier-customers sample_data/q3.xlsx

      spm tier-customers q3.xlsx --by gross_margin --window 12m --per team

      spm tier-customers exports/ --thresholds 0.7,0.9 --json > tiers.json
    """
    with user_errors(debug, lang) as language, Steps(quiet or json_out) as steps:
        # Tiering reads no KPI or pay column, so the data is not checked against them.
        prepared = prepare(inputs, scheme, lang, period, check_kpi_columns=False, steps=steps)
        language.known = prepared.scheme.locale
        settings = tiering_settings(prepared.scheme, by, thresholds, window, per)
        target = out_dir or Path("spm-out") / prepared.period.label
        stop_on_problems(prepared, skip_invalid, target / ERRORS_FILE, references=False)
        _check_cost(settings, prepared.inputs)
        steps.show("tiers", prepared.scheme.locale)
        tiers = prepared.tier_customers(settings, skip_invalid=skip_invalid)
        with locked(target, prepared.scheme.locale):
            prepare_out_dir(target, force, [TIERS_FILE])
            with staged(target, [TIERS_FILE]) as stage:
                write_tiers_workbook(tiers, stage / TIERS_FILE)

    if json_out:
        sys.stdout.write(tiers_json(tiers) + "\n")
    elif not quiet:
        show_tiers(tiers, out)
    if not quiet:
        lang = tiers.scheme.locale
        where = label("console.warnings_in", lang).format(
            file=target / TIERS_FILE, sheet=label("sheet.warnings", lang)
        )
        show_warnings(tiers.warnings, lang, where)
        err.print(escape(label("console.wrote", lang).format(files=target / TIERS_FILE)))
    raise typer.Exit(0)


# ---------------------------------------------------------------------- options


def tiering_settings(
    scheme: Scheme, by: str | None, thresholds: str | None, window: str | None, per: str | None
) -> Tiering:
    """The scheme's ``tiering`` section (or the defaults) with the options given on top."""
    base = scheme.tiering or Tiering()
    changes: dict[str, Any] = {}
    for option, value, choices in (
        ("--by", by, ("revenue", "gross_margin")),
        ("--window", window, ("period", "12m")),
        ("--per", per, ("team", "region")),
    ):
        if value is None:
            continue
        if value not in choices:
            raise UsageError(
                [
                    Problem(
                        option,
                        msg("option.not_one_of", value=value, choices=tuple(choices)),
                        did_you_mean(value, choices),
                    )
                ]
            )
        changes[option.removeprefix("--")] = value
    if thresholds is not None:
        changes["thresholds"] = _thresholds(thresholds)
    return Tiering.model_validate({**base.model_dump(), **changes})


def _thresholds(text: str) -> tuple[float, float]:
    """``0.8,0.95`` or ``80%,95%`` → (0.8, 0.95), two shares with 0 < first < second ≤ 1."""
    hint = msg("option.thresholds_example")
    parts = [part.strip() for part in text.split(",")]
    values: list[Decimal] = []
    for part in parts:
        try:
            number = Decimal(part.removesuffix("%"))
        except InvalidOperation:
            problem = Problem("--thresholds", msg("option.not_number", value=part), hint)
            raise UsageError([problem]) from None
        values.append(number / 100 if part.endswith("%") else number)
    if len(values) != 2 or not 0 < values[0] < values[1] <= 1:
        raise UsageError(
            [
                Problem(
                    "--thresholds",
                    msg("option.thresholds", value=text),
                    hint,
                )
            ]
        )
    return float(values[0]), float(values[1])


def _check_cost(settings: Tiering, data: Inputs) -> None:
    """Gross margin needs the sales table's cost column: say where it was looked for."""
    sales = data.tables["sales"]
    if settings.by == "gross_margin" and "cost" not in sales.frame.columns:
        where = f"{sales.file} [{sales.sheet}]" if sales.sheet else sales.file
        raise DataError(
            [
                Problem(
                    where,
                    msg("read.no_cost", headers=tuple(sales.headers.values())),
                    msg("read.add_cost"),
                )
            ]
        )
