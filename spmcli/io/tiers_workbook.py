"""``tiers.xlsx``: the customer tiers as a sales director reads them (SPEC §5).

Sheets, in the scheme's language: Tier summary (settings, tiers with counts and value
shares, customer types), Customers (every customer with value, shares, tier, tier
before, type, potential and, with visits, the call plan), Pareto (a native chart per
group: value columns with the cumulative share as a line on a secondary axis), Value ×
potential (the 3 × 3 matrix of counts, values and strategies), Tier migration (tier
before × tier now, and the customers that moved), Call plan (per rep: tiers held,
required against made visits, A coverage), Warnings, then one sheet per rep with their
customers and visit gaps. Figures go through ``figure`` (money to the cent, shares as
``0.0%``); N/A is grey text, never 0; text stays text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from spmcli.engine.tiering import POTENTIALS, STRATEGIES, TIERS, Tiers
from spmcli.io.excel import (
    SheetWriter,
    Styles,
    atomic_workbook,
    display_width,
    number_width,
    safe_sheet_name,
)
from spmcli.report.figures import Figure, cell_number, exact_text, rate_text
from spmcli.report.labels import label
from spmcli.report.wording import word

TIERS_FILE = "tiers.xlsx"
PARETO_POINTS = 500  # columns per Pareto chart; beyond this the chart shows the top ones
# A sheet per rep up to this many reps owning customers. Beyond it the tabs are unusable and
# the workbook slow to write and open; the Customers sheet filtered by rep shows the same.
MAX_REP_SHEETS = 250
PARETO_LABELS = 60  # customer ids under the columns up to this many points
CHART_ROWS = 24  # sheet rows between two Pareto charts
LOW_COMPLIANCE, FULL_COMPLIANCE = 0.8, 1.0  # red below, green from


@dataclass(frozen=True)
class Column:
    """A column of a table sheet: header, the frame column, and how to write it.

    ``kind`` is a ``Figure`` for numbers, or ``text``, ``date``, ``yesno``, or a label
    prefix ending in ``.`` (``ctype.``) for values shown in words."""

    header: str
    key: str
    kind: str


def write_tiers_workbook(t: Tiers, path: Path) -> None:
    """Write ``tiers.xlsx`` atomically."""
    lang = t.scheme.locale
    with atomic_workbook(path) as workbook:
        styles = Styles.of(workbook)
        taken: set[str] = set()

        def sheet(title: str) -> tuple[str, SheetWriter]:
            name = safe_sheet_name(title, taken)
            return name, SheetWriter(workbook.add_worksheet(name), styles, lang, t.period.label)

        _, summary = sheet(label("sheet.tiers_summary", lang))
        customers_name, customers = sheet(label("sheet.tiers_customers", lang))
        _, pareto = sheet(label("sheet.tiers_pareto", lang))
        _, matrix = sheet(label("sheet.tiers_matrix", lang))
        _, migration = sheet(label("sheet.tiers_migration", lang))
        _, plan = sheet(label("sheet.tiers_reps", lang))
        _, warnings = sheet(label("sheet.warnings", lang))

        _summary(summary, t)
        columns = customer_columns(t)
        _table(customers, 0, columns, t.customers)
        _pareto(pareto, t, customers_name, columns)
        _matrix(matrix, t)
        _migration(migration, t)
        _plan(plan, t)
        _warnings(warnings, t)
        for rep, rows in _rep_customers(t) if _rep_sheets(t) else []:
            title = " ".join(str(part) for part in (rep["rep_id"], rep["name"]) if part)
            _, writer = sheet(title)
            _rep_sheet(writer, t, title, rows)
        for writer in (summary, customers, pareto, matrix, migration, plan, warnings):
            writer.apply_widths()


# ------------------------------------------------------------------------ cells


def _value_label(t: Tiers) -> str:
    return label(f"tiers.value_{t.settings.by}", t.scheme.locale)


def _cell(w: SheetWriter, row: int, col: int, value: Any, kind: str) -> None:
    lang = w.locale
    if kind == "text":
        w.text(row, col, None if value is None else str(value))
    elif kind == "date":
        if value is not None:
            w.date(row, col, value)
    elif kind == "yesno":
        if value is not None:
            w.text(row, col, label("tiers.yes" if value else "tiers.no", lang))
    elif kind.endswith("."):
        if value is not None:
            w.text(row, col, label(f"{kind}{value}", lang))
    else:
        w.number(row, col, value, _figure(kind))


def _column(w: SheetWriter, first: int, col: int, values: list[Any], kind: str) -> None:
    """A whole column of cells from row ``first`` down, as ``_cell`` would write each one,
    sized once: tables run to tens of thousands of rows."""
    ws, styles = w.ws, w.styles
    if kind in ("text", "yesno") or kind.endswith("."):
        if kind == "yesno":
            words = {True: label("tiers.yes", w.locale), False: label("tiers.no", w.locale)}
            texts = [None if v is None else words[bool(v)] for v in values]
        elif kind.endswith("."):
            names = {v: label(f"{kind}{v}", w.locale) for v in set(values) if v is not None}
            texts = [None if v is None else names[v] for v in values]
        else:
            texts = [None if v is None else str(v) for v in values]
        for row, text in enumerate(texts, first):
            if text:
                ws.write_string(row, col, text)
        shown = {text for text in texts if text}
        if shown:
            w.fit(col, max(display_width(text) for text in shown))
        return
    if kind == "date":
        for row, value in enumerate(values, first):
            if value is not None:
                ws.write_datetime(row, col, value, styles.date)
        w.fit(col, 10)
        return
    figure_kind = _figure(kind)
    for row, value in enumerate(values, first):
        number = cell_number(value, figure_kind)
        if number is None:
            ws.write_string(row, col, "N/A", styles.na)
            w.fit(col, 3)
            continue
        # a count that is not a whole number keeps its decimals on screen
        written = "number" if figure_kind == "count" and isinstance(number, float) else figure_kind
        ws.write_number(row, col, number, styles.numbers[written])
        w.fit(col, number_width(number, written))


def _figure(kind: str) -> Figure:
    figures: dict[str, Figure] = {
        "money": "money",
        "percent": "percent",
        "count": "count",
        "number": "number",
    }
    return figures[kind]


def _table(
    w: SheetWriter, top: int, columns: list[Column], frame: pl.DataFrame, *, filter_: bool = True
) -> int:
    """A header row at ``top`` and one row per frame row; returns the next free row."""
    w.header(top, 0, [c.header for c in columns])
    for col, column in enumerate(columns):
        _column(w, top + 1, col, frame[column.key].to_list(), column.kind)
    last = top + frame.height
    if filter_:
        w.freeze(top + 1, 0)
        w.ws.autofilter(top, 0, last, len(columns) - 1)
    return last + 1


def _title(w: SheetWriter, row: int, text: str) -> None:
    w.ws.write_string(row, 0, text, w.styles.title)


def _subtitle(w: SheetWriter, row: int, text: str) -> None:
    w.ws.write_string(row, 0, text, w.styles.key)


def _group_label(t: Tiers) -> str:
    return label(f"tiers.group_{t.settings.per}", t.scheme.locale) if t.settings.per else ""


def customer_columns(t: Tiers) -> list[Column]:
    """The Customers sheet's columns (also what the Pareto chart points at)."""
    lang = t.scheme.locale
    value = _value_label(t)
    margin = t.settings.by == "gross_margin"
    before = label("tiers.before", lang)
    columns = [Column(_group_label(t), "group", "text")] if t.settings.per else []
    columns += [
        Column(label("col.rank", lang), "rank", "count"),
        Column(label("tiers.customer_id", lang), "customer_id", "text"),
        Column(label("tiers.customer_name", lang), "name", "text"),
        Column(label("col.rep_id", lang), "rep_id", "text"),
        Column(label("tiers.rep_name", lang), "rep_name", "text"),
        Column(value, "value", "money"),
        Column(label("tiers.share", lang), "share", "percent"),
        Column(label("tiers.cum_share", lang), "cum_share", "percent"),
        Column(label("tiers.tier", lang), "tier", "text"),
    ]
    if margin:
        columns.append(Column(label("tiers.revenue", lang), "revenue", "money"))
    columns += [
        Column(before.format(what=value), "value_before", "money"),
        Column(label("tiers.tier_before", lang), "tier_before", "text"),
    ]
    if margin:
        columns.append(
            Column(before.format(what=label("tiers.revenue", lang)), "revenue_before", "money")
        )
    columns += [
        Column(label("tiers.change", lang), "change", "percent"),
        Column(label("tiers.type", lang), "type", "ctype."),
        Column(label("tiers.first_purchase", lang), "first_purchase", "date"),
        Column(label("tiers.potential", lang), "potential", "number"),
        Column(label("tiers.potential_tier", lang), "potential_tier", "potential."),
        Column(label("tiers.strategy", lang), "strategy", "strategy."),
    ]
    if t.has_visits:
        columns += _plan_columns(lang)
    return columns


def _plan_columns(lang: str) -> list[Column]:
    return [
        Column(label("tiers.required", lang), "required", "count"),
        Column(label("tiers.visits", lang), "visits", "count"),
        Column(label("tiers.gap", lang), "gap", "count"),
        Column(label("tiers.met", lang), "met", "yesno"),
    ]


# ---------------------------------------------------------------------- summary


def _summary(w: SheetWriter, t: Tiers) -> None:
    lang = w.locale
    s = t.settings
    _title(w, 0, label("tiers.title", lang).format(period=t.period.label))
    w.freeze(1, 1)
    span = f"{t.current.start.isoformat()} – {t.current.end.isoformat()}"
    before = f"{t.before.label} ({t.before.start.isoformat()} – {t.before.end.isoformat()})"
    potential = (
        label("tiers.potential_levels", lang).format(
            high=exact_text(s.potential.high, grouped=True),
            medium=exact_text(s.potential.medium, grouped=True),
        )
        if s.potential.high is not None and s.potential.medium is not None
        else label("tiers.potential_thirds", lang)
    )
    per_month = s.visits_per_month
    settings = [
        ("tiers.period", t.period.label),
        ("tiers.window", label(f"tiers.window_{s.window}", lang).format(span=span)),
        ("tiers.compared_with", before),
        ("tiers.by", label(f"tiers.by_{s.by}", lang)),
        ("tiers.thresholds", " / ".join(rate_text(x) for x in s.thresholds)),
        ("tiers.per", label(f"tiers.per_{s.per or 'none'}", lang)),
        ("tiers.potential_split", potential),
        (
            "tiers.type",
            label("tiers.types_rule", lang).format(
                growing=f"+{rate_text(s.types.growing)}", declining=rate_text(s.types.declining)
            ),
        ),
        (
            "tiers.visits_per_month",
            " / ".join(f"{getattr(per_month, tier):g}" for tier in TIERS),
        ),
        ("tiers.currency", t.scheme.currency),
    ]
    w.header(2, 0, [label("tiers.setting", lang), label("col.setting", lang)])
    row = 3
    for key, text in settings:
        w.text(row, 0, label(key, lang))
        w.text(row, 1, text)
        row += 1

    row += 1
    _subtitle(w, row, label("tiers.by_tier", lang))
    row = _tier_table(w, row + 1, t, t.summary, total=True)
    if t.groups is not None:
        row += 1
        _subtitle(w, row, _group_label(t))
        columns = [
            Column(_group_label(t), "group", "text"),
            *_tier_columns(t),
        ]
        groups = t.groups.with_columns(pl.col("group").fill_null(label("tiers.no_group", lang)))
        row = _table(w, row + 1, columns, _with_customer_share(groups, "group"), filter_=False)

    row += 1
    _subtitle(w, row, label("tiers.by_type", lang))
    columns = [
        Column(label("tiers.type", lang), "type", "ctype."),
        Column(label("tiers.customers", lang), "customers", "count"),
        Column(label("tiers.revenue", lang), "revenue", "money"),
        Column(
            label("tiers.before", lang).format(what=label("tiers.revenue", lang)),
            "revenue_before",
            "money",
        ),
    ]
    _table(w, row + 1, columns, t.types, filter_=False)


def _tier_columns(t: Tiers) -> list[Column]:
    lang = t.scheme.locale
    columns = [
        Column(label("tiers.tier", lang), "tier", "text"),
        Column(label("tiers.customers", lang), "customers", "count"),
        Column(label("tiers.customer_share", lang), "customer_share", "percent"),
        Column(_value_label(t), "value", "money"),
        Column(label("tiers.value_share", lang), "share", "percent"),
    ]
    if t.settings.by == "gross_margin":
        columns.append(Column(label("tiers.revenue", lang), "revenue", "money"))
    return columns


def _with_customer_share(frame: pl.DataFrame, group: str | None = None) -> pl.DataFrame:
    total = pl.col("customers").sum()
    share = pl.when(total > 0).then(pl.col("customers") / total)
    return frame.with_columns((share.over(group) if group else share).alias("customer_share"))


def _tier_table(w: SheetWriter, top: int, t: Tiers, frame: pl.DataFrame, *, total: bool) -> int:
    columns = _tier_columns(t)
    row = _table(w, top, columns, _with_customer_share(frame), filter_=False)
    if not total:
        return row
    sums = {
        "tier": label("value.total", w.locale),
        "customers": frame["customers"].sum(),
        "customer_share": None,
        "value": frame["value"].sum(),
        "share": None,
        "revenue": frame["revenue"].sum(),
    }
    for col, column in enumerate(columns):
        value = sums[column.key]
        if column.kind == "text":
            w.ws.write_string(row, col, str(value), w.styles.key)
        elif value is not None:
            w.number(row, col, value, _figure(column.kind), bold=True)
    return row + 1


# ----------------------------------------------------------------------- pareto


def _pareto(w: SheetWriter, t: Tiers, sheet: str, columns: list[Column]) -> None:
    """One combined chart per group: value columns and the cumulative share line on a
    secondary axis, pointing at the Customers sheet's rows of the group's positive values."""
    lang = w.locale
    keys = [c.key for c in columns]
    id_col, value_col, cum_col = (keys.index(k) for k in ("customer_id", "value", "cum_share"))
    spans = (
        t.customers.with_row_index("_position")
        .group_by("group", maintain_order=True)
        .agg(
            pl.col("_position").first().alias("first"),
            pl.col("cum_share").is_not_null().sum().alias("points"),
        )
    )
    _title(w, 0, label("tiers.pareto", lang))
    w.wide = True
    top = 2
    breaks = []
    for group, first, points in spans.iter_rows():
        if not points:
            continue
        shown = min(int(points), PARETO_POINTS)
        first_row = 1 + int(first)  # the Customers sheet's header is row 0
        last_row = first_row + shown - 1
        title = (
            label("tiers.pareto_top", lang).format(n=shown)
            if shown < points
            else label("tiers.pareto", lang)
        )
        if t.settings.per:
            title = f"{group or label('tiers.no_group', lang)} · {title}"
        categories = [sheet, first_row, id_col, last_row, id_col]
        chart = w.styles.workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": columns[value_col].header,
                "categories": categories,
                "values": [sheet, first_row, value_col, last_row, value_col],
                "fill": {"color": "#4472C4"},
                "gap": 20,
            }
        )
        line = w.styles.workbook.add_chart({"type": "line"})
        line.add_series(
            {
                "name": columns[cum_col].header,
                "categories": categories,
                "values": [sheet, first_row, cum_col, last_row, cum_col],
                "y2_axis": True,
                "line": {"color": "#C00000", "width": 2},
                "marker": {"type": "none"},
            }
        )
        chart.combine(line)
        chart.set_title({"name": title})
        chart.set_legend({"position": "bottom"})
        axis: dict[str, Any] = {"name": columns[id_col].header}
        if shown > PARETO_LABELS:
            axis["label_position"] = "none"
        else:
            axis["num_font"] = {"rotation": -45}
        chart.set_x_axis(axis)
        chart.set_y_axis(
            {
                "name": columns[value_col].header,
                "num_format": "#,##0",
                "min": 0,
                "major_gridlines": {"visible": True},
            }
        )
        line.set_y2_axis({"name": columns[cum_col].header, "num_format": "0%", "min": 0, "max": 1})
        chart.set_size({"width": 900, "height": 440})
        w.ws.insert_chart(top, 0, chart)
        top += CHART_ROWS
        breaks.append(top)  # a chart never splits across printed pages
    w.ws.set_h_pagebreaks(breaks[:-1])


# ----------------------------------------------------------------------- matrix


def _grid(
    w: SheetWriter,
    top: int,
    corner: str,
    rows: tuple[str, ...],
    row_label: Callable[[str], str],
    columns: tuple[str, ...],
    column_label: Callable[[str], str],
    cell: Callable[[str, str], Any],
    kind: str,
    *,
    totals: bool = True,
) -> int:
    """A small cross table with an optional total row and column; returns the next row."""
    heads = [corner, *(column_label(c) for c in columns)]
    if totals:
        heads.append(label("value.total", w.locale))
    w.header(top, 0, heads)
    sums_by_column: dict[str, Any] = {}
    for r, row_key in enumerate(rows, top + 1):
        w.ws.write_string(r, 0, row_label(row_key), w.styles.key)
        w.fit(0, len(row_label(row_key)) + 2)
        row_sum: Any = 0
        for c, column_key in enumerate(columns, 1):
            value = cell(row_key, column_key)
            _cell(w, r, c, value, kind)
            if totals:
                row_sum += value
                sums_by_column[column_key] = sums_by_column.get(column_key, 0) + value
        if totals:
            w.number(r, len(columns) + 1, row_sum, _figure(kind), bold=True)
    last = top + len(rows) + 1
    if totals:
        w.ws.write_string(last, 0, label("value.total", w.locale), w.styles.key)
        for c, column_key in enumerate(columns, 1):
            w.number(last, c, sums_by_column.get(column_key, 0), _figure(kind), bold=True)
        w.number(last, len(columns) + 1, sum(sums_by_column.values()), _figure(kind), bold=True)
        last += 1
    return last


def _matrix(w: SheetWriter, t: Tiers) -> None:
    lang = w.locale
    _title(w, 0, label("tiers.matrix_title", lang))
    w.freeze(1, 1)
    if t.matrix is None:
        w.text(2, 0, label("tiers.no_potential", lang))
        return
    cells = {(r["tier"], r["potential_tier"]): r for r in t.matrix.iter_rows(named=True)}

    def potential(key: str) -> str:
        return label(f"potential.{key}", lang)

    def tier(key: str) -> str:
        return key

    row = _grid(
        w, 2, label("tiers.customers", lang), TIERS, tier, POTENTIALS, potential,
        lambda a, b: cells[(a, b)]["customers"], "count",
    )  # fmt: skip
    row = _grid(
        w, row + 1, _value_label(t), TIERS, tier, POTENTIALS, potential,
        lambda a, b: cells[(a, b)]["value"], "money",
    )  # fmt: skip
    if t.settings.by == "gross_margin":
        row = _grid(
            w, row + 1, label("tiers.revenue", lang), TIERS, tier, POTENTIALS, potential,
            lambda a, b: cells[(a, b)]["revenue"], "money",
        )  # fmt: skip
    _grid(
        w, row + 1, label("tiers.strategy", lang), TIERS, tier, POTENTIALS, potential,
        lambda a, b: STRATEGIES[(a, b)], "strategy.", totals=False,
    )  # fmt: skip


# -------------------------------------------------------------------- migration


def _migration(w: SheetWriter, t: Tiers) -> None:
    lang = w.locale
    _title(w, 0, label("tiers.migration_title", lang))
    w.freeze(1, 1)
    counts = {
        (r["tier_before"], r["tier"]): r["customers"] for r in t.migration.iter_rows(named=True)
    }
    corner = f"{label('tiers.tier_before', lang)} \\ {label('tiers.tier', lang)}"
    row = _grid(
        w, 2, corner, TIERS, str, TIERS, str, lambda a, b: counts[(a, b)], "count",
    )  # fmt: skip
    movers = t.movers
    row += 1
    ups = movers.filter(pl.col("tier") < pl.col("tier_before")).height
    _subtitle(
        w,
        row,
        label("tiers.movers", lang)
        + " — "
        + label("tiers.moved", lang).format(n=movers.height, up=ups, down=movers.height - ups),
    )
    value = _value_label(t)
    columns = [
        Column(label("tiers.customer_id", lang), "customer_id", "text"),
        Column(label("tiers.customer_name", lang), "name", "text"),
        Column(label("col.rep_id", lang), "rep_id", "text"),
        Column(label("tiers.rep_name", lang), "rep_name", "text"),
        Column(label("tiers.tier_before", lang), "tier_before", "text"),
        Column(label("tiers.tier", lang), "tier", "text"),
        Column(label("tiers.before", lang).format(what=value), "value_before", "money"),
        Column(value, "value", "money"),
        Column(label("tiers.type", lang), "type", "ctype."),
    ]
    _table(w, row + 1, columns, movers, filter_=False)


# --------------------------------------------------------------------- call plan


def _plan(w: SheetWriter, t: Tiers) -> None:
    lang = w.locale
    per_month = t.settings.visits_per_month
    _title(w, 0, label("sheet.tiers_reps", lang))
    if t.has_visits:
        months = t.current.months
        w.text(
            1,
            0,
            f"{label('tiers.visits_per_month', lang)}: "
            + " / ".join(f"{getattr(per_month, tier):g}" for tier in TIERS)
            + f" × {months}",
        )
    else:
        w.text(1, 0, label("tiers.no_visits", lang))
    if not _rep_sheets(t):
        w.text(2, 0, label("tiers.no_rep_sheets", lang).format(n=MAX_REP_SHEETS))
    columns = [
        Column(label("col.rep_id", lang), "rep_id", "text"),
        Column(label("col.name", lang), "name", "text"),
        Column(label("col.team", lang), "team", "text"),
        Column(label("tiers.customers", lang), "customers", "count"),
        *(Column(tier, f"tier_{tier.lower()}", "count") for tier in TIERS),
        Column(_value_label(t), "value", "money"),
    ]
    if t.has_visits:
        columns += [
            Column(label("tiers.required", lang), "required", "count"),
            Column(label("tiers.visits", lang), "visits", "count"),
            Column(label("tiers.counted", lang), "counted", "count"),
            Column(label("tiers.compliance", lang), "compliance", "percent"),
            Column(label("tiers.a_customers", lang), "a_customers", "count"),
            Column(label("tiers.a_covered", lang), "a_covered", "count"),
            Column(label("tiers.a_coverage", lang), "a_coverage", "percent"),
            Column(label("tiers.under_visited", lang), "under_visited", "count"),
            Column(label("tiers.other_visits", lang), "other_visits", "count"),
        ]
    top = 3
    end = _table(w, top, columns, t.reps)
    keys = [c.key for c in columns]
    for key in ("compliance", "a_coverage"):
        if key in keys:
            _colour_rates(w, top + 1, end - 1, keys.index(key))


def _colour_rates(w: SheetWriter, first: int, last: int, col: int) -> None:
    """Red below 80 %, green at 100 %, on numbers only (N/A text stays grey)."""
    if last < first:
        return
    for criteria, value, fmt in (
        ("<", LOW_COMPLIANCE, w.styles.red),
        (">=", FULL_COMPLIANCE, w.styles.green),
    ):
        w.ws.conditional_format(
            first,
            col,
            last,
            col,
            {"type": "cell", "criteria": criteria, "value": value, "format": fmt},
        )


def _rep_sheets(t: Tiers) -> bool:
    """Whether the workbook has a sheet per rep (see ``MAX_REP_SHEETS``)."""
    return int((t.reps["customers"] > 0).sum()) <= MAX_REP_SHEETS


def _rep_customers(t: Tiers) -> list[tuple[dict[str, Any], pl.DataFrame]]:
    """Each rep owning customers, with those customers by tier, then value."""
    owned = t.customers.filter(pl.col("rep_id").is_not_null()).sort(
        ["rep_id", "tier", "value", "customer_id"], descending=[False, False, True, False]
    )
    by_rep = owned.partition_by("rep_id", as_dict=True, maintain_order=True)
    return [
        (rep, by_rep[(rep["rep_id"],)])
        for rep in t.reps.iter_rows(named=True)
        if (rep["rep_id"],) in by_rep
    ]


def _rep_sheet(w: SheetWriter, t: Tiers, title: str, rows: pl.DataFrame) -> None:
    lang = w.locale
    _title(w, 0, label("tiers.rep_sheet", lang).format(rep=title))
    columns = [
        Column(label("tiers.customer_id", lang), "customer_id", "text"),
        Column(label("tiers.customer_name", lang), "name", "text"),
        Column(label("tiers.tier", lang), "tier", "text"),
        Column(_value_label(t), "value", "money"),
        Column(label("tiers.tier_before", lang), "tier_before", "text"),
        Column(label("tiers.type", lang), "type", "ctype."),
        Column(label("tiers.potential_tier", lang), "potential_tier", "potential."),
        Column(label("tiers.strategy", lang), "strategy", "strategy."),
    ]
    if t.has_visits:
        columns += _plan_columns(lang)
    top = 2
    end = _table(w, top, columns, rows)
    if t.has_visits:
        gap = [c.key for c in columns].index("gap")
        if end - 1 > top:
            w.ws.conditional_format(
                top + 1, gap, end - 1, gap,
                {"type": "cell", "criteria": ">", "value": 0, "format": w.styles.red},
            )  # fmt: skip
    w.apply_widths()


# ---------------------------------------------------------------------- warnings


def _warnings(w: SheetWriter, t: Tiers) -> None:
    lang = w.locale
    w.header(0, 0, [label("col.code", lang), label("col.message", lang)])
    if not t.warnings:
        w.text(1, 0, label("value.no_warnings", lang))
        return
    for row, warning in enumerate(t.warnings, 1):
        w.text(row, 0, warning.code)
        w.text(row, 1, word(warning, lang))
