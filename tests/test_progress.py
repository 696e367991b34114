"""Progress on stderr: each step in the run's language and the workbooks counted, on a
terminal only; nothing with --quiet or --json, or when stderr is not a terminal."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from spmcli.cli import common
from spmcli.cli.app import app

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a terminal: what a user at a console sees (the spinner and bars)."""
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120, highlight=False)
    monkeypatch.setattr(common, "err", console)
    return screen


def test_evaluate_shows_its_steps_and_counts_the_workbooks(
    terminal: io.StringIO, tmp_path: Path
) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    result = CliRunner().invoke(
        app, ["evaluate", str(tmp_path / "q3.xlsx"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    shown = terminal.getvalue()
    for step in (
        "读取输入文件",
        "检查数据",
        "计算得分与薪酬",
        "写出代表工作簿（同时写出 summary.xlsx 和 evaluation.json）",
    ):
        assert step in shown, step
    assert "40/40" in shown


def test_evaluate_without_rep_workbooks_shows_the_summary_step(
    terminal: io.StringIO, tmp_path: Path
) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    args = ["evaluate", str(tmp_path / "q3.xlsx"), "--out", str(tmp_path), "--reps", "none"]
    assert CliRunner().invoke(app, args).exit_code == 0
    shown = terminal.getvalue()
    assert "写出 summary.xlsx" in shown and "写出代表工作簿" not in shown


@pytest.mark.parametrize("flag", ["--quiet", "--json"])
def test_quiet_and_json_show_no_progress(terminal: io.StringIO, tmp_path: Path, flag: str) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    result = CliRunner().invoke(
        app, ["evaluate", str(tmp_path / "q3.xlsx"), "--out", str(tmp_path), flag]
    )
    assert result.exit_code == 0
    assert "读取输入文件" not in terminal.getvalue()


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    result = CliRunner().invoke(
        app, ["evaluate", str(tmp_path / "q3.xlsx"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert "读取输入文件" not in result.stderr and "\x1b[" not in result.stderr
