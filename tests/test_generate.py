"""The sample-data generator: table shapes in every format, determinism, and that the
committed sample workbook is what the generator makes with its default arguments."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest
from polars.testing import assert_frame_equal

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
TINY = [
    "--reps",
    "6",
    "--customers",
    "30",
    "--sales-lines",
    "300",
    "--visits",
    "120",
    "--seed",
    "3",
]

# The sheets of the sample, in workbook order: (table, sheet, headers).
SHEETS = [
    ("reps", "代表", ["代表编号", "姓名", "团队", "角色", "经理", "区域", "目标奖金", "邮箱"]),
    (
        "sales",
        "销售明细",
        [
            "销售日期",
            "代表编号",
            "客户编号",
            "客户名称",
            "产品",
            "产品类别",
            "数量",
            "金额",
            "成本",
            "回款金额",
        ],
    ),
    ("visits", "拜访记录", ["拜访日期", "代表编号", "客户编号", "拜访类型", "拜访结果"]),
    ("satisfaction", "满意度调查", ["调查日期", "客户编号", "代表编号", "评分"]),
    ("targets", "目标", ["代表编号", "指标", "期间", "目标值"]),
    (
        "customers",
        "客户",
        ["客户编号", "客户名称", "代表编号", "潜力", "客户类型", "区域", "医院等级"],
    ),
    ("activities", "活动", ["活动日期", "代表编号", "活动类型", "参与人数"]),
    ("ratings", "主管评分", ["代表编号", "评价项目", "评级", "期间", "评价人"]),
    ("adjustments", "考核调整", ["代表编号", "扣分", "指标", "调整值", "原因", "审批人"]),
    ("comments", "经理评语", ["代表编号", "优势", "待改进", "改进计划"]),
]
TINY_ROWS = {"reps": 6, "sales": 300, "visits": 120, "customers": 30, "adjustments": 2}


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    """sample_data/generate.py is a script, not a package module: load it by path."""
    spec = importlib.util.spec_from_file_location("sample_generate", SAMPLE_DATA / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sample_generate"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def check_tables(frames: dict[str, pl.DataFrame]) -> None:
    """Headers, row counts and column types shared by every format."""
    for table, _, headers in SHEETS:
        assert frames[table].columns == headers, table
        if table in TINY_ROWS:
            assert frames[table].height == TINY_ROWS[table], table
        else:
            assert frames[table].height > 0, table
        for column in ("代表编号", "客户编号"):
            if column in headers:
                assert frames[table].schema[column] == pl.String, (table, column)
    sales = frames["sales"]
    assert sales.schema["销售日期"] == pl.Date
    assert sales.schema["金额"].is_numeric()
    assert sales["销售日期"].min() >= date(2023, 10, 1)
    assert sales["销售日期"].max() <= date(2025, 9, 30)


def test_xlsx_has_one_sheet_per_table(generator: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "tiny.xlsx"
    assert generator.main(["--out", str(out), *TINY]) == 0
    sheets = pl.read_excel(out, sheet_id=0)
    assert list(sheets) == [sheet for _, sheet, _ in SHEETS]
    check_tables({table: sheets[sheet] for table, sheet, _ in SHEETS})


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_folder_has_one_file_per_table(generator: ModuleType, tmp_path: Path, fmt: str) -> None:
    assert generator.main(["--out", str(tmp_path), "--format", fmt, *TINY]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        f"{table}.{fmt}" for table, _, _ in SHEETS
    )
    if fmt == "csv":
        frames = {
            table: pl.read_csv(tmp_path / f"{table}.csv", try_parse_dates=True)
            for table, _, _ in SHEETS
        }
    else:
        frames = {table: pl.read_parquet(tmp_path / f"{table}.parquet") for table, _, _ in SHEETS}
    check_tables(frames)


def test_csv_is_utf8_with_two_decimal_amounts(generator: ModuleType, tmp_path: Path) -> None:
    generator.main(["--out", str(tmp_path), "--format", "csv", *TINY])
    header, first = (tmp_path / "sales.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert header == ",".join(SHEETS[1][2])
    amount = first.split(",")[7]
    assert amount.split(".")[1].isdigit() and len(amount.split(".")[1]) == 2


def test_same_seed_gives_same_bytes(generator: ModuleType, tmp_path: Path) -> None:
    for run in ("a", "b"):
        generator.main(["--out", str(tmp_path / run), "--format", "csv", *TINY])
    for table, _, _ in SHEETS:
        first, second = (tmp_path / run / f"{table}.csv" for run in ("a", "b"))
        assert first.read_bytes() == second.read_bytes(), table
    generator.main(["--out", str(tmp_path / "c"), "--format", "csv", *TINY[:-1], "4"])
    other, first = (tmp_path / run / "sales.csv" for run in ("c", "a"))
    assert other.read_bytes() != first.read_bytes()


def test_too_few_sales_lines_is_a_usage_error(generator: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        generator.main(
            ["--out", str(tmp_path / "x.xlsx"), "--customers", "300", "--sales-lines", "100"]
        )
    assert exit_info.value.code == 2


def test_committed_sample_is_the_default_output(generator: ModuleType, tmp_path: Path) -> None:
    """Regenerate with `python sample_data/generate.py` when this fails after a change."""
    fresh = tmp_path / "q3.xlsx"
    generator.main(["--out", str(fresh)])
    committed = pl.read_excel(SAMPLE_DATA / "q3.xlsx", sheet_id=0)
    expected = pl.read_excel(fresh, sheet_id=0)
    assert list(committed) == list(expected)
    for sheet, frame in expected.items():
        assert_frame_equal(committed[sheet], frame, check_exact=True)


def test_sample_tells_the_documented_story(generator: ModuleType) -> None:
    """The cases the sample exists to show (see the generator's docstrings)."""
    tables = generator.generate()
    sales, reps, targets = tables["sales"], tables["reps"], tables["targets"]
    assert reps.height == 40
    assert 8_000 <= sales.height <= 12_000
    assert "R040" not in sales["代表编号"]
    off_roster = sales.filter(~pl.col("代表编号").is_in(reps["代表编号"].implode()))
    assert off_roster["代表编号"].to_list() == ["R099"]
    assert off_roster["销售日期"][0] >= date(2025, 7, 1)
    assert sales.filter(pl.col("金额") < 0).height > 0

    q3_targets = targets.filter(pl.col("期间") == "2025-Q3")
    for kpi, missing in (("sales", 2), ("visits", 1)):
        have = q3_targets.filter(pl.col("指标") == kpi)["代表编号"]
        assert reps.height - have.n_unique() == missing, kpi

    adjustments = tables["adjustments"]
    assert adjustments["扣分"].to_list() == [5, None]
    assert adjustments["指标"].to_list() == [None, "sales"]
    assert tables["ratings"].height == 39
    assert tables["satisfaction"]["代表编号"].null_count() > 0
