"""What a workbook file is, looked at before any reader opens it: an .xlsx is a zip, and its
parts say whether it is a workbook at all, carries macros or links to other workbooks, or
holds more than it could.

Input workbooks and returned appeal workbooks are checked alike, each with its own bound on
how far the zip may inflate; a refusal says what the file is and what to do with it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from spmcli.encodings import decode_text
from spmcli.messages import Msg, msg

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected .xlsx, or an old .xls
ZIP_MAGIC = b"PK"
_SNIFF = 4096  # bytes looked at to tell a web page or text file from other files
_CONTENT_TYPES = "[Content_Types].xml"
_TYPES_READ = 1 << 20  # bytes of it read at most: a workbook's has a few hundred
# The content type of an Excel workbook's main part: ...spreadsheetml.sheet.main+xml (.xlsx),
# ...ms-excel.sheet.macroEnabled.main+xml (.xlsm), templates alike. A Word file names its own
# (and only the type of an embedded workbook, for a chart, is spreadsheetml without 'main').
_WORKBOOK_MAIN = re.compile(rb"(?:spreadsheetml|ms-excel)\.[a-z.]*main", re.IGNORECASE)


def workbook_refusal(path: Path, most_inflated: int) -> Msg | None:
    """Why the .xlsx / .xlsm at ``path`` is refused before it is opened, or None."""
    with path.open("rb") as handle:
        start = handle.read(_SNIFF)
    if start.startswith(OLE_MAGIC):
        return msg("container.encrypted")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            inflated = sum(part.file_size for part in parts)
            if inflated > most_inflated:
                return msg("container.inflates", mb=inflated // (1024 * 1024))
            names = [part.filename for part in parts]
            types = b""
            if _CONTENT_TYPES in names:
                with archive.open(_CONTENT_TYPES) as part:
                    types = part.read(_TYPES_READ)
    except (zipfile.BadZipFile, zlib.error, OSError):
        return _not_a_zip(start)
    if not _WORKBOOK_MAIN.search(types):
        return msg("container.not_workbook")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return msg("container.macros")
    if any(name.startswith("xl/externalLinks/") for name in names):
        return msg("container.links")
    return None


def _not_a_zip(start: bytes) -> Msg:
    """What a file that should be a zip is instead, from its first bytes: a zip cut short
    (or nothing at all), a web page or text under a workbook's name, or something else."""
    if not start or start.startswith(ZIP_MAGIC):
        return msg("container.truncated")
    text = _as_text(start)
    if text is None:
        return msg("container.not_zip")
    web = text.lstrip("\ufeff \t\r\n").startswith("<")
    return msg("container.web_page" if web else "container.text")


def _as_text(start: bytes) -> str | None:
    """The first bytes of a file as text, None if they are not (the sniffed bytes may end
    inside a character, so up to three of the last ones may be left out)."""
    if b"\0" in start:
        return None
    decoded = (decode_text(start[: len(start) - cut]) for cut in range(4))
    return next((text for text in decoded if text is not None), None)
