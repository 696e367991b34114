"""One run per output folder: a live lock refuses a second run, a stale one is taken over,
and two real processes started together never both write."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.io.lock import LOCK

SALES = "date,rep_id,customer_id,amount\n2025-07-01,R1,C1,1000\n2025-08-01,R2,C2,500\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "sales.csv").write_text(SALES, encoding="utf-8")
    (folder / "targets.csv").write_text("rep_id,kpi,target\nR1,sales,900\nR2,sales,900\n", "utf-8")
    return folder


def evaluate(data: Path, out: Path) -> Any:
    args = ["evaluate", str(data), "--out", str(out), "-q", "--force", "--lang", "en"]
    return CliRunner().invoke(app, args)


def lock_by(out: Path, pid: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    holder = {"pid": pid, "host": socket.gethostname(), "started": "2026-12-02T09:00:00+00:00",
              "command": "spm evaluate q3.xlsx"}  # fmt: skip
    (out / LOCK).write_text(json.dumps(holder), encoding="utf-8")


def test_a_live_lock_refuses_the_second_run(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    lock_by(out, os.getpid())  # this very process: alive
    result = evaluate(data, out)
    assert result.exit_code == 2
    assert f"another spm run is writing to this folder (pid {os.getpid()}" in result.stderr
    assert f"remove {out / LOCK} and run again" in result.stderr
    assert not (out / "summary.xlsx").exists()


def test_a_stale_lock_is_taken_over_and_released(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lock_by(out, gone.pid)
    result = evaluate(data, out)
    assert result.exit_code == 0, result.output
    assert "held a lock left by a run that is gone; it was taken over" in result.stderr
    assert (out / "summary.xlsx").is_file() and not (out / LOCK).exists()


def test_two_processes_at_once_never_both_write(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "spmcli", "evaluate", str(data), "--out", str(out), "-q",
               "--force", "--lang", "en"]  # fmt: skip
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(), run.stderr.read() if run.stderr else "") for run in runs]
    codes = sorted(code for code, _ in results)
    # Either they ran one after the other (both 0), or the second was refused (2), never 1.
    assert codes in ([0, 0], [0, 2]), results
    if codes == [0, 2]:
        assert any("another spm run" in text for _, text in results)
    assert (out / "summary.xlsx").is_file() and not (out / LOCK).exists()


def test_a_killed_runs_temporary_files_are_removed_by_the_next(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "reps").mkdir(parents=True)
    leftovers = [out / ".summary.xlsx.0123456789ab.tmp", out / "reps" / ".R1.xlsx.a1b2c3d4e5f6.tmp"]
    for path in leftovers:
        path.write_bytes(b"PK\x03\x04 half a workbook")
    mine = out / ".notes.tmp"  # not spm's pattern: left alone
    mine.write_text("the user's", encoding="utf-8")
    assert evaluate(data, out).exit_code == 0
    assert not any(p.exists() for p in leftovers) and mine.exists()
