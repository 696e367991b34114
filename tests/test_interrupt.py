"""Ctrl-C ends a command at any moment, even while it loads, with one line and exit 130.

(A Ctrl-C in the first few milliseconds, while Python itself starts, is Python's to handle.)"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


@pytest.mark.parametrize("delay", [0.3, 1.0, 3.0])
def test_sigint_exits_130_with_one_line(tmp_path: Path, delay: float) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    command = [sys.executable, "-m", "spmcli", "evaluate", "q3.xlsx", "--out", "out", "-q",
               "--lang", "en"]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    stderr = process.stderr.read() if process.stderr else ""
    if code == 0:  # finished before the signal arrived: nothing to check
        return
    assert code == 130, stderr
    assert stderr == "spm: interrupted\n"
