"""``spm evaluate --reps all|none|ID,…`` and ``--workers``: which rep workbooks are written,
by how many processes, and that everything else is written the same whatever they say."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli.cli import common
from spmcli.cli.app import app

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


def evaluate(work: Path, out: str, *options: str) -> Any:
    args = ["evaluate", str(work / "q3.xlsx"), "--out", str(work / out), *options]
    return CliRunner().invoke(app, args)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample evaluated once with every workbook, in two processes."""
    folder = tmp_path_factory.mktemp("reps")
    shutil.copy(SAMPLE, folder / "q3.xlsx")
    assert evaluate(folder, "all", "--workers", "2").exit_code == 0
    return folder


def sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_none_writes_the_summary_and_the_json_but_no_rep_workbook(work: Path) -> None:
    result = evaluate(work, "none", "--reps", "none")
    assert result.exit_code == 0, result.output
    out = work / "none"
    names = sorted(p.name for p in out.iterdir())
    assert names == ["evaluation.json", "run.json", "sources", "summary.xlsx"]
    assert "--reps none" in result.stderr
    assert (out / "evaluation.json").read_bytes() == (work / "all" / "evaluation.json").read_bytes()
    assert sheets(out / "summary.xlsx")["代表"] == sheets(work / "all" / "summary.xlsx")["代表"]


def test_ids_write_only_those_workbooks_as_a_full_run_does(work: Path) -> None:
    result = evaluate(work, "two", "--reps", "R013, R001,R013", "--workers", "1")
    assert result.exit_code == 0, result.output
    out = work / "two"
    assert sorted(p.name for p in (out / "reps").iterdir()) == ["R001.xlsx", "R013.xlsx"]
    assert "2 个工作簿" in result.stderr
    for name in ("R001.xlsx", "R013.xlsx"):
        assert sheets(out / "reps" / name) == sheets(work / "all" / "reps" / name)
    assert (out / "evaluation.json").read_bytes() == (work / "all" / "evaluation.json").read_bytes()


def test_a_run_into_a_full_folder_replaces_reps_as_a_whole(work: Path) -> None:
    """Another run's workbooks are not left beside this run's summary and run.json."""
    shutil.copytree(work / "all", work / "again")
    result = evaluate(work, "again", "--reps", "R001", "--force", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (work / "again" / "reps").iterdir()] == ["R001.xlsx"]
    assert evaluate(work, "again", "--reps", "none", "--force").exit_code == 0
    assert not (work / "again" / "reps").exists()


def test_an_unknown_id_is_a_usage_error_naming_it_before_anything_is_written(work: Path) -> None:
    result = evaluate(work, "bad", "--reps", "R001,R13", "--lang", "en")
    assert result.exit_code == 2
    assert "error: --reps: 'R13' is not on the roster — did you mean 'R013'?" in result.stderr
    assert "R001'" not in result.stderr
    assert not (work / "bad").exists()


def test_workers_must_be_at_least_one(work: Path) -> None:
    result = evaluate(work, "zero", "--workers", "0")
    assert result.exit_code == 2
    assert "--workers" in result.stderr


def test_workers_default_to_the_cpus_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 2, 5}, raising=False)
    assert common.cpu_workers() == 3
    assert common.cpu_workers(7) == 7
