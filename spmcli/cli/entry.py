"""The ``spm`` command's entry point: Ctrl-C ends any command, even while it starts, with one
line and exit status 130 (128 + SIGINT), never a traceback."""

from __future__ import annotations

import sys
from itertools import pairwise

INTERRUPTED = 130
WORDS = {"zh": "spm：已中断", "en": "spm: interrupted"}


def main() -> None:
    try:
        from spmcli.cli.app import main as run

        run()
    except KeyboardInterrupt:
        _say_interrupted()
        raise SystemExit(INTERRUPTED) from None
    except SystemExit as done:
        if done.code == INTERRUPTED:
            _say_interrupted()
        raise


def _say_interrupted() -> None:
    """One line, in English when the command line asks for English (the scheme is unknown)."""
    args = sys.argv[1:]
    english = "--lang=en" in args or ("--lang", "en") in pairwise(args)
    sys.stderr.write(WORDS["en" if english else "zh"] + "\n")
