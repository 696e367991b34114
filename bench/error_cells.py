"""What finding error cells (#DIV/0!, #N/A) costs on top of reading a workbook (issue 12.3).

Every sheet is read as spm reads it (as text), in turns for ``--rounds`` rounds:

- ``bare``: fastexcel's ``to_polars``, which reads an error cell as an empty one;
- ``arrow``: fastexcel's ``to_arrow_with_errors`` (what spm does), which says where the
  error cells are, handed to polars;
- ``scan``: the alternative weighed against it, looking for error cells (``t="e"``) in
  each sheet's XML, streamed, a block at a time: its time alone, the extra work.

Prints each one's median and range, and the ratio of the extra work to the bare read of
the same round (``arrow`` − ``bare``, and ``scan``).

    python sample_data/generate.py --sales-lines 1000000 --reps 2000 --customers 20000 \\
        --visits 200000 --out /tmp/cells-bench.xlsx
    python bench/error_cells.py /tmp/cells-bench.xlsx --rounds 3
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import fastexcel
import polars as pl

_ERROR_CELL = re.compile(rb"<c\b[^>]*\bt=\"e\"[^>]*>")


def bare(data: bytes, _path: Path) -> int:
    reader = fastexcel.read_excel(data)
    for name in reader.sheet_names:
        reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string").to_polars()
    return 0


def arrow(data: bytes, _path: Path) -> int:
    reader = fastexcel.read_excel(data)
    found = 0
    for name in reader.sheet_names:
        sheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
        batch, errors = sheet.to_arrow_with_errors()
        pl.DataFrame(batch)
        found += len(errors.errors) if errors is not None else 0
    return found


def scan(_data: bytes, path: Path) -> int:
    found = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            with archive.open(name) as stream:
                tail = b""
                while block := stream.read(1 << 20):
                    chunk = tail + block
                    if b't="e"' in chunk:
                        found += len(_ERROR_CELL.findall(chunk))
                    tail = chunk[-256:]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    data = options.workbook.read_bytes()
    ways: dict[str, Callable[[bytes, Path], int]] = {"bare": bare, "arrow": arrow, "scan": scan}
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(options.rounds):
        for name, way in ways.items():
            start = time.perf_counter()
            way(data, options.workbook)
            seconds[name].append(time.perf_counter() - start)
    for name, times in seconds.items():
        median, low, high = statistics.median(times), min(times), max(times)
        print(f"{name:<6} median {median:6.2f} s  range {low:.2f}–{high:.2f} s")
    extra = {
        "arrow": [a - b for a, b in zip(seconds["arrow"], seconds["bare"], strict=True)],
        "scan": seconds["scan"],
    }
    for name, times in extra.items():
        ratios = [t / b for t, b in zip(times, seconds["bare"], strict=True)]
        print(
            f"extra work of {name:<5} {statistics.median(ratios):+.1%} of the bare read"
            f"  (range {min(ratios):+.1%} to {max(ratios):+.1%})"
        )


if __name__ == "__main__":
    main()
