"""The outputs of ``spm evaluate``: evaluation.json, summary.xlsx, reps/<rep_id>.xlsx.

Workbooks are read back with openpyxl and compared as values and number formats,
never as bytes (STYLE.md, Tests).
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from outputs_fixtures import (
    EVIL_ID,
    HOSTILE_NAME,
    run_info,
    small_evaluation,
    tiny_evaluation,
)

from spmcli.engine.result import Evaluation
from spmcli.io.excel import atomic_workbook, safe_sheet_name
from spmcli.io.files import MAX_STEM_BYTES, safe_file_stem, unique_file_stems
from spmcli.io.json_result import dumps, evaluation_json, write_json
from spmcli.io.rep_workbooks import write_rep_workbooks
from spmcli.io.summary import write_summary
from spmcli.report.figures import figure
from spmcli.report.labels import LABELS, label
from spmcli.report.records import evaluation_record

# ----------------------------------------------------------------------- helpers


def values(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def formats(ws: Any, row: int) -> list[str]:
    return [c.number_format for c in ws[row]]


def load(path: Path) -> Any:
    return openpyxl.load_workbook(path)


@pytest.fixture
def summary(tmp_path: Path) -> Any:
    path = tmp_path / "summary.xlsx"
    write_summary(small_evaluation(), path, run_info())
    return load(path)


@pytest.fixture
def rep_books(tmp_path: Path) -> dict[str, Any]:
    folder = tmp_path / "out" / "reps"
    paths = write_rep_workbooks(small_evaluation(), folder)
    return {p.stem: load(p) for p in paths}


# ------------------------------------------------------------- figures, names


@pytest.mark.parametrize(
    ("value", "kind", "written"),
    [
        (391721.905, "money", Decimal("391721.91")),  # repr keeps the decimal the engine summed
        (Decimal("391721.905"), "money", Decimal("391721.91")),
        (2.675, "money", Decimal("2.68")),  # binary 2.67499999... still rounds up
        (-0.005, "money", Decimal("-0.01")),  # half away from zero
        (-0.001, "money", Decimal("0.00")),  # no "-0.00"
        (0.97930476, "achievement", Decimal("0.9793")),
        (84.375, "score", Decimal("84.38")),
        (12.0, "count", 12),
        (2.5, "count", Decimal("2.5000")),
        (4.66666, "number", Decimal("4.6667")),
        (None, "money", None),
        (float("nan"), "score", None),
    ],
)
def test_figures_are_rounded_half_away_from_zero(value: Any, kind: Any, written: Any) -> None:
    result = figure(value, kind)
    assert result == written
    assert type(result) is type(written)
    if isinstance(written, Decimal):
        assert str(result) == str(written)


def test_safe_file_stem_keeps_files_in_their_folder() -> None:
    assert safe_file_stem("../../evil") == "____evil"
    assert safe_file_stem("R001") == "R001"
    assert safe_file_stem("张伟 00123") == "张伟 00123"
    assert safe_file_stem('a/b\\c:d*e?f"g<h>i|j') == "a_b_c_d_e_f_g_h_i_j"
    assert safe_file_stem("..") == "_"
    assert safe_file_stem(" . ") == "_"
    assert safe_file_stem("") == "_"
    assert safe_file_stem("CON") == "_CON"
    assert safe_file_stem("com1.txt") == "_com1.txt"
    assert safe_file_stem("tab\there") == "tab_here"
    long = safe_file_stem("代" * 200)
    assert len(long.encode("utf-8")) <= MAX_STEM_BYTES
    assert long != safe_file_stem("代" * 199 + "表")


def test_unique_file_stems_differ_ignoring_case() -> None:
    stems = unique_file_stems(["a/b", "a_b", "A1", "a1"])
    assert stems == {"A1": "A1", "a1": "a1_2", "a/b": "a_b", "a_b": "a_b_2"}


def test_safe_sheet_name() -> None:
    taken: set[str] = {"考核表"}
    assert safe_sheet_name("a[b]:c*d?e/f\\g", taken) == "a_b__c_d_e_f_g"
    assert safe_sheet_name("x" * 40, taken) == "x" * 31
    assert safe_sheet_name("X" * 40, taken) == "X" * 27 + " (2)"
    assert safe_sheet_name("考核表", taken) == "考核表 (2)"
    assert safe_sheet_name("'quoted'", taken) == "quoted"
    assert safe_sheet_name("History", taken) == "History_"


def test_every_label_has_both_languages() -> None:
    for key, (zh, en) in LABELS.items():
        assert zh.strip() and en.strip(), key
        if key.startswith("sheet."):
            for name in (zh, en):
                assert len(name) <= 31 and not set(name) & set("[]:*?/\\"), key
    assert label("sheet.reps", "zh") == "代表"
    assert label("sheet.reps", "en") == "Reps"
    with pytest.raises(ValueError, match="unknown locale"):
        label("sheet.reps", "fr")
    with pytest.raises(KeyError):
        label("no.such.key", "en")


# -------------------------------------------------------------------------- JSON

TINY_JSON = """\
{
  "period": "2025-07",
  "period_start": "2025-07-01",
  "period_end": "2025-07-31",
  "scheme": "Tiny",
  "currency": "CNY",
  "reps": [
    {
      "rep_id": "R1",
      "name": "Ann",
      "team": "East",
      "role": "farmer",
      "role_label": "",
      "due": true,
      "status": "evaluated",
      "kpis": {
        "sales": {
          "actual": 1000.01,
          "target": 1000.00,
          "achievement": 1.0000,
          "score": 100.00,
          "weight": 100.00,
          "effective_weight": 100.00,
          "weighted": 100.00,
          "status": "scored"
        }
      },
      "composite": 100.00,
      "penalty": 0.00,
      "final_score": 100.00,
      "grade": "A",
      "grade_label": "",
      "rank": 1,
      "team_rank": 1,
      "pay": null,
      "pay_detail": null
    }
  ],
  "pay_totals": null,
  "teams": [
    {
      "team": "East",
      "members": 1,
      "due_members": 1,
      "average_score": 100.00,
      "kpis": {}
    }
  ],
  "grades": {
    "grades": [
      {
        "grade": "A",
        "label": "",
        "count": 1,
        "share": 1.0000
      },
      {
        "grade": "B",
        "label": "",
        "count": 0,
        "share": 0.0000
      }
    ],
    "graded": 1,
    "not_graded": 0,
    "not_due": 0
  },
  "warnings": [],
  "reconciliation": {
    "sales_in_period": 1000.01,
    "credited": 1000.01,
    "unassigned": 0.00,
    "unassigned_lines": 0,
    "skipped_rows": 0
  }
}"""


def test_json_exact_text_for_a_tiny_case() -> None:
    assert evaluation_json(tiny_evaluation()) == TINY_JSON


def _shuffled(ev: Evaluation) -> Evaluation:
    """The same evaluation with every frame's rows and the warnings in another order."""
    return replace(
        ev,
        reps=ev.reps.reverse(),
        kpis=ev.kpis.sample(fraction=1.0, shuffle=True, seed=7),
        teams=ev.teams.reverse(),
        warnings=list(reversed(ev.warnings)),
    )


def test_json_is_byte_identical_for_the_same_evaluation() -> None:
    text = evaluation_json(small_evaluation())
    assert evaluation_json(small_evaluation()) == text
    assert evaluation_json(_shuffled(small_evaluation())) == text


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list | tuple):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_the_records_hold_no_float_and_anything_else_is_refused() -> None:
    """JSON writes decimals as their text; a float would be written as its shortest repr,
    unrounded, so none may reach it — and a date or other object is refused, not guessed."""
    leaves = _leaves(evaluation_record(with_pay(small_evaluation())))
    assert not [v for v in leaves if isinstance(v, float)]
    assert any(isinstance(v, Decimal) for v in leaves)
    assert dumps({"a": [Decimal("1.50"), None, True, "张伟"], "b": {}}) == (
        '{\n  "a": [\n    1.50,\n    null,\n    true,\n    "张伟"\n  ],\n  "b": {}\n}'
    )
    for bad in (datetime(2025, 7, 1), {1, 2}):
        with pytest.raises(TypeError):
            dumps({"x": bad})


def test_json_figures_nulls_and_not_due() -> None:
    text = evaluation_json(small_evaluation())
    assert '"actual": 391721.91,' in text  # from the decimal text, not a float
    assert "\\u" not in text  # ensure_ascii=False: 张伟 stays readable
    data = json.loads(text, parse_float=Decimal)
    assert list(data) == [
        "period", "period_start", "period_end", "scheme", "currency",
        "reps", "pay_totals", "teams", "grades", "warnings", "reconciliation",
    ]  # fmt: skip
    assert data["scheme"] == "2025 Q3 医药代表考核"
    reps = {r["rep_id"]: r for r in data["reps"]}
    assert [r["rep_id"] for r in data["reps"]] == ["R001", "R003", EVIL_ID, "R004"]
    assert reps["R003"]["name"] == HOSTILE_NAME

    evil = reps[EVIL_ID]
    assert evil["kpis"]["visits"] == {
        "actual": 30, "target": None, "achievement": None, "score": None,
        "weight": Decimal("20.00"), "effective_weight": Decimal("0.00"),
        "weighted": Decimal("0.00"), "status": "no_target",
        "reason": "no_target", "note": "本期无目标；不计分；其余指标的权重按比例放大至 100",
    }  # fmt: skip
    assert evil["kpis"]["satisfaction"]["actual"] is None
    assert evil["kpis"]["gross_margin"]["status"] == "adjusted"
    assert evil["kpis"]["gross_margin"]["note"] == "已按审批调整：审批 #12：退货冲回"
    assert "note" not in reps["R001"]["kpis"]["sales"]
    assert evil["penalty"] == Decimal("5.00")
    assert evil["final_score"] == Decimal("75.25")
    assert reps["R001"]["kpis"]["team_sales"]["actual"] == Decimal("511722.01")  # money via `of`
    assert reps["R001"]["kpis"]["gross_margin"]["actual"] == Decimal("0.3300")

    not_due = reps["R004"]
    assert not_due["due"] is False and not_due["status"] == "not_due"
    assert not_due["composite"] is None and not_due["final_score"] is None
    assert not_due["rank"] is None and not_due["grade"] is None
    assert {k["status"] for k in not_due["kpis"].values()} == {"not_due"}
    assert all(v is None for k in not_due["kpis"].values() for n, v in k.items() if n != "status")

    assert all(r["pay"] is None for r in data["reps"])  # no pay columns: no fake figures
    assert all(r["pay_detail"] is None for r in data["reps"])
    assert data["pay_totals"] is None
    assert data["teams"][0] == {
        "team": "华东", "members": 2, "due_members": 2, "average_score": Decimal("84.38"),
        "kpis": {"team_sales": {"actual": Decimal("511722.01"), "target": Decimal("520000.00"),
                                "achievement": Decimal("0.9841")}},
    }  # fmt: skip
    assert [w["code"] for w in data["warnings"]] == ["no_data", "no_target", "unassigned_sales"]
    assert data["warnings"][0]["kpi"] == "satisfaction"
    assert data["reconciliation"] == {
        "sales_in_period": Decimal("592722.01"), "credited": Decimal("591722.01"),
        "unassigned": Decimal("1000.01"), "unassigned_lines": 1, "skipped_rows": 2,
    }  # fmt: skip


def with_pay(ev: Evaluation) -> Evaluation:
    """``ev`` as it will be once the engine computes pay (rows: R001, evil, R003, R004)."""
    reps = ev.reps.with_columns(
        bonus=pl.Series([1000.005, 2000.0, 0.0, None]),
        commission=pl.Series([0.125, 0.0, 0.0, None]),
        team_pool=pl.Series([0.0, 0.0, 0.0, None]),
        total_pay=pl.Series([1000.135, 2000.0, 0.0, None]),
    )
    return replace(ev, reps=reps)


def test_json_picks_up_pay_columns_when_the_engine_adds_them() -> None:
    data = json.loads(evaluation_json(with_pay(small_evaluation())), parse_float=Decimal)
    first = data["reps"][0]
    assert first["rep_id"] == "R001"
    assert first["pay"] == {
        "bonus": Decimal("1000.01"), "commission": Decimal("0.13"), "team_pool": Decimal("0.00"),
        "total": Decimal("1000.14"),
    }  # fmt: skip
    assert data["reps"][-1]["pay"] == {"bonus": None, "commission": None, "team_pool": None,
                                       "total": None}  # fmt: skip
    # the sum of the reps' written figures, not a rounding of the exact sum
    assert data["pay_totals"] == {
        "bonus": Decimal("3000.01"), "commission": Decimal("0.13"), "team_pool": Decimal("0.00"),
        "total": Decimal("3000.14"),
    }  # fmt: skip


def test_workbooks_pick_up_pay_columns(tmp_path: Path) -> None:
    ev = with_pay(small_evaluation())
    write_summary(ev, tmp_path / "summary.xlsx", run_info())
    ws = load(tmp_path / "summary.xlsx")["代表"]
    rows = values(ws)
    assert rows[0] == [
        *REPS_HEADERS, "奖金（CNY）", "提成（CNY）", "团队奖金池（CNY）", "应发合计（CNY）",
    ]  # fmt: skip
    assert rows[1][-4:] == [1000.01, 0.13, 0, 1000.14]
    assert rows[4][-4:] == [None] * 4  # not due: nothing, not 0
    assert formats(ws, 2)[-4:] == ["#,##0.00"] * 4
    (card,) = [p for p in write_rep_workbooks(ev, tmp_path / "reps") if p.stem == "R001"]
    assert values(load(card)["考核表"])[-4:] == [
        ["奖金", 1000.01, *[None] * 9],
        ["提成", 0.13, *[None] * 9],
        ["团队奖金池", 0, *[None] * 9],
        ["应发合计", 1000.14, *[None] * 9],
    ]


def test_write_json_is_the_text_with_a_newline_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "evaluation.json"
    write_json(small_evaluation(), path)
    write_json(small_evaluation(), path)  # overwrites in place
    assert path.read_bytes() == (evaluation_json(small_evaluation()) + "\n").encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["evaluation.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "summary.xlsx"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_workbook(path) as workbook:
        workbook.add_worksheet("x").write_string(0, 0, "half")
        raise RuntimeError("crash while writing")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.xlsx"]


# ------------------------------------------------------------------ summary.xlsx

REPS_HEADERS = [
    "排名", "代表编号", "姓名", "团队", "角色", "状态",
    "销售额·得分", "拜访次数·得分", "客户满意度·得分", "毛利率·得分", "团队销售达成·得分",
    "综合得分", "扣分", "最终得分", "等级", "等级说明", "团队内排名",
]  # fmt: skip


def test_summary_sheets_in_the_scheme_locale(tmp_path: Path, summary: Any) -> None:
    assert summary.sheetnames == ["代表", "指标", "团队", "警告", "对账", "等级分布", "运行信息"]
    path = tmp_path / "en.xlsx"
    write_summary(small_evaluation("en"), path, run_info())
    assert load(path).sheetnames == [
        "Reps", "KPIs", "Teams", "Warnings", "Reconciliation", "Grades", "Run",
    ]  # fmt: skip


def test_summary_reps_sheet(summary: Any) -> None:
    ws = summary["代表"]
    rows = values(ws)
    assert rows[0] == REPS_HEADERS
    assert rows[1:] == [
        [1, "R001", "张伟", "华东", "维护型", "已考核", 97.93, 96, 90, 94.29, 98.41,
         93.5, 0, 93.5, "A", "优秀", 1],
        [2, "R003", HOSTILE_NAME, "华北", "开拓型", "已考核", 80, 120, 75, 85.71, 80,
         88, 0, 88, "B", "良好", 1],
        [3, EVIL_ID, "李娜", "华东", "维护型", "已考核", 80, "N/A", "N/A", 114.29, 98.41,
         80.25, 5, 75.25, "B", "良好", 2],
        [None, "R004", "王芳", "华北", "大客户", "本期不考核", *[None] * 11],
    ]  # fmt: skip
    hostile = ws["C3"]
    assert hostile.data_type == "s" and hostile.value == HOSTILE_NAME  # text, not a formula
    na = ws["H4"]
    assert na.data_type == "s" and na.value == "N/A"
    assert na.font.color.rgb == "FF808080"  # grey
    assert formats(ws, 2) == [
        "#,##0", "General", "General", "General", "General", "General",
        *["0.00"] * 8, "General", "General", "#,##0",
    ]  # fmt: skip
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref == "A1:Q5"
    coloured = {str(rng.sqref) for rng in ws.conditional_formatting}
    assert {"G2:G5", "L2:L5", "N2:N5"} <= coloured
    assert "M2:M5" not in coloured  # penalty is not a score to colour
    assert ws.column_dimensions["C"].width >= len(HOSTILE_NAME)


def test_summary_kpis_sheet_with_weights_by_role(summary: Any) -> None:
    rows = values(summary["指标"])
    assert rows[0] == [
        "指标编号", "名称", "类型", "数据表", "计算方式", "筛选条件", "时间窗口", "目标",
        "计分方式", "单位", "权重：维护型", "权重：开拓型", "权重：大客户",
    ]  # fmt: skip
    assert rows[1] == ["sales", "销售额", "聚合", "sales", "SUM(amount)", None, "本期", "目标表",
                       "线性：100 × 达成率，封顶 120%", "金额", 40, 50, 100]  # fmt: skip
    assert rows[3][8] == "分档（按实际值）：≥4.8 → 100; ≥4.5 → 90; ≥4 → 75; ≥0 → 50"
    assert rows[4][7] == 0.35 and summary["指标"]["H5"].number_format == "0.0%"
    assert rows[5][:5] == ["team_sales", "团队销售达成", "团队指标", "sales",
                           "团队内全体代表的「销售额」合计"]  # fmt: skip
    assert rows[5][9] == "金额"  # a team KPI has the unit of its `of` KPI
    assert rows[5][10:] == [None, 20, None]
    assert rows[7] == ["权重合计", *[None] * 9, 100, 100, 100]


def test_summary_teams_warnings_reconciliation(summary: Any) -> None:
    teams = summary["团队"]
    assert values(teams) == [
        ["团队", "人数", "本期考核人数", "平均最终得分", "团队销售达成·实际", "团队销售达成·目标",
         "团队销售达成·达成率"],
        ["华东", 2, 2, 84.38, 511722.01, 520000, 0.9841],
        ["华北", 2, 1, 88, 80000, 100000, 0.8],
    ]  # fmt: skip
    assert formats(teams, 2)[3:] == ["0.00", "#,##0.00", "#,##0.00", "0.00%"]

    assert values(summary["警告"]) == [
        ["代码", "代表编号", "指标", "内容"],
        [
            "no_data",
            EVIL_ID,
            "satisfaction",
            "代表 ../../evil：指标 satisfaction 为 N/A — 没有可计算的数据",
        ],
        ["no_target", EVIL_ID, "visits", "代表 ../../evil：指标 visits 为 N/A — 本期无目标"],
        [
            "unassigned_sales",
            None,
            None,
            "2025-Q3 有 1 条销售明细（金额 1,000.01）属于不在名单上的代表（X999），列为未分配",
        ],
    ]

    recon = summary["对账"]
    assert values(recon) == [
        ["项目", "金额"],
        ["本期有效销售合计", 592722.01],
        ["计入代表", 591722.01],
        ["未分配（代表不在名单中）", 1000.01],
        ["差额（应为 0）", 0],
        ["未分配行数", 1],
        ["跳过的无效行", 2],
    ]
    assert [recon.cell(r, 2).number_format for r in range(2, 8)] == [
        "#,##0.00", "#,##0.00", "#,##0.00", "#,##0.00", "#,##0", "#,##0",
    ]  # fmt: skip
    assert recon.freeze_panes == "A2"


def test_summary_grades_with_a_chart(tmp_path: Path, summary: Any) -> None:
    ws = summary["等级分布"]
    assert values(ws) == [
        ["等级", "等级说明", "最低分", "人数", "占比"],
        ["A", "优秀", 90, 1, 0.3333],
        ["B", "良好", 75, 2, 0.6667],
        ["C", "合格", 60, 0, 0],
        ["D", "待改进", 0, 0, 0],
        [None, "本期不考核", None, 1, None],
    ]
    assert formats(ws, 2)[2:] == ["0.00", "#,##0", "0.00%"]
    with zipfile.ZipFile(tmp_path / "summary.xlsx") as z:
        chart = z.read("xl/charts/chart1.xml").decode("utf-8")
    assert '<c:barDir val="col"/>' in chart
    assert re.search(r"<c:f>'?等级分布'?!\$A\$2:\$A\$5</c:f>", chart)  # categories: grades
    assert re.search(r"<c:f>'?等级分布'?!\$D\$2:\$D\$5</c:f>", chart)  # values: counts


def test_summary_run_sheet(summary: Any) -> None:
    rows = values(summary["运行信息"])
    assert rows[:11] == [
        ["项目", "内容"],
        ["考核方案", "2025 Q3 医药代表考核"],
        ["方案文件", "spm.yaml"],
        ["方案 SHA-256", "c" * 64],
        ["spm 版本", "0.1.0"],
        ["开始时间", datetime(2025, 10, 8, 9, 15, 30)],
        ["命令", "spm evaluate q3.xlsx --period 2025-Q3"],
        ["考核期间", "2025-Q3"],
        ["期间开始", datetime(2025, 7, 1)],
        ["期间结束", datetime(2025, 9, 30)],
        ["币种", "CNY"],
    ]
    assert rows[12:] == [
        ["输入文件", None],
        ["文件", "SHA-256"],
        ["q3.xlsx", "a" * 64],
        ["extra/visits.csv", "b" * 64],
    ]
    assert summary["运行信息"]["B6"].number_format == "yyyy-mm-dd hh:mm:ss"


# ------------------------------------------------------------- rep workbooks


def test_rep_workbooks_stay_in_their_folder(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "reps"
    paths = write_rep_workbooks(small_evaluation(), folder)
    assert [p.name for p in paths] == ["R001.xlsx", "R003.xlsx", "____evil.xlsx", "R004.xlsx"]
    assert all(p.resolve().parent == folder.resolve() for p in paths)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["reps"]


def test_scorecard(rep_books: dict[str, Any]) -> None:
    book = rep_books["____evil"]
    assert book.sheetnames == ["考核表", "销售明细"]
    ws = book["考核表"]
    rows = values(ws)
    assert rows[0][0] == "绩效考核表 2025-Q3"
    header = [r[:2] for r in rows[3:14]]
    assert header == [
        ["代表编号", EVIL_ID],
        ["姓名", "李娜"],
        ["团队", "华东"],
        ["角色", "维护型"],
        ["经理", "赵经理"],
        ["期间", "2025-Q3 (2025-07-01 – 2025-09-30)"],
        ["状态", "已考核"],
        ["最终得分", 75.25],
        ["等级", "B 良好"],
        ["排名", "3 / 3"],
        ["团队内排名", "2 / 2"],
    ]
    assert rows[15] == ["指标", "实际", "目标", "达成率", "得分", "权重", "有效权重", "加权得分",
                        "状态", "说明", "明细"]  # fmt: skip
    # the last column names the sheet and the column marking the KPI's source rows, and
    # links to that column's header, where its filter is
    assert rows[16] == ["销售额", 120000.1, 150000, 0.8, 80, 40, 50, 40, "已计分", None,
                        "销售明细（筛选「销售额」列）"]  # fmt: skip
    assert ws["K17"].hyperlink.location == "'销售明细'!F5"
    assert book["销售明细"]["F5"].value == "销售额"
    assert rows[17] == ["拜访次数", 30, "N/A", "N/A", "N/A", 20, 0, 0, "N/A：无目标",
                        "本期无目标；不计分；其余指标的权重按比例放大至 100",
                        None]  # fmt: skip
    # value bands need no target: target and achievement are empty, not N/A
    assert rows[18] == ["客户满意度", "N/A", None, None, "N/A", 20, 0, 0, "N/A：无数据",
                        "没有可计算的数据；不计分；其余指标的权重按比例放大至 100",
                        None]  # fmt: skip
    assert rows[19] == ["毛利率", 0.4, 0.35, 1.1429, 114.29, 20, 25, 28.57, "已调整",
                        "已按审批调整：审批 #12：退货冲回", None]  # fmt: skip
    assert rows[20][8:] == ["仅供参考", "该角色不考核此指标，仅供参考", None]
    assert [r[0] for r in rows[21:24]] == ["综合得分", "扣分", "最终得分"]
    assert [r[7] for r in rows[21:24]] == [80.25, 5, 75.25]
    assert formats(ws, 17)[1:8] == ["#,##0.00", "#,##0.00", "0.00%", "0.00", "0.00", "0.00", "0.00"]
    assert formats(ws, 18)[1:3] == ["#,##0", "General"]  # count; N/A text
    assert formats(ws, 20)[1:4] == ["0.0%", "0.0%", "0.00%"]  # percent-unit KPI
    assert ws["C18"].data_type == "s" and ws["C18"].font.color.rgb == "FF808080"


def test_scorecard_money_is_written_rounded(rep_books: dict[str, Any]) -> None:
    ws = rep_books["R001"]["考核表"]
    assert ws["A17"].value == "销售额"
    assert ws["B17"].value == 391721.91
    assert ws["B17"].number_format == "#,##0.00"
    assert ws["B21"].value == 511722.01  # team KPI: money like its `of` KPI


def test_scorecard_of_a_hostile_name_and_a_rep_not_due(rep_books: dict[str, Any]) -> None:
    name = rep_books["R003"]["考核表"]["B5"]
    assert name.value == HOSTILE_NAME and name.data_type == "s"
    book = rep_books["R004"]
    assert book.sheetnames == ["考核表"]
    rows = values(book["考核表"])
    assert rows[-1] == ["状态", "本期不考核：角色的考核周期为年"]
    assert len(rows) == 10  # no KPI table for a rep not evaluated


MARKS_LINE = "右侧每个指标一列，标出该指标用到的行及其时间窗口；按该列筛选即得该指标的全部明细行"


def test_source_sheets(rep_books: dict[str, Any]) -> None:
    assert rep_books["R001"].sheetnames == ["考核表", "销售明细", "拜访记录"]
    sales = rep_books["R001"]["销售明细"]
    # the table, how to read the mark columns, what each marks; then each row once, in file
    # order, with the KPI's window in its mark column
    assert values(sales) == [
        ["销售明细", None, None, None, None, None],
        [MARKS_LINE, None, None, None, None, None],
        ["「销售额」列 — 筛选条件：无（全部行），时间窗口：本期、去年同期", *[None] * 5],
        [None] * 6,
        ["源行号", "日期", "客户编号", "客户名称", "金额", "销售额"],
        [2, datetime(2025, 7, 3), "C001", "协和医院", 391000.005, "本期"],
        [3, datetime(2025, 8, 9), "00123", "@SUM(A1)", 721.9, "本期"],
        [6, datetime(2024, 7, 2), "C001", "协和医院", 1, "去年同期"],
    ]
    assert formats(sales, 6) == ["General", "yyyy-mm-dd", "General", "General", "#,##0.00",
                                 "General"]  # fmt: skip
    assert sales["D7"].data_type == "s" and sales["C7"].value == "00123"
    assert sales.freeze_panes == "A6"
    assert sales.auto_filter.ref == "A5:F8"
    visits = rep_books["R003"]["拜访记录"]
    assert values(visits) == [
        ["拜访记录", None, None, None, None],
        [MARKS_LINE, None, None, None, None],
        ["「拜访次数」列 — 筛选条件：无（全部行），时间窗口：本期", None, None, None, None],
        [None] * 5,
        ["源行号", "日期", "客户编号", "结果", "拜访次数"],
        [3, datetime(2025, 7, 2, 14, 0), "C010", "=1+1", "本期"],
    ]
    assert visits["D6"].data_type == "s"
    assert visits["B6"].number_format == "yyyy-mm-dd hh:mm:ss"
    evil = rep_books["____evil"]["销售明细"]
    assert evil["D6"].value == "+1" and evil["D6"].data_type == "s"
    assert rep_books["R003"]["销售明细"]["D6"].value == "-1"


def _sharing(same_rows: bool) -> Evaluation:
    """small_evaluation where gross margin reads the sales KPI's rows (same table, no
    filter, same window), or all of them but the last."""
    ev = small_evaluation()
    sales = ev.sources["sales"]
    margin = sales if same_rows else sales.head(sales.height - 1)
    return replace(ev, sources={**ev.sources, "gross_margin": margin})


def test_kpis_reading_the_same_rows_share_one_mark_column(tmp_path: Path) -> None:
    paths = write_rep_workbooks(_sharing(True), tmp_path)
    book = load(next(p for p in paths if p.stem == "R001"))
    assert book.sheetnames == ["考核表", "销售明细", "拜访记录"]
    rows = values(book["销售明细"])
    assert rows[2][0] == "「销售额、毛利率」列 — 筛选条件：无（全部行），时间窗口：本期、去年同期"
    assert rows[4][-1] == "销售额、毛利率" and len(rows[4]) == 6
    card = book["考核表"]
    assert [(card.cell(r, 1).value, card.cell(r, 11).value) for r in range(17, 22)] == [
        ("销售额", "销售明细（筛选「销售额、毛利率」列）"),
        ("拜访次数", "拜访记录（筛选「拜访次数」列）"),
        ("客户满意度", None),
        ("毛利率", "销售明细（筛选「销售额、毛利率」列）"),
        ("团队销售达成", None),
    ]
    assert card["K20"].hyperlink.location == "'销售明细'!F5"


def test_kpis_whose_rows_differ_mark_them_in_their_own_columns(tmp_path: Path) -> None:
    paths = write_rep_workbooks(_sharing(False), tmp_path)
    book = load(next(p for p in paths if p.stem == "R001"))
    assert book.sheetnames == ["考核表", "销售明细", "拜访记录"]
    rows = values(book["销售明细"])
    assert rows[5] == ["源行号", "日期", "客户编号", "客户名称", "金额", "销售额", "毛利率"]
    # each row once; the last one was read by the sales KPI only
    assert [(r[0], r[5], r[6]) for r in rows[6:]] == [
        (2, "本期", "本期"),
        (3, "本期", "本期"),
        (6, "去年同期", None),
    ]
    card = book["考核表"]
    assert card["K20"].value == "销售明细（筛选「毛利率」列）"
    assert card["K20"].hyperlink.location == "'销售明细'!G6"


def test_a_link_only_for_kpis_with_rows_of_the_rep(tmp_path: Path) -> None:
    ev = small_evaluation()
    sales = ev.sources["sales"]
    margin = sales.filter(pl.col("rep_id") != "R003")  # R003 has no gross-margin rows
    paths = write_rep_workbooks(replace(ev, sources={**ev.sources, "gross_margin": margin}),
                                tmp_path)  # fmt: skip
    card = load(next(p for p in paths if p.stem == "R003"))["考核表"]
    assert card["A20"].value == "毛利率" and card["K20"].value is None
    assert card["K17"].value == "销售明细（筛选「销售额」列）"


def test_source_sheet_names_are_safe_and_unique(tmp_path: Path) -> None:
    ev = small_evaluation()
    names = {"team_sales": "考核表", "satisfaction": "销售明细"}
    kpis = [k.model_copy(update={"label": names.get(k.id, k.label)}) for k in ev.scheme.kpis]
    scheme = ev.scheme.model_copy(update={"kpis": kpis})
    derived = pl.DataFrame({"rep_id": ["R001"], "member_id": ["R001"]})  # no Excel rows
    sources = {**ev.sources, "team_sales": derived, "satisfaction": derived}
    (path,) = [p for p in write_rep_workbooks(replace(ev, scheme=scheme, sources=sources),
                                              tmp_path) if p.stem == "R001"]  # fmt: skip
    # the tables' sheets, then a sheet per KPI of derived rows, named after it
    assert load(path).sheetnames == ["考核表", "销售明细", "拜访记录", "销售明细 (2)", "考核表 (2)"]


def test_two_workers_write_the_same_workbooks(tmp_path: Path) -> None:
    one = write_rep_workbooks(small_evaluation(), tmp_path / "one", workers=1)
    two = write_rep_workbooks(small_evaluation(), tmp_path / "two", workers=2)
    assert [p.name for p in one] == [p.name for p in two]
    for a, b in zip(one, two, strict=True):
        wa, wb = load(a), load(b)
        assert wa.sheetnames == wb.sheetnames
        for name in wa.sheetnames:
            assert values(wa[name]) == values(wb[name])
