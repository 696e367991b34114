"""Every command has help with examples and a section in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from spmcli.cli.app import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_group(app).commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_help_with_examples(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert f"spm {command} " in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented_in_the_readme(command: str) -> None:
    assert f"`spm {command}" in README


def test_readme_opens_with_the_two_commands() -> None:
    blocks = README.split("```")
    assert "pip install . && .venv/bin/spm evaluate sample_data/q3.xlsx" in blocks[1]
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest" in blocks[3]
