"""``spm init DIR``: a starter folder that runs as it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.scheme.loader import default_scheme_text

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
TEMPLATES = sorted(
    f"letter.{lang}.{fmt}" for lang in ("zh", "en") for fmt in ("md", "html", "docx")
)


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_init_writes_scheme_templates_and_sample_into_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "close"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    assert (target / "spm.yaml").read_text("utf-8") == default_scheme_text()
    assert "# 考核指标 · KPIs" in (target / "spm.yaml").read_text("utf-8")  # commented
    assert (target / "q3.xlsx").read_bytes() == SAMPLE.read_bytes()
    assert sorted(p.name for p in (target / "templates").iterdir()) == TEMPLATES
    for command in ("spm check q3.xlsx", "spm evaluate q3.xlsx", "spm letters q3.xlsx"):
        assert command in result.stdout
    assert f"cd {target}" in result.stdout


def test_init_into_an_empty_folder(tmp_path: Path) -> None:
    assert run("init", tmp_path).exit_code == 0
    assert (tmp_path / "spm.yaml").is_file()


def test_init_refuses_a_non_empty_folder_without_force(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("init", tmp_path, "--lang", "en")
    assert result.exit_code == 2
    assert "is not empty — use --force" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]

    result = run("init", tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"  # other files stay
    assert (tmp_path / "q3.xlsx").is_file()


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    result = run("init", tmp_path / "x", "--lang", "en")
    assert result.exit_code == 2 and "is a file" in result.stderr


def test_the_starter_folder_runs_the_commands_it_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the folder, spm uses its spm.yaml and its templates/ (edited here to prove it)."""
    assert run("init", tmp_path).exit_code == 0
    monkeypatch.chdir(tmp_path)
    template = tmp_path / "templates" / "letter.zh.md"
    template.write_text("自定义：{{ rep.name }} {{ result.final_score }}\n", encoding="utf-8")
    assert run("check", "q3.xlsx").exit_code == 0
    result = run("letters", "q3.xlsx", "--format", "md", "--rep", "R001")
    assert result.exit_code == 0, result.output
    letter = tmp_path / "spm-out" / "2025-Q3" / "letters" / "R001_吴敏艳.md"
    assert letter.read_text("utf-8").startswith("自定义：吴敏艳 ")
    assert "templates/letter.zh.md" in result.stderr
