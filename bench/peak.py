"""Wall time and peak memory of ``spm evaluate`` with all its processes, and the bare read.

Runs ``spm evaluate`` on the data (from the source tree given, default this one) and samples,
every 50 ms, the resident memory of its whole process tree (the main process and the
workers, from /proc, Linux only), then reads every sheet of the workbook with fastexcel
alone, in turns for ``--rounds`` rounds; prints the medians and ranges of the end-to-end
time, of its ratio to the bare read of the same round, and of the peak of the summed RSS.

    python bench/peak.py bench/data/bench-x1.xlsx --rounds 3
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

from compare import read_once

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants now."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def evaluate_sampled(tree: Path, data: Path, out: Path, extra: list[str]) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
    command = [sys.executable, "-m", "spmcli", "evaluate", str(data), "--quiet", "--force"]
    start = time.perf_counter()
    process = subprocess.Popen([*command, "--out", str(out), *extra], env=env, cwd=tree)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"spm evaluate failed with exit status {process.returncode}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("extra", nargs="*", help="further options for spm evaluate, after --")
    options = parser.parse_args()
    data = options.data.resolve()
    ends, reads, peaks = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(options.rounds):
            seconds, peak = evaluate_sampled(options.tree, data, Path(scratch), options.extra)
            ends.append(seconds)
            peaks.append(peak / 2**30)
            reads.append(read_once(data) if data.is_file() else float("nan"))
            print(
                f"round {round_ + 1}: end to end {seconds:6.2f} s, peak {peaks[-1]:.2f} GiB, "
                f"bare read {reads[-1]:.2f} s",
                flush=True,
            )
    ratios = [e / r for e, r in zip(ends, reads, strict=True)]

    def line(name: str, values: list[float], unit: str) -> str:
        return (
            f"{name:<24} median {statistics.median(values):.2f}{unit} "
            f"(range {min(values):.2f}–{max(values):.2f})"
        )

    print(line("end to end", ends, " s"))
    print(line("bare fastexcel read", reads, " s"))
    print(line("end to end / bare read", ratios, ""))
    print(line("peak RSS, all processes", peaks, " GiB"))


if __name__ == "__main__":
    main()
