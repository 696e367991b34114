"""Pay in the outputs (SPEC §4 Pay, §5): the rep's Pay statement, the Payroll sheet of
summary.xlsx and the JSON ``pay``, ``pay_detail`` and ``pay_totals``.

The evaluation is computed by the real engine on tiny frames, so every figure here was
worked out by hand from the scheme: commission tiers 0 / 2 % from 80 % / 3 % from 100 % /
5 % from 120 % of a 100,000 target, a bonus curve 0 → 0, 60 → 0.5, 100 → 1, 120 → 1.5,
and a team pool of 100,000 split by final score once the team reaches 100 %.

  rep  team   sales    target   final score  bonus base  team pool
  R1   East   130,000  100,000  120 (capped)  20,000      East 210 %: 120 / 200 of the pool
  R2   East    80,000  100,000   80           10,000      ... 80 / 200
  R3-5 West   100,000  100,000  100 each      10,000      West 100 %: thirds, + 0.01 to R3
  R6   North   50,000  100,000   50            9,000      North 50 %: no pool
  R7   North   40,000  (none)   N/A            9,000      no target: no score, no commission
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from engine_fixtures import MONEY, frame
from outputs_fixtures import run_info
from test_pay import CURVE, TIERS
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.engine.evaluate import evaluate
from spmcli.engine.result import Evaluation
from spmcli.io.json_result import evaluation_json
from spmcli.io.rep_workbooks import write_rep_workbooks
from spmcli.io.summary import write_summary
from spmcli.report.figures import working_text
from spmcli.scheme.model import Scheme

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
REPS = [  # rep_id, team, sales, target, target bonus
    ("R1", "East", "130000", 100_000.0, "20000"),
    ("R2", "East", "80000", 100_000.0, "10000"),
    ("R3", "West", "100000", 100_000.0, "10000"),
    ("R4", "West", "100000", 100_000.0, "10000"),
    ("R5", "West", "100000", 100_000.0, "10000"),
    ("R6", "North", "50000", 100_000.0, "9000"),
    ("R7", "North", "40000", None, "9000"),
]


def pay_scheme(locale: str = "zh", **pay: Any) -> Scheme:
    rules = {
        "bonus": {"base": "target_bonus", "points": CURVE, "cap": 1.5},
        "commission": {"kpi": "sales", "mode": "marginal", "tiers": TIERS},
        "team_pool": {"amount": 100000, "kpi": "team_sales", "threshold": 1.0},
    }
    rules.update(pay)
    return Scheme.model_validate(
        {
            "name": "pay",
            "locale": locale,
            "kpis": [
                {"id": "sales", "label": "销售额", "value": "SUM(amount)", "target": "targets"},
                {"id": "team_sales", "label": "团队销售达成", "scope": "team", "of": "sales"},
            ],
            "roles": {"rep": {"weights": {"sales": 100}}},
            "default_role": "rep",
            "grades": [{"grade": "A", "min": 90}, {"grade": "B", "min": 0}],
            "pay": rules,
        }
    )


def tables() -> dict[str, pl.DataFrame]:
    reps = frame(
        [
            {"rep_id": r, "name": f"Rep {r}", "team": t, "target_bonus": Decimal(b)}
            for r, t, _, _, b in REPS
        ],
        {"rep_id": pl.String, "name": pl.String, "team": pl.String, "target_bonus": MONEY},
    )
    sales = frame(
        [
            {"date": date(2025, 8, 1), "rep_id": r, "customer_id": "C1", "amount": Decimal(a)}
            for r, _, a, _, _ in REPS
        ],
        {"date": pl.Date, "rep_id": pl.String, "customer_id": pl.String, "amount": MONEY},
    )
    targets = frame(
        [
            {"rep_id": r, "kpi": "sales", "target": t, "period": None}
            for r, _, _, t, _ in REPS
            if t is not None
        ],
        {"rep_id": pl.String, "kpi": pl.String, "target": pl.Float64, "period": pl.String},
    )
    return {"reps": reps, "sales": sales, "targets": targets}


def pay_evaluation(locale: str = "zh", **pay: Any) -> Evaluation:
    return evaluate(pay_scheme(locale, **pay), tables(), "2025-Q3")


def values(ws: Any) -> list[list[Any]]:
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return [row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)]
            for row in rows]  # fmt: skip


def books(ev: Evaluation, folder: Path) -> dict[str, Any]:
    return {p.stem: openpyxl.load_workbook(p) for p in write_rep_workbooks(ev, folder)}


def statement(folder: Path, rep_id: str, **pay: Any) -> list[list[Any]]:
    """The rows of one rep's Pay statement, with the scheme's pay rules changed by ``pay``."""
    return values(books(pay_evaluation(**pay), folder)[rep_id]["薪酬明细"])


def item(rows: list[list[Any]], name: str, nth: int = 0) -> list[Any]:
    """The nth statement row whose first cell is ``name``."""
    return [row for row in rows if row and row[0] == name][nth]


@pytest.fixture(scope="module")
def statements(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Any]]]:
    found = books(pay_evaluation(), tmp_path_factory.mktemp("reps"))
    return {rep: values(book["薪酬明细"]) for rep, book in found.items()}


# ------------------------------------------------------------------- pay statement


def tier_rows(rows: list[list[Any]]) -> list[list[Any]]:
    start = next(i for i, row in enumerate(rows) if row and row[0] == "档位")
    return rows[start : start + 6]


def test_statement_commission_tiers_at_130_percent(statements: dict[str, Any]) -> None:
    rows = statements["R1"]
    assert item(rows, "提成指标") == ["提成指标", "销售额"]
    assert item(rows, "实际") == ["实际", 130000]
    assert item(rows, "目标") == ["目标", 100000]
    assert item(rows, "达成率") == ["达成率", 1.3, "130,000.00 / 100,000.00 = 130.00%"]
    assert tier_rows(rows) == [
        ["档位", "起点（达成率）", "止点（达成率）", "起点金额（起点 × 目标）",
         "止点金额（止点 × 目标）", "落在本档的部分", "比例", "金额", "计算"],
        [1, 0, 0.8, 0, 80000, 80000, 0, 0, "80,000.00 × 0% = 0.00"],
        [2, 0.8, 1, 80000, 100000, 20000, 0.02, 400, "20,000.00 × 2% = 400.00"],
        [3, 1, 1.2, 100000, 120000, 20000, 0.03, 600, "20,000.00 × 3% = 600.00"],
        [4, 1.2, None, 120000, None, 10000, 0.05, 500, "10,000.00 × 5% = 500.00"],
        ["合计", None, None, None, None, 130000, None, 1500,
         "400.00 + 600.00 + 500.00 = 1,500.00"],
    ]  # fmt: skip


def test_statement_commission_whole_mode_marks_the_highest_tier(tmp_path: Path) -> None:
    rows = statement(tmp_path, "R1", commission={"kpi": "sales", "mode": "whole", "tiers": TIERS})
    assert "全额" in item(rows, "计提方式")[2]
    tiers = tier_rows(rows)
    assert [row[5:8] for row in tiers[1:5]] == [[0, 0, 0], [0, 0.02, 0], [0, 0.03, 0],
                                               [130000, 0.05, 6500]]  # fmt: skip
    assert [row[8] if len(row) > 8 else None for row in tiers[1:5]] == [
        None, None, None, "达到的最高档：130,000.00 × 5% = 6,500.00",
    ]  # fmt: skip
    assert tiers[5][7:] == [6500, "6,500.00 = 6,500.00"]


def test_statement_commission_at_a_tier_start_and_without_target(
    statements: dict[str, Any],
) -> None:
    # exactly 80 %: the 2 % tier starts there (inclusive) with nothing in it yet
    tiers = tier_rows(statements["R2"])
    assert [row[5:8] for row in tiers[1:5]] == [[80000, 0, 0], [0, 0.02, 0], [0, 0.03, 0],
                                               [0, 0.05, 0]]  # fmt: skip
    assert tiers[5][7:] == [0, "0.00 = 0.00"]
    rows = statements["R7"]
    assert not any(row and row[0] == "档位" for row in rows)
    assert item(rows, "目标") == ["目标", "N/A"]
    assert item(rows, "提成", 1) == [
        "提成", 0, "无「销售额」目标：档位起点是目标的倍数，无法确定档位，无提成",
    ]  # fmt: skip


def test_statement_bonus_interpolation_written_out(statements: dict[str, Any]) -> None:
    rows = statements["R2"]
    assert item(rows, "奖金基数") == ["奖金基数", 10000, "代表表「target_bonus」列"]
    assert item(rows, "计算依据") == ["计算依据", 80, "最终得分 80（曲线按未取整的分数读取）"]
    assert item(rows, "系数曲线")[2] == "0 → 0; 60 → 0.5; 100 → 1; 120 → 1.5；两点之间线性插值"
    assert item(rows, "系数") == [
        "系数", 0.75, "0.5 + (80 − 60) × (1 − 0.5) / (100 − 60) = 0.75",
    ]  # fmt: skip
    assert item(rows, "系数上限") == ["系数上限", 1.5, "未触及上限"]
    assert item(rows, "奖金", 1) == ["奖金", 7500, "10,000.00 × 0.75 = 7,500.00"]
    # on a point of the curve; below 60 the first segment, rounded to the cent
    assert item(statements["R1"], "系数")[1:] == [1.5, "120 正好是曲线上的点 → 1.5"]
    r6 = statements["R6"]
    # the working is shown to four decimals (≈: the paid amount comes from the exact figure)
    assert item(r6, "系数")[2] == "0 + (50 − 0) × (0.5 − 0) / (60 − 0) = 0.4167"
    assert item(r6, "系数")[1] == pytest.approx(5 / 12, rel=1e-15)  # the cell: exact
    assert item(r6, "奖金", 1)[1:] == [
        3750, "9,000.00 × 0.4167 ≈ 3,750.00（四舍五入到分）",
    ]  # fmt: skip


def test_statement_bonus_cap_step_and_no_score(tmp_path: Path) -> None:
    capped = statement(tmp_path / "cap", "R1", bonus={"base": "target_bonus", "points": CURVE,
                                                      "cap": 1.2})  # fmt: skip
    assert item(capped, "系数上限") == ["系数上限", 1.2, "曲线给出 1.5，超过上限，按上限 1.2 计"]
    assert item(capped, "奖金", 1)[1:] == [24000, "20,000.00 × 1.2 = 24,000.00"]
    rows = statement(tmp_path / "step", "R2", bonus={"base": 5000, "mode": "step", "points": CURVE})
    assert item(rows, "奖金基数") == ["奖金基数", 5000, "方案规定的固定金额"]
    assert item(rows, "系数曲线")[2].endswith("阶梯：取 ≤ 依据的最后一个点")
    assert item(rows, "系数") == ["系数", 0.5, "≤ 80 的最后一个点是 60 → 0.5"]
    assert not any(row and row[0] == "系数上限" for row in rows)  # the scheme has no cap
    assert item(rows, "奖金", 1)[1:] == [2500, "5,000.00 × 0.5 = 2,500.00"]
    nothing = statement(tmp_path / "none", "R7")
    assert item(nothing, "系数")[1:] == [0, "无最终得分可读曲线，奖金为 0"]
    assert item(nothing, "奖金", 1)[1:] == [0, "无最终得分可读曲线，奖金为 0"]


def test_statement_team_pool_share_and_rounding_cent(statements: dict[str, Any]) -> None:
    r1 = statements["R1"]
    assert item(r1, "团队") == ["团队", "East"]
    assert item(r1, "「团队销售达成」团队达成率") == ["「团队销售达成」团队达成率", 1.05]
    assert item(r1, "发放门槛") == ["发放门槛", 1, "已达到门槛，发放团队奖金池"]
    assert item(r1, "奖金池金额") == ["奖金池金额", 100000]
    assert item(r1, "分配方式") == ["分配方式", None, "按最终得分比例"]
    assert item(r1, "本人基数")[1] == 120
    assert item(r1, "团队基数合计")[1] == 200
    assert item(r1, "本人份额") == ["本人份额", 60000, "100,000.00 × 120 / 200 = 60,000.00"]
    # thirds of 100,000: 33,333.33 each and the cent left over to the largest share (R3)
    assert item(statements["R3"], "本人份额")[1:] == [
        33333.34,
        "100,000.00 × 100 / 300 = 33,333.33（四舍五入到分）; "
        "含四舍五入差额 +0.01（本人为团队最大份额） → 33,333.34",
    ]
    assert item(statements["R4"], "本人份额")[1:] == [
        33333.33, "100,000.00 × 100 / 300 = 33,333.33（四舍五入到分）",
    ]  # fmt: skip
    assert [None, None, "各份额四舍五入到分；为使各份额之和等于奖金池，差额计入团队最大的份额"] in (
        statements["R4"]
    )
    r6 = statements["R6"]
    assert item(r6, "发放门槛")[2] == "未达到门槛，本期无团队奖金"
    assert item(r6, "本人份额")[1:] == [0, "未达到门槛，本期无团队奖金"]


def test_statement_without_bonus_base_or_team_and_with_equal_shares(tmp_path: Path) -> None:
    frames = tables()
    frames["reps"] = frames["reps"].with_columns(
        pl.when(pl.col("rep_id") == "R2").then(None).otherwise(pl.col("target_bonus"))
        .alias("target_bonus"),
        pl.when(pl.col("rep_id") == "R6").then(None).otherwise(pl.col("team")).alias("team"),
    )  # fmt: skip
    scheme = pay_scheme(team_pool={"amount": 100000, "kpi": "team_sales", "split": "equal"})
    found = books(evaluate(scheme, frames, "2025-Q3"), tmp_path)
    no_team = values(found["R6"]["薪酬明细"])
    assert item(no_team, "团队") == ["团队", None, "无团队，不参与团队奖金池"]
    assert item(no_team, "本人份额") == ["本人份额", 0]
    rows = values(found["R2"]["薪酬明细"])
    assert item(rows, "奖金基数") == ["奖金基数", "N/A", "代表表「target_bonus」列"]
    assert item(rows, "奖金", 1) == ["奖金", 0, "无奖金基数，奖金为 0"]
    assert item(rows, "分配方式")[2] == "平均分配"
    assert item(rows, "本人份额")[1:] == [50000, "100,000.00 × 1 / 2 = 50,000.00"]


def test_statement_total_and_scorecard_agree(tmp_path: Path) -> None:
    ev = pay_evaluation()
    found = books(ev, tmp_path)
    reps = {r["rep_id"]: r for r in ev.reps.to_dicts()}
    for rep_id, book in found.items():
        assert book.sheetnames[:2] == ["考核表", "薪酬明细"]
        rows = values(book["薪酬明细"])
        card = {row[0]: row[1] for row in values(book["考核表"]) if row and len(row) > 1}
        bonus, commission = item(rows, "奖金", 1)[1], item(rows, "合计")[7] if rep_id != "R7" else 0
        share = item(rows, "本人份额")[1]
        total = item(rows, "应发合计")
        scorecard = [card["奖金"], card["提成"], card["团队奖金池"], card["应发合计"]]
        assert scorecard == [bonus, commission, share, total[1]], rep_id
        assert Decimal(str(total[1])) == reps[rep_id]["total_pay"]
        parts = " + ".join(f"{Decimal(str(v)):,.2f}" for v in (bonus, commission, share))
        assert total[2] == f"{parts} = {Decimal(str(total[1])):,.2f}"
    assert values(found["R1"]["薪酬明细"])[-1] == [
        "应发合计", 91500, "30,000.00 + 1,500.00 + 60,000.00 = 91,500.00",
    ]  # fmt: skip
    card = found["R1"]["考核表"]
    link = next(c for row in card.iter_rows() for c in row if c.value == "计算过程见「薪酬明细」")
    assert link.hyperlink.location == "'薪酬明细'!A1"


def test_statement_in_english(tmp_path: Path) -> None:
    book = books(pay_evaluation("en"), tmp_path)["R2"]
    assert book.sheetnames[:2] == ["Scorecard", "Pay statement"]
    rows = values(book["Pay statement"])
    assert rows[0] == ["Pay statement 2025-Q3"]
    assert item(rows, "Multiplier")[2] == "0.5 + (80 − 60) × (1 − 0.5) / (100 − 60) = 0.75"
    assert item(rows, "Base")[2] == "reps column 'target_bonus'"
    assert item(rows, "Your share")[1:] == [40000, "100,000.00 × 80 / 200 = 40,000.00"]


# ------------------------------------------------------------------------ payroll


def test_payroll_rows_and_total_row(tmp_path: Path) -> None:
    ev = pay_evaluation()
    write_summary(ev, tmp_path / "summary.xlsx", run_info())
    book = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    assert book.sheetnames[:2] == ["代表", "薪酬发放"]
    ws = book["薪酬发放"]
    rows = values(ws)
    assert rows[0] == [
        "代表编号", "姓名", "团队",
        "奖金（CNY）", "提成（CNY）", "团队奖金池（CNY）", "应发合计（CNY）",
    ]  # fmt: skip
    assert [row[:3] for row in rows[1:8]] == [[f"R{i}", f"Rep R{i}", t] for i, t in
                                              enumerate(["East"] * 2 + ["West"] * 3
                                                        + ["North"] * 2, start=1)]  # fmt: skip
    assert rows[1][3:] == [30000, 1500, 60000, 91500]
    assert rows[7][3:] == [0, 0, 0, 0]
    total = rows[8]
    assert total[:3] == ["合计", None, None]
    for col in range(3, 7):  # the written total is the sum of the written rows, to the cent
        assert Decimal(str(total[col])) == sum(Decimal(str(row[col])) for row in rows[1:8])
    assert total[3:] == [71250, 2700, 200000, 273950]
    assert rows[9] == ["合计（公式核对）", None, None, "=SUM(D2:D8)", "=SUM(E2:E8)",
                       "=SUM(F2:F8)", "=SUM(G2:G8)"]  # fmt: skip
    assert [ws.cell(9, c).number_format for c in range(4, 8)] == ["#,##0.00"] * 4
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:G8"


def test_no_payroll_without_pay(tmp_path: Path) -> None:
    ev = evaluate(pay_scheme().model_copy(update={"pay": None}), tables(), "2025-Q3")
    write_summary(ev, tmp_path / "summary.xlsx", run_info())
    assert "薪酬发放" not in openpyxl.load_workbook(tmp_path / "summary.xlsx").sheetnames
    paths = write_rep_workbooks(ev, tmp_path / "reps")
    assert "薪酬明细" not in openpyxl.load_workbook(paths[0]).sheetnames


# --------------------------------------------------------------------------- JSON


def test_json_pay_detail_and_totals() -> None:
    text = evaluation_json(pay_evaluation())
    assert evaluation_json(pay_evaluation()) == text  # byte-identical
    data = json.loads(text, parse_float=Decimal)
    reps = {r["rep_id"]: r for r in data["reps"]}
    assert reps["R1"]["pay"] == {
        "bonus": Decimal("30000.00"), "commission": Decimal("1500.00"),
        "team_pool": Decimal("60000.00"), "total": Decimal("91500.00"),
    }  # fmt: skip
    detail = reps["R1"]["pay_detail"]
    assert detail["commission"]["tiers"][1:] == [
        {"tier": 2, "from": Decimal("0.8"), "to": 1, "lower": Decimal("80000.00"),
         "upper": Decimal("100000.00"), "slice": Decimal("20000.00"), "rate": Decimal("0.02"),
         "amount": Decimal("400.00"), "reached": True},
        {"tier": 3, "from": 1, "to": Decimal("1.2"), "lower": Decimal("100000.00"),
         "upper": Decimal("120000.00"), "slice": Decimal("20000.00"), "rate": Decimal("0.03"),
         "amount": Decimal("600.00"), "reached": True},
        {"tier": 4, "from": Decimal("1.2"), "to": None, "lower": Decimal("120000.00"),
         "upper": None, "slice": Decimal("10000.00"), "rate": Decimal("0.05"),
         "amount": Decimal("500.00"), "reached": True},
    ]  # fmt: skip
    assert {k: v for k, v in detail["commission"].items() if k != "tiers"} == {
        "kpi": "sales", "mode": "marginal", "actual": Decimal("130000.00"),
        "target": Decimal("100000.00"), "achievement": Decimal("1.3000"),
        "amount": Decimal("1500.00"),
    }  # fmt: skip
    assert reps["R2"]["pay_detail"]["bonus"] == {
        "base": Decimal("10000.00"), "base_from": "target_bonus", "on": "final_score",
        "basis": 80, "mode": "linear", "lower": {"x": 60, "y": Decimal("0.5")},
        "upper": {"x": 100, "y": 1}, "multiplier": Decimal("0.75"), "cap": Decimal("1.5"),
        "capped": False, "bonus": Decimal("7500.00"),
    }  # fmt: skip
    assert reps["R3"]["pay_detail"]["team_pool"] == {
        "team": "West", "kpi": "team_sales", "achievement": Decimal("1.0000"), "threshold": 1,
        "reached": True, "pool": Decimal("100000.00"), "split": "by_score", "basis": 100,
        "team_basis": 300, "share": Decimal("33333.34"),
    }  # fmt: skip
    assert reps["R7"]["pay_detail"]["commission"]["target"] is None
    totals = data["pay_totals"]
    assert list(totals) == ["bonus", "commission", "team_pool", "total"]
    for key in totals:
        assert totals[key] == sum(r["pay"][key] for r in data["reps"] if r["pay"][key] is not None)
    assert totals["total"] == Decimal("273950.00")


# ------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("sample")
    shutil.copy(SAMPLE, work / "q3.xlsx")
    result = CliRunner().invoke(app, ["evaluate", str(work / "q3.xlsx"), "--out",
                                      str(work / "out"), "--quiet"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return work / "out"


def test_sample_payroll_total_equals_json_pay_totals(sample_out: Path) -> None:
    data = json.loads((sample_out / "evaluation.json").read_text("utf-8"), parse_float=Decimal)
    rows = values(openpyxl.load_workbook(sample_out / "summary.xlsx")["薪酬发放"])
    due = [r for r in data["reps"] if r["due"]]
    total = next(row for row in rows if row and row[0] == "合计")
    assert len(rows) == len(due) + 3  # header, reps, total, formula check
    written = dict(zip(["bonus", "commission", "team_pool", "total"], total[3:7], strict=True))
    assert {k: Decimal(str(v)).quantize(Decimal("0.01")) for k, v in written.items()} == (
        data["pay_totals"]
    )
    assert data["pay_totals"]["total"] == sum(r["pay"]["total"] for r in due)
    for row in rows[1 : len(due) + 1]:
        rep = next(r for r in due if r["rep_id"] == row[0])
        assert [Decimal(str(v)).quantize(Decimal("0.01")) for v in row[3:7]] == list(
            rep["pay"].values()
        )


def test_sample_statement_agrees_with_json(sample_out: Path) -> None:
    data = json.loads((sample_out / "evaluation.json").read_text("utf-8"), parse_float=Decimal)
    for rep in [r for r in data["reps"] if r["due"]][:5]:
        rows = values(openpyxl.load_workbook(sample_out / "reps" / f"{rep['rep_id']}.xlsx")
                      ["薪酬明细"])  # fmt: skip
        total = Decimal(str(item(rows, "应发合计")[1])).quantize(Decimal("0.01"))
        assert total == rep["pay"]["total"]
        detail = rep["pay_detail"]
        # the cell holds the multiplier (to the 16 digits a cell keeps); the working shows it
        # to four decimals, as a finance user reads it
        multiplier = detail["bonus"]["multiplier"]
        assert item(rows, "系数")[1] == pytest.approx(float(multiplier), rel=1e-15)
        assert item(rows, "系数")[2].endswith(f"= {working_text(multiplier)}")
        paid = [t for t in detail["commission"]["tiers"] if t["amount"]]
        assert item(rows, "合计")[8].startswith(" + ".join(f"{t['amount']:,}" for t in paid))
