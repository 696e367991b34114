"""Value parsing (SPEC §2): every accepted form gives an exact value, every other a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spmcli.io import values


def cells(*texts: str | None) -> pl.Series:
    """A column as the reader hands it to the parsers: cleaned text."""
    raw = pl.Series("cell", list(texts), dtype=pl.String)
    return pl.select(values.clean(pl.lit(raw))).to_series()


def worded(code: str | None, table: str = "sales", date_format: str | None = None) -> str | None:
    """An error code as the reader words it in English."""
    if code is None:
        return None
    return values.reason(code, table=table, column="cell", date_format=date_format).text("en")


def one(parsed: values.Parsed) -> tuple[object, str | None]:
    return parsed.value[0], worded(parsed.error[0])


# --- money -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", "1234.5"),
        ("-1234.56", "-1234.56"),
        ("1,234.50", "1234.5"),
        ("1,234,567.89", "1234567.89"),
        ("¥1,234.50", "1234.5"),
        ("￥1,234.50", "1234.5"),
        ("$1,234.50", "1234.5"),
        ("€12", "12"),
        ("CNY 100", "100"),
        ("RMB1,000", "1000"),
        ("rmb -5", "-5"),
        ("100元", "100"),
        ("1 234.50", "1234.5"),
        ("  42  ", "42"),
        ("(1,234.00)", "-1234"),
        ("¥(1,234.00)", "-1234"),
        ("-¥1,234", "-1234"),
        ("1,234.00-", "-1234"),
        ("１２３．５", "123.5"),
        ("－１，２３４", "-1234"),
        ("−7", "-7"),
        ("+3", "3"),
        (".5", "0.5"),
        ("1.5E+03", "1500"),
        ("0.30000000000000004", "0.3"),
        ("12345678901234567.89", "12345678901234600"),
        ("99999999999.990005493", "99999999999.99"),
        ("0.1234564", "0.123456"),
    ],
)
def test_money_forms(text: str, expected: str) -> None:
    value, error = one(values.parse_money(cells(text)))
    assert error is None
    assert value == Decimal(expected)


def test_money_is_decimal_38_6() -> None:
    parsed = values.parse_money(cells("1", "¥2"))
    assert parsed.value.dtype == pl.Decimal(38, 6)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12%", "is a percentage, not an amount; write the amount itself, e.g. 1234.56"),
        ("abc", "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56"),
        ("1,23", "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56"),
        ("(5", "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56"),
        ("--5", "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56"),
        ("(-5)", "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56"),
        ("inf", "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56"),
        ("#N/A", "is a spreadsheet error value; fix the formula in the source file"),
        ("1e40", "is too large for an amount"),
    ],
)
def test_money_errors(text: str, reason: str) -> None:
    assert one(values.parse_money(cells(text))) == (None, reason)


def test_empty_money_is_null_without_error() -> None:
    parsed = values.parse_money(cells(None, "", "   ", "\u3000"))
    assert parsed.value.to_list() == [None] * 4
    assert parsed.error.to_list() == [None] * 4


def test_money_mixed_column_keeps_positions() -> None:
    """Fast and general forms in one column land in the right rows."""
    parsed = values.parse_money(cells("1.5", "¥2", None, "x", "3"))
    assert parsed.value.to_list() == [Decimal("1.5"), Decimal("2"), None, None, Decimal("3")]
    assert [e is None for e in parsed.error] == [True, True, True, False, True]


def test_money_sum_is_exact() -> None:
    """SPEC §4 Money: a column summing to 391,721.905 sums to exactly that."""
    parsed = values.parse_money(cells("100000.1", "200000.2", "91721.605"))
    assert parsed.value.sum() == Decimal("391721.905")


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    st.sampled_from(["{}", "¥{}", "{} 元", "CNY {}"]),
)
def test_money_with_separators_round_trips(amount: Decimal, pattern: str) -> None:
    text = pattern.format(f"{abs(amount):,.2f}")
    text = f"({text})" if amount < 0 else text
    value, error = one(values.parse_money(cells(text)))
    assert error is None
    assert value == amount


# --- numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "percent", "expected"),
    [
        ("4.5", False, 4.5),
        ("1,200", False, 1200.0),
        ("(3)", False, -3.0),
        ("１２", False, 12.0),
        ("12%", True, 0.12),
        ("12.5 %", True, 0.125),
        ("0.35", True, 0.35),
        ("0.30000000000000004", False, 0.3),
    ],
)
def test_number_forms(text: str, percent: bool, expected: float) -> None:
    value, error = one(values.parse_number(cells(text), percent=percent))
    assert error is None
    assert value == expected


def test_number_percent_not_accepted_where_not_meant() -> None:
    assert one(values.parse_number(cells("12%"))) == (
        None,
        "is a percentage; write the number itself, e.g. 12 rather than 12%",
    )
    assert one(values.parse_number(cells("lots"))) == (
        None,
        "is not a number; write it like 1234.5",
    )


@pytest.mark.parametrize(
    ("column", "numeric"),
    [
        (["1", "2.5", None], True),
        (["12%", "¥5"], True),
        (["0.30000000000000004"], True),
        (["0.5", "-0.25"], True),
        (["00123", "5"], False),
        (["13800138000123456"], False),
        (["a", "1"], False),
        ([None, None], False),
        (["1", "#DIV/0!"], True),  # the error is reported by parse_number
        (["#N/A"], False),
        (["1", "#1"], False),
    ],
)
def test_is_numeric(column: list[str | None], numeric: bool) -> None:
    assert values.is_numeric(cells(*column)) is numeric


# --- text --------------------------------------------------------------------------


def test_text_keeps_ids_and_formulas() -> None:
    parsed = values.parse_text(cells("123", "123.0", "00123", "  R-7 ", "=1+1", "@x", None))
    assert parsed.value.to_list() == ["123", "123", "00123", "R-7", "=1+1", "@x", None]
    assert parsed.error.null_count() == len(parsed.error)


def test_text_error_values_are_errors() -> None:
    parsed = values.parse_text(cells("#N/A", "R1", "#REF!", "#1", "a #N/A", "120.0"))
    assert parsed.value.to_list() == [None, "R1", None, "#1", "a #N/A", "120"]
    assert [worded(e) for e in parsed.error] == [
        "is a spreadsheet error value; fix the formula in the source file",
        None,
        "is a spreadsheet error value; fix the formula in the source file",
        None,
        None,
        None,
    ]
    period = values.parse_period(cells("2025-Q3", "#N/A"))
    assert period.value.to_list() == ["2025-Q3", None]
    assert period.error.is_null().to_list() == [True, False]


def test_period_from_excel_month_date() -> None:
    parsed = values.parse_period(cells("2025-07-01 00:00:00", "2025-Q3", "2025", "2025-H2"))
    assert parsed.value.to_list() == ["2025-07", "2025-Q3", "2025", "2025-H2"]


# --- dates -------------------------------------------------------------------------

JULY_1 = dt.date(2025, 7, 1)
JAN_4 = dt.date(2024, 1, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-01 00:00:00", JULY_1),  # an Excel date cell
        ("2025-07-01 13:05:00", JULY_1),  # an Excel date-time cell
        ("45839", JULY_1),  # an Excel serial number
        ("45839.54513888889", JULY_1),
        ("2025-07-01", JULY_1),
        ("2025/7/1", JULY_1),
        ("2025/07/01 10:00", JULY_1),
        ("2025-7-1", JULY_1),
        ("2025.7.1", JULY_1),
        ("20250701", JULY_1),
        ("2025年7月1日", JULY_1),
        ("2025 年 7 月 1 日", JULY_1),
        ("2025-07-01T10:00:00Z", JULY_1),
        ("04-Jan-24", JAN_4),
        ("4 Jan 2024", JAN_4),
        ("4-January-2024", JAN_4),
        ("Jan 4, 2024", JAN_4),
        ("04-Jan-99", dt.date(1999, 1, 4)),
    ],
)
def test_date_forms(text: str, expected: dt.date) -> None:
    assert one(values.parse_date(cells(text))) == (expected, None)


AMBIGUOUS = (
    "is ambiguous (day/month or month/day?); write it as 2025-07-01 or set date_format "
    "in the scheme's sources.sales, e.g. '%d/%m/%Y'"
)
NOT_A_DATE = (
    "is not a date; write it as 2025-07-01 or set date_format in the scheme's sources.sales"
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("03/04/2025", AMBIGUOUS),
        ("3-4-25", AMBIGUOUS),
        ("2025-02-30", NOT_A_DATE),
        ("2025", NOT_A_DATE),
        ("soon", NOT_A_DATE),
        ("0225-07-01", "is outside the years 1900–2199; check the value"),
        ("#N/A", "is a spreadsheet error value; fix the formula in the source file"),
    ],
)
def test_date_errors(text: str, reason: str) -> None:
    assert one(values.parse_date(cells(text))) == (None, reason)


def test_date_reason_names_the_table() -> None:
    error = worded(values.parse_date(cells("x")).error[0], table="visits")
    assert error == (
        "is not a date; write it as 2025-07-01 or set date_format in the scheme's sources.visits"
    )


def test_date_format_reads_day_first_and_still_reads_excel_cells() -> None:
    parsed = values.parse_date(
        cells("03/04/2025", "2025-07-01 00:00:00", "31/12/2024", "12/31/2024"),
        date_format="%d/%m/%Y",
    )
    assert parsed.value.to_list() == [dt.date(2025, 4, 3), JULY_1, dt.date(2024, 12, 31), None]
    assert worded(parsed.error[3], date_format="%d/%m/%Y") == (
        "does not match date_format '%d/%m/%Y' (sources.sales) nor a form like 2025-07-01"
    )


def test_date_column_mixing_forms() -> None:
    parsed = values.parse_date(cells("2025-07-01 00:00:00", "2025年7月2日", None, "45841"))
    assert parsed.value.to_list() == [JULY_1, dt.date(2025, 7, 2), None, dt.date(2025, 7, 3)]
    assert parsed.value.dtype == pl.Date
