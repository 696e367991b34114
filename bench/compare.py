"""Interleaved end-to-end timing of two spm source trees on the same data.

On a shared, noisy machine a speed-up (or a slow-down) is only believable from runs taken
in turns: baseline, change, baseline, change … This runs ``spm evaluate`` of each tree in
turn (each tree imported through PYTHONPATH), and a bare fastexcel read of the workbook in
every round, then prints each tree's median and range and the change / baseline ratio.

    git worktree add /tmp/baseline <commit>
    python bench/run.py            # once, to generate bench/data/bench-x1.xlsx
    python bench/compare.py /tmp/baseline . --data bench/data/bench-x1.xlsx --rounds 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fastexcel


def evaluate_once(tree: Path, data: Path, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
    command = [sys.executable, "-m", "spmcli", "evaluate", str(data), "--quiet", "--force"]
    start = time.perf_counter()
    subprocess.run([*command, "--out", str(out)], check=True, env=env, cwd=tree)
    return time.perf_counter() - start


def read_once(data: Path) -> float:
    start = time.perf_counter()
    reader = fastexcel.read_excel(str(data))
    for name in reader.sheet_names:
        reader.load_sheet(name).to_polars()
    return time.perf_counter() - start


def summary(label: str, seconds: list[float]) -> str:
    return (
        f"{label:<22} median {statistics.median(seconds):7.2f} s"
        f"  range {min(seconds):.2f}–{max(seconds):.2f} s  ({len(seconds)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", type=Path, help="source tree of the baseline")
    parser.add_argument("change", type=Path, help="source tree of the change")
    parser.add_argument("--data", type=Path, required=True, help="the input workbook or folder")
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    data = options.data.resolve()
    times: dict[str, list[float]] = {"bare read": [], "baseline": [], "change": []}
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(options.rounds):
            if data.is_file():
                times["bare read"].append(read_once(data))
            for name in ("baseline", "change"):
                tree = getattr(options, name)
                seconds = evaluate_once(tree, data, Path(scratch) / name)
                times[name].append(seconds)
                print(f"round {round_ + 1}: {name:<8} {seconds:7.2f} s", flush=True)
    print()
    for name, seconds in times.items():
        if seconds:
            print(summary(name, seconds))
    ratios = [c / b for b, c in zip(times["baseline"], times["change"], strict=True)]
    print(
        f"change / baseline      median {statistics.median(ratios):.3f}"
        f"  range {min(ratios):.3f}–{max(ratios):.3f}"
    )
    if times["bare read"]:
        to_read = [c / r for r, c in zip(times["bare read"], times["change"], strict=True)]
        print(f"change / bare read     median {statistics.median(to_read):.2f}")


if __name__ == "__main__":
    main()
