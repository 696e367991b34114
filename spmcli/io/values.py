"""Cell values as real exports write them, parsed column by column (SPEC §2).

Every parser takes a column of *cleaned* text (see ``clean``: stripped, empty cells
null) and returns a ``Parsed`` pair of columns: the typed value, null where the
cell is empty or unusable, and a reason, null unless the cell has text that could
not be parsed. The reasons say what to do, because the user reads them as they are.

Nothing loops over rows. Each parser first tries the one cheap form nearly every
cell of a real export has (a plain number, an Excel date cell) as a single
vectorised cast; only the cells that fail it go through the general parser,
which is a few polars expressions evaluated in stages so that every regular
expression runs once per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from spmcli.messages import Msg, msg

MONEY = pl.Decimal(38, 6)
"""Amounts are exact decimals with 6 places (SPEC §4 Money), never binary floats."""

EXCEL_DIGITS = 15
"""A spreadsheet shows (and keeps when typed in) at most 15 significant digits."""

MIN_YEAR, MAX_YEAR = 1900, 2199
"""Dates outside these years are typing errors (0225-07-01), not sales."""

EXCEL_ERROR_REASON = "cell.excel_error"
"""Errors are message codes (``spmcli.messages``), worded by ``reason`` in the run's language."""


def reason(code: str, *, table: str, column: str, date_format: str | None = None) -> Msg:
    """Why a cell of ``column`` in ``table`` cannot be used, from its error code."""
    return msg(
        code,
        table=table,
        column=column,
        date_format=date_format or "",
        min_year=MIN_YEAR,
        max_year=MAX_YEAR,
    )


@dataclass(frozen=True)
class Parsed:
    """A typed column and, for each cell that has text but no usable value, why."""

    value: pl.Series
    error: pl.Series  # String; null where the cell is empty or fine


def clean(raw: pl.Expr) -> pl.Expr:
    """Text with surrounding whitespace (full-width and non-breaking too) removed; '' → null."""
    return raw.cast(pl.String).str.strip_chars().replace("", None)


def _nulls(text: pl.Series, dtype: pl.DataType) -> pl.Series:
    return pl.repeat(None, len(text), dtype=dtype, eager=True).alias(text.name)


def _no_errors(text: pl.Series) -> pl.Series:
    return _nulls(text, pl.String())


def _tiered(
    text: pl.Series,
    tiers: list[Callable[[pl.Expr], pl.Expr]],
    full: Callable[[pl.Series], Parsed],
    dtype: pl.DataType,
) -> Parsed:
    """Each cheap tier on the cells the tiers before it left null, then ``full`` on the rest.

    A tier maps text to a value or null and never reports an error; it must only
    accept cells that ``full`` would read the same way.
    """
    value = _nulls(text, dtype)
    rest = text.is_not_null().arg_true()
    for tier in tiers:
        if len(rest) == 0:
            break
        if len(rest) == len(text):  # every cell: no need to gather and scatter
            value = pl.select(tier(pl.lit(text)).cast(dtype).alias(text.name)).to_series()
        else:
            found = pl.select(tier(pl.lit(text.gather(rest))).cast(dtype)).to_series()
            value = value.scatter(rest, found)
        rest = (value.is_null() & text.is_not_null()).arg_true()
    error = _no_errors(text)
    if len(rest):
        parsed = full(text.gather(rest))
        value = value.scatter(rest, parsed.value.cast(dtype))
        error = error.scatter(rest, parsed.error)
    return Parsed(value, error)


def _staged(text: pl.Series, *stages: list[pl.Expr]) -> pl.DataFrame:
    """Evaluate expressions over column ``t`` in stages, each seeing the columns before."""
    frame = pl.DataFrame({"t": text})
    for stage in stages:
        frame = frame.with_columns(stage)
    return frame


_EXCEL_ERROR = r"^#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$"


def _excel_error(text: pl.Expr) -> pl.Expr:
    """True for a spreadsheet error value written as text, such as #N/A or #DIV/0!."""
    return text.str.contains(_EXCEL_ERROR)


# ---------------------------------------------------------------------------------
# Text and identifiers

_INTEGRAL = r"^(-?[0-9]+)\.0+$"


def parse_text(text: pl.Series) -> Parsed:
    """Ids and free text, kept as text; a number cell shown as '123.0' becomes '123'.

    Leading zeros stay (``00123`` is an id, not a number), and text that looks like
    a formula (``=1+1``) is just text. A spreadsheet error value (an error cell, or
    its text as a CSV saves it) is no name or id: it is an error here as in every
    other column, so that a failed lookup cannot become a customer called '#N/A'.
    """
    error = _no_errors(text)
    # Only text starting with '#' can be an error value: a cheap test before the regex.
    if text.str.starts_with("#").any():
        failed = pl.select(_excel_error(pl.lit(text)).fill_null(False)).to_series()
        if failed.any():
            error = error.scatter(failed.arg_true(), EXCEL_ERROR_REASON)
            text = pl.select(pl.when(~pl.lit(failed)).then(pl.lit(text))).to_series()
    # Only text ending in 0 can be '123.0': that cheap test leaves few cells for the regex.
    if not text.filter(text.str.ends_with("0")).str.contains(_INTEGRAL).any():
        return Parsed(text, error)  # nothing to change: the column itself, no copy
    value = _tiered(
        text,
        [lambda t: pl.when(~t.str.ends_with("0")).then(t)],
        lambda t: Parsed(t.str.replace(_INTEGRAL, "${1}"), _no_errors(t)),
        pl.String(),
    ).value
    return Parsed(value, error)


def parse_period(text: pl.Series) -> Parsed:
    """A period label such as 2025-Q3 or 2025-07, as text.

    Excel turns a typed ``2025-07`` into the date 2025-07-01, which the reader gets
    as '2025-07-01 00:00:00'; that is read back as the month it was meant to be.
    """
    as_text = parse_text(text)
    month = as_text.value.str.replace(r"^([0-9]{4}-[0-9]{2})-01 00:00:00$", "${1}")
    return Parsed(month, as_text.error)


# ---------------------------------------------------------------------------------
# Numbers and money

# Full-width forms (U+FF01..U+FF5E) as Chinese input methods type them, and a few
# look-alikes, mapped to ASCII before a number is read: '１２３．５' is 123.5.
_FULL_WIDTH = [chr(code) for code in range(0xFF01, 0xFF5F)] + ["\u2212", "\uffe5"]
_HALF_WIDTH = [chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)] + ["-", "¥"]

_CURRENCY = r"(?:(?i:cny|rmb|usd|eur)|[¥$€])"
_CURRENCY_AFTER = r"(?:元|(?i:cny|rmb|usd|eur))"
_NUMBER = (
    rf"^{_CURRENCY}?(?P<open>\()?(?P<s1>[-+])?{_CURRENCY}?(?P<s2>[-+])?"
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?P<frac>\.[0-9]*)?(?P<exp>[eE][-+]?[0-9]+)?"
    rf"{_CURRENCY_AFTER}?(?P<s3>-)?(?P<pct>%)?(?P<close>\))?{_CURRENCY_AFTER}?$"
)


def _plain_decimal(text: pl.Expr) -> pl.Expr:
    """The fast tier for money: a plain number of at most 15 characters, else null.

    Polars' decimal cast reads only plain numbers ('-1234.56', '1e5'; not '1,234',
    ' 5' or 'inf'), and 15 characters hold at most 15 significant digits, so the
    value is exactly what a spreadsheet shows.
    """
    return pl.when(text.str.len_bytes() <= EXCEL_DIGITS).then(text.cast(MONEY, strict=False))


def _plain_float(text: pl.Expr) -> pl.Expr:
    """The fast tier for numbers: ``_plain_decimal``'s rule, finite floats only."""
    short = pl.when(text.str.len_bytes() <= EXCEL_DIGITS).then(text)
    value = short.cast(pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def _numbers(text: pl.Series) -> pl.DataFrame:
    """Numeric cells taken apart, one row per cell.

    Columns: ``number`` (canonical text at the precision a spreadsheet shows, e.g.
    '-1234.5', null if not a number), ``percent`` (written with %) and ``digits``
    (significant digits as written).
    """
    field = pl.col("parts").struct.field
    signs = [field(name) for name in ("s1", "s2", "s3")]
    mantissa = pl.concat_str(
        [field("int").str.replace_all(",", "", literal=True).fill_null("0"), field("frac")],
        ignore_nulls=True,
    )
    n_signs = pl.sum_horizontal([sign.is_not_null().cast(pl.Int8) for sign in signs])
    valid = (
        (field("int").is_not_null() | (field("frac").str.len_bytes() > 1))
        & (field("open").is_null() == field("close").is_null())
        & (n_signs + field("open").is_not_null().cast(pl.Int8) <= 1)
    )
    negative = field("open").is_not_null() | pl.any_horizontal([sign == "-" for sign in signs])
    written = pl.concat_str(
        [pl.when(negative).then(pl.lit("-")), pl.col("mantissa"), field("exp")],
        ignore_nulls=True,
    )
    # A float cell exported in full ('0.30000000000000004') is what Excel shows at
    # 15 significant digits (0.3); only such over-long numbers are rounded.
    shown = pl.col("written").cast(pl.Float64, strict=False).round_sig_figs(EXCEL_DIGITS)
    number = (
        pl.when(pl.col("digits") > EXCEL_DIGITS)
        .then(shown.cast(pl.String))
        .otherwise(pl.col("written"))
    )
    frame = _staged(
        text,
        [
            pl.col("t")
            .str.replace_many(_FULL_WIDTH, _HALF_WIDTH)
            .str.replace_all(r"\s", "")
            .str.extract_groups(_NUMBER)
            .alias("parts")
        ],
        [mantissa.alias("mantissa"), valid.fill_null(False).alias("valid"), negative.alias("neg")],
        [
            written.alias("written"),
            pl.col("mantissa")
            .str.replace_all(r"[^0-9]", "")
            .str.strip_chars_start("0")
            .str.len_bytes()
            .alias("digits"),
        ],
        [pl.when(pl.col("valid")).then(number).alias("number")],
    )
    return frame.select(
        "t", "number", field("pct").is_not_null().alias("percent"), "digits", "written"
    )


def parse_money(text: pl.Series) -> Parsed:
    """An exact amount as Decimal(38, 6): '¥1,234.50', '(1,234.00)', '1234-', '１２３．５'."""
    return _tiered(text, [_plain_decimal], _parse_money_full, MONEY)


def _parse_money_full(text: pl.Series) -> Parsed:
    numbers = _numbers(text)
    value = pl.when(~pl.col("percent")).then(pl.col("number")).cast(MONEY, strict=False)
    reason = (
        pl.when(_excel_error(pl.col("t")))
        .then(pl.lit(EXCEL_ERROR_REASON))
        .when(pl.col("number").is_not_null() & pl.col("percent"))
        .then(pl.lit("cell.percent_amount"))
        .when(pl.col("number").is_not_null())
        .then(pl.lit("cell.amount_too_large"))
        .otherwise(pl.lit("cell.not_amount"))
    )
    out = numbers.with_columns(value.alias("value")).with_columns(
        pl.when(pl.col("value").is_null()).then(reason).alias("error")
    )
    return Parsed(out["value"].alias(text.name), out["error"].alias(text.name))


def parse_number(text: pl.Series, *, percent: bool = False) -> Parsed:
    """A Float64 read as tolerantly as money; with ``percent``, '12%' is 0.12."""
    return _tiered(
        text,
        [_plain_float],
        lambda rest: _parse_number_full(rest, percent=percent),
        pl.Float64(),
    )


def _parse_number_full(text: pl.Series, *, percent: bool) -> Parsed:
    numbers = _numbers(text)
    as_float = pl.col("number").cast(pl.Float64, strict=False)
    if percent:
        # Polars divides by multiplying with the reciprocal (95 * 0.01 is 0.9500000000000001);
        # rounding to the 15 digits a spreadsheet shows gives back 0.95.
        hundredth = (as_float / 100).round_sig_figs(EXCEL_DIGITS)
        value = pl.when(pl.col("percent")).then(hundredth).otherwise(as_float)
        hint = "cell.not_number_percent"
    else:
        value = pl.when(~pl.col("percent")).then(as_float)
        hint = "cell.not_number"
    reason = (
        pl.when(_excel_error(pl.col("t")))
        .then(pl.lit(EXCEL_ERROR_REASON))
        .when(pl.col("number").is_not_null() & pl.col("percent"))
        .then(pl.lit("cell.percent_number"))
        .otherwise(pl.lit(hint))
    )
    out = numbers.with_columns(pl.when(value.is_finite()).then(value).alias("value"))
    out = out.with_columns(pl.when(pl.col("value").is_null()).then(reason).alias("error"))
    return Parsed(out["value"].alias(text.name), out["error"].alias(text.name))


def is_numeric(text: pl.Series) -> bool:
    """True when a column the aliases do not know holds numbers, and numbers only.

    Ids are not numbers: a column with a leading-zero value ('00123') or a whole
    number of more than 15 digits (a phone number, a national id) stays text, and
    so does a column with no values at all. Error values (#DIV/0!) are left out:
    ``parse_number`` reports them as any parser does, the other cells stay numbers.
    """
    present = text.drop_nulls()
    if present.str.starts_with("#").any():
        present = present.filter(~present.str.contains(_EXCEL_ERROR))
    if len(present) == 0:
        return False
    if pl.select(pl.lit(present).str.contains(r"^-?0[0-9]").any()).item():
        return False
    fast = pl.select(_plain_float(pl.lit(present))).to_series()
    rest = present.filter(fast.is_null())
    if len(rest) == 0:
        return True
    numbers = _numbers(rest)
    whole_id = (pl.col("digits") > EXCEL_DIGITS) & ~pl.col("written").str.contains(r"[.eE]")
    return bool(numbers.select((pl.col("number").is_not_null() & ~whole_id).all()).item())


# ---------------------------------------------------------------------------------
# Dates

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAME = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_TIME = (
    r"(?:[ T][0-9]{1,2}[:：][0-9]{2}(?:[:：][0-9]{2}(?:\.[0-9]*)?)?"
    r"(?:\s*(?i:am|pm))?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_PATTERNS = (
    # Year first: 2025-07-01, 2025/7/1, 2025.7.1, optionally with a time.
    rf"^(?P<y>[0-9]{{4}})[-/.](?P<m>[0-9]{{1,2}})[-/.](?P<d>[0-9]{{1,2}}){_TIME}$",
    # 2025年7月1日, 2025年7月1号
    r"^(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*[日号]?"
    r"(?:\s*[0-9]{1,2}[:：时][0-9]{2}.*)?$",
    # 20250701
    r"^(?P<y>(?:19|20|21)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$",
    # 4 Jan 2024, 04-Jan-24, 4-January-2024
    rf"^(?P<d>[0-9]{{1,2}})[-/ .]*(?P<mon>{_MONTH_NAME})\.?[-/ .,]*(?P<y>[0-9]{{4}}|[0-9]{{2}})$",
    # Jan 4, 2024 / January 4th 2024
    rf"^(?P<mon>{_MONTH_NAME})\.?[-/ ]*(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?[ ,]*(?P<y>[0-9]{{4}})$",
)
# An Excel serial number (45839 is 2025-07-01), maybe with a time fraction.
# Five digits: 10000 is 1927-05-18, so a bare year such as 2025 is not a serial.
_SERIAL = r"^([0-9]{5})(?:\.[0-9]+)?$"
# Excel's day 0. The 1900 leap-year bug only moves serials below 61, i.e. dates
# before March 1900, which a sales file never has.
_EXCEL_EPOCH = pl.date(1899, 12, 30)
# 03/04/2025, 3-4-25: day first or month first? Only date_format can say.
_AMBIGUOUS = rf"^[0-9]{{1,2}}[-/.][0-9]{{1,2}}[-/.](?:[0-9]{{4}}|[0-9]{{2}}){_TIME}$"
# The text the reader gets for an Excel date or date-time cell.
_EXCEL_DATETIME = "%Y-%m-%d %H:%M:%S"


def _in_range(date: pl.Expr) -> pl.Expr:
    return pl.when(date.dt.year().is_between(MIN_YEAR, MAX_YEAR)).then(date)


def _excel_date_cell(text: pl.Expr) -> pl.Expr:
    """The first fast tier: the text of an Excel date cell, '2025-07-01 00:00:00'."""
    cell = text.str.strptime(pl.Datetime("us"), _EXCEL_DATETIME, strict=False)
    return _in_range(cell.dt.date())


def _iso_date(text: pl.Expr) -> pl.Expr:
    """The second fast tier: ISO text, '2025-07-01', as CSV and Parquet exports write it."""
    return _in_range(text.str.to_date("%Y-%m-%d", strict=False))


def _date_fields(pattern: str) -> list[pl.Expr]:
    """Year, month and day text of ``pattern``'s match, month names as numbers."""
    parts = pl.col("t").str.extract_groups(pattern)
    day = parts.struct.field("d")
    if "?P<mon>" not in pattern:
        return [parts.struct.field("y"), parts.struct.field("m"), day]
    month = (
        parts.struct.field("mon")
        .str.slice(0, 3)
        .str.to_lowercase()
        .replace_strict(list(_MONTHS), [str(n) for n in range(1, 13)], default=None)
    )
    year = parts.struct.field("y")
    # Two-digit years pivot like strptime's %y: 69-99 are 19xx, 00-68 are 20xx.
    short = year.cast(pl.Int32, strict=False)
    century = pl.when(short < 69).then(2000).otherwise(1900)
    year = (
        pl.when(year.str.len_bytes() == 2).then((short + century).cast(pl.String)).otherwise(year)
    )
    return [year, month, day]


def _ymd(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """A Date from year/month/day text; impossible dates (2025-02-30) are null."""
    text = pl.concat_str([year, pl.lit("-"), month.str.zfill(2), pl.lit("-"), day.str.zfill(2)])
    return text.str.to_date("%Y-%m-%d", strict=False)


def parse_date(text: pl.Series, *, date_format: str | None = None) -> Parsed:
    """A Date from any unambiguous form an export uses, or from ``date_format``.

    Accepted: Excel date and date-time cells, Excel serial numbers (45839), ISO
    2025-07-01, 2025/7/1, 2025-7-1, 2025.7.1, 20250701, 2025年7月1日, 04-Jan-24,
    4 Jan 2024, Jan 4, 2024, each optionally with a time (ignored). A day/month
    form such as 03/04/2025 is ambiguous and is read only through ``date_format``
    (a strftime format such as '%d/%m/%Y', from the table's ``sources`` entry),
    which is tried before every other form when given.
    """
    # Excel date cells first, unless the column starts with ISO text (CSV, Parquet).
    tiers: list[Callable[[pl.Expr], pl.Expr]] = [_excel_date_cell, _iso_date]
    first = text.drop_nulls().head(1)
    if len(first) and len(first[0]) == len("2025-07-01"):
        tiers.reverse()
    if date_format:
        given = date_format
        tiers = [
            lambda t: _in_range(t.str.strptime(pl.Datetime("us"), given, strict=False).dt.date())
        ]
    return _tiered(text, tiers, lambda rest: _parse_date_full(rest, date_format), pl.Date())


def _parse_date_full(text: pl.Series, date_format: str | None) -> Parsed:
    stages: list[list[pl.Expr]] = [
        [_ymd(*_date_fields(pattern)).alias(f"p{i}") for i, pattern in enumerate(_PATTERNS)]
    ]
    candidates = [
        pl.col("t").str.strptime(pl.Datetime("us"), _EXCEL_DATETIME, strict=False).dt.date(),
        *(pl.col(f"p{i}") for i in range(len(_PATTERNS))),
        _EXCEL_EPOCH + pl.duration(days=pl.col("t").str.extract(_SERIAL, 1).cast(pl.Int64)),
    ]
    if date_format:
        given = pl.col("t").str.strptime(pl.Datetime("us"), date_format, strict=False)
        candidates.insert(0, given.dt.date())
    stages.append([pl.coalesce(candidates).alias("parsed")])
    stages.append([_in_range(pl.col("parsed")).alias("value")])
    unknown = "cell.date_format" if date_format else "cell.not_date"
    ambiguous = "cell.date_format" if date_format else "cell.ambiguous_date"
    reason = (
        pl.when(pl.col("parsed").is_not_null())
        .then(pl.lit("cell.date_range"))
        .when(_excel_error(pl.col("t")))
        .then(pl.lit(EXCEL_ERROR_REASON))
        .when(pl.col("t").str.contains(_AMBIGUOUS))
        .then(pl.lit(ambiguous))
        .otherwise(pl.lit(unknown))
    )
    stages.append(
        [pl.when(pl.col("value").is_null() & pl.col("t").is_not_null()).then(reason).alias("error")]
    )
    out = _staged(text, *stages)
    return Parsed(out["value"].alias(text.name), out["error"].alias(text.name))
