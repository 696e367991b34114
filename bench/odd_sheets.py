"""Time and peak memory of reading the full-size odd sheets of issue 12.5.

Makes each workbook of ``tests/corpus/make_big.py`` at full size into the folder given
(kept there: the big ones take a while to write), then reads each with spm's reader in a
process of its own, ``--rounds`` times in turns, and prints the medians and ranges of the
time and of the process's peak resident memory, and what came of it (lines read, or the
refusal):

- ``tall``: 1,048,576 rows, the Excel maximum;
- ``wide``: 1,000 lines and a stray value in column XFD (16,384 columns, 5 used): read;
- ``wide-full``: the same under 1,048,575 lines: refused before it is read;
- ``formatted``: 1,000 lines, formatting down to row 1,048,576 and across to column XFD.

    python bench/odd_sheets.py /tmp/odd --rounds 2
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from corpus.make_big import LAST_ROW, make  # noqa: E402

# name: (kind, lines)
SHEETS = {
    "tall": ("tall", LAST_ROW - 1),
    "wide": ("wide", 1000),
    "wide-full": ("wide", LAST_ROW - 1),
    "formatted": ("formatted", 1000),
}

READ = """
import json, resource, sys, time
from pathlib import Path
from spmcli.errors import SpmError
from spmcli.io.read import read_inputs
start = time.perf_counter()
try:
    outcome = f"{read_inputs([Path(sys.argv[1])]).tables['sales'].frame.height:,} lines"
except SpmError as error:
    outcome = "refused: " + str(error)[:90] + "…"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "outcome": outcome}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    options.folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (kind, lines) in SHEETS.items():
        paths[name] = options.folder / f"{name}.xlsx"
        if not paths[name].exists():
            print(f"making {paths[name]}", file=sys.stderr)
            make(kind, paths[name], lines)
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in SHEETS}
    for _ in range(options.rounds):
        for name, path in paths.items():
            done = subprocess.run(
                [sys.executable, "-c", READ, str(path)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            runs[name].append(json.loads(done.stdout))
    for name, found in runs.items():
        seconds = [float(str(run["seconds"])) for run in found]
        peaks = [int(str(run["peak"])) / 2**20 for run in found]
        print(
            f"{name:<10} {statistics.median(seconds):6.2f} s"
            f" ({min(seconds):.2f}–{max(seconds):.2f})"
            f"  peak {statistics.median(peaks):6.0f} MB ({min(peaks):.0f}–{max(peaks):.0f})"
            f"  {found[0]['outcome']}"
        )


if __name__ == "__main__":
    main()
