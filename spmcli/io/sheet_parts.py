"""What a worksheet's XML says that fastexcel does not tell: how far its cells reach, and
which header cells are merged.

fastexcel (calamine) holds a sheet as a grid from its first to its last cell with a value,
about 60 bytes a cell even where the grid is empty: one stray value in column XFD under a
million lines would ask for a terabyte. The sheet's ``<dimension>`` says how far its cells
reach before anything is read; only when it claims more than ``most_cells`` are the cells
themselves looked at (formatting alone reaches far and holds no value), streamed. A sheet
that gives no dimension (Excel and the usual writers always do) is read as it is.

Merged cells are listed at the end of a sheet's XML; they are looked for only to explain a
header that could not be read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from spmcli.messages import Msg, msg

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
# A cell with a reference; a '/' before its '>' closes it empty (formatting, no value).
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"[^>]*?(/?)>")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")
_REFERENCE = re.compile(r"([A-Z]+)([0-9]+)")
_BLOCK = 1 << 20
_OVERLAP = 256  # longer than any cell's opening tag the patterns match


@dataclass(frozen=True)
class _Cell:
    column: int  # 1-based, as Excel counts
    row: int

    @property
    def name(self) -> str:
        return f"{column_letters(self.column)}{self.row}"


def column_letters(column: int) -> str:
    """Excel's name of a 1-based column: 1 → 'A', 16384 → 'XFD'."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _cell(reference: str) -> _Cell:
    found = _REFERENCE.fullmatch(reference)
    assert found is not None, reference  # the patterns match only such references
    return _Cell(_column_number(found[1]), int(found[2]))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding ``sheet``: xl/workbook.xml names it, its rels locate it."""
    try:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return None
    ids = [
        value
        for element in book.iter()
        if _local(element.tag) == "sheet" and element.get("name") == sheet
        for key, value in element.attrib.items()
        if _local(key) == "id"
    ]
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and ids and rel.get("Id") == ids[0]:
            target = rel.get("Target", "")
            path = PurePosixPath(target[1:] if target.startswith("/") else f"xl/{target}")
            return str(path)
    return None


def _blocks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes inflated a block at a time, each block starting with the end of
    the one before it, so that a tag cut between two blocks is whole in the second."""
    with archive.open(part) as stream:
        tail = b""
        while block := stream.read(_BLOCK):
            yield tail + block
            tail = block[-_OVERLAP:]


def _dimension(archive: zipfile.ZipFile, part: str) -> tuple[_Cell, _Cell] | None:
    """The first and last cell the sheet says its cells span; None if it does not say."""
    with archive.open(part) as stream:
        head = stream.read(1 << 16)
    start = _SHEET_DATA.search(head)
    found = _DIMENSION.search(head, 0, start.start() if start else len(head))
    if found is None:
        return None
    first, _, last = found[1].decode().partition(":")
    return _cell(first), _cell(last or first)


def _valued_reach(archive: zipfile.ZipFile, part: str) -> tuple[_Cell, _Cell] | None:
    """The cells with a value furthest right and furthest down (None: no value at all).

    A cell whose tag closes at once (``<c r="XFD2" s="1"/>``) is formatting, not a value. A
    tag at the end of one block is seen again at the start of the next: no maximum moves."""
    right: _Cell | None = None
    down: _Cell | None = None
    for block in _blocks(archive, part):
        for letters, digits, closed in _CELL.findall(block):
            if closed:
                continue
            cell = _Cell(_column_number(letters.decode()), int(digits))
            if right is None or cell.column > right.column:
                right = cell
            if down is None or cell.row > down.row:
                down = cell
    return (right, down) if right is not None and down is not None else None


def reach_refusal(path: Path, sheet: str, most_cells: int) -> Msg | None:
    """Why the sheet is too large a grid to read, or None. The grid is counted from A1,
    a little more than fastexcel holds when the data starts further right."""
    with zipfile.ZipFile(path) as archive:
        part = _part(archive, sheet)
        if part is None:
            return None
        claimed = _dimension(archive, part)
        if claimed is None or claimed[1].column * claimed[1].row <= most_cells:
            return None
        reach = _valued_reach(archive, part)
    if reach is None:
        return None
    right, down = reach
    if right.column * down.row <= most_cells:
        return None
    return msg(
        "sheet.too_large",
        grid=f"A1:{_Cell(right.column, down.row).name}",
        columns=f"{right.column:,}",
        rows=f"{down.row:,}",
        cells=f"{right.column * down.row:,}",
        most=f"{most_cells:,}",
        right=right.name,
        down=down.name,
    )


def merged_header(path: Path, sheet: str, row: int) -> tuple[str, ...]:
    """The merged ranges that cover cells of ``row`` (the header row), as 'C1:D1'."""
    with zipfile.ZipFile(path) as archive:
        part = _part(archive, sheet)
        if part is None:
            return ()
        found: dict[str, None] = {}
        for block in _blocks(archive, part):
            for reference in _MERGE.findall(block):
                first, last = (_cell(r) for r in reference.decode().split(":"))
                if first.row <= row <= last.row:
                    found[reference.decode()] = None
    return tuple(found)
