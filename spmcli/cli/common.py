"""What every command shares: options, the stderr console, the front door with the options,
and turning user mistakes into messages and exit statuses (0 ok, 1 data errors, 2 usage or
scheme errors)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from spmcli import run
from spmcli.engine.result import Evaluation, RunWarning
from spmcli.errors import Problem, RowProblem, SpmError, UsageError, did_you_mean
from spmcli.io.errors_file import write_errors
from spmcli.io.files import remove_leftovers
from spmcli.io.lock import output_lock
from spmcli.io.staging import recover_switches
from spmcli.messages import DEFAULT_LANGUAGE, LANGUAGES, msg
from spmcli.report.labels import label
from spmcli.report.wording import warning_summary
from spmcli.run import Prepared

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


@dataclass
class Language:
    """The run's language as far as it is known: ``--lang``, then the scheme's ``locale``
    once the scheme is read; problems raised before either is known are worded in zh."""

    known: str | None

    @property
    def chosen(self) -> str:
        return self.known or DEFAULT_LANGUAGE


@contextmanager
def user_errors(debug: bool = False, lang: str | None = None) -> Iterator[Language]:
    """Print an SpmError's problems on stderr in the run's language and exit with its
    status; no traceback. A command sets the language it yields once the scheme is read."""
    language = Language(lang if lang in LANGUAGES else None)
    try:
        yield language
    except SpmError as error:
        if debug:
            raise
        report_problems(error.problems, error.lang or language.chosen)
        raise typer.Exit(error.exit_code) from None


def report_problems(problems: Sequence[Problem | RowProblem], lang: str) -> None:
    shown = problems[:SHOWN_PROBLEMS]
    for problem in shown:
        err.print(f"[red]{label('console.error', lang)}[/red]{escape(problem.text(lang))}")
    if len(problems) > len(shown):
        more = len(problems) - len(shown)
        err.print(escape(label("console.more_problems", lang).format(count=more)))


SHOWN_WARNINGS = 10


def show_warnings(warnings: Sequence[RunWarning], lang: str, where: str | None) -> None:
    """The warnings on stderr, alike ones said once with their count; ``where`` says which
    sheet of which file holds them all."""
    if not warnings:
        return
    lines = warning_summary(warnings, lang)
    key = "console.warnings" if len(lines) == len(warnings) else "console.warnings_grouped"
    said = label(key, lang).format(count=len(warnings), lines=len(lines))
    err.print(f"[yellow]{said}[/yellow]")
    for line in lines[:SHOWN_WARNINGS]:
        err.print(f"  • {escape(line)}")
    if len(lines) > SHOWN_WARNINGS:
        err.print(
            "  " + label("console.more_warnings", lang).format(count=len(lines) - SHOWN_WARNINGS)
        )
    if where:
        err.print(escape(where))


def escape(text: str) -> str:
    """Keep rich from reading [brackets] in user data as markup."""
    return text.replace("[", r"\[")


def parse_what_if(items: Sequence[str]) -> dict[str, float]:
    """``sales=1.1`` or ``sales=110%`` → {"sales": 1.1}; the front door checks the KPI."""
    scaling: dict[str, float] = {}
    for item in items:
        kpi_id, _, text = item.partition("=")
        factor = text.strip()
        try:
            scaling[kpi_id.strip()] = float(factor.rstrip("%")) / (
                100 if factor.endswith("%") else 1
            )
        except ValueError:
            raise UsageError(
                [
                    Problem(
                        "--what-if",
                        msg("option.not_factor", value=text),
                        msg("option.factor_forms"),
                    )
                ]
            ) from None
    return scaling


def prepare(
    paths: Sequence[Path],
    scheme_path: Path | None,
    lang: str | None,
    period: str | None,
    *,
    check_kpi_columns: bool = True,
    steps: Steps | None = None,
) -> Prepared:
    """The front door with the command's options; ``steps`` shows its progress."""
    return run.prepare(
        paths,
        scheme=scheme_path,
        period=period,
        lang=lang,
        check_kpi_columns=check_kpi_columns,
        on_step=None if steps is None else steps.show,
    )


class Steps:
    """What a long command is doing, on stderr: the current step with a spinner, a counted
    step (workbooks, letters) with a bar. Silent with --quiet or --json, or when stderr is
    not a terminal (a log file gets no control codes)."""

    def __init__(self, silent: bool) -> None:
        self.bar: Progress | None = None
        if not silent and err.is_terminal:
            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
        self.task: TaskID | None = None

    def __enter__(self) -> Steps:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def show(self, step: str, locale: str) -> None:
        """Show ``step``, a step that is not counted."""
        self.step(step, locale)

    def step(self, step: str, locale: str, total: int | None = None) -> Callable[[int], None]:
        """Show ``step`` (a ``progress.<step>`` label); returns how to count it done."""
        bar = self.bar
        if bar is None:
            return lambda _done: None
        if self.task is not None:
            bar.remove_task(self.task)
        task = self.task = bar.add_task(label(f"progress.{step}", locale), total=total)
        return lambda done: bar.advance(task, done)


def prepare_out_dir(
    out_dir: Path, force: bool, outputs: Sequence[str], keep: str | None = None
) -> None:
    """Refuse to overwrite this command's earlier outputs in ``out_dir`` unless --force.

    The default folder (spm-out/<period>/) is shared by evaluate, tier-customers and
    letters, so only a command's own outputs count. The errors file of an earlier run
    that stopped is removed, unless this run wrote it (``keep``)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(msg("option.out_is_file", path=out_dir))
    stale = out_dir / ERRORS_FILE
    if keep != ERRORS_FILE and stale.is_file():
        stale.unlink()
    existing = [name for name in outputs if (out_dir / name).exists()]
    if existing and not force:
        raise UsageError(msg("option.exists", path=out_dir / existing[0]))
    out_dir.mkdir(parents=True, exist_ok=True)


def stop_on_problems(
    prepared: Prepared, skip_invalid: bool, errors_path: Path | None, *, references: bool = True
) -> None:
    """SPEC §2: unreadable rows stop the run (exit 1) unless --skip-invalid; references that do
    not resolve always stop it (``references=False``: the command reads none). Every problem
    goes to the errors file, the first ones to stderr."""
    problems = prepared.problems if references else prepared.unreadable
    if not problems:
        return
    lang = prepared.scheme.locale
    if errors_path is not None:
        errors_path.parent.mkdir(parents=True, exist_ok=True)
        write_errors(problems, errors_path, lang)
    if not prepared.stops(skip_invalid, references=references):
        return
    report_problems(problems, lang)
    text = label("console.data_problems", lang).format(count=len(problems))
    if errors_path:
        text += label("console.all_in", lang).format(file=errors_path)
    skippable = not (references and prepared.unresolved)
    text += label("console.fix_or_skip" if skippable else "console.end", lang)
    err.print(escape(text))
    raise typer.Exit(1)


def cpu_workers(requested: int | None = None) -> int:
    """``--workers``, else the CPUs this process may run on (its affinity, which a container
    or ``taskset`` narrows), else the machine's."""
    if requested is not None:
        return requested
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return max(1, len(usable) if usable else os.cpu_count() or 1)


def wanted_reps(ev: Evaluation, asked: list[str]) -> set[str]:
    """The due reps a command works on: all, or those --rep names (each must be due)."""
    due = dict(zip(ev.reps["rep_id"].to_list(), ev.reps["due"].to_list(), strict=True))
    if not asked:
        return {rep_id for rep_id, is_due in due.items() if is_due}
    problems = []
    for rep_id in asked:
        if rep_id not in due:
            hint = did_you_mean(rep_id, due) or msg("option.see_reps")
            problems.append(Problem("--rep", msg("option.not_on_roster", id=rep_id), hint))
        elif not due[rep_id]:
            problems.append(
                Problem(
                    "--rep",
                    msg("option.not_due", id=rep_id, period=ev.period.label),
                    msg("option.choose_period"),
                )
            )
    if problems:
        raise UsageError(problems)
    return set(asked)


@contextmanager
def locked(folder: Path, lang: str) -> Iterator[None]:
    """The output folder for this run alone while the block writes (``spmcli.io.lock``)."""
    with output_lock(folder) as stale:
        if stale:
            err.print(escape(msg("lock.stale", folder=folder).text(lang)))
        remove_leftovers(folder)  # a killed run's half-written temporary files
        recover_switches(folder)  # and its staged outputs, or its switch left halfway
        yield
