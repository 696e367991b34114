"""``reps/<rep_id>.xlsx``: one transparent evaluation workbook per rep (SPEC §5).

Each workbook has a Scorecard sheet (who, period, final score, grade and rank;
every KPI's actual, target, achievement, score, weight, effective weight,
weighted score and status, with adjustments and N/A explained; composite,
penalty and final score) and, for every KPI with source rows credited to the
rep, a sheet named after the KPI listing those rows with their Excel row
numbers, so a rep can check each figure against the data.

Speed (SPEC §6): every source frame is prepared and partitioned by rep once, not
filtered per rep; columns are written with ``write_column``; with ``workers > 1``
the reps are split round-robin over a process pool, each process receiving only
its reps' rows.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal

import polars as pl

from spmcli.engine.result import Evaluation, Period
from spmcli.io.excel import (
    MAX_WIDTH,
    SheetWriter,
    Styles,
    atomic_workbook,
    display_width,
    kpi_unit,
    safe_sheet_name,
    unique_file_stems,
)
from spmcli.io.json_result import kpi_records, pay_columns, rep_records
from spmcli.labels import LABELS, label, status_label
from spmcli.scheme.model import Kpi, Scheme

MONEY_COLUMNS = frozenset({"amount", "cost", "collected", "target_bonus"})
ROW_COLUMN = "_row"
WINDOW_COLUMN = "window"
CellFormat = Literal["money", "date", "datetime"] | None

# Characters that take two columns on screen (CJK, Hangul, full-width forms).
_WIDE = "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"  # noqa: E501


@dataclass(frozen=True)
class SourceSheet:
    """One KPI's source rows, ready to write: values cleaned, headers, formats and widths."""

    kpi: str
    sheet_name: str
    columns: list[str]
    headers: list[str]
    formats: list[CellFormat]
    widths: list[float]
    frame: pl.DataFrame


@dataclass(frozen=True)
class RepPlan:
    """One rep's workbook: the rep's row, its KPI rows and where it goes."""

    rep: dict[str, Any]
    kpis: dict[str, dict[str, Any]]
    path: Path


@dataclass(frozen=True)
class Context:
    """What every rep workbook needs besides the rep's own data."""

    scheme: Scheme
    period: Period
    locale: str
    due_total: int
    due_by_team: dict[str | None, int]
    pay: list[tuple[str, str, str]]


def write_rep_workbooks(
    ev: Evaluation, folder: Path, workers: int = 1, *, locale: str | None = None
) -> list[Path]:
    """Write one workbook per rep into ``folder``; returns their paths in rank order.

    File names are ``safe_file_stem(rep_id)`` made unique, so no rep_id can
    escape ``folder``. Each file is written atomically.
    """
    lang = locale or ev.scheme.locale
    folder.mkdir(parents=True, exist_ok=True)
    reps = rep_records(ev)
    stems = unique_file_stems(str(r["rep_id"]) for r in reps)
    kpis_of = kpi_records(ev)
    plans = [
        RepPlan(rep, kpis_of.get(rep["rep_id"], {}), folder / f"{stems[str(rep['rep_id'])]}.xlsx")
        for rep in reps
    ]
    due = [r for r in reps if r.get("due")]
    context = Context(
        scheme=ev.scheme,
        period=ev.period,
        locale=lang,
        due_total=len(due),
        due_by_team=dict(Counter(r.get("team") for r in due)),
        pay=pay_columns(ev.reps),
    )
    sources = prepare_sources(ev, lang)
    workers = max(1, min(workers, len(plans)))
    if workers == 1:
        return write_reps(context, plans, sources)
    chunks = [plans[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [
            pool.submit(write_reps, context, chunk, _only_reps(sources, chunk)) for chunk in chunks
        ]
        for future in futures:
            future.result()
    return [plan.path for plan in plans]


def _only_reps(sources: list[SourceSheet], plans: list[RepPlan]) -> list[SourceSheet]:
    """The source sheets restricted to these reps' rows, to send to one worker."""
    ids = [str(p.rep["rep_id"]) for p in plans]
    return [replace(s, frame=s.frame.filter(pl.col("rep_id").is_in(ids))) for s in sources]


# ---------------------------------------------------------------- source sheets


def _header(column: str, lang: str) -> str:
    if column == ROW_COLUMN:
        return label("col.excel_row", lang)
    return label(f"src.{column}", lang) if f"src.{column}" in LABELS else column


def _cell_format(name: str, dtype: pl.DataType) -> CellFormat:
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype.is_numeric() and (name in MONEY_COLUMNS or isinstance(dtype, pl.Decimal)):
        return "money"
    return None


EXCEL_EPOCH = date(1899, 12, 30)  # serial 0, for days from 1900-03-01 on
FIRST_SERIAL_DAY = date(1900, 3, 1)  # before it Excel's phantom 1900-02-29 shifts serials


def _clean(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Values a cell can hold, converted once for all reps: decimals as floats, NaN
    as empty, categories and nested values as text, windows in words, and dates
    as Excel serial numbers (much faster to write than date objects)."""
    fixes: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Decimal):
            fixes.append(col.cast(pl.Float64))
        elif dtype.is_float():
            fixes.append(col.fill_nan(None))
        elif dtype == pl.Date or isinstance(dtype, pl.Datetime):
            first = frame.get_column(name).min()
            if first is not None and pl.Series([first]).cast(pl.Date)[0] < FIRST_SERIAL_DAY:
                continue  # left to xlsxwriter, which knows the 1900 quirks
            if dtype == pl.Date:
                fixes.append((col - pl.lit(EXCEL_EPOCH)).dt.total_days().cast(pl.Float64))
            else:
                wall = col.dt.replace_time_zone(None).cast(pl.Datetime("us"))
                since = wall - pl.lit(datetime.combine(EXCEL_EPOCH, time()))
                fixes.append(since.dt.total_microseconds() / 86_400_000_000)
        elif isinstance(dtype, pl.Categorical | pl.Enum):
            fixes.append(col.cast(pl.String))
        elif dtype.is_nested() or dtype == pl.Object or dtype == pl.Binary:
            fixes.append(col.map_elements(str, return_dtype=pl.String))
        elif name == WINDOW_COLUMN and dtype == pl.String:
            words = {
                w: label(f"window.{w}", lang)
                for w in ("period", "prev", "yoy", "ytd", "first_purchase")
            }
            fixes.append(col.replace(words))
    return frame.with_columns(fixes) if fixes else frame


def _widths(
    frame: pl.DataFrame, columns: list[str], headers: list[str], formats: list[CellFormat]
) -> list[float]:
    """Column widths fitting every value of the whole frame (computed once, for all reps)."""
    exprs: list[pl.Expr] = []
    for name in columns:
        dtype = frame.schema[name]
        col = pl.col(name)
        if dtype == pl.String:
            exprs.append((col.str.len_chars() + col.str.count_matches(_WIDE)).max().alias(name))
        elif dtype.is_numeric():
            exprs.append(col.abs().max().alias(name))
    stats = frame.select(exprs).row(0, named=True) if exprs and frame.height else {}
    widths = []
    for name, head, fmt in zip(columns, headers, formats, strict=True):
        dtype = frame.schema[name]
        value = stats.get(name)
        if fmt == "date":
            content = 10.0
        elif fmt == "datetime":
            content = 19.0
        elif dtype == pl.String:
            content = float(value or 0)
        elif dtype.is_numeric() and value is not None:
            digits = len(f"{int(value):,}") + 1  # sign
            content = digits + (3 if fmt == "money" else 5 if dtype.is_float() else 0)
        else:
            content = 6.0
        widths.append(min(max(content, display_width(head) + 2.0) + 1.5, MAX_WIDTH))
    return widths


def prepare_sources(ev: Evaluation, lang: str) -> list[SourceSheet]:
    """Every KPI's source rows cleaned once, in scheme order, with unique sheet names."""
    taken = {label("sheet.scorecard", lang).casefold()}
    sheets = []
    for kpi in ev.scheme.kpis:
        frame = ev.sources.get(kpi.id)
        if frame is None or frame.is_empty() or "rep_id" not in frame.columns:
            continue
        # Not repeated on every row: rep_id (it is the rep's own workbook) and a window
        # that is the evaluation period for all rows (the KPI definition says so).
        only_period = WINDOW_COLUMN in frame.columns and frame.get_column(WINDOW_COLUMN).eq(
            "period"
        ).all(ignore_nulls=False)
        hidden = {ROW_COLUMN, "rep_id"} | ({WINDOW_COLUMN} if only_period else set())
        columns = ([ROW_COLUMN] if ROW_COLUMN in frame.columns else []) + [
            c for c in frame.columns if c not in hidden
        ]
        headers = [_header(c, lang) for c in columns]
        formats = [_cell_format(c, frame.schema[c]) for c in columns]
        frame = _clean(frame.select(["rep_id", *columns]), lang)
        sheets.append(
            SourceSheet(
                kpi=kpi.id,
                sheet_name=safe_sheet_name(kpi.title, taken),
                columns=columns,
                headers=headers,
                formats=formats,
                widths=_widths(frame, columns, headers, formats),
                frame=frame,
            )
        )
    return sheets


def _write_source(w: SheetWriter, sheet: SourceSheet, rows: pl.DataFrame) -> None:
    ws, styles = w.ws, w.styles
    formats = {"money": styles.numbers["money"], "date": styles.date, "datetime": styles.datetime}
    ws.write_row(0, 0, sheet.headers, styles.header)
    for c, (name, fmt) in enumerate(zip(sheet.columns, sheet.formats, strict=True)):
        ws.write_column(1, c, rows.get_column(name).to_list(), formats[fmt] if fmt else None)
        ws.set_column(c, c, sheet.widths[c])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, rows.height, len(sheet.columns) - 1)


# -------------------------------------------------------------------- scorecard


def write_reps(context: Context, plans: list[RepPlan], sources: list[SourceSheet]) -> list[Path]:
    """Write these reps' workbooks (also the work of one pool process)."""
    parts: list[dict[Any, pl.DataFrame]] = [
        s.frame.partition_by("rep_id", as_dict=True, maintain_order=True) for s in sources
    ]
    for plan in plans:
        key = (plan.rep["rep_id"],)
        with atomic_workbook(plan.path) as workbook:
            styles = Styles.of(workbook)
            lang = context.locale
            card = SheetWriter(workbook.add_worksheet(label("sheet.scorecard", lang)), styles, lang)
            _scorecard(card, context, plan)
            for sheet, by_rep in zip(sources, parts, strict=True):
                rows = by_rep.get(key)
                if rows is not None and rows.height:
                    ws = workbook.add_worksheet(sheet.sheet_name)
                    _write_source(SheetWriter(ws, styles, lang), sheet, rows)
    return [plan.path for plan in plans]


def _kpi_note(kpi_row: dict[str, Any], policy: str, lang: str) -> str:
    """Why a KPI is N/A, adjusted or informational, in words."""
    status, note = kpi_row.get("status"), kpi_row.get("note")
    if status == "adjusted":
        return label("msg.adjusted", lang).format(reason=note or "")
    if status in ("no_target", "no_data"):
        if not kpi_row.get("weight"):
            why = label("msg.na_not_scored", lang)
        elif policy == "renormalize":
            why = label("msg.na_renormalized", lang)
        else:
            why = label("msg.na_not_scored", lang)
        return f"{note}; {why}" if note else why
    if status == "informational":
        why = label("msg.informational", lang)
        return f"{note}; {why}" if note else why
    return note or ""


def _scorecard(w: SheetWriter, ctx: Context, plan: RepPlan) -> None:
    lang, rep = ctx.locale, plan.rep
    period = ctx.period
    due = bool(rep.get("due"))
    w.ws.write_string(
        0, 0, label("msg.scorecard_title", lang).format(period=period.label), w.styles.title
    )
    w.ws.write_string(1, 0, ctx.scheme.name)

    def key(row: int, name: str) -> None:
        w.text(row, 0, label(name, lang), w.styles.key)

    def rank_text(rank: int | None, total: int) -> str | None:
        return None if rank is None else label("msg.rank_of", lang).format(rank=rank, total=total)

    r = 3
    block: list[tuple[str, str | None]] = [
        ("col.rep_id", str(rep["rep_id"])),
        ("col.name", rep.get("name")),
        ("col.team", rep.get("team")),
        ("col.role", rep.get("role_label") or rep.get("role")),
        ("col.manager", rep.get("manager")),
        ("col.period", f"{period.label} ({period.start.isoformat()} – {period.end.isoformat()})"),
    ]
    for name, value in block:
        if name == "col.manager" and not value:
            continue
        key(r, name)
        w.text(r, 1, value)
        r += 1
    key(r, "col.status")
    if due:
        w.text(r, 1, status_label("evaluated", lang))
    else:
        cycle = label(f"cycle.{ctx.scheme.cycle_of(str(rep.get('role') or ''))}", lang)
        w.text(r, 1, label("msg.not_due", lang).format(cycle=cycle))
        w.apply_widths(maximum=40)
        return
    r += 1
    key(r, "col.final_score")
    w.number(r, 1, rep.get("final_score"), "score", bold=True)
    final_cell = r
    r += 1
    key(r, "col.grade")
    grade = " ".join(str(g) for g in (rep.get("grade"), rep.get("grade_label")) if g)
    w.text(r, 1, grade or None)
    r += 1
    key(r, "col.rank")
    w.text(r, 1, rank_text(rep.get("rank"), ctx.due_total))
    r += 1
    key(r, "col.team_rank")
    w.text(r, 1, rank_text(rep.get("team_rank"), ctx.due_by_team.get(rep.get("team"), 0)))
    r += 2

    headers = [
        "col.kpi",
        "col.actual",
        "col.target",
        "col.achievement",
        "col.score",
        "col.weight",
        "col.effective_weight",
        "col.weighted",
        "col.status",
        "col.note",
    ]
    w.header(r, 0, [label(h, lang) for h in headers])
    first = r + 1
    for kpi in ctx.scheme.kpis:
        row = plan.kpis.get(kpi.id)
        if row is None:
            continue
        r += 1
        _kpi_line(w, r, kpi, row, ctx)
    last = r
    weighted_col = 7
    r += 1
    key(r, "col.composite")
    w.number(r, weighted_col, rep.get("composite"), "score", bold=True)
    r += 1
    key(r, "col.penalty")
    w.number(r, weighted_col, rep.get("penalty"), "score", na=False)
    w.text(r, 9, rep.get("penalty_reason"))
    r += 1
    key(r, "col.final_score")
    w.number(r, weighted_col, rep.get("final_score"), "score", bold=True)
    w.colour_scores(first, last, [4])
    w.colour_scores(final_cell, final_cell, [1])
    w.colour_scores(r, r, [weighted_col])
    if ctx.pay:
        r += 1
        for json_key, column, name in ctx.pay:
            r += 1
            key(r, name)
            w.number(r, 1, rep.get(column), "money", bold=json_key == "total")
    w.ws.set_landscape()
    w.ws.fit_to_pages(1, 0)
    w.apply_widths()


def _kpi_line(w: SheetWriter, r: int, kpi: Kpi, row: dict[str, Any], ctx: Context) -> None:
    lang = ctx.locale
    unit = kpi_unit(ctx.scheme, kpi)
    w.text(r, 0, kpi.title)
    w.number(r, 1, row.get("actual"), unit)
    w.number(r, 2, row.get("target"), unit, na=kpi.needs_target)
    w.number(r, 3, row.get("achievement"), "achievement", na=kpi.needs_target)
    w.number(r, 4, row.get("score"), "score")
    w.number(r, 5, row.get("weight"), "weight", na=False)
    w.number(r, 6, row.get("effective_weight"), "weight", na=False)
    w.number(r, 7, row.get("weighted"), "score", na=False)
    status = row.get("status")
    w.text(r, 8, status_label(status, lang) if status else None)
    w.text(r, 9, _kpi_note(row, ctx.scheme.missing_target, lang) or None)
