"""``spm appeal``: a pre-filled appeal workbook per rep; ``spm appeals review``: the
returned ones read into a register, and the accepted claims as adjustments rows."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.markup import escape

from spmcli.cli.common import (
    DebugOpt,
    ForceOpt,
    InputsArg,
    LangOpt,
    OutOpt,
    PeriodOpt,
    QuietOpt,
    SchemeOpt,
    SkipOpt,
    err,
    locked,
    prepare,
    report_problems,
    stop_on_problems,
    user_errors,
    wanted_reps,
)
from spmcli.cli.explain import origins
from spmcli.engine.result import Evaluation
from spmcli.errors import Problem, SpmError, UsageError
from spmcli.io.appeals import (
    ADJUSTMENTS,
    REGISTER,
    SENT,
    Claim,
    accepted_rows,
    read_decisions,
    read_returned,
    record_name,
    write_adjustments,
    write_appeal,
    write_register,
)
from spmcli.io.files import unique_file_stems
from spmcli.io.staging import staged
from spmcli.messages import msg
from spmcli.report.appeal import appeal_form, effect
from spmcli.report.explain import explain
from spmcli.report.labels import label
from spmcli.report.records import rep_figure_records

RepsOpt = Annotated[
    list[str],
    typer.Option("--rep", "-r", help="The rep to write an appeal workbook for. Repeatable."),
]
FolderArg = Annotated[
    Path, typer.Argument(help="The folder of returned appeal workbooks (and sent/).")
]
EffectInputsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="The period's inputs, to show what each accepted claim changes."),
]
SentOpt = Annotated[
    Path | None,
    typer.Option("--sent", help="Where spm appeal left the records of what it sent [FOLDER/sent]."),
]
APPEALS = "appeals"


def appeal(
    inputs: InputsArg,
    rep: RepsOpt,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    out_dir: OutOpt = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
    skip_invalid: SkipOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a pre-filled appeal workbook for a rep to fill in and return.

    It holds the rep's KPIs (actual, target, achievement, score) and the source rows behind
    them; only the fill-in cells are open: disputed?, claimed actual, reason, evidence.

    Examples:

      spm appeal q3.xlsx --rep R013

      spm appeal q3.xlsx --rep R013 --rep R021 --out close/q3
    """
    with user_errors(debug, lang) as language:
        prepared = prepare(inputs, scheme, lang, period)
        language.known = prepared.scheme.locale
        stop_on_problems(prepared, skip_invalid, None)
        ev = prepared.evaluate(skip_invalid=skip_invalid).evaluation
        wanted = sorted(wanted_reps(ev, rep))
        target = (out_dir or Path("spm-out") / ev.period.label) / APPEALS
        stems = unique_file_stems(wanted)
        paths = [target / f"{stems[r]}.xlsx" for r in wanted]
        words = ev.scheme.locale
        places = origins(prepared)
        # A rep's workbook and its record of what was sent are switched in together.
        owned = [name for r in wanted for name in (f"{stems[r]}.xlsx", f"{SENT}/{record_name(r)}")]
        with locked(target, words):
            existing = [p for p in paths if p.exists()]
            if existing and not force:
                raise UsageError(msg("appeal.exists", path=existing[0]))
            with staged(target, owned) as stage:
                for rep_id in wanted:
                    told = explain(ev, rep_id, places, rows=None)
                    form = appeal_form(ev.scheme, told, date.today(), words)
                    path = stage / f"{stems[rep_id]}.xlsx"
                    write_appeal(form, path, stage / SENT / record_name(rep_id))
    if not quiet:
        for path in paths:
            err.print(escape(str(path)))


appeals_app = typer.Typer(
    help="Work with returned appeal workbooks.\n\nExamples:\n\n  spm appeals review "
    "spm-out/2025-Q3/appeals",
    no_args_is_help=True,
)


@appeals_app.command()
def review(
    folder: FolderArg,
    inputs: EffectInputsArg = None,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    sent: SentOpt = None,
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Read the returned appeal workbooks into appeals.xlsx; write the accepted claims to
    appeal_adjustments.csv.

    Enter a decision (accept / reject / partial), the accepted value, the reviewer and the
    date in appeals.xlsx, then run the review again: the accepted claims become rows of the
    appeal_adjustments table, with the reason and the reviewer as approver; give it to the
    next spm evaluate with the other inputs. Given the inputs, the review also shows what each
    accepted claim changes for the rep (final score, grade, rank, pay).

    Examples:

      spm appeals review spm-out/2025-Q3/appeals

      spm appeals review spm-out/2025-Q3/appeals q3.xlsx

      spm evaluate q3.xlsx spm-out/2025-Q3/appeals/appeal_adjustments.csv
    """
    with user_errors(debug, lang):
        if not folder.is_dir():
            raise UsageError([Problem(str(folder), msg("appeal.not_folder"))])
        records = sent or folder / SENT
        words = lang or _language(records)
        claims: list[Claim] = []
        problems: list[Problem] = []
        returned = sorted(p for p in folder.iterdir() if _returned(p))
        for path in returned:
            found, refused = read_returned(path, records)
            claims += found
            problems += refused
        if problems:  # the register stays as it was until every returned file can be read
            report_problems(problems, words)
            err.print(escape(label("console.appeals_refused", words).format(count=len(problems))))
            raise typer.Exit(1)
        decisions, unreadable = read_decisions(folder / REGISTER)
        if unreadable:
            report_problems(unreadable, words)
            raise typer.Exit(1)
        rows, undecided = accepted_rows(claims, decisions, words)
        problems += undecided
        effects = _effects(rows, inputs or [], scheme, period, lang, words)
        # The register and the adjustments it decided are switched in together.
        with locked(folder, words), staged(folder, [REGISTER, ADJUSTMENTS]) as stage:
            write_register(stage / REGISTER, claims, decisions, effects, words)
            write_adjustments(stage / ADJUSTMENTS, rows)
    if problems:
        report_problems(problems, words)
    if not quiet:
        for (rep_id, kpi), changed in effects.items():
            err.print(escape(f"{rep_id} {kpi}: {changed}"))
        done = label("console.appeals_reviewed", words).format(
            files=len(returned),
            claims=len(claims),
            accepted=len(rows),
            register=folder / REGISTER,
            adjustments=folder / ADJUSTMENTS,
        )
        err.print(escape(done))
    raise typer.Exit(1 if problems else 0)


def _effects(
    rows: list[dict[str, str]],
    inputs: list[Path],
    scheme: Path | None,
    period: str | None,
    lang: str | None,
    words: str,
) -> dict[tuple[str, str], str]:
    """Each accepted claim's effect on its rep, tried alone on the inputs (none without)."""
    if not rows or not inputs:
        return {}
    prepared = prepare(inputs, scheme, lang, period)
    base = prepared.evaluate().evaluation
    claimed = {row["rep_id"] for row in rows}
    before = {r["rep_id"]: r for r in rep_figure_records(base, claimed)}
    places = origins(prepared)
    effects = {}
    for row in rows:
        held = _corrected(base, row["rep_id"], row["kpi"])
        if held is not None:  # evaluate would refuse a second correction: say where the first is
            table, line = held
            place = places.get(table, table)
            said = msg(
                "appeal.already_corrected", place=place, row=line, rep=row["rep_id"], kpi=row["kpi"]
            )
            effects[(row["rep_id"], row["kpi"])] = said.text(words)
            continue
        trial = prepared.with_adjustment(
            row["rep_id"], row["kpi"], float(row["value"]), row["reason"], row["approved_by"]
        )
        rep = row["rep_id"]
        try:
            tried = trial.evaluate().evaluation
        except SpmError as refused:  # as evaluate would refuse it: say why instead
            effects[(rep, row["kpi"])] = "; ".join(p.text(words) for p in refused.problems)
            continue
        after = {r["rep_id"]: r for r in rep_figure_records(tried, {rep})}
        effects[(rep, row["kpi"])] = effect(before.get(rep, {}), after.get(rep, {}), words)
    return effects


def _corrected(ev: Evaluation, rep_id: str, kpi: str) -> tuple[str, int] | None:
    """The table and row of the adjustments sheet's correction of this rep's KPI, if any."""
    found = ev.adjustments.filter(
        (pl.col("rep_id") == rep_id)
        & (pl.col("kpi") == kpi)
        & pl.col("value").is_not_null()
        & (pl.col("table") == "adjustments")
    )
    return None if found.is_empty() else (str(found["table"][0]), int(found["_row"][0]))


def _returned(path: Path) -> bool:
    """A file in the folder that should be a returned appeal (not the register, the
    adjustments written, or an editor's lock and temporary files)."""
    ignored = path.name in (REGISTER, ADJUSTMENTS) or path.name.startswith((".", "~$"))
    return path.is_file() and not ignored


def _language(records: Path) -> str:
    for path in sorted(records.glob("*.json")):
        try:
            return (
                "en" if json.loads(path.read_text(encoding="utf-8")).get("lang") == "en" else "zh"
            )
        except (OSError, ValueError):
            continue
    return "zh"
