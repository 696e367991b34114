"""What a workbook file is, looked at before any reader opens it: an .xlsx is a zip, and its
parts say whether it carries macros, links to other workbooks, or more than it could hold.

Input workbooks and returned appeal workbooks are checked alike, each with its own bound on
how far the zip may inflate; a refusal says what the file is and what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from spmcli.messages import Msg, msg

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected .xlsx, or an old .xls


def workbook_refusal(path: Path, most_inflated: int) -> Msg | None:
    """Why the .xlsx / .xlsm at ``path`` is refused before it is opened, or None."""
    with path.open("rb") as handle:
        start = handle.read(len(OLE_MAGIC))
    if start == OLE_MAGIC:
        return msg("container.encrypted")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return msg("container.not_zip")
    inflated = sum(part.file_size for part in parts)
    if inflated > most_inflated:
        return msg("container.inflates", mb=inflated // (1024 * 1024))
    names = [part.filename for part in parts]
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return msg("container.macros")
    if any(name.startswith("xl/externalLinks/") for name in names):
        return msg("container.links")
    return None
