"""The code stays lint-clean, strictly typed and layered: ruff, mypy and import-linter run as
part of the tests, and no module takes part in an import circle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_is_clean() -> None:
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_hold() -> None:
    """The contracts in pyproject.toml: cli → front door, letters → io → labels → engine →
    scheme, and the engine reads no file and draws nothing."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_through_others() -> None:
    """An import circle (even one dodged by an import inside a function) means two modules
    are one concept, or one of them is in the wrong layer."""
    graph = grimp.build_graph("spmcli")
    circles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported != module
        and not imported.startswith(module + ".")
        and not module.startswith(imported + ".")
        and graph.chain_exists(imported, module)
    )
    assert circles == []
