"""``evaluate``: a scheme and input frames in, an Evaluation out (SPEC §4).

The order follows the spec: period, roster, actuals, targets, adjustments,
achievement and score per KPI, composite, penalty, grade, rank.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

import polars as pl

from spmcli.engine.actuals import (
    Actuals,
    compute_actuals,
    unavailability,
    without_absent_filters,
    zero_when_empty,
)
from spmcli.engine.composite import composite_scores, grade_and_rank, team_summary
from spmcli.engine.pay import compute_pay
from spmcli.engine.periods import period_of
from spmcli.engine.result import (
    DataIssue,
    Evaluation,
    Param,
    Reconciliation,
    RunWarning,
    SourceRows,
)
from spmcli.engine.roster import build_roster
from spmcli.engine.scoring import achievement, score
from spmcli.engine.targets import (
    adjustments_for,
    applied_adjustments,
    check_references,
    rep_targets,
    targets_in_period,
)
from spmcli.errors import DataError, Problem
from spmcli.messages import msg
from spmcli.scheme.model import Kpi, Scheme
from spmcli.scheme.periods import Period

TEAM_KEY = "_team"
KPI_COLUMNS = {
    "rep_id": pl.String,
    "kpi": pl.String,
    "actual": pl.Float64,
    "target": pl.Float64,
    "target_row": pl.Int64,
    "adjusted": pl.Boolean,
    "reason": pl.String,
    "note": pl.String,
    "computed": pl.Float64,
}


def evaluate(
    scheme: Scheme,
    tables: Mapping[str, pl.DataFrame],
    period: Period | str | None = None,
    skipped_rows: int = 0,
    what_if: Mapping[str, float] | None = None,
) -> Evaluation:
    """Check the references, then score the period (``score_period``): for frames that
    have not been through ``spmcli.prepare``, which does both once for every command."""
    when = period_of(scheme, tables["sales"], period)
    issues = check_references(scheme, tables, when)
    if issues:
        raise DataError([issue_problem(issue) for issue in issues])
    return score_period(scheme, tables, when, skipped_rows, what_if)


def score_period(
    scheme: Scheme,
    tables: Mapping[str, pl.DataFrame],
    when: Period,
    skipped_rows: int = 0,
    what_if: Mapping[str, float] | None = None,
) -> Evaluation:
    """Score every due rep of the roster for the period, as the scheme says; the frames'
    references (targets, adjustments, ratings) must have been checked.

    ``what_if`` scales KPI actuals by a factor (``{"sales": 1.1}``) before scoring and pay,
    and team KPIs of a scaled KPI with them, to answer "what would I earn at 110 %?".
    """
    scaling = dict(what_if or {})
    frames = dict(tables)
    scheme, warnings = without_absent_filters(scheme, frames)
    roster, rostered = build_roster(scheme, frames, when)
    warnings += rostered
    frames, credited = _credit_rows(frames, roster)
    warnings += credited
    period_targets = targets_in_period(scheme, frames.get("targets"), when)
    applied = applied_adjustments(scheme, frames)
    penalties, overrides = adjustments_for(applied)

    parts: list[pl.DataFrame] = []
    sources: dict[str, pl.LazyFrame] = {}
    team_figures: list[pl.DataFrame] = []
    source: pl.LazyFrame | None
    unavailable: set[str] = set()
    for kpi in scheme.kpis:
        missing = unavailability(kpi, scheme, frames)
        if missing is not None:
            warnings.append(missing)
            unavailable.add(kpi.id)
            part, source = _unavailable(roster), None
            if kpi.scope == "team":
                team_figures.append(
                    _team_columns(kpi, part.select(TEAM_KEY, "actual", "target").unique(TEAM_KEY))
                )
        elif kpi.scope == "team":
            part, source, team = _team_kpi(kpi, scheme, frames, when, roster, period_targets)
            team_figures.append(team)
        else:
            part, source = _rep_kpi(kpi, scheme, frames, when, roster, period_targets, overrides)
        factor = scaling.get(kpi.id, scaling.get(kpi.of or "", 1.0) if kpi.scope == "team" else 1.0)
        if "computed" not in part.columns:
            part = part.with_columns(pl.col("actual").alias("computed"))
        parts.append(
            part.with_columns(pl.lit(kpi.id).alias("kpi"), pl.col("actual") * factor)
            .select(pl.col(name).cast(dtype) for name, dtype in KPI_COLUMNS.items())
            .with_columns(achievement(kpi))
            .with_columns(score(kpi))
        )
        if source is not None:
            sources[kpi.id] = source.drop(TEAM_KEY, strict=False)

    due = roster.filter(pl.col("due"))
    kpis = pl.concat(parts).join(due.select("rep_id", "role"), on="rep_id", how="inner")
    kpis = composite_input(scheme, kpis)
    warnings += _policy_and_warnings(scheme, kpis.filter(~pl.col("kpi").is_in(unavailable)))
    kpis, totals = composite_scores(scheme, kpis)
    reps = grade_and_rank(scheme, roster, totals, penalties)
    reps, pay, paid = compute_pay(scheme, reps, kpis)
    warnings += paid
    warnings += [
        RunWarning.of("nothing_scored", rep_id)
        for rep_id in reps.filter(pl.col("due") & pl.col("composite").is_null())["rep_id"]
    ]
    teams = team_summary(reps, team_figures)
    reconciliation, stray = _reconcile(frames["sales"], roster, when, skipped_rows)
    return Evaluation(
        period=when,
        scheme=scheme,
        reps=reps,
        kpis=kpis.drop("role").sort(
            "rep_id", pl.col("kpi").cast(pl.Enum([k.id for k in scheme.kpis]))
        ),
        teams=teams,
        sources=SourceRows(sources),
        reconciliation=reconciliation,
        warnings=tuple(_titled(scheme, w) for w in (*warnings, *stray)),
        pay=pay,
        adjustments=applied.filter(pl.col("rep_id").is_in(due["rep_id"].implode())),
    )


def _titled(scheme: Scheme, warning: RunWarning) -> RunWarning:
    """The warning with the labels of its KPI and default role beside their ids, so that the
    words name them as every other output does (销售额, 维护型) and still give the ids the
    scheme uses."""
    extra: list[tuple[str, Param]] = []
    kpi = next((k for k in scheme.kpis if k.id == warning.kpi), None)
    if kpi is not None and kpi.title != kpi.id:
        extra.append(("title", kpi.title))
    role = scheme.roles.get(str(warning.values.get("default_role", "")))
    if role is not None and role.label:
        extra.append(("default_role_title", role.label))
    if not extra:
        return warning
    return RunWarning(warning.code, (*warning.params, *extra), warning.rep_id, warning.kpi)


def issue_problem(issue: DataIssue) -> Problem:
    """A DataIssue as a Problem when no file or sheet is known (library use)."""
    return Problem(
        "",
        msg(
            "where.table_row",
            table=issue.table,
            row=issue.row,
            column=issue.column,
            value=repr(issue.value),
            reason=issue.reason,
        ),
    )


def _credit_rows(
    frames: dict[str, pl.DataFrame], roster: pl.DataFrame
) -> tuple[dict[str, pl.DataFrame], list[RunWarning]]:
    """Give surveys without a rep the customer's rep."""
    survey = frames.get("satisfaction")
    warnings: list[RunWarning] = []
    if survey is not None:
        frames["satisfaction"], warnings = _credit_surveys(survey, frames)
    return frames, warnings


class _WithTeams(Mapping[str, pl.DataFrame]):
    """The frames with every rep-level row's team (``TEAM_KEY``, null for a rep off the
    roster or without a team), for a team-scope KPI: a column added to the tables the KPI
    reads, when it reads them; the other columns are not copied."""

    def __init__(self, frames: Mapping[str, pl.DataFrame], roster: pl.DataFrame) -> None:
        teams = roster.select("rep_id", pl.col("team").replace("", None).alias(TEAM_KEY))
        self._team_of = pl.col("rep_id").replace_strict(
            teams["rep_id"], teams[TEAM_KEY], default=None, return_dtype=pl.String
        )
        self._frames = frames
        self._done: dict[str, pl.DataFrame] = {}

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._done:
            frame = self._frames[name]
            if "rep_id" in frame.columns:
                frame = frame.with_columns(self._team_of.alias(TEAM_KEY))
            self._done[name] = frame
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)


def _credit_surveys(
    survey: pl.DataFrame, frames: dict[str, pl.DataFrame]
) -> tuple[pl.DataFrame, list[RunWarning]]:
    """SPEC §2: a survey without ``rep_id`` is credited to the customer's rep — the assigned
    rep in ``customers``, else the rep of the customer's latest sales line."""
    if "rep_id" not in survey.columns:
        survey = survey.with_columns(pl.lit(None, dtype=pl.String).alias("rep_id"))
    orphans = survey.filter(pl.col("rep_id").is_null())["customer_id"].unique().implode()
    owners = (
        frames["sales"]
        .lazy()
        .filter(pl.col("customer_id").is_in(orphans))
        .sort("date", "_row")
        .group_by("customer_id")
        .agg(pl.col("rep_id").last().alias("_owner"))
        .collect()
    )
    customers = frames.get("customers")
    if customers is not None and "rep_id" in customers.columns:
        assigned = customers.select("customer_id", pl.col("rep_id").alias("_assigned"))
        owners = owners.join(assigned, on="customer_id", how="full", coalesce=True).select(
            "customer_id", pl.coalesce("_assigned", "_owner").alias("_owner")
        )
    credited = (
        survey.join(owners, on="customer_id", how="left")
        .with_columns(pl.coalesce("rep_id", "_owner").alias("rep_id"))
        .drop("_owner")
    )
    lost = credited.filter(pl.col("rep_id").is_null())
    if not lost.height:
        return credited, []
    rows = tuple(str(r) for r in lost["_row"].head(10))
    return credited, [RunWarning.of("survey_without_rep", count=lost.height, rows=rows)]


def _rep_kpi(
    kpi: Kpi,
    scheme: Scheme,
    frames: dict[str, pl.DataFrame],
    when: Period,
    roster: pl.DataFrame,
    period_targets: pl.DataFrame,
    overrides: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.LazyFrame]:
    actuals = compute_actuals(kpi, scheme, frames, when, "rep_id")
    values = _on_roster(roster.select("rep_id"), "rep_id", kpi, actuals)
    mine = overrides.filter(pl.col("kpi") == kpi.id).select("rep_id", pl.col("value"), "reason")
    part = (
        values.join(rep_targets(kpi, period_targets, roster), on="rep_id", how="left")
        .join(mine, on="rep_id", how="left")
        .with_columns(
            pl.col("value").is_not_null().alias("adjusted"),
            pl.coalesce("value", "actual").alias("actual"),
            pl.col("actual").alias("computed"),  # what the data gave, before an adjustment
            # The approved reason; the rows the data gave are in the KPI's sources.
            pl.when(pl.col("value").is_not_null())
            .then(pl.col("reason").fill_null(""))
            .alias("note"),
            pl.lit(None, dtype=pl.String).alias("reason"),
        )
    )
    return part, actuals.sources


def _team_kpi(
    kpi: Kpi,
    scheme: Scheme,
    frames: dict[str, pl.DataFrame],
    when: Period,
    roster: pl.DataFrame,
    period_targets: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.LazyFrame, pl.DataFrame]:
    """SPEC §4 scope: team — the `of` KPI over the whole team, target the members' sum;
    every member gets the team's figures. Returns the per-rep part, the members' breakdown
    (the sources) and the team figures."""
    of = scheme.kpi(kpi.of or "")
    teams = roster.select(pl.col("team").replace("", None).alias(TEAM_KEY)).drop_nulls().unique()
    by_team = compute_actuals(of, scheme, _WithTeams(frames, roster), when, TEAM_KEY)
    team_actuals = _on_roster(teams, TEAM_KEY, of, by_team)
    members = roster.select(
        "rep_id", "name", pl.col("team").replace("", None).alias(TEAM_KEY)
    ).join(rep_targets(of, period_targets, roster), on="rep_id", how="left")
    member_actuals = _on_roster(
        roster.select("rep_id"), "rep_id", of, compute_actuals(of, scheme, frames, when, "rep_id")
    )
    team_targets = members.group_by(TEAM_KEY).agg(
        pl.when(pl.col("target").is_not_null().any()).then(pl.col("target").sum()).alias("target")
    )
    team = team_actuals.join(team_targets, on=TEAM_KEY, how="left")
    part = (
        roster.select("rep_id", pl.col("team").replace("", None).alias(TEAM_KEY))
        .join(team, on=TEAM_KEY, how="left")
        .with_columns(
            pl.lit(None, dtype=pl.Int64).alias("target_row"),  # the members' targets summed
            pl.lit(False).alias("adjusted"),
            pl.when(pl.col(TEAM_KEY).is_null()).then(pl.lit("no_team")).alias("reason"),
            pl.lit(None, dtype=pl.String).alias("note"),
        )
    )
    breakdown = (
        members.join(member_actuals, on="rep_id", how="left")
        .select(
            TEAM_KEY,
            pl.col("rep_id").alias("member_id"),
            pl.col("name").alias("member_name"),
            "actual",
            "target",
        )
        .drop_nulls(TEAM_KEY)
    )
    viewers = roster.select("rep_id", pl.col("team").replace("", None).alias(TEAM_KEY)).drop_nulls(
        TEAM_KEY
    )
    sources = viewers.join(breakdown, on=TEAM_KEY).with_columns(pl.lit("period").alias("window"))
    return part, sources.sort("rep_id", "member_id").lazy(), _team_columns(kpi, team)


def _team_columns(kpi: Kpi, team: pl.DataFrame) -> pl.DataFrame:
    """A team KPI's figures as the teams frame has them: <id>_actual, _target, _achievement."""
    return (
        team.drop_nulls(TEAM_KEY)
        .with_columns(achievement(kpi))
        .select(
            pl.col(TEAM_KEY).alias("team"),
            pl.col("actual").cast(pl.Float64).alias(f"{kpi.id}_actual"),
            pl.col("target").cast(pl.Float64).alias(f"{kpi.id}_target"),
            pl.col("achievement").cast(pl.Float64).alias(f"{kpi.id}_achievement"),
        )
    )


def _unavailable(roster: pl.DataFrame) -> pl.DataFrame:
    """Every rep N/A for a KPI the inputs cannot give (its warning says why)."""
    return roster.select(
        "rep_id",
        pl.col("team").replace("", None).alias(TEAM_KEY),
        pl.lit(None, dtype=pl.Float64).alias("actual"),
        pl.lit(None, dtype=pl.Float64).alias("target"),
        pl.lit(None, dtype=pl.Int64).alias("target_row"),
        pl.lit(False).alias("adjusted"),
        pl.lit("unavailable").alias("reason"),
        pl.lit(None, dtype=pl.String).alias("note"),
    )


def _on_roster(keys: pl.DataFrame, key: str, kpi: Kpi, actuals: Actuals) -> pl.DataFrame:
    """The actual for every key; 0 for a plain SUM/COUNT without rows, else null."""
    values = keys.join(actuals.values, on=key, how="left")
    if zero_when_empty(kpi):
        values = values.with_columns(pl.col("actual").fill_null(0.0))
    return values


def composite_input(scheme: Scheme, kpis: pl.DataFrame) -> pl.DataFrame:
    """Attach each rep's role weight and the KPI's status (SPEC §4 Missing targets)."""
    weights = pl.DataFrame(
        [
            (role_id, kpi_id, float(w))
            for role_id, role in scheme.roles.items()
            for kpi_id, w in role.weights.items()
        ],
        schema={"role": pl.String, "kpi": pl.String, "weight": pl.Float64},
        orient="row",
    )
    needs_target = [k.id for k in scheme.kpis if k.needs_target]
    zero_policy = scheme.missing_target == "zero"
    kpis = kpis.join(weights, on=["role", "kpi"], how="left").with_columns(
        pl.col("weight").fill_null(0.0)
    )
    no_target = pl.col("kpi").is_in(needs_target) & ~(pl.col("target") > 0).fill_null(False)
    status = (
        pl.when(pl.col("weight") == 0)
        .then(pl.lit("informational"))
        .when(pl.col("actual").is_null())
        .then(pl.lit("no_data"))
        .when(no_target & zero_policy)
        .then(pl.lit("zero_target"))
        .when(no_target)
        .then(pl.lit("no_target"))
        .when(pl.col("adjusted"))
        .then(pl.lit("adjusted"))
        .otherwise(pl.lit("scored"))
    )
    return (
        kpis.with_columns(status.alias("status"))
        .with_columns(
            pl.when(pl.col("status") == "zero_target")
            .then(0.0)
            .otherwise(pl.col("score"))
            .alias("score"),
            # Why a KPI is N/A, as a code each output words (spmcli.report.wording).
            pl.when(pl.col("status").is_in(["no_target", "no_data"]))
            .then(pl.coalesce("reason", "status"))
            .when(pl.col("status") == "zero_target")
            .then(pl.lit("zero_target"))
            .otherwise(pl.col("reason"))
            .alias("reason"),
        )
        .drop("adjusted")
    )


def _policy_and_warnings(scheme: Scheme, kpis: pl.DataFrame) -> list[RunWarning]:
    """List every weighted N/A KPI; stop when the scheme says missing targets are errors."""
    missing = kpis.filter(pl.col("status").is_in(["no_target", "no_data", "zero_target"])).sort(
        "rep_id", "kpi"
    )
    if scheme.missing_target == "error":
        lacking = missing.filter(pl.col("status") == "no_target")
        if lacking.height:
            raise DataError(
                [
                    Problem(
                        "",
                        msg("ref.no_target", rep_id=rep_id, kpi=kpi),
                        msg("ref.add_target"),
                    )
                    for rep_id, kpi in lacking.select("rep_id", "kpi").iter_rows()
                ]
            )
    return [
        RunWarning.of(status, rep_id, kpi_id, reason=reason)
        for rep_id, kpi_id, status, reason in missing.select(
            "rep_id", "kpi", "status", "reason"
        ).iter_rows()
    ]


def _reconcile(
    sales: pl.DataFrame,
    roster: pl.DataFrame,
    when: Period,
    skipped_rows: int,
) -> tuple[Reconciliation, list[RunWarning]]:
    """SPEC §2: sales in the period = credited to reps on the roster + unassigned."""
    in_period = sales.filter(pl.col("date").is_between(when.start, when.end))
    on_roster = pl.col("rep_id").is_in(roster["rep_id"].implode())
    totals = in_period.select(
        pl.col("amount").sum().alias("all"),
        pl.col("amount").filter(on_roster).sum().alias("credited"),
        pl.col("amount").filter(~on_roster).sum().alias("unassigned"),
        (~on_roster).sum().alias("lines"),
    ).row(0, named=True)
    money = {k: Decimal(str(totals[k] or 0)) for k in ("all", "credited", "unassigned")}
    warnings = []
    if totals["lines"]:
        strays = tuple(str(r) for r in in_period.filter(~on_roster)["rep_id"].unique().sort())
        warnings.append(
            RunWarning.of(
                "unassigned_sales",
                lines=int(totals["lines"]),
                period=when.label,
                amount=money["unassigned"],
                reps=strays,
            )
        )
    reconciliation = Reconciliation(
        money["all"], money["credited"], money["unassigned"], int(totals["lines"]), skipped_rows
    )
    return reconciliation, warnings
