"""Problems a user can fix, collected and reported together.

Every problem says where it is (a scheme file position or a data cell), what is
wrong and, where possible, what to do — as texts of ``spmcli.messages``, worded in
the run's language when they are shown. Commands catch ``SpmError`` and print its
problems; anything else is a bug and surfaces as a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spmcli.messages import DEFAULT_LANGUAGE, Msg, msg


@dataclass(frozen=True)
class Problem:
    """One problem with a scheme, an option or a whole table.

    ``key`` is the scheme key path the message starts with; ``loc`` the key path the
    problem is about (the loader skips checks inside parts that did not validate).
    """

    where: str
    message: Msg
    hint: Msg | None = None
    key: str = ""
    loc: tuple[str | int, ...] = ()

    def text(self, lang: str) -> str:
        message = self.message.text(lang)
        if self.key:
            message = f"{self.key}: {message}"
        text = f"{self.where}: {message}" if self.where else message
        return f"{text} — {self.hint.text(lang)}" if self.hint else text

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True)
class RowProblem:
    """A cell whose value cannot be used: file, sheet, Excel row, column header, value, reason."""

    file: str
    sheet: str
    row: int
    column: str
    value: str
    reason: Msg

    @property
    def where(self) -> Msg:
        sheet = f" [{self.sheet}]" if self.sheet else ""
        return msg("where.row", file=self.file, sheet=sheet, row=self.row, column=self.column)

    @property
    def message(self) -> Msg:
        """The whole problem as one text: where, the value and why."""
        return msg("cell.problem", where=self.where, value=repr(self.value), reason=self.reason)

    def text(self, lang: str) -> str:
        return self.message.text(lang)

    def __str__(self) -> str:
        return self.text("en")


class SpmError(Exception):
    """A user mistake; carries every problem found and the exit status to end with.

    ``lang`` is the language to word them in, when the raiser knows the run's language.
    """

    exit_code = 2

    def __init__(
        self, problems: Sequence[Problem | RowProblem] | Msg, lang: str | None = None
    ) -> None:
        self.problems: list[Problem | RowProblem] = (
            [Problem("", problems)] if isinstance(problems, Msg) else list(problems)
        )
        self.lang = lang
        super().__init__("\n".join(str(p) for p in self.problems))

    def text(self, lang: str | None = None) -> list[str]:
        """Each problem in ``lang``, else in the error's language, else the default."""
        chosen = lang or self.lang or DEFAULT_LANGUAGE
        return [p.text(chosen) for p in self.problems]


class UsageError(SpmError):
    """Bad command-line usage: exit status 2."""


class SchemeError(SpmError):
    """The scheme is invalid: exit status 2."""


class DataError(SpmError):
    """The input data is unusable: exit status 1."""

    exit_code = 1


def did_you_mean(word: str, choices: Iterable[str]) -> Msg | None:
    """A 'did you mean ...?' hint for a misspelt name, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return msg("did_you_mean", name=close[0]) if close else None
