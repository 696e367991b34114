"""How text files from Chinese and Western Windows are decoded: the scheme and CSV inputs."""

from __future__ import annotations


def decode_text(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 — what Excel and Notepad on a Chinese
    Windows save (GB18030 is a superset of GBK); None when it is neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
