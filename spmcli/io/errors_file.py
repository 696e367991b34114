"""errors.xlsx: every row problem of a run, so none is lost when only the first are shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spmcli.errors import RowProblem
from spmcli.io.excel import SheetWriter, Styles, atomic_workbook

HEADERS = ("file", "sheet", "row", "column", "value", "reason")


def write_errors(problems: Sequence[RowProblem], path: Path) -> None:
    """One row per problem with the file, sheet, Excel row, column header, value and reason."""
    with atomic_workbook(path) as workbook:
        sheet = workbook.add_worksheet("errors")
        writer = SheetWriter(sheet, Styles.of(workbook), "en")
        writer.header(0, 0, HEADERS)
        for row, problem in enumerate(problems, start=1):
            writer.text(row, 0, problem.file)
            writer.text(row, 1, problem.sheet)
            writer.integer(row, 2, problem.row)
            writer.text(row, 3, problem.column)
            writer.text(row, 4, problem.value)
            writer.text(row, 5, problem.reason)
        writer.freeze(1, 0)
        sheet.autofilter(0, 0, max(1, len(problems)), len(HEADERS) - 1)
        writer.apply_widths()
