"""What every command shares: options, the stderr console, loading, and turning user
mistakes into messages and exit statuses (0 ok, 1 data errors, 2 usage or scheme errors)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console

from spmcli.engine.evaluate import resolve_period
from spmcli.engine.result import DataIssue, Period
from spmcli.engine.targets import check_references
from spmcli.errors import Problem, RowProblem, SchemeError, SpmError, UsageError, did_you_mean
from spmcli.io.errors_file import write_errors
from spmcli.io.read import Inputs, read_inputs
from spmcli.scheme.loader import SchemeFile, load_scheme
from spmcli.scheme.model import Scheme
from spmcli.scheme.rules import check_columns, check_types

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False)

SHOWN_PROBLEMS = 20
ERRORS_FILE = "errors.xlsx"

InputsArg = Annotated[
    list[Path],
    typer.Argument(
        help="A workbook (.xlsx/.xls), a folder of .csv/.parquet files, or several files.",
        show_default=False,
    ),
]
SchemeOpt = Annotated[
    Path | None,
    typer.Option(
        "--scheme",
        "-s",
        help="The KPI scheme (YAML). Default: ./spm.yaml, else the built-in scheme.",
    ),
]
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        help="2025-07, 2025-Q3, 2025-H2 or 2025. Default: the scheme's, else "
        "the cycle period holding the latest sale.",
    ),
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Output folder. Default: spm-out/<period>/.")
]
LangOpt = Annotated[
    str | None, typer.Option("--lang", help="zh or en. Default: the scheme's locale.")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the JSON result on stdout and nothing else there.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Write into a non-empty output folder.")]
SkipOpt = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Skip rows that cannot be read (they are listed) instead of stopping.",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print no progress or warnings.")]
WhatIfOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--what-if",
        help="KPI=FACTOR, e.g. sales=1.1: rescore and repay with that KPI's actuals scaled; "
        "prints a comparison and writes nothing. Repeatable.",
    ),
]
DebugOpt = Annotated[
    bool, typer.Option("--debug", help="Show a traceback for errors.", hidden=True)
]


@contextmanager
def user_errors(debug: bool = False) -> Iterator[None]:
    """Print an SpmError's problems on stderr and exit with its status; no traceback."""
    try:
        yield
    except SpmError as error:
        if debug:
            raise
        report_problems(error.problems)
        raise typer.Exit(error.exit_code) from None


def report_problems(problems: Sequence[Problem | RowProblem]) -> None:
    shown = problems[:SHOWN_PROBLEMS]
    for problem in shown:
        err.print(f"[red]error:[/red] {escape(str(problem))}")
    if len(problems) > len(shown):
        err.print(f"… and {len(problems) - len(shown)} more (all are in the errors file)")


def escape(text: str) -> str:
    """Keep rich from reading [brackets] in user data as markup."""
    return text.replace("[", r"\[")


def parse_what_if(items: Sequence[str], scheme: Scheme) -> dict[str, float]:
    """``sales=1.1`` → {"sales": 1.1}; the KPI must exist and the factor be a number ≥ 0."""
    scaling: dict[str, float] = {}
    kpi_ids = [k.id for k in scheme.kpis]
    for item in items:
        kpi_id, _, factor = item.partition("=")
        kpi_id = kpi_id.strip()
        if kpi_id not in kpi_ids:
            raise UsageError(
                [
                    Problem(
                        "--what-if",
                        f"'{kpi_id}' is not a KPI of the scheme",
                        did_you_mean(kpi_id, kpi_ids) or f"KPIs: {', '.join(kpi_ids)}",
                    )
                ]
            )
        try:
            scaling[kpi_id] = float(factor.strip().rstrip("%")) / (
                100 if factor.strip().endswith("%") else 1
            )
        except ValueError:
            scaling[kpi_id] = -1.0
        if not scaling[kpi_id] >= 0:
            raise UsageError(
                [
                    Problem(
                        "--what-if",
                        f"'{factor}' is not a factor",
                        "write e.g. sales=1.1 or sales=110%",
                    )
                ]
            )
    return scaling


def find_scheme(path: Path | None) -> Path | None:
    """--scheme, else spm.yaml in the working directory, else None (the built-in scheme)."""
    if path is not None:
        if not path.is_file():
            raise UsageError(f"scheme file '{path}' does not exist or is not a file")
        return path
    local = Path("spm.yaml")
    return local if local.is_file() else None


def load(
    paths: Sequence[Path], scheme_path: Path | None, lang: str | None, *, kpi_columns: bool = True
) -> tuple[SchemeFile, Inputs]:
    """The scheme first (validated before any data is read), then the inputs and, unless the
    command computes no KPI (``kpi_columns=False``), the columns the KPIs and pay read."""
    if lang is not None and lang not in ("zh", "en"):
        raise UsageError(f"--lang '{lang}' is not one of zh, en")
    scheme_file = load_scheme(find_scheme(scheme_path))
    if lang:
        scheme = scheme_file.scheme.model_copy(update={"locale": lang})
        scheme_file = dataclasses.replace(scheme_file, scheme=scheme)
    inputs = read_inputs(paths, {str(name): s for name, s in scheme_file.scheme.sources.items()})
    columns = {name: table.frame.columns for name, table in inputs.tables.items()}
    problems = check_columns(scheme_file, columns) if kpi_columns else []
    if kpi_columns and not problems:
        problems = check_types(scheme_file, {name: t.frame for name, t in inputs.tables.items()})
    if problems:
        raise SchemeError(problems)
    return scheme_file, inputs


@dataclass(frozen=True)
class Prepared:
    """What every computing command starts from: the scheme, the inputs, their frames and the
    period to work on."""

    scheme_file: SchemeFile
    data: Inputs
    frames: dict[str, pl.DataFrame]
    period: Period

    @property
    def scheme(self) -> Scheme:
        return self.scheme_file.scheme

    def reference_problems(self) -> list[RowProblem]:
        """Targets, adjustments and ratings that do not resolve, located in the user's files."""
        return row_problems(self.data, check_references(self.scheme, self.frames, self.period))


def prepare(
    paths: Sequence[Path],
    scheme_path: Path | None,
    lang: str | None,
    period: str | None,
    *,
    kpi_columns: bool = True,
) -> Prepared:
    """Load the scheme and the inputs and settle the period (SPEC §4 Periods)."""
    scheme_file, data = load(paths, scheme_path, lang, kpi_columns=kpi_columns)
    frames = {name: table.frame for name, table in data.tables.items()}
    return Prepared(
        scheme_file, data, frames, resolve_period(scheme_file.scheme, frames["sales"], period)
    )


def row_problems(inputs: Inputs, issues: Sequence[DataIssue]) -> list[RowProblem]:
    """Engine issues located in the user's files: file, sheet and the original header."""
    located = []
    for issue in issues:
        table = inputs.tables[issue.table]
        header = table.headers.get(issue.column, issue.column)
        located.append(
            RowProblem(table.file, table.sheet, issue.row, header, issue.value, issue.reason)
        )
    return located


def prepare_out_dir(
    out_dir: Path, force: bool, outputs: Sequence[str], keep: str | None = None
) -> None:
    """Refuse to overwrite this command's earlier outputs in ``out_dir`` unless --force.

    The default folder (spm-out/<period>/) is shared by evaluate, tier-customers and
    letters, so only a command's own outputs count. The errors file of an earlier run
    that stopped is removed, unless this run wrote it (``keep``)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"output folder '{out_dir}' is a file")
    stale = out_dir / ERRORS_FILE
    if keep != ERRORS_FILE and stale.is_file():
        stale.unlink()
    existing = [name for name in outputs if (out_dir / name).exists()]
    if existing and not force:
        raise UsageError(
            f"'{out_dir / existing[0]}' already exists — use --force to replace it, "
            "or --out to choose another folder"
        )
    out_dir.mkdir(parents=True, exist_ok=True)


def stop_on_problems(
    rows: Sequence[RowProblem],
    references: Sequence[RowProblem],
    skip_invalid: bool,
    errors_path: Path | None,
) -> None:
    """SPEC §2: unreadable rows stop the run (exit 1) unless --skip-invalid; references that do
    not resolve always stop it. Every problem goes to the errors file, the first ones to stderr."""
    problems = [*rows, *references]
    if not problems:
        return
    if errors_path is not None:
        errors_path.parent.mkdir(parents=True, exist_ok=True)
        write_errors(problems, errors_path)
    if skip_invalid and not references:
        return
    report_problems(problems)
    hint = (
        "" if references else " Fix them, or run again with --skip-invalid to leave those rows out."
    )
    listed = f"; all are listed in {errors_path}" if errors_path else ""
    err.print(f"{len(problems)} problem(s) in the data{listed}.{hint}")
    raise typer.Exit(1)


def cpu_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
