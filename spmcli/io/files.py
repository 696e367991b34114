"""Facts about input files that several readers need: their text and their fingerprint."""

from __future__ import annotations

import hashlib
from pathlib import Path


def decode_text(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 — what Excel and Notepad on a Chinese
    Windows save (GB18030 is a superset of GBK); None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def sha256_of(path: Path) -> str:
    """The file's SHA-256, read in blocks, for the run sheet's record of the inputs."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
