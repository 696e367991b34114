"""The rep workbooks' writer (``spmcli.io.xlsx``) against xlsxwriter: the same calls read
back the same through openpyxl — values, types, formats, widths, panes, filters, conditional
formats, links and print setup; table bodies as the same cells written one by one."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from spmcli.io import excel, xlsx
from spmcli.io.excel import SheetWriter, Styles
from spmcli.io.xlsx import excel_serial, table_bodies

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
    with excel.atomic_workbook(by_cell) as book:
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
    given = Styles.of(xlsx.Workbook(tmp_path / "never.xlsx"))  # only to give the formats
    styles_of = [None, None, None, None, given.date, given.datetime]
    (body,) = table_bodies(serials, "key", COLUMNS, styles_of, 0).values()
    assert body.rows == len(HOSTILE)
    with xlsx.atomic_workbook(by_body) as book:
        styles = Styles.of(book)
        ws = book.add_worksheet("s")
        ws.write_row(0, 0, COLUMNS, styles.header)
        ws.set_body(body, 0, len(COLUMNS) - 1)
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


def _build(book: Any) -> None:
    """A small rep workbook through the calls the rep workbooks make."""
    styles = Styles.of(book)
    card = SheetWriter(book.add_worksheet("考核表"), styles, "zh", "R001 & co · 2025-Q3")
    card.ws.write_string(0, 0, "标题 =1+1", styles.title)
    card.text(2, 0, "最终得分", styles.key)
    card.number(2, 1, 93.856, "score", bold=True)
    card.header(4, 0, ["指标", "实际值", "达成率", "得分", "来源"])
    for r, (actual, rate, score) in enumerate([(1234.5, 1.0325, 103.25), (None, None, 55.0)], 5):
        card.text(r, 0, f"KPI {r} <&>")
        card.number(r, 1, actual, "money")
        card.number(r, 2, rate, "achievement")
        card.number(r, 3, score, "score")
        card.ws.write_url(r, 4, "internal:'It''s data'!B3", string="It's data（筛选）")
        card.fit(4, 12)
    card.exact(8, 1, 0.123456789, "rate")
    card.integer(9, 1, 12345)
    card.date(10, 1, date(2025, 9, 30))
    card.datetime(11, 1, datetime(2025, 7, 1, 9, 30, 15))
    card.colour_scores(5, 6, [3])
    card.colour_scores(2, 2, [1])
    card.freeze(5, 1)
    card.apply_widths()
    data = SheetWriter(book.add_worksheet("It's data"), styles, "zh", "R\x07001")
    data.header(2, 0, ["日期", "金额", "备注"])
    data.date(3, 0, date(2025, 7, 1))
    data.number(3, 1, 10.0, "money")
    data.text(3, 2, " padded\tbell\x07 ")
    data.text(4, 2, "carriage\r\nreturn")
    data.ws.autofilter(2, 0, 3, 2)
    data.freeze(3, 0)
    excel.print_setup(data.ws, data.title, 3, 1, 250.0)


def _looks(path: Path) -> list[dict[str, Any]]:
    """What openpyxl sees of every sheet: cells with their formats, and the sheet's setup."""
    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                colour = c.font.color.rgb if c.font.color is not None else None
                cells[c.coordinate] = (
                    c.value, c.data_type, c.number_format, bool(c.font.b), c.font.sz,
                    bool(c.font.u), colour if isinstance(colour, str) and not c.hyperlink else None,
                    c.fill.fgColor.rgb if c.fill.fill_type else None, c.border.bottom.style,
                    c.alignment.horizontal, c.alignment.vertical, bool(c.alignment.wrap_text),
                    (c.hyperlink.location, c.hyperlink.display) if c.hyperlink else None,
                )  # fmt: skip
        rules = [
            (str(area.sqref), rule.formula, rule.dxf.font.color.rgb, rule.dxf.fill.bgColor.rgb)
            for area in ws.conditional_formatting
            for rule in area.rules
        ]
        setup = ws.page_setup
        sheets.append(
            {
                "name": ws.title,
                "cells": cells,
                "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth},
                "freeze": ws.freeze_panes,
                "filter": ws.auto_filter.ref,
                "rules": rules,
                "titles": (ws.print_title_rows, ws.print_title_cols),
                "page": (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight),
                "fit": ws.sheet_properties.pageSetUpPr.fitToPage,
                "header": (
                    ws.oddHeader.left.text,
                    ws.oddHeader.right.text,
                    ws.oddFooter.center.text,
                ),
                "dimensions": ws.dimensions,
            }
        )
    return sheets


def test_the_writer_reads_back_as_xlsxwriter_writes(tmp_path: Path) -> None:
    with excel.atomic_workbook(tmp_path / "xlsxwriter.xlsx") as book:
        _build(book)
    with xlsx.atomic_workbook(tmp_path / "spm.xlsx") as book:
        _build(book)
    ours, theirs = _looks(tmp_path / "spm.xlsx"), _looks(tmp_path / "xlsxwriter.xlsx")
    assert ours == theirs
    card, data = ours
    assert card["cells"]["A1"][:2] == ("标题 =1+1", "s")  # text, never a formula
    assert card["cells"]["E6"][-1] == ("'It''s data'!B3", "It's data（筛选）")
    assert card["rules"][0] == ("D6:D7", ["AND(ISNUMBER(D6),D6<60)"], "FF9C0006", "FFFFC7CE")
    assert (card["freeze"], data["freeze"], data["filter"]) == ("B6", "A4", "A3:C4")
    assert data["titles"] == ("$1:$3", "$A:$A") and data["page"][1] == "landscape"
    assert data["cells"]["C4"][0] == " padded\tbell_x0007_ "  # as Excel escapes a control
    assert data["cells"]["C5"][0] == "carriage_x000D_\nreturn"  # not read back as \n alone
    assert data["header"][1] == "R\x07001"  # a control character in the page header, escaped


def test_rows_go_only_into_a_workbook_with_the_formats_they_name(tmp_path: Path) -> None:
    other = xlsx.Workbook(tmp_path / "other.xlsx")
    money = other.add_format({"num_format": "#,##0.00"})
    (body,) = table_bodies(pl.DataFrame({"k": [1], "n": [2.5]}), "k", ["n"], [money], 0).values()
    assert 's="2"' in body.xml  # the link format is the workbook's first
    book = xlsx.Workbook(tmp_path / "x.xlsx")
    book.add_format({"bold": True})
    with pytest.raises(ValueError, match="another workbook's format 2"):
        book.add_worksheet("s").set_body(body, 0, 0)


def test_a_sheet_name_is_unique_ignoring_case(tmp_path: Path) -> None:
    book = xlsx.Workbook(tmp_path / "x.xlsx")
    book.add_worksheet("Sales")
    with pytest.raises(ValueError, match="two sheets"):
        book.add_worksheet("SALES")
