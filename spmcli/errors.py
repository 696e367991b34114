"""Problems a user can fix, collected and reported together.

Every problem says where it is (a scheme file position or a data cell), what is
wrong and, where possible, what to do. Commands catch ``SpmError`` and print
its problems; anything else is a bug and surfaces as a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem with a scheme, an option or a whole table."""

    where: str
    message: str
    hint: str = ""
    loc: tuple[str | int, ...] = ()  # the scheme key path it is about, if any

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} — {self.hint}" if self.hint else text


@dataclass(frozen=True)
class RowProblem:
    """A cell whose value cannot be used: file, sheet, Excel row, column header, value, reason."""

    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: str

    @property
    def where(self) -> str:
        sheet = f" [{self.sheet}]" if self.sheet else ""
        return f"{self.file}{sheet} row {self.row}, column '{self.column}'"

    def __str__(self) -> str:
        return f"{self.where}: {self.value!r} {self.reason}"


class SpmError(Exception):
    """A user mistake; carries every problem found and the exit status to end with."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem | RowProblem] | str) -> None:
        self.problems: list[Problem | RowProblem] = (
            [Problem("", problems)] if isinstance(problems, str) else list(problems)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(SpmError):
    """Bad command-line usage: exit status 2."""


class SchemeError(SpmError):
    """The scheme is invalid: exit status 2."""


class DataError(SpmError):
    """The input data is unusable: exit status 1."""

    exit_code = 1


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean ...?' hint for a misspelt name, or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
