"""A period's close made final, and reopened with a reason (``spm evaluate --finalize``,
``--reopen``).

A final folder's ``run.json`` says when and by whom it was finalized, and its files are
read-only. Evaluating into it again is refused; ``--reopen --reason`` moves the final run
under ``history/`` (where ``spm diff`` can compare it with the new one) in the same switch
that puts the new run in its place (``spmcli.io.staging``), and the new ``run.json`` carries
every reopening: who, when, why, and where the earlier run is.
"""

from __future__ import annotations

import getpass
import json
import stat
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from spmcli.io.manifest import MANIFEST

HISTORY = "history"


def who() -> str:
    """The user running spm, for the record ("unknown" when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def stored_manifest(folder: Path) -> Mapping[str, Any] | None:
    """The run.json of the run in ``folder``, or None when there is none (or it is unreadable)."""
    path = folder / MANIFEST
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return loaded if isinstance(loaded, dict) else None


def final_mark(folder: Path) -> Mapping[str, Any] | None:
    """``{at, by}`` when the run in ``folder`` is final, else None."""
    manifest = stored_manifest(folder)
    mark = manifest.get("final") if manifest else None
    return mark if isinstance(mark, dict) else None


def reopening(reason: str) -> dict[str, str]:
    """The reopening's record (who, when, why, and ``previous``: the ``history/<when>/``
    folder, relative to the output folder, that the final run's outputs move to when the
    new run's replace them)."""
    now = datetime.now().astimezone()
    place = Path(HISTORY) / now.strftime("%Y%m%dT%H%M%S")
    return {
        "at": now.isoformat(timespec="seconds"),
        "by": who(),
        "reason": reason,
        "previous": place.as_posix(),
    }


def earlier_reopenings(folder: Path) -> list[Mapping[str, Any]]:
    """The reopenings the run in ``folder`` records, oldest first."""
    manifest = stored_manifest(folder)
    found = manifest.get("reopened", []) if manifest else []
    return list(found) if isinstance(found, list) else []


def make_read_only(folder: Path, outputs: Sequence[str]) -> None:
    """Every file of ``outputs`` read-only (folders stay writable, so that a reopening can
    move them)."""
    for name in outputs:
        path = folder / name
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                mode = file.stat().st_mode
                file.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
