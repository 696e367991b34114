"""A command's outputs replaced as one set: the output folder holds the previous complete
run of a command or the new complete one, never a mix (SPEC §6 Reliability).

A run writes its outputs into a hidden ``.spm-staging-<12 hex>/`` inside the output folder.
When they are all written it adds a journal (``.spm-switch.json``: the entries the command
owns, the ones it made, where the old ones go) and renames the folder to
``.spm-switch-<12 hex>/``: that rename is the commit point. Then each old entry is moved
into the switch folder's ``.trash/`` (or ``aside``, e.g. ``history/<when>/``), each new
one renamed into place, and the switch folder deleted. Every step is a rename within one
file system, so a run killed at any moment leaves either a staging folder (the new run
never happened: the next run deletes it) or a switch folder (the new run is complete: the
next run finishes the switch from its journal, which is removed only once every entry is
in place). Both happen under the folder's lock. Ctrl-C during the switch waits for it to end.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from spmcli.io.files import write_text_atomic

STAGING = ".spm-staging-"
SWITCH = ".spm-switch-"
JOURNAL = ".spm-switch.json"
TRASH = ".trash"


@contextmanager
def staged(folder: Path, owned: Sequence[str], *, aside: Path | None = None) -> Iterator[Path]:
    """A staging folder for the block to write into; when the block succeeds, the entries
    ``owned`` (paths relative to ``folder``) made there replace those in ``folder``, and the
    owned entries the block did not make are removed. The old entries go to ``aside`` when
    given (kept), else are deleted. On failure the staging folder goes and ``folder`` is
    untouched. Call it holding the folder's lock."""
    token = secrets.token_hex(6)
    staging = folder / f"{STAGING}{token}"
    staging.mkdir(parents=True)
    try:
        yield staging
        made = [name for name in owned if os.path.lexists(staging / name)]
        journal = {
            "owned": list(owned),
            "made": made,
            "aside": None if aside is None else aside.relative_to(folder).as_posix(),
        }
        write_text_atomic(staging / JOURNAL, json.dumps(journal, ensure_ascii=False) + "\n")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    switching = folder / f"{SWITCH}{token}"
    with _ctrl_c_deferred():
        os.replace(staging, switching)  # the commit point
        finish_switch(folder, switching)


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Ctrl-C waits for the few renames of a switch, then ends the run as it would have, so
    that an interrupted run leaves the old set or the new one, not a switch to finish.
    (Python's signal handlers belong to the main thread; elsewhere nothing is deferred.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        signal.raise_signal(signal.SIGINT)


def finish_switch(folder: Path, switching: Path) -> None:
    """Move the old entries out and the new ones in, as ``switching``'s journal says, then
    delete it. Each step is skipped when already done, so a switch killed halfway is
    finished by calling this again."""
    try:
        journal = json.loads((switching / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:  # removed once every entry was switched: only deleting was left
        shutil.rmtree(switching)
        return
    made = set(journal["made"])
    old_place = folder / journal["aside"] if journal["aside"] else switching / TRASH
    for name in journal["owned"]:
        new, current = switching / name, folder / name
        if name in made and not os.path.lexists(new):
            continue  # already switched in: what is at ``current`` is the new entry
        if os.path.lexists(current):
            kept = old_place / name
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(current, kept)
        if name in made:
            current.parent.mkdir(parents=True, exist_ok=True)
            os.replace(new, current)
    (switching / JOURNAL).unlink()
    shutil.rmtree(switching)


def recover_switches(folder: Path) -> None:
    """What killed runs left in ``folder``: staging folders are deleted (that run never
    completed), interrupted switches finished (that run had). Call it holding the lock."""
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path.name.startswith(SWITCH) and path.is_dir():
            finish_switch(folder, path)
        elif path.name.startswith(STAGING) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
