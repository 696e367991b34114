"""``spm tier-customers`` and ``spm letters`` against their own floors, in turns.

Each floor is what the command cannot avoid, done with the bare libraries:

- tier-customers: reading every sheet of the workbook with fastexcel, plus writing the cells
  of the ``tiers.xlsx`` spm wrote (read back beforehand, outside the timing) with bare
  xlsxwriter in constant-memory mode, row by row, no formats or charts;
- letters: the same read, plus rendering the same letter contexts with the shipped template
  by docxtpl alone (no sandbox, no escaping, no checks), in as many processes as spm uses.

Each round runs the command end to end (a fresh process), then its floor, and prints the
medians and ranges of both and of their ratio.

    python bench/others.py bench/data/bench-x1.xlsx --rounds 2
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import fastexcel
import xlsxwriter
from compare import read_once
from docxtpl import DocxTemplate

from spmcli.letters import letter_contexts, shipped_template
from spmcli.run import prepare

_job: dict[str, Any] = {}  # shared with forked workers, never pickled


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def tiers_floor(data: Path, written: Path, scratch: Path) -> float:
    """Bare read plus a bare write of the cells of ``written`` (a tiers.xlsx)."""
    reader = fastexcel.read_excel(written)
    sheets = {n: reader.load_sheet(n, header_row=None).to_polars() for n in reader.sheet_names}
    start = time.perf_counter()
    read_once(data)  # the bare fastexcel read, as bench/compare.py times it
    book = xlsxwriter.Workbook(str(scratch / "bare.xlsx"), {"constant_memory": True})
    for name, frame in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(frame.iter_rows()):
            ws.write_row(r, 0, [v for v in row])
    book.close()
    return time.perf_counter() - start


def _render(chunk: range) -> None:
    source, contexts, folder = _job["source"], _job["contexts"], _job["folder"]
    for i in chunk:
        document = DocxTemplate(io.BytesIO(source))
        document.render(dict(contexts[i]))
        document.save(str(folder / f"{i}.docx"))


def letters_floor(data: Path, scratch: Path, workers: int) -> float:
    """Bare read plus docxtpl rendering the contexts spm renders (made beforehand)."""
    prepared = prepare([data])
    ev = prepared.evaluate().evaluation
    lang = ev.scheme.locale
    _job.update(
        source=shipped_template("docx", lang).source,
        contexts=letter_contexts(ev, lang),
        folder=scratch,
    )
    count = len(_job["contexts"])
    start = time.perf_counter()
    read_once(data)  # the bare fastexcel read, as bench/compare.py times it
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_render, [range(i, count, workers) for i in range(workers)])
    return time.perf_counter() - start


def report(name: str, spm: list[float], floor: list[float]) -> None:
    ratios = [s / f for s, f in zip(spm, floor, strict=True)]
    print(
        f"{name:<22} spm {statistics.median(spm):6.2f} s ({min(spm):.2f}–{max(spm):.2f}), "
        f"floor {statistics.median(floor):6.2f} s ({min(floor):.2f}–{max(floor):.2f}), "
        f"spm / floor {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    data = options.data.resolve()
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
    spm = [sys.executable, "-m", "spmcli"]
    names = ("tier-customers", "letters --format docx")
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in names}
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        for round_ in range(options.rounds):
            out = scratch / f"tiers{round_}"
            seconds = timed([*spm, "tier-customers", str(data), "--out", str(out), "--quiet"])
            times["tier-customers"][0].append(seconds)
            times["tier-customers"][1].append(tiers_floor(data, out / "tiers.xlsx", scratch))
            letters = scratch / f"letters{round_}"
            command = [*spm, "letters", str(data), "--format", "docx", "--out", str(letters)]
            times["letters --format docx"][0].append(timed([*command, "--quiet"]))
            floor = scratch / f"floor{round_}"
            floor.mkdir()
            times["letters --format docx"][1].append(letters_floor(data, floor, workers))
            print(f"round {round_ + 1} done", flush=True)
    for name, (spm_times, floors) in times.items():
        report(name, spm_times, floors)


if __name__ == "__main__":
    main()
