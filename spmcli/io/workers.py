"""Process pools whose workers end with the run (SPEC §6 Reliability).

A run killed outright (SIGKILL, a closed terminal, the out-of-memory killer) runs no
clean-up: its pool's workers would wait for work that never comes, each holding its share
of the rows, until the machine restarts. Every worker here watches the process that
started it and ends itself once that process is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PARENT_CHECK_SECONDS = 0.5


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` fresh (spawned) processes that end when this process ends."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_end_with,
        initargs=(os.getpid(),),
    )


def _end_with(parent: int) -> None:
    """In a worker: end at once when ``parent`` is no longer this process's parent (a
    process whose parent dies is handed to another)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="spm-parent-watch").start()
