"""Reading the input files into canonical, typed tables (SPEC §2).

The input is one workbook (a sheet per table), a folder of CSV / Parquet files
(a file per table) or several such files. Sheets and files are matched to tables by
name through ``TABLE_ALIASES`` and headers to columns through ``COLUMN_ALIASES``; a
scheme's ``sources`` section overrides both. Every sheet is read as text and typed
here with the vectorised parsers of ``spmcli.io.values``, so a date or an amount
means the same whatever file type it came from.

Problems with a whole table (no sales table, a required column missing, an
unreadable file) raise ``DataError``. Problems with single cells never raise: the
row is left out of the frame and reported as a ``RowProblem``; the caller decides
whether that stops the run (SPEC §2 "Nothing is silently lost").
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import hashlib
import io
import queue
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import fastexcel
import polars as pl

from spmcli.encodings import decode_text
from spmcli.errors import DataError, Problem, RowProblem, UsageError, did_you_mean
from spmcli.io import values
from spmcli.io.containers import workbook_refusal
from spmcli.io.sheet_parts import column_letters, merged_header, reach_refusal
from spmcli.messages import Msg, joined, msg
from spmcli.scheme.columns import (
    COLUMN_ALIASES,
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    TABLE_ALIASES,
    normalize,
)

if TYPE_CHECKING:
    from spmcli.scheme.model import Source

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
TABLE_FILE_SUFFIXES = (".csv", ".parquet", ".pq")

# How each known column is typed (SPEC §2). Columns not listed are text; columns
# the aliases do not know are numbers when every value is one, else text.
DATE_COLUMNS = frozenset({"date"})
MONEY_COLUMNS = frozenset({"amount", "cost", "collected", "target_bonus"})
NUMBER_COLUMNS = frozenset(
    {"target", "score", "points", "value", "potential", "participants", "quantity"}
)
PERCENT_COLUMNS = frozenset({"target", "value"})  # '12%' means 0.12 here
PERIOD_COLUMNS = frozenset({"period"})
UNIQUE_KEYS = {"reps": "rep_id", "customers": "customer_id"}

# A 1,048,576-row export inflates to about 1 GB; anything far beyond is no spreadsheet.
MOST_INFLATED = 4 * 1024**3
# fastexcel holds a sheet as the whole grid, empty cells too, at about 60 bytes a cell while
# spm reads it (bench/odd_sheets.py): as many as a full-height sheet of 64 columns is 4 GB.
MOST_CELLS = 1_048_576 * 64
ZIPPED_WORKBOOKS = (".xlsx", ".xlsm")
ROW = "_row"
FIELDS = "_fields"  # a CSV grid's: how many fields each line has, when some has more than the first
_HEADER_SEARCH_ROWS = 30  # a title block above the header is at most this deep


@dataclass(frozen=True)
class InputFile:
    """A file that was read, for the run record."""

    path: str  # as given by the user
    sha256: str
    size: int  # bytes


@dataclass(frozen=True)
class Table:
    """One input table with canonical column names and typed values."""

    name: str  # canonical table name: sales, reps, ...
    frame: pl.DataFrame  # canonical columns + "_row" (Int64, the row number the file shows)
    file: str  # file path as given
    sheet: str  # sheet name ("" for csv/parquet)
    headers: dict[str, str]  # canonical column -> original header, for messages


@dataclass(frozen=True)
class Inputs:
    """Everything read: the tables, the files, and the rows that could not be used."""

    tables: dict[str, Table]
    files: list[InputFile]
    problems: list[RowProblem]  # every invalid row/cell, in file/sheet/row order
    skipped_rows: int  # rows removed from frames because of problems
    notes: list[Msg]  # e.g. "q3.xlsx: sheet 'Sheet3' matches no table and was ignored"


# ---------------------------------------------------------------------------------
# Where tables can come from


@dataclass(frozen=True)
class _Place:
    """A sheet of a workbook, or a CSV / Parquet file: something that can hold a table."""

    file: str  # as the user gave it (a folder's files joined to the folder as given)
    path: Path
    sheet: str  # "" for a CSV / Parquet file
    kind: Literal["sheet", "csv", "parquet"]

    @property
    def name(self) -> str:
        """The name that says which table this is: the sheet name or the file stem."""
        return self.sheet if self.kind == "sheet" else self.path.stem

    @property
    def label(self) -> str:
        return f"{self.file} [{self.sheet}]" if self.sheet else self.file


class _Opened:
    """The input files and their SHA-256 for the run record. A workbook is read into
    memory once, hashed as it is read, and its reader made from those bytes. A CSV or
    Parquet file is hashed as it streams by and then read by polars from the file: at
    10 M lines, holding its bytes beside the table would add a gigabyte."""

    def __init__(self) -> None:
        self._bytes: dict[Path, bytes] = {}
        self._readers = threading.local()  # a reader serves one thread at a time
        self.sha256: dict[Path, str] = {}
        self.size: dict[Path, int] = {}

    def data(self, path: Path) -> bytes:
        if path not in self._bytes:
            raw = self._bytes[path] = path.read_bytes()
            self.sha256[path] = hashlib.sha256(raw).hexdigest()
            self.size[path] = len(raw)
        return self._bytes[path]

    def digest(self, path: Path) -> None:
        """A file's SHA-256 and size, without keeping its bytes."""
        if path not in self.sha256:
            with path.open("rb") as file:
                self.sha256[path] = hashlib.file_digest(file, "sha256").hexdigest()
            self.size[path] = path.stat().st_size

    def workbook(self, path: Path) -> fastexcel.ExcelReader:
        """This thread's reader of the workbook (``_loading`` reads sheets two at a time)."""
        readers: dict[Path, fastexcel.ExcelReader] = self._readers.__dict__.setdefault(
            "by_path", {}
        )
        if path not in readers:
            readers[path] = fastexcel.read_excel(self.data(path))
        return readers[path]


SHEETS_AT_ONCE = 2  # the sales sheet takes most of a read; the other sheets load beside it


def _loading(places: Sequence[_Place], opened: _Opened) -> dict[_Place, Future[_Grid]]:
    """The grids of these workbook sheets, loading in ``SHEETS_AT_ONCE`` threads in the
    order given, so that the tables are typed in order while the next sheets load: calamine
    reads one sheet on one core. The threads are daemons: an interrupted run does not wait
    for them. CSV and Parquet files are not among them (polars reads them on every core)."""
    futures: dict[_Place, Future[_Grid]] = {place: Future() for place in places}
    waiting: queue.SimpleQueue[_Place] = queue.SimpleQueue()
    for place in places:
        waiting.put(place)

    def load_next() -> None:
        while True:
            try:
                place = waiting.get_nowait()
            except queue.Empty:
                return
            try:
                futures[place].set_result(_load(place, opened))
            except BaseException as error:  # raised where the grid is asked for
                futures[place].set_exception(error)

    for _ in range(min(SHEETS_AT_ONCE, len(places))):
        threading.Thread(target=load_next, daemon=True).start()
    return futures


def _workbook_sheets(path: Path, shown: str, opened: _Opened) -> list[_Place]:
    if path.suffix.lower() in ZIPPED_WORKBOOKS:
        refused = workbook_refusal(path, MOST_INFLATED)
        if refused is not None:
            raise DataError([Problem(shown, refused)])
    try:
        reader = opened.workbook(path)
    except fastexcel.FastExcelError as error:
        hint = msg("plain", text=_first_line(error))
        if path.suffix.lower() == ".xls":
            # Many systems export HTML or text under an .xls name.
            hint = msg("read.xls_html", reason=_first_line(error))
        raise DataError([Problem(shown, msg("read.not_workbook"), hint)]) from None
    return [_Place(shown, path, sheet, "sheet") for sheet in reader.sheet_names]


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _discover(paths: Sequence[Path], opened: _Opened) -> tuple[list[_Place], list[Msg]]:
    """Every sheet and table file the inputs hold, in the order given."""
    places: list[_Place] = []
    notes: list[Msg] = []
    for path in paths:
        shown = str(path)
        if not path.exists():
            # A path that is not there is a mistake on the command line (exit 2), not in data.
            raise UsageError([Problem(shown, msg("read.no_such_path"), msg("read.check_path"))])
        if path.is_dir():
            children = sorted(
                child
                for child in path.iterdir()
                if child.is_file() and not child.name.startswith((".", "~$"))
            )
            for child in children:
                suffix = child.suffix.lower()
                if suffix in TABLE_FILE_SUFFIXES:
                    kind: Literal["csv", "parquet"] = "csv" if suffix == ".csv" else "parquet"
                    places.append(_Place(str(path / child.name), child, "", kind))
                elif suffix in WORKBOOK_SUFFIXES:
                    notes.append(msg("note.workbook_in_folder", file=str(path / child.name)))
            if not any(place.path.parent == path for place in places):
                raise DataError(
                    [Problem(shown, msg("read.folder_empty"), msg("read.accepted_files"))]
                )
            continue
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            places.extend(_workbook_sheets(path, shown, opened))
        elif suffix in TABLE_FILE_SUFFIXES:
            places.append(_Place(shown, path, "", "csv" if suffix == ".csv" else "parquet"))
        else:
            raise DataError(
                [
                    Problem(
                        shown,
                        msg("read.not_readable_kind", suffix=suffix or msg("read.no_suffix")),
                        msg("read.accepted_files"),
                    )
                ]
            )
    return places, notes


# ---------------------------------------------------------------------------------
# Which place is which table

_TABLE_BY_ALIAS = {
    normalize(alias): table
    for table, aliases in TABLE_ALIASES.items()
    for alias in (table, *aliases)
}


def _same_file(place: _Place, name: str) -> bool:
    wanted = Path(name)
    return normalize(place.path.name) == normalize(wanted.name) or (
        not wanted.suffix and normalize(place.path.stem) == normalize(wanted.name)
    )


def _source_places(
    table: str, source: Source, places: list[_Place], paths: Sequence[Path], opened: _Opened
) -> list[_Place]:
    """The places a ``sources`` entry with ``sheet`` and/or ``file`` points at."""
    candidates = places
    if source.file:
        candidates = [place for place in places if _same_file(place, source.file)]
        if not candidates:
            candidates = _discover_source_file(source.file, paths, opened)
        if not candidates:
            seen = sorted({place.file for place in places})
            raise DataError(
                [
                    Problem(
                        f"sources.{table}.file",
                        msg("read.source_file", file=source.file, seen=tuple(seen)),
                        did_you_mean(source.file, [Path(p.file).name for p in places]),
                    )
                ]
            )
    if source.sheet:
        sheets = [place for place in candidates if place.kind == "sheet"]
        chosen = [place for place in sheets if normalize(place.sheet) == normalize(source.sheet)]
        if not chosen:
            names = [place.sheet for place in sheets]
            raise DataError(
                [
                    Problem(
                        f"sources.{table}.sheet",
                        msg(
                            "read.no_sheet",
                            sheet=source.sheet,
                            sheets=tuple(repr(n) for n in names) or msg("none"),
                        ),
                        did_you_mean(source.sheet, names),
                    )
                ]
            )
        return chosen
    if len(candidates) > 1:
        by_alias = [
            place for place in candidates if _TABLE_BY_ALIAS.get(normalize(place.name)) == table
        ]
        return by_alias or candidates
    return candidates


def _discover_source_file(name: str, paths: Sequence[Path], opened: _Opened) -> list[_Place]:
    """A ``sources[table].file`` that was not given: looked for beside the inputs."""
    folders = [Path()] + [path if path.is_dir() else path.parent for path in paths]
    for folder in folders:
        candidate = folder / name
        if candidate.is_file():
            found, _ = _discover([candidate], opened)
            return found
    return []


def _assign(
    places: list[_Place],
    sources: Mapping[str, Source],
    paths: Sequence[Path],
    notes: list[Msg],
    opened: _Opened,
) -> dict[str, _Place]:
    assigned: dict[str, _Place] = {}
    for table, source in sources.items():
        if not (source.sheet or source.file):
            continue
        chosen = _source_places(table, source, places, paths, opened)
        if len(chosen) > 1:
            raise DataError([_ambiguous(table, chosen, "sources." + table)])
        assigned[table] = chosen[0]
        if chosen[0] not in places:
            places.append(chosen[0])
    taken = set(assigned.values())
    by_table: dict[str, list[_Place]] = {}
    for place in places:
        if place in taken:
            continue
        matched = _TABLE_BY_ALIAS.get(normalize(place.name))
        if matched is None:
            code = "note.sheet_ignored" if place.sheet else "note.file_ignored"
            notes.append(msg(code, file=place.file, name=place.name, sheet=place.sheet))
        elif matched in assigned:
            notes.append(
                msg(
                    "note.source_elsewhere",
                    place=place.label,
                    table=matched,
                    chosen=assigned[matched].label,
                )
            )
        else:
            by_table.setdefault(matched, []).append(place)
    for table, found in by_table.items():
        if len(found) > 1:
            raise DataError([_ambiguous(table, found, f"sources.{table}.sheet (or .file)")])
        assigned[table] = found[0]
    if "sales" not in assigned and len(places) == 1 and not assigned:
        # A lone sheet or file that names no table is the sales lines: the usual
        # CRM export ('export.csv', a workbook with just 'Sheet1').
        assigned["sales"] = places[0]
        notes[:] = [note for note in notes if dict(note.params).get("file") != places[0].file]
        notes.append(msg("note.only_table", place=places[0].label))
    if "sales" not in assigned:
        raise DataError([_no_sales(places)])
    return assigned


def _ambiguous(table: str, found: list[_Place], setting: str) -> Problem:
    listed: str | Msg = found[0].label
    for place in found[1:]:
        listed = msg("read.and", first=listed, second=place.label)
    return Problem(
        "",
        msg("read.ambiguous", places=listed, table=table),
        msg("read.ambiguous_fix", setting=setting),
    )


def _no_sales(places: list[_Place]) -> Problem:
    seen = tuple(place.label for place in places) or msg("nothing")
    accepted = ", ".join(dict.fromkeys(("sales", *TABLE_ALIASES["sales"])))
    hint = next(
        (h for h in (did_you_mean(place.name, TABLE_ALIASES["sales"]) for place in places) if h),
        None,
    )
    return Problem("", msg("read.no_sales", seen=seen, accepted=accepted), hint)


# ---------------------------------------------------------------------------------
# Loading a place as a grid of text


@dataclass(frozen=True)
class _Grid:
    """A sheet: columns c0..cn and ``_row``.

    From a workbook or CSV the columns are text (cleaned, empty = null) and the header is
    one of the rows. From Parquet they are the columns as stored, typed, and the header
    is the schema (``headers``, row 1): they are typed here column by column, and only
    the cells that the stored type does not settle are read as text (``_parse_column``).
    """

    frame: pl.DataFrame
    column_labels: list[str]  # how the file names a column position: 'C' or '3'
    headers: tuple[str | None, ...] | None = None  # Parquet: the column names, cleaned
    hidden: bool = False  # a sheet hidden in its workbook

    @property
    def typed(self) -> bool:
        return self.headers is not None


def _load(place: _Place, opened: _Opened) -> _Grid:
    if place.kind == "sheet":
        if place.path.suffix.lower() in ZIPPED_WORKBOOKS:
            refused = reach_refusal(place.path, place.sheet, MOST_CELLS)
            if refused is not None:
                raise DataError([Problem(place.label, refused, msg("sheet.too_large_fix"))])
        try:
            sheet = opened.workbook(place.path).load_sheet(
                place.sheet, header_row=None, skip_rows=0, dtypes="string"
            )
            frame = _sheet_text(sheet)
        except fastexcel.FastExcelError as error:
            hint = msg("plain", text=_first_line(error))
            raise DataError([Problem(place.label, msg("read.cannot_read"), hint)]) from None
        labels = [column_letters(column.absolute_index + 1) for column in sheet.selected_columns]
        return _text_grid(frame, labels, hidden=sheet.visible != "visible")
    if place.kind == "csv":
        opened.digest(place.path)
        frame, fields = _read_csv(place)
        return _text_grid(frame, [str(i + 1) for i in range(frame.width)], fields=fields)
    opened.digest(place.path)
    try:
        frame = _read_parquet(place.path)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise DataError(
            [Problem(place.label, msg("read.not_parquet"), msg("plain", text=_first_line(error)))]
        ) from None
    names = [f"c{i}" for i in range(frame.width)]
    header = pl.select(values.clean(pl.lit(pl.Series(frame.columns, dtype=pl.String))))
    grid = (
        frame.rename(dict(zip(frame.columns, names, strict=True)))
        .with_row_index(ROW, offset=2)  # row 1 is the header
        .with_columns(pl.col(ROW).cast(pl.Int64))
    )
    labels = [str(i + 1) for i in range(frame.width)]
    return _Grid(grid, labels, headers=tuple(header.to_series().to_list()))


# fastexcel words an error cell it could not read as text "Expected string but got
# 'Error(Div0)'", in calamine's names of the error values; Excel shows them as these.
_ERROR_TEXTS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}


def _sheet_text(sheet: fastexcel.ExcelSheet) -> pl.DataFrame:
    """A loaded sheet as text, each error cell as the text Excel shows (#DIV/0!).

    fastexcel reads an error cell as an empty one, and says where the errors were only
    beside an Arrow batch. As text, an error in cost is reported as one, not read as no
    cost (SPEC §2); the grid's rows and columns are the batch's.
    """
    batch, errors = sheet.to_arrow_with_errors()
    frame = pl.DataFrame(batch)
    if errors is None:
        return frame
    found: dict[int, tuple[list[int], list[str]]] = {}
    for error in errors.errors:
        row, column = error.position
        rows, texts = found.setdefault(column, ([], []))
        rows.append(row)
        texts.append(_error_text(error.detail))
    return frame.with_columns(
        frame.to_series(column).scatter(rows, texts) for column, (rows, texts) in found.items()
    )


@functools.cache  # a column of failed lookups says the same a million times
def _error_text(detail: str) -> str:
    kind = re.search(r"'Error\((\w+)\)'", detail)
    if kind is None or kind[1] not in _ERROR_TEXTS:
        # Only an error cell fails to read as text: fastexcel changed its wording.
        raise RuntimeError(f"fastexcel reported a cell spm does not know: {detail}")
    return _ERROR_TEXTS[kind[1]]


def _read_parquet(path: Path) -> pl.DataFrame:
    """A Parquet file's columns as stored, each in one piece.

    A column comes in a chunk per row group; later steps copy a whole frame whose columns
    are chunked unequally (the row numbers added here are one chunk). Read a column at a
    time, each is joined up while the others are not yet decoded: the peak stays about
    the size of the table instead of twice that.
    """
    names = list(pl.read_parquet_schema(path))
    return pl.DataFrame(
        [pl.read_parquet(path, columns=[name]).to_series().rechunk() for name in names]
    )


def _parquet_text(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Typed Parquet values as the text the parsers read (dates ISO, floats shortest)."""
    if dtype == pl.Date:
        return column.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return column.dt.strftime("%Y-%m-%d %H:%M:%S")
    return column.cast(pl.String)


def _as_text(raw: pl.Series, typed: bool) -> pl.Series:
    """A grid column as the cleaned text the parsers read: a typed column's text."""
    if not typed:
        return raw
    return pl.select(values.clean(_parquet_text(pl.lit(raw), raw.dtype))).to_series()


def _present(raw: pl.Expr, dtype: pl.DataType, grid: _Grid) -> pl.Expr:
    """True where a grid cell holds something: text that is not blank, a typed value."""
    if grid.typed and dtype == pl.String:
        return values.clean(raw).is_not_null()
    return raw.is_not_null()


def _text_grid(
    frame: pl.DataFrame, labels: list[str], hidden: bool = False, fields: pl.Series | None = None
) -> _Grid:
    """The cleaned text of a sheet or CSV file. Columns left blank are let go here, before
    anything looks at them one by one: a stray value in column XFD makes 16,000 of them.
    A CSV file's ``fields`` (how many each line has) keep every column where it is, blank
    or not: the one right of the header line's last field is where a wider line is said."""
    kept: list[tuple[str, pl.Series]] = []
    for label, name in zip(labels, frame.columns, strict=True):
        column = frame[name]
        if column.null_count() < len(column) or fields is not None:
            column = _cleaned(column)  # cleaning may leave it blank too
            if column.null_count() < len(column) or fields is not None:
                kept.append((label, column))
    grid = pl.DataFrame([column.alias(f"c{i}") for i, (_, column) in enumerate(kept)])
    grid = grid.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    if fields is not None:
        grid = grid.with_columns(fields.alias(FIELDS))
    return _Grid(grid, [label for label, _ in kept], hidden=hidden)


def _cleaned(column: pl.Series) -> pl.Series:
    """``values.clean``, without copying a column that is clean already (most are)."""
    if column.dtype == pl.String and not column.str.contains(r"^\s|\s$|^$").any():
        return column
    return pl.select(values.clean(pl.lit(column))).to_series()


def _read_csv(place: _Place) -> tuple[pl.DataFrame, pl.Series | None]:
    """A CSV file as text: UTF-8 (with or without BOM), else GB18030 as Chinese Excel saves it;
    and, when a line has more fields than the first, how many fields each line has (None
    when none has: then no line has more than the header).

    Comma, semicolon or tab separated, whichever the header line has most of. A file polars
    cannot parse (a quote inside a field that is not quoted) is read as Excel reads it.
    """
    first_line = _first_line_of(place.path)
    separator = max(",;\t", key=lambda sep: first_line.count(sep.encode()))
    try:
        return _polars_csv(place.path, separator), None
    except pl.exceptions.NoDataError:
        return pl.DataFrame(), None  # an empty file (or only a BOM): a table without a header
    except pl.exceptions.ComputeError:
        pass  # not UTF-8, a line with more fields than the first, or a stray quote
    text = decode_text(place.path.read_bytes())
    if text is None:
        raise DataError([Problem(place.file, msg("read.not_csv_text"), msg("read.save_csv_utf8"))])
    utf8 = text.encode("utf-8")
    try:
        return _polars_csv(io.BytesIO(utf8), separator), None
    except pl.exceptions.ComputeError:
        pass  # a line with more fields than the first, or a stray quote
    if '"' in text:
        return _python_csv(place, text, separator)
    # Without quotes a line is a record, and its separators say how many fields it has.
    lines = pl.Series(text.split("\n")[: -1 if text.endswith("\n") else None], dtype=pl.String)
    fields = (lines.str.count_matches(separator, literal=True) + 1).cast(pl.Int64)
    widest = fields.max()
    schema = {f"column_{i + 1}": pl.String for i in range(widest if isinstance(widest, int) else 1)}
    frame = pl.read_csv(
        io.BytesIO(utf8),
        has_header=False,
        schema=schema,
        separator=separator,
        missing_columns="insert",
    )
    return frame, fields


def _polars_csv(source: Path | io.BytesIO, separator: str) -> pl.DataFrame:
    return pl.read_csv(source, has_header=False, infer_schema=False, separator=separator)


# Put after a file's last line: the csv module reads it as a line of its own unless a quote
# that is never closed swallows it. A noncharacter: no export writes it.
_END = "\ufdd0"


def _python_csv(place: _Place, text: str, separator: str) -> tuple[pl.DataFrame, pl.Series]:
    """A CSV file that polars will not read, read as Excel reads it (Python's csv module): a
    quote inside a field that is not quoted is text, and so is text after a closing quote.
    A quote that is never closed would swallow every line after it: refused, with its line."""
    ended = text if text.endswith("\n") else text + "\n"
    reader = csv.reader(io.StringIO(ended + _END, newline=""), delimiter=separator)
    records: list[list[str]] = []
    start = end = 0  # the lines the last record was read from
    for record in reader:
        records.append(record)
        start, end = end + 1, reader.line_num
    if records[-1] != [_END]:
        raise DataError(
            [Problem(place.file, msg("read.csv_quote", line=start), msg("read.csv_quote_fix"))]
        )
    records.pop()
    width = max((len(record) for record in records), default=0)
    columns = [
        pl.Series(f"column_{i + 1}", [r[i] if i < len(r) else None for r in records], pl.String)
        for i in range(width)
    ]
    return pl.DataFrame(columns), pl.Series(FIELDS, [len(record) for record in records], pl.Int64)


def _first_line_of(path: Path) -> bytes:
    """The bytes of a file up to its first line break (or all of it)."""
    with path.open("rb") as file:
        line = b""
        while block := file.read(1 << 16):
            end = block.find(b"\n")
            if end >= 0:
                return line + block[:end]
            line += block
    return line


# ---------------------------------------------------------------------------------
# Headers to canonical columns


def _aliases(column: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((column, *COLUMN_ALIASES.get(column, ()))))


_COLUMN_BY_ALIAS: dict[str, set[str]] = {}
for _column, _names in COLUMN_ALIASES.items():
    for _name in (_column, *_names):
        _COLUMN_BY_ALIAS.setdefault(normalize(_name), set()).add(_column)


def _snake(header: str) -> str:
    """An unknown header as a usable column name: 'Gross Margin (%)' → 'gross_margin'."""
    return re.sub(r"\W+", "_", header.strip().casefold()).strip("_")


def _find_header_row(table: str, grid: _Grid, source: Source | None) -> int:
    """The row holding the headers: the one naming most known columns of the table.

    Exports often put a title and a blank line above the header; the first
    non-empty row is used when no row names a known column.
    """
    body = grid.frame
    if grid.typed:
        return 1
    if body.height == 0:
        return 0
    top = body.head(_HEADER_SEARCH_ROWS)
    cells = [c for c in top.columns if c not in (ROW, FIELDS)]
    wanted = {
        normalize(alias)
        for column in (*REQUIRED_COLUMNS[table], *KNOWN_COLUMNS[table])
        for alias in _aliases(column)
    }
    if source is not None:
        wanted |= {normalize(header) for header in source.columns.values()}
    scores = top.select(
        pl.col(ROW),
        pl.sum_horizontal(
            _normalized(pl.col(c)).is_in(sorted(wanted)).fill_null(False).cast(pl.Int32)
            for c in cells
        ).alias("known"),
        pl.sum_horizontal(pl.col(c).is_not_null().cast(pl.Int32) for c in cells).alias("filled"),
    ).filter(pl.col("filled") > 0)
    if scores.height == 0:
        return 0
    best = scores.sort(["known", ROW], descending=[True, False]).row(0, named=True)
    return int(best[ROW]) if best["known"] > 0 else int(scores[ROW][0])


def _normalized(text: pl.Expr) -> pl.Expr:
    """``normalize`` as an expression: no whitespace or underscores, case folded."""
    return text.str.replace_all(r"[\s_]", "").str.to_lowercase()


@dataclass(frozen=True)
class _Columns:
    """Grid column → canonical name, and canonical name → original header."""

    names: dict[str, str]
    headers: dict[str, str]


def _map_columns(
    table: str, place: _Place, headers: dict[str, str], source: Source | None, notes: list[Msg]
) -> _Columns:
    """Name every column: explicit ``sources`` mapping, then aliases, then the header itself."""
    names: dict[str, str] = {}
    by_norm: dict[str, list[str]] = {}
    for cell, header in headers.items():
        by_norm.setdefault(normalize(header), []).append(cell)
    problems: list[Problem] = []
    if source is not None:
        for column, header in source.columns.items():
            cells = [c for c in by_norm.get(normalize(header), []) if c not in names]
            if not cells:
                problems.append(
                    Problem(
                        f"sources.{table}.columns.{column}",
                        msg(
                            "read.no_header",
                            header=header,
                            place=place.label,
                            headers=tuple(headers.values()),
                        ),
                        did_you_mean(header, list(headers.values())),
                    )
                )
                continue
            names[cells[0]] = column
    if problems:
        raise DataError(problems)
    for column in (*REQUIRED_COLUMNS[table], *KNOWN_COLUMNS[table]):
        if column in names.values():
            continue
        matches = list(
            dict.fromkeys(
                cell
                for alias in _aliases(column)
                for cell in by_norm.get(normalize(alias), [])
                if cell not in names
            )
        )
        if matches:
            names[matches[0]] = column
            for other in matches[1:]:
                chosen = headers[matches[0]]
                notes.append(
                    msg(
                        "note.two_headers",
                        place=place.label,
                        chosen=chosen,
                        other=headers[other],
                        column=column,
                        table=table,
                    )
                )
    used = set(names.values())
    for cell, header in headers.items():
        if cell in names:
            continue
        claims = _COLUMN_BY_ALIAS.get(normalize(header), set())
        name = next(iter(claims)) if len(claims) == 1 else _snake(header)
        base, n = name, 2
        while name in used or name == ROW or not name:
            name, n = f"{base or 'column'}_{n}", n + 1
        names[cell] = name
        used.add(name)
    return _Columns(names, {names[cell]: header for cell, header in headers.items()})


def _merged(place: _Place, header_row: int) -> tuple[str, ...]:
    """The merged cells of a workbook's header row: why a column has no header of its own."""
    if place.path.suffix.lower() not in ZIPPED_WORKBOOKS:
        return ()
    return merged_header(place.path, place.sheet, header_row)


def _check_required(table: str, place: _Place, columns: _Columns, merged: tuple[str, ...]) -> None:
    present = set(columns.names.values())
    missing = [column for column in REQUIRED_COLUMNS[table] if column not in present]
    problems = [_missing_column(table, place, column, columns, merged) for column in missing]
    if table == "adjustments" and "points" not in present and not {"kpi", "value"} <= present:
        problems.append(
            Problem(
                place.label,
                msg("read.adjustments_columns", headers=tuple(columns.headers.values())),
                msg("read.accepted_points", accepted=tuple(_aliases("points"))),
            )
        )
    if problems:
        raise DataError(problems)


def _missing_column(
    table: str, place: _Place, column: str, columns: _Columns, merged: tuple[str, ...]
) -> Problem:
    accepted = _aliases(column)
    known = set(REQUIRED_COLUMNS[table]) | set(KNOWN_COLUMNS[table])
    loose = [header for name, header in columns.headers.items() if name not in known]
    before: str | Msg = ""
    for header in loose:
        suggestion = did_you_mean(header, accepted)
        if suggestion:
            before = msg("read.header_hint", header=header, suggestion=suggestion)
            break
    hint = msg("read.rename_header", before=before, table=table, column=column)
    if merged:
        hint = joined(msg("sheet.merged_header", ranges=merged), hint)
    return Problem(
        place.label,
        msg(
            "read.missing_column",
            table=table,
            column=column,
            headers=tuple(columns.headers.values()) or msg("none"),
            accepted=tuple(accepted),
        ),
        hint,
    )


# ---------------------------------------------------------------------------------
# Typing the values


def _parse(column: pl.Series, table: str, source: Source | None) -> values.Parsed:
    """The typed value of one column of text, by what the column is (SPEC §2)."""
    name = column.name
    if name in DATE_COLUMNS:
        date_format = source.date_format if source is not None else None
        return values.parse_date(column, date_format=date_format)
    if name in MONEY_COLUMNS:
        return values.parse_money(column)
    if name in NUMBER_COLUMNS:
        return values.parse_number(column, percent=name in PERCENT_COLUMNS)
    if name in PERIOD_COLUMNS:
        return values.parse_period(column)
    if name not in COLUMN_ALIASES and values.is_numeric(column):
        return values.parse_number(column, percent=True)
    return values.parse_text(column)


# A whole number below this reads the same stored or as text: its text has at most
# 15 characters, so the parsers' fast tier takes it as it is (values.EXCEL_DIGITS).
_WHOLE_LIMIT = 10 ** (values.EXCEL_DIGITS - 2)
# Text that cleaning or parse_text would change: surrounding space, '123.0', '#N/A'.
_TEXT_TO_CLEAN = r"^\s|\s$|^-?[0-9]+\.0+$|^#"


def _as_stored(raw: pl.Series, name: str) -> pl.Series | None:
    """A Parquet column's typed values where its stored type settles them exactly as its
    text would be parsed, null for the cells it does not (they are read as text); None
    when the stored type settles nothing (the whole column is read as text).

    Only these are taken as stored: dates (Date, Datetime without a time zone, within
    the years a sale can have), whole numbers and decimals of at most 6 places for
    amounts and numbers (short enough that a spreadsheet shows every digit), and text
    that needs no cleaning. Floats, text in a date or number column, and everything
    else go through the text parsers, so a bad value is reported as it is in a CSV.
    """
    dtype = raw.dtype
    whole = dtype.is_integer()
    decimal = isinstance(dtype, pl.Decimal) and (dtype.scale or 0) <= 6
    if name in DATE_COLUMNS:
        if dtype == pl.Date:
            date = pl.lit(raw)
        elif isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
            date = pl.lit(raw).dt.date()
        else:
            return None
        in_range = date.dt.year().is_between(values.MIN_YEAR, values.MAX_YEAR)
        return pl.select(pl.when(in_range).then(date).alias(name)).to_series()
    if name in MONEY_COLUMNS or name in NUMBER_COLUMNS or name not in COLUMN_ALIASES:
        if name in PERIOD_COLUMNS or not (whole or (decimal and name in MONEY_COLUMNS)):
            return None
        scale = (dtype.scale or 0) if isinstance(dtype, pl.Decimal) else 0
        limit = _WHOLE_LIMIT // 10**scale
        short = pl.lit(raw).is_between(-limit + 1, limit - 1)
        known = name in MONEY_COLUMNS or name in NUMBER_COLUMNS
        # An unknown column is a number only when every value is one (values.is_numeric).
        if not known and not pl.select(short.all()).item():
            return None
        target = values.MONEY if name in MONEY_COLUMNS else pl.Float64
        return pl.select(pl.when(short).then(pl.lit(raw)).cast(target).alias(name)).to_series()
    if name in PERIOD_COLUMNS or dtype != pl.String:
        return None
    plain = ~raw.str.contains(_TEXT_TO_CLEAN) & (raw.str.len_bytes() > 0)
    if plain.all():
        return raw
    return pl.select(pl.when(pl.lit(plain)).then(pl.lit(raw)).alias(name)).to_series()


@dataclass(frozen=True)
class _Typed:
    """A column typed: its values, why cells failed (None: none did) and which were empty."""

    value: pl.Series
    error: pl.Series | None
    empty: pl.Series


def _parse_column(raw: pl.Series, typed: bool, table: str, source: Source | None) -> _Typed:
    """A grid column typed: text parsed; a Parquet column taken as stored where its type
    settles the value, and only its other cells parsed as text (SPEC §2). The values are
    one chunk, as the row numbers are: later steps copy a frame chunked unequally."""
    found = _parse_cells(raw, typed, table, source)
    return dataclasses.replace(found, value=found.value.rechunk())


def _parse_cells(raw: pl.Series, typed: bool, table: str, source: Source | None) -> _Typed:
    stored = _as_stored(raw, raw.name) if typed else None
    if stored is None:
        text = _as_text(raw, typed)
        parsed = _parse(text, table, source)
        return _Typed(parsed.value, _some(parsed.error), text.is_null())
    rest = (stored.is_null() & raw.is_not_null()).arg_true()
    if len(rest) == 0:
        return _Typed(stored, None, raw.is_null())
    text = _as_text(raw.gather(rest), typed)
    parsed = _parse(text, table, source)
    value = stored.scatter(rest, parsed.value.cast(stored.dtype))
    error = pl.repeat(None, len(raw), dtype=pl.String, eager=True).scatter(rest, parsed.error)
    empty = raw.is_null().scatter(rest, text.is_null())
    return _Typed(value.alias(raw.name), _some(error), empty)


def _some(error: pl.Series) -> pl.Series | None:
    return error if error.null_count() < len(error) else None


def _read_table(
    table: str, place: _Place, grid: _Grid, source: Source | None, notes: list[Msg]
) -> tuple[Table, list[RowProblem], int] | None:
    """One table from its loaded place: header found, columns named and typed, bad rows
    out. Each column's text is let go once it is typed (kept only where its problems
    need it), so that text and values are not held side by side for the whole table."""
    if grid.hidden:
        notes.append(msg("note.hidden_sheet", place=place.label, table=table))
    header_row = _find_header_row(table, grid, source)
    frame = grid.frame
    if header_row == 0:
        if table == "sales":
            raise DataError([Problem(place.label, msg("read.sales_empty"))])
        notes.append(msg("note.empty_table", place=place.label, table=table))
        return None
    cells = [c for c in frame.columns if c not in (ROW, FIELDS)]
    if grid.headers is not None:
        raw_headers: tuple[str | None, ...] = grid.headers
        body = frame
    else:
        # The rows are numbered 1, 2, … in order: the header's row and those above it
        # are a slice, not a filtered copy.
        above = frame.head(header_row - 1).select(cells)
        if above.height and above.select(pl.any_horizontal(pl.all().is_not_null()).any()).item():
            notes.append(msg("note.header_below", place=place.label, row=header_row))
        header_values = frame.slice(header_row - 1, 1).select(cells)
        raw_headers = header_values.row(0) if header_values.height else (None,) * len(cells)
        body = frame.slice(header_row)
        del above, header_values  # slices hold the whole columns
    schema = frame.schema
    if cells:
        present = body.select(
            *(_present(pl.col(c), schema[c], grid).alias(c) for c in cells),
        )
        filled_row = present.select(pl.any_horizontal(pl.all()).alias("filled")).to_series()
        if not filled_row.all():
            body = body.filter(filled_row)
            present = present.filter(filled_row)
        filled = present.select(pl.all().any()).row(0)
    else:
        filled = ()
    headers: dict[str, str] = {}
    beyond: list[str] = []  # CSV cells right of the header: a line with more fields than it
    unnamed: list[str] = []  # sheet columns with values and no header
    wider = _wider_lines(frame, body, header_row)
    # The cell just right of the header line's last field is where a wider line is reported,
    # even when the fields it has there are empty (an unquoted 1,000 before an empty column).
    first_beyond = cells[int(frame[FIELDS][header_row - 1])] if wider is not None else None
    for cell, label, header, has_data in zip(
        cells, grid.column_labels, raw_headers, filled or (False,) * len(cells), strict=True
    ):
        if header is None and not has_data and cell != first_beyond:
            continue  # a blank column
        headers[cell] = header if header is not None else f"column {label}"
        if header is None and place.kind == "csv":
            beyond.append(cell)
        elif header is None:
            unnamed.append(headers[cell])
    columns = _map_columns(table, place, headers, source, notes)
    beyond = [columns.names[cell] for cell in beyond]
    merged = _merged(place, header_row) if unnamed else ()
    _check_required(table, place, columns, merged)
    if merged:
        notes.append(
            msg("note.merged_header", place=place.label, ranges=merged, columns=tuple(unnamed))
        )

    body = body.select(ROW, *(pl.col(cell).alias(columns.names[cell]) for cell in headers))
    names = [columns.names[cell] for cell in headers]
    rows = body[ROW]
    raw = {name: body[name] for name in names}
    stored_types = grid.typed
    del grid, frame, body
    key = UNIQUE_KEYS.get(table)
    typed: dict[str, _Typed] = {}
    kept: dict[str, pl.Series] = {}  # the text a problem shows: columns that can have one
    for name in names:
        column = raw.pop(name)
        typed[name] = _parse_column(column, stored_types, table, source)
        if typed[name].error is not None or name == key or table == "adjustments" or name in beyond:
            kept[name] = column
        del column
    required = set(REQUIRED_COLUMNS[table])
    found_errors = {name: t.error for name, t in typed.items() if t.error is not None}
    checked = set(found_errors)
    needs_empty = (
        required | ({"points", "kpi", "value"} if table == "adjustments" else set()) | set(beyond)
    )
    checks = pl.DataFrame(
        [
            rows,
            *(typed[name].value.alias(f"__value_{name}") for name in names),
            *(error.alias(f"__error_{name}") for name, error in found_errors.items()),
            *(typed[n].empty.alias(f"__empty_{n}") for n in names if n in needs_empty),
            *([] if wider is None else [wider.alias("__wider")]),
        ]
    )

    def error_of(name: str) -> pl.Expr:
        return pl.col(f"__error_{name}") if name in checked else pl.lit(None, pl.String)

    # (column, condition, error code): the rules beyond each cell's own value.
    rules: list[tuple[str, pl.Expr, str]] = [
        (name, pl.col(f"__empty_{name}"), "cell.empty") for name in names if name in required
    ]
    # An unquoted separator (1,000; an address) shifts a CSV line's values to the right: the
    # line is reported, never read with its values in the wrong columns.
    rules += [(name, ~pl.col(f"__empty_{name}"), "cell.beyond_header") for name in beyond]
    if first_beyond is not None:
        rules.append((columns.names[first_beyond], pl.col("__wider"), "cell.beyond_header"))
    if table == "adjustments":
        rules.append(_adjustment_rule(names, error_of))
    if key is not None:
        value = pl.col(f"__value_{key}")
        repeated = value.is_not_null() & ~value.is_first_distinct()
        rules.append((key, repeated, "cell.repeated_key"))
    for name, condition, code in rules:  # one at a time: several may refine one column
        rule = pl.when(condition).then(pl.lit(code)).otherwise(error_of(name))
        found = checks.select(rule.alias(f"__error_{name}"))
        if name in checked or found.to_series().null_count() < checks.height:
            checks = checks.with_columns(found)
            checked.add(name)
    errors = [pl.col(f"__error_{name}").is_not_null() for name in names if name in checked]
    out = checks.select(*(pl.col(f"__value_{name}").alias(name) for name in names), ROW)
    if not errors:
        return Table(table, out, place.file, place.sheet, dict(columns.headers)), [], 0
    bad = checks.select(pl.any_horizontal(errors)).to_series()
    date_format = source.date_format if source is not None else None
    problems = _row_problems(
        checks.filter(bad),
        {name: column.filter(bad) for name, column in kept.items()},
        stored_types,
        table,
        place,
        [name for name in names if name in checked],
        columns.headers,
        date_format,
    )
    good = out.filter(~bad)
    return (
        Table(table, good, place.file, place.sheet, dict(columns.headers)),
        problems,
        out.height - good.height,
    )


def _wider_lines(frame: pl.DataFrame, body: pl.DataFrame, header_row: int) -> pl.Series | None:
    """For each body row of a CSV grid, whether its line has more fields than the header line;
    None when none has (or the file's lines were never counted: none is wider than the first)."""
    if FIELDS not in frame.columns:
        return None
    wider = body[FIELDS] > frame[FIELDS][header_row - 1]
    return wider if wider.any() else None


def _adjustment_rule(
    names: list[str], error_of: Callable[[str], pl.Expr]
) -> tuple[str, pl.Expr, str]:
    """An adjustment row needs points, or a kpi and a value (SPEC §2)."""
    has_points = ~pl.col("__empty_points") if "points" in names else pl.lit(False)
    has_kpi = (
        ~pl.col("__empty_kpi") & ~pl.col("__empty_value")
        if {"kpi", "value"} <= set(names)
        else pl.lit(False)
    )
    target = "points" if "points" in names else "kpi"
    condition = ~has_points & ~has_kpi & error_of(target).is_null()
    return target, condition, "cell.adjustment_empty"


def _row_problems(
    bad: pl.DataFrame,
    raw: dict[str, pl.Series],
    typed: bool,
    table: str,
    place: _Place,
    names: list[str],
    headers: dict[str, str],
    date_format: str | None,
) -> list[RowProblem]:
    """The bad cells, each with the reason its error code gives and its value as text
    (empty where the column's text was not kept: only an empty cell is wrong there)."""
    if bad.height == 0:
        return []
    long = pl.concat(
        pl.DataFrame(
            [
                bad[ROW],
                pl.repeat(position, bad.height, dtype=pl.Int32, eager=True).alias("position"),
                (
                    _as_text(raw[name], typed).fill_null("")
                    if name in raw
                    else pl.repeat("", bad.height, dtype=pl.String, eager=True)
                ).alias("value"),
                bad[f"__error_{name}"].alias("reason"),
            ]
        ).filter(pl.col("reason").is_not_null())
        for position, name in enumerate(names)
    ).sort([ROW, "position"])
    return [
        RowProblem(
            place.file,
            place.sheet,
            row,
            headers[names[position]],
            value,
            values.reason(code, table=table, column=names[position], date_format=date_format),
        )
        for row, position, value, code in long.iter_rows()
    ]


# ---------------------------------------------------------------------------------
# The entry point


def read_inputs(paths: Sequence[Path], sources: Mapping[str, Source] | None = None) -> Inputs:
    """Read every table the inputs hold (SPEC §2), typed, with every unusable row listed.

    ``paths`` are one workbook, a folder of CSV / Parquet files, or several files;
    ``sources`` is the scheme's ``sources`` section (sheet, file, columns, date_format
    per table). Raises ``DataError`` for a problem with a whole file or table.
    """
    sources = dict(sources or {})
    opened = _Opened()
    places, notes = _discover([Path(p) for p in paths], opened)
    assigned = _assign(places, sources, [Path(p) for p in paths], notes, opened)
    tables: dict[str, Table] = {}
    problems: list[RowProblem] = []
    skipped = 0
    order = {place: i for i, place in enumerate(places)}
    ordered = sorted(assigned.items(), key=lambda item: order.get(item[1], len(order)))
    loading = _loading([place for _, place in ordered if place.kind == "sheet"], opened)
    for table, place in ordered:
        grid = loading[place].result() if place in loading else _load(place, opened)
        read = _read_table(table, place, grid, sources.get(table), notes)
        loading.pop(place, None)  # the grid goes once its table is typed
        del grid
        if read is None:
            continue
        result, found, dropped = read
        tables[table] = result
        problems.extend(found)
        skipped += dropped
    files: dict[str, InputFile] = {}
    for place in sorted(assigned.values(), key=lambda p: order.get(p, len(order))):
        if place.file not in files and any(t.file == place.file for t in tables.values()):
            size = opened.size[place.path]
            files[place.file] = InputFile(place.file, opened.sha256[place.path], size)
    return Inputs(tables, list(files.values()), problems, skipped, notes)
