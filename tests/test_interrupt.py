"""Ctrl-C ends a command at any moment, even while it loads, with one line and exit 130.

(A Ctrl-C while Python itself starts, before any of spm runs, is Python's to handle: the test
waits until the process has begun to load spm's libraries.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


def loading_spm(pid: int) -> bool:
    """Whether the process has polars' library mapped: spm's imports are under way."""
    try:
        return "polars" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("delay", [0.0, 0.5, 2.0])
def test_sigint_exits_130_with_one_line(tmp_path: Path, delay: float) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    command = [sys.executable, "-m", "spmcli", "evaluate", "q3.xlsx", "--out", "out", "-q",
               "--lang", "en"]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    while not loading_spm(process.pid) and process.poll() is None:
        assert time.monotonic() - started < 60, "spm did not start"
        time.sleep(0.01)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    stderr = process.stderr.read() if process.stderr else ""
    if code == 0:  # finished before the signal arrived: nothing to check
        return
    assert code == 130, stderr
    assert stderr == "spm: interrupted\n"


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_a_hard_kill_leaves_no_half_written_file_and_the_next_run_just_works(
    tmp_path: Path, delay: float
) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    command = [sys.executable, "-m", "spmcli", "evaluate", "q3.xlsx", "--out", "out", "-q",
               "--force"]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.DEVNULL)
    while not loading_spm(process.pid) and process.poll() is None:
        time.sleep(0.01)
    time.sleep(delay)
    process.kill()  # SIGKILL: no handler runs, temporary files stay behind
    process.wait(timeout=60)
    out = tmp_path / "out"
    for book in out.rglob("*.xlsx") if out.exists() else ():
        assert zipfile.is_zipfile(book), f"{book} is half-written under its final name"
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr  # the stale lock is taken over, no clean-up
    assert not [p for p in out.rglob("*.tmp")], "a killed run's temporary files were left"
    assert (out / "run.json").is_file()


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_the_workers_end_when_the_run_is_killed(tmp_path: Path) -> None:
    """SIGKILL runs no clean-up; the rep workbooks' workers notice and end by themselves
    (they waited for work for ever before)."""
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    command = [sys.executable, "-m", "spmcli", "evaluate", "q3.xlsx", "--out", "out", "-q",
               "--workers", "2"]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    while not workers and process.poll() is None:
        workers = children(process.pid)
        time.sleep(0.005)
    assert workers, "the run ended before its workers started"
    process.kill()
    process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, "workers outlived the killed run"
