"""run.json and ``spm diff``: a re-export with two corrected lines, one added return and a
changed weight names each cause; a run compared with itself differs in nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.report.diff import compare_rows, scheme_changes

SCHEME = """\
name: Tiny
cycle: quarter
locale: en
kpis:
  - {id: sales, label: Sales, value: SUM(amount), target: targets,
     scoring: {method: linear, floor: 0, cap: 1.5}}
  - {id: visits, label: Visits, table: visits, value: COUNT(*), target: 4,
     scoring: {method: linear, floor: 0, cap: 1.5}}
roles:
  rep: {weights: {sales: 50, visits: 50}}
default_role: rep
grades:
  - {grade: A, label: top, min: 90}
  - {grade: B, label: rest, min: 0}
"""
SALES = (
    "date,rep_id,customer_id,product,amount\n"
    "2025-07-01,R1,C1,P1,500\n"
    "2025-07-02,R1,C2,P1,300\n"
    "2025-08-01,R2,C3,P2,400\n"
    "2025-08-02,R2,C3,P2,400\n"  # the same line twice: matched in order
)
VISITS = "date,rep_id,customer_id\n2025-07-03,R1,C1\n2025-07-09,R2,C3\n2025-07-10,R2,C3\n"
TARGETS = "rep_id,kpi,target\nR1,sales,1000\nR2,sales,1000\n"


def export(folder: Path, sales: str, scheme: str) -> Path:
    folder.mkdir()
    (folder / "sales.csv").write_text(sales, encoding="utf-8")
    (folder / "visits.csv").write_text(VISITS, encoding="utf-8")
    (folder / "targets.csv").write_text(TARGETS, encoding="utf-8")
    (folder / "scheme.yaml").write_text(scheme, encoding="utf-8")
    return folder


def evaluate(data: Path, out: Path) -> None:
    result = CliRunner().invoke(
        app, ["evaluate", str(data), "--scheme", str(data / "scheme.yaml"), "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output


def spm_diff(*args: str | Path) -> Any:
    return CliRunner().invoke(app, ["diff", *(str(a) for a in args)], env={"COLUMNS": "250"})


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp_path = tmp_path_factory.mktemp("runs")
    before = export(tmp_path / "before", SALES, SCHEME)
    corrected = SALES.replace("2025-07-02,R1,C2,P1,300", "2025-07-02,R1,C2,P1,350")
    corrected = corrected.replace("2025-08-02,R2,C3,P2,400", "2025-08-02,R2,C3,P2,440")
    corrected += "2025-09-30,R1,C1,P1,-100\n"  # a return
    after = export(
        tmp_path / "after",
        corrected,
        SCHEME.replace("sales: 50, visits: 50", "sales: 60, visits: 40"),
    )
    evaluate(before, tmp_path / "a")
    evaluate(after, tmp_path / "b")
    return tmp_path / "a", tmp_path / "b"


def test_the_run_record_names_the_inputs_the_scheme_and_the_outputs(
    runs: tuple[Path, Path],
) -> None:
    a, _ = runs
    manifest = json.loads((a / "run.json").read_text(encoding="utf-8"))
    assert manifest["period"] == "2025-Q3"
    assert manifest["scheme"]["text"] == SCHEME
    assert {t["table"]: t["rows"] for t in manifest["tables"]} == {
        "sales": 4,
        "visits": 3,
        "targets": 2,
    }
    sizes = {Path(f["path"]).name: f["size"] for f in manifest["inputs"]}
    assert sizes["sales.csv"] == len(SALES.encode())
    assert {o["path"] for o in manifest["outputs"]} >= {
        "summary.xlsx",
        "evaluation.json",
        "reps/R1.xlsx",
    }
    assert "started" in manifest and "started" not in (a / "evaluation.json").read_text()


def test_each_cause_of_a_move_is_named(runs: tuple[Path, Path]) -> None:
    a, b = runs
    result = spm_diff(a, b, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout, parse_float=Decimal)
    assert found["scheme"] == [
        {"what": "roles.rep.weights.sales", "before": 50, "after": 60},
        {"what": "roles.rep.weights.visits", "before": 50, "after": 40},
    ]
    assert found["rows"]["sales"] == {"changed": 2, "added": 1}
    reps = {r["rep_id"]: r for r in found["reps"]}
    # R1: sales 800 → 750 of 1,000 (score 80 → 75), visits 1 of 4 (25):
    # (50 × 80 + 50 × 25) / 100 = 52.50 → (60 × 75 + 40 × 25) / 100 = 55.00
    assert {"what": "final_score", "before": Decimal("52.50"), "after": Decimal("55.00")} in reps[
        "R1"
    ]["figures"]
    rows = {(r["kind"], r["after_row"]): r for r in reps["R1"]["rows"]}
    assert rows[("changed", 3)]["changes"] == [
        {"what": "amount", "before": "300.000000", "after": "350.000000"}
    ]
    assert rows[("added", 6)]["values"]["amount"] == "-100.000000"
    assert [c["what"] for c in reps["R1"]["scheme"]] == [
        "roles.rep.weights.sales",
        "roles.rep.weights.visits",
    ]
    # R2: the second of two identical lines was corrected, 400 → 440
    assert reps["R2"]["rows"][0]["before_row"] == 5 and reps["R2"]["rows"][0]["kind"] == "changed"
    assert {
        "what": "sales.actual",
        "before": Decimal("800.00"),
        "after": Decimal("840.00"),
    } in reps["R2"]["kpis"]

    text = spm_diff(a, b).stdout
    assert "roles.rep.weights.sales 50 → 60" in text
    assert "sales 2 changed, 1 added" in text
    assert "row 3: amount 300.00 → 350.00" in text
    assert "row 6 added: 2025-09-30, C1, P1, -100.00" in text
    assert "final score 52.50 → 55.00 (+2.50)" in text


def test_exit_code_says_whether_anything_differs(runs: tuple[Path, Path]) -> None:
    a, b = runs
    assert spm_diff(a, b, "--exit-code").exit_code == 1
    same = spm_diff(a, a, "--exit-code")
    assert same.exit_code == 0 and "the two runs give the same results" in same.stdout


def test_a_folder_without_a_run_is_a_usage_error(tmp_path: Path, runs: tuple[Path, Path]) -> None:
    result = spm_diff(runs[0], tmp_path / "nowhere", "--lang", "en")
    assert result.exit_code == 2
    assert "holds no run of spm evaluate (run.json is missing)" in result.stderr
    assert "Traceback" not in result.output


def test_a_moved_line_is_no_change() -> None:
    import polars as pl

    before = pl.DataFrame({"date": ["d1", "d2"], "amount": [1, 2], "_row": [2, 3]})
    after = pl.DataFrame({"date": ["d2", "d1"], "amount": [2, 1], "_row": [2, 3]})
    assert compare_rows("sales", before, after, "x.csv") == []


def test_scheme_changes_name_kpis_by_id() -> None:
    before = "kpis:\n  - {id: a, target: 1}\n  - {id: b, target: 2}\n"
    after = "kpis:\n  - {id: b, target: 3}\n  - {id: a, target: 1}\n"
    assert [(c.what, c.before, c.after) for c in scheme_changes(before, after)] == [
        ("kpis[b].target", 2, 3)
    ]


def test_a_final_close_is_read_only_and_reopened_only_with_a_reason(tmp_path: Path) -> None:
    data = export(tmp_path / "in", SALES, SCHEME)
    out = tmp_path / "close"

    def close(*extra: str) -> Any:
        args = ["evaluate", str(data), "--scheme", str(data / "scheme.yaml"), "--out", str(out)]
        return CliRunner().invoke(app, [*args, *extra])

    final = close("--finalize")
    assert final.exit_code == 0
    assert f"Final: the files in {out} are read-only now" in final.stderr
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["final"]["at"] and manifest["final"]["by"]
    for path in (out / "evaluation.json", out / "summary.xlsx", out / "reps" / "R1.xlsx"):
        assert not path.stat().st_mode & 0o222, path  # no write bit for anyone
    again = close("--force")
    assert again.exit_code == 2
    assert "holds a final close (finalized " in again.stderr
    assert 'run again with --reopen --reason "why"' in again.stderr
    assert "needs --reason" in close("--reopen").stderr
    reopened = close("--reopen", "--reason", "returns booked late")
    assert reopened.exit_code == 0, reopened.output
    (earlier,) = (out / "history").iterdir()
    assert f"Reopened: the final run is kept in {earlier}" in reopened.stderr
    assert json.loads((earlier / "run.json").read_text(encoding="utf-8"))["final"]
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert record["final"] is None
    assert record["reopened"][0]["reason"] == "returns booked late"
    assert record["reopened"][0]["previous"] == f"history/{earlier.name}"
    compared = spm_diff(earlier, out, "--exit-code")
    assert compared.exit_code == 0 and "the two runs give the same results" in compared.stdout
    nothing = close("--reopen", "--reason", "again")
    assert nothing.exit_code == 2 and "holds no final close to reopen" in nothing.stderr


def test_a_table_only_the_later_run_read_is_rows_added_to_their_reps() -> None:
    import polars as pl

    from spmcli.report.diff import RunView, compare_runs

    def view(score: str, tables: dict[str, pl.DataFrame]) -> RunView:
        rep = {"rep_id": "R1", "final_score": Decimal(score), "kpis": {}}
        return RunView("x", {"reps": [rep]}, "", tables, {"appeal_adjustments": "a.csv"})

    appeals = pl.DataFrame({"rep_id": ["R1"], "kpi": ["sales"], "value": [9.5], "_row": [2]})
    found = compare_runs(view("50.00", {}), view("55.00", {"appeal_adjustments": appeals}))
    assert found.rows == {"appeal_adjustments": {"added": 1}}
    (row,) = found.reps[0].rows
    assert (row.kind, row.after_row, row.place, row.values["kpi"]) == ("added", 2, "a.csv", "sales")


def test_only_a_complete_unchanged_run_is_compared(runs: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    a, b = runs
    changed = Path(shutil.copytree(b, tmp_path / "changed"))
    (changed / "summary.xlsx").write_bytes(b"edited by hand")
    result = spm_diff(a, changed, "--lang", "en")
    assert result.exit_code == 2
    assert (
        "summary.xlsx was changed after the run wrote it — run spm evaluate again" in result.stderr
    )
    interrupted = Path(shutil.copytree(b, tmp_path / "interrupted"))
    (interrupted / "reps" / "R2.xlsx").unlink()
    result = spm_diff(a, interrupted, "--lang", "en")
    assert "R2.xlsx is missing: the run did not finish, or was changed since" in result.stderr


def test_a_new_run_forgets_the_old_record_until_it_writes_its_own(tmp_path: Path) -> None:
    data = export(tmp_path / "in", SALES, SCHEME)
    evaluate(data, tmp_path / "out")
    first = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    bad = SALES + "not a date,R1,C1,P1,5\n"
    (data / "sales.csv").write_text(bad, encoding="utf-8")
    failed = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(data),
            "--scheme",
            str(data / "scheme.yaml"),
            "--out",
            str(tmp_path / "out"),
            "-q",
            "--force",
        ],
    )
    assert failed.exit_code == 1  # stopped before writing: the earlier run stays whole
    assert json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8")) == first


def test_a_removed_row_is_placed_in_the_earlier_file() -> None:
    import polars as pl

    before = pl.DataFrame({"date": ["d1", "d2"], "amount": [1, 2], "_row": [2, 3]})
    after = pl.DataFrame({"date": ["d1"], "amount": [1], "_row": [2]})
    (gone,) = compare_rows("sales", before, after, "new.xlsx [s]", "old.xlsx [s]")
    assert (gone.kind, gone.before_row, gone.place) == ("removed", 3, "old.xlsx [s]")


def test_a_move_through_the_team_names_the_teammates_whose_rows_changed() -> None:
    import polars as pl

    from spmcli.report.diff import RunView, compare_runs

    def view(pool: str, amount: int) -> RunView:
        reps = [
            {"rep_id": "R1", "team": "T", "final_score": Decimal("50.00"), "kpis": {}},
            {"rep_id": "R2", "team": "T", "final_score": Decimal("60.00"),
             "pay": {"team_pool": Decimal(pool)}, "kpis": {}},
        ]  # fmt: skip
        sales = pl.DataFrame({"rep_id": ["R1"], "date": ["d"], "amount": [amount], "_row": [2]})
        return RunView("x", {"reps": reps}, "", {"sales": sales}, {})

    found = compare_runs(view("10.00", 100), view("12.00", 150))
    (move,) = found.reps
    assert (move.rep_id, move.rows, dict(move.team)) == ("R2", (), {"R1": 1})


def test_a_damaged_record_or_table_is_a_message_not_a_traceback(
    runs: tuple[Path, Path], tmp_path: Path
) -> None:
    import shutil

    a, b = runs
    table = Path(shutil.copytree(b, tmp_path / "table"))
    (table / "sources" / "sales.parquet").write_bytes(b"garbage")
    result = spm_diff(a, table, "--lang", "en")
    assert result.exit_code == 2  # the tables are hashed in run.json like every output
    assert "sales.parquet was changed after the run wrote it" in result.stderr
    shape = Path(shutil.copytree(b, tmp_path / "shape"))
    manifest = json.loads((shape / "run.json").read_text(encoding="utf-8"))
    manifest["outputs"] = ["summary.xlsx"]
    (shape / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = spm_diff(a, shape, "--lang", "en")
    assert result.exit_code == 2 and "run.json cannot be read: TypeError" in result.stderr
    assert "Traceback" not in result.output
