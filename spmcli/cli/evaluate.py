"""``spm evaluate``: score every rep, print the ranking, write the workbooks and JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

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
    Steps,
    WhatIfOpt,
    cpu_workers,
    err,
    escape,
    out,
    parse_what_if,
    prepare,
    prepare_out_dir,
    show_warnings,
    stop_on_problems,
    user_errors,
)
from spmcli.cli.console import show_evaluation, what_if_table
from spmcli.engine.result import Evaluation
from spmcli.errors import Problem, UsageError, did_you_mean
from spmcli.io.files import write_text_atomic
from spmcli.io.json_result import evaluation_json
from spmcli.io.rep_workbooks import writing_rep_workbooks
from spmcli.io.summary import RunInfo, write_summary
from spmcli.report.labels import label
from spmcli.report.wording import nobody_scored, verdict
from spmcli.run import Run

OUTPUTS = ("summary.xlsx", "evaluation.json", "reps")

RepsOpt = Annotated[
    str,
    typer.Option(
        "--reps",
        help="Which rep workbooks to write: all, none (only the summary and the JSON), or rep "
        "ids separated by commas.",
    ),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help="Processes writing the rep workbooks. Default: the CPUs spm may use.",
    ),
]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide", help="Show every KPI's score in the ranking, however narrow the terminal."
    ),
]


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
    wide: WideOpt = False,
    reps: RepsOpt = "all",
    workers: WorkersOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Score and rank the reps; write summary.xlsx, reps/<rep_id>.xlsx and evaluation.json.

    Examples:

      spm evaluate sample_data/q3.xlsx

      spm evaluate q3.xlsx --scheme spm.yaml --period 2025-Q3 --out close/q3

      spm evaluate exports/ --json > result.json

      spm evaluate q3.xlsx --what-if sales=1.1

      spm evaluate q3.xlsx --reps none        (the summary and the JSON only)

      spm evaluate q3.xlsx --reps R001,R007   (only these reps' workbooks)
    """
    with user_errors(debug), Steps(quiet or json_out) as steps:
        prepared = prepare(inputs, scheme, lang, period, steps=steps)
        words = prepared.scheme.locale
        target = out_dir or Path("spm-out") / prepared.period.label
        scaling = parse_what_if(what_if or [])
        stop_on_problems(prepared, skip_invalid, None if scaling else target / ERRORS_FILE)
        steps.show("computing", words)
        run = prepared.evaluate(skip_invalid=skip_invalid, what_if=scaling)
        ev = run.evaluation
        if run.scaled is None:
            chosen = chosen_reps(ev, reps)
            keep = ERRORS_FILE if prepared.unreadable else None
            prepare_out_dir(target, force, OUTPUTS, keep=keep)
            count = ev.reps.height if chosen is None else len(chosen)
            done = None
            if count:
                done = steps.step("workbooks", words, total=count)
            else:
                steps.show("summary", words)
            # The summary and the JSON are written while the workers write the workbooks.
            with writing_rep_workbooks(
                ev, target / "reps", cpu_workers(workers), advance=done, only=chosen
            ):
                write_summary(ev, target / "summary.xlsx", _run_info(run))
                text = evaluation_json(ev)  # once, for the file and for --json
                write_text_atomic(target / "evaluation.json", text + "\n")

    if run.scaled is not None:  # a what-if writes nothing
        if json_out:
            sys.stdout.write(evaluation_json(run.scaled) + "\n")
        else:
            out.print(what_if_table(ev, run.scaled, scaling))
        raise typer.Exit(0)

    if json_out:
        sys.stdout.write(text + "\n")
    elif not quiet:
        show_evaluation(ev, out, wide=wide)
    if not quiet:
        lang = ev.scheme.locale
        where = label("console.warnings_in", lang).format(
            file=target / "summary.xlsx", sheet=label("sheet.warnings", lang)
        )
        show_warnings(ev.warnings, lang, where)
        for line in verdict(ev, lang):
            err.print(f"[bold yellow]{escape(line)}[/bold yellow]")
        wrote = label(
            "console.wrote_evaluation" if count else "console.wrote_no_reps", lang
        ).format(
            summary=target / "summary.xlsx",
            reps=f"{target / 'reps'}/",
            count=count,
            json=target / "evaluation.json",
        )
        err.print(escape(wrote))
    # A close in which nobody could be scored is no close: exit 1, the outputs written to
    # show why. Some reps or KPIs N/A is a close with gaps, said above: exit 0.
    void = nobody_scored(ev)
    if void and quiet:
        err.print(f"[red]error:[/red] {escape(verdict(ev, ev.scheme.locale)[-1])}")
    raise typer.Exit(1 if void else 0)


def chosen_reps(ev: Evaluation, text: str) -> list[str] | None:
    """``--reps``: None for all, [] for none, else the ids named (each on the roster)."""
    words = text.strip()
    if words.casefold() == "all":
        return None
    if words.casefold() == "none":
        return []
    roster = ev.reps["rep_id"].to_list()
    on_roster = set(roster)
    asked = list(dict.fromkeys(w.strip() for w in words.split(",") if w.strip()))
    problems = [
        Problem(
            "--reps",
            f"'{rep_id}' is not on the roster",
            did_you_mean(rep_id, roster) or "see the reps table, or write all or none",
        )
        for rep_id in asked
        if rep_id not in on_roster
    ]
    if problems or not asked:
        raise UsageError(
            problems or [Problem("--reps", f"'{text}' names no rep", "write all, none or ids")]
        )
    return asked


def _run_info(run: Run) -> RunInfo:
    """What the Run sheet records to reproduce the run."""
    prepared = run.prepared
    return RunInfo(
        inputs=[(f.path, f.sha256) for f in prepared.inputs.files],
        scheme_path=prepared.scheme_file.path,
        scheme_sha256=prepared.scheme_file.sha256,
        version=__version__,
        started=run.started,
        command=" ".join(["spm", *sys.argv[1:]]),
    )
