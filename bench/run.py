"""Benchmark of ``spm evaluate`` at field-force scale (SPEC §6 Performance).

Generates 1 M sales lines, 200 k visits and 2,000 reps with the sample generator
(xlsx and csv, into bench/data/, not committed), then measures in one run:

- reading every sheet of the workbook with fastexcel alone (the floor for reading);
- each phase of spm on the same data: read, evaluate, write summary, write rep
  workbooks, write JSON;
- ``spm evaluate`` end to end as a user runs it, on xlsx and on csv;

and prints the ratio of end-to-end time to the bare read.

    python bench/run.py                # full scale
    python bench/run.py --scale 0.05   # a quick look
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import fastexcel
import polars as pl
from floor import bare_rep_bodies, bare_rep_workbooks

from spmcli.engine.evaluate import evaluate
from spmcli.io.json_result import write_json
from spmcli.io.read import read_inputs
from spmcli.io.rep_workbooks import write_rep_workbooks
from spmcli.io.summary import RunInfo, write_summary
from spmcli.scheme.loader import load_scheme

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"


def generate(scale: float, fmt: str, out: Path) -> None:
    if out.exists():
        return
    sizes = {"--reps": 2000, "--customers": 20000, "--sales-lines": 1_000_000, "--visits": 200_000}
    args = [a for k, v in sizes.items() for a in (k, str(max(1, int(v * scale))))]
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "sample_data" / "generate.py"),
            "--format",
            fmt,
            "--out",
            str(out),
            *args,
        ],
        check=True,
    )


def timed(label: str, results: dict[str, float], fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    results[label] = round(time.perf_counter() - start, 2)
    print(f"{label:<34} {results[label]:>8.2f} s", flush=True)
    return value


def read_bare(path: Path) -> int:
    reader = fastexcel.read_excel(str(path))
    return sum(reader.load_sheet(name).to_polars().height for name in reader.sheet_names)


def read_csv_bare(folder: Path) -> int:
    return sum(pl.read_csv(path).height for path in sorted(folder.glob("*.csv")))


def cli(args: list[str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "spmcli", "evaluate", *args, "--quiet", "--force"], check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full size (default 1)"
    )
    options = parser.parse_args()
    tag = f"x{options.scale:g}"
    xlsx, csv = DATA / f"bench-{tag}.xlsx", DATA / f"bench-{tag}-csv"
    DATA.mkdir(parents=True, exist_ok=True)
    results: dict[str, float] = {}
    timed("generate xlsx (once)", results, generate, options.scale, "xlsx", xlsx)
    timed("generate csv (once)", results, generate, options.scale, "csv", csv)

    timed("fastexcel: read all sheets", results, read_bare, xlsx)
    scheme_file = load_scheme(None)
    inputs = timed(
        "spm: read inputs (xlsx)", results, read_inputs, [xlsx], scheme_file.scheme.sources
    )
    frames = {name: table.frame for name, table in inputs.tables.items()}
    ev = timed("spm: evaluate (engine)", results, evaluate, scheme_file.scheme, frames)
    out = DATA / "out-phases"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    run = RunInfo(
        inputs=[],
        scheme_path=scheme_file.path,
        scheme_sha256="",
        version="bench",
        started=datetime.now(),
        command="bench",
    )
    timed("spm: write summary.xlsx", results, write_summary, ev, out / "summary.xlsx", run)
    timed("spm: write rep workbooks", results, write_rep_workbooks, ev, out / "reps", 2)
    timed("spm: write evaluation.json", results, write_json, ev, out / "evaluation.json")
    timed("floor: bare xlsxwriter rep workbooks", results, bare_rep_workbooks, ev, out / "floor", 2)
    timed("floor: bare spm-writer rep workbooks", results, bare_rep_bodies, ev, out / "bodies", 2)
    timed("polars: read the csv folder", results, read_csv_bare, csv)

    timed(
        "spm evaluate end to end (xlsx)", results, cli, [str(xlsx), "--out", str(DATA / "out-xlsx")]
    )
    timed("spm evaluate end to end (csv)", results, cli, [str(csv), "--out", str(DATA / "out-csv")])

    end_to_end = results["spm evaluate end to end (xlsx)"]
    ratio = end_to_end / results["fastexcel: read all sheets"]
    # SPEC §6: reading with the fastest reader plus writing the same outputs: the rep
    # workbooks bare, by xlsxwriter (the floor issue 10 names) and by spm's own writer (the
    # fastest known); summary.xlsx and the JSON are small, so spm's own times stand in.
    others = results["spm: write summary.xlsx"] + results["spm: write evaluation.json"]
    csv_end = results["spm evaluate end to end (csv)"]
    ratios = {}
    for floor_name in ("xlsxwriter", "spm-writer"):
        writes = results[f"floor: bare {floor_name} rep workbooks"] + others
        xlsx_floor = results["fastexcel: read all sheets"] + writes
        csv_floor = results["polars: read the csv folder"] + writes
        ratios[floor_name] = (end_to_end / xlsx_floor, csv_end / csv_floor)
    print(f"\nend to end / bare fastexcel read: {ratio:.2f}")
    for floor_name, (on_xlsx, on_csv) in ratios.items():
        print(
            f"end to end / (bare read + bare {floor_name} writes): xlsx {on_xlsx:.2f}, "
            f"csv {on_csv:.2f} (bare polars read)"
        )
    summary = {
        "scale": options.scale,
        "reps": ev.reps.height,
        "sales_lines": frames["sales"].height,
        "seconds": results,
        "ratio_to_bare_read": round(ratio, 2),
        "ratios_to_floors": {k: [round(x, 2), round(c, 2)] for k, (x, c) in ratios.items()},
    }
    (DATA / f"results-{tag}.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
