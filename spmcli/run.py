"""The front door: everything a command does before it writes or shows anything.

``prepare`` finds and loads the scheme, reads every input once (hashing each file as it
is read), checks the columns and types the scheme's KPIs use, settles the period once and
checks the data's references once, locating every problem in the user's files. The
``Prepared`` it returns evaluates the period or tiers the customers. Every command and a
notebook go through here, so they see the same figures and the same problems::

    from spmcli import prepare

    prepared = prepare(["sample_data/q3.xlsx"])  # ./spm.yaml, else the built-in scheme
    run = prepared.evaluate()
    run.evaluation.reps
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

import polars as pl

from spmcli.engine.evaluate import score_period
from spmcli.engine.periods import resolve_period
from spmcli.engine.result import DataIssue, Evaluation, RunWarning
from spmcli.engine.targets import check_references
from spmcli.engine.tiering import tier_customers
from spmcli.engine.tiering.result import Tiers
from spmcli.errors import (
    DataError,
    Problem,
    RowProblem,
    SchemeError,
    SpmError,
    UsageError,
    did_you_mean,
)
from spmcli.io.read import Inputs, Table, read_inputs
from spmcli.messages import LANGUAGES, msg
from spmcli.scheme.loader import by_position, read_scheme
from spmcli.scheme.marks import SchemeFile
from spmcli.scheme.model import Language, Scheme, Tiering
from spmcli.scheme.periods import Period
from spmcli.scheme.rules import check_columns, check_types

LOCAL_SCHEME = Path("spm.yaml")
APPEALS_TABLE = "appeal_adjustments"


@dataclass(frozen=True)
class Prepared:
    """The scheme, the inputs as read (with their SHA-256), the period, and every problem
    in the data: rows that could not be read, and references that do not resolve."""

    scheme_file: SchemeFile
    inputs: Inputs
    period: Period
    unreadable: tuple[RowProblem, ...]
    unresolved: tuple[RowProblem, ...]

    @property
    def scheme(self) -> Scheme:
        return self.scheme_file.scheme

    @property
    def frames(self) -> Mapping[str, pl.DataFrame]:
        return MappingProxyType({name: table.frame for name, table in self.inputs.tables.items()})

    @property
    def problems(self) -> tuple[RowProblem, ...]:
        return (*self.unreadable, *self.unresolved)

    def stops(self, skip_invalid: bool, *, references: bool = True) -> bool:
        """SPEC §2: unreadable rows stop the run unless skipped; unresolved references
        always do (unless the command reads none of them: ``references=False``), since
        going on would silently drop an approved target or adjustment."""
        return (references and bool(self.unresolved)) or (
            bool(self.unreadable) and not skip_invalid
        )

    def warnings(self) -> tuple[RunWarning, ...]:
        """What reading found that the outputs list: skipped rows and notes on the inputs."""
        return (
            *(RunWarning.of("skipped_row", problem=p.message) for p in self.unreadable),
            *(RunWarning.of("input", note=note) for note in self.inputs.notes),
        )

    def evaluate(
        self, *, skip_invalid: bool = False, what_if: Mapping[str, float] | None = None
    ) -> Run:
        """Score the period; ``what_if`` also scores it with KPI actuals scaled
        (``{"sales": 1.1}``). Raises ``DataError`` when the data's problems stop the run."""
        self._stop_on_problems(skip_invalid)
        scaling = _checked_scaling(what_if or {}, self.scheme)
        started = datetime.now().astimezone()
        skipped = self.inputs.skipped_rows
        scored = score_period(self.scheme, self.frames, self.period, skipped)
        evaluation = dataclasses.replace(scored, warnings=(*self.warnings(), *scored.warnings))
        scaled = (
            score_period(self.scheme, self.frames, self.period, skipped, scaling)
            if scaling
            else None
        )
        return Run(self, evaluation, started, MappingProxyType(scaling), scaled)

    def with_adjustment(
        self, rep_id: str, kpi: str, value: float, reason: str, approved_by: str
    ) -> Prepared:
        """The same run with one more accepted appeal (a KPI's corrected actual), replacing
        any accepted appeal the inputs already hold for that rep and KPI: to show what a
        decision would change before it is applied. Its references are checked again, so
        that evaluating it stops as ``spm evaluate`` would (a KPI adjusted twice)."""
        row = pl.DataFrame(
            {
                "rep_id": [rep_id],
                "kpi": [kpi],
                "value": [value],
                "reason": [reason],
                "approved_by": [approved_by],
                "_row": [0],
            },
            schema_overrides={"value": pl.Float64, "_row": pl.Int64},
        )
        tables = dict(self.inputs.tables)
        held = tables.get(APPEALS_TABLE)
        if held is None:
            table = Table(APPEALS_TABLE, row, APPEALS_TABLE, "", {})
        else:
            others = held.frame.filter((pl.col("rep_id") != rep_id) | (pl.col("kpi") != kpi))
            frame = pl.concat([others, row], how="diagonal_relaxed")
            table = dataclasses.replace(held, frame=frame)
        tables[APPEALS_TABLE] = table
        inputs = dataclasses.replace(self.inputs, tables=tables)
        frames = {name: t.frame for name, t in tables.items()}
        unresolved = located(inputs, check_references(self.scheme, frames, self.period))
        return dataclasses.replace(self, inputs=inputs, unresolved=tuple(unresolved))

    def tier_customers(self, settings: Tiering, *, skip_invalid: bool = False) -> Tiers:
        """Tier the customers for the period as ``settings`` say (SPEC §5); targets,
        adjustments and ratings play no part, so only unreadable rows stop it."""
        if self.stops(skip_invalid, references=False):
            raise DataError(self.unreadable)
        tiers = tier_customers(self.scheme, self.frames, self.period, settings)
        return dataclasses.replace(tiers, warnings=(*self.warnings(), *tiers.warnings))

    def _stop_on_problems(self, skip_invalid: bool) -> None:
        if self.stops(skip_invalid):
            raise DataError(self.problems)


@dataclass(frozen=True)
class Run:
    """One evaluation of a period and how it was reached: what ``spm evaluate`` shows
    and writes. ``evaluation.warnings`` holds every warning of the run, the inputs' first."""

    prepared: Prepared
    evaluation: Evaluation
    started: datetime
    what_if: Mapping[str, float]
    scaled: Evaluation | None  # the evaluation with ``what_if`` applied, when asked


def prepare(
    inputs: Sequence[Path | str],
    *,
    scheme: Path | str | None = None,
    period: str | None = None,
    lang: str | None = None,
    check_kpi_columns: bool = True,
    on_step: Callable[[str, str], None] | None = None,
) -> Prepared:
    """Load the scheme (``scheme``, else ./spm.yaml, else the built-in one), read the
    inputs and settle the period (SPEC §4 Periods).

    ``on_step(step, locale)`` hears of each step once the scheme's language is known:
    ``reading``, then ``checking``; a command shows them as progress.

    ``check_kpi_columns=False`` skips checking the data against the KPIs' expressions,
    for a command that computes no KPI. Raises ``SchemeError`` or ``UsageError`` for a
    scheme or option mistake and ``DataError`` for an unusable file or table; problems
    with single rows are collected in the result instead.
    """
    if lang is not None and lang not in LANGUAGES:
        raise UsageError(msg("option.lang", value=lang, choices=LANGUAGES))
    try:
        # The scheme's problems (types and rules) wait for the data's columns, so that a
        # misspelt method, key, weight and column are reported in one run.
        scheme_file, problems = read_scheme(find_scheme(scheme))
    except SpmError as error:
        error.lang = lang or error.lang
        raise
    if lang:  # one of LANGUAGES (checked above); the scheme's labels follow it
        run_in = typing.cast(Language, lang)
        scheme_file = dataclasses.replace(
            scheme_file, scheme=scheme_file.scheme.in_language(run_in)
        )
    locale = scheme_file.scheme.locale  # the run's language from here on
    try:
        return _prepared(scheme_file, problems, inputs, period, check_kpi_columns, on_step)
    except SpmError as error:
        error.lang = locale
        raise


def _prepared(
    scheme_file: SchemeFile,
    problems: list[Problem],
    inputs: Sequence[Path | str],
    period: str | None,
    check_kpi_columns: bool,
    on_step: Callable[[str, str], None] | None,
) -> Prepared:
    step = on_step or (lambda _step, _locale: None)
    step("reading", scheme_file.scheme.locale)
    try:
        sources = {str(name): s for name, s in scheme_file.scheme.sources.items()}
        data = read_inputs([Path(p) for p in inputs], sources)
    except SpmError:
        if problems:
            raise SchemeError(problems) from None  # the scheme first: it may be the cause
        raise
    step("checking", scheme_file.scheme.locale)
    frames = {name: table.frame for name, table in data.tables.items()}
    if check_kpi_columns:
        problems = by_position([*problems, *check_columns(scheme_file, _columns(frames))])
        if not problems:
            problems = check_types(scheme_file, frames)
    if problems:
        raise SchemeError(problems)
    when = _period(scheme_file.scheme, data, period)
    unresolved = located(data, check_references(scheme_file.scheme, frames, when))
    return Prepared(scheme_file, data, when, tuple(data.problems), tuple(unresolved))


def evaluate(
    inputs: Sequence[Path | str],
    *,
    scheme: Path | str | None = None,
    period: str | None = None,
    lang: str | None = None,
    skip_invalid: bool = False,
    what_if: Mapping[str, float] | None = None,
) -> Run:
    """``prepare`` and evaluate in one call: what ``spm evaluate`` computes."""
    prepared = prepare(inputs, scheme=scheme, period=period, lang=lang)
    return prepared.evaluate(skip_invalid=skip_invalid, what_if=what_if)


def find_scheme(path: Path | str | None) -> Path | None:
    """The scheme asked for, else spm.yaml in the working directory, else None (built-in)."""
    if path is not None:
        if not Path(path).is_file():
            raise UsageError(msg("scheme.not_found", path=path))
        return Path(path)
    return LOCAL_SCHEME if LOCAL_SCHEME.is_file() else None


def located(inputs: Inputs, issues: Sequence[DataIssue]) -> list[RowProblem]:
    """Engine issues located in the user's files: file, sheet and the original header."""
    problems = []
    for issue in issues:
        table = inputs.tables[issue.table]
        header = table.headers.get(issue.column, issue.column)
        problems.append(
            RowProblem(table.file, table.sheet, issue.row, header, issue.value, issue.reason)
        )
    return problems


def _columns(frames: Mapping[str, pl.DataFrame]) -> dict[str, list[str]]:
    return {name: frame.columns for name, frame in frames.items()}


def _period(scheme: Scheme, data: Inputs, asked: str | None) -> Period:
    when = resolve_period(asked or scheme.period, scheme.cycle, data.tables["sales"].frame)
    if when is None:
        sales = data.tables["sales"]
        where = f"{sales.file} [{sales.sheet}]" if sales.sheet else sales.file
        raise UsageError(
            [
                Problem(
                    where,
                    msg("period.no_dates"),
                    msg("period.give"),
                )
            ]
        )
    return when


def _checked_scaling(what_if: Mapping[str, float], scheme: Scheme) -> dict[str, float]:
    """Each what-if names a KPI of the scheme and scales by a factor ≥ 0."""
    kpi_ids = [k.id for k in scheme.kpis]
    problems = []
    for kpi_id, factor in what_if.items():
        if kpi_id not in kpi_ids:
            hint = did_you_mean(kpi_id, kpi_ids) or msg("rule.kpis_are", ids=tuple(kpi_ids))
            problems.append(Problem("--what-if", msg("option.not_kpi", id=kpi_id), hint))
        elif not factor >= 0:
            problems.append(
                Problem(
                    "--what-if",
                    msg("option.not_factor", value=factor),
                    msg("option.factor_example"),
                )
            )
    if problems:
        raise UsageError(problems)
    return dict(what_if)
