"""``spm evaluate`` on a large company's quarter: 1 M, 3 M and 10 M sales lines (issue 10.5).

An xlsx sheet stops at 1,048,576 rows, so a quarter of 10 M sales lines arrives as a folder
of Parquet or CSV files. For each point this generates the data with the sample generator
when the folder is missing (into the folder given, never into the repository), then, in
turns for ``--rounds`` rounds: the bare polars read of every file of the folder (in a
process of its own) and ``spm evaluate`` on it, with the resident memory of its whole
process tree sampled every 50 ms (``peak.tree_rss``). Prints, per point, the medians and
ranges of the end-to-end time, of its ratio to the bare read of the same round, and of the
peak of the summed RSS; and the time per million lines, which stays flat when the time
grows linearly.

    python bench/big.py /tmp/big                          # 1, 3 and 10 M, Parquet, no workbooks
    python bench/big.py /tmp/big --format csv --points 1,3
    python bench/big.py /tmp/big --points 1 -- --reps R0001,R0002   # options for spm evaluate
    python bench/big.py /tmp/big --points 1,3 --baseline /tmp/baseline   # two trees in turns
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from peak import evaluate_sampled

ROOT = Path(__file__).resolve().parent.parent

# Per million sales lines; reps as issue 10 gives them (10,000 at 10 M).
REPS = {1: 2_000, 3: 3_000, 10: 10_000}
CUSTOMERS_PER_MILLION = 20_000
VISITS_PER_MILLION = 200_000

BARE_READ = """
import sys, time
from pathlib import Path
import polars as pl
start = time.perf_counter()
for path in sorted(Path(sys.argv[1]).iterdir()):
    if path.suffix == ".parquet":
        pl.read_parquet(path)
    elif path.suffix == ".csv":
        pl.read_csv(path)
print(time.perf_counter() - start)
"""


def folder_of(root: Path, millions: int, fmt: str) -> Path:
    return root / (f"p{millions}" if fmt == "parquet" else f"p{millions}-{fmt}")


def generate(folder: Path, millions: int, fmt: str) -> None:
    """The data of one point, made once: a folder that exists is used as it is."""
    if folder.exists():
        return
    if ROOT in folder.resolve().parents:
        raise SystemExit(f"{folder}: give a folder outside the repository for the data")
    sizes = {
        "--reps": REPS.get(millions, 1_000 * millions),
        "--customers": CUSTOMERS_PER_MILLION * millions,
        "--sales-lines": 1_000_000 * millions,
        "--visits": VISITS_PER_MILLION * millions,
    }
    args = [a for k, v in sizes.items() for a in (k, str(v))]
    generator = ROOT / "sample_data" / "generate.py"
    command = [sys.executable, str(generator), "--format", fmt, "--out", str(folder), *args]
    subprocess.run(command, check=True)


def bare_read(folder: Path) -> float:
    """Seconds polars alone takes to read every file of the folder, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", BARE_READ, str(folder)], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip())


def line(name: str, values: list[float], unit: str) -> str:
    return (
        f"  {name:<28} median {statistics.median(values):8.2f}{unit} "
        f"(range {min(values):.2f}–{max(values):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="folder for the generated data (not the repo)")
    parser.add_argument("--points", default="1,3,10", help="millions of sales lines: 1,3,10")
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--tree", type=Path, default=ROOT, help="spm source tree to run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--baseline", type=Path, help="another source tree, run in turns with --tree"
    )
    argv = sys.argv[1:]
    ours, extra = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    options = parser.parse_args(ours)
    extra = extra or ["--reps", "none"]  # the options for spm evaluate, after --
    points = [int(p) for p in options.points.split(",")]
    folders = {p: folder_of(options.data, p, options.format) for p in points}
    for millions, folder in folders.items():
        generate(folder, millions, options.format)
    shown = " ".join(a if len(a) < 40 else f"<{a.count(',') + 1} ids>" for a in extra)
    print(f"spm evaluate {shown} on {options.format}, tree {options.tree}")
    trees = {"change": options.tree, **({"baseline": options.baseline} if options.baseline else {})}
    for millions, folder in folders.items():
        reads: list[float] = []
        ends: dict[str, list[float]] = {name: [] for name in trees}
        peaks: dict[str, list[float]] = {name: [] for name in trees}
        with tempfile.TemporaryDirectory() as scratch:
            for round_ in range(options.rounds):
                reads.append(bare_read(folder))
                for name, tree in trees.items():
                    seconds, peak = evaluate_sampled(tree, folder, Path(scratch), extra)
                    ends[name].append(seconds)
                    peaks[name].append(peak / 2**30)
                    print(
                        f"{millions} M, round {round_ + 1}, {name}: end to end {seconds:7.2f} s, "
                        f"peak {peaks[name][-1]:.2f} GiB, bare read {reads[-1]:.2f} s",
                        flush=True,
                    )
        print(f"{millions} M sales lines ({folder}):")
        print(line("bare polars read", reads, " s"))
        for name in trees:
            ratios = [e / r for e, r in zip(ends[name], reads, strict=True)]
            print(f" {name} ({trees[name]}):")
            print(line("end to end", ends[name], " s"))
            print(line("per million lines", [e / millions for e in ends[name]], " s"))
            print(line("end to end / bare read", ratios, " ×"))
            print(line("peak RSS, all processes", peaks[name], " GiB"))
        if options.baseline:
            pairs = zip(ends["baseline"], ends["change"], strict=True)
            print(line("change / baseline", [c / b for b, c in pairs], " ×"))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
