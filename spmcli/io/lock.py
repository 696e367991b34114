"""One writer per output folder: a second spm run into the same folder is refused while the
first runs, so that two runs never interleave their files.

The lock is a file, ``.spm.lock``, created atomically (``O_EXCL``) and holding the holder's
pid, host, start time and command. A lock whose process is gone (a run killed hard, a machine
restarted) is stale: it is taken over, and the run says so.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from spmcli.errors import Problem, UsageError
from spmcli.messages import msg

LOCK = ".spm.lock"
FRESH_SECONDS = 5


@contextmanager
def output_lock(folder: Path) -> Iterator[bool]:
    """Hold ``folder``'s lock for the block; yields whether a stale lock was taken over.
    Raises ``UsageError`` when another live spm run holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    stale = False
    for _ in range(2):
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if (holder is None and _just_made(path)) or (holder is not None and _alive(holder)):
                raise UsageError(
                    [
                        Problem(
                            str(folder),
                            msg(
                                "lock.held",
                                pid=(holder or {}).get("pid", "?"),
                                started=(holder or {}).get("started", "?"),
                                command=(holder or {}).get("command", "spm"),
                            ),
                            msg("lock.wait", lock=path),
                        )
                    ]
                ) from None
            with suppress(FileNotFoundError):
                path.unlink()
            stale = True
            continue
        with os.fdopen(handle, "w", encoding="utf-8") as lock:
            json.dump(_me(), lock)
        break
    else:
        raise UsageError([Problem(str(folder), msg("lock.race"), msg("lock.wait", lock=path))])
    try:
        yield stale
    finally:
        with suppress(FileNotFoundError):
            path.unlink()


def _me() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["spm", *sys.argv[1:]]),
    }


def _holder(path: Path) -> dict[str, Any] | None:
    """The lock's holder; None when the file is unreadable (being written, or damaged)."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return holder if isinstance(holder, dict) else None


def _just_made(path: Path) -> bool:
    """A lock too young to have its holder written yet: another run is taking it now."""
    try:
        age = datetime.now().timestamp() - path.stat().st_mtime
    except OSError:
        return False
    return age < FRESH_SECONDS


def _alive(holder: dict[str, Any]) -> bool:
    """Whether the holder may still be running: a live pid on this host, or another host
    (whose processes cannot be seen from here, so its lock is respected)."""
    if holder.get("host") != socket.gethostname():
        return True
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True
