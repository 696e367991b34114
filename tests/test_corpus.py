"""The corpus of malformed inputs (``tests/corpus/``, made by its ``generate.py``): each file is
refused or reported in one line that names it and says what to do, with exit 1, never a
traceback; rows that are reported can be skipped, and the totals of the others reconcile."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from corpus.generate import northwind_orders, zip_bomb
from typer.testing import CliRunner

from spmcli.cli.app import app

CORPUS = Path(__file__).parent / "corpus"
SAVE_AGAIN = "save it as .xlsx, and run again"
REFUSED = {
    "truncated.xlsx": "is damaged or cut short (the end of the file is missing, as after an "
    "interrupted copy or download): copy, download or export it again",
    "web_page.xlsx": "is really a web page (HTML) or XML file under an .xlsx name, as some "
    "systems export: open it in Excel, save it as .xlsx (Excel Workbook), and run again",
    "text.xlsx": "is really a text file (a CSV renamed, most likely), not a workbook: rename it "
    "to .csv, or open it in Excel and save it as .xlsx, and run again",
    "word.xlsx": "is a zip archive but holds no Excel workbook (a Word document renamed, for "
    f"example): open it in the program that made it, {SAVE_AGAIN}",
    "macros.xlsm": "holds macros: save it as a macro-free .xlsx (Excel Workbook) and run again",
    "links.xlsx": "links to other workbooks (external links), so its figures may be stale: "
    "break the links or paste as values, and save",
    "password.xlsx": "is a password-protected workbook, or an old .xls renamed: remove the "
    "password or save it as .xlsx, and run again",
}
BEYOND = (
    "lies beyond the header: this line has more fields than the header, most likely an unquoted "
    "separator (as in 1,000, or a comma in an address) shifted the values to the right; quote "
    "that field and export again"
)


def evaluate(*args: str | Path) -> Any:
    return CliRunner().invoke(app, ["evaluate", *(str(a) for a in args), "--lang", "en"])


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_malformed_workbook_is_refused_in_one_line(name: str, tmp_path: Path) -> None:
    path = CORPUS / name
    result = evaluate(path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}: {REFUSED[name]}\n"
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    assert zip_bomb(path) == 65 * 64 * 1024 * 1024 and path.stat().st_size < 100_000
    result = evaluate(path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: inflates to 4160 MB, which no such workbook does (a zip bomb, most "
        "likely): ask whoever sent it for the file again\n"
    )


def test_a_csv_line_with_more_fields_than_its_header_is_reported_not_shifted(
    tmp_path: Path,
) -> None:
    path, out, scheme = CORPUS / "more_fields.csv", tmp_path / "out", CORPUS / "sales.yaml"
    result = evaluate(path, "--scheme", scheme, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path} row 5, column 'column 5': '000' {BEYOND}",
        f"1 problem(s) in the data; all are listed in {out / 'errors.xlsx'}. Fix them, or run "
        "again with --skip-invalid to leave those rows out.",
    ]
    skipped = evaluate(
        path, "--scheme", scheme, "--out", out, "--skip-invalid", "--json", "--force"
    )
    assert skipped.exit_code == 0, skipped.output
    # the line is left out whole: its amount is neither read as 1 nor moved to another column
    assert json.loads(skipped.stdout, parse_float=Decimal)["reconciliation"] == {
        "sales_in_period": Decimal("4530.75"),
        "credited": Decimal("4530.75"),
        "unassigned": Decimal("0.00"),
        "unassigned_lines": 0,
        "skipped_rows": 1,
    }


def test_northwind_orders_with_unquoted_addresses(tmp_path: Path) -> None:
    """The public Northwind orders.csv has 176 lines whose address holds an unquoted comma;
    mapped as sales lines (freight as the amount), spm reports exactly those, skips exactly
    those with --skip-invalid, and the freight of the other lines adds up."""
    path, out = tmp_path / "orders.csv", tmp_path / "out"
    orders = northwind_orders(path)
    scheme = CORPUS / "northwind.yaml"
    result = evaluate(path, "--scheme", scheme, "--out", out)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {path} row 10, column 'column 15': 'Venezuela' {BEYOND}"
    assert lines[-2:] == [
        "… and 156 more (all are in the errors file)",
        f"176 problem(s) in the data; all are listed in {out / 'errors.xlsx'}. Fix them, or run "
        "again with --skip-invalid to leave those rows out.",
    ]
    errors = openpyxl.load_workbook(out / "errors.xlsx").worksheets[0]
    listed = [(row[2], row[3]) for row in errors.iter_rows(min_row=2, values_only=True)]
    assert listed == [(row, "column 15") for row in orders.rows_shifted()]

    skipped = evaluate(
        path, "--scheme", scheme, "--out", out, "--skip-invalid", "--json", "--force"
    )
    assert skipped.exit_code == 0, skipped.output
    record = json.loads(skipped.stdout, parse_float=Decimal)
    freight = orders.freight_in(1998)
    assert record["period"] == "1998"
    assert record["reconciliation"] == {
        "sales_in_period": freight,
        "credited": freight,
        "unassigned": Decimal("0.00"),
        "unassigned_lines": 0,
        "skipped_rows": 176,
    }
    # the skipped lines are listed in the warnings in the file's order (row 9 before row 10)
    rows = [
        w["params"]["problem"]["where"]["row"]
        for w in record["warnings"]
        if w["code"] == "skipped_row"
    ]
    assert rows == orders.rows_shifted()
