"""The one place that creates workbooks, and what every workbook writer shares.

* **Safe workbooks.** ``atomic_workbook`` opens an xlsxwriter workbook that never
  turns text into formulas, links or numbers (a rep called ``=HYPERLINK(...)``
  or ``+1`` stays text, SPEC §6 Reliability) and that appears at its path only
  once it is complete (``spmcli.io.files.atomic_path``).
* **Number formats** for the figures of ``spmcli.report.figures``.
* **Shared formats** (``Styles``), column widths that fit (CJK characters count
  double) and safe sheet names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from spmcli.io.files import atomic_path
from spmcli.report.figures import Figure, cell_number, exact_figure, exact_text, rate_text

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
    "default_date_format": "yyyy-mm-dd",
    "remove_timezone": True,
}

# ------------------------------------------------------------------------ workbooks


@contextmanager
def atomic_workbook(path: Path) -> Iterator[Any]:
    """An xlsxwriter ``Workbook`` that appears at ``path`` only when complete."""
    with atomic_path(path) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), WORKBOOK_OPTIONS)
        yield workbook
        workbook.close()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_SHEET_NAME = 31


def safe_sheet_name(text: str, taken: set[str]) -> str:
    """An Excel sheet name from ``text``: no ``[]:*?/\\``, at most 31 characters,
    not ``History``, not starting or ending with an apostrophe, and unique in
    ``taken`` ignoring case. The name is added to ``taken``.
    """
    base = _SHEET_FORBIDDEN.sub("_", text).strip().strip("'").strip() or "_"
    if base.casefold() == "history":
        base = f"{base}_"
    base = base[:MAX_SHEET_NAME].rstrip("'")
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix
    taken.add(name.casefold())
    return name


# ------------------------------------------------------------------------ formats

NUMBER_FORMATS: dict[Figure, str] = {
    "money": "#,##0.00",
    "achievement": "0.00%",  # as explain, letters and the JSON show it: 69.97%
    "percent": "0.0%",
    "score": "0.00",
    "weight": "0.00",
    "number": "#,##0.00",
    "count": "#,##0",
}
# Unrounded working figures (pay statement): cents always shown, further digits when present.
ExactKind = Literal["money", "number", "rate"]
EXACT_FORMATS: dict[ExactKind, str] = {
    "money": "#,##0.00######",
    "number": "#,##0.0000",  # the cell holds the exact figure; four decimals are shown
    "rate": "0.0#####%",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
HEADER_FILL = "#DDEBF7"
NA_FONT = "#808080"
RED_FILL, RED_FONT = "#FFC7CE", "#9C0006"
GREEN_FILL, GREEN_FONT = "#C6EFCE", "#006100"
LOW_SCORE, HIGH_SCORE = 60, 90  # red below, green from


@dataclass(frozen=True)
class Styles:
    """The formats of one workbook; every writer uses these and no others."""

    workbook: Any
    title: Any
    header: Any
    key: Any
    na: Any
    date: Any
    datetime: Any
    numbers: dict[Figure, Any]
    bold_numbers: dict[Figure, Any]
    exact: dict[ExactKind, Any]
    red: Any
    green: Any

    @classmethod
    def of(cls, workbook: Any) -> Styles:
        add = workbook.add_format
        return cls(
            workbook=workbook,
            title=add({"bold": True, "font_size": 14}),
            header=add(
                {
                    "bold": True,
                    "bg_color": HEADER_FILL,
                    "bottom": 1,
                    "valign": "top",
                    "text_wrap": True,
                }
            ),
            key=add({"bold": True}),
            na=add({"font_color": NA_FONT, "align": "right"}),
            date=add({"num_format": "yyyy-mm-dd"}),
            datetime=add({"num_format": DATETIME_FORMAT}),
            numbers={k: add({"num_format": f}) for k, f in NUMBER_FORMATS.items()},
            bold_numbers={
                k: add({"num_format": f, "bold": True}) for k, f in NUMBER_FORMATS.items()
            },
            exact={k: add({"num_format": f}) for k, f in EXACT_FORMATS.items()},
            red=add({"bg_color": RED_FILL, "font_color": RED_FONT}),
            green=add({"bg_color": GREEN_FILL, "font_color": GREEN_FONT}),
        )


# ------------------------------------------------------------------------- widths

MIN_WIDTH, MAX_WIDTH = 6.0, 60.0


def display_width(text: str) -> int:
    """Columns ``text`` takes on screen: wide (CJK, full-width) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def number_width(value: float | int, kind: Figure) -> int:
    """Characters a number takes in its number format."""
    if kind in ("achievement", "percent"):
        return len(f"{value * 100:.1f}%")
    if kind == "count" and isinstance(value, int):
        return len(f"{value:,}")
    if kind in ("score", "weight"):
        return len(f"{value:.2f}")
    return len(f"{value:,.2f}")


A4 = 9  # xlsxwriter's paper code
PORTRAIT_WIDTH = 100  # characters of column width that still print upright on A4
LANDSCAPE_WIDTH = 200  # beyond this, one landscape page wide is too small to read: two


def print_setup(
    ws: Any, title: str, header_rows: int, key_columns: int, width: float, *, wide: bool = False
) -> None:
    """How a finance user expects a sheet to print: A4, landscape when wide (or ``wide``: a
    chart), one page wide (two for a very wide sheet, such as every KPI's score of every rep),
    the header rows and key columns repeated on every page, and a header and footer naming
    the sheet, ``title`` (the period, the rep) and the page."""
    ws.set_paper(A4)
    if wide or width > PORTRAIT_WIDTH:
        ws.set_landscape()
    # Two pages wide only where the key columns repeat, so that the second page says who.
    ws.fit_to_pages(2 if width > LANDSCAPE_WIDTH and key_columns else 1, 0)
    if header_rows:
        ws.repeat_rows(0, header_rows - 1)
    if key_columns:
        ws.repeat_columns(0, key_columns - 1)
    ws.set_header(page_header(title))
    ws.set_footer("&C&P / &N")


HEADER_LIMIT = 255  # UTF-16 units Excel keeps of a printed page header, its codes included
HEADER_TAIL = 12  # characters kept of the end of a title cut short: ' · 2025-Q3'


def page_header(title: str) -> str:
    """The printed page header: the sheet's name left and ``title`` right. A title too long
    for Excel (a rep id or name of hundreds of characters) is cut in its middle, so that its
    end, the period, stays (xlsxwriter would drop the whole header)."""

    def size(text: str) -> int:
        return len(text.replace("&", "&&").encode("utf-16-le")) // 2

    room = HEADER_LIMIT - len("&L&A&R")
    if size(title) > room:
        tail = title[-HEADER_TAIL:]
        head = title[: room - size(tail) - 1]
        while size(head) + size(tail) + 1 > room:
            head = head[:-1]
        title = f"{head}…{tail}"
    return "&L&A&R" + title.replace("&", "&&")


class SheetWriter:
    """Writes typed cells on one worksheet and remembers how wide each column must be."""

    def __init__(self, worksheet: Any, styles: Styles, locale: str, title: str = "") -> None:
        self.ws = worksheet
        self.styles = styles
        self.locale = locale
        self.title = title  # printed in the page header
        self.widths: dict[int, float] = {}
        self.frozen = (0, 0)
        self.wide = False  # prints landscape whatever its columns (a sheet with a chart)

    def freeze(self, rows: int, columns: int = 0) -> None:
        """Freeze the top ``rows`` and the left ``columns``; printed pages repeat them."""
        self.ws.freeze_panes(rows, columns)
        self.frozen = (rows, columns)

    def fit(self, col: int, width: float) -> None:
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def text(self, row: int, col: int, value: str | None, fmt: Any = None) -> None:
        """A text cell (never a formula); ``None`` leaves the cell empty."""
        if value is None or value == "":
            return
        self.ws.write_string(row, col, value, fmt)
        self.fit(col, max(display_width(line) for line in value.split("\n")))

    def header(self, row: int, col: int, values: Iterable[str]) -> None:
        for offset, value in enumerate(values):
            self.ws.write_string(row, col + offset, value, self.styles.header)
            self.fit(col + offset, display_width(value) + 2)  # room for the filter button

    def number(
        self,
        row: int,
        col: int,
        value: object,
        kind: Figure,
        *,
        na: bool = True,
        bold: bool = False,
    ) -> None:
        """A figure rounded for writing; N/A (grey text, never 0) or empty when it has none."""
        written = cell_number(value, kind)
        if written is None:
            if na:
                self.ws.write_string(row, col, "N/A", self.styles.na)
                self.fit(col, 3)
            return
        if kind == "count" and not isinstance(written, int):
            kind = "number"  # a fractional count keeps its decimals on screen
        fmt = (self.styles.bold_numbers if bold else self.styles.numbers)[kind]
        self.ws.write_number(row, col, written, fmt)
        self.fit(col, number_width(written, kind))

    def exact(self, row: int, col: int, value: object, kind: ExactKind) -> None:
        """An unrounded working figure (``exact_figure``); N/A when it has none."""
        written = exact_figure(value)
        if written is None:
            self.ws.write_string(row, col, "N/A", self.styles.na)
            self.fit(col, 3)
            return
        self.ws.write_number(row, col, float(written), self.styles.exact[kind])
        shown = rate_text(written) if kind == "rate" else exact_text(written, 2, grouped=True)
        self.fit(col, len(shown))

    def integer(self, row: int, col: int, value: int | None) -> None:
        if value is None:
            return
        self.ws.write_number(row, col, value, self.styles.numbers["count"])
        self.fit(col, len(f"{value:,}"))

    def datetime(self, row: int, col: int, value: Any) -> None:
        self.ws.write_datetime(row, col, value, self.styles.datetime)
        self.fit(col, 19)

    def date(self, row: int, col: int, value: Any) -> None:
        self.ws.write_datetime(row, col, value, self.styles.date)
        self.fit(col, 10)

    def apply_widths(self, minimum: float = MIN_WIDTH, maximum: float = MAX_WIDTH) -> None:
        """Set every used column's width to fit its widest cell, within bounds; then the page
        setup, which depends on that width."""
        total = 0.0
        for col, width in sorted(self.widths.items()):
            shown = min(max(width + 1.5, minimum), maximum)
            self.ws.set_column(col, col, shown)
            total += shown
        print_setup(self.ws, self.title, *self.frozen, total, wide=self.wide)

    def colour_scores(self, first_row: int, last_row: int, columns: Iterable[int]) -> None:
        """Red below 60 and green from 90, on numeric cells only (N/A text stays grey)."""
        if last_row < first_row:
            return
        for col in columns:
            top = xl_rowcol_to_cell(first_row, col)
            for test, fmt in (
                (f"<{LOW_SCORE}", self.styles.red),
                (f">={HIGH_SCORE}", self.styles.green),
            ):
                self.ws.conditional_format(
                    first_row,
                    col,
                    last_row,
                    col,
                    {
                        "type": "formula",
                        "criteria": f"=AND(ISNUMBER({top}),{top}{test})",
                        "format": fmt,
                    },
                )


def cell_ref(row: int, col: int) -> str:
    """``A1``-style name of a cell (0-based row and column)."""
    ref: str = xl_rowcol_to_cell(row, col)
    return ref
