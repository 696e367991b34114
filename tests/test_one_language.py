"""One language per run: a Chinese run's workbooks hold no English sentence from spm, and an
English run's hold no Chinese but the data's own (names, teams) and the scheme's name: the
built-in scheme's labels are in both languages, so an English run names its KPIs, roles and
grades in English."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.report.labels import label
from spmcli.scheme.loader import load_scheme

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,;:'()]+[A-Za-z]{2,}[ ,;:'()]+[A-Za-z]{2,}")
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def texts(path: Path, *, skip_rows: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """(sheet, cell, text) of every text cell, the sheet names included; rows whose first
    cell is one of ``skip_rows`` are left out."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    found = []
    for sheet in workbook.worksheets:
        found.append((sheet.title, "", sheet.title))
        for row in sheet.iter_rows():
            if row and row[0].value in skip_rows:
                continue
            for cell in row:
                if isinstance(cell.value, str):
                    found.append((sheet.title, cell.coordinate, cell.value))
    workbook.close()
    return found


def data_values() -> list[str]:
    """Every text of the sample's own cells, and the built-in scheme's name (one text)."""
    values = {text for _, _, text in texts(SAMPLE)}
    values.add(load_scheme(None).scheme.name)
    return sorted(values, key=len, reverse=True)


def has_chinese_of_its_own(text: str, data: list[str]) -> bool:
    """Chinese left in ``text`` once every data value is taken out of it."""
    if not CHINESE.search(text):
        return False
    for value in data:
        text = text.replace(value, "") if value else text
    return bool(CHINESE.search(text))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lang")
    for lang in ("zh", "en"):
        for command in (["evaluate"], ["letters", "--format", "md"]):
            result = CliRunner().invoke(
                app, [*command, str(SAMPLE), "--out", str(out / lang), "--lang", lang]
            )
            assert result.exit_code == 0, result.stderr
    return out


def letter_lines(folder: Path) -> list[tuple[str, str, str]]:
    return [
        (path.name, str(number), line)
        for path in sorted((folder / "letters").glob("*.md"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]


def workbooks(folder: Path) -> list[Path]:
    return [folder / "summary.xlsx", *sorted((folder / "reps").glob("*.xlsx"))[:8]]


def test_a_chinese_run_writes_no_english_sentence(run: Path) -> None:
    # the command line recorded is what the user typed, not spm's words
    command = (label("run.command", "zh"),)
    english = [
        (path.name, sheet, cell, text)
        for path in workbooks(run / "zh")
        for sheet, cell, text in texts(path, skip_rows=command)
        if ENGLISH_SENTENCE.search(text)
    ]
    # the one KPI expression of the built-in scheme that reads like words is SQL
    assert english == [
        ("summary.xlsx", "指标", "E9", "AVG(CASE WHEN outcome = '有效' THEN 1.0 ELSE 0.0 END)")
    ]
    assert [line for line in letter_lines(run / "zh") if ENGLISH_SENTENCE.search(line[2])] == []


def test_an_english_run_writes_no_chinese_but_the_data(run: Path) -> None:
    data = data_values()
    leftovers = []
    for path in workbooks(run / "en"):
        for sheet, cell, text in texts(path):
            if has_chinese_of_its_own(text, data):
                leftovers.append((path.name, sheet, cell, text))
    for name, number, line in letter_lines(run / "en"):
        if has_chinese_of_its_own(line, data):
            leftovers.append((name, "", number, line))
    assert leftovers == []


# --- problems: every error a user can meet, in the run's language -------------------------

BAD_SCHEME = (
    "kpis:\n  - {id: sales, value: SUM(amount), target: 100, scoring: {method: linar}}\n"
    "roles:\n  r: {weights: {salse: 1}}\ndefault_role: r\n"
)


def problem_runs(tmp_path: Path, lang: str) -> list[str]:
    """The stderr of a run that meets a reader error, one that meets scheme errors, and one
    that meets an option error, each with ``--lang``."""
    book = tmp_path / "bad.csv"
    book.write_text(
        "date,rep_id,customer_id,amount\n2025-07-01,R1,C1,abc\n2025-07-02,R1,C1,5\n",
        encoding="utf-8",
    )
    scheme = tmp_path / "bad.yaml"
    scheme.write_text(BAD_SCHEME, encoding="utf-8")
    runs = [
        ["evaluate", str(book), "--out", str(tmp_path / lang / "1")],
        ["evaluate", str(SAMPLE), "--scheme", str(scheme), "--out", str(tmp_path / lang / "2")],
        ["evaluate", str(SAMPLE), "--what-if", "sale=x", "--out", str(tmp_path / lang / "3")],
        ["tier-customers", str(SAMPLE), "--by", "revenu", "--out", str(tmp_path / lang / "4")],
    ]
    stderr = []
    for args in runs:
        result = CliRunner().invoke(app, [*args, "--lang", lang])
        assert result.exit_code in (1, 2), result.stderr
        stderr.append(result.stderr)
    return stderr


def test_a_chinese_run_words_its_problems_in_chinese(tmp_path: Path) -> None:
    for stderr in problem_runs(tmp_path, "zh"):
        assert stderr.startswith("错误：")
        # paths, ids, SQL and the names of options and keys are no sentences
        words = re.sub(r"/\S+|'[^']*'|--[a-z-]+|\b[a-z_]+\[\d+\]\S*", "", stderr)
        assert not ENGLISH_SENTENCE.search(words), stderr
    reader, scheme, _, _ = problem_runs(tmp_path, "zh")
    assert "第 2 行，列 'amount'：'abc' 不是金额" in reader
    assert "'linar' 不是 linear、bands、rating 之一 — 是不是 'linear'？" in scheme
    assert "没有指标 'salse' — 是不是 'sales'？" in scheme


def test_an_english_run_words_its_problems_in_english(tmp_path: Path) -> None:
    for stderr in problem_runs(tmp_path, "en"):
        assert stderr.startswith("error: ")
        assert not CHINESE.search(stderr), stderr


def test_a_broken_scheme_is_worded_in_its_own_locale(tmp_path: Path) -> None:
    scheme = tmp_path / "s.yaml"
    scheme.write_text("locale: en\n" + BAD_SCHEME, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(SAMPLE), "--scheme", str(scheme)])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    syntax = tmp_path / "y.yaml"
    syntax.write_text("locale: en\nkpis: [\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(SAMPLE), "--scheme", str(syntax)])
    assert result.exit_code == 2 and "invalid YAML" in result.stderr
    assert "the rest of the scheme is checked once this is fixed" in result.stderr
