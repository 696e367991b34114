"""Spreadsheet error cells (#DIV/0!, #N/A, …) are reported like any bad cell (SPEC §2).

fastexcel reads an error cell as an empty one; before spm asked it where the errors were,
a #DIV/0! in cost read as no cost and quietly raised the gross margin.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xlsxwriter
from test_read import english
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.errors import RowProblem
from spmcli.io.read import read_inputs

ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!")
REASON = "is a spreadsheet error value; fix the formula in the source file"
HEADER = ["日期", "代表编号", "客户编号", "金额", "成本", "产品", "折扣"]
LINES = [
    ["2025-07-01", "R1", "H1", 1000, 600, "甲", 0.1],
    ["2025-07-02", "R1", "H2", 500, 100, "乙", 0.2],
    ["2025-07-03", "R2", "H3", 800, 400, "甲", 0.0],
]


def book(path: Path, errors: dict[str, str], other_sheet: bool = False) -> Path:
    """The sales lines with an error cell (a formula and its cached error) at each cell."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("销售")
    sheet.write_row(0, 0, HEADER)
    for r, line in enumerate(LINES, start=1):
        sheet.write_row(r, 0, line)
    for cell, error in errors.items():
        sheet.write_formula(cell, "=1/0", None, error)
    if other_sheet:  # a sheet that is no table: never read, so never reported
        notes = workbook.add_worksheet("说明")
        notes.write_formula("A1", "=1/0", None, "#REF!")
    workbook.close()
    return path


def cell(path: Path, row: int, column: str, value: str) -> RowProblem:
    return RowProblem(str(path), "销售", row, column, value, REASON)


@pytest.mark.parametrize("error", ERRORS)
def test_an_error_in_cost_is_reported_with_its_text(tmp_path: Path, error: str) -> None:
    path = book(tmp_path / "q3.xlsx", {"E3": error})
    inputs = read_inputs([path])
    assert english(inputs.problems) == [cell(path, 3, "成本", error)]
    assert inputs.skipped_rows == 1
    assert inputs.tables["sales"].frame["_row"].to_list() == [2, 4]


def test_errors_in_every_kind_of_column(tmp_path: Path) -> None:
    """Required date, id and amount, optional text, a column spm does not know: all alike."""
    path = book(
        tmp_path / "q3.xlsx",
        {"A2": "#REF!", "B3": "#N/A", "D4": "#VALUE!", "F2": "#N/A", "G3": "#DIV/0!"},
    )
    inputs = read_inputs([path])
    assert english(inputs.problems) == [
        cell(path, 2, "日期", "#REF!"),
        cell(path, 2, "产品", "#N/A"),
        cell(path, 3, "代表编号", "#N/A"),
        cell(path, 3, "折扣", "#DIV/0!"),
        cell(path, 4, "金额", "#VALUE!"),
    ]
    assert inputs.tables["sales"].frame.height == 0


def test_an_error_in_a_column_of_numbers_leaves_it_numbers(tmp_path: Path) -> None:
    inputs = read_inputs([book(tmp_path / "q3.xlsx", {"G3": "#DIV/0!"})])
    frame = inputs.tables["sales"].frame
    assert frame.schema["折扣"] == pl.Float64  # usable in a filter: 折扣 > 0.05
    assert frame["折扣"].to_list() == [0.1, 0.0]


def test_a_sheet_that_is_no_table_is_not_read_so_its_errors_are_not_reported(
    tmp_path: Path,
) -> None:
    inputs = read_inputs([book(tmp_path / "q3.xlsx", {}, other_sheet=True)])
    assert inputs.problems == []
    assert inputs.tables["sales"].frame.height == 3


def test_error_text_in_a_csv_or_parquet_text_column(tmp_path: Path) -> None:
    """Excel saves an error cell to CSV as its text: a lookup that failed, not a name."""
    folder = tmp_path / "q3"
    folder.mkdir()
    (folder / "sales.csv").write_text(
        "date,rep_id,customer_id,amount,customer_name\n"
        "2025-07-01,R1,H1,100,一院\n2025-07-01,#N/A,H2,100,#N/A\n",
        encoding="utf-8",
    )
    pl.DataFrame({"customer_id": ["H1", "H2"], "name": ["一院", "#REF!"]}).write_parquet(
        folder / "customers.parquet"
    )
    inputs = read_inputs([folder])
    where = str(folder / "sales.csv")
    assert [(p.file, p.row, p.column, p.value) for p in inputs.problems] == [
        (str(folder / "customers.parquet"), 3, "name", "#REF!"),
        (where, 3, "rep_id", "#N/A"),
        (where, 3, "customer_name", "#N/A"),
    ]
    assert inputs.tables["customers"].frame["name"].to_list() == ["一院"]


SCHEME = (
    "locale: en\n"
    "kpis:\n"
    "  - {id: sales, label: Sales, value: SUM(amount), target: 1000}\n"
    "  - {id: margin, label: Margin, value: 'SUM(amount - cost) / SUM(amount)', target: 0.5}\n"
    "roles:\n  r: {weights: {sales: 1, margin: 1}}\ndefault_role: r\n"
    "grades: [{grade: A, min: 90}, {grade: B, min: 0}]\n"
)


def run(tmp_path: Path, *options: str) -> Any:
    path = book(tmp_path / "q3.xlsx", {"E3": "#DIV/0!"})
    (tmp_path / "s.yaml").write_text(SCHEME, encoding="utf-8")
    args = [path, "--scheme", tmp_path / "s.yaml", "--out", tmp_path / "out", *options]
    return CliRunner().invoke(app, ["evaluate", *(str(a) for a in args)])


def test_evaluate_stops_on_an_error_cell(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 1
    where = f"{tmp_path / 'q3.xlsx'} [销售] row 3, column '成本'"
    assert f"{where}: '#DIV/0!' {REASON}" in result.stderr
    assert "Traceback" not in result.output


def test_skip_invalid_leaves_the_row_out_and_reconciles(tmp_path: Path) -> None:
    result = run(tmp_path, "--skip-invalid", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["reconciliation"] == {
        "sales_in_period": 1800.0,
        "credited": 1800.0,
        "unassigned": 0.0,
        "unassigned_lines": 0,
        "skipped_rows": 1,
    }
    # R1's margin is (1000 − 600) / 1000 over the line left, not 400 / 1500 as it read when
    # the error was taken for no cost (the line's amount counted, its margin not).
    reps = {rep["rep_id"]: rep for rep in data["reps"]}
    assert reps["R1"]["kpis"]["margin"]["actual"] == 0.4
    assert any("row 3" in w["message"] and "#DIV/0!" in w["message"] for w in data["warnings"])
