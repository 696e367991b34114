"""Where each value of a scheme was written, so that every problem names its file:line:col."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from spmcli.errors import Problem
from spmcli.messages import Msg
from spmcli.scheme.model import Scheme

Loc = tuple[str | int, ...]
Mark = tuple[int, int]


def key_path(loc: Sequence[str | int]) -> str:
    """``('kpis', 3, 'scoring', 'method')`` → ``kpis[3].scoring.method``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class SchemeFile:
    """A validated scheme with where each of its values was written.

    ``marks`` maps a key path to the 1-based (line, column) of its value;
    ``key_marks`` maps the key paths of mapping entries to the position of the key.
    """

    scheme: Scheme
    path: str
    sha256: str  # of the file's bytes, or of the built-in scheme's text
    marks: Mapping[Loc, Mark]
    key_marks: Mapping[Loc, Mark] = field(default_factory=dict)
    # Parts that did not validate and stand in as defaults or placeholders (see the loader):
    # checks of what lies inside them would report their defaults, not the user's scheme.
    broken: frozenset[Loc] = frozenset()
    text: str = ""  # the scheme as written, for the run record
    left_out: frozenset[Loc] = frozenset()  # the values of broken parts that were set aside

    def where(self, loc: Sequence[str | int], *, key: bool = False) -> str:
        """``file:line:col`` of ``loc`` (its key if ``key``), or of its nearest known ancestor."""
        return where_in(self.path, self.marks, self.key_marks, tuple(loc), key=key)

    def problem(
        self, loc: Sequence[str | int], message: Msg, hint: Msg | None = None, *, key: bool = False
    ) -> Problem:
        """A problem at ``loc`` whose message starts with its key path."""
        return Problem(self.where(loc, key=key), message, hint, key_path(loc), tuple(loc))

    def sound(self, problems: Sequence[Problem]) -> list[Problem]:
        """The problems that lie outside every broken part."""
        return [p for p in problems if not any(p.loc[: len(b)] == b for b in self.broken)]

    def sound_columns(self, problems: Sequence[Problem]) -> list[Problem]:
        """A KPI's column and type problems hold unless what its SQL depends on was set
        aside — its value, where, table or kind, or the whole KPI — so that a KPI with a
        misspelt scoring method still has its misspelt column reported in the same run."""
        kept = []
        for problem in problems:
            kpi = problem.loc[:2]
            reads = [(*kpi, key) for key in ("value", "where", "table", "kind")]
            if not any(
                kpi[: len(loc)] == loc or any(loc[: len(r)] == r for r in reads)
                for loc in self.left_out
            ):
                kept.append(problem)
        return kept


def where_in(
    path: str,
    marks: Mapping[Loc, Mark],
    key_marks: Mapping[Loc, Mark],
    loc: Loc,
    *,
    key: bool = False,
) -> str:
    if key and loc in key_marks:
        line, column = key_marks[loc]
        return f"{path}:{line}:{column}"
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            line, column = marks[loc[:end]]
            return f"{path}:{line}:{column}"
    return path
