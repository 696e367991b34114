"""errors.xlsx: every row problem of a run, so none is lost when only the first are shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spmcli.errors import RowProblem
from spmcli.io.excel import SheetWriter, Styles, atomic_workbook
from spmcli.report.labels import label

HEADERS = ("file", "sheet_name", "row", "column", "value", "reason")


def write_errors(problems: Sequence[RowProblem], path: Path, lang: str) -> None:
    """One row per problem with the file, sheet, Excel row, column header, value and reason,
    in the run's language."""
    with atomic_workbook(path) as workbook:
        sheet = workbook.add_worksheet(label("errors.sheet", lang))
        writer = SheetWriter(sheet, Styles.of(workbook), lang)
        writer.header(0, 0, [label(f"errors.{key}", lang) for key in HEADERS])
        for row, problem in enumerate(problems, start=1):
            writer.text(row, 0, problem.file)
            writer.text(row, 1, problem.sheet)
            writer.integer(row, 2, problem.row)
            writer.text(row, 3, problem.column)
            writer.text(row, 4, problem.value)
            writer.text(row, 5, problem.reason.text(lang))
        writer.freeze(1, 0)
        sheet.autofilter(0, 0, max(1, len(problems)), len(HEADERS) - 1)
        writer.apply_widths()
