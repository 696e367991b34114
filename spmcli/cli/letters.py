"""``spm letters``: one feedback letter per rep for the one-on-one review meeting."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

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
    cpu_workers,
    err,
    escape,
    locked,
    out,
    prepare,
    prepare_out_dir,
    stop_on_problems,
    user_errors,
    wanted_reps,
)
from spmcli.engine.evaluate import evaluate
from spmcli.engine.periods import previous as previous_period
from spmcli.engine.result import Evaluation
from spmcli.errors import DataError, Problem, UsageError, did_you_mean
from spmcli.io.staging import staged
from spmcli.letters.context import Previous, letter_contexts
from spmcli.letters.contexts import LetterContext
from spmcli.letters.pdf import convert_to_pdf, require_soffice
from spmcli.letters.render import (
    FORMATS,
    SUFFIXES,
    LetterTemplate,
    render_letters,
    shipped_template,
    user_template,
)
from spmcli.messages import msg
from spmcli.report.labels import label
from spmcli.report.wording import listing
from spmcli.scheme.model import Scheme
from spmcli.scheme.periods import Period

LOCAL_TEMPLATES = Path("templates")
LETTERS_DIR = "letters"

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="md, html or docx. Default: the --template's suffix, else docx.",
        show_default=False,
    ),
]
TemplateOpt = Annotated[
    Path | None,
    typer.Option(
        "--template",
        "-t",
        help="Your own Jinja template (.md, .html or a Word .docx with docxtpl tags). "
        "Default: ./templates/letter.<lang>.<format> if present, else the built-in one.",
    ),
]
RepOpt = Annotated[
    list[str] | None,
    typer.Option("--rep", "-r", help="Only this rep's letter (rep_id). Repeatable."),
]
PdfOpt = Annotated[
    bool,
    typer.Option("--pdf", help="Also convert each html or docx letter to PDF (needs LibreOffice)."),
]


def letters(
    inputs: InputsArg,
    scheme: SchemeOpt = None,
    period: PeriodOpt = None,
    out_dir: OutOpt = None,
    lang: LangOpt = None,
    fmt: FormatOpt = None,
    template: TemplateOpt = None,
    rep: RepOpt = None,
    pdf: PdfOpt = False,
    json_out: JsonOpt = False,
    force: ForceOpt = False,
    skip_invalid: SkipOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write one review letter per rep: scores, rank, strengths, areas to improve, trend,
    manager's comments, pay, an improvement plan, how to appeal and lines to sign.

    The figures are those of spm evaluate on the same inputs and scheme. Letters go to
    <out>/letters/, by default spm-out/<period>/letters/.

    Examples:

      spm letters sample_data/q3.xlsx

      spm letters q3.xlsx --format html --lang en --rep R001 --rep R002

      spm letters q3.xlsx --template my_letter.docx --pdf --out review/q3
    """
    with user_errors(debug, lang) as language, Steps(quiet or json_out) as steps:
        if fmt is not None and fmt not in FORMATS:
            raise UsageError(
                [
                    Problem(
                        "--format",
                        msg("option.not_one_of", value=fmt, choices=FORMATS),
                        did_you_mean(fmt, FORMATS),
                    )
                ]
            )
        prepared = prepare(inputs, scheme, lang, period, steps=steps)
        words = language.known = prepared.scheme.locale
        chosen = _template(template, fmt, words)
        if pdf and chosen.format == "md":
            raise UsageError(
                [Problem("--pdf", msg("option.pdf_formats"), msg("option.add_format"))]
            )
        soffice = require_soffice() if pdf else None  # before any work: say what is missing

        target = out_dir or Path("spm-out") / prepared.period.label
        folder = target / LETTERS_DIR
        stop_on_problems(prepared, skip_invalid, target / ERRORS_FILE)
        steps.show("computing", words)
        ev = prepared.evaluate(skip_invalid=skip_invalid).evaluation
        wanted = wanted_reps(ev, rep or [])
        before = _previous(prepared.scheme, prepared.frames, prepared.period)
        data = prepared.inputs
        comments = data.tables["comments"].frame if "comments" in data.tables else None
        contexts = [
            c for c in letter_contexts(ev, words, comments, before) if c["rep"]["rep_id"] in wanted
        ]
        with locked(target, words):
            keep = ERRORS_FILE if prepared.unreadable else None
            prepare_out_dir(target, force, [LETTERS_DIR], keep=keep)
            done = steps.step("letters", words, total=len(contexts))
            with staged(target, [LETTERS_DIR]) as stage:  # the whole set, or the old one
                written = render_letters(
                    contexts, chosen, stage / LETTERS_DIR, workers=cpu_workers(),
                    advance=lambda: done(1),
                )  # fmt: skip
                converted = convert_to_pdf(soffice, written) if soffice else []
            paths = [folder / p.name for p in written]
            pdfs = [folder / p.name for p in converted]

    not_due = ev.reps.filter(~pl.col("due"))["rep_id"].to_list() if not rep else []
    if json_out:
        sys.stdout.write(
            json.dumps(
                _summary(ev, chosen, folder, contexts, paths, pdfs, not_due),
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    elif not quiet:
        for path in paths:
            out.print(escape(str(path)))
    if not quiet:
        if not_due:
            shown = listing(not_due[:10], words) + (" …" if len(not_due) > 10 else "")
            text = label("console.letters_not_due", words)
            err.print(escape(text.format(count=len(not_due), period=ev.period.label, reps=shown)))
        made = label("console.and_pdfs", words).format(count=len(pdfs)) if pdfs else ""
        wrote = label("console.wrote_letters", words).format(
            count=len(paths), format=chosen.format, pdfs=made, folder=f"{folder}/",
            template=chosen.name,
        )  # fmt: skip
        err.print(escape(wrote))
    raise typer.Exit(0)


def _template(path: Path | None, fmt: str | None, lang: str) -> LetterTemplate:
    """--template, else ./templates/letter.<lang>.<format> (as ``spm init`` writes it),
    else the built-in template."""
    if path is not None:
        return user_template(path, fmt)
    chosen = fmt or "docx"
    local = LOCAL_TEMPLATES / f"letter.{lang}{SUFFIXES[chosen]}"
    if local.is_file():
        return user_template(local, chosen)
    return shipped_template(chosen, lang)


def _previous(scheme: Scheme, frames: Mapping[str, pl.DataFrame], when: Period) -> Previous:
    """The period before, evaluated the same way, for the trend; why not when it cannot be."""
    before = previous_period(when)
    sales = frames["sales"]
    if not sales.filter(pl.col("date").is_between(before.start, before.end)).height:
        return Previous(before.label, None, "no_sales")
    try:
        return Previous(before.label, evaluate(scheme, frames, before))
    except (DataError, UsageError) as error:  # e.g. an unmapped rating in that period
        return Previous(before.label, None, "failed", error.problems[0].text(scheme.locale))


def _summary(
    ev: Evaluation,
    template: LetterTemplate,
    target: Path,
    contexts: list[LetterContext],
    paths: list[Path],
    pdfs: list[Path],
    not_due: list[str],
) -> dict[str, Any]:
    """What --json prints: the letters written, by rep."""
    pdf_of = {p.with_suffix(""): p for p in pdfs}
    return {
        "period": ev.period.label,
        "format": template.format,
        "template": template.name,
        "out": str(target),
        "letters": [
            {
                "rep_id": c["rep"]["rep_id"],
                "name": c["rep"]["name"],
                "file": str(path),
                "pdf": str(pdf_of[path.with_suffix("")])
                if path.with_suffix("") in pdf_of
                else None,
            }
            for c, path in zip(contexts, paths, strict=True)
        ],
        "not_due": not_due,
    }
