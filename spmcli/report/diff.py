"""Who moved between two runs of a period, and why (``spm diff``).

A run is read back from its folder: ``evaluation.json`` (the figures), ``run.json`` (the
scheme's text, the tables read) and ``sources/`` (each table as read). Per rep: the change
in final score, grade, rank and each pay part; its causes: the scheme lines that changed,
the KPIs whose actual, target or score changed, and the input rows added, removed or
changed behind them. Totals: the payroll and the grade distribution before and after.

Rows are matched by their values, since exports rarely carry a line id: two rows with
the same values are the same line (identical lines are matched in their order in the file);
a row whose identity (for a sales line: date, rep, customer and product) is unchanged but
whose other values differ is a changed line; everything else was added or removed. A line
that merely moved to another Excel row is no change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
import yaml

PAY = ("bonus", "commission", "team_pool", "total")
KPI_FIGURES = ("actual", "target", "achievement", "score")
# The columns that say which line a row is; the others are its values.
IDENTITY: dict[str, tuple[str, ...]] = {
    "sales": ("date", "rep_id", "customer_id", "product"),
    "visits": ("date", "rep_id", "customer_id"),
    "satisfaction": ("date", "customer_id", "rep_id"),
    "targets": ("rep_id", "kpi", "period"),
    "customers": ("customer_id",),
    "reps": ("rep_id",),
    "activities": ("date", "rep_id", "type"),
    "ratings": ("rep_id", "item", "period"),
    "adjustments": ("rep_id", "kpi"),
    "comments": ("rep_id",),
}
ROW = "_row"


@dataclass(frozen=True)
class RunView:
    """What a diff reads of one run (built by the command from the run's folder)."""

    label: str  # the folder, as given
    evaluation: Mapping[str, Any]
    scheme_text: str
    tables: Mapping[str, pl.DataFrame]
    places: Mapping[str, str]  # table -> file [sheet]


@dataclass(frozen=True)
class Change:
    """One value before and after."""

    what: str
    before: object
    after: object


@dataclass(frozen=True)
class RowChange:
    """A row added, removed or changed: where it was and is, and what it holds."""

    table: str
    kind: str  # added | removed | changed
    rep_id: str | None
    before_row: int | None
    after_row: int | None
    place: str
    values: Mapping[str, object]  # the row (the new one, or the removed one)
    changes: tuple[Change, ...]  # for a changed row: column, old → new


@dataclass(frozen=True)
class RepMove:
    rep_id: str
    name: str
    role: str
    figures: tuple[Change, ...]  # final score, grade, rank, pay parts that changed
    kpis: tuple[Change, ...]  # "<kpi>.<figure>" that changed
    scheme: tuple[Change, ...]  # scheme lines that can move this rep
    rows: tuple[RowChange, ...]  # input rows of this rep that changed
    # Teammates whose rows changed, for a move that comes through the team (team KPIs, the
    # team pool): rep id -> how many of their rows changed.
    team: Mapping[str, int]


@dataclass(frozen=True)
class RunDiff:
    before: str
    after: str
    period: Change
    scheme: tuple[Change, ...]
    rows: Mapping[str, Mapping[str, int]]  # table -> kind -> count
    reps: tuple[RepMove, ...]  # the reps whose figures changed, biggest move first
    payroll: tuple[Change, ...]
    grades: tuple[Change, ...]

    @property
    def differs(self) -> bool:
        return bool(
            self.scheme
            or any(self.rows.values())
            or self.reps
            or self.payroll
            or self.grades
            or self.period.before != self.period.after
        )


def compare_runs(a: RunView, b: RunView) -> RunDiff:
    """Everything that differs between run ``a`` (before) and ``b`` (after)."""
    scheme = scheme_changes(a.scheme_text, b.scheme_text)
    row_changes = {}
    for name in sorted(set(a.tables) | set(b.tables)):
        before, after = a.tables.get(name), b.tables.get(name)
        if before is None and after is not None:  # a table only the later run read
            before = after.clear()
        elif after is None and before is not None:
            after = before.clear()
        if before is not None and after is not None:
            was, now = a.places.get(name, name), b.places.get(name, name)
            row_changes[name] = compare_rows(name, before, after, now, was)
    counts: dict[str, dict[str, int]] = {}
    for name, found in row_changes.items():
        tally: dict[str, int] = {}
        for change in found:
            tally[change.kind] = tally.get(change.kind, 0) + 1
        counts[name] = tally
    reps_a = {r["rep_id"]: r for r in a.evaluation["reps"]}
    reps_b = {r["rep_id"]: r for r in b.evaluation["reps"]}
    changed_by: dict[str, int] = {}
    for changes in row_changes.values():
        for change in changes:
            if change.rep_id is not None:
                changed_by[change.rep_id] = changed_by.get(change.rep_id, 0) + 1
    teams = {r["rep_id"]: r.get("team") for r in [*reps_a.values(), *reps_b.values()]}
    moves = []
    for rep_id in sorted(set(reps_a) | set(reps_b)):
        before, after = reps_a.get(rep_id, {}), reps_b.get(rep_id, {})
        figures = _rep_figures(before, after)
        if not figures:
            continue
        rows = tuple(
            change
            for changes in row_changes.values()
            for change in changes
            if change.rep_id == rep_id
        )
        role = str(after.get("role") or before.get("role") or "")
        moves.append(
            RepMove(
                rep_id=rep_id,
                name=str(after.get("name") or before.get("name") or ""),
                role=role,
                figures=figures,
                kpis=_kpi_changes(before, after),
                scheme=tuple(c for c in scheme if _concerns(c.what, role, figures, before, after)),
                rows=rows,
                team={
                    mate: n
                    for mate, n in changed_by.items()
                    if mate != rep_id and teams.get(rep_id) and teams.get(mate) == teams.get(rep_id)
                },
            )
        )
    moves.sort(key=lambda m: (*(-size for size in _moved(m)), m.rep_id))
    return RunDiff(
        before=a.label,
        after=b.label,
        period=Change("period", a.evaluation.get("period"), b.evaluation.get("period")),
        scheme=scheme,
        rows=counts,
        reps=tuple(moves),
        payroll=tuple(
            _changes(
                a.evaluation.get("pay_totals") or {}, b.evaluation.get("pay_totals") or {}, PAY
            )
        ),
        grades=_grade_changes(a.evaluation, b.evaluation),
    )


# ------------------------------------------------------------------------ the scheme


def scheme_changes(before: str, after: str) -> tuple[Change, ...]:
    """Each scheme value that differs, by key path (``roles.farmer.weights.sales``); KPIs
    and grades are named by id and grade rather than by position."""
    old, new = _flat(yaml.safe_load(before) or {}), _flat(yaml.safe_load(after) or {})
    return tuple(
        Change(path, old.get(path), new.get(path))
        for path in sorted(set(old) | set(new), key=_path_order(old, new))
        if old.get(path) != new.get(path)
    )


def _path_order(old: Mapping[str, object], new: Mapping[str, object]) -> Any:
    order = {path: i for i, path in enumerate([*old, *(p for p in new if p not in old)])}
    return lambda path: order[path]


def _flat(value: object, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        flat: dict[str, object] = {}
        for key, item in value.items():
            flat.update(_flat(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
        flat = {}
        for index, item in enumerate(value):
            name = item.get("id") or item.get("grade") or index
            flat.update(_flat(item, f"{prefix}[{name}]"))
        return flat
    return {prefix: value}


_LABEL = re.compile(r"\.label(\.|$)")  # kpis[sales].label, roles.farmer.label.en


def _concerns(
    path: str,
    role: str,
    figures: Sequence[Change],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> bool:
    """Whether a scheme change moved this rep: their role's weights or a KPI they are
    scored on when their score moved, pay rules when their pay did; grades and other
    scheme-wide rules always (another role's weights never)."""
    moved = {c.what for c in figures}
    if _LABEL.search(path):
        return False  # a KPI's, role's or grade's label moves no figure
    if path.startswith("pay."):
        return bool(moved & set(PAY))
    if path.startswith(("roles.", "kpis[")) and "final_score" not in moved:
        return False
    if path.startswith("roles."):
        return path.startswith(f"roles.{role}.")
    if path.startswith("kpis["):
        kpi = path[len("kpis[") : path.index("]")]
        weights = [r.get("kpis", {}).get(kpi, {}).get("weight") for r in (before, after)]
        return any(w not in (None, 0) for w in weights)
    return not path.startswith(("name", "tiering", "feedback", "sources", "locale"))


# ------------------------------------------------------------------------ the rows


def compare_rows(
    table: str, before: pl.DataFrame, after: pl.DataFrame, place: str, was: str | None = None
) -> list[RowChange]:
    """The rows of ``table`` added, removed or changed between two reads (see the module);
    ``place`` is where the later read found the table, ``was`` the earlier (for a row that
    was removed)."""
    columns = [c for c in after.columns if c != ROW and c in before.columns]
    old, new = _as_text(before, columns), _as_text(after, columns)
    occurrence = pl.int_range(pl.len()).over(columns).alias("_n")
    old, new = old.with_columns(occurrence), new.with_columns(occurrence)
    keys = [*columns, "_n"]
    gone = old.join(new, on=keys, how="anti", nulls_equal=True).drop("_n")
    came = new.join(old, on=keys, how="anti", nulls_equal=True).drop("_n")
    identity = [c for c in IDENTITY.get(table, ()) if c in columns]
    changes: list[RowChange] = []
    if identity:
        nth = pl.int_range(pl.len()).over(identity).alias("_n")
        gone, came = gone.with_columns(nth), came.with_columns(nth)
        pairs = gone.join(
            came, on=[*identity, "_n"], how="inner", suffix="_after", nulls_equal=True
        )
        for row in pairs.iter_rows(named=True):
            differ = tuple(
                Change(c, row[c], row[f"{c}_after"])
                for c in columns
                if c not in identity and row[c] != row[f"{c}_after"]
            )
            values = {c: row[f"{c}_after"] if c not in identity else row[c] for c in columns}
            changes.append(
                RowChange(
                    table,
                    "changed",
                    values.get("rep_id"),
                    row[ROW],
                    row[f"{ROW}_after"],
                    place,
                    values,
                    differ,
                )
            )
        paired = pairs.select(*identity, "_n")
        gone, came = (
            side.join(paired, on=[*identity, "_n"], how="anti", nulls_equal=True).drop("_n")
            for side in (gone, came)
        )
    for kind, frame in (("removed", gone), ("added", came)):
        for row in frame.iter_rows(named=True):
            values = {c: row[c] for c in columns}
            before_row, after_row = (row[ROW], None) if kind == "removed" else (None, row[ROW])
            where = (was or place) if kind == "removed" else place
            changes.append(
                RowChange(table, kind, row.get("rep_id"), before_row, after_row, where, values, ())
            )
    return sorted(changes, key=lambda c: (c.after_row or c.before_row or 0, c.kind))


def _as_text(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """The compared columns as text, so that two reads compare by what the cells said
    (a number read as 1200 and as 1200.0 is the same value)."""
    texts = []
    for column in columns:
        expr = pl.col(column)
        dtype = frame.schema[column]
        if dtype.is_numeric():  # one scale for every number type: 1200 = 1200.0
            expr = expr.cast(pl.Decimal(38, 6), strict=False)  # NaN or inf: no value
        texts.append(expr.cast(pl.String).alias(column))
    return frame.select(*texts, pl.col(ROW))


# ------------------------------------------------------------------------ the figures


def _rep_figures(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Change, ...]:
    changes = [
        Change(key, before.get(key), after.get(key))
        for key in ("final_score", "grade", "rank")
        if before.get(key) != after.get(key)
    ]
    changes += _changes(before.get("pay") or {}, after.get("pay") or {}, PAY)
    return tuple(changes)


def _kpi_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Change, ...]:
    old, new = before.get("kpis", {}), after.get("kpis", {})
    return tuple(
        Change(f"{kpi}.{figure}", old.get(kpi, {}).get(figure), new.get(kpi, {}).get(figure))
        for kpi in [*old, *(k for k in new if k not in old)]
        for figure in KPI_FIGURES
        if old.get(kpi, {}).get(figure) != new.get(kpi, {}).get(figure)
    )


def _changes(
    before: Mapping[str, Any], after: Mapping[str, Any], keys: Sequence[str]
) -> list[Change]:
    return [Change(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def _grade_changes(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[Change, ...]:
    def counts(record: Mapping[str, Any]) -> dict[str, int]:
        return {g["grade"]: g["count"] for g in record.get("grades", {}).get("grades", [])}

    old, new = counts(a), counts(b)
    return tuple(
        Change(grade, old.get(grade, 0), new.get(grade, 0))
        for grade in [*old, *(g for g in new if g not in old)]
        if old.get(grade, 0) != new.get(grade, 0)
    )


def _moved(move: RepMove) -> tuple[Decimal, Decimal]:
    """How far a rep moved: the change in final score, then in total pay."""
    found = {c.what: c for c in move.figures}

    def size(key: str) -> Decimal:
        change = found.get(key)
        if change is None:
            return Decimal(0)
        before, after = change.before, change.after
        if isinstance(before, Decimal) and isinstance(after, Decimal):
            return abs(after - before)
        return Decimal(0)

    return size("final_score"), size("total")
