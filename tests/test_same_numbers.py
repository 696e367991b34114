"""Every output tells the same numbers: for every rep of the sample, the console, summary.xlsx,
the rep's workbook, evaluation.json and the rep's letter show the same final score, grade,
rank, bonus, commission, pool share and total pay, and the console, the summary and the JSON
the same grade shares."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.report.labels import label
from spmcli.report.wording import money_header

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
PARTS = ("bonus", "commission", "team_pool", "total")
CENT = Decimal("0.01")


def zh(key: str) -> str:
    return label(key, "zh")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("same")
    shutil.copy(SAMPLE, folder / "q3.xlsx")
    out = folder / "out"
    runner = CliRunner()
    evaluated = runner.invoke(
        app, ["evaluate", str(folder / "q3.xlsx"), "--out", str(out)], env={"COLUMNS": "250"}
    )
    assert evaluated.exit_code == 0, evaluated.stderr
    lettered = runner.invoke(
        app, ["letters", str(folder / "q3.xlsx"), "--out", str(out), "--format", "md"]
    )
    assert lettered.exit_code == 0, lettered.stderr
    data = json.loads((out / "evaluation.json").read_text(encoding="utf-8"), parse_float=Decimal)
    return {"console": evaluated.stdout, "out": out, "json": data}


def due_reps(outputs: dict[str, Any]) -> list[dict[str, Any]]:
    reps = [r for r in outputs["json"]["reps"] if r["due"]]
    assert len(reps) == 40
    return reps


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    workbook.close()
    return rows


def by_header(rows: list[tuple[Any, ...]], key: str) -> dict[str, dict[str, Any]]:
    header = rows[0]
    return {
        str(row[header.index(zh("col.rep_id"))]): dict(zip(header, row, strict=False))
        for row in rows[1:]
        if row[0] is not None
    }


def test_console_shows_the_json_figures(outputs: dict[str, Any]) -> None:
    lines = [line for line in outputs["console"].splitlines() if line.startswith("│")]
    shown = {}
    for line in lines:
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if re.fullmatch(r"R\d{3}", cells[1]):
            shown[cells[1]] = cells
    for rep in due_reps(outputs):
        cells = shown[rep["rep_id"]]
        assert cells[0] == str(rep["rank"])
        assert cells[-3] == str(rep["final_score"])
        assert cells[-2] == rep["grade"]
        assert cells[-1] == money(rep["pay"]["total"])


def test_summary_shows_the_json_figures(outputs: dict[str, Any]) -> None:
    summary = outputs["out"] / "summary.xlsx"
    reps = by_header(sheet_rows(summary, zh("sheet.reps")), "col.rep_id")
    payroll = by_header(sheet_rows(summary, zh("sheet.payroll")), "col.rep_id")
    for rep in due_reps(outputs):
        row = reps[rep["rep_id"]]
        assert Decimal(str(row[zh("col.final_score")])) == rep["final_score"]
        assert row[zh("col.grade")] == rep["grade"]
        assert row[zh("col.rank")] == rep["rank"]
        pay = payroll[rep["rep_id"]]
        for part, key in zip(
            PARTS, ("col.bonus", "col.commission", "col.team_pool", "col.total_pay"), strict=True
        ):
            header = money_header(key, "CNY", "zh")  # 奖金（CNY）
            assert Decimal(str(pay[header])).quantize(CENT) == rep["pay"][part], part


def test_each_rep_workbook_shows_the_json_figures(outputs: dict[str, Any]) -> None:
    for rep in due_reps(outputs):
        path = outputs["out"] / "reps" / f"{rep['rep_id']}.xlsx"
        card: dict[Any, Any] = {}
        for row in sheet_rows(path, zh("sheet.scorecard")):
            if row and row[1] is not None:
                card.setdefault(row[0], row[1])  # the rep's block at the top
        assert Decimal(str(card[zh("col.final_score")])) == rep["final_score"]
        assert str(card[zh("col.grade")]).split()[0] == rep["grade"]
        assert str(card[zh("col.rank")]).split(" / ")[0] == str(rep["rank"])
        statement = sheet_rows(path, zh("sheet.pay_statement"))
        lines = {row[0]: row[1] for row in statement if row and isinstance(row[1], int | float)}
        assert Decimal(str(lines[zh("col.total_pay")])).quantize(CENT) == rep["pay"]["total"]
        assert Decimal(str(lines[zh("pay.share")])).quantize(CENT) == rep["pay"]["team_pool"]
        paid = [row[1] for row in statement if row and row[0] == zh("col.bonus") and row[1]]
        assert [Decimal(str(v)).quantize(CENT) for v in paid] == [rep["pay"]["bonus"]]
        # the tier table's total, or the commission line when there is no table (no target)
        tiers_total = [row[7] for row in statement if row and row[0] == zh("value.total")]
        no_table = [
            row[1]
            for row in statement
            if row and row[0] == zh("col.commission") and isinstance(row[1], int | float)
        ]
        [commission] = tiers_total or no_table
        assert Decimal(str(commission)).quantize(CENT) == rep["pay"]["commission"]


def test_each_letter_shows_the_json_figures(outputs: dict[str, Any]) -> None:
    letters = {p.name.split("_")[0]: p for p in (outputs["out"] / "letters").glob("*.md")}
    for rep in due_reps(outputs):
        text = letters[rep["rep_id"]].read_text(encoding="utf-8")
        assert f"**最终得分 {rep['final_score']}**，等级 **{rep['grade']}**" in text
        assert f"全体第 {rep['rank']} / 40" in text
        for part, key in zip(
            PARTS[:3], ("col.bonus", "col.commission", "col.team_pool"), strict=True
        ):
            assert f"| {zh(key)} | {money(rep['pay'][part])} |" in text, part
        assert f"| **{money(rep['pay']['total'])}** |" in text


def test_grade_shares_agree(outputs: dict[str, Any]) -> None:
    grades = outputs["json"]["grades"]
    assert grades["graded"] == 40 and grades["not_graded"] == 0
    assert [(g["grade"], g["count"]) for g in grades["grades"]] == [
        ("A", 8), ("B", 16), ("C", 10), ("D", 6),
    ]  # fmt: skip
    shares = {g["grade"]: g["share"] for g in grades["grades"]}
    assert shares == {"A": Decimal("0.2000"), "B": Decimal("0.4000"),
                      "C": Decimal("0.2500"), "D": Decimal("0.1500")}  # fmt: skip
    rows = sheet_rows(outputs["out"] / "summary.xlsx", zh("sheet.grades"))
    assert {row[0]: Decimal(str(row[4])) for row in rows[1:5]} == shares
    console = {
        cells[0]: cells[3]
        for line in outputs["console"].splitlines()
        if line.startswith("│")
        and (cells := [c.strip() for c in line.strip("│").split("│")])[0] in shares
    }
    assert console == {g: f"{s * 100:.1f}%" for g, s in shares.items()}
