"""Appeal workbooks: written for a rep (``spm appeal``), read back when returned
(``spm appeals review``), and the appeals register.

A written workbook is protected: only the fill-in cells (disputed?, claimed actual, reason,
evidence) are unlocked, with a yes/no list, a number check and a length limit. Beside it,
``sent/<rep>-<hash>.json`` keeps every cell as given, so that a returned workbook edited anywhere
else is refused with the cell named — protection without a password is no guarantee. A
returned file is checked as a zip before it is opened: macros, external links and a zip
that inflates beyond reason are refused. Nothing a rep typed is ever written as a formula
or used as a path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from spmcli.errors import Problem
from spmcli.io.containers import workbook_refusal
from spmcli.io.excel import SheetWriter, Styles, atomic_workbook
from spmcli.io.files import safe_file_stem, write_text_atomic
from spmcli.messages import Msg, msg
from spmcli.report.appeal import APPEAL_COLUMNS, FILL_IN, HEADER_ROW, AppealForm, Cell, Sheet

SENT = "sent"
REGISTER = "appeals.xlsx"
ADJUSTMENTS = "appeal_adjustments.csv"  # read by evaluate as the appeal_adjustments table
MAX_INFLATED = 50 * 1024 * 1024  # an appeal workbook is a few KB; 50 MB is no appeal
MAX_TEXT = 2000
META_SHEET = "spm"


# ------------------------------------------------------------------------ writing


def record_name(rep_id: str) -> str:
    """The file name of a rep's record of what was sent: safe, and unique whichever reps
    are sent together or apart (``R1`` and ``r1`` name the same file on many systems)."""
    digest = hashlib.sha256(rep_id.encode("utf-8")).hexdigest()[:8]
    return f"{safe_file_stem(rep_id)}-{digest}.json"


def write_appeal(form: AppealForm, path: Path, sent: Path) -> None:
    """The appeal workbook at ``path`` and its record of given cells at ``sent``."""
    cells: dict[str, dict[str, Cell]] = {}
    with atomic_workbook(path) as workbook:
        styles = Styles.of(workbook)
        unlocked = workbook.add_format({"locked": False, "bg_color": "#FFF2CC", "border": 1})
        for sheet in (form.instructions, form.appeal, form.rows):
            ws = workbook.add_worksheet(sheet.name)
            writer = SheetWriter(ws, styles, form.lang, sheet.name)
            cells[sheet.name] = _write_grid(writer, sheet)
            for row, col in sheet.fill_in:
                ws.write_blank(row, col, None, unlocked)
            ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
            writer.apply_widths()
        _validations(workbook.get_worksheet_by_name(form.appeal.name), form)
        meta = workbook.add_worksheet(META_SHEET)
        given = {"format": 1, "rep_id": form.rep_id, "period": form.period}
        for row, (key, value) in enumerate(given.items()):
            meta.write_string(row, 0, key)
            meta.write_string(row, 1, str(value))
        meta.hide()
        meta.protect("")
        meta_cells: dict[str, Cell] = {}
        for i, (key, value) in enumerate(given.items(), start=1):
            meta_cells[f"A{i}"], meta_cells[f"B{i}"] = key, str(value)
        cells[META_SHEET] = meta_cells
    record = {"rep_id": form.rep_id, "period": form.period, "lang": form.lang,
              "answers": list(form.answers), "appeal_sheet": form.appeal.name,
              "kpi_rows": _kpi_rows(form), "cells": cells}  # fmt: skip
    write_text_atomic(sent, json.dumps(record, ensure_ascii=False, indent=1) + "\n")


def _write_grid(writer: SheetWriter, sheet: Sheet) -> dict[str, Cell]:
    written: dict[str, Cell] = {}
    fill = set(sheet.fill_in)
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if value is None or (r, c) in fill:
                continue
            kind = sheet.kinds[c] if r > HEADER_ROW and c < len(sheet.kinds) else None
            if isinstance(value, str):
                writer.text(r, c, value, writer.styles.header if r == HEADER_ROW else None)
            elif kind in ("achievement", "score", "number"):
                writer.number(r, c, value, kind)  # type: ignore[arg-type]
            else:
                writer.ws.write_number(r, c, value)
            written[xl_rowcol_to_cell(r, c)] = value
    return written


def _validations(ws: Any, form: AppealForm) -> None:
    first, last = HEADER_ROW + 1, HEADER_ROW + _kpi_rows(form)
    column = {name: APPEAL_COLUMNS.index(name) for name in FILL_IN}
    ws.data_validation(
        first,
        column["disputed"],
        last,
        column["disputed"],
        {"validate": "list", "source": list(form.answers)},
    )
    ws.data_validation(
        first,
        column["claimed"],
        last,
        column["claimed"],
        {"validate": "decimal", "criteria": "between", "minimum": -1e15, "maximum": 1e15},
    )
    for name in ("reason", "evidence"):
        ws.data_validation(
            first,
            column[name],
            last,
            column[name],
            {"validate": "length", "criteria": "<=", "value": MAX_TEXT},
        )


# ------------------------------------------------------------------------ reading back


@dataclass(frozen=True)
class Claim:
    """One disputed KPI of a returned appeal."""

    rep_id: str
    kpi: str
    actual: Cell
    claimed: Decimal | None
    reason: str
    evidence: str
    file: str
    received: str  # when the file was last saved (its modification time)


def _open(path: Path) -> Any:
    """A returned workbook, read-only, formulas as written. openpyxl (and numpy under it)
    takes a quarter of a second to load, so only a review loads it, not every command."""
    import openpyxl

    return openpyxl.load_workbook(path, read_only=True, data_only=False)


def read_returned(path: Path, sent_folder: Path) -> tuple[list[Claim], list[Problem]]:
    """The claims of a returned appeal workbook, or the problems that refuse it."""
    shown = str(path)
    refused = _refuse_container(path)
    if refused:
        return [], [Problem(shown, refused, msg("appeal.ask_again"))]
    try:
        book = _open(path)
    except Exception as error:  # any unreadable workbook is refused alike
        return [], [Problem(shown, msg("appeal.unreadable", error=type(error).__name__))]
    try:
        meta = _sheet_cells(book, META_SHEET)
        rep_id = str(meta["B2"].value) if "B2" in meta else ""
        record_path = sent_folder / record_name(rep_id) if rep_id else None
        if record_path is None or not record_path.is_file():
            missing = msg("appeal.not_sent")
            return [], [Problem(shown, missing, msg("appeal.record_in", folder=sent_folder))]
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            damaged = msg("appeal.record_damaged", file=record_path)
            return [], [Problem(shown, damaged, msg("appeal.send_again"))]
        if not isinstance(record, dict) or not _whole(record):
            damaged = msg("appeal.record_damaged", file=record_path)
            return [], [Problem(shown, damaged, msg("appeal.send_again"))]
        if record.get("rep_id") != rep_id:
            return [], [Problem(shown, msg("appeal.other_rep", rep=rep_id))]
        return _claims(book, record, path, shown)
    finally:
        book.close()


def _refuse_container(path: Path) -> Msg | None:
    """Why the file is refused before it is opened, or None."""
    if path.suffix.lower() != ".xlsx":
        return msg("appeal.not_xlsx")
    return workbook_refusal(path, MAX_INFLATED)


def _sheet_cells(book: Any, name: str) -> dict[str, Any]:
    if name not in book.sheetnames:
        return {}
    return {
        cell.coordinate: cell
        for row in book[name].iter_rows()
        for cell in row
        if cell.value is not None
    }


def _claims(
    book: Any, record: Mapping[str, Any], path: Path, shown: str
) -> tuple[list[Claim], list[Problem]]:
    problems: list[Problem] = []
    appeal_sheet = record["appeal_sheet"]
    fill = {
        f"{xl_rowcol_to_cell(r, APPEAL_COLUMNS.index(c))}"
        for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + record["kpi_rows"])
        for c in FILL_IN
    }
    found: dict[str, dict[str, Any]] = {}
    for sheet, given in record["cells"].items():
        cells = _sheet_cells(book, sheet)
        found[sheet] = cells
        if sheet not in book.sheetnames:
            problems.append(Problem(shown, msg("appeal.sheet_removed", sheet=sheet)))
            continue
        for ref in sorted(set(given) | set(cells), key=_ref_order):
            if sheet == appeal_sheet and ref in fill:
                continue
            value = cells[ref].value if ref in cells else None
            if not _same(value, given.get(ref)):
                problems.append(
                    Problem(
                        f"{shown} [{sheet}] {ref}",
                        msg("appeal.changed", before=repr(given.get(ref)), after=repr(value)),
                    )
                )
    extra = set(book.sheetnames) - set(record["cells"])
    problems += [Problem(shown, msg("appeal.extra_sheet", sheet=name)) for name in sorted(extra)]
    if problems:
        return [], problems
    cells = found[appeal_sheet]
    yes = {a.casefold() for a in record["answers"][:1]} | {"yes", "y", "是"}
    no = {a.casefold() for a in record["answers"][1:]} | {"no", "n", "否"}
    received = (
        datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds")
    )
    claims = []
    given_cells = record["cells"][appeal_sheet]
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + record["kpi_rows"]):

        def at(column: str, r: int = r) -> Any:
            return cells.get(xl_rowcol_to_cell(r, APPEAL_COLUMNS.index(column)))

        for column in FILL_IN:
            cell = at(column)
            if cell is not None and cell.data_type == "f":
                problems.append(
                    Problem(
                        f"{shown} [{appeal_sheet}] {cell.coordinate}",
                        msg("appeal.formula"),
                    )
                )
        disputed = at("disputed")
        answer = str(disputed.value).strip().casefold() if disputed is not None else ""
        if answer in no or answer == "":
            continue
        if answer not in yes:
            problems.append(
                Problem(
                    f"{shown} [{appeal_sheet}] {disputed.coordinate}",
                    msg("appeal.not_yes_no", value=repr(disputed.value)),
                )
            )
            continue
        claimed = _decimal(at("claimed"))
        if isinstance(claimed, Problem):
            problems.append(Problem(f"{shown} [{appeal_sheet}] {claimed.where}", claimed.message))
            continue
        kpi = str(given_cells[xl_rowcol_to_cell(r, 0)])
        claims.append(
            Claim(
                rep_id=record["rep_id"],
                kpi=kpi,
                actual=given_cells.get(xl_rowcol_to_cell(r, APPEAL_COLUMNS.index("actual"))),
                claimed=claimed,
                reason=_text(at("reason")),
                evidence=_text(at("evidence")),
                file=path.name,
                received=received,
            )
        )
    return ([], problems) if problems else (claims, [])


def _whole(record: Mapping[str, Any]) -> bool:
    """Whether a record of what was sent holds what the review reads."""
    cells = record.get("cells")
    return (
        isinstance(record.get("kpi_rows"), int)
        and isinstance(record.get("answers"), list)
        and isinstance(cells, dict)
        and record.get("appeal_sheet") in cells
    )


def _kpi_rows(form: AppealForm) -> int:
    """How many KPI rows the appeal sheet has below its header."""
    return len(form.appeal.rows) - HEADER_ROW - 1


def _ref_order(ref: str) -> tuple[int, str]:
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters) :]), letters


def _same(value: object, given: object) -> bool:
    if isinstance(value, int | float) and isinstance(given, int | float):
        return float(value) == float(given)
    return bool(value == given)


def _decimal(cell: Any) -> Decimal | Problem | None:
    if cell is None or cell.value is None or str(cell.value).strip() == "":
        return None
    value = cell.value
    if isinstance(value, int | float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return Problem(cell.coordinate, msg("appeal.not_number", value=repr(value)))


def _text(cell: Any) -> str:
    return "" if cell is None or cell.value is None else str(cell.value).strip()[:MAX_TEXT]


# ------------------------------------------------------------------------ the register


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on a claim, as entered in the register."""

    decision: str  # accept | reject | partial | "" (pending)
    value: Decimal | None
    reviewer: str
    decided: str


def register_columns(lang: str) -> tuple[str, ...]:
    zh = (
        "代表编号",
        "指标",
        "实际",
        "主张值",
        "理由",
        "证据",
        "收到时间",
        "文件",
        "决定",
        "认定值",
        "审核人",
        "日期",
        "影响",
    )
    en = (
        "Rep",
        "KPI",
        "Actual",
        "Claimed",
        "Reason",
        "Evidence",
        "Received",
        "File",
        "Decision",
        "Accepted value",
        "Reviewer",
        "Date",
        "Effect",
    )
    return zh if lang == "zh" else en


def read_decisions(path: Path) -> tuple[dict[tuple[str, str], Decision], list[Problem]]:
    """The decisions a reviewer entered in an earlier register, by (rep, KPI); a formula in
    the register is a problem (its text would otherwise stand for a name or a value)."""
    if not path.is_file():
        return {}, []
    try:
        book = _open(path)
    except Exception:  # any unreadable register is refused alike
        return {}, [Problem(str(path), msg("appeal.register_damaged"), msg("appeal.register_how"))]
    try:
        rows = [list(row) for row in book.worksheets[0].iter_rows(min_row=2)]
    finally:
        book.close()
    decisions, problems = {}, []
    for row in rows:
        if not row or row[0].value is None:
            continue
        formulas = [c.coordinate for c in row if c.data_type == "f"]
        if formulas:
            problems += [Problem(f"{path} {ref}", msg("appeal.formula")) for ref in formulas]
            continue
        value, decided = row[9].value, row[11].value
        decisions[(str(row[0].value), str(row[1].value))] = Decision(
            decision=_decision_word(row[8].value),
            value=Decimal(repr(value)) if isinstance(value, int | float) else None,
            reviewer=str(row[10].value or "").strip(),
            decided=str(decided.date() if isinstance(decided, datetime) else decided or "").strip(),
        )
    return decisions, problems


_DECISIONS = {"accept": "accept", "接受": "accept", "reject": "reject", "驳回": "reject",
              "partial": "partial", "部分接受": "partial"}  # fmt: skip


def _decision_word(value: object) -> str:
    return _DECISIONS.get(str(value or "").strip().casefold(), "")


def write_register(
    path: Path,
    claims: Sequence[Claim],
    decisions: Mapping[tuple[str, str], Decision],
    effects: Mapping[tuple[str, str], str],
    lang: str,
) -> None:
    """``appeals.xlsx``: one row per claim, the reviewer's columns unlocked and kept."""
    with atomic_workbook(path) as workbook:
        styles = Styles.of(workbook)
        ws = workbook.add_worksheet("appeals" if lang == "en" else "申诉登记")
        w = SheetWriter(ws, styles, lang, ws.name)
        w.header(0, 0, register_columns(lang))
        words = ["accept", "reject", "partial"] if lang == "en" else ["接受", "驳回", "部分接受"]
        for r, claim in enumerate(claims, start=1):
            w.text(r, 0, claim.rep_id)
            w.text(r, 1, claim.kpi)
            if isinstance(claim.actual, int | float):
                ws.write_number(r, 2, claim.actual)
            if claim.claimed is not None:
                ws.write_number(r, 3, float(claim.claimed))
            w.text(r, 4, claim.reason)
            w.text(r, 5, claim.evidence)
            w.text(r, 6, claim.received)
            w.text(r, 7, claim.file)
            decided = decisions.get((claim.rep_id, claim.kpi))
            if decided is not None and decided.decision:
                shown = words[["accept", "reject", "partial"].index(decided.decision)]
                w.text(r, 8, shown)
                if decided.value is not None:
                    ws.write_number(r, 9, float(decided.value))
                w.text(r, 10, decided.reviewer)
                w.text(r, 11, decided.decided)
            w.text(r, 12, effects.get((claim.rep_id, claim.kpi)))
        if claims:
            ws.data_validation(1, 8, len(claims), 8, {"validate": "list", "source": words})
            ws.autofilter(0, 0, len(claims), len(register_columns(lang)) - 1)
        w.freeze(1, 2)
        w.apply_widths()


def accepted_rows(
    claims: Sequence[Claim], decisions: Mapping[tuple[str, str], Decision], lang: str
) -> tuple[list[dict[str, str]], list[Problem]]:
    """The accepted claims as rows of the adjustments table (rep_id, kpi, value, reason in
    ``lang``, approved_by); a decision without a reviewer or a value is a problem."""
    rows, problems = [], []
    for claim in claims:
        decided = decisions.get((claim.rep_id, claim.kpi))
        if decided is None or decided.decision not in ("accept", "partial"):
            continue
        value = decided.value if decided.decision == "partial" else decided.value or claim.claimed
        where = f"{REGISTER}: {claim.rep_id} {claim.kpi}"
        if not decided.reviewer:
            problems.append(Problem(where, msg("appeal.no_reviewer"), msg("appeal.fill_reviewer")))
            continue
        if value is None:
            problems.append(Problem(where, msg("appeal.no_value"), msg("appeal.fill_value")))
            continue
        when = decided.decided or date.today().isoformat()
        rows.append(
            {
                "rep_id": claim.rep_id,
                "kpi": claim.kpi,
                "value": format(value, "f"),
                "reason": msg("appeal.reason", date=when, reason=claim.reason).text(lang),
                "approved_by": decided.reviewer,
            }
        )
    return rows, problems


def write_adjustments(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    """The accepted claims in the adjustments table's format, as CSV text (a value that
    looks like a formula is prefixed with ' so that no spreadsheet runs it)."""
    columns = ("rep_id", "kpi", "value", "reason", "approved_by")
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(_csv(_defused(row[c])) for c in columns))
    write_text_atomic(path, "\n".join(lines) + "\n")


def _defused(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _csv(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n\r') else text
