"""``spm tier-customers`` end to end, as a user runs it (Typer's CliRunner): on the shipped
sample, on a folder of CSV files with Chinese headers, and with the usual mistakes."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def run_en(*args: str | Path) -> Any:
    """A run in English, for the tests that read its messages."""
    return run(*args, "--lang", "en")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """One run on the shipped sample with the built-in scheme, shared by the tests below."""
    work = tmp_path_factory.mktemp("tiers")
    shutil.copy(SAMPLE, work / "q3.xlsx")
    result = run("tier-customers", work / "q3.xlsx", "--out", work / "out", "--json")
    assert result.exit_code == 0, result.output
    return work, result


def values(ws: Any) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


# --- the sample -------------------------------------------------------------------------------


def test_help_shows_examples() -> None:
    result = run("tier-customers", "--help")
    assert result.exit_code == 0
    assert "spm tier-customers sample_data/q3.xlsx" in result.stdout
    assert "tier-customers" in run("--help").stdout


def test_sample_tiers(sample: tuple[Path, Any]) -> None:
    _, result = sample
    data = json.loads(result.stdout)
    assert list(data) == ["customers", "summary", "reps"]
    summary = data["summary"]
    assert (summary["period"], summary["window"]["label"], summary["compared_with"]["label"]) == (
        "2025-Q3",
        "2025-Q3",
        "2025-Q2",
    )
    assert [(t["tier"], t["customers"]) for t in summary["tiers"]] == [
        ("A", 70),
        ("B", 69),
        ("C", 361),
    ]
    assert summary["customers"] == len(data["customers"]) == 500
    assert [t["share"] for t in summary["tiers"]] == [0.7977, 0.1513, 0.051]
    first = data["customers"][0]
    assert list(first) == [
        "customer_id", "name", "rep_id", "value", "share", "cum_share", "tier",
        "potential_tier", "type",
    ]  # fmt: skip
    assert first == {
        "customer_id": "H0009",
        "name": "天津市第一人民医院",
        "rep_id": "R004",
        "value": 594627.8,
        "share": 0.0438,
        "cum_share": 0.0438,
        "tier": "A",
        "potential_tier": "high",
        "type": "stable",
    }
    a_share = sum(c["share"] for c in data["customers"] if c["tier"] == "A")
    assert a_share == pytest.approx(0.7977, abs=1e-3) and a_share <= 0.8
    potentials = [c["potential_tier"] for c in data["customers"]]
    # 167 / 167 / 166 without ties; the sample's potentials are whole 10,000s, and equal
    # potentials share a third
    assert [potentials.count(p) for p in ("high", "medium", "low")] == [171, 178, 151]
    assert {t["type"]: t["customers"] for t in summary["types"]["counts"]} == {
        "new": 30, "growing": 88, "stable": 84, "declining": 28, "lost": 83, "inactive": 187,
    }  # fmt: skip
    assert len(summary["migration"]["movers"]) == 39
    plan = summary["call_plan"]
    assert (plan["a_customers"], plan["months"], plan["visits_per_month"]) == (
        70,
        3,
        {"A": 4, "B": 2, "C": 1},
    )
    assert len(data["reps"]) == 40  # R099 sold without being on the roster, but owns no customer
    r001 = next(r for r in data["reps"] if r["rep_id"] == "R001")
    assert (r001["tiers"], r001["call_plan"]["compliance"]) == ({"A": 2, "B": 1, "C": 8}, 0.8889)
    assert r001["call_plan"]["under_visited_customers"][0] == {
        "customer_id": "H0037",
        "name": "温州市新城区中医医院",
        "tier": "A",
        "required": 12,
        "visits": 9,
        "gap": 3,
    }


def test_sample_json_is_byte_identical_on_a_rerun(sample: tuple[Path, Any], tmp_path: Path) -> None:
    work, first = sample
    again = run("tier-customers", work / "q3.xlsx", "--out", tmp_path, "--json", "--quiet")
    assert again.exit_code == 0
    assert again.stdout == first.stdout


def test_sample_workbook(sample: tuple[Path, Any]) -> None:
    work, _ = sample
    path = work / "out" / "tiers.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:7] == [
        "分级汇总", "客户分级", "帕累托图", "价值潜力矩阵", "分级迁移", "拜访计划执行", "警告",
    ]  # fmt: skip
    assert book.sheetnames[7] == "R001 吴敏艳"
    assert len(book.sheetnames) == 7 + 40  # a sheet per rep owning customers
    customers = book["客户分级"]
    assert values(customers)[1][:9] == [
        1, "H0009", "天津市第一人民医院", "R004", "刘俊", 594627.8, 0.0438, 0.0438, "A",
    ]  # fmt: skip
    assert customers["F2"].number_format == "#,##0.00"
    assert customers["G2"].number_format == "0.0%"
    assert customers.freeze_panes == "A2"
    summary = values(book["分级汇总"])
    assert summary[0][0] == "客户分级 2025-Q3"
    tiers_at = next(i for i, row in enumerate(summary) if row[0] == "分级")
    assert summary[tiers_at : tiers_at + 5] == [
        ["分级", "客户数", "客户数占比", "销售额", "价值占比"],
        ["A", 70, 0.14, 10838903.4, 0.7977],
        ["B", 69, 0.138, 2055851.2, 0.1513],
        ["C", 361, 0.722, 693183.8, 0.051],
        ["合计", 500, None, 13587938.4, None],
    ]
    matrix = values(book["价值潜力矩阵"])
    assert matrix[2:7] == [
        ["客户数", "高", "中", "低", "合计"],
        ["A", 70, 0, 0, 70],
        ["B", 55, 13, 1, 69],
        ["C", 46, 165, 150, 361],
        ["合计", 171, 178, 151, 500],
    ]
    assert ["A", "重点投入，扩大份额", "维护巩固", "保持关系，控制投入", None] in matrix
    migration = values(book["分级迁移"])
    assert migration[3][:5] == ["A", 65, 3, 0, 68]
    plan = values(book["拜访计划执行"])
    assert plan[4][:12] == [
        "R001", "吴敏艳", "华东一组", 11, 2, 1, 8, 249964.9, 54, 59, 48, 0.8889,
    ]  # fmt: skip
    rep = values(book["R001 吴敏艳"])
    assert rep[3][:4] == ["H0126", "宁波市中医院", "A", 141844.7]
    with zipfile.ZipFile(path) as z:
        chart = z.read("xl/charts/chart1.xml").decode("utf-8")
    assert "<c:barChart>" in chart and "<c:lineChart>" in chart
    assert chart.count("<c:valAx>") == 2  # the cumulative share on a secondary axis
    # the 230 customers with a positive value (new, growing, stable, declining): columns of
    # their value and the line of their cumulative share, each over their customer ids
    assert re.search(r"<c:f>'?客户分级'?!\$F\$2:\$F\$231</c:f>", chart)
    assert re.search(r"<c:f>'?客户分级'?!\$H\$2:\$H\$231</c:f>", chart)
    assert chart.count("客户分级!$B$2:$B$231") == 2


def test_sample_console_summary(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    result = run("tier-customers", tmp_path / "q3.xlsx", "--out", tmp_path / "o", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Customer tiers 2025-Q3 · revenue · the whole company" in out
    assert "10,838,903.40" in out and "79.8%" in out
    assert "invest: grow share" in out  # the matrix
    assert "39 customers changed tier: 22 up, 17 down" in out
    assert "Largest call-plan gaps" in out and "R006" in out
    assert f"wrote {tmp_path / 'o' / 'tiers.xlsx'}" in result.stderr


def test_options_and_an_earlier_evaluation_in_the_same_folder(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    out = tmp_path / "close"
    assert run_en("evaluate", tmp_path / "q3.xlsx", "--out", out, "--quiet").exit_code == 0
    args = ("tier-customers", tmp_path / "q3.xlsx", "--out", out, "--json", "--quiet")
    result = run_en(*args, "--by", "gross_margin", "--window", "12m", "--per", "team")
    assert result.exit_code == 0, result.output  # evaluate's outputs may share the folder
    summary = json.loads(result.stdout)["summary"]
    assert (summary["by"], summary["per"], summary["window"]["label"]) == (
        "gross_margin",
        "team",
        "2024-10..2025-09",
    )
    assert [g["group"] for g in summary["groups"]] == ["华东一组", "华东二组", "华北组", "华南组"]
    assert any(w["code"] == "visits_start_late" for w in summary["warnings"])
    again = run_en(*args)
    assert again.exit_code == 2
    assert "tiers.xlsx' already exists — use --force" in again.stderr
    percent = run_en(*args, "--force", "--thresholds", "80%,95%")
    assert percent.exit_code == 0
    assert json.loads(percent.stdout)["summary"]["thresholds"] == [0.8, 0.95]


# --- a CSV folder with Chinese headers --------------------------------------------------------


def write_csv(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8-sig")


@pytest.fixture
def csv_folder(tmp_path: Path) -> Path:
    """Four customers worked out by hand (gross margin in 2025-Q3, revenue against Q2)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    write_csv(
        folder,
        "销售.csv",
        "销售日期,代表编号,客户编号,客户名称,金额,成本\n"
        '2025/7/5,R1,H1,第一医院,"1,000.00",700\n'
        "2025年8月1日,R1,H2,第二医院,¥800.00,300\n"
        "2025-09-30,R2,P1,康宁药房,400,250\n"
        "2025-07-10,R2,C1,城东诊所,100,50\n"
        "2025-04-10,R1,H1,第一医院,2000,1000\n"
        "2025-05-01,R1,H2,第二医院,100,50\n"
        "2024-12-01,R2,C1,城东诊所,70,30\n",
    )
    write_csv(
        folder,
        "客户.csv",
        "客户编号,客户名称,代表编号,潜力\nH1,第一医院,R1,900\nH2,第二医院,R1,300\n"
        "P1,康宁药房,R2,500\nC1,城东诊所,R2,100\nX9,新开诊所,R2,10\n",
    )
    write_csv(folder, "代表.csv", "工号,姓名,团队\nR1,王伟,华东\nR2,李娜,华东\nR3,张敏,华北\n")
    visits = ["拜访日期,代表编号,客户编号"]
    visits += ["2025-07-15,R1,H2"] * 12 + ["2025-08-15,R1,H1"] * 4 + ["2025-09-01,R2,P1"] * 6
    write_csv(folder, "拜访记录.csv", "\n".join(visits) + "\n")
    return folder


def test_csv_folder_with_chinese_headers(csv_folder: Path, tmp_path: Path) -> None:
    result = run(
        "tier-customers", csv_folder, "--by", "gross_margin", "--lang", "en",
        "--period", "2025-Q3", "--out", tmp_path / "out", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # gross margin: H2 500, H1 300, P1 150, C1 50, X9 0 → cumulative 50, 80, 95, 100 %
    assert [
        (c["customer_id"], c["value"], c["cum_share"], c["tier"], c["potential_tier"], c["type"])
        for c in data["customers"]
    ] == [
        ("H2", 500.0, 0.5, "A", "medium", "growing"),  # revenue 800 against 100
        ("H1", 300.0, 0.8, "A", "high", "declining"),  # 1,000 against 2,000
        ("P1", 150.0, 0.95, "B", "high", "new"),
        ("C1", 50.0, 1.0, "C", "medium", "growing"),  # back after a quarter without orders
        ("X9", 0.0, None, "C", "low", "inactive"),
    ]
    summary = data["summary"]
    assert summary["revenue"] == 2300.0 and summary["value"] == 1000.0
    moved = [
        (m["customer_id"], m["tier_before"], m["tier"]) for m in summary["migration"]["movers"]
    ]
    assert moved == [("H2", "C", "A"), ("P1", "C", "B")]  # H1 was A (margin 1,000 of 1,050)
    reps = {r["rep_id"]: r for r in data["reps"]}
    assert list(reps) == ["R1", "R2", "R3"]
    r1, r2 = reps["R1"]["call_plan"], reps["R2"]["call_plan"]
    assert (r1["required"], r1["visits"], r1["compliance"], r1["a_coverage"]) == (
        24,
        16,
        0.6667,
        0.5,
    )
    assert [c["customer_id"] for c in r1["under_visited_customers"]] == ["H1"]
    assert (r2["required"], r2["counted"], r2["compliance"], r2["a_coverage"]) == (12, 6, 0.5, None)
    assert reps["R3"]["customers"] == 0
    book = openpyxl.load_workbook(tmp_path / "out" / "tiers.xlsx")
    assert book.sheetnames[:7] == [
        "Tier summary", "Customers", "Pareto", "Value × potential", "Tier migration",
        "Call plan", "Warnings",
    ]  # fmt: skip
    assert values(book["Customers"])[0][:9] == [
        "Rank", "Customer ID", "Customer", "Rep ID", "Rep name", "Gross margin", "Share",
        "Cumulative share", "Tier",
    ]  # fmt: skip


# --- mistakes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (
            ("--by", "revenu"),
            "error: --by: 'revenu' is not one of revenue, gross_margin — did you mean 'revenue'?",
        ),
        (
            ("--thresholds", "0.95,0.8"),
            "error: --thresholds: '0.95,0.8' is not two shares with 0 < first < second ≤ 1 — "
            "write two cumulative shares, e.g. --thresholds 0.8,0.95 (or 80%,95%)",
        ),
        (
            ("--thresholds", "0.8;0.95"),
            "error: --thresholds: '0.8;0.95' is not a number — write two cumulative shares, "
            "e.g. --thresholds 0.8,0.95 (or 80%,95%)",
        ),
        (
            ("--per", "teams"),
            "error: --per: 'teams' is not one of team, region — did you mean 'team'?",
        ),
        (("--window", "1y"), "error: --window: '1y' is not one of period, 12m"),
    ],
)
def test_usage_errors_exit_2(csv_folder: Path, option: tuple[str, str], expected: str) -> None:
    result = run_en("tier-customers", csv_folder, *option)
    assert result.exit_code == 2
    assert result.stderr.strip() == expected
    assert result.stdout == ""


def test_gross_margin_without_cost_is_a_data_error(csv_folder: Path) -> None:
    write_csv(csv_folder, "销售.csv", "日期,代表编号,客户编号,金额\n2025-07-01,R1,H1,10\n")
    result = run_en("tier-customers", csv_folder, "--by", "gross_margin")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {csv_folder / '销售.csv'}: the sales table has no 'cost' column, which --by "
        "gross_margin needs; headers seen: 日期, 代表编号, 客户编号, 金额 — add the cost column "
        "(成本), map it in sources.sales.columns, or tier by revenue"
    )


def test_a_bad_row_stops_the_run_unless_skipped(csv_folder: Path, tmp_path: Path) -> None:
    path = csv_folder / "销售.csv"
    path.write_text(
        path.read_text(encoding="utf-8-sig") + "2025-07-02,R1,H1,第一医院,abc,1\n", "utf-8"
    )
    out = tmp_path / "out"
    result = run_en("tier-customers", csv_folder, "--out", out)
    assert result.exit_code == 1
    assert f"{path} row 9, column '金额': 'abc'" in result.stderr
    assert (out / "errors.xlsx").is_file() and not (out / "tiers.xlsx").exists()
    skipped = run_en("tier-customers", csv_folder, "--out", out, "--skip-invalid", "--json")
    assert skipped.exit_code == 0
    warnings = json.loads(skipped.stdout)["summary"]["warnings"]
    assert warnings[0]["code"] == "skipped_row" and "row 9" in warnings[0]["message"]
