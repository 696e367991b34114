"""``spm evaluate``: score every rep, print the ranking, write the workbooks and JSON."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import typer

from spmcli import __version__
from spmcli.cli.common import (
    ERRORS_FILE,
    DebugOpt,
    ForceOpt,
    InputsArg,
    JsonOpt,
    LangOpt,
    OutOpt,
    PeriodOpt,
    QuietOpt,
    SchemeOpt,
    SkipOpt,
    WhatIfOpt,
    cpu_workers,
    err,
    out,
    parse_what_if,
    prepare,
    prepare_out_dir,
    stop_on_problems,
    user_errors,
)
from spmcli.cli.console import show_evaluation, what_if_table
from spmcli.engine.evaluate import evaluate as run_evaluation
from spmcli.engine.result import Warning_
from spmcli.io.files import sha256_of
from spmcli.io.json_result import evaluation_json, write_json
from spmcli.io.rep_workbooks import write_rep_workbooks
from spmcli.io.summary import RunInfo, write_summary

OUTPUTS = ("summary.xlsx", "evaluation.json", "reps")


def evaluate(
    inputs: InputsArg,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    out_dir: OutOpt = None,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    force: ForceOpt = False,
    skip_invalid: SkipOpt = False,
    quiet: QuietOpt = False,
    what_if: WhatIfOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Score and rank the reps; write summary.xlsx, reps/<rep_id>.xlsx and evaluation.json.

    Examples:

      spm evaluate sample_data/q3.xlsx

      spm evaluate q3.xlsx --scheme spm.yaml --period 2025-Q3 --out close/q3

      spm evaluate exports/ --json > result.json

      spm evaluate q3.xlsx --what-if sales=1.1
    """
    started = datetime.now().astimezone()
    with user_errors(debug):
        ready = prepare(inputs, scheme, lang, period)
        scheme_file, data, frames, when = ready.scheme_file, ready.data, ready.frames, ready.period
        target = out_dir or Path("spm-out") / when.label
        scaling = parse_what_if(what_if or [], scheme_file.scheme)
        references = ready.reference_problems()
        errors_path = None if scaling else target / ERRORS_FILE
        stop_on_problems(data.problems, references, skip_invalid, errors_path)
        ev = run_evaluation(scheme_file.scheme, frames, when.label, data.skipped_rows)
        if scaling:
            scaled = run_evaluation(
                scheme_file.scheme, frames, when.label, data.skipped_rows, scaling
            )
            if json_out:
                sys.stdout.write(evaluation_json(scaled) + "\n")
            else:
                out.print(what_if_table(ev, scaled, scaling))
            raise typer.Exit(0)
        ev.warnings[:0] = [Warning_("skipped_row", str(p)) for p in data.problems] + [
            Warning_("input", note) for note in data.notes
        ]
        prepare_out_dir(target, force, OUTPUTS, keep=ERRORS_FILE if data.problems else None)
        run = RunInfo(
            inputs=[(f.path, f.sha256) for f in data.files],
            scheme_path=scheme_file.path,
            scheme_sha256=sha256_of(Path(scheme_file.path))
            if Path(scheme_file.path).is_file()
            else "",
            version=__version__,
            started=started,
            command=" ".join(["spm", *sys.argv[1:]]),
        )
        write_summary(ev, target / "summary.xlsx", run)
        write_rep_workbooks(ev, target / "reps", workers=cpu_workers())
        write_json(ev, target / "evaluation.json")

    if json_out:
        sys.stdout.write(evaluation_json(ev) + "\n")
    elif not quiet:
        show_evaluation(ev, out)
    if not quiet:
        if ev.warnings:
            err.print(
                f"[yellow]{len(ev.warnings)} warning(s)[/yellow] — "
                "see the Warnings sheet of summary.xlsx"
            )
        err.print(
            f"wrote {target}/summary.xlsx, {target}/reps/ ({ev.reps.height} workbooks), "
            f"{target}/evaluation.json"
        )
    raise typer.Exit(0)
