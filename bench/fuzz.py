"""The long fuzzing profile of ``tests/test_fuzz.py``.

    python bench/fuzz.py [EXAMPLES]

runs every fuzzing test with EXAMPLES generated cases (default 500; the suite runs 25) and
prints, per test, how many cases ran, how long they took and what failed (Hypothesis's
statistics). The cases are random: each run tries new ones, and a failure is kept in
``.hypothesis/`` and tried first the next time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "500"
    command = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
        "tests/test_fuzz.py", "--hypothesis-show-statistics",
    ]  # fmt: skip
    return subprocess.call(command, cwd=ROOT, env={**os.environ, "SPM_FUZZ_EXAMPLES": examples})


if __name__ == "__main__":
    sys.exit(main())
