"""Files that appear whole or not at all, under names that cannot leave their folder.

``atomic_path`` writes to a hidden temporary file beside the target and moves it into
place with ``os.replace``; ``safe_file_stem`` turns a rep id or name into a file name that
is safe on every OS (SPEC §6 Reliability).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


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


_LEFTOVER = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")


def remove_leftovers(folder: Path) -> int:
    """Remove the temporary files of a run that was killed before it could (``atomic_path``
    names them ``.<name>.<12 hex>.tmp``); how many. Called while holding the folder's lock,
    so no live run owns them."""
    removed = 0
    for path in folder.rglob(".*.tmp") if folder.is_dir() else ():
        if path.is_file() and _LEFTOVER.match(path.name):
            with suppress(OSError):
                path.unlink()
                removed += 1
    return removed


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
