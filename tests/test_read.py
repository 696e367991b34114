"""Reading inputs (SPEC §2): workbooks, CSV and Parquet into canonical typed tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from spmcli.errors import DataError, RowProblem, UsageError
from spmcli.io.read import Inputs, read_inputs
from spmcli.scheme.model import Source

Cell = str | int | float | dt.date | None


def english(problems: list[RowProblem]) -> list[RowProblem]:
    """The problems with their reasons worded in English, to compare with the texts."""
    return [dataclasses.replace(p, reason=p.reason.text("en")) for p in problems]  # type: ignore[arg-type]


def workbook(path: Path, sheets: dict[str, Sequence[Sequence[Cell]]]) -> Path:
    """A workbook with typed cells: text as text, numbers as numbers, dates as dates."""
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    return path


SALES_HEADER = ["date", "rep_id", "customer_id", "amount"]
JULY_1 = dt.date(2025, 7, 1)


def read_one(path: Path, table: str = "sales", **sources: Source) -> pl.DataFrame:
    return read_inputs([path], sources).tables[table].frame


def problems(inputs: Inputs) -> list[tuple[str, str, int, str, str]]:
    return [(p.file, p.sheet, p.row, p.column, p.value) for p in inputs.problems]


# --- workbooks ----------------------------------------------------------------------


def test_chinese_sheets_and_headers(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "q3.xlsx",
        {
            "销售明细": [
                ["销售日期", "代表编号", "医院编码", "销售金额", "产品", "数量", "回款"],
                [JULY_1, "R001", "00123", 1234.5, "阿司匹林", 10, 1000],
                ["2025/7/2", 123, 456, "¥1,000.00", "=1+1", "3", None],
            ],
            "代表": [["工号", "姓名", "团队", "目标奖金"], ["R001", "张三", "华东", 20000]],
            "Sheet3": [["whatever"]],
        },
    )
    inputs = read_inputs([path])
    sales = inputs.tables["sales"]
    assert sales.sheet == "销售明细"
    assert sales.file == str(path)
    assert sales.headers == {
        "date": "销售日期",
        "rep_id": "代表编号",
        "customer_id": "医院编码",
        "amount": "销售金额",
        "product": "产品",
        "quantity": "数量",
        "collected": "回款",
    }
    assert dict(sales.frame.schema) == (
        {
            "date": pl.Date,
            "rep_id": pl.String,
            "customer_id": pl.String,
            "amount": pl.Decimal(38, 6),
            "product": pl.String,
            "quantity": pl.Float64,
            "collected": pl.Decimal(38, 6),
            "_row": pl.Int64,
        }
    )
    assert sales.frame.to_dicts() == [
        {
            "date": JULY_1,
            "rep_id": "R001",
            "customer_id": "00123",
            "amount": Decimal("1234.5"),
            "product": "阿司匹林",
            "quantity": 10.0,
            "collected": Decimal("1000"),
            "_row": 2,
        },
        {
            "date": dt.date(2025, 7, 2),
            "rep_id": "123",
            "customer_id": "456",
            "amount": Decimal("1000"),
            "product": "=1+1",
            "quantity": 3.0,
            "collected": None,
            "_row": 3,
        },
    ]
    reps = inputs.tables["reps"].frame
    assert reps.to_dicts() == [
        {
            "rep_id": "R001",
            "name": "张三",
            "team": "华东",
            "target_bonus": Decimal("20000"),
            "_row": 2,
        }
    ]
    assert inputs.problems == []
    assert inputs.skipped_rows == 0
    assert [str(note) for note in inputs.notes] == [
        f"{path}: sheet 'Sheet3' matches no table and was ignored"
    ]
    assert [f.path for f in inputs.files] == [str(path)]
    assert len(inputs.files[0].sha256) == 64


def test_excel_dates_datetimes_and_serials(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("sales")
    sheet.write_row(0, 0, SALES_HEADER)
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_datetime(1, 0, dt.datetime(2025, 7, 1, 13, 5), stamp)
    sheet.write_number(2, 0, 45839)  # a date cell that lost its format
    sheet.write_string(3, 0, "2025年7月1日")
    sheet.write_string(4, 0, "04-Jan-24")
    for row in range(1, 5):
        sheet.write_row(row, 1, ["R1", "C1", 1])
    book.close()
    frame = read_one(path)
    assert frame["date"].to_list() == [JULY_1, JULY_1, JULY_1, dt.date(2024, 1, 4)]


def test_float_cells_are_taken_at_15_significant_digits(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "f.xlsx",
        {
            "sales": [
                SALES_HEADER,
                [JULY_1, "R1", "C1", 0.1 + 0.2],
                [JULY_1, "R1", "C1", 123456789012.34567],
                [JULY_1, "R1", "C1", 100000.1],
                [JULY_1, "R1", "C1", 200000.2],
                [JULY_1, "R1", "C1", 91721.605],
            ]
        },
    )
    amounts = read_one(path)["amount"]
    assert amounts.to_list()[:2] == [Decimal("0.3"), Decimal("123456789012.346")]
    assert amounts.slice(2).sum() == Decimal("391721.905")


def test_blank_rows_and_columns_are_ignored_but_rows_keep_their_numbers(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "b.xlsx",
        {
            "sales": [
                ["date", None, "rep_id", "customer_id", "amount"],
                [JULY_1, None, "R1", "C1", 1],
                [],
                [None, None, "   "],
                [JULY_1, None, "R2", "C2", 2],
                [],
                [],
            ]
        },
    )
    inputs = read_inputs([path])
    frame = inputs.tables["sales"].frame
    assert frame.columns == ["date", "rep_id", "customer_id", "amount", "_row"]
    assert frame["_row"].to_list() == [2, 5]
    assert inputs.problems == []


def test_title_rows_above_the_header(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "t.xlsx",
        {
            "销售": [
                ["2025年第三季度销售明细"],
                [],
                ["日期", "代表", "客户编号", "金额"],
                [JULY_1, "R1", "C1", "12.5"],
            ]
        },
    )
    inputs = read_inputs([path])
    assert inputs.tables["sales"].frame["_row"].to_list() == [4]
    assert [str(note) for note in inputs.notes] == [
        f"{path} [销售]: the header is on row 3; the rows above it were ignored"
    ]


def test_bad_cells_are_row_problems_with_file_sheet_row_header_value(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "q3.xlsx",
        {
            "销售": [
                ["日期", "代表编号", "客户编号", "金额", "数量"],
                [JULY_1, "R1", "C1", 10, 1],
                ["soon", "R1", "C1", "ten", 1],
                [JULY_1, None, "C1", 5, "many"],
                ["03/04/2025", "R1", "C1", "5%", None],
                [JULY_1, "R2", "C2", 7, 2],
            ]
        },
    )
    inputs = read_inputs([path])
    file = str(path)
    assert english(inputs.problems) == [
        RowProblem(
            file,
            "销售",
            3,
            "日期",
            "soon",
            "is not a date; write it as 2025-07-01 or set date_format in the scheme's "
            "sources.sales",
        ),
        RowProblem(
            file,
            "销售",
            3,
            "金额",
            "ten",
            "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56",
        ),
        RowProblem(
            file,
            "销售",
            4,
            "代表编号",
            "",
            "is empty; every sales row needs rep_id",
        ),
        RowProblem(file, "销售", 4, "数量", "many", "is not a number; write it like 1234.5"),
        RowProblem(
            file,
            "销售",
            5,
            "日期",
            "03/04/2025",
            "is ambiguous (day/month or month/day?); write it as 2025-07-01 or set "
            "date_format in the scheme's sources.sales, e.g. '%d/%m/%Y'",
        ),
        RowProblem(
            file,
            "销售",
            5,
            "金额",
            "5%",
            "is a percentage, not an amount; write the amount itself, e.g. 1234.56",
        ),
    ]
    assert str(inputs.problems[0]) == (
        f"{file} [销售] row 3, column '日期': 'soon' is not a date; write it as 2025-07-01 "
        "or set date_format in the scheme's sources.sales"
    )
    assert inputs.skipped_rows == 3
    assert inputs.tables["sales"].frame["_row"].to_list() == [2, 6]


def test_duplicate_ids_are_problems_on_the_later_row(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "r.xlsx",
        {
            "sales": [SALES_HEADER, [JULY_1, "R1", "C1", 1]],
            "reps": [["rep_id", "name"], ["R1", "A"], ["R2", "B"], ["R1", "C"]],
            "customers": [["customer_id"], ["C1"], ["C1"]],
        },
    )
    inputs = read_inputs([path])
    assert [(p.sheet, p.row, p.column, p.value, p.reason) for p in english(inputs.problems)] == [
        (
            "reps",
            4,
            "rep_id",
            "R1",
            "repeats a rep_id already listed above; each rep_id must appear once",
        ),
        (
            "customers",
            3,
            "customer_id",
            "C1",
            "repeats a customer_id already listed above; each customer_id must appear once",
        ),
    ]
    assert inputs.tables["reps"].frame["name"].to_list() == ["A", "B"]
    assert inputs.skipped_rows == 2


def test_other_columns_are_kept_and_typed(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "o.xlsx",
        {
            "sales": [
                [*SALES_HEADER, "Gross Margin (%)", "备注", "邮编", "团队"],
                [JULY_1, "R1", "C1", 1, 0.25, "加急", "010000", "华东"],
                [JULY_1, "R1", "C1", 1, "30%", 5, "200000", "华北"],
            ]
        },
    )
    frame = read_one(path)
    assert frame.columns == [*SALES_HEADER, "gross_margin", "备注", "邮编", "team", "_row"]
    assert frame["gross_margin"].to_list() == [0.25, 0.3]
    assert frame["备注"].to_list() == ["加急", "5"]
    assert frame["邮编"].to_list() == ["010000", "200000"]
    assert frame["team"].to_list() == ["华东", "华北"]


def test_targets_percent_and_excel_month_periods(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "t.xlsx",
        {
            "sales": [SALES_HEADER, [JULY_1, "R1", "C1", 1]],
            "目标": [
                ["代表编号", "指标", "目标值", "期间"],
                ["R1", "sales", "1,000,000", "2025-Q3"],
                ["R1", "collection", "95%", dt.date(2025, 7, 1)],
            ],
        },
    )
    frame = read_one(path, "targets")
    assert frame.select("kpi", "target", "period").rows() == [
        ("sales", 1_000_000.0, "2025-Q3"),
        ("collection", 0.95, "2025-07"),
    ]


def test_adjustment_rows_need_points_or_kpi_and_value(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "a.xlsx",
        {
            "sales": [SALES_HEADER, [JULY_1, "R1", "C1", 1]],
            "扣分": [
                ["rep_id", "points", "kpi", "value", "reason"],
                ["R1", 5, None, None, "迟到"],
                ["R1", None, "sales", 1000, "调整"],
                ["R1", None, "sales", None, "?"],
            ],
        },
    )
    inputs = read_inputs([path])
    assert [(p.row, p.column, p.reason) for p in english(inputs.problems)] == [
        (4, "points", "is empty; an adjustment needs points, or a kpi and a value")
    ]
    assert inputs.tables["adjustments"].frame["_row"].to_list() == [2, 3]


# --- sources ------------------------------------------------------------------------


def test_sources_sheet_columns_and_date_format(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "x.xlsx",
        {
            "导出1": [
                ["单据日期", "代表", "终端", "含税金额"],
                ["03/04/2025", "R1", "C1", 10],
                ["31/12/2024", "R1", "C1", 20],
            ]
        },
    )
    source = Source(
        sheet="导出1",
        columns={"date": "单据日期", "customer_id": "终端"},
        date_format="%d/%m/%Y",
    )
    inputs = read_inputs([path], {"sales": source})
    sales = inputs.tables["sales"]
    assert sales.headers == {
        "date": "单据日期",
        "customer_id": "终端",
        "rep_id": "代表",
        "amount": "含税金额",
    }
    assert sales.frame.select("date", "customer_id").rows() == [
        (dt.date(2025, 4, 3), "C1"),
        (dt.date(2024, 12, 31), "C1"),
    ]


def test_sources_naming_a_missing_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "x.xlsx", {"销售明细": [SALES_HEADER]})
    with pytest.raises(DataError) as caught:
        read_inputs([path], {"sales": Source(sheet="销售明")})
    assert str(caught.value) == (
        "sources.sales.sheet: no sheet named '销售明' (sheets: '销售明细') — "
        "did you mean '销售明细'?"
    )


# --- table-level errors ---------------------------------------------------------------


def test_no_sales_table(tmp_path: Path) -> None:
    path = workbook(tmp_path / "q3.xlsx", {"客户": [["customer_id"]], "Sales2": [SALES_HEADER]})
    with pytest.raises(DataError) as caught:
        read_inputs([path])
    assert caught.value.exit_code == 1
    assert str(caught.value) == (
        f"no sales table found; seen: {path} [客户], {path} [Sales2]. Name the sales sheet or "
        "file one of: sales, sales lines, 销售, 销售明细, 销售数据, 销售记录, 流向 — or point "
        "sources.sales.sheet (or .file) in the scheme at it — did you mean 'sales'?"
    )


def test_missing_required_column(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "q3.xlsx",
        {"销售": [["日期", "代表编号", "客户编号", "amout"], [JULY_1, "R1", "C1", 1]]},
    )
    with pytest.raises(DataError) as caught:
        read_inputs([path])
    assert str(caught.value) == (
        f"{path} [销售]: the sales table has no 'amount' column; headers seen: 日期, 代表编号, "
        "客户编号, amout; accepted for amount: amount, 金额, 销售额, 销售金额, 含税金额 — "
        "header 'amout': did you mean 'amount'? rename the header, or map it in the scheme: "
        "sources: {sales: {columns: {amount: <your header>}}}"
    )


def test_two_sheets_for_one_table(tmp_path: Path) -> None:
    path = workbook(tmp_path / "q3.xlsx", {"销售": [SALES_HEADER], "Sales": [SALES_HEADER]})
    with pytest.raises(DataError) as caught:
        read_inputs([path])
    assert str(caught.value) == (
        f"{path} [销售] and {path} [Sales] could each be the sales table — rename or remove "
        "all but one, or choose one with sources.sales.sheet (or .file) in the scheme"
    )


def test_missing_files_and_files_of_other_kinds(tmp_path: Path) -> None:
    # damaged and renamed workbooks are in tests/corpus/ (tests/test_corpus.py)
    with pytest.raises(UsageError, match=r"nothing\.xlsx: no such file or folder"):
        read_inputs([tmp_path / "nothing.xlsx"])
    with pytest.raises(DataError, match=r"is not a file spm reads \(\.txt\)"):
        (tmp_path / "notes.txt").write_text("x")
        read_inputs([tmp_path / "notes.txt"])


# --- CSV and Parquet ------------------------------------------------------------------

SALES_CSV = '日期,代表编号,客户编号,金额\n2025-07-01,R001,00123,"1,234.50"\n2025/7/2,R002,C2,5\n'


def test_csv_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_bytes(b"\xef\xbb\xbf" + SALES_CSV.encode())
    frame = read_one(path)
    assert frame.rows() == [
        (JULY_1, "R001", "00123", Decimal("1234.5"), 2),
        (dt.date(2025, 7, 2), "R002", "C2", Decimal("5"), 3),
    ]


def test_csv_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "销售.csv"
    path.write_bytes(SALES_CSV.replace("R001", "张三").encode("gb18030"))
    frame = read_one(path)
    assert frame["rep_id"].to_list() == ["张三", "R002"]
    assert frame["amount"].to_list() == [Decimal("1234.5"), Decimal("5")]


def test_csv_full_precision_floats_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(
        "date,rep_id,customer_id,amount,\n"
        "2025-07-01,R1,C1,0.30000000000000004,\n"
        "\n"
        "2025-07-01,R1,C1,1.1,\n"
        ",,,\n"
    )
    frame = read_one(path)
    assert frame["amount"].to_list() == [Decimal("0.3"), Decimal("1.1")]
    assert frame["_row"].to_list() == [2, 4]


def test_folder_of_csv_and_parquet(tmp_path: Path) -> None:
    folder = tmp_path / "q3"
    folder.mkdir()
    (folder / "销售明细.csv").write_text(SALES_CSV)
    pl.DataFrame(
        {"rep_id": ["R001", "R002"], "team": ["华东", "华北"], "target_bonus": [20000.5, 1e4]}
    ).write_parquet(folder / "reps.parquet")
    (folder / "readme.md").write_text("ignored")
    (folder / "old.csv").write_text("a\n1\n")
    inputs = read_inputs([folder])
    assert sorted(inputs.tables) == ["reps", "sales"]
    assert inputs.tables["sales"].file == str(folder / "销售明细.csv")
    assert inputs.tables["sales"].sheet == ""
    reps = inputs.tables["reps"].frame
    assert reps.rows() == [
        ("R001", "华东", Decimal("20000.5"), 2),
        ("R002", "华北", Decimal("10000"), 3),
    ]
    assert [str(note) for note in inputs.notes] == [
        f"{folder / 'old.csv'}: file name 'old' matches no table and was ignored"
    ]
    assert [f.path for f in inputs.files] == [
        str(folder / "reps.parquet"),
        str(folder / "销售明细.csv"),
    ]


def test_parquet_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "sales.parquet"
    pl.DataFrame(
        {
            "date": [JULY_1, dt.date(2025, 7, 2)],
            "rep_id": [1, 2],
            "customer_id": ["00123", "C2"],
            "amount": [0.1 + 0.2, 5.0],
        }
    ).write_parquet(path)
    frame = read_one(path)
    assert frame.rows() == [
        (JULY_1, "1", "00123", Decimal("0.3"), 2),
        (dt.date(2025, 7, 2), "2", "C2", Decimal("5"), 3),
    ]


def test_single_csv_with_any_name_is_the_sales_table(tmp_path: Path) -> None:
    path = tmp_path / "export_2025.csv"
    path.write_text(SALES_CSV)
    inputs = read_inputs([path])
    assert inputs.tables["sales"].frame.height == 2
    assert [str(note) for note in inputs.notes] == [
        f"{path}: the only table given, read as the sales table"
    ]


def test_several_files_given(tmp_path: Path) -> None:
    book = workbook(tmp_path / "q3.xlsx", {"sales": [SALES_HEADER, [JULY_1, "R1", "C1", 1]]})
    visits = tmp_path / "拜访记录.csv"
    visits.write_text("拜访日期,代表编号,客户编号,拜访结果\n2025-07-03,R1,C1,有效\n")
    inputs = read_inputs([book, visits])
    assert inputs.tables["visits"].frame.rows() == [(dt.date(2025, 7, 3), "R1", "C1", "有效", 2)]
    assert [f.path for f in inputs.files] == [str(book), str(visits)]


def test_csv_ragged_lines_semicolons_and_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(
        "date;rep_id;customer_id;amount;note\n"
        '2025-07-01;R1;C1;1234.5;"two\nlines"\n'
        "2025-07-02;R2;C2;7\n"
        '2025-07-03;R3;C3;"1.234,5";\n'
    )
    inputs = read_inputs([path])
    frame = inputs.tables["sales"].frame
    assert frame.select("rep_id", "note", "_row").rows() == [
        ("R1", "two\nlines", 2),
        ("R2", None, 3),
    ]
    assert [(p.row, p.column, p.value) for p in english(inputs.problems)] == [
        (4, "amount", "1.234,5")
    ]


@pytest.mark.parametrize("quoted", ["", '"'], ids=["unquoted", "quoted elsewhere"])
def test_a_line_with_more_fields_is_reported_even_when_the_extra_one_is_empty(
    tmp_path: Path, quoted: str
) -> None:
    """An unquoted 1,000 before an empty last column gives the line one more field, an empty
    one: read as it stands, its amount would be 1 and its note 000."""
    path = tmp_path / "sales.csv"
    path.write_text(
        "date,rep_id,customer_id,amount,note\n2025-07-01,R1,C1,1,000,\n"
        f"2025-07-02,R1,{quoted}C2{quoted},2500,\n"
    )
    inputs = read_inputs([path])
    assert [(p.row, p.column, p.value) for p in inputs.problems] == [(2, "column 6", "")]
    assert "more fields than the header" in inputs.problems[0].text("en")
    assert inputs.tables["sales"].frame["amount"].to_list() == [Decimal("2500")]


def test_quotes_inside_fields_that_are_not_quoted_are_text(tmp_path: Path) -> None:
    """As Excel reads them: a quote inside a field, or text after a closing quote."""
    path = tmp_path / "sales.csv"
    path.write_text('date,rep_id,customer_id,amount\n2025-07-01,R"1,"C1"x,5\n')
    assert read_one(path).select("rep_id", "customer_id").rows() == [('R"1', "C1x")]


def test_a_quote_that_is_never_closed_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(
        'date,rep_id,customer_id,amount\n2025-07-01,R1,C1,5\n2025-07-02,"R2,C2,7\n'
        "2025-07-03,R3,C3,9\n"
    )
    with pytest.raises(DataError) as refused:
        read_inputs([path])
    assert str(refused.value) == (
        f"{path}: a quote on line 3 is never closed, so every line after it would be read into "
        "one field — close it, or put the whole field in quotes and write every quote inside it "
        'twice (""), and export again'
    )


def test_sources_file_for_a_table(tmp_path: Path) -> None:
    book = workbook(tmp_path / "q3.xlsx", {"sales": [SALES_HEADER, [JULY_1, "R1", "C1", 1]]})
    (tmp_path / "kpi_plan.csv").write_text("rep_id,kpi,target\nR1,sales,100\n")
    inputs = read_inputs([book], {"targets": Source(file="kpi_plan.csv")})
    targets = inputs.tables["targets"]
    assert targets.file == str(tmp_path / "kpi_plan.csv")
    assert targets.frame.rows() == [("R1", "sales", 100.0, 2)]


def test_legacy_xls_that_is_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "export.xls"
    fake.write_text("<html><table><tr><td>1</td></tr></table></html>")
    with pytest.raises(DataError, match=r"open it and save it as \.xlsx"):
        read_inputs([fake])


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"], ids=["empty", "bom-only"])
def test_an_empty_csv_is_an_empty_table_not_a_traceback(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "sales.csv").write_text("date,rep_id,customer_id,amount\n2025-07-01,R1,C1,5\n")
    (tmp_path / "visits.csv").write_bytes(content)
    inputs = read_inputs([tmp_path])
    assert "visits" not in inputs.tables and inputs.tables["sales"].frame.height == 1
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "sales.csv").write_bytes(content)
    with pytest.raises(DataError) as refused:
        read_inputs([lone])
    assert refused.value.problems[0].text("en").endswith("the sales table is empty (no header row)")
