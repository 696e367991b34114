"""Huge and odd sheets (SPEC §2): each read as a person would expect, or refused saying why.

The full-size workbooks are made by ``tests/corpus/make_big.py`` for measuring; these are
their small equivalents, with the same shape where it matters to the reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from corpus.make_big import LAST_ROW, make
from test_read import SALES_HEADER
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.errors import DataError
from spmcli.io.read import MOST_CELLS, read_inputs


def test_the_last_row_excel_has_is_read_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "q3.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("sales")
    sheet.write_row(0, 0, SALES_HEADER)
    sheet.write_row(1, 0, ["2025-07-01", "R1", "H1", 100])
    sheet.write_row(LAST_ROW - 1, 0, ["2025-07-02", "R2", "H2", 200])
    book.close()
    frame = read_inputs([path]).tables["sales"].frame
    assert frame["_row"].to_list() == [2, LAST_ROW]
    assert frame["rep_id"].to_list() == ["R1", "R2"]


def test_a_stray_value_in_column_xfd_leaves_the_five_columns(tmp_path: Path) -> None:
    inputs = read_inputs([make("wide", tmp_path / "q3.xlsx", lines=50)])
    sales = inputs.tables["sales"]
    assert list(sales.headers) == ["date", "rep_id", "customer_id", "amount", "cost"]
    assert sales.frame.height == 50
    assert inputs.problems == [] and inputs.notes == []


def test_a_sheet_whose_cells_span_too_large_a_grid_is_refused(tmp_path: Path) -> None:
    lines = MOST_CELLS // 16_384  # one row more than the header: just too many cells
    path = make("wide", tmp_path / "q3.xlsx", lines=lines)
    with pytest.raises(DataError) as caught:
        read_inputs([path])
    rows = lines + 1
    assert str(caught.value) == (
        f"{path} [sales]: its cells reach A1:XFD{rows} (16,384 columns × {rows:,} rows, "
        f"{16_384 * rows:,} cells), more than the {MOST_CELLS:,} spm reads in one sheet; the "
        f"value furthest right is in XFD{rows}, the one furthest down in A{rows} — delete the "
        "columns and rows beyond the data (select them and delete them, not just their "
        "contents) and save, or split the data over several files"
    )


def test_formatting_to_the_last_row_and_column_reads_only_the_data(tmp_path: Path) -> None:
    """The sheet says its cells span A1:XFD1048576; only formatting is there."""
    path = make("formatted", tmp_path / "q3.xlsx", lines=100, to_row=5_000)
    inputs = read_inputs([path])
    assert inputs.tables["sales"].frame.height == 100
    assert inputs.tables["sales"].frame["_row"].max() == 101
    assert inputs.notes == []


def merged_workbook(path: Path, title: bool) -> Path:
    """Two header rows: '客户' merged over the id and name columns, the others merged down
    (with ``title``, a title merged across the top, above them)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("销售")
    center = book.add_format({"align": "center"})
    top = 0
    if title:
        sheet.merge_range("A1:F1", "2025 年第三季度销售明细", center)
        top = 2  # a blank row under the title
    sheet.merge_range(top, 0, top + 1, 0, "日期", center)
    sheet.merge_range(top, 1, top + 1, 1, "代表编号", center)
    sheet.merge_range(top, 2, top, 3, "客户", center)
    sheet.write_row(top + 1, 2, ["客户编号", "客户名称"])
    sheet.merge_range(top, 4, top + 1, 4, "金额", center)
    sheet.write_row(top + 2, 0, ["2025-07-01", "R1", "H1", "一院", 100])
    book.close()
    return path


def test_a_two_row_merged_header_is_refused_naming_the_merged_cells(tmp_path: Path) -> None:
    path = merged_workbook(tmp_path / "q3.xlsx", title=False)
    with pytest.raises(DataError) as caught:
        read_inputs([path])
    assert str(caught.value).startswith(
        f"{path} [销售]: the sales table has no 'customer_id' column; headers seen: 日期, "
        "代表编号, 客户, column D, 金额;"
    )
    assert (
        "— the header row has merged cells (A1:A2, B1:B2, C1:D1, E1:E2): spm reads one header "
        "row with a header for each column; unmerge them and give every column its own header;"
    ) in str(caught.value)


def test_a_merged_header_over_a_column_spm_can_do_without_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "q3.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("销售")
    sheet.write_row(0, 0, ["日期", "代表编号", "客户编号", "金额"])
    sheet.merge_range("E1:F1", "备注", book.add_format({"align": "center"}))
    sheet.write_row(1, 0, ["2025-07-01", "R1", "H1", 100, "加急", "已回访"])
    book.close()
    inputs = read_inputs([path])
    assert [n.text("en") for n in inputs.notes] == [
        f"{path} [销售]: the header row has merged cells (E1:F1); the columns under them "
        "without a header of their own were read as column F; unmerge them and give every "
        "column its own header"
    ]
    assert inputs.tables["sales"].frame.row(0)[4:6] == ("加急", "已回访")


def test_a_header_under_a_merged_title_block_is_found_and_said(tmp_path: Path) -> None:
    """The header search (the row naming most known columns among the first 30) skips a
    title; here the two header rows still cannot be read as one, and that is said."""
    path = merged_workbook(tmp_path / "q3.xlsx", title=True)
    with pytest.raises(DataError) as caught:
        read_inputs([path])
    assert "the header row has merged cells (A3:A4, B3:B4, C3:D3, E3:E4)" in str(caught.value)


def test_a_hidden_sheet_is_read_and_named(tmp_path: Path) -> None:
    path = tmp_path / "q3.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sales = book.add_worksheet("销售")
    sales.write_row(0, 0, SALES_HEADER)
    sales.write_row(1, 0, ["2025-07-01", "R1", "H1", 100])
    reps = book.add_worksheet("代表")
    reps.write_row(0, 0, ["工号", "姓名"])
    reps.write_row(1, 0, ["R1", "张三"])
    reps.hide()
    book.close()
    inputs = read_inputs([path])
    assert inputs.tables["reps"].frame["rep_id"].to_list() == ["R1"]
    assert [n.text("en") for n in inputs.notes] == [
        f"{path} [代表]: the sheet is hidden in the workbook; it was read as the reps table all "
        "the same (delete it if it is not meant to be read)"
    ]


def test_spm_check_refuses_the_sheet_with_exit_1_and_no_traceback(tmp_path: Path) -> None:
    path = make("wide", tmp_path / "q3.xlsx", lines=MOST_CELLS // 16_384)
    result = CliRunner().invoke(app, ["check", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert f"{path} [sales]: its cells reach A1:XFD4097 (16,384 columns" in result.stderr
    assert "Traceback" not in result.output
