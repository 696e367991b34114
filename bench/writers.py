"""The same source rows of real rep workbooks written three ways, timed in turns.

For the first ``--reps`` reps of an evaluation (the workbook given is read and evaluated
with the built-in scheme), each rep's source sheets — the rows ``prepare_sources`` makes —
are written to one workbook per rep:

- ``xlsxwriter cells``: one xlsxwriter call per cell (``write_column``), as spm did before;
- ``spm bodies``: spm's way, rows made as sheet XML in one polars pass per sheet
  (``spmcli.io.xlsx.table_bodies``) inside a workbook of spm's own writer
  (``spmcli.io.xlsx``);
- ``rustpy-xlsxwriter``: one ``write_worksheets`` call per workbook with a polars frame per
  sheet (the Rust ``rust_xlsxwriter`` crate), when that package is installed.

Only cells and the header row: no scorecard, which rustpy-xlsxwriter cannot lay out (it
writes tables, not cells; see the README's Performance section).

    python bench/writers.py bench/data/bench-x1.xlsx --reps 200 --rounds 3
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from spmcli.engine.evaluate import evaluate
from spmcli.io import excel, xlsx
from spmcli.io.excel import Styles
from spmcli.io.read import read_inputs
from spmcli.io.rep_workbooks import SourceSheet, prepare_sources
from spmcli.io.xlsx import table_bodies
from spmcli.scheme.loader import load_scheme

Writer = Callable[[list[SourceSheet], list[str], Path], None]


def by_cells(sources: list[SourceSheet], reps: list[str], folder: Path) -> None:
    parts = [s.frame.partition_by("rep_id", as_dict=True) for s in sources]
    for rep in reps:
        with excel.atomic_workbook(folder / f"{rep}.xlsx") as book:
            styles = Styles.of(book)
            formats = {"money": styles.numbers["money"], "date": styles.date,
                       "datetime": styles.datetime}  # fmt: skip
            for sheet, part in zip(sources, parts, strict=True):
                frame = part.get((rep,))
                if frame is None:
                    continue
                ws = book.add_worksheet(sheet.sheet_name)
                ws.write_row(0, 0, sheet.headers, styles.header)
                for c, (name, kind) in enumerate(zip(sheet.columns, sheet.formats, strict=True)):
                    fmt = formats.get(str(kind))
                    ws.write_column(1, c, frame.get_column(name).to_list(), fmt)


def by_bodies(sources: list[SourceSheet], reps: list[str], folder: Path) -> None:
    given = Styles.of(xlsx.Workbook(folder / "never.xlsx"))
    kinds = {"money": given.numbers["money"], "date": given.date, "datetime": given.datetime}
    bodies = [
        table_bodies(s.frame, "rep_id", s.columns, [kinds.get(str(f)) for f in s.formats], 0)
        for s in sources
    ]
    for rep in reps:
        with xlsx.atomic_workbook(folder / f"{rep}.xlsx") as book:
            styles = Styles.of(book)
            for sheet, body in zip(sources, bodies, strict=True):
                if rep not in body:
                    continue
                ws = book.add_worksheet(sheet.sheet_name)
                ws.write_row(0, 0, sheet.headers, styles.header)
                ws.set_body(body[rep], 0, len(sheet.columns) - 1)


def by_rustpy(sources: list[SourceSheet], reps: list[str], folder: Path) -> None:
    import rustpy_xlsxwriter as rx

    parts = [s.frame.partition_by("rep_id", as_dict=True) for s in sources]
    money, day = rx.Format().set_num_format("#,##0.00"), rx.Format().set_num_format("yyyy-mm-dd")
    for rep in reps:
        sheets, formats = [], {}
        for sheet, part in zip(sources, parts, strict=True):
            frame = part.get((rep,))
            if frame is None:
                continue
            named = frame.select(sheet.columns).rename(dict(zip(sheet.columns, sheet.headers,
                                                                strict=True)))  # fmt: skip
            sheets.append((sheet.sheet_name, named))
            formats[sheet.sheet_name] = {
                h: money if f == "money" else day
                for h, f in zip(sheet.headers, sheet.formats, strict=True)
                if f is not None
            }
        rx.write_worksheets(sheets, str(folder / f"{rep}.xlsx"), column_formats=formats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    scheme = load_scheme(None).scheme
    inputs = read_inputs([options.data], scheme.sources)
    ev = evaluate(scheme, {name: table.frame for name, table in inputs.tables.items()})
    reps = ev.reps["rep_id"].head(options.reps).to_list()
    sources = [
        SourceSheet(**{**s.__dict__, "frame": s.frame.filter(pl.col("rep_id").is_in(reps))})
        for s in prepare_sources(ev, scheme.locale)
    ]
    cells = sum(s.frame.height * len(s.columns) for s in sources)
    print(f"{len(reps)} reps, {cells:,} cells in {len(sources)} source sheets")
    writers: dict[str, Writer] = {"xlsxwriter cells": by_cells, "spm bodies": by_bodies}
    if importlib.util.find_spec("rustpy_xlsxwriter"):
        writers["rustpy-xlsxwriter"] = by_rustpy
    else:
        print("rustpy-xlsxwriter is not installed (pip install rustpy-xlsxwriter): skipped")
    times: dict[str, list[float]] = {name: [] for name in writers}
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(options.rounds):
            for name, write in writers.items():
                folder = Path(scratch) / f"{round_}-{name.split()[0]}"
                folder.mkdir()
                start = time.perf_counter()
                write(sources, reps, folder)
                times[name].append(time.perf_counter() - start)
                print(f"round {round_ + 1}: {name:<18} {times[name][-1]:6.2f} s", flush=True)
    base = times["xlsxwriter cells"]
    for name, seconds in times.items():
        ratios = [b / s for b, s in zip(base, seconds, strict=True)]
        print(
            f"{name:<18} median {statistics.median(seconds):6.2f} s "
            f"(range {min(seconds):.2f}–{max(seconds):.2f}); speed-up over cells median "
            f"{statistics.median(ratios):.2f} (range {min(ratios):.2f}–{max(ratios):.2f})"
        )


if __name__ == "__main__":
    main()
