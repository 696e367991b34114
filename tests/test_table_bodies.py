"""Table bodies (``spmcli.io.excel.table_bodies``): rows made as sheet XML in one polars pass
read back exactly as the same values written cell by cell with xlsxwriter would."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl

from spmcli.io.excel import (
    Styles,
    add_body_sheet,
    atomic_workbook,
    excel_serial,
    table_bodies,
)

HOSTILE = [
    "=1+1",
    "+SUM(A1)",
    "@x",
    "-1",
    "<b>&amp;</b>",
    " padded ",
    "tab\tand\nnewline",
    "carriage\r\nreturn",
    "bell\x07nul\x00",
    "_x0041_ stays",
    "\ufffe\uffff",
    "中文「引号」",
    "x" * 40_000,
    "",
    None,
]
FRAME = pl.DataFrame(
    {
        "key": ["a"] * len(HOSTILE),
        "text": HOSTILE,
        "number": [1.0, 2.5, -0.125, 1e20, 1.5e-7, 3661.1, None, 7.0, 0.0, -938.0, 1e-300,
                   123456789012345.6, 42.0, None, 0.5],
        "count": list(range(len(HOSTILE))),
        "flag": [True, False, None] * 5,
        "day": [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(2025, 7, 1)] * 3
        + [None, date(1899, 12, 31), date(2025, 7, 2)],
        "moment": [datetime(2025, 7, 1, 9, 30, 15), None] * 7 + [None],
    }
)  # fmt: skip
COLUMNS = ["text", "number", "count", "flag", "day", "moment"]


def _cells(path: Path) -> list[list[tuple[Any, str, str]]]:
    """Value, type and format of every cell. openpyxl undoes the escape of a literal
    ``_xHHHH_`` (``_x005F_``) in shared strings only; Excel and LibreOffice in inline
    strings too, so it is undone here for those."""
    ws = openpyxl.load_workbook(path).active

    def value(v: Any) -> Any:
        return v.replace("_x005F_", "_") if isinstance(v, str) else v

    return [[(value(c.value), c.data_type, c.number_format) for c in r] for r in ws.iter_rows()]


def test_a_body_reads_back_as_cells_written_one_by_one(tmp_path: Path) -> None:
    by_cell, by_body = tmp_path / "cells.xlsx", tmp_path / "body.xlsx"
    with atomic_workbook(by_cell) as book:
        styles = Styles.of(book)
        ws = book.add_worksheet("s")
        ws.write_row(0, 0, COLUMNS, styles.header)
        for r, row in enumerate(FRAME.select(COLUMNS).iter_rows(), start=1):
            for c, value in enumerate(row):
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    continue
                fmt = styles.date if c == 4 else styles.datetime if c == 5 else None
                if isinstance(value, datetime | date):
                    ws.write_datetime(r, c, value, fmt)
                else:  # as spm wrote source rows before: empty text is no cell
                    ws.write(r, c, value)
    serials = FRAME.with_columns(
        excel_serial(pl.col(c), FRAME.schema[c]).alias(c) for c in ("day", "moment")
    )
    (body,) = table_bodies(serials, "key", COLUMNS, [None, None, None, None, 0, 1], 0).values()
    assert body.rows == len(HOSTILE)
    with atomic_workbook(by_body) as book:
        styles = Styles.of(book)
        ws = add_body_sheet(book, "s")
        ws.write_row(0, 0, COLUMNS, styles.header)
        ws.set_body(body, 0, len(COLUMNS) - 1, [styles.date, styles.datetime])
    assert _cells(by_body) == _cells(by_cell)
    text = _cells(by_body)
    assert text[1][0] == ("=1+1", "s", "General")  # never a formula
    assert text[6][0][0] == " padded "
    assert text[10][0][0] == "_x0041_ stays"
    assert len(text[13][0][0]) == 32_767
    assert openpyxl.load_workbook(by_body).active.dimensions == f"A1:F{len(HOSTILE) + 1}"


def test_each_key_numbers_its_rows_from_the_top_given() -> None:
    frame = pl.DataFrame({"rep": ["b", "a", "b"], "n": [1, 2, 3]})
    bodies = table_bodies(frame, "rep", ["n"], [None], top=4)
    assert bodies["b"].xml == (
        '<row r="6"><c r="A6"><v>1</v></c></row><row r="7"><c r="A7"><v>3</v></c></row>'
    )
    assert bodies["a"].rows == 1 and bodies["a"].xml.startswith('<row r="6">')
