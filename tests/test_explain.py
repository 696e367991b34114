"""``spm explain``: the chain behind one rep's figures, worked out by hand on a tiny case,
and equal to the rep's workbook and evaluation.json for every sample rep."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli import prepare
from spmcli.cli.app import app
from spmcli.report.explain import explain, row_ranges

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"

SCHEME = """\
name: Tiny
cycle: quarter
locale: en
kpis:
  - {id: sales, label: Sales, value: SUM(amount), target: targets,
     scoring: {method: linear, floor: 0.5, cap: 1.2}}
  - {id: visits, label: Visits, table: visits, value: COUNT(*), target: targets,
     scoring: {method: linear, floor: 0.5, cap: 1.2}}
roles:
  rep: {weights: {sales: 60, visits: 40}}
default_role: rep
grades:
  - {grade: A, label: top, min: 90}
  - {grade: B, label: rest, min: 0}
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """R1: sales 1,000 of 800 (capped at 120 %), 2 of 4 visits (50 %), 2 points off.
    R2: sales 450 of 900 (50 %), no visits target (renormalised to sales alone)."""
    data = tmp_path / "in"
    data.mkdir()
    files = {
        "sales.csv": "date,rep_id,customer_id,amount\n2025-07-01,R1,C1,500\n"
        "2025-07-02,R1,C2,300\n2025-08-01,R1,C1,200\n2025-07-05,R2,C3,450\n",
        "targets.csv": "rep_id,kpi,target\nR1,sales,800\nR2,sales,900\nR1,visits,4\n",
        "visits.csv": "date,rep_id,customer_id\n2025-07-03,R1,C1\n2025-08-03,R1,C2\n"
        "2025-07-09,R2,C3\n",
        "adjustments.csv": "rep_id,points,reason,approved_by\nR1,2,late report,Li\n",
    }
    for name, text in files.items():
        (data / name).write_text(text, encoding="utf-8")
    (tmp_path / "scheme.yaml").write_text(SCHEME, encoding="utf-8")
    return tmp_path


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, ["explain", *(str(a) for a in args)], env={"COLUMNS": "200"})


def test_the_chain_of_a_capped_kpi_a_penalty_and_the_source_rows(tiny: Path) -> None:
    result = run(tiny / "in", "--scheme", tiny / "scheme.yaml", "--rep", "R1")
    assert result.exit_code == 0, result.output
    text = result.stdout
    # (60 × 120 + 40 × 50) / 100 = 92; 92 − 2 = 90, an A
    assert "final score 90.00 = composite 92.00 − penalty 2.00" in text
    assert "grade A (top), rank 1 of 2" in text
    assert "2 points off: late report (approved by Li; " in text
    assert "adjustments.csv row 2)" in text
    assert (
        "composite 92.00 = Σ weight × score / Σ weight = (60 × 120.00 + 40 × 50.00) / 100" in text
    )
    assert "actual 1,000.00 = SUM(amount) over period 2025-07-01..2025-09-30" in text
    assert "target 800.00: targets table " in text and "targets.csv row 2" in text
    assert "achievement 125.00% = 1,000.00 / 800.00" in text
    assert "capped at 120%; above 120%: counted as 120%" in text
    assert "sales.csv rows 2-4 · 3 row(s) · Amount total 1,000.00" in text
    assert "achievement 50.00% = 2 / 4" in text  # visits: exactly at the floor scores 50


def test_renormalising_is_shown_and_kpi_narrows_to_one(tiny: Path) -> None:
    result = run(tiny / "in", "--scheme", tiny / "scheme.yaml", "--rep", "R2", "--json")
    assert result.exit_code == 0, result.output
    told = json.loads(result.stdout, parse_float=Decimal)
    assert told["figures"]["final_score"] == Decimal("50.00")
    assert told["lines"][2] == "composite 50.00 = Σ weight × score / Σ weight = (60 × 50.00) / 60"
    assert told["lines"][3] == (
        "Visits N/A: their weight 40 is left out and the other weights (60) count as 100"
    )
    narrowed = run(tiny / "in", "--scheme", tiny / "scheme.yaml", "--rep", "R2", "--kpi", "visits")
    assert narrowed.exit_code == 0
    assert "Sales (sales)" not in narrowed.stdout and "Visits (visits)" in narrowed.stdout
    assert "visits.csv rows 4 · 1 row(s)" in narrowed.stdout


def test_largest_rows_first_and_rows_limits_them(tiny: Path) -> None:
    result = run(
        tiny / "in", "--scheme", tiny / "scheme.yaml", "--rep", "R1", "--rows", "1", "--json"
    )
    sales = json.loads(result.stdout)["kpis"][0]["rows"]
    assert [r["_row"] for r in sales["shown"]] == [2]  # 500 is the largest of 500, 300, 200
    assert sales["hidden"] == 2 and sales["count"] == 3


def test_unknown_rep_or_kpi_is_a_usage_error(tiny: Path) -> None:
    rep = run(tiny / "in", "--scheme", tiny / "scheme.yaml", "--rep", "R3")
    assert rep.exit_code == 2 and "'R3' is not on the roster" in rep.stderr
    kpi = run(tiny / "in", "--scheme", tiny / "scheme.yaml", "--rep", "R1", "--kpi", "visit")
    assert kpi.exit_code == 2 and "did you mean 'visits'?" in kpi.stderr
    assert "Traceback" not in kpi.output


def test_row_ranges() -> None:
    assert row_ranges([12, 13, 14, 15, 20, 33, 31, 32]) == "12-15, 20, 31-33"
    assert row_ranges([]) == ""


FIGURES = {"actual": "实际", "target": "目标", "achievement": "达成率", "score": "得分"}


def _scorecard(path: Path) -> dict[str, dict[str, Any]]:
    """KPI title -> figure -> the cell of the rep workbook's scorecard."""
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and "得分" in row and "指标" in row)
    at = {key: rows[header].index(title) for key, title in FIGURES.items()}
    return {
        row[0]: {key: row[i] for key, i in at.items()}
        for row in rows[header + 1 :]
        if row and row[0]
    }


def test_every_sample_rep_is_explained_with_the_figures_of_their_workbook(
    tmp_path: Path,
) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    done = CliRunner().invoke(
        app, ["evaluate", str(tmp_path / "q3.xlsx"), "--out", str(tmp_path / "out"), "-q"]
    )
    assert done.exit_code == 0, done.output
    written = json.loads((tmp_path / "out" / "evaluation.json").read_text(), parse_float=Decimal)
    ev = prepare([tmp_path / "q3.xlsx"]).evaluate().evaluation
    for rep in written["reps"]:
        told = explain(ev, rep["rep_id"], {})
        for key in ("composite", "penalty", "final_score", "grade", "rank", "pay"):
            assert told.figures[key] == rep[key], (rep["rep_id"], key)
        scorecard = _scorecard(tmp_path / "out" / "reps" / f"{rep['rep_id']}.xlsx")
        for step in told.kpis:
            assert step.figures == rep["kpis"][step.kpi], (rep["rep_id"], step.kpi)
            for key in FIGURES:  # the workbook's cell holds the same figure, N/A as N/A
                cell = scorecard[step.title][key]
                cell = None if cell in (None, "N/A") else Decimal(str(cell))
                assert cell == step.figures[key], (rep["rep_id"], step.kpi, key)
            if step.rows is not None and step.rows.place:
                source = ev.sources[step.kpi]
                assert step.rows.count == source.filter(source["rep_id"] == rep["rep_id"]).height


def test_kpi_lists_all_its_rows_unless_rows_says_otherwise(tiny: Path) -> None:
    args = (tiny / "in", "--scheme", tiny / "scheme.yaml", "--rep", "R1", "--kpi", "sales")
    every = json.loads(run(*args, "--json").stdout)["kpis"][0]["rows"]
    assert (len(every["shown"]), every["hidden"]) == (3, 0)
    one = json.loads(run(*args, "--rows", "1", "--json").stdout)["kpis"][0]["rows"]
    assert (len(one["shown"]), one["hidden"]) == (1, 2)
