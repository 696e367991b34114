"""The one place that creates workbooks, and what every writer shares.

* **Safe workbooks.** ``atomic_workbook`` opens an xlsxwriter workbook that never
  turns text into formulas, links or numbers (a rep called ``=HYPERLINK(...)``
  or ``+1`` stays text, SPEC §6 Reliability) and that appears at its path only
  once it is complete: it is written to a hidden temporary file in the target
  folder and moved into place with ``os.replace``.
* **Figures as written** (SPEC §4 Money). The engine keeps exact values; a figure
  is rounded half away from zero only here, when it is written: money to 2
  decimals, achievements to 4, scores and weights to 2, other actuals and
  targets to 4, counts as integers. JSON and workbooks both use ``figure``.
* **Shared formats** (``Styles``), column widths that fit (CJK characters count
  double) and safe file and sheet names.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from pathlib import Path
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from spmcli.labels import label
from spmcli.scheme.model import Kpi, Scheme, Unit

WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
    "default_date_format": "yyyy-mm-dd",
    "remove_timezone": True,
}

# --------------------------------------------------------------------------- files


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path next to ``path``; moved onto ``path`` when the block succeeds.

    On any failure (including Ctrl-C) the temporary file is removed and ``path``
    is left as it was, so no reader ever sees a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise


@contextmanager
def atomic_workbook(path: Path) -> Iterator[Any]:
    """An xlsxwriter ``Workbook`` that appears at ``path`` only when complete."""
    with atomic_path(path) as temporary:
        workbook = xlsxwriter.Workbook(str(temporary), WORKBOOK_OPTIONS)
        yield workbook
        workbook.close()


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text so that ``path`` holds either the old or the whole new text."""
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")


_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_DOT_RUNS = re.compile(r"\.{2,}")
_RESERVED_STEMS = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{name}{n}" for name in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")]
)
MAX_STEM_BYTES = 120


def safe_file_stem(text: str) -> str:
    """A file name stem made from ``text`` that is safe on every OS and stays in its folder.

    Path separators, characters Windows forbids and control characters become
    ``_``; runs of dots become ``_`` (so no ``..``); leading and trailing dots and
    spaces go; Windows device names (``CON``, ``com1`` ...) get a leading ``_``;
    a long stem is cut to ``MAX_STEM_BYTES`` UTF-8 bytes and given a short hash
    of the whole text so that different long ids stay different.
    """
    stem = _UNSAFE_CHARS.sub("_", unicodedata.normalize("NFC", text))
    stem = _DOT_RUNS.sub("_", stem).strip(" .")
    if not stem:
        return "_"
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED_STEMS:
        stem = f"_{stem}"
    if len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        cut = stem.encode("utf-8")[: MAX_STEM_BYTES - 9].decode("utf-8", errors="ignore")
        stem = f"{cut.rstrip(' .')}-{digest}"
    return stem


def unique_file_stems(texts: Iterable[str]) -> dict[str, str]:
    """``safe_file_stem`` for each text, made unique ignoring case (Windows, macOS).

    Texts are taken in sorted order so that a name does not depend on ranking;
    a clash gets ``_2``, ``_3`` ... appended.
    """
    taken: set[str] = set()
    stems: dict[str, str] = {}
    for text in sorted(set(texts)):
        base = safe_file_stem(text)
        stem, n = base, 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{base}_{n}"
        taken.add(stem.casefold())
        stems[text] = stem
    return stems


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_SHEET_NAME = 31


def safe_sheet_name(text: str, taken: set[str]) -> str:
    """An Excel sheet name from ``text``: no ``[]:*?/\\``, at most 31 characters,
    not ``History``, not starting or ending with an apostrophe, and unique in
    ``taken`` ignoring case. The name is added to ``taken``.
    """
    base = _SHEET_FORBIDDEN.sub("_", text).strip().strip("'").strip() or "_"
    if base.casefold() == "history":
        base = f"{base}_"
    base = base[:MAX_SHEET_NAME].rstrip("'")
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix
    taken.add(name.casefold())
    return name


# ------------------------------------------------------------- figures as written

Figure = Literal["money", "achievement", "score", "weight", "percent", "number", "count"]

PLACES: dict[Figure, int] = {
    "money": 2,
    "achievement": 4,
    "score": 2,
    "weight": 2,
    "percent": 4,
    "number": 4,
    "count": 4,  # a count that is not a whole number keeps 4 decimals
}


def _exact(value: object, kind: str) -> Decimal | None:
    """The exact decimal behind a figure: a float through ``repr``; None for N/A."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"a {kind} figure cannot be a boolean: {value!r}")
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


def figure(value: object, kind: Figure) -> Decimal | int | None:
    """``value`` rounded half away from zero for writing; ``None`` for N/A.

    A float goes through ``repr``, the shortest text that reads back as the same
    float, which is the exact decimal the engine computed (391721.905, not the
    binary 391721.90499...). Decimals are quantized as they are. Counts that are
    whole numbers come back as ``int``. NaN and infinities are N/A.
    """
    exact = _exact(value, kind)
    if exact is None:
        return None
    if kind == "count" and exact == exact.to_integral_value():
        return int(exact)
    rounded = exact.quantize(Decimal(1).scaleb(-PLACES[kind]), rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded.is_zero() else rounded  # no "-0.00"


_WIDE_CONTEXT = Context(prec=80)


def exact_figure(value: object, min_places: int = 0) -> Decimal | None:
    """``value`` not rounded at all, for the working behind paid amounts (pay statement,
    JSON ``pay_detail``): the engine's exact decimal without trailing zeros, but with at
    least ``min_places`` decimals (2 for money). A calculator fed these figures gets the
    engine's results to the last digit."""
    exact = _exact(value, "exact")
    if exact is None:
        return None
    exact = exact.normalize(_WIDE_CONTEXT)
    if exact.is_zero():
        exact = Decimal(0)
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -min_places:
        exact = exact.quantize(Decimal(1).scaleb(-min_places), context=_WIDE_CONTEXT)
    return exact


def exact_text(value: object, min_places: int = 0, *, grouped: bool = False) -> str:
    """``exact_figure`` as text (``N/A`` for none): 100, 0.5, 74.7131296191; with
    ``grouped`` thousands are separated (391,721.905)."""
    exact = exact_figure(value, min_places)
    if exact is None:
        return "N/A"
    return format(exact, ",f" if grouped else "f")


def money_text(value: object) -> str:
    """Money as a statement writes it: 1,234.50, keeping any digit beyond the cent."""
    return exact_text(value, 2, grouped=True)


def rate_text(value: object) -> str:
    """A rate as an exact percentage: 0.02 -> 2%, 0.0125 -> 1.25%."""
    exact = exact_figure(value)
    if exact is None:
        return "N/A"
    return f"{exact_text(exact * 100)}%"


def percent_text(value: object) -> str:
    """An achievement as a percentage with one decimal, as the workbooks show it: 108.2%."""
    rounded = figure(value, "achievement")
    if rounded is None:
        return "N/A"
    return f"{Decimal(rounded) * 100:.1f}%"


def cell_number(value: object, kind: Figure) -> float | int | None:
    """``figure`` as a number a workbook cell holds."""
    rounded = figure(value, kind)
    return float(rounded) if isinstance(rounded, Decimal) else rounded


def kpi_unit(scheme: Scheme, kpi: Kpi) -> Unit:
    """The unit a KPI's actual and target are shown in; a team KPI takes its ``of`` KPI's."""
    if kpi.scope == "team" and kpi.of:
        of = next((k for k in scheme.kpis if k.id == kpi.of), None)
        if of is not None:
            return of.display_unit
    return kpi.display_unit


def kpi_description(kpi: Kpi, scheme: Scheme, lang: str) -> str:
    """What a KPI computes, in words where its kind is not a plain SQL aggregate."""
    of = next((k.title for k in scheme.kpis if k.id == kpi.of), kpi.of or "")
    if kpi.scope == "team":
        return label("desc.team", lang).format(of=of)
    if kpi.kind == "growth":
        return label("desc.growth", lang).format(of=of, vs=label(f"window.{kpi.vs}", lang))
    if kpi.kind in ("new_customers", "repurchase_rate"):
        return label(f"desc.{kpi.kind}", lang)
    if kpi.kind == "coverage":
        return label("desc.coverage", lang).format(tiers="/".join(kpi.tiers))
    if kpi.kind == "rating":
        scale = ", ".join(f"{name}={points:g}" for name, points in kpi.scale.items())
        return label("desc.rating", lang).format(item=kpi.item or "", scale=scale)
    return kpi.value or ""


def kpi_table(kpi: Kpi, scheme: Scheme) -> str:
    """The input table a KPI's figures come from."""
    if kpi.kind == "rating":
        return "ratings"
    if kpi.kind in ("new_customers", "repurchase_rate"):
        return "sales"
    if kpi.kind == "coverage":
        return "visits"
    if kpi.scope == "team" or kpi.kind == "growth":
        of = next((k for k in scheme.kpis if k.id == kpi.of), None)
        return of.table if of is not None else ""
    return kpi.table


# ------------------------------------------------------------------------ formats

NUMBER_FORMATS: dict[Figure, str] = {
    "money": "#,##0.00",
    "achievement": "0.0%",
    "percent": "0.0%",
    "score": "0.00",
    "weight": "0.00",
    "number": "#,##0.00",
    "count": "#,##0",
}
# Unrounded working figures (pay statement): cents always shown, further digits when present.
ExactKind = Literal["money", "number", "rate"]
EXACT_FORMATS: dict[ExactKind, str] = {
    "money": "#,##0.00######",
    "number": "#,##0.00############",
    "rate": "0.0#####%",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
HEADER_FILL = "#DDEBF7"
NA_FONT = "#808080"
RED_FILL, RED_FONT = "#FFC7CE", "#9C0006"
GREEN_FILL, GREEN_FONT = "#C6EFCE", "#006100"
LOW_SCORE, HIGH_SCORE = 60, 90  # red below, green from


@dataclass(frozen=True)
class Styles:
    """The formats of one workbook; every writer uses these and no others."""

    workbook: Any
    title: Any
    header: Any
    key: Any
    na: Any
    date: Any
    datetime: Any
    numbers: dict[Figure, Any]
    bold_numbers: dict[Figure, Any]
    exact: dict[ExactKind, Any]
    red: Any
    green: Any

    @classmethod
    def of(cls, workbook: Any) -> Styles:
        add = workbook.add_format
        return cls(
            workbook=workbook,
            title=add({"bold": True, "font_size": 14}),
            header=add(
                {
                    "bold": True,
                    "bg_color": HEADER_FILL,
                    "bottom": 1,
                    "valign": "top",
                    "text_wrap": True,
                }
            ),
            key=add({"bold": True}),
            na=add({"font_color": NA_FONT, "align": "right"}),
            date=add({"num_format": "yyyy-mm-dd"}),
            datetime=add({"num_format": DATETIME_FORMAT}),
            numbers={k: add({"num_format": f}) for k, f in NUMBER_FORMATS.items()},
            bold_numbers={
                k: add({"num_format": f, "bold": True}) for k, f in NUMBER_FORMATS.items()
            },
            exact={k: add({"num_format": f}) for k, f in EXACT_FORMATS.items()},
            red=add({"bg_color": RED_FILL, "font_color": RED_FONT}),
            green=add({"bg_color": GREEN_FILL, "font_color": GREEN_FONT}),
        )


# ------------------------------------------------------------------------- widths

MIN_WIDTH, MAX_WIDTH = 6.0, 60.0


def display_width(text: str) -> int:
    """Columns ``text`` takes on screen: wide (CJK, full-width) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def number_width(value: float | int, kind: Figure) -> int:
    """Characters a number takes in its number format."""
    if kind in ("achievement", "percent"):
        return len(f"{value * 100:.1f}%")
    if kind == "count" and isinstance(value, int):
        return len(f"{value:,}")
    if kind in ("score", "weight"):
        return len(f"{value:.2f}")
    return len(f"{value:,.2f}")


class SheetWriter:
    """Writes typed cells on one worksheet and remembers how wide each column must be."""

    def __init__(self, worksheet: Any, styles: Styles, locale: str) -> None:
        self.ws = worksheet
        self.styles = styles
        self.locale = locale
        self.widths: dict[int, float] = {}

    def fit(self, col: int, width: float) -> None:
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def text(self, row: int, col: int, value: str | None, fmt: Any = None) -> None:
        """A text cell (never a formula); ``None`` leaves the cell empty."""
        if value is None or value == "":
            return
        self.ws.write_string(row, col, value, fmt)
        self.fit(col, max(display_width(line) for line in value.split("\n")))

    def header(self, row: int, col: int, values: Iterable[str]) -> None:
        for offset, value in enumerate(values):
            self.ws.write_string(row, col + offset, value, self.styles.header)
            self.fit(col + offset, display_width(value) + 2)  # room for the filter button

    def number(
        self,
        row: int,
        col: int,
        value: object,
        kind: Figure,
        *,
        na: bool = True,
        bold: bool = False,
    ) -> None:
        """A figure rounded for writing; N/A (grey text, never 0) or empty when it has none."""
        written = cell_number(value, kind)
        if written is None:
            if na:
                self.ws.write_string(row, col, "N/A", self.styles.na)
                self.fit(col, 3)
            return
        if kind == "count" and not isinstance(written, int):
            kind = "number"  # a fractional count keeps its decimals on screen
        fmt = (self.styles.bold_numbers if bold else self.styles.numbers)[kind]
        self.ws.write_number(row, col, written, fmt)
        self.fit(col, number_width(written, kind))

    def exact(self, row: int, col: int, value: object, kind: ExactKind) -> None:
        """An unrounded working figure (``exact_figure``); N/A when it has none."""
        written = exact_figure(value)
        if written is None:
            self.ws.write_string(row, col, "N/A", self.styles.na)
            self.fit(col, 3)
            return
        self.ws.write_number(row, col, float(written), self.styles.exact[kind])
        shown = rate_text(written) if kind == "rate" else exact_text(written, 2, grouped=True)
        self.fit(col, len(shown))

    def integer(self, row: int, col: int, value: int | None) -> None:
        if value is None:
            return
        self.ws.write_number(row, col, value, self.styles.numbers["count"])
        self.fit(col, len(f"{value:,}"))

    def datetime(self, row: int, col: int, value: Any) -> None:
        self.ws.write_datetime(row, col, value, self.styles.datetime)
        self.fit(col, 19)

    def date(self, row: int, col: int, value: Any) -> None:
        self.ws.write_datetime(row, col, value, self.styles.date)
        self.fit(col, 10)

    def apply_widths(self, minimum: float = MIN_WIDTH, maximum: float = MAX_WIDTH) -> None:
        """Set every used column's width to fit its widest cell, within bounds."""
        for col, width in sorted(self.widths.items()):
            self.ws.set_column(col, col, min(max(width + 1.5, minimum), maximum))

    def colour_scores(self, first_row: int, last_row: int, columns: Iterable[int]) -> None:
        """Red below 60 and green from 90, on numeric cells only (N/A text stays grey)."""
        if last_row < first_row:
            return
        for col in columns:
            top = xl_rowcol_to_cell(first_row, col)
            for test, fmt in (
                (f"<{LOW_SCORE}", self.styles.red),
                (f">={HIGH_SCORE}", self.styles.green),
            ):
                self.ws.conditional_format(
                    first_row,
                    col,
                    last_row,
                    col,
                    {
                        "type": "formula",
                        "criteria": f"=AND(ISNUMBER({top}),{top}{test})",
                        "format": fmt,
                    },
                )
