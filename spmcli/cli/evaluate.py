"""``spm evaluate``: score every rep, print the ranking, write the workbooks and JSON."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

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
    locked,
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
from spmcli.io.close import earlier_reopenings, final_mark, make_read_only, reopening, who
from spmcli.io.files import write_text_atomic
from spmcli.io.json_result import evaluation_json
from spmcli.io.manifest import (
    MANIFEST,
    SOURCES,
    RunRecord,
    write_manifest,
    write_sources,
)
from spmcli.io.rep_workbooks import writing_rep_workbooks
from spmcli.io.staging import staged
from spmcli.io.summary import RunInfo, write_summary
from spmcli.messages import msg
from spmcli.report.labels import label
from spmcli.report.records import warning_records
from spmcli.report.wording import nobody_scored, verdict
from spmcli.run import Run

OUTPUTS = ("summary.xlsx", "evaluation.json", "reps", SOURCES, MANIFEST)
RECORDED = ("summary.xlsx", "evaluation.json", "reps", SOURCES)  # hashed in run.json

FinalizeOpt = Annotated[
    bool,
    typer.Option(
        "--finalize",
        help="Mark the close as final: its files become read-only, and a later "
        "run into the folder needs --reopen.",
    ),
]
ReopenOpt = Annotated[
    bool,
    typer.Option(
        "--reopen", help="Run again into a final folder; the final run moves to history/."
    ),
]
ReasonOpt = Annotated[
    str | None, typer.Option("--reason", help="Why a final close is reopened (with --reopen).")
]
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
    finalize: FinalizeOpt = False,
    reopen: ReopenOpt = False,
    reason: ReasonOpt = None,
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

      spm evaluate q3.xlsx --finalize

      spm evaluate q3.xlsx --reopen --reason "returns booked late"

      spm evaluate q3.xlsx --reps none        (the summary and the JSON only)

      spm evaluate q3.xlsx --reps R001,R007   (only these reps' workbooks)
    """
    with user_errors(debug, lang) as language, Steps(quiet or json_out) as steps:
        prepared = prepare(inputs, scheme, lang, period, steps=steps)
        language.known = prepared.scheme.locale
        words = prepared.scheme.locale
        target = out_dir or Path("spm-out") / prepared.period.label
        scaling = parse_what_if(what_if or [])
        if not scaling:
            _check_close(target, reopen, reason)
        stop_on_problems(prepared, skip_invalid, None if scaling else target / ERRORS_FILE)
        steps.show("computing", words)
        run = prepared.evaluate(skip_invalid=skip_invalid, what_if=scaling)
        ev = run.evaluation
        if run.scaled is None:
            chosen = chosen_reps(ev, reps)
            with locked(target, words):
                keep = ERRORS_FILE if prepared.unreadable else None
                reopened = earlier_reopenings(target)
                if reopen:
                    reopened.append(reopening(reason or ""))
                aside = target / reopened[-1]["previous"] if reopen else None
                prepare_out_dir(target, force or reopen, OUTPUTS, keep=keep)
                count = ev.reps.height if chosen is None else len(chosen)
                done = None
                if count:
                    done = steps.step("workbooks", words, total=count)
                else:
                    steps.show("summary", words)
                # Everything is written into a staging folder and switched in at the end, so
                # the folder holds the previous complete run or this one, never a mix. The
                # summary and the JSON are written while the workers write the workbooks,
                # and the tables for `spm diff` beside them (polars writes them without the GIL).
                with staged(target, OUTPUTS, aside=aside) as stage:
                    with (
                        writing_rep_workbooks(
                            ev, stage / "reps", cpu_workers(workers), advance=done, only=chosen
                        ),
                        ThreadPoolExecutor(1) as beside,
                    ):
                        tables = beside.submit(write_sources, prepared.inputs, stage)
                        write_summary(ev, stage / "summary.xlsx", _run_info(run))
                        text = evaluation_json(ev)  # once, for the file and for --json
                        write_text_atomic(stage / "evaluation.json", text + "\n")
                        tables.result()
                    options: dict[str, object] = {
                        "scheme": str(scheme) if scheme else None,
                        "period": period,
                        "lang": lang,
                        "skip_invalid": skip_invalid,
                        "reps": reps,
                    }
                    final = {
                        "at": datetime.now().astimezone().isoformat(timespec="seconds"),
                        "by": who(),
                    }
                    record = _run_record(run, options, final if finalize else None, reopened)
                    write_manifest(record, stage, RECORDED)
                    if finalize:
                        make_read_only(stage, OUTPUTS)

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
            record=target / MANIFEST,
        )
        err.print(escape(wrote))
        if reopen:
            moved = label("console.reopened", lang).format(
                previous=target / reopened[-1]["previous"]
            )
            err.print(escape(moved))
        if finalize:
            err.print(escape(label("console.finalized", lang).format(folder=target)))
    # A close in which nobody could be scored is no close: exit 1, the outputs written to
    # show why. Some reps or KPIs N/A is a close with gaps, said above: exit 0.
    void = nobody_scored(ev)
    if void and quiet:
        err.print(f"[red]error:[/red] {escape(verdict(ev, ev.scheme.locale)[-1])}")
    raise typer.Exit(1 if void else 0)


def _check_close(target: Path, reopen: bool, reason: str | None) -> None:
    """A final close is replaced only on purpose: --reopen with a reason."""
    mark = final_mark(target)
    if mark is not None and not reopen:
        raise UsageError(
            [
                Problem(
                    str(target),
                    msg("close.final", at=mark.get("at"), by=mark.get("by")),
                    msg("close.how_to_reopen"),
                )
            ]
        )
    if reopen and mark is None:
        raise UsageError([Problem("--reopen", msg("close.not_final", folder=target))])
    if reopen and not (reason or "").strip():
        raise UsageError([Problem("--reopen", msg("close.needs_reason"))])


def _run_record(
    run: Run,
    options: dict[str, object],
    final: dict[str, str] | None,
    reopened: list[Mapping[str, Any]],
) -> RunRecord:
    """What run.json records besides the outputs."""
    ev = run.evaluation
    return RunRecord(
        version=__version__,
        command=" ".join(["spm", *sys.argv[1:]]),
        started=run.started,
        period=ev.period.label,
        scheme=run.prepared.scheme_file,
        inputs=run.prepared.inputs,
        options=options,
        warnings=warning_records(ev.warnings, ev.scheme.locale),
        final=final,
        reopened=reopened,
    )


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
            msg("option.not_on_roster", id=rep_id),
            did_you_mean(rep_id, roster) or msg("option.reps_all_none"),
        )
        for rep_id in asked
        if rep_id not in on_roster
    ]
    if problems or not asked:
        none = Problem("--reps", msg("option.reps_names_none", text=text), msg("option.reps_how"))
        raise UsageError(problems or [none])
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
