"""Make the test helper modules importable; add --update-golden (see tests/test_golden.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the snapshots in tests/golden/ instead of comparing with them.",
    )
