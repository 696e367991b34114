"""A small xlsx writer for the thousands of rep workbooks (SPEC §5, §6 Performance).

A close writes one workbook per rep: a scorecard, a pay statement and the source rows,
2,000 of them at bench scale. xlsxwriter spent most of that time on its per-cell
machinery and on features these workbooks never use; the Rust-backed writers measured
lack per-cell formats and formula conditional formats. This module writes exactly what a
rep workbook holds, through the xlsxwriter calls ``spmcli.io.excel.SheetWriter`` makes
(``write_string``, ``write_number``, ``set_column``, ``conditional_format`` …): the same
writing code runs on either library, and only the table bodies are this writer's own. It writes

* cells: text (always an inline string, never a formula: ``=1+1`` stays text), numbers,
  dates, internal links; formats (font, fill, bottom border, alignment, number format);
* sheets: column widths, frozen panes, an autofilter, formula conditional formats, and
  the print setup (A4, orientation, fit to pages, repeated rows and columns, header and
  footer);
* table bodies (``table_bodies``): the rows of many sheets made as sheet XML in one polars
  pass, written after the cells above them.

Text is escaped as xlsxwriter escapes it (``&<>``; control characters as ``_xHHHH_``, a
literal ``_xHHHH_`` with its underscore escaped), so it reads back byte for byte; the
read-back tests compare every cell with xlsxwriter's. The parts are deflated at level 1:
a third of the time of the default level for files about 15 % larger.
"""

from __future__ import annotations

import functools
import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import polars as pl
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell_fast

from spmcli.io.files import atomic_path

MAX_TEXT = 32_767  # characters a cell holds; xlsxwriter cuts longer text there too
EXCEL_EPOCH = date(1899, 12, 31)  # serial 1 is 1900-01-01
PHANTOM_LEAP_DAY = 59  # serials after it count Excel's non-existent 1900-02-29
# Escaped as _xHHHH_, as xlsxwriter does: a carriage return too (XML reads \r\n back as \n).
_CONTROL = [chr(c) for c in range(32) if chr(c) not in "\t\n"] + ["\ufffe", "\uffff"]
_ESCAPE_FROM = ["&", "<", ">", *_CONTROL]
_ESCAPE_TO = ["&amp;", "&lt;", "&gt;", *[f"_x{ord(c):04X}_" for c in _CONTROL]]
_ESCAPED_LITERAL = r"(_x[0-9a-fA-F]{4}_)"
_CONTROL_CHARACTERS = re.compile("[" + "".join(_CONTROL) + "]")
_ROW = "_body_row"
LINK_FORMAT = {"font_color": "#0563C1", "underline": True}  # Excel's Hyperlink style
COMPRESS_LEVEL = 1
MAX_DIGIT_WIDTH, CELL_PADDING = 7, 5  # pixels, Calibri 11: column widths as Excel sizes them

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_MARGINS = (
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# -------------------------------------------------------------------------- text


def cell_text(text: str) -> str:
    """``text`` as the XML of an inline string's ``<t>`` element, as xlsxwriter escapes it."""
    text = text[:MAX_TEXT]
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<t{space}>{_escaped(text)}</t>"


def _escaped(text: str) -> str:
    """Text as XML character data that reads back as it is, as xlsxwriter escapes it."""
    if "_x" in text:
        text = re.sub(_ESCAPED_LITERAL, r"_x005F\1", text)
    text = escape(text)
    if _CONTROL_CHARACTERS.search(text):
        text = _CONTROL_CHARACTERS.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _attr(text: str) -> str:
    return quoteattr(_CONTROL_CHARACTERS.sub("", text))


def excel_serial_of(value: date | datetime) -> float:
    """A date or date-time (its time zone dropped) as the Excel serial number it shows as."""
    if isinstance(value, datetime):
        since = value.replace(tzinfo=None) - datetime.combine(EXCEL_EPOCH, time())
        days = since.days + (since.seconds + since.microseconds / 1e6) / 86_400
    else:
        days = (value - EXCEL_EPOCH).days
    return days + 1 if days > PHANTOM_LEAP_DAY else days


def _area(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    first: str = xl_rowcol_to_cell_fast(first_row, first_col)
    if (first_row, first_col) == (last_row, last_col):
        return first
    return f"{first}:{xl_rowcol_to_cell_fast(last_row, last_col)}"


def _defined(name: str, sheet: int, value: str, hidden: str = "") -> str:
    """A name of the workbook that belongs to one sheet (its filter, its print titles)."""
    return (
        f'<definedName name="{name}" localSheetId="{sheet}"{hidden}>{escape(value)}</definedName>'
    )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


# ----------------------------------------------------------------------- formats


@dataclass(eq=False)
class Format:
    """A cell format, as xlsxwriter's ``add_format`` takes it (the keys this project uses)."""

    props: dict[str, Any]
    index: int  # into the workbook's cellXfs


_KNOWN = {
    "bold", "font_size", "font_color", "underline", "bg_color", "bottom", "valign", "align",
    "text_wrap", "num_format",
}  # fmt: skip


def _rgb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def _font(props: dict[str, Any]) -> str:
    parts = ["<b/>"] if props.get("bold") else []
    if props.get("underline"):
        parts.append("<u/>")
    parts.append(f'<sz val="{props.get("font_size", 11)}"/>')
    if "font_color" in props:
        parts.append(f'<color rgb="{_rgb(props["font_color"])}"/>')
    parts.append('<name val="Calibri"/><family val="2"/>')
    return "<font>" + "".join(parts) + "</font>"


def _fill(props: dict[str, Any]) -> str:
    colour = _rgb(props["bg_color"])
    solid = f'<patternFill patternType="solid"><fgColor rgb="{colour}"/><bgColor indexed="64"/>'
    return f"<fill>{solid}</patternFill></fill>"


_NO_FILLS = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
]
_NO_BORDER = "<border><left/><right/><top/><bottom/><diagonal/></border>"
_BOTTOM_BORDER = (
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>'
    "<diagonal/></border>"
)


def _dxf(props: dict[str, Any]) -> str:
    """A conditional format's look: its font colour and fill."""
    font = fill = ""
    if "font_color" in props:
        font = f'<font><color rgb="{_rgb(props["font_color"])}"/></font>'
    if "bg_color" in props:
        fill = f'<fill><patternFill><bgColor rgb="{_rgb(props["bg_color"])}"/></patternFill></fill>'
    return f"<dxf>{font}{fill}</dxf>"


def _index(items: list[str], item: str) -> int:
    """The position of ``item`` in ``items``, added at the end when new."""
    if item not in items:
        items.append(item)
    return items.index(item)


def _xf(
    props: dict[str, Any], codes: list[str], fonts: list[str], fills: list[str], borders: list[str]
) -> str:
    """One cell format, its font, fill, border and number format added to their lists."""
    unknown = set(props) - _KNOWN
    if unknown:
        raise ValueError(f"format properties this writer does not write: {sorted(unknown)}")
    code = props.get("num_format")
    ids = {
        "numFmtId": 0 if code is None else 164 + _index(codes, code),
        "fontId": _index(fonts, _font(props)),
        "fillId": _index(fills, _fill(props)) if "bg_color" in props else 0,
        "borderId": _index(borders, _BOTTOM_BORDER) if props.get("bottom") else 0,
    }
    align = {
        "horizontal": props.get("align"),
        "vertical": props.get("valign"),
        "wrapText": "1" if props.get("text_wrap") else None,
    }
    aligned = " ".join(f'{k}="{v}"' for k, v in align.items() if v)
    flags = ("applyNumberFormat", "applyFont", "applyFill", "applyBorder")
    applied = zip(flags, ids.values(), strict=True)
    attrs = " ".join(f'{k}="{v}"' for k, v in ids.items()) + ' xfId="0"'
    attrs += "".join(f' {flag}="1"' for flag, used in applied if used)
    if not aligned:
        return f"<xf {attrs}/>"
    return f'<xf {attrs} applyAlignment="1"><alignment {aligned}/></xf>'


Props = tuple[tuple[str, Any], ...]


def _styles(formats: Sequence[Format], dxfs: Sequence[Format]) -> str:
    """``styles.xml``: the cell formats in the order of their indexes, and the looks of the
    conditional formats."""
    return _styles_of(
        tuple(tuple(f.props.items()) for f in formats), tuple(tuple(d.props.items()) for d in dxfs)
    )


@functools.lru_cache(maxsize=4)  # the same for every rep workbook of a run
def _styles_of(formats: tuple[Props, ...], dxfs: tuple[Props, ...]) -> str:
    codes: list[str] = []
    fonts, fills, borders = [_font({})], list(_NO_FILLS), [_NO_BORDER]
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    xfs += [_xf(dict(f), codes, fonts, fills, borders) for f in formats]
    numbers = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode={_attr(c)}/>' for i, c in enumerate(codes)
    )
    parts = [
        f'<numFmts count="{len(codes)}">{numbers}</numFmts>' if codes else "",
        f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>',
        f'<fills count="{len(fills)}">{"".join(fills)}</fills>',
        f'<borders count="{len(borders)}">{"".join(borders)}</borders>',
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',
        f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>',
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
        f'<dxfs count="{len(dxfs)}">{"".join(_dxf(dict(d)) for d in dxfs)}</dxfs>',
    ]
    return f'{_HEAD}<styleSheet xmlns="{_MAIN}">{"".join(parts)}</styleSheet>'


# ------------------------------------------------------------------------ sheets


@dataclass(frozen=True)
class Body:
    """Ready-made rows of one sheet: their XML, how many they are, and the formats their
    cells name by index (checked against the workbook they go into)."""

    xml: str
    rows: int
    formats: tuple[tuple[int, Props], ...] = ()


@dataclass
class _Print:
    paper: int | None = None
    landscape: bool = False
    fit: tuple[int, int] | None = None
    rows: tuple[int, int] | None = None
    columns: tuple[int, int] | None = None
    header: str = ""
    footer: str = ""


@dataclass
class Worksheet:
    """One sheet; its methods are the xlsxwriter ones the spm writers call."""

    name: str
    book: Workbook
    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    frozen: tuple[int, int] = (0, 0)
    filter: tuple[int, int, int, int] | None = None
    conditions: list[tuple[str, str, Format]] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    printing: _Print = field(default_factory=_Print)
    body: Body | None = None
    last: tuple[int, int] = (-1, -1)  # the last row and column used

    def _put(self, row: int, col: int, xml: str) -> None:
        self.cells.setdefault(row, {})[col] = xml
        self.last = (max(self.last[0], row), max(self.last[1], col))

    @staticmethod
    def _ref(row: int, col: int, fmt: Format | None) -> str:
        style = "" if fmt is None else f' s="{fmt.index}"'
        return f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{style}'

    def write_string(self, row: int, col: int, text: str, fmt: Format | None = None) -> None:
        if text == "":  # as xlsxwriter: a blank cell only to hold a format
            if fmt is not None:
                self._put(row, col, self._ref(row, col, fmt) + "/>")
            return
        self._put(
            row, col, f'{self._ref(row, col, fmt)} t="inlineStr"><is>{cell_text(text)}</is></c>'
        )

    def write_row(
        self, row: int, col: int, texts: Sequence[str], fmt: Format | None = None
    ) -> None:
        for offset, text in enumerate(texts):
            self.write_string(row, col + offset, text, fmt)

    def write_number(self, row: int, col: int, number: float, fmt: Format | None = None) -> None:
        if not math.isfinite(number):
            raise ValueError(f"a cell cannot hold {number}")
        self._put(row, col, f"{self._ref(row, col, fmt)}><v>{number:.16G}</v></c>")

    def write_datetime(
        self, row: int, col: int, value: date | datetime, fmt: Format | None = None
    ) -> None:
        self.write_number(row, col, excel_serial_of(value), fmt)

    def write_url(self, row: int, col: int, url: str, string: str) -> None:
        """An internal link (``internal:'Sheet'!A1``), shown as ``string``."""
        if not url.startswith("internal:"):
            raise ValueError("only links inside the workbook are written")
        self.write_string(row, col, string, self.book.link_format)
        self.links.append((xl_rowcol_to_cell_fast(row, col), url.removeprefix("internal:"), string))

    def set_column(self, first: int, last: int, width: float) -> None:
        for col in range(first, last + 1):
            self.widths[col] = width

    def freeze_panes(self, rows: int, columns: int = 0) -> None:
        self.frozen = (rows, columns)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.filter = (first_row, first_col, last_row, last_col)

    def conditional_format(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: dict[str, Any]
    ) -> None:
        if options.get("type") != "formula":
            raise ValueError("only formula conditional formats are written")
        area = _area(first_row, first_col, last_row, last_col)
        self.conditions.append((area, options["criteria"].removeprefix("="), options["format"]))

    def set_paper(self, code: int) -> None:
        self.printing.paper = code

    def set_landscape(self) -> None:
        self.printing.landscape = True

    def fit_to_pages(self, width: int, height: int) -> None:
        self.printing.fit = (width, height)

    def repeat_rows(self, first: int, last: int) -> None:
        self.printing.rows = (first, last)

    def repeat_columns(self, first: int, last: int) -> None:
        self.printing.columns = (first, last)

    def set_header(self, text: str) -> None:
        self.printing.header = text

    def set_footer(self, text: str) -> None:
        self.printing.footer = text

    def set_body(self, body: Body, top: int, last_col: int) -> None:
        """Rows made by ``table_bodies`` to write below row ``top`` (the header), in a
        workbook whose formats at the indexes they name are the ones they were made with."""
        for index, props in body.formats:
            if tuple(self.book.formats[index - 1].props.items()) != props:
                raise ValueError(f"rows made for another workbook's format {index}")
        self.body = body
        self.last = (max(self.last[0], top + body.rows), max(self.last[1], last_col))

    # ------------------------------------------------------------------ the XML

    def defined_names(self, index: int) -> list[str]:
        sheet = _quoted_sheet(self.name)
        names = []
        if self.filter is not None:
            r1, c1, r2, c2 = self.filter
            area = f"{sheet}!${xl_col_to_name(c1)}${r1 + 1}:${xl_col_to_name(c2)}${r2 + 1}"
            names.append(_defined("_xlnm._FilterDatabase", index, area, ' hidden="1"'))
        titles = []
        if self.printing.columns is not None:
            a, b = (xl_col_to_name(c) for c in self.printing.columns)
            titles.append(f"{sheet}!${a}:${b}")
        if self.printing.rows is not None:
            a, b = (r + 1 for r in self.printing.rows)
            titles.append(f"{sheet}!${a}:${b}")
        if titles:
            names.append(_defined("_xlnm.Print_Titles", index, ",".join(titles)))
        return names

    def xml(self, selected: bool, dxf_of: dict[Format, int]) -> str:
        out = [f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">']
        if self.printing.fit is not None:
            out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        last_row, last_col = self.last
        used = "A1" if last_row < 0 else f"A1:{xl_rowcol_to_cell_fast(last_row, max(last_col, 0))}"
        out.append(f'<dimension ref="{used}"/><sheetViews>')
        tab = ' tabSelected="1"' if selected else ""
        out.append(f'<sheetView{tab} workbookViewId="0">')
        out.append(self._pane())
        out.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        out.append(self._columns())
        out.append("<sheetData>")
        for row in sorted(self.cells):
            cells = self.cells[row]
            out.append(f'<row r="{row + 1}">{"".join(cells[c] for c in sorted(cells))}</row>')
        if self.body is not None:
            out.append(self.body.xml)
        out.append("</sheetData>")
        if self.filter is not None:
            out.append(f'<autoFilter ref="{_area(*self.filter)}"/>')
        for priority, (area, formula, fmt) in enumerate(self.conditions, start=1):
            out.append(
                f'<conditionalFormatting sqref="{area}"><cfRule type="expression" '
                f'dxfId="{dxf_of[fmt]}" priority="{priority}"><formula>{escape(formula)}'
                "</formula></cfRule></conditionalFormatting>"
            )
        if self.links:
            out.append("<hyperlinks>")
            for ref, location, text in self.links:
                out.append(
                    f'<hyperlink ref="{ref}" location={_attr(location)} display={_attr(text)}/>'
                )
            out.append("</hyperlinks>")
        out.append(_MARGINS)
        out.append(self._page_setup())
        return "".join(out) + "</worksheet>"

    def _columns(self) -> str:
        """Column widths as Excel stores them, neighbours of one width in one element."""
        runs: list[list[int | float]] = []  # first, last, width
        for col, width in sorted(self.widths.items()):
            if runs and runs[-1][1] == col - 1 and runs[-1][2] == width:
                runs[-1][1] = col
            else:
                runs.append([col, col, width])
        out = []
        for first, last, width in runs:
            if width >= 1:
                pixels = int(width * MAX_DIGIT_WIDTH + 0.5) + CELL_PADDING
            else:
                pixels = int(width * (MAX_DIGIT_WIDTH + CELL_PADDING) + 0.5)
            stored = (pixels * 256 // MAX_DIGIT_WIDTH) / 256.0
            out.append(
                f'<col min="{first + 1}" max="{last + 1}" width="{stored:.16g}" customWidth="1"/>'
            )
        return f"<cols>{''.join(out)}</cols>" if out else ""

    def _pane(self) -> str:
        rows, cols = self.frozen
        if not rows and not cols:
            return ""
        pane = "bottomRight" if rows and cols else "bottomLeft" if rows else "topRight"
        split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
        corner = xl_rowcol_to_cell_fast(rows, cols)
        return (
            f'<pane{split} topLeftCell="{corner}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{corner}" sqref="{corner}"/>'
        )

    def _page_setup(self) -> str:
        p = self.printing
        attrs = f' paperSize="{p.paper}"' if p.paper is not None else ""
        if p.fit is not None:
            width, height = p.fit  # 1 is the default, left out
            attrs += f' fitToWidth="{width}"' if width != 1 else ""
            attrs += f' fitToHeight="{height}"' if height != 1 else ""
        attrs += f' orientation="{"landscape" if p.landscape else "portrait"}"'
        out = f"<pageSetup{attrs}/>"
        if p.header or p.footer:
            out += "<headerFooter>"
            out += f"<oddHeader>{_escaped(p.header)}</oddHeader>" if p.header else ""
            out += f"<oddFooter>{_escaped(p.footer)}</oddFooter>" if p.footer else ""
            out += "</headerFooter>"
        return out


# ---------------------------------------------------------------------- workbooks


class Workbook:
    """A workbook written to ``path`` on ``close``; the xlsxwriter calls the spm writers make."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.formats: list[Format] = []
        self.sheets: list[Worksheet] = []
        self.link_format = self.add_format(LINK_FORMAT)

    def add_format(self, props: dict[str, Any] | None = None) -> Format:
        fmt = Format(dict(props or {}), len(self.formats) + 1)
        self.formats.append(fmt)
        return fmt

    def add_worksheet(self, name: str) -> Worksheet:
        if any(s.name.casefold() == name.casefold() for s in self.sheets):
            raise ValueError(f"two sheets named {name!r}")
        sheet = Worksheet(name, self)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        dxfs: list[Format] = []
        dxf_of: dict[Format, int] = {}
        for sheet in self.sheets:
            for _, _, fmt in sheet.conditions:
                if fmt not in dxf_of:
                    dxf_of[fmt] = len(dxfs)
                    dxfs.append(fmt)
        names = [n for i, s in enumerate(self.sheets) for n in s.defined_names(i)]
        sheets = "".join(
            f'<sheet name={_attr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self.sheets, start=1)
        )
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        workbook = (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
            f'</bookViews><sheets>{sheets}</sheets>{defined}<calcPr calcId="124519"/></workbook>'
        )
        count = len(self.sheets)
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        types = (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'  # noqa: E501
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'  # noqa: E501
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'  # noqa: E501
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
                for i in range(1, count + 1)
            )
            + "</Types>"
        )
        rel = f"{_REL}/worksheet"
        book_rels = (
            f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{rel}" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, count + 1)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )
        root_rels = (
            f'{_HEAD}<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        )
        parts = {
            "[Content_Types].xml": types,
            "_rels/.rels": root_rels,
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": book_rels,
            "xl/styles.xml": _styles(self.formats, dxfs),
            **{
                f"xl/worksheets/sheet{i}.xml": s.xml(i == 1, dxf_of)
                for i, s in enumerate(self.sheets, start=1)
            },
        }
        with zipfile.ZipFile(
            self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        ) as z:
            for name, text in parts.items():
                z.writestr(
                    zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
                    text.encode(),
                    zipfile.ZIP_DEFLATED,
                    COMPRESS_LEVEL,
                )


@contextmanager
def atomic_workbook(path: Path) -> Iterator[Workbook]:
    """A ``Workbook`` that appears at ``path`` only when complete."""
    with atomic_path(path) as temporary:
        workbook = Workbook(temporary)
        yield workbook
        workbook.close()


# -------------------------------------------------------------------- table bodies


def excel_serial(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Dates and date-times as the Excel serial numbers xlsxwriter would write for them."""
    if dtype == pl.Date:
        days = (expr - pl.lit(EXCEL_EPOCH)).dt.total_days().cast(pl.Float64)
    else:
        wall = expr.dt.replace_time_zone(None).cast(pl.Datetime("us"))
        since = wall - pl.lit(EXCEL_EPOCH).cast(pl.Datetime("us"))
        days = since.dt.total_microseconds() / 86_400_000_000
    return pl.when(days > PHANTOM_LEAP_DAY).then(days + 1).otherwise(days)


def _cell(name: str, dtype: pl.DataType, col: int, style: Format | None) -> pl.Expr:
    """One cell's XML per row, empty where the value is null or empty text; text escaped
    as ``cell_text`` escapes it."""
    value = pl.col(name)
    ref = pl.lit(f'<c r="{xl_col_to_name(col)}')
    attrs = "" if style is None else f' s="{style.index}"'
    if dtype == pl.Boolean:
        body = [pl.lit(f'"{attrs} t="b"><v>'), value.cast(pl.UInt8).cast(pl.String)]
        end = "</v></c>"
    elif dtype.is_numeric():
        # Written as xlsxwriter writes them: a whole number without ".0".
        body = [pl.lit(f'"{attrs}><v>'), value.cast(pl.String).str.strip_suffix(".0")]
        end = "</v></c>"
    else:
        text = value.cast(pl.String)
        escaped = (
            text.str.slice(0, MAX_TEXT)
            .str.replace_all(_ESCAPED_LITERAL, "_x005F${1}")
            .str.replace_many(_ESCAPE_FROM, _ESCAPE_TO)
        )
        keep = pl.when(text.str.contains(r"^\s|\s$")).then(pl.lit(' xml:space="preserve"'))
        body = [
            pl.lit(f'"{attrs} t="inlineStr"><is><t'),
            keep.otherwise(pl.lit("")),
            pl.lit(">"),
            pl.when(text != "").then(escaped),
        ]
        end = "</t></is></c>"
    return pl.concat_str([ref, pl.col(_ROW), *body, pl.lit(end)]).fill_null("")


def table_bodies(
    frame: pl.DataFrame,
    key: str,
    columns: Sequence[str],
    styles: Sequence[Format | None],
    top: int,
) -> dict[Any, Body]:
    """Each ``key`` value's rows of ``frame`` as sheet XML, the first at sheet row ``top``
    (0-based), ``columns`` from column A on, column ``c`` in format ``styles[c]`` (None: no
    format) — formats of any workbook whose formats come in the same order, such as one
    made only to give them (``Styles.of``). Numbers must be finite or null; dates and
    date-times must have become serials (``excel_serial``)."""
    if frame.is_empty():
        return {}
    position = pl.int_range(pl.len()).over(key) + (top + 2)  # Excel counts rows from 1
    cells = [
        _cell(name, frame.schema[name], c, style)
        for c, (name, style) in enumerate(zip(columns, styles, strict=True))
    ]
    rows = frame.with_columns(position.cast(pl.String).alias(_ROW)).select(
        key,
        pl.concat_str(
            [pl.lit('<row r="'), pl.col(_ROW), pl.lit('">'), *cells, pl.lit("</row>")]
        ).alias("xml"),
    )
    joined = rows.group_by(key, maintain_order=True).agg(pl.col("xml").str.join(""), pl.len())
    used = {style.index: style for style in styles if style is not None}
    named = tuple((i, tuple(f.props.items())) for i, f in sorted(used.items()))
    return {k: Body(xml, n, named) for k, xml, n in joined.iter_rows()}
