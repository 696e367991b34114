"""``reps/<rep_id>.xlsx``: one transparent evaluation workbook per rep (SPEC §5).

Each workbook has

* a Scorecard sheet: who, period, final score, grade and rank; every KPI's actual,
  target, achievement, score, weight, effective weight, weighted score and status,
  with adjustments and N/A explained, and a link to the sheet of its source rows;
  composite, penalty and final score; the pay, when the scheme has a ``pay`` section;
* a Pay statement sheet (with pay): every figure of the bonus, the commission tiers
  and the team pool share written out so that a rep can redo it on a calculator
  (SPEC §4 Pay);
* source sheets: the rows behind each figure, with their Excel row numbers. One sheet
  per input table holds every row of it that any KPI read, once, in file order, with a
  column per KPI (KPIs that read the same rows, such as gross margin and collection
  rate over the period's sales lines, share one) marking the rows it used with their
  window; the autofilter on it gives exactly the rows behind the figure, and the
  scorecard links to that column. Derived rows (team breakdowns, customer pairs,
  ratings with their mapped score) keep a sheet per KPI, named after it.

Speed (SPEC §6): every source frame is prepared once, not per rep; each process turns
its reps' rows into sheet XML in one polars pass (``spmcli.io.excel.table_bodies``)
rather than one xlsxwriter call per cell; with ``workers > 1`` the reps are split
round-robin over a process pool, each process receiving only its reps' rows.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

import polars as pl

from spmcli.engine.result import Evaluation
from spmcli.io.excel import (
    MAX_WIDTH,
    ExactKind,
    SheetWriter,
    Styles,
    cell_ref,
    display_width,
    print_setup,
    safe_sheet_name,
)
from spmcli.io.files import unique_file_stems
from spmcli.io.workers import process_pool
from spmcli.io.xlsx import Body, Format, Workbook, atomic_workbook, excel_serial, table_bodies
from spmcli.report.figures import (
    Figure,
    kpi_description,
    kpi_unit,
)
from spmcli.report.labels import LABELS, label, source_header, status_label
from spmcli.report.records import RepPay, kpi_records, pay_columns, pay_detail_records, rep_records
from spmcli.report.statement import Line, Section, pay_statement
from spmcli.report.wording import kpi_notes
from spmcli.scheme.model import Kpi, Scheme
from spmcli.scheme.periods import Period

MONEY_COLUMNS = frozenset({"amount", "cost", "collected", "target_bonus"})
ROW_COLUMN = "_row"
WINDOW_COLUMN = "window"
CellFormat = Literal["money", "date", "datetime"] | None

# Characters that take two columns on screen (CJK, Hangul, full-width forms).
_WIDE = "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]"  # noqa: E501


@dataclass(frozen=True)
class SourceSheet:
    """Source rows of one or more KPIs, ready to write: what they are (``lines``, the first
    one the title), values cleaned, headers, formats and widths. On a table's sheet
    ``marks`` gives the column (0-based) that marks each KPI's rows."""

    kpis: tuple[str, ...]
    sheet_name: str
    lines: list[str]
    columns: list[str]
    headers: list[str]
    formats: list[CellFormat]
    widths: list[float]
    frame: pl.DataFrame
    marks: dict[str, int] = field(default_factory=dict)

    @property
    def top(self) -> int:
        """The header row (0-based): after the lines and a blank row."""
        return len(self.lines) + 1


@dataclass(frozen=True)
class RepPlan:
    """One rep's workbook: the rep's row, its KPI rows and where it goes."""

    rep: dict[str, Any]
    kpis: dict[str, dict[str, Any]]
    notes: dict[str, str]  # KPI id -> why it is N/A, adjusted or informational
    path: Path
    pay: RepPay | None = None


@dataclass(frozen=True)
class Context:
    """What every rep workbook needs besides the rep's own data."""

    scheme: Scheme
    period: Period
    locale: str
    due_total: int
    due_by_team: dict[str | None, int]
    pay: list[tuple[str, str, str]]


CHUNK = 50  # workbooks between two progress updates when written in this process
CHUNKS_PER_WORKER = 4
MOST_PER_CHUNK = 250  # a chunk's sheet XML is made at once: bounded, a worker stays small


def write_rep_workbooks(
    ev: Evaluation,
    folder: Path,
    workers: int = 1,
    *,
    locale: str | None = None,
    advance: Callable[[int], None] | None = None,
    only: Collection[str] | None = None,
) -> list[Path]:
    """Write one workbook per rep into ``folder`` (or only the reps ``only`` names);
    returns their paths in rank order. See ``writing_rep_workbooks``."""
    with writing_rep_workbooks(
        ev, folder, workers, locale=locale, advance=advance, only=only
    ) as paths:
        return paths


@contextmanager
def writing_rep_workbooks(
    ev: Evaluation,
    folder: Path,
    workers: int = 1,
    *,
    locale: str | None = None,
    advance: Callable[[int], None] | None = None,
    only: Collection[str] | None = None,
) -> Iterator[list[Path]]:
    """Write the rep workbooks while the ``with`` block runs, in ``workers`` processes, so
    that the caller's own work (the summary, the JSON) overlaps the writing; leaving the
    block waits for the last workbook (one worker: writes them then). Yields their paths
    in rank order.

    File names are ``safe_file_stem(rep_id)`` made unique over the whole roster (the same
    whichever reps are written), so no rep_id can escape ``folder``. Each file is written
    atomically. ``advance`` counts workbooks as they are done.
    """
    lang = locale or ev.scheme.locale
    reps = rep_records(ev)
    stems = unique_file_stems(str(r["rep_id"]) for r in reps)
    wanted = [r for r in reps if only is None or r["rep_id"] in only]
    kpis_of = kpi_records(ev)
    notes: dict[str, dict[str, str]] = {}
    for (rep_id, kpi_id), note in kpi_notes(ev, lang).items():
        notes.setdefault(rep_id, {})[kpi_id] = note
    pay_of = pay_detail_records(ev) if ev.scheme.pay is not None else {}
    plans = [
        RepPlan(
            rep,
            kpis_of.get(rep["rep_id"], {}),
            notes.get(rep["rep_id"], {}),
            folder / f"{stems[str(rep['rep_id'])]}.xlsx",
            pay_of.get(rep["rep_id"]),
        )
        for rep in wanted
    ]
    paths = [plan.path for plan in plans]
    if not plans:
        yield paths
        return
    folder.mkdir(parents=True, exist_ok=True)
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
        yield paths
        for start in range(0, len(plans), CHUNK):
            chunk = plans[start : start + CHUNK]
            write_reps(context, chunk, _only_reps(sources, chunk))
            if advance:
                advance(len(chunk))
        return
    # A few chunks per process: each worker gets only its reps' source rows, and the
    # progress moves as chunks finish.
    count = max(workers * CHUNKS_PER_WORKER, -(-len(plans) // MOST_PER_CHUNK))
    chunks = [chunk for chunk in (plans[i::count] for i in range(count)) if chunk]
    # Each chunk's rows made before the first is sent, and the sheets let go: the pending
    # chunks hold one copy of the rows, not two.
    parts = [_only_reps(sources, chunk) for chunk in chunks]
    del sources
    with process_pool(workers) as pool:
        futures = [
            pool.submit(write_reps, context, chunk, part)
            for chunk, part in zip(chunks, parts, strict=True)
        ]
        del parts
        if advance is not None:
            step = advance
            sizes = {future: len(chunk) for future, chunk in zip(futures, chunks, strict=True)}

            def counted(future: Future[list[Path]]) -> None:
                step(sizes[future])

            for future in futures:
                future.add_done_callback(counted)
        yield paths
        for future in futures:
            future.result()


def _only_reps(sources: list[SourceSheet], plans: list[RepPlan]) -> list[SourceSheet]:
    """The source sheets restricted to these reps' rows, to send to one worker."""
    ids = [str(p.rep["rep_id"]) for p in plans]
    return [replace(s, frame=s.frame.filter(pl.col("rep_id").is_in(ids))) for s in sources]


# ---------------------------------------------------------------- source sheets


def _cell_format(name: str, dtype: pl.DataType) -> CellFormat:
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype.is_numeric() and (name in MONEY_COLUMNS or isinstance(dtype, pl.Decimal)):
        return "money"
    return None


def _clean(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Values a cell can hold, converted once for all reps: decimals as floats, NaN and
    infinities as empty, categories and other values as text, windows in words, and
    dates as Excel serial numbers."""
    fixes: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.Decimal):
            fixes.append(col.cast(pl.Float64))
        elif dtype.is_float():
            fixes.append(pl.when(col.is_finite()).then(col).alias(name))
        elif dtype == pl.Date or isinstance(dtype, pl.Datetime):
            fixes.append(excel_serial(col, dtype).alias(name))
        elif name == WINDOW_COLUMN and dtype == pl.String:
            fixes.append(col.replace(_window_words(lang)))
        elif not (dtype.is_numeric() or dtype in (pl.String, pl.Boolean)):
            fixes.append(col.map_elements(str, return_dtype=pl.String, skip_nulls=True))
    return frame.with_columns(fixes) if fixes else frame


def _window_words(lang: str) -> dict[str, str]:
    return {w: label(f"window.{w}", lang) for w in WINDOW_ORDER}


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


WINDOW_ORDER = ("period", "prev", "yoy", "ytd", "first_purchase")


def rows_key(kpi: Kpi, scheme: Scheme) -> tuple[str, ...] | None:
    """What decides a KPI's source rows when they are plain rows of an input table:
    the table, the filter and the window(s). KPIs with the same key read the same rows.
    None for KPIs whose rows are derived (team breakdowns, first purchases, customer
    pairs, ratings)."""
    if kpi.scope == "team":
        return None
    if kpi.kind == "aggregate":
        return (kpi.table, (kpi.where or "").strip(), kpi.window)
    if kpi.kind == "growth":
        of = next((k for k in scheme.kpis if k.id == kpi.of), None)
        if of is not None and of.kind == "aggregate" and of.scope == "rep":
            return (of.table, (of.where or "").strip(), kpi.window, kpi.vs)
    return None


def table_of(kpi: Kpi, scheme: Scheme) -> str | None:
    """The input table whose rows, as read, a KPI's source rows are: they go on that
    table's sheet. None when its rows are derived (team breakdowns, customer pairs,
    tiers, ratings with their mapped score): those keep a sheet of their own."""
    key = rows_key(kpi, scheme)
    if key is not None:
        return key[0]
    return "sales" if kpi.kind == "new_customers" else None


def source_groups(ev: Evaluation) -> list[tuple[list[Kpi], pl.DataFrame]]:
    """The KPIs with source rows, grouped so that KPIs reading the same rows share them.

    Two KPIs share when their ``rows_key`` is the same *and* their rows are equal, so
    that a shared mark (or sheet) is exactly what each of its KPIs read. Groups are in
    scheme order of their first KPI."""
    groups: list[tuple[tuple[str, ...] | None, list[Kpi], pl.DataFrame]] = []
    for kpi in ev.scheme.kpis:
        frame = ev.sources.get(kpi.id)
        if frame is None or frame.is_empty() or "rep_id" not in frame.columns:
            continue
        key = rows_key(kpi, ev.scheme)
        for group_key, members, rows in groups:
            if key is not None and group_key == key and rows.equals(frame):
                members.append(kpi)
                break
        else:
            groups.append((key, [kpi], frame))
    return [(members, rows) for _, members, rows in groups]


def _windows(frame: pl.DataFrame) -> list[str]:
    if WINDOW_COLUMN not in frame.columns:
        return []
    found = set(frame.get_column(WINDOW_COLUMN).drop_nulls().unique().to_list())
    return [w for w in WINDOW_ORDER if w in found] + sorted(found - set(WINDOW_ORDER))


def _window_text(frame: pl.DataFrame, lang: str) -> str:
    windows = _windows(frame)
    if not windows:
        return ""
    words = label("source.list_sep", lang).join(
        label(f"window.{w}", lang) if f"window.{w}" in LABELS else w for w in windows
    )
    return label("source.windows", lang).format(windows=words)


def _filter_text(kpi: Kpi, scheme: Scheme, lang: str) -> str:
    """The rows a KPI keeps, in words: its filter, else all rows, else (derived rows) what
    it computes."""
    key = rows_key(kpi, scheme)
    if key is None:
        return kpi_description(kpi, scheme, lang) or first_line(kpi.where, lang)
    return first_line(key[1], lang) or label("source.all_rows", lang)


def first_line(where: str | None, lang: str) -> str:
    text = (where or "").strip()
    return label("source.filter", lang).format(where=text) if text else ""


def _own_text(kpi: Kpi, frame: pl.DataFrame, scheme: Scheme, lang: str) -> list[str]:
    """The lines of a sheet of derived rows: what the rows are, the filter, the window(s)
    and the KPI that uses them."""
    lines = [kpi_description(kpi, scheme, lang) or kpi.title, first_line(kpi.where, lang)]
    lines += [_window_text(frame, lang), label("source.used_by", lang).format(kpis=kpi.title)]
    return [line for line in lines if line]


def _sheet(
    kpis: list[Kpi],
    name: str,
    lines: list[str],
    frame: pl.DataFrame,
    lang: str,
    taken: set[str],
    marks: dict[str, tuple[str, list[Kpi]]] | None = None,
) -> SourceSheet:
    """A source sheet from its rows: columns in order (Excel row first; no rep_id, it is
    the rep's own workbook, and no window that is the period on every row), cleaned."""
    marks = marks or {}
    only_period = WINDOW_COLUMN in frame.columns and frame.get_column(WINDOW_COLUMN).eq(
        "period"
    ).all(ignore_nulls=False)
    hidden = {ROW_COLUMN, "rep_id", *marks} | ({WINDOW_COLUMN} if only_period else set())
    columns = [
        *([ROW_COLUMN] if ROW_COLUMN in frame.columns else []),
        *(c for c in frame.columns if c not in hidden),
        *marks,
    ]
    headers = [marks[c][0] if c in marks else source_header(c, lang) for c in columns]
    formats = [_cell_format(c, frame.schema[c]) for c in columns]
    frame = _clean(frame.select(["rep_id", *columns]), lang)
    return SourceSheet(
        kpis=tuple(k.id for k in kpis),
        sheet_name=safe_sheet_name(name, taken),
        lines=lines,
        columns=columns,
        headers=headers,
        formats=formats,
        widths=_widths(frame, columns, headers, formats),
        frame=frame,
        marks={k.id: columns.index(c) for c, (_, group) in marks.items() for k in group},
    )


def _table_sheet(
    table: str,
    groups: list[tuple[list[Kpi], pl.DataFrame]],
    scheme: Scheme,
    lang: str,
    taken: set[str],
) -> SourceSheet:
    """One table's rows used by any KPI, each row once, in the order of the input file,
    with a column per group of KPIs that read the same rows marking them with their
    window: a rep filters that column to see exactly the rows behind the figure.
    ``groups`` is emptied once its rows are taken, so that they are not held twice."""
    keys = ["rep_id", ROW_COLUMN]
    # The rows are found and marked on their row numbers alone, then taken in one gather:
    # at 10 M sales lines every step made on whole rows is a copy of a few million of
    # them. The row number is enough: these are rows of one input table as read, each
    # credited to the rep_id it has.
    frames = [f.drop(WINDOW_COLUMN, strict=False) for _, f in groups]
    same = all(f.schema == frames[0].schema for f in frames)
    stacked = pl.concat(frames, how="vertical" if same else "diagonal_relaxed", rechunk=False)
    del frames
    index = (
        stacked.select(keys)
        .with_row_index("_at")
        .unique(ROW_COLUMN, keep="first", maintain_order=True)
        .sort(keys)
    )
    words = _window_words(lang)
    sep = label("source.list_sep", lang)
    kpis: list[Kpi] = []
    marks: dict[str, tuple[str, list[Kpi]]] = {}
    lines = [label(f"table.{table}", lang), label("source.marks", lang)]
    for members, frame in groups:
        column = f"_mark{len(marks)}"
        kpis += members
        header = sep.join(k.title for k in members)
        marks[column] = (header, members)
        window = pl.col(WINDOW_COLUMN) if WINDOW_COLUMN in frame.columns else pl.lit("period")
        marked = frame.select(ROW_COLUMN, window.replace(words).alias(column))
        if marked[ROW_COLUMN].n_unique() < marked.height:  # a row read in two windows names both
            marked = marked.group_by(ROW_COLUMN, maintain_order=True).agg(
                pl.col(column).unique(maintain_order=True).str.join(sep)
            )
        index = index.join(marked, on=ROW_COLUMN, how="left", maintain_order="left")
        filtered = _filter_text(members[0], scheme, lang)
        lines.append(
            label("source.column", lang).format(
                column=header, filter=filtered, windows=_window_text(frame, lang)
            )
        )
    rows = stacked.select(pl.all().gather(index["_at"])).hstack(index.select(*marks))
    # The groups' rows are all in ``rows`` now: let them go before the rows are cleaned.
    del stacked, index, frame
    groups.clear()
    return _sheet(kpis, label(f"table.{table}", lang), lines, rows, lang, taken, marks)


def prepare_sources(ev: Evaluation, lang: str) -> list[SourceSheet]:
    """Every sheet of source rows cleaned once, in scheme order, with unique sheet names:
    one per input table for the KPIs that read its rows as they are (each row written
    once, a column per KPI marking the rows it used), one per KPI of derived rows."""
    taken = {label("sheet.scorecard", lang).casefold()}
    if ev.scheme.pay is not None:
        taken.add(label("sheet.pay_statement", lang).casefold())
    tables, order = _by_table(ev)
    sheets = []
    for table, kpis, own in order:
        if table is not None:
            sheets.append(_table_sheet(table, tables[table], ev.scheme, lang, taken))
        elif own is not None:
            lines = _own_text(kpis[0], own, ev.scheme, lang)
            sheets.append(_sheet(kpis, kpis[0].title, lines, own, lang, taken))
    return sheets


def _by_table(
    ev: Evaluation,
) -> tuple[
    dict[str, list[tuple[list[Kpi], pl.DataFrame]]],
    list[tuple[str | None, list[Kpi], pl.DataFrame | None]],
]:
    """The groups of source rows by input table, and the sheets in order: a table's
    (its rows in the first mapping) or a KPI's own rows."""
    tables: dict[str, list[tuple[list[Kpi], pl.DataFrame]]] = {}
    order: list[tuple[str | None, list[Kpi], pl.DataFrame | None]] = []
    for kpis, frame in source_groups(ev):
        table = table_of(kpis[0], ev.scheme) if ROW_COLUMN in frame.columns else None
        if table is None:
            order.append((None, kpis, frame))
        else:
            if table not in tables:
                order.append((table, kpis, None))
            tables.setdefault(table, []).append((kpis, frame))
    return tables, order


def _source_formats(styles: Styles) -> dict[CellFormat, Format | None]:
    return {"money": styles.numbers["money"], "date": styles.date, "datetime": styles.datetime,
            None: None}  # fmt: skip


def _source_bodies(sheet: SourceSheet, styles: Styles) -> dict[Any, tuple[Body, list[str]]]:
    """The sheet's rows for every rep in it, as sheet XML made in one polars pass in the
    formats ``styles`` gives, and the KPIs that have rows among them (on a table's sheet,
    not every KPI has)."""
    formats = _source_formats(styles)
    bodies = table_bodies(
        sheet.frame, "rep_id", sheet.columns, [formats[f] for f in sheet.formats], sheet.top
    )
    if not sheet.marks:
        return {rep: (body, list(sheet.kpis)) for rep, body in bodies.items()}
    marked = sheet.frame.group_by("rep_id").agg(
        pl.col(sheet.columns[c]).is_not_null().any().alias(k) for k, c in sheet.marks.items()
    )
    used = {row.pop("rep_id"): [k for k, has in row.items() if has] for row in marked.to_dicts()}
    return {rep: (body, used[rep]) for rep, body in bodies.items()}


def _write_source(w: SheetWriter, sheet: SourceSheet, body: Body) -> None:
    ws, styles = w.ws, w.styles
    for r, line in enumerate(sheet.lines):
        ws.write_string(r, 0, line, styles.key if r == 0 else None)
    top = sheet.top
    ws.write_row(top, 0, sheet.headers, styles.header)
    for c, width in enumerate(sheet.widths):
        ws.set_column(c, c, width)
    ws.set_body(body, top, len(sheet.columns) - 1)
    w.freeze(top + 1, 0)
    ws.autofilter(top, 0, top + body.rows, len(sheet.columns) - 1)
    print_setup(ws, w.title, top + 1, 0, sum(sheet.widths))


# -------------------------------------------------------------------- scorecard


@dataclass(frozen=True)
class SourceLink:
    """Where the scorecard's link for a KPI goes: a sheet, the cell (the KPI's mark column
    header, or A1) and the link's text."""

    sheet: str
    cell: str
    text: str


def source_link(sheet: SourceSheet, kpi_id: str, lang: str) -> SourceLink:
    column = sheet.marks.get(kpi_id)
    if column is None:
        return SourceLink(sheet.sheet_name, "A1", sheet.sheet_name)
    text = label("source.link", lang).format(sheet=sheet.sheet_name, column=sheet.headers[column])
    return SourceLink(sheet.sheet_name, cell_ref(sheet.top, column), text)


def write_reps(context: Context, plans: list[RepPlan], sources: list[SourceSheet]) -> list[Path]:
    """Write these reps' workbooks (also the work of one pool process)."""
    # Every workbook's formats come in the same order: the rows are made once, in the
    # formats of a workbook made only to give them (each workbook checks them).
    formats = Styles.of(Workbook(Path(os.devnull)))
    parts = [(sheet, _source_bodies(sheet, formats)) for sheet in sources]
    lang = context.locale
    statement = label("sheet.pay_statement", lang)
    for plan in plans:
        rep_id = plan.rep["rep_id"]
        written = [(sheet, bodies[rep_id]) for sheet, bodies in parts if rep_id in bodies]
        links = {k: source_link(sheet, k, lang) for sheet, (_, used) in written for k in used}
        paid = plan.pay is not None and context.scheme.pay is not None
        who = " ".join(str(p) for p in (rep_id, plan.rep.get("name")) if p)
        title = f"{who} · {context.period.label}"
        with atomic_workbook(plan.path) as workbook:
            styles = Styles.of(workbook)
            scorecard = workbook.add_worksheet(label("sheet.scorecard", lang))
            card = SheetWriter(scorecard, styles, lang, title)
            _scorecard(card, context, plan, links, statement if paid else None)
            if paid:
                pay = SheetWriter(workbook.add_worksheet(statement), styles, lang, title)
                _pay_statement(pay, context, plan)
            for sheet, (body, _) in written:
                ws = workbook.add_worksheet(sheet.sheet_name)
                _write_source(SheetWriter(ws, styles, lang, title), sheet, body)
    return [plan.path for plan in plans]


def _link(w: SheetWriter, row: int, col: int, to: SourceLink, *, fit: bool = True) -> None:
    """A link to a cell of another sheet of the workbook."""
    quoted = to.sheet.replace("'", "''")
    w.ws.write_url(row, col, f"internal:'{quoted}'!{to.cell}", string=to.text)
    text = to.text
    if fit:
        w.fit(col, display_width(text))


def _scorecard(
    w: SheetWriter,
    ctx: Context,
    plan: RepPlan,
    links: dict[str, SourceLink],
    statement: str | None,
) -> None:
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
        "col.source_sheet",
    ]
    w.header(r, 0, [label(h, lang) for h in headers])
    first = r + 1
    for kpi in ctx.scheme.kpis:
        row = plan.kpis.get(kpi.id)
        if row is None:
            continue
        r += 1
        _kpi_line(w, r, kpi, row, ctx)
        w.text(r, 9, plan.notes.get(kpi.id))
        if kpi.id in links:
            _link(w, r, 10, links[kpi.id])
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
        if statement:  # on the total's row, overflowing into the empty cells beside it
            see = label("pay.see_statement", lang).format(sheet=statement)
            _link(w, r, 2, SourceLink(statement, "A1", see), fit=False)
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


# ---------------------------------------------------------------- pay statement

EXACT_KINDS: dict[str, ExactKind] = {
    "exact_money": "money",
    "exact_number": "number",
    "rate": "rate",
}


def _write_lines(w: SheetWriter, r: int, lines: list[Line]) -> int:
    """Item in column A, figure in B, working in C (long text overflows to the right)."""
    for line in lines:
        if not (line.item or line.calc or line.value is not None):
            continue
        w.text(r, 0, line.item, w.styles.key if line.bold else None)
        if line.kind == "text":
            w.text(r, 1, line.value if isinstance(line.value, str) else None)
        elif line.kind in EXACT_KINDS:
            w.exact(r, 1, line.value, EXACT_KINDS[line.kind])
        else:
            w.number(r, 1, line.value, cast(Figure, line.kind), bold=line.bold)
        if line.calc:
            w.ws.write_string(r, 2, line.calc)
        r += 1
    return r


def _pay_statement(w: SheetWriter, ctx: Context, plan: RepPlan) -> None:
    """SPEC §4 Pay, written out for one rep: bonus, commission tiers, team pool, total."""
    lang, rep = ctx.locale, plan.rep
    if plan.pay is None:
        return
    statement = pay_statement(ctx.scheme, rep, plan.kpis, plan.pay, lang)
    if statement is None:
        return
    w.ws.write_string(
        0, 0, label("pay.title", lang).format(period=ctx.period.label), w.styles.title
    )
    r = 2
    for key, value in (("col.rep_id", rep["rep_id"]), ("col.name", rep.get("name"))):
        w.text(r, 0, label(key, lang), w.styles.key)
        w.text(r, 1, str(value) if value is not None else None)
        r += 1
    w.ws.write_string(r, 0, label("pay.exact_note", lang))
    r += 2
    w.header(r, 0, [label(k, lang) for k in ("col.item", "col.setting", "col.calculation")])
    r += 1
    for section in statement.sections:
        w.text(r + 1, 0, section.title, w.styles.title)
        r = _write_lines(w, r + 2, list(section.lines))
        if section.tiers_total is not None:
            r = _tiers(w, r + 1, section, lang)
    _write_lines(w, r + 1, [statement.total])
    w.apply_widths()


TIER_HEADERS = (
    "col.tier", "col.tier_from", "col.tier_to", "col.tier_lower", "col.tier_upper",
    "col.slice", "col.rate", "col.amount", "col.calculation",
)  # fmt: skip


def _tiers(w: SheetWriter, r: int, section: Section, lang: str) -> int:
    """A commission's tier table: bounds, slice, rate, amount and working; then the total."""
    w.header(r, 0, [label(k, lang) for k in TIER_HEADERS])
    for t in section.tiers:
        r += 1
        w.integer(r, 0, t.tier)
        w.exact(r, 1, t.start, "rate")
        if t.end is not None:
            w.exact(r, 2, t.end, "rate")
        w.exact(r, 3, t.lower, "money")
        if t.upper is not None:
            w.exact(r, 4, t.upper, "money")
        w.exact(r, 5, t.slice, "money")
        w.exact(r, 6, t.rate, "rate")
        w.number(r, 7, t.amount, "money")
        if t.calc:
            w.ws.write_string(r, 8, t.calc)
    assert section.tiers_total is not None
    slices, total, calc = section.tiers_total
    r += 1
    w.text(r, 0, label("value.total", lang), w.styles.key)
    w.exact(r, 5, slices, "money")
    w.number(r, 7, total, "money", bold=True)
    w.ws.write_string(r, 8, calc)
    return r + 1
