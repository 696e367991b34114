"""Odd and huge sales sheets for the reader: made on demand, never committed.

Each kind is a workbook with one sheet 'sales' of five columns (date, rep_id,
customer_id, amount, cost) and ``lines`` sales lines under the header, plus:

- ``tall``: nothing else; with --lines 1048575 the sheet is the Excel maximum, 1,048,576 rows.
- ``wide``: a stray space in the last column Excel has (XFD, the 16,384th) of the last
  line, so that the sheet's cells span 16,384 columns of which 5 are used (in the last
  line: xlsxwriter's constant-memory mode walks every column up to the widest so far).
- ``formatted``: the cells of column XFD formatted (a fill) beside the data, and the rows
  below it formatted down to ``to_row``, with no value anywhere there; the last cell
  Excel has, XFD1048576, is formatted too, so the sheet's cells span the whole grid.

The tests make small ones into a temporary folder; the full-size ones are for bench/ and
for measuring by hand: ``python tests/corpus/make_big.py tall /tmp/tall.xlsx --lines 1048575``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import xlsxwriter

LAST_ROW = 1_048_576  # Excel's last row and column, 1-based
LAST_COLUMN = 16_384
HEADER = ("date", "rep_id", "customer_id", "amount", "cost")
KINDS = ("tall", "wide", "formatted")


def make(kind: str, path: Path, lines: int, to_row: int = LAST_ROW) -> Path:
    """Write the workbook of ``kind`` with ``lines`` sales lines to ``path``."""
    # Rows are written as they come (constant memory), except where formats must reach
    # rows that hold no cell: xlsxwriter writes those only from its table of rows.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": kind != "formatted"})
    fill = book.add_format({"bg_color": "#FFF2CC"})
    sheet = book.add_worksheet("sales")
    sheet.write_row(0, 0, HEADER)
    for line in range(1, lines + 1):
        day = 1 + line % 28
        sheet.write_string(line, 0, f"2025-07-{day:02d}")
        sheet.write_string(line, 1, f"R{line % 200:03d}")
        sheet.write_string(line, 2, f"H{line % 5000:04d}")
        sheet.write_number(line, 3, 100 + line % 900)
        sheet.write_number(line, 4, 60 + line % 500)
        if kind == "wide" and line == lines:
            sheet.write_string(line, LAST_COLUMN - 1, " ")
        if kind == "formatted":
            sheet.write_blank(line, LAST_COLUMN - 1, None, fill)
    if kind == "formatted":
        for row in range(lines + 1, to_row):
            sheet.set_row(row, None, fill)
        sheet.write_blank(LAST_ROW - 1, LAST_COLUMN - 1, None, fill)
    book.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--to-row", type=int, default=LAST_ROW, help="formatted: down to this row")
    args = parser.parse_args()
    print(make(args.kind, args.out, args.lines, args.to_row))


if __name__ == "__main__":
    main()
