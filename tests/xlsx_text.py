"""A workbook as plain text, for the golden snapshots in ``tests/golden/``.

Per sheet: name, dimensions, freeze panes, autofilter, merged ranges, the print settings
that are set, conditional formats, data validations, charts (read from the chart XML in
the zip, since openpyxl drops charts when it loads a workbook), column widths, and then
every non-empty cell as ``A1 | repr(value) | number_format`` (the format only when it is
not ``General``). Long tables keep their first ``KEEP_ROWS`` rows below the header and
their last row. ``mask`` turns volatile values (run time, temp paths, the command line)
into placeholders so that the text is the same on every run.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils import get_column_letter

KEEP_ROWS = 25  # rows below the header kept from a long table
WHOLE_UP_TO = 100  # a table with more rows below its header is cut

NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
R_ID = f"{{{NS['r']}}}id"

Mask = Callable[[Any], Any]


def workbook_text(path: Path, mask: Mask) -> str:
    """The whole workbook at ``path`` as text; ``mask`` maps each cell value (and each
    document property) to what is shown."""
    book = openpyxl.load_workbook(path)
    charts = charts_by_sheet(path)
    lines = [f"sheets: {book.sheetnames}"]
    lines += document_properties(path, mask)
    for ws in book.worksheets:
        lines.append("")
        lines.append(f"=== sheet {ws.title!r} ===")
        lines += sheet_settings(ws)
        for chart in charts.get(ws.title, []):
            lines += chart
        lines += cell_lines(ws, mask)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- sheet settings


def sheet_settings(ws: Any) -> list[str]:
    lines = [f"dimensions: {ws.dimensions}"]
    if ws.sheet_state != "visible":
        lines.append(f"state: {ws.sheet_state}")
    if ws.sheet_properties.tabColor is not None:
        lines.append(f"tab colour: {ws.sheet_properties.tabColor.rgb}")
    if ws.freeze_panes:
        lines.append(f"freeze panes: {ws.freeze_panes}")
    if ws.auto_filter.ref:
        lines.append(f"auto filter: {ws.auto_filter.ref}")
    if ws.merged_cells.ranges:
        merged = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
        lines.append(f"merged: {' '.join(str(r) for r in merged)}")
    lines += print_settings(ws)
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            parts = [rule.type]
            if rule.operator:
                parts.append(rule.operator)
            if rule.formula:
                parts.append(", ".join(rule.formula))
            if rule.text:
                parts.append(repr(rule.text))
            lines.append(f"conditional format: {cf.sqref} {' '.join(parts)}")
    for dv in ws.data_validations.dataValidation:
        parts = [dv.type or "any"]
        if dv.operator:
            parts.append(dv.operator)
        parts += [f for f in (dv.formula1, dv.formula2) if f is not None]
        lines.append(f"data validation: {dv.sqref} {' '.join(parts)}")
    widths = column_widths(ws)
    if widths:
        lines.append(f"column widths: {widths}")
    hidden = [k for k, d in sorted(ws.column_dimensions.items()) if d.hidden]
    if hidden:
        lines.append(f"hidden columns: {' '.join(hidden)}")
    heights = {r: d.height for r, d in sorted(ws.row_dimensions.items()) if d.height is not None}
    if heights:
        lines.append(f"row heights: {' '.join(f'{r}={h:g}' for r, h in heights.items())}")
    return lines


def print_settings(ws: Any) -> list[str]:
    setup = ws.page_setup
    found = []
    if setup.orientation:
        found.append(f"orientation={setup.orientation}")
    if setup.paperSize is not None:
        found.append(f"paper={setup.paperSize}")
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        # An absent fitToWidth/fitToHeight means 1 page (the OOXML default); 0 means "any".
        found.append(f"fitToWidth={1 if setup.fitToWidth is None else setup.fitToWidth}")
        found.append(f"fitToHeight={1 if setup.fitToHeight is None else setup.fitToHeight}")
    if setup.scale is not None:
        found.append(f"scale={setup.scale}")
    if ws.print_title_rows:
        found.append(f"title rows={ws.print_title_rows}")
    if ws.print_title_cols:
        found.append(f"title cols={ws.print_title_cols}")
    if ws.print_area:
        found.append(f"print area={ws.print_area}")
    if ws.print_options.gridLines:
        found.append("gridlines")
    for name in ("oddHeader", "oddFooter"):
        part = getattr(ws, name)
        for where in ("left", "center", "right"):
            text = getattr(part, where).text
            if text:
                found.append(f"{name}.{where}={text!r}")
    return [f"print: {' '.join(found)}"] if found else []


def column_widths(ws: Any) -> str:
    """Set widths as ``A=12.5 B:D=8``: each ``<col>`` range as openpyxl groups it."""
    shown = []
    for key, dim in sorted(
        ws.column_dimensions.items(), key=lambda kv: openpyxl.utils.column_index_from_string(kv[0])
    ):
        if not dim.customWidth or dim.width is None:
            continue
        first, last = get_column_letter(dim.min), get_column_letter(dim.max)
        where = key if first == last else f"{first}:{last}"
        shown.append(f"{where}={dim.width:g}")
    return " ".join(shown)


# --------------------------------------------------------------------------- cells


def cell_lines(ws: Any, mask: Mask) -> list[str]:
    header_rows = 1
    if ws.freeze_panes:
        header_rows = max(1, ws[ws.freeze_panes].row - 1)
    last = ws.max_row
    omitted: range | None = None
    if last - header_rows > WHOLE_UP_TO:
        omitted = range(header_rows + KEEP_ROWS + 1, last)
    lines = []
    for row in ws.iter_rows():
        r = row[0].row
        if omitted is not None and r in omitted:
            if r == omitted.start:
                lines.append(
                    f"… {len(omitted)} rows omitted (rows {omitted.start}–{omitted.stop - 1})"
                )
            continue
        for cell in row:
            if cell.value is None:
                continue
            text = f"{cell.coordinate} | {mask(cell.value)!r}"
            if cell.number_format != "General":
                text += f" | {cell.number_format}"
            if cell.hyperlink is not None:
                text += f" | link {cell.hyperlink.target or cell.hyperlink.location}"
            if cell.comment is not None:
                text += f" | comment {cell.comment.text!r}"
            lines.append(text)
    return lines


# --------------------------------------------------------------------------- the zip parts


def document_properties(path: Path, mask: Mask) -> list[str]:
    with zipfile.ZipFile(path) as z:
        if "docProps/core.xml" not in z.namelist():
            return []
        root = ElementTree.fromstring(z.read("docProps/core.xml"))
    shown = []
    for element in root:
        name = element.tag.rsplit("}", 1)[-1]
        if element.text:
            shown.append(f"{name}={mask(element.text)!r}")
    return [f"properties: {' '.join(shown)}"] if shown else []


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target part (a zip member name) of ``part``."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in z.namelist():
        return {}
    root = ElementTree.fromstring(z.read(rels))
    return {
        rel.get("Id", ""): posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        for rel in root.findall("rel:Relationship", NS)
    }


def charts_by_sheet(path: Path) -> dict[str, list[list[str]]]:
    """Sheet name → the text of each chart drawn on it (workbook → sheet → drawing → chart)."""
    found: dict[str, list[list[str]]] = {}
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        sheet_parts = _rels(z, "xl/workbook.xml")
        for sheet in book.findall("main:sheets/main:sheet", NS):
            sheet_part = sheet_parts.get(sheet.get(R_ID, ""))
            if sheet_part is None:
                continue
            for drawing_part in _rels(z, sheet_part).values():
                if "/drawings/" not in drawing_part:
                    continue
                drawing = ElementTree.fromstring(z.read(drawing_part))
                chart_parts = _rels(z, drawing_part)
                for anchor in drawing:
                    ref = anchor.find(".//c:chart", NS)
                    if ref is None:
                        continue
                    chart_part = chart_parts[ref.get(R_ID, "")]
                    where = _anchor(anchor)
                    found.setdefault(sheet.get("name", ""), []).append(
                        chart_text(z.read(chart_part), posixpath.basename(chart_part), where)
                    )
    return found


def _anchor(anchor: ElementTree.Element) -> str:
    start = anchor.find("xdr:from", NS)
    if start is None:
        return "?"
    col = int(start.findtext("xdr:col", "0", NS))
    row = int(start.findtext("xdr:row", "0", NS))
    return f"{get_column_letter(col + 1)}{row + 1}"


def _rich_text(element: ElementTree.Element | None) -> str | None:
    if element is None:
        return None
    texts = [t.text or "" for t in element.iter(f"{{{NS['a']}}}t")]
    if texts:
        return "".join(texts)
    ref = element.findtext(".//c:f", None, NS)
    return f"={ref}" if ref else None


def chart_text(xml: bytes, part: str, where: str) -> list[str]:
    root = ElementTree.fromstring(xml)
    chart = root.find("c:chart", NS)
    if chart is None:
        return [f"chart {part} at {where}: (no chart element)"]
    plot = chart.find("c:plotArea", NS)
    kinds = [] if plot is None else [p for p in plot if p.tag.endswith("Chart")]
    names = []
    for kind in kinds:
        name = kind.tag.rsplit("}", 1)[-1]
        bar_dir = kind.find("c:barDir", NS)
        if bar_dir is not None:
            name += f"({bar_dir.get('val')})"
        names.append(name)
    title = _rich_text(chart.find("c:title", NS))
    lines = [f"chart {part} at {where}: {' + '.join(names)} title={title!r}"]
    for kind in kinds:
        for series in kind.findall("c:ser", NS):
            name = _rich_text(series.find("c:tx", NS)) or series.findtext("c:tx/c:v", None, NS)
            refs = []
            for role in ("cat", "val", "xVal", "yVal"):
                ref = series.findtext(f"c:{role}//c:f", None, NS)
                if ref:
                    refs.append(f"{role}={ref}")
            lines.append(f"  series {name!r}: {' '.join(refs)}")
    if plot is not None:
        for axis in plot:
            if axis.tag.endswith("Ax"):
                axis_title = _rich_text(axis.find("c:title", NS))
                if axis_title:
                    lines.append(f"  {axis.tag.rsplit('}', 1)[-1]} title={axis_title!r}")
    return lines
