"""Parquet read as stored (SPEC §2, issue 10.5): a typed column is taken as it is where its
type settles the value, and only the cells it does not settle are read as text, so that a
bad value is still reported with file, row, column, value and reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from spmcli.io import read, values
from spmcli.io.read import read_inputs

JULY_1 = dt.date(2025, 7, 1)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str | None]]:
    """Every cell that goes through the text parsers, by column."""
    seen: dict[str, list[str | None]] = {}
    parse = read._parse

    def recording(column: pl.Series, table: str, source: object) -> values.Parsed:
        seen.setdefault(column.name, []).extend(column.to_list())
        return parse(column, table, source)  # type: ignore[arg-type]

    monkeypatch.setattr(read, "_parse", recording)
    return seen


def sales_parquet(path: Path, **columns: pl.Series) -> Path:
    frame = pl.DataFrame(
        {
            "销售日期": pl.Series([JULY_1, dt.date(2025, 7, 2), dt.date(2025, 7, 3)]),
            "代表编号": pl.Series(["R1", "R2", "R3"]),
            "客户编号": pl.Series(["00123", "C2", "C3"]),
            "金额": pl.Series(
                [Decimal("1.50"), Decimal("-2.00"), Decimal("3")], dtype=pl.Decimal(18, 2)
            ),
            "数量": pl.Series([1, 2, 3]),
            **columns,
        }
    )
    frame.write_parquet(path)
    return path


def test_typed_columns_are_taken_as_stored(
    tmp_path: Path, parsed: dict[str, list[str | None]]
) -> None:
    path = sales_parquet(tmp_path / "sales.parquet")
    amounts = [Decimal("1.50"), Decimal("-2.00"), Decimal("3")]
    inputs = read_inputs([path])
    frame = inputs.tables["sales"].frame
    assert parsed == {}  # no column went through text
    assert frame.schema["amount"] == values.MONEY
    assert frame.schema["quantity"] == pl.Float64
    assert frame["amount"].to_list() == amounts
    assert frame["customer_id"].to_list() == ["00123", "C2", "C3"]
    assert frame["_row"].to_list() == [2, 3, 4]
    assert inputs.problems == []


def test_bad_value_in_a_typed_column_is_reported_with_row_and_column(
    tmp_path: Path, parsed: dict[str, list[str | None]]
) -> None:
    path = sales_parquet(
        tmp_path / "sales.parquet",
        销售日期=pl.Series([JULY_1, dt.date(225, 7, 2), dt.date(2025, 7, 3)]),
        金额=pl.Series([1.5, float("nan"), 2.0]),
    )
    inputs = read_inputs([path])
    shown = [(p.row, p.column, p.value) for p in inputs.problems]
    assert shown == [(3, "销售日期", "0225-07-02"), (3, "金额", "NaN")]
    assert inputs.problems[0].reason.text("en") == "is outside the years 1900–2199; check the value"
    assert inputs.problems[1].reason.text("en").startswith("is not an amount")
    # Only the date the stored type does not settle was read as text; the float
    # amounts are read as text, as a CSV's would be.
    assert parsed["date"] == ["0225-07-02"]
    assert parsed["amount"] == ["1.5", "NaN", "2.0"]
    assert inputs.tables["sales"].frame["_row"].to_list() == [2, 4]


def test_column_of_the_wrong_type_is_converted_or_reported(tmp_path: Path) -> None:
    path = sales_parquet(
        tmp_path / "sales.parquet",
        销售日期=pl.Series(["2025/7/1", "2025年7月2日", "someday"]),
        代表编号=pl.Series([1, 2, 3]),
        金额=pl.Series(["¥1,234.50", "(5.00)", "abc"]),
        数量=pl.Series([JULY_1, None, None]),
    )
    inputs = read_inputs([path])
    frame = inputs.tables["sales"].frame
    # Row 2 has a date for a quantity: reported, as the date text it is.
    assert frame.select("date", "rep_id", "amount").rows() == [(dt.date(2025, 7, 2), "2", -5)]
    shown = [(p.row, p.column, p.value) for p in inputs.problems]
    assert shown == [(2, "数量", "2025-07-01"), (4, "销售日期", "someday"), (4, "金额", "abc")]


def test_text_needing_cleaning_and_blank_rows_read_as_from_csv(tmp_path: Path) -> None:
    """The same cells as Parquet and as CSV give the same table and the same problems."""
    rows = {
        "date": ["2025-07-01", "2025-07-02", None, "2025-07-04", "2025-07-05"],
        "rep_id": [" R1", "12.0", None, "R1", "\u3000"],
        "customer_id": ["C1", "C2", "  ", "C4", "C5"],
        "amount": ["1", "2", None, "3", "4"],
        "note": ["a", "", None, "5", "6"],
    }
    typed = pl.DataFrame(rows).with_columns(
        pl.col("date").str.to_date(), pl.col("amount").cast(pl.Int64)
    )
    typed.write_parquet(tmp_path / "sales.parquet")
    (tmp_path / "csv").mkdir()
    pl.DataFrame(rows).write_csv(tmp_path / "csv" / "sales.csv")
    from_parquet = read_inputs([tmp_path / "sales.parquet"])
    from_csv = read_inputs([tmp_path / "csv" / "sales.csv"])
    assert from_parquet.tables["sales"].frame.equals(from_csv.tables["sales"].frame)
    assert from_parquet.tables["sales"].frame["rep_id"].to_list() == ["R1", "12", "R1"]
    assert [(p.row, p.column, p.value) for p in from_parquet.problems] == [
        (p.row, p.column, p.value) for p in from_csv.problems
    ]
    assert [(p.row, p.column) for p in from_parquet.problems] == [(6, "rep_id")]


def test_unknown_whole_number_column_is_a_number_unless_too_long(tmp_path: Path) -> None:
    path = sales_parquet(
        tmp_path / "sales.parquet",
        visits=pl.Series([1, 2, 3]),
        phone=pl.Series([13800000000000000, 2, 3]),
    )
    frame = read_inputs([path]).tables["sales"].frame
    assert frame.schema["visits"] == pl.Float64
    assert frame["phone"].to_list() == ["13800000000000000", "2", "3"]


def test_parse_text_keeps_a_column_it_does_not_change() -> None:
    ids = pl.Series("rep_id", ["R10", "R2", None])
    assert values.parse_text(ids).value is ids
    assert values.parse_text(pl.Series(["12.0", "R1"])).value.to_list() == ["12", "R1"]
