"""``summary.xlsx``: the evaluation for management and payroll (SPEC §5).

Sheets (names and headers in the scheme's locale, see ``spmcli.report.labels``):
Reps, Payroll (with a ``pay`` section: each due rep's bonus, commission, team pool
and total, and a total row), KPIs (definitions and the weights of every role),
Teams, Warnings, Reconciliation, Grades (with a column chart) and Run (inputs and
their SHA-256, scheme, version, time, command). Scores are ``0.00`` and coloured
red below 60 and green from 90; achievements ``0.0%``; money ``#,##0.00``. N/A is
grey text, never 0. Header rows are frozen and tables carry an autofilter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from spmcli.engine.result import Evaluation
from spmcli.io.excel import SheetWriter, Styles, atomic_workbook
from spmcli.report.figures import Figure, cell_number, figure, kpi_description, kpi_table, kpi_unit
from spmcli.report.grades import grade_distribution
from spmcli.report.labels import label, status_label
from spmcli.report.records import (
    kpi_records,
    pay_columns,
    pay_totals,
    rep_records,
    sorted_warnings,
    team_kpis,
    team_records,
)
from spmcli.report.wording import money_header, scheme_source, word
from spmcli.scheme.model import Kpi, Scheme


@dataclass(frozen=True)
class RunInfo:
    """How the evaluation was run, for the Run sheet: enough to reproduce it."""

    inputs: list[tuple[str, str]]  # (path, sha256)
    scheme_path: str
    scheme_sha256: str
    version: str
    started: datetime
    command: str


def write_summary(ev: Evaluation, path: Path, run: RunInfo, *, locale: str | None = None) -> None:
    """Write ``summary.xlsx`` atomically; ``locale`` defaults to the scheme's."""
    lang = locale or ev.scheme.locale
    with atomic_workbook(path) as workbook:
        styles = Styles.of(workbook)

        def sheet(key: str) -> SheetWriter:
            return SheetWriter(
                workbook.add_worksheet(label(key, lang)), styles, lang, ev.period.label
            )

        _reps(sheet("sheet.reps"), ev)
        if ev.pay is not None:
            _payroll(sheet("sheet.payroll"), ev)
        _kpis(sheet("sheet.kpis"), ev.scheme)
        _teams(sheet("sheet.teams"), ev)
        _warnings(sheet("sheet.warnings"), ev)
        _reconciliation(sheet("sheet.reconciliation"), ev)
        _grades(sheet("sheet.grades"), ev)
        _run(sheet("sheet.run"), ev, run)


def _reps(w: SheetWriter, ev: Evaluation) -> None:
    lang = w.locale
    kpis = ev.scheme.kpis
    pay = pay_columns(ev.reps)
    head = ["col.rank", "col.rep_id", "col.name", "col.team", "col.role", "col.status"]
    tail = [
        "col.composite",
        "col.penalty",
        "col.final_score",
        "col.grade",
        "col.grade_label",
        "col.team_rank",
    ]
    score_of = label("col.kpi_score", lang)
    headers = (
        [label(k, lang) for k in head]
        + [score_of.format(kpi=k.title) for k in kpis]
        + [label(k, lang) for k in tail]
        + [money_header(key, ev.scheme.currency, lang) for _, _, key in pay]
    )
    w.header(0, 0, headers)
    first_kpi = len(head)
    composite_col = first_kpi + len(kpis)
    kpis_of = kpi_records(ev)
    reps = rep_records(ev)
    for r, rep in enumerate(reps, start=1):
        due = bool(rep.get("due"))
        w.integer(r, 0, rep.get("rank"))
        w.text(r, 1, rep["rep_id"])
        w.text(r, 2, rep.get("name"))
        w.text(r, 3, rep.get("team"))
        w.text(r, 4, rep.get("role_label") or rep.get("role"))
        w.text(r, 5, status_label("evaluated" if due else "not_due", lang))
        rows = kpis_of.get(rep["rep_id"], {})
        for c, kpi in enumerate(kpis, start=first_kpi):
            score = rows.get(kpi.id, {}).get("score")
            w.number(r, c, score, "score", na=due)
        c = composite_col
        w.number(r, c, rep.get("composite"), "score", na=due)
        w.number(r, c + 1, rep.get("penalty"), "score", na=False)
        w.number(r, c + 2, rep.get("final_score"), "score", na=due, bold=True)
        w.text(r, c + 3, rep.get("grade"))
        w.text(r, c + 4, rep.get("grade_label"))
        w.integer(r, c + 5, rep.get("team_rank"))
        for offset, (_, column, _) in enumerate(pay, start=c + 6):
            w.number(r, offset, rep.get(column), "money", na=due)
    last = len(reps)
    w.freeze(1, 3)
    w.ws.autofilter(0, 0, max(last, 1), len(headers) - 1)
    w.colour_scores(1, last, [*range(first_kpi, composite_col + 1), composite_col + 2])
    w.apply_widths()


def _payroll(w: SheetWriter, ev: Evaluation) -> None:
    """One row per due rep, by rep_id, with each pay part; then the total row, whose
    figures are the exact sums of the rows as written (to the cent), and a check row
    with SUM formulas over the same cells."""
    lang = w.locale
    pay = pay_columns(ev.reps)
    w.header(
        0,
        0,
        [label(k, lang) for k in ("col.rep_id", "col.name", "col.team")]
        + [money_header(key, ev.scheme.currency, lang) for _, _, key in pay],
    )
    due = sorted((r for r in rep_records(ev) if r.get("due")), key=lambda r: str(r["rep_id"]))
    payroll = pay_totals(ev)
    totals = [payroll[key] for key, _, _ in pay]
    for r, rep in enumerate(due, start=1):
        w.text(r, 0, str(rep["rep_id"]))
        w.text(r, 1, rep.get("name"))
        w.text(r, 2, rep.get("team"))
        for i, (_, column, _) in enumerate(pay):
            w.number(r, 3 + i, figure(rep.get(column), "money"), "money")
    last = len(due)
    total_row, check_row = last + 1, last + 2
    w.text(total_row, 0, label("value.total", lang), w.styles.key)
    if last:
        w.text(check_row, 0, label("pay.sum_check", lang))
    for i, total in enumerate(totals):
        col = 3 + i
        w.number(total_row, col, total, "money", bold=True)
        if last:
            cells = f"{xl_rowcol_to_cell(1, col)}:{xl_rowcol_to_cell(last, col)}"
            money = w.styles.numbers["money"]
            w.ws.write_formula(check_row, col, f"=SUM({cells})", money, cell_number(total, "money"))
    w.freeze(1, 2)
    w.ws.autofilter(0, 0, max(last, 1), 2 + len(pay))
    w.apply_widths()


def _plain(x: float) -> str:
    """A number as a person writes it: 100, 0.6, 4.8."""
    return f"{x:g}"


def _scoring(kpi: Kpi, lang: str) -> str:
    s = kpi.scoring
    if kpi.kind == "rating" or s.method == "rating":
        return label("scoring.rating", lang)
    if s.method == "bands":
        on = label(f"scoring.on_{s.on}", lang)
        bands = "; ".join(f"≥{_plain(t)} → {_plain(p)}" for t, p in s.bands)
        return label("scoring.bands", lang).format(on=on, bands=bands)
    key = "scoring.linear" if s.floor else "scoring.linear_no_floor"
    return label(key, lang).format(floor=f"{s.floor:.0%}", cap=f"{s.cap:.0%}")


def _kpis(w: SheetWriter, scheme: Scheme) -> None:
    lang = w.locale
    keys = [
        "col.kpi_id",
        "col.label",
        "col.kind",
        "col.table",
        "col.value",
        "col.where",
        "col.window",
        "col.target",
        "col.scoring",
        "col.unit",
    ]
    roles = list(scheme.roles.items())
    w.header(
        0,
        0,
        [label(k, lang) for k in keys]
        + [label("col.weight_of", lang).format(role=role.label or rid) for rid, role in roles],
    )
    first_role = len(keys)
    for r, kpi in enumerate(scheme.kpis, start=1):
        unit = kpi_unit(scheme, kpi)
        kind = label("kind.team", lang) if kpi.scope == "team" else label(f"kind.{kpi.kind}", lang)
        w.text(r, 0, kpi.id)
        w.text(r, 1, kpi.label)
        w.text(r, 2, kind)
        w.text(r, 3, kpi_table(kpi, scheme))
        w.text(r, 4, kpi_description(kpi, scheme, lang))
        w.text(r, 5, kpi.where)
        w.text(r, 6, label(f"window.{kpi.window}", lang))
        if kpi.target == "targets":
            w.text(r, 7, label("value.targets_table", lang))
        elif kpi.target is not None:
            w.number(r, 7, kpi.target, unit)
        w.text(r, 8, _scoring(kpi, lang))
        w.text(r, 9, label(f"unit.{unit}", lang))
        for c, (_, role) in enumerate(roles, start=first_role):
            w.number(r, c, role.weights.get(kpi.id), "weight", na=False)
    last = len(scheme.kpis)
    total_row = last + 2
    w.text(total_row, 0, label("msg.weights_total", lang), w.styles.key)
    for c, (_, role) in enumerate(roles, start=first_role):
        w.number(total_row, c, sum(role.weights.values()), "weight", bold=True)
    w.freeze(1, 2)
    w.ws.autofilter(0, 0, max(last, 1), first_role + len(roles) - 1)
    w.apply_widths()


def _teams(w: SheetWriter, ev: Evaluation) -> None:
    lang = w.locale
    kpis = team_kpis(ev)
    figures: list[tuple[str, str]] = [
        ("actual", "col.actual"),
        ("target", "col.target"),
        ("achievement", "col.achievement"),
    ]
    w.header(
        0,
        0,
        [
            label(k, lang)
            for k in ("col.team", "col.members", "col.due_members", "col.average_score")
        ]
        + [
            label("col.team_kpi", lang).format(kpi=k.title, what=label(key, lang))
            for k in kpis
            for _, key in figures
        ],
    )
    teams = team_records(ev)
    for r, team in enumerate(teams, start=1):
        w.text(r, 0, team.get("team") or label("value.no_team", lang))
        w.integer(r, 1, team.get("members"))
        w.integer(r, 2, team.get("due_members"))
        w.number(r, 3, team.get("average_score"), "score")
        c = 4
        for k in kpis:
            for name, _ in figures:
                kind: Figure = "achievement" if name == "achievement" else kpi_unit(ev.scheme, k)
                w.number(r, c, team.get(f"{k.id}_{name}"), kind)
                c += 1
    w.freeze(1, 1)
    w.ws.autofilter(0, 0, max(len(teams), 1), 3 + 3 * len(kpis))
    w.colour_scores(1, len(teams), [3])
    w.apply_widths()


def _warnings(w: SheetWriter, ev: Evaluation) -> None:
    lang = w.locale
    w.header(0, 0, [label(k, lang) for k in ("col.code", "col.rep_id", "col.kpi", "col.message")])
    warnings = sorted_warnings(ev.warnings)
    for r, warning in enumerate(warnings, start=1):
        w.text(r, 0, warning.code)
        w.text(r, 1, warning.rep_id)
        w.text(r, 2, warning.kpi)
        w.text(r, 3, word(warning, lang))
    if not warnings:
        w.text(1, 3, label("value.no_warnings", lang))
    w.freeze(1, 0)
    w.ws.autofilter(0, 0, max(len(warnings), 1), 3)
    w.apply_widths(maximum=100)


def _reconciliation(w: SheetWriter, ev: Evaluation) -> None:
    lang = w.locale
    recon = ev.reconciliation
    w.header(0, 0, [label("col.item", lang), label("col.amount", lang)])
    difference = recon.credited + recon.unassigned - recon.sales_in_period
    money = [
        ("recon.sales_in_period", recon.sales_in_period),
        ("recon.credited", recon.credited),
        ("recon.unassigned", recon.unassigned),
        ("recon.difference", difference),
    ]
    for r, (key, amount) in enumerate(money, start=1):
        w.text(r, 0, label(key, lang))
        w.number(r, 1, amount, "money", bold=key == "recon.sales_in_period")
    counts = [
        ("recon.unassigned_lines", recon.unassigned_lines),
        ("recon.skipped_rows", recon.skipped_rows),
    ]
    for r, (key, count) in enumerate(counts, start=len(money) + 1):
        w.text(r, 0, label(key, lang))
        w.integer(r, 1, count)
    w.freeze(1, 0)
    w.apply_widths()


def _grades(w: SheetWriter, ev: Evaluation) -> None:
    lang = w.locale
    w.header(
        0,
        0,
        [
            label(k, lang)
            for k in (
                "col.grade",
                "col.grade_label",
                "col.min_score",
                "col.reps_count",
                "col.share",
            )
        ],
    )
    distribution = grade_distribution(ev)
    grades = distribution.grades
    for r, grade in enumerate(grades, start=1):
        w.text(r, 0, grade.grade)
        w.text(r, 1, grade.label)
        w.number(r, 2, grade.min, "score")
        w.integer(r, 3, grade.count)
        w.number(r, 4, grade.share, "achievement")
    r = len(grades) + 1
    extra = [
        ("value.not_graded", distribution.not_graded),
        ("status.not_due", distribution.not_due),
    ]
    for key, n in extra:
        if n:
            w.text(r, 1, label(key, lang))
            w.integer(r, 3, n)
            r += 1
    w.freeze(1, 0)
    w.wide = bool(grades)  # the chart beside the table
    w.apply_widths()
    if grades:
        title = label("msg.grade_distribution", lang)
        name = label("sheet.grades", lang)
        chart = w.styles.workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": label("col.reps_count", lang),
                "categories": [name, 1, 0, len(grades), 0],
                "values": [name, 1, 3, len(grades), 3],
                "data_labels": {"value": True},
                "fill": {"color": "#4472C4"},
            }
        )
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        chart.set_x_axis({"name": label("col.grade", lang)})
        chart.set_y_axis(
            {"name": label("col.reps_count", lang), "min": 0, "major_gridlines": {"visible": True}}
        )
        w.ws.insert_chart(1, 6, chart)


def _run(w: SheetWriter, ev: Evaluation, run: RunInfo) -> None:
    lang = w.locale
    w.header(0, 0, [label("col.item", lang), label("col.setting", lang)])
    texts = [
        ("run.scheme", ev.scheme.name),
        ("run.scheme_path", scheme_source(run.scheme_path, lang)),
        ("run.scheme_sha256", run.scheme_sha256),
        ("run.version", run.version),
    ]
    r = 1
    for key, value in texts:
        w.text(r, 0, label(key, lang))
        w.text(r, 1, value)
        r += 1
    w.text(r, 0, label("run.started", lang))
    w.datetime(r, 1, run.started)
    r += 1
    w.text(r, 0, label("run.command", lang))
    w.text(r, 1, run.command)
    r += 1
    w.text(r, 0, label("run.period", lang))
    w.text(r, 1, ev.period.label)
    for key, day in (("run.period_start", ev.period.start), ("run.period_end", ev.period.end)):
        r += 1
        w.text(r, 0, label(key, lang))
        w.date(r, 1, day)
    r += 1
    w.text(r, 0, label("run.currency", lang))
    w.text(r, 1, ev.scheme.currency)
    r += 2
    w.text(r, 0, label("run.inputs", lang), w.styles.key)
    r += 1
    w.header(r, 0, [label("col.file", lang), label("col.sha256", lang)])
    for path, digest in run.inputs:
        r += 1
        w.text(r, 0, path)
        w.text(r, 1, digest)
    w.freeze(1, 0)
    w.apply_widths(maximum=80)
