"""Golden snapshots: what users see, as plain text files in ``tests/golden/``.

Each output is made again from the shipped sample (``sample_data/q3.xlsx``, copied into a
temporary folder that is the working directory) through Typer's CliRunner and compared
with the stored text; a mismatch shows a unified diff. After an intended change, rewrite
the snapshots and review ``git diff tests/golden/``::

    python -m pytest tests/test_golden.py --update-golden

Covered: the console output of ``evaluate`` (wide and narrow terminal), ``evaluate
--what-if``, ``tier-customers`` and ``check``; ``summary.xlsx``, one rep workbook and
``tiers.xlsx`` as text (``xlsx_text.py``); one rep's md and html letters in Chinese and
English; every ``--help``. Volatile values are masked: the run time, temporary paths,
and the spm version.
"""

from __future__ import annotations

import base64
import difflib
import re
import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import typer.main
from rich.cells import cell_len
from typer.testing import CliRunner
from xlsx_text import workbook_text

from spmcli import __version__
from spmcli.cli.app import app
from spmcli.report.labels import label

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
GOLDEN = Path(__file__).parent / "golden"
REGENERATE = "python -m pytest tests/test_golden.py --update-golden"
WIDE, NARROW, HELP_WIDTH = 200, 100, 100
REP = "R013"  # adjusted sales, a pay statement, eleven KPIs, a team of ten
MAX_DIFF_LINES = 300

INPUT = "sample_data/q3.xlsx"
EVALUATE = ("evaluate", INPUT, "--out", "out")
EVALUATE_NARROW = ("evaluate", INPUT, "--out", "out-narrow")
WHAT_IF = ("evaluate", INPUT, "--what-if", "sales=1.1")
TIERS = ("tier-customers", INPUT, "--out", "tiers")
CHECK = ("check", INPUT)
EXPLAIN = ("explain", INPUT, "--rep", REP)
COMMANDS = list(typer.main.get_group(app).commands)


# --------------------------------------------------------------------------- running spm


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    columns: int
    exit_code: int
    stdout: str
    stderr: str
    started: datetime  # local time, naive, as the workbooks store it
    finished: datetime

    @property
    def command(self) -> str:
        return shlex.join(["spm", *self.args])


def invoke(args: tuple[str, ...], columns: int) -> Run:
    """Run spm in-process at a terminal width of ``columns``, without colour."""
    env = {"COLUMNS": str(columns), "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "NO_COLOR": None}
    started = datetime.now()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["spm", *args])  # what the Run sheet records, as in a shell
        result = CliRunner().invoke(app, list(args), env=env)
    finished = datetime.now()
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(args, columns, result.exit_code, result.stdout, result.stderr, started, finished)


@pytest.fixture(scope="module", autouse=True)
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temporary working directory holding ``sample_data/q3.xlsx``, so that every path
    spm prints is the short relative one a user types (and no ./spm.yaml or ./templates
    of the checkout is picked up)."""
    folder = tmp_path_factory.mktemp("golden")
    (folder / "sample_data").mkdir()
    shutil.copy(SAMPLE, folder / INPUT)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield folder


@pytest.fixture(scope="module")
def spm(work: Path) -> Callable[..., Run]:
    """``spm(*args, columns=...)``: each distinct command runs once per test module."""
    runs: dict[tuple[tuple[str, ...], int], Run] = {}

    def run(*args: str, columns: int = WIDE) -> Run:
        if (args, columns) not in runs:
            runs[args, columns] = invoke(args, columns)
        return runs[args, columns]

    return run


# --------------------------------------------------------------------------- masking


class Masked(str):
    """A masked value; the workbook dumps show it as ``<what>``, without quotes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{self}>"


ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


@dataclass(frozen=True)
class Masker:
    """Turns what changes from run to run into placeholders."""

    work: Path
    run: Run

    def text(self, text: str) -> str:
        for path in {str(self.work.resolve()), str(self.work)}:
            text = text.replace(path, "<tmp>")
        return text

    def recent(self, when: datetime) -> bool:
        """Written during the run: the run time, a file's creation time."""
        seen = {when.replace(tzinfo=None)}
        if when.tzinfo is not None:
            seen.add(when.astimezone().replace(tzinfo=None))
        slack = timedelta(seconds=2)
        return any(self.run.started - slack <= t <= self.run.finished + slack for t in seen)

    def value(self, value: Any) -> Any:
        if isinstance(value, datetime) and self.recent(value):
            return Masked("run time")
        if not isinstance(value, str):
            return value
        if value == __version__:
            return Masked("spm version")
        if ISO_STAMP.fullmatch(value) and self.recent(datetime.fromisoformat(value)):
            return Masked("timestamp")
        return self.text(value)


# --------------------------------------------------------------------------- snapshots


@pytest.fixture(scope="session")
def update(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def header(about: str) -> str:
    lines = textwrap.wrap(about, 92)
    lines.append(f"Regenerate: {REGENERATE}")
    lines.append("Below the dashed line: the output (masked values in <angle brackets>).")
    return "".join(f"# {line}\n" for line in lines) + "# " + "-" * 78 + "\n"


def check(name: str, about: str, body: str, update: bool) -> None:
    """Compare ``tests/golden/<name>`` with ``body`` under its header, or rewrite it."""
    if body == "":
        body = "\\ No output\n"
    elif not body.endswith("\n"):
        body += "\n\\ No newline at end of output\n"
    text = header(about) + body
    path = GOLDEN / name
    if update:
        if not path.is_file() or path.read_bytes() != text.encode("utf-8"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        return
    if not path.is_file():
        pytest.fail(f"tests/golden/{name} does not exist; write it with: {REGENERATE}")
    stored = path.read_bytes().decode("utf-8")
    if stored != text:
        pytest.fail(mismatch(name, stored, text), pytrace=False)


def mismatch(name: str, stored: str, now: str) -> str:
    diff = list(
        difflib.unified_diff(
            stored.splitlines(keepends=True),
            now.splitlines(keepends=True),
            f"tests/golden/{name} (stored)",
            f"tests/golden/{name} (now)",
            n=2,
        )
    )
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff[:MAX_DIFF_LINES])
    if len(diff) > MAX_DIFF_LINES:
        shown += f"… and {len(diff) - MAX_DIFF_LINES} more diff lines\n"
    if [s.rstrip() for s in stored.splitlines()] == [s.rstrip() for s in now.splitlines()]:
        shown += "(the lines differ only in trailing whitespace)\n"
    return f"tests/golden/{name} differs from the output now:\n{shown}If intended: {REGENERATE}"


# --------------------------------------------------------------------------- console


CONSOLE = [
    (
        "console/evaluate.stdout.txt",
        EVALUATE,
        WIDE,
        "stdout",
        "the ranking with every weighted KPI's score, and the grade distribution",
    ),
    (
        "console/evaluate.stderr.txt",
        EVALUATE,
        WIDE,
        "stderr",
        "the warning count and the files written",
    ),
    (
        "console/evaluate-narrow.stdout.txt",
        EVALUATE_NARROW,
        NARROW,
        "stdout",
        "the compact ranking: too narrow for every KPI's score, so only the final score",
    ),
    (
        "console/evaluate-what-if.stdout.txt",
        WHAT_IF,
        WIDE,
        "stdout",
        "each rep's final score, grade and pay now → with sales × 1.1; nothing is written",
    ),
    ("console/evaluate-what-if.stderr.txt", WHAT_IF, WIDE, "stderr", "nothing, normally"),
    (
        "console/tier-customers.stdout.txt",
        TIERS,
        WIDE,
        "stdout",
        "the tiers, the value × potential matrix, customer types, tier moves and the reps "
        "furthest behind their visit plan",
    ),
    ("console/tier-customers.stderr.txt", TIERS, WIDE, "stderr", "the file written"),
    ("console/check.stdout.txt", CHECK, WIDE, "stdout", "nothing, normally"),
    ("console/check.stderr.txt", CHECK, WIDE, "stderr", "what was checked and found"),
    (
        "console/explain.stdout.txt",
        EXPLAIN,
        WIDE,
        "stdout",
        "how the rep's final score, KPI scores and pay were reached, with the source rows",
    ),
]


@pytest.mark.parametrize(
    ("name", "args", "columns", "stream", "what"), CONSOLE, ids=[c[0] for c in CONSOLE]
)
def test_console(
    spm: Callable[..., Run],
    work: Path,
    update: bool,
    name: str,
    args: tuple[str, ...],
    columns: int,
    stream: str,
    what: str,
) -> None:
    run = spm(*args, columns=columns)
    about = (
        f"{stream} of `{run.command}` run in a folder holding {INPUT}, with COLUMNS={columns} "
        f"(exit status {run.exit_code}): {what}."
    )
    check(name, about, Masker(work, run).text(getattr(run, stream)), update)


RERUN = "sample_data/q3-rerun.xlsx"


def test_diff_console(spm: Callable[..., Run], work: Path, update: bool) -> None:
    """A re-export in which two of R002's lines were corrected by +1,000 each."""
    book = openpyxl.load_workbook(work / INPUT)
    sheet = book["销售明细"]
    for row in (7715, 7731):  # R002's lines in 2025-Q3
        assert sheet.cell(row, 2).value == "R002"
        sheet.cell(row, 8).value += 1000
    book.save(work / RERUN)
    assert spm(*EVALUATE).exit_code == 0
    assert spm("evaluate", RERUN, "--out", "rerun").exit_code == 0
    run = spm("diff", "out", "rerun")
    about = (
        f"stdout of `{run.command}` after `spm evaluate {INPUT} --out out` and the same on a "
        f"re-export with two of R002's lines corrected, COLUMNS={WIDE} (exit status "
        f"{run.exit_code}): who moved, and the rows behind it."
    )
    check("console/diff.stdout.txt", about, Masker(work, run).text(run.stdout), update)


def test_appeal_console(spm: Callable[..., Run], work: Path, update: bool) -> None:
    """An appeal workbook for R013, filled in as a rep would, and its review."""
    sent = spm("appeal", INPUT, "--rep", REP, "--out", "appeal-out")
    assert sent.exit_code == 0, sent.stderr
    about = f"stderr of `{sent.command}`, COLUMNS={WIDE} (exit status {sent.exit_code})."
    check("console/appeal.stderr.txt", about, Masker(work, sent).text(sent.stderr), update)
    book = openpyxl.load_workbook(work / "appeal-out" / "appeals" / f"{REP}.xlsx")
    for ref, value in (("H5", "是"), ("I5", 170000), ("J5", "两笔退货被重复冲销")):
        book["申诉"][ref] = value
    book.save(work / "appeal-out" / "appeals" / f"{REP}.xlsx")
    reviewed = spm("appeals", "review", "appeal-out/appeals")
    assert reviewed.exit_code == 0, reviewed.stderr
    about = (
        f"stderr of `{reviewed.command}` after R013 disputed sales in the workbook above, "
        f"COLUMNS={WIDE} (exit status {reviewed.exit_code})."
    )
    text = Masker(work, reviewed).text(reviewed.stderr)
    check("console/appeals-review.stderr.txt", about, text, update)


def test_rich_honours_columns(spm: Callable[..., Run]) -> None:
    """The console width comes from COLUMNS: the wide run uses more than 100 columns and
    shows every KPI column; the narrow one fits 100 and says how many it left out."""
    wide, narrow = spm(*EVALUATE).stdout, spm(*EVALUATE_NARROW, columns=NARROW).stdout
    caption = label("console.narrow", "zh").split("{")[0]  # the words before the count
    hint = (
        "rich did not follow COLUMNS: was COLUMNS already set in the environment when "
        "spmcli was imported? (a rich Console reads it once, when it is created)"
    )
    assert NARROW < max(cell_len(line) for line in wide.splitlines()) <= WIDE, hint
    assert max(cell_len(line) for line in narrow.splitlines()) <= NARROW, hint
    assert caption not in wide, hint
    assert caption in narrow, hint


def test_what_if_writes_nothing(spm: Callable[..., Run], work: Path) -> None:
    assert spm(*WHAT_IF).exit_code == 0
    assert not (work / "spm-out").exists()


# --------------------------------------------------------------------------- workbooks


WORKBOOKS = [
    ("workbooks/summary.xlsx.txt", EVALUATE, "out/summary.xlsx"),
    (f"workbooks/reps-{REP}.xlsx.txt", EVALUATE, f"out/reps/{REP}.xlsx"),
    ("workbooks/tiers.xlsx.txt", TIERS, "tiers/tiers.xlsx"),
]


@pytest.mark.parametrize(("name", "args", "file"), WORKBOOKS, ids=[w[0] for w in WORKBOOKS])
def test_workbook(
    spm: Callable[..., Run],
    work: Path,
    update: bool,
    name: str,
    args: tuple[str, ...],
    file: str,
) -> None:
    run = spm(*args)
    assert run.exit_code == 0, run.stderr
    about = (
        f"{file} as written by `{run.command}`, read back with openpyxl: per sheet its "
        "settings (freeze panes, filter, print setup, conditional formats, charts from the "
        "chart XML, column widths), then every non-empty cell as `cell | repr(value) | "
        "number format` (the format only when not General). Tables of more than 100 rows "
        "keep their first 25 and their last row."
    )
    check(name, about, workbook_text(work / file, Masker(work, run).value), update)


# --------------------------------------------------------------------------- letters


LETTERS = [(fmt, lang) for fmt in ("md", "html") for lang in ("zh", "en")]
SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")


def letter_args(fmt: str, lang: str) -> tuple[str, ...]:
    chosen = () if lang == "zh" else ("--lang", lang)  # zh: the sample scheme's own locale
    out = f"letters-{lang}-{fmt}"
    return ("letters", INPUT, "--format", fmt, "--rep", REP, *chosen, "--out", out)


def readable(html: str) -> str:
    """The letter with each base64 SVG chart decoded after the html, to be diffable."""
    images: list[str] = []

    def decode(match: re.Match[str]) -> str:
        images.append(base64.b64decode(match.group(1)).decode("utf-8"))
        return f"data:image/svg+xml;base64,[image {len(images)}, decoded below]"

    text = SVG_URI.sub(decode, html)
    for n, svg in enumerate(images, start=1):
        text += f"\n<!-- ===== snapshot only: image {n} decoded from base64 ===== -->\n{svg}"
    return text


@pytest.mark.parametrize(("fmt", "lang"), LETTERS, ids=[f"{f}-{lang}" for f, lang in LETTERS])
def test_letter(spm: Callable[..., Run], work: Path, update: bool, fmt: str, lang: str) -> None:
    run = spm(*letter_args(fmt, lang))
    assert run.exit_code == 0, run.stderr
    (letter,) = (work / f"letters-{lang}-{fmt}" / "letters").glob(f"{REP}_*.{fmt}")
    text = letter.read_bytes().decode("utf-8")
    about = (
        f"{letter.relative_to(work).as_posix()}, the letter written by `{run.command}`"
        + (", with its SVG chart decoded at the end" if fmt == "html" else "")
        + "."
    )
    body = Masker(work, run).text(readable(text) if fmt == "html" else text)
    check(f"letters/{REP}.{lang}.{fmt}.txt", about, body, update)


def test_letters_console(spm: Callable[..., Run], work: Path, update: bool) -> None:
    parts = []
    for fmt, lang in LETTERS:
        run = spm(*letter_args(fmt, lang))
        masker = Masker(work, run)
        parts.append(
            f"$ {run.command}\n[exit status {run.exit_code}]\n"
            f"--- stdout ---\n{masker.text(run.stdout)}--- stderr ---\n{masker.text(run.stderr)}"
        )
    about = f"stdout and stderr of `spm letters` for {REP}, as for the letters/ snapshots."
    check("letters/console.txt", about, "\n".join(parts), update)


# --------------------------------------------------------------------------- help


HELP = [("spm", ("--help",))] + [(f"spm-{c}", (c, "--help")) for c in COMMANDS]


@pytest.mark.parametrize(("stem", "args"), HELP, ids=[h[0] for h in HELP])
def test_help(spm: Callable[..., Run], update: bool, stem: str, args: tuple[str, ...]) -> None:
    run = spm(*args, columns=HELP_WIDTH)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    about = f"`{run.command}` with COLUMNS={HELP_WIDTH}."
    check(f"help/{stem}.txt", about, run.stdout, update)


# --------------------------------------------------------------------------- the folder


def expected_snapshots() -> set[str]:
    return (
        {c[0] for c in CONSOLE}
        | {"console/diff.stdout.txt", "console/appeal.stderr.txt"}
        | {"console/appeals-review.stderr.txt"}
        | {w[0] for w in WORKBOOKS}
        | {f"letters/{REP}.{lang}.{fmt}.txt" for fmt, lang in LETTERS}
        | {"letters/console.txt"}
        | {f"help/{stem}.txt" for stem, _ in HELP}
    )


def test_no_stale_snapshots(update: bool) -> None:
    """Every file in tests/golden/ is a snapshot some test here writes (--update-golden
    deletes the others, e.g. the help of a command that was renamed)."""
    stored = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.txt")}
    stale = stored - expected_snapshots()
    if update:
        for name in stale:
            (GOLDEN / name).unlink()
        return
    assert not stale, f"snapshots no test writes: {sorted(stale)}; remove them with {REGENERATE}"
