"""Hostile and realistic sales exports, generated: CSV written quoted everywhere, quoted where a
field needs it, or not quoted at all (broken lines), and workbooks written with xlsxwriter
(text, numbers, dates, booleans, blanks). Every cell comes with what spm must make of it, so
that each case checks, without a traceback:

* every line is read with exactly the values it holds, reported, or blank: a broken line (an
  unquoted separator or line break) is reported, never read shifted;
* the reconciliation adds up to the cent over the lines read;
* ids and names come back byte for byte in evaluation.json, summary.xlsx and the rep
  workbooks, and no text becomes a formula.

The suite runs a short profile (``EXAMPLES`` cases per test); ``SPM_FUZZ_EXAMPLES=500`` or
``python bench/fuzz.py`` runs a long one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import fastexcel
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spmcli import prepare
from spmcli.cli.app import app
from spmcli.io.files import unique_file_stems
from spmcli.report.records import evaluation_record

EXAMPLES = int(os.environ.get("SPM_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCHEME = Path(__file__).parent / "corpus" / "sales.yaml"
PERIOD = "2025-Q3"
Q3 = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))

# Unicode White_Space, what spm strips around a cell (polars' strip_chars); Python's
# str.strip() would also strip U+001C..U+001F, which are no white space there.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
WHITESPACE += "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def cleaned(text: str) -> str | None:
    """A cell's text as spm reads it: white space around it gone, empty as no value."""
    return text.strip(WHITESPACE) or None


@dataclass(frozen=True)
class Cell:
    """A generated cell: what is written (text, a number, a date-time, a boolean or None for
    a blank) and what spm must read from it (None: nothing, which a required column reports)."""

    written: object
    expected: object

    @property
    def blank(self) -> bool:
        return self.written is None or (isinstance(self.written, str) and not cleaned(self.written))


Row = tuple[Cell, Cell, Cell, Cell, Cell]  # date, rep_id, customer_id, customer_name, amount
HEADERS = (
    ("date", "rep_id", "customer_id", "customer_name", "amount"),
    ("日期", "代表编号", "客户编号", "客户名称", "金额"),
)
NAMES = ("date", "rep_id", "customer_id", "customer_name", "amount")
REQUIRED = (0, 1, 2, 4)


def fixed(texts: Sequence[str], expected: object = None) -> st.SearchStrategy[Cell]:
    return st.sampled_from([Cell(text, expected) for text in texts])


CELL_LIMIT = 32_767  # characters a spreadsheet cell holds (xlsxwriter cuts longer text)


def padded(cells: st.SearchStrategy[Cell]) -> st.SearchStrategy[Cell]:
    """Text cells, sometimes with white space around them, as exports leave it."""
    around = st.sampled_from(["", "", " ", "\t", "\u3000", "\xa0"])

    def pad(cell: Cell, before: str, after: str) -> Cell:
        text = f"{before}{cell.written}{after}"
        return Cell(text, cell.expected) if len(text) <= CELL_LIMIT else cell

    return st.builds(pad, cells, around, around)


# ------------------------------------------------------------------------------- dates

EXCEL_DAY_ZERO = dt.date(1899, 12, 30)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def serial(day: dt.date) -> int:
    return (day - EXCEL_DAY_ZERO).days


# Every form SPEC §2 and spmcli/io/values.py accept, each of the same day.
DATE_FORMS: tuple[Callable[[dt.date], str], ...] = (
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d.year}.{d.month:02}.{d.day}",
    lambda d: d.strftime("%Y%m%d"),
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year} 年 {d.month} 月 {d.day} 号",
    lambda d: f"{d.day:02}-{MONTHS[d.month - 1]}-{d.year % 100:02}",
    lambda d: f"{d.day} {FULL_MONTHS[d.month - 1]} {d.year}",
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{FULL_MONTHS[d.month - 1]} {ordinal(d.day)} {d.year}",
    lambda d: str(serial(d)),
    lambda d: f"{serial(d)}.75",
    lambda d: f"{d.isoformat()} 13:45:00",
    lambda d: f"{d.isoformat()}T08:05Z",
    lambda d: f"{d.year}/{d.month}/{d.day} 9:05 pm",
)
DATE_MISSES = (
    "2025-13-01", "2025-02-30", "2025-06-31", "0225-07-01", "2025-7", "03/04/2025", "31/02/2025",
    "20251301", "Jan 32, 2025", "2025年13月1日", "2025-07-01x", "1/7", "tomorrow", "NULL", "NaN",
    "#N/A", "\u200b2025-07-01", "", " ",
)  # fmt: skip
DAYS = st.one_of(st.dates(*Q3), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))


def dates(xlsx: bool) -> st.SearchStrategy[Cell]:
    written = st.builds(lambda day, form: Cell(form(day), day), DAYS, st.sampled_from(DATE_FORMS))
    cells = [padded(written), fixed(DATE_MISSES)]
    if xlsx:
        at = st.times(dt.time(0), dt.time(23, 59, 59))
        cells += [
            st.builds(lambda d, t: Cell(dt.datetime.combine(d, t), d), DAYS, at),
            st.builds(lambda d: Cell(serial(d), d), DAYS),
            st.builds(lambda d: Cell(serial(d) + 0.25, d), DAYS),
            st.sampled_from([Cell(True, None), Cell(None, None), Cell(3_000_000, None)]),
        ]
    return st.one_of(cells)


# ----------------------------------------------------------------------------- amounts

_FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")
# Every form of an amount SPEC §2 accepts: signs, separators, currencies, accounting negatives,
# a trailing minus, full-width digits, an exponent.
AMOUNT_FORMS: tuple[Callable[[Decimal], str], ...] = (
    str,
    lambda v: f"{v:,}",
    lambda v: f"{'-' if v < 0 else ''}¥{abs(v):,}",
    lambda v: f"${v}",
    lambda v: f"€ {v}",
    lambda v: f"￥{v}",
    lambda v: f"{v}元",
    lambda v: f"{v} CNY",
    lambda v: f"({abs(v):,})" if v < 0 else f"+{v}",
    lambda v: f"{abs(v)}-" if v < 0 else f"{v}",
    lambda v: str(v).translate(_FULL_WIDTH),
    lambda v: f"{v:e}",
)
AMOUNT_MISSES = (
    "1,23,4", "12.345.678", "--5", "+-5", "(5", "5)", "(-5)", "abc", "NaN", "nan", "inf", "-inf",
    "Infinity", "1e400", "5%", "#N/A", "#VALUE!", "=1+1", "1.2.3", "¥", "-", ".", "0x10", "1_000",
    "1.234,5", "", "  ",
)  # fmt: skip
MONEY = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


def amounts(xlsx: bool) -> st.SearchStrategy[Cell]:
    written = st.builds(lambda v, form: Cell(form(v), v), MONEY, st.sampled_from(AMOUNT_FORMS))
    cells = [padded(written), fixed(AMOUNT_MISSES)]
    if xlsx:
        cells += [
            st.builds(lambda v: Cell(float(v), v), MONEY),
            st.builds(lambda v: Cell(v, Decimal(v)), st.integers(-(10**12), 10**12)),
            st.sampled_from([Cell(False, None), Cell(None, None)]),
            st.builds(lambda d: Cell(dt.datetime.combine(d, dt.time()), None), DAYS),
        ]
    return st.one_of(cells)


# ------------------------------------------------------------------------ ids and names

HOSTILE = (
    "R1", "R2", "R3", "00123", "0", "-2", "+A1", "=1+1", "@SUM(A1)", '=HYPERLINK("http://x","y")',
    "NULL", "NaN", "inf", "None", "#N/A", "#REF!", "123.0", "\u202eRTL\u202c", "\u200f", "😀",
    "👩‍👩‍👧", "名字", "e\u0301", "a\tb", "a\x07b", "a\x00b", "\x1b[31mred", "a,b", 'a"b', "a;b",
    "a\nb", "a\r\nb", "_x0041_", "&amp;<b>",
)  # fmt: skip
FULL_CELLS = st.sampled_from("x名").map(lambda c: c * CELL_LIMIT)  # as long as a cell holds
_INTEGRAL = re.compile(r"(-?[0-9]+)\.0+")


# A spreadsheet error value is no text: reported in any column (a failed lookup is no name).
ERROR = "a spreadsheet error value"
_ERROR_VALUE = re.compile(
    r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)"
)


def id_text(text: str) -> str | None:
    """Text as spm keeps it, ids and names alike: cleaned, and a number shown as '123.0' (as
    pandas writes a column of whole numbers with a gap) as '123'; ERROR for an error value."""
    kept = cleaned(text)
    if _ERROR_VALUE.fullmatch(kept or ""):
        return ERROR
    whole = _INTEGRAL.fullmatch(kept or "")
    return whole.group(1) if whole else kept


def usable(cell: Cell) -> bool:
    """Whether a text cell is read as a value (not empty, no error value)."""
    return cell.expected is not None and cell.expected is not ERROR


TEXTS = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=12), FULL_CELLS)


def ids(xlsx: bool) -> st.SearchStrategy[Cell]:
    cells = [padded(st.builds(lambda t: Cell(t, id_text(t)), TEXTS))]
    if xlsx:
        cells += [
            st.builds(lambda n: Cell(n, str(n)), st.integers(-(10**12), 10**12)),
            st.sampled_from([Cell(True, "true"), Cell(None, None)]),
        ]
    return st.one_of(cells)


NAMES_TEXT = st.one_of(st.just(""), TEXTS).map(lambda t: Cell(t, id_text(t)))
ROWS = {
    xlsx: st.tuples(dates(xlsx), ids(xlsx), ids(xlsx), NAMES_TEXT, amounts(xlsx))
    for xlsx in (False, True)
}


# ------------------------------------------------------------------------- the oracle


@dataclass(frozen=True)
class Line:
    """What spm must make of one line of the file: read with these values, reported, or
    skipped as blank (``values`` None and ``reported`` False)."""

    row: int  # as Excel numbers it
    values: tuple[object, ...] | None
    reported: bool


def expected_line(row: int, cells: Row) -> Line:
    if all(cell.blank for cell in cells):
        return Line(row, None, False)
    values = tuple(cell.expected for cell in cells)
    if any(values[i] is None for i in REQUIRED) or ERROR in values:
        return Line(row, None, True)
    return Line(row, values, False)


def check_read(folder: Path, lines: list[Line]) -> None:
    """Read and evaluated: every line as ``lines`` says, and the reconciliation to the cent."""
    prepared = prepare([folder], scheme=SCHEME, period=PERIOD)
    sales = prepared.inputs.tables["sales"].frame
    columns = [name for name in NAMES if name in sales.columns]
    read = {row[-1]: row[:-1] for row in sales.select(*columns, "_row").iter_rows()}
    expected = {
        line.row: tuple(v for name, v in zip(NAMES, line.values, strict=True) if name in columns)
        for line in lines
        if line.values is not None
    }
    assert read == expected
    assert {p.row for p in prepared.problems} == {line.row for line in lines if line.reported}
    assert prepared.inputs.skipped_rows == sum(line.reported for line in lines)
    run = prepared.evaluate(skip_invalid=True)
    recon = evaluation_record(run.evaluation)["reconciliation"]
    in_period = sum(
        (v[4] for v in expected.values() if Q3[0] <= v[0] <= Q3[1]),  # type: ignore[operator]
        Decimal(0),
    )
    assert recon["sales_in_period"] == in_period.quantize(Decimal("0.01"))
    assert recon["sales_in_period"] == recon["credited"] + recon["unassigned"]
    assert recon["skipped_rows"] == prepared.inputs.skipped_rows


# ------------------------------------------------------------------------------- CSV


@dataclass(frozen=True)
class CsvForm:
    """How a CSV file is written: separator, quoting (``all``, ``needed``: where a field holds
    the separator, a quote or a line break, ``none``: never), BOM, header."""

    separator: str
    quoting: str
    bom: bool
    header: tuple[str, ...]

    def field(self, text: str) -> str:
        special = self.separator in text or any(c in text for c in '"\r\n')
        if self.quoting == "all" or (self.quoting == "needed" and special):
            return '"' + text.replace('"', '""') + '"'
        return text

    def line(self, fields: Sequence[str]) -> str:
        return self.separator.join(self.field(text) for text in fields) + "\n"


CSV_FORMS = st.builds(
    CsvForm,
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["all", "needed", "none"]),
    st.booleans(),
    st.sampled_from(HEADERS),
)


def unquoted_lines(form: CsvForm, first: int, cells: Row) -> list[Line]:
    """What spm must make of a row written without quotes: one line read as written, or, where
    a field holds the separator (the line has more fields than the header) or line breaks (the
    row is cut into several lines, none with every column), reported lines."""
    texts = [str(cell.written) for cell in cells]
    pieces = form.separator.join(texts).split("\n")
    if len(pieces) == 1 and len(pieces[0].split(form.separator)) == len(texts):
        return [expected_line(first, cells)]
    return [
        Line(first + i, None, any(cleaned(f) for f in piece.split(form.separator)))
        for i, piece in enumerate(pieces)
    ]


def written_unquoted(cells: Row, separator: str) -> bool:
    """Whether a row written without quotes can be judged: no field starts with a quote (it
    would open a quoted field; inside a field a quote is text); a line break only in the
    middle columns (each piece of the line then lacks the amount, the last column, and is
    reported) and not with a separator too."""
    texts = [str(cell.written) for cell in cells]
    line = separator.join(texts)
    pieces = [field for piece in line.split("\n") for field in piece.split(separator)]
    if any(field.startswith('"') for field in pieces) or "\r" in line:
        return False
    breaks = [i for i, text in enumerate(texts) if "\n" in text]
    return not breaks or (
        all(0 < i < len(texts) - 1 for i in breaks) and not any(separator in text for text in texts)
    )


@FUZZ
@given(form=CSV_FORMS, rows=st.lists(ROWS[False], min_size=1, max_size=25))
def test_every_csv_line_is_read_as_written_or_reported(
    tmp_path_factory: Any, form: CsvForm, rows: list[Row]
) -> None:
    if form.quoting == "none":
        rows = [row for row in rows if written_unquoted(row, form.separator)]
    folder = Path(tmp_path_factory.mktemp("csv"))
    text = form.line(form.header)
    lines: list[Line] = []
    for cells in rows:
        first = 2 + sum(1 for line in lines)
        text += form.line([str(cell.written) for cell in cells])
        if form.quoting == "none":
            lines += unquoted_lines(form, first, cells)
        else:
            lines.append(expected_line(first, cells))
    encoding = "utf-8-sig" if form.bom else "utf-8"
    (folder / "sales.csv").write_bytes(text.encode(encoding))
    check_read(folder, lines)


# ------------------------------------------------------------------------------ xlsx


def write_cell(sheet: Any, row: int, col: int, value: object, date_format: Any) -> None:
    """A cell as a spreadsheet holds it: text always as text (``=1+1`` too), never a formula."""
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(row, col, value)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, col, value, date_format)
    else:
        sheet.write_number(row, col, value)


def sales_workbook(path: Path, header: Sequence[str], rows: Sequence[Row]) -> None:
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet("sales")
    sheet.write_row(0, 0, header)
    for r, cells in enumerate(rows, 1):
        for c, cell in enumerate(cells):
            write_cell(sheet, r, c, cell.written, date_format)
    book.close()


@FUZZ
@given(header=st.sampled_from(HEADERS), rows=st.lists(ROWS[True], min_size=1, max_size=25))
def test_every_workbook_row_is_read_as_written_or_reported(
    tmp_path_factory: Any, header: tuple[str, ...], rows: list[Row]
) -> None:
    folder = Path(tmp_path_factory.mktemp("xlsx"))
    sales_workbook(folder / "sales.xlsx", header, rows)
    lines = [expected_line(r, cells) for r, cells in enumerate(rows, 2)]
    while lines and lines[-1].values is None and not lines[-1].reported:
        lines.pop()  # trailing blank rows are no rows
    check_read(folder / "sales.xlsx", lines)


# ----------------------------------------------------------------- text written back


def workbook_texts(path: Path) -> list[str]:
    """Every text cell of a workbook as a spreadsheet shows it (calamine reads the escapes
    xlsxwriter writes for control characters)."""
    reader = fastexcel.read_excel(path.read_bytes())
    found = []
    for name in reader.sheet_names:
        frame = reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
        found += [v for column in frame.iter_columns() for v in column.to_list() if v]
    return found


def formulas(path: Path) -> list[str]:
    """The formulas in a workbook's sheets (<f> elements)."""
    with zipfile.ZipFile(path) as book:
        return [
            formula
            for name in book.namelist()
            if name.startswith("xl/worksheets/sheet")
            for formula in re.findall(r"<f>([^<]*)</f>", book.read(name).decode("utf-8"))
        ]


def has(texts: Sequence[str], wanted: str) -> bool:
    return any(wanted in text for text in texts)


REP_IDS = st.lists(
    st.builds(lambda t: Cell(t, id_text(t)), TEXTS).filter(usable),
    min_size=1,
    max_size=4,
    unique_by=lambda c: c.expected,
)


@FUZZ
@given(
    reps=REP_IDS,
    names=st.lists(NAMES_TEXT.filter(lambda c: c.expected is not ERROR), min_size=4, max_size=4),
    data=st.data(),
)
def test_texts_come_back_as_they_went_in(
    tmp_path_factory: Any, reps: list[Cell], names: list[Cell], data: st.DataObject
) -> None:
    work = Path(tmp_path_factory.mktemp("texts"))
    roster = [(rep, name) for rep, name in zip(reps, names, strict=False)]
    lines = data.draw(
        st.lists(
            st.tuples(st.sampled_from(reps), ids(False), NAMES_TEXT), min_size=1, max_size=8
        ).map(
            lambda found: [
                line for line in found if usable(line[1]) and line[2].expected is not ERROR
            ]
        )
    )
    book = xlsxwriter.Workbook(str(work / "q3.xlsx"))
    sheet = book.add_worksheet("reps")
    sheet.write_row(0, 0, ["rep_id", "name"])
    for r, (rep, name) in enumerate(roster, 1):
        write_cell(sheet, r, 0, rep.written, None)
        write_cell(sheet, r, 1, name.written, None)
    sheet = book.add_worksheet("sales")
    sheet.write_row(0, 0, NAMES)
    for r, (rep, customer, customer_name) in enumerate(lines, 1):
        for c, value in enumerate(("2025-08-01", rep.written, customer.written,
                                   customer_name.written, "100")):  # fmt: skip
            write_cell(sheet, r, c, value, None)
    book.close()
    out = work / "out"
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        result = CliRunner().invoke(
            app,
            ["evaluate", str(work / "q3.xlsx"), "--scheme", str(SCHEME), "--period", PERIOD,
             "--out", str(out), "--lang", "en", "--quiet", "--workers", "1"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    # xlsxwriter says when it cuts a text; other warnings (a file another test left for the
    # garbage collector, say) are not this case's.
    assert [str(w.message) for w in warned if "xlsxwriter" in w.filename] == []
    record = json.loads((out / "evaluation.json").read_text("utf-8"))
    by_id = {rep["rep_id"]: rep for rep in record["reps"]}
    assert set(by_id) == {rep.expected for rep in reps}
    summary = workbook_texts(out / "summary.xlsx")
    for rep, name in roster:
        assert by_id[rep.expected]["name"] == name.expected
    for rep in reps:
        assert has(summary, str(rep.expected)), rep.expected
        assert has(summary, by_id[rep.expected]["name"] or ""), rep.expected
    stems = unique_file_stems(str(rep.expected) for rep in reps)
    sheets = {rep.expected: workbook_texts(out / "reps" / f"{stems[rep.expected]}.xlsx")
              for rep in reps}  # fmt: skip
    assert len(list((out / "reps").iterdir())) == len(reps)
    for rep in reps:
        texts = sheets[rep.expected]
        assert has(texts, str(rep.expected))
        for line in lines:
            if line[0].expected == rep.expected:
                assert has(texts, str(line[1].expected))
                assert line[2].expected is None or has(texts, str(line[2].expected))
    for path in [out / "summary.xlsx", *(out / "reps").iterdir()]:
        assert all(f.startswith("SUM(") for f in formulas(path)), path
        well_formed(path)


def well_formed(path: Path) -> None:
    """Every part of a workbook is XML that a strict parser reads: a control character
    written raw, which Excel answers with a repair prompt, is not."""
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(book.read(name))
