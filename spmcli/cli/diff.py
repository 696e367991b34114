"""``spm diff``: who moved between two runs of ``spm evaluate``, and why."""

from __future__ import annotations

import dataclasses
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.markup import escape

from spmcli.cli.common import DebugOpt, JsonOpt, LangOpt, out, user_errors
from spmcli.errors import Problem, UsageError
from spmcli.io.json_result import dumps
from spmcli.io.manifest import MANIFEST, read_run
from spmcli.messages import msg
from spmcli.report.diff import Change, RowChange, RunDiff, RunView, compare_runs
from spmcli.report.figures import show

RunArg = Annotated[
    Path, typer.Argument(help="An output folder of spm evaluate (holding run.json).")
]
ExitCodeOpt = Annotated[
    bool,
    typer.Option("--exit-code", help="Exit 1 when anything differs, as git diff --exit-code."),
]
ShownOpt = Annotated[
    int, typer.Option("--rows", min=0, help="How many changed rows to show per rep.")
]

# key -> (zh, en)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("{a} → {b}", "{a} → {b}"),
    "same": ("两次运行的结果相同", "the two runs give the same results"),
    "scheme": ("方案改动 {count} 处", "{count} scheme change(s)"),
    "rows": ("输入行：{tables}", "input rows: {tables}"),
    "added": ("新增 {n}", "{n} added"),
    "removed": ("删除 {n}", "{n} removed"),
    "changed": ("修改 {n}", "{n} changed"),
    "payroll": ("薪酬合计", "payroll"),
    "grades": ("等级分布", "grades"),
    "moved": ("结果变化的代表 {count} 名", "{count} rep(s) whose results changed"),
    "kpis": ("指标", "KPIs"),
    "because": ("方案", "scheme"),
    "row_added": (
        "{table} {place} 第 {row} 行 新增：{values}",
        "{table} {place} row {row} added: {values}",
    ),
    "row_removed": (
        "{table} {place} 原第 {row} 行 删除：{values}",
        "{table} {place} row {row} (before) removed: {values}",
    ),
    "row_changed": (
        "{table} {place} 第 {row} 行：{changes}",
        "{table} {place} row {row}: {changes}",
    ),
    "team": ("团队成员的输入行有变化：{mates}", "teammates' input rows changed: {mates}"),
    "more": ("另有 {count} 行改动", "{count} more changed row(s)"),
    "final_score": ("最终得分", "final score"),
    "grade": ("等级", "grade"),
    "rank": ("排名", "rank"),
    "bonus": ("奖金", "bonus"),
    "commission": ("提成", "commission"),
    "team_pool": ("团队奖金", "team pool"),
    "total": ("应发合计", "total pay"),
    "none": ("无", "none"),
}
NUMBER_COLUMNS = ("amount", "target", "points", "value")  # ids such as 00123 stay as read
VALUE_COLUMNS = ("date", "customer_id", "product", "kpi", "amount", "target", "points", "value")


def diff(
    before: RunArg,
    after: RunArg,
    lang: LangOpt = None,
    json_out: JsonOpt = False,
    exit_code: ExitCodeOpt = False,
    rows: ShownOpt = 5,
    debug: DebugOpt = False,
) -> None:
    """Compare two runs of spm evaluate: who moved, and why.

    For each rep whose final score, grade, rank or pay changed: the KPIs that moved, the
    scheme lines that changed, and the input rows added, removed or changed behind them.

    Examples:

      spm diff spm-out/2025-Q3 close/2025-Q3-rerun

      spm diff before/ after/ --json > changes.json

      spm diff before/ after/ --exit-code
    """
    with user_errors(debug, lang):
        a, b = _view(before), _view(after)
        found = compare_runs(a, b)
    if json_out:
        sys.stdout.write(dumps(dataclasses.asdict(found)) + "\n")
    else:
        words = lang or _locale(b.scheme_text)
        _print(found, words, rows)
    raise typer.Exit(1 if exit_code and found.differs else 0)


def _view(folder: Path) -> RunView:
    try:
        run = read_run(folder)
    except FileNotFoundError as missing:
        raise UsageError(
            [
                Problem(
                    str(folder),
                    msg("run.no_run", file=Path(str(missing)).name),
                    msg("run.give_run", manifest=MANIFEST),
                )
            ]
        ) from None
    except ValueError as broken:
        raise UsageError(
            [Problem(str(folder), broken.args[0], msg("run.evaluate_again"))]
        ) from None
    return RunView(
        label=str(folder),
        evaluation=run.evaluation,
        scheme_text=str(run.manifest.get("scheme", {}).get("text", "")),
        tables=run.tables,
        places=run.places,
    )


def _locale(scheme_text: str) -> str:
    try:
        loaded = yaml.safe_load(scheme_text) or {}
    except yaml.YAMLError:
        return "zh"
    return "en" if isinstance(loaded, dict) and loaded.get("locale") == "en" else "zh"


def _say(key: str, lang: str, **params: object) -> str:
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**params)


def _value(value: object, kind: str = "number") -> str:
    """A figure as the outputs show it; a cell's text as read, numbers to two decimals."""
    if value is None:
        return "–"
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return value
        return show(number, kind)
    if isinstance(value, Decimal):
        return show(value, kind)
    return str(value)


def _change(change: Change, lang: str) -> str:
    what = _say(change.what, lang) if change.what in WORDS else change.what
    kind = "achievement" if change.what.endswith(".achievement") else "number"
    before, after = change.before, change.after
    delta = ""
    if isinstance(before, Decimal) and isinstance(after, Decimal):
        delta = f" ({'+' if after >= before else ''}{_value(after - before, kind)})"
    return f"{what} {_value(before, kind)} → {_value(after, kind)}{delta}"


def _cell(column: str, value: object) -> str:
    """A source cell as read; an amount or a target to the cent (an id such as 00123 stays)."""
    return _value(value) if column in NUMBER_COLUMNS else ("–" if value is None else str(value))


def _row(change: RowChange, lang: str) -> str:
    place = change.place
    if change.kind == "changed":
        said = "; ".join(
            f"{c.what} {_cell(c.what, c.before)} → {_cell(c.what, c.after)}" for c in change.changes
        )
        return _say(
            "row_changed", lang, table=change.table, place=place, row=change.after_row, changes=said
        )
    values = ", ".join(
        _cell(c, change.values[c]) for c in VALUE_COLUMNS if change.values.get(c) is not None
    )
    row = change.after_row if change.kind == "added" else change.before_row
    return _say(f"row_{change.kind}", lang, table=change.table, place=place, row=row, values=values)


def _line(text: str) -> None:
    """A line as it is: a piped diff keeps its lines whole, for grep and for files."""
    out.print(text, soft_wrap=True)


def _print(found: RunDiff, lang: str, shown: int) -> None:
    _line(f"[bold]{escape(_say('title', lang, a=found.before, b=found.after))}[/bold]")
    if not found.differs:
        _line(escape(_say("same", lang)))
        return
    if found.period.before != found.period.after:
        _line(escape(_change(found.period, lang)))
    if found.scheme:
        _line(escape(_say("scheme", lang, count=len(found.scheme))))
        for change in found.scheme:
            _line(f"  {escape(_change(change, lang))}")
    tables = [
        f"{name} " + ", ".join(_say(kind, lang, n=n) for kind, n in counts.items())
        for name, counts in found.rows.items()
        if counts
    ]
    if tables:
        _line(escape(_say("rows", lang, tables="; ".join(tables))))
    for key, changes in (("payroll", found.payroll), ("grades", found.grades)):
        if changes:
            _line(escape(f"{_say(key, lang)}: " + "; ".join(_change(c, lang) for c in changes)))
    _line(escape(_say("moved", lang, count=len(found.reps))))
    for move in found.reps:
        who = f"{move.rep_id} {move.name}".strip()
        _line(
            f"  [bold]{escape(who)}[/bold]: "
            + escape("; ".join(_change(c, lang) for c in move.figures))
        )
        if move.kpis:
            _line(
                f"    {escape(_say('kpis', lang))}: "
                + escape("; ".join(_change(c, lang) for c in move.kpis))
            )
        for change in move.scheme:
            _line(f"    {escape(_say('because', lang))}: {escape(_change(change, lang))}")
        if move.team and not move.rows:
            mates = ", ".join(f"{mate} ({n})" for mate, n in sorted(move.team.items()))
            _line(f"    {escape(_say('team', lang, mates=mates))}")
        for row in move.rows[:shown]:
            _line(f"    {escape(_row(row, lang))}")
        if len(move.rows) > shown:
            _line(f"    {escape(_say('more', lang, count=len(move.rows) - shown))}")
