"""The front door (``spmcli.prepare``): a notebook gets what the command line gets, and every
step happens once."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import fastexcel
import pytest
from typer.testing import CliRunner

import spmcli
from spmcli.cli.app import app
from spmcli.engine import targets
from spmcli.errors import DataError, SchemeError
from spmcli.io.read import SHEETS_AT_ONCE
from spmcli.scheme.loader import default_scheme_text

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "sample_data" / "q3.xlsx"
README = (ROOT / "README.md").read_text(encoding="utf-8")


@contextlib.contextmanager
def working_dir(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def library_snippet() -> str:
    section = README[README.index("### Library use") :]
    return section[section.index("```python") + len("```python") : section.index("```\n", 20)]


def test_readme_library_example_runs_on_the_sample(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sample_data", tmp_path / "sample_data")
    printed = io.StringIO()
    with working_dir(tmp_path), contextlib.redirect_stdout(printed):
        exec(compile(library_snippet(), "README.md", "exec"), {})
    text = printed.getvalue()
    assert text.startswith("2025-Q3 ['" + hashlib.sha256(SAMPLE.read_bytes()).hexdigest()[:12])
    assert "()" in text.splitlines()[1]  # no problems on the sample
    assert "final_score" in text and "total_pay" in text


def discount_scheme(tmp_path: Path) -> Path:
    text = default_scheme_text()
    text = text.replace("value: SUM(amount)", "value: SUM(amount * discount)", 1)
    assert "discount" in text
    path = tmp_path / "spm.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scheme_typo_reads_the_same_in_the_library_and_on_the_command_line(
    tmp_path: Path,
) -> None:
    scheme = discount_scheme(tmp_path)
    with pytest.raises(SchemeError) as raised:
        spmcli.prepare([SAMPLE], scheme=scheme)
    library = [str(problem) for problem in raised.value.problems]
    assert len(library) == 1
    assert re.match(r".*spm\.yaml:\d+:\d+: kpis\[0\]\.value: unknown column 'discount'", library[0])

    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(SAMPLE),
            "--scheme",
            str(scheme),
            "--out",
            str(tmp_path / "o"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.replace("\n", "") == f"error: {library[0]}"
    assert not (tmp_path / "o").exists()


def test_evaluate_in_one_call_equals_prepare_then_evaluate() -> None:
    one = spmcli.evaluate([SAMPLE]).evaluation
    two = spmcli.prepare([SAMPLE]).evaluate().evaluation
    assert one.reps.equals(two.reps)
    assert one.kpis.equals(two.kpis)
    assert one.period == two.period


def test_each_workbook_is_read_once_and_hashed_from_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[object] = []
    real = fastexcel.read_excel

    def counting(source: object) -> fastexcel.ExcelReader:
        opened.append(source)
        return real(source)

    monkeypatch.setattr(fastexcel, "read_excel", counting)
    prepared = spmcli.prepare([SAMPLE])
    # A reader per thread that loads sheets, all made from the one copy read from disk.
    assert 1 <= len(opened) <= 1 + SHEETS_AT_ONCE
    assert isinstance(opened[0], bytes) and all(source is opened[0] for source in opened)
    assert prepared.inputs.files[0].sha256 == hashlib.sha256(opened[0]).hexdigest()
    assert (
        prepared.scheme_file.sha256
        == hashlib.sha256(default_scheme_text().encode("utf-8")).hexdigest()
    )


def test_references_are_checked_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = targets.check_references

    def counting(*args: object, **kwargs: object) -> object:
        calls.append("check")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("spmcli.run.check_references", counting)
    monkeypatch.setattr("spmcli.engine.evaluate.check_references", counting)
    spmcli.prepare([SAMPLE]).evaluate(what_if={"sales": 1.1})
    assert calls == ["check"]


def test_unresolved_references_stop_evaluate_with_their_place(tmp_path: Path) -> None:
    csv = tmp_path / "in"
    csv.mkdir()
    (csv / "sales.csv").write_text(
        "date,rep_id,customer_id,amount\n2025-07-01,R1,C1,100\n", encoding="utf-8"
    )
    (csv / "targets.csv").write_text(
        "rep_id,kpi,target\nR1,sales,100\nR1,salse,50\n", encoding="utf-8"
    )
    prepared = spmcli.prepare([csv])
    assert prepared.stops(skip_invalid=True)
    [problem] = prepared.unresolved
    assert (problem.file, problem.row, problem.column, problem.value) == (
        str(csv / "targets.csv"),
        3,
        "kpi",
        "salse",
    )
    with pytest.raises(DataError) as raised:
        prepared.evaluate(skip_invalid=True)
    assert raised.value.problems == [problem]


def test_input_warnings_come_first_and_nothing_is_changed_after_the_fact() -> None:
    run = spmcli.prepare([SAMPLE]).evaluate()
    again = spmcli.prepare([SAMPLE]).evaluate()
    assert run.evaluation.warnings == again.evaluation.warnings
    assert [w.code for w in run.evaluation.warnings][:1] != ["skipped_row"]


def test_a_sales_sheet_without_dates_names_its_file_and_sheet(tmp_path: Path) -> None:
    csv = tmp_path / "in"
    csv.mkdir()
    (csv / "sales.csv").write_text("date,rep_id,customer_id,amount\n", encoding="utf-8")
    with pytest.raises(spmcli.errors.UsageError) as raised:
        spmcli.prepare([csv])
    assert str(raised.value.problems[0]).startswith(f"{csv / 'sales.csv'}: the sales table has")
    assert "--period" in str(raised.value.problems[0])


def test_a_misspelt_weight_and_a_misspelt_column_are_reported_in_one_run(tmp_path: Path) -> None:
    text = default_scheme_text()
    text = text.replace("weights: {sales: 30,", "weights: {salse: 30,", 1)
    text = text.replace("value: SUM(amount)", "value: SUM(amout)", 1)
    scheme = tmp_path / "spm.yaml"
    scheme.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            str(SAMPLE),
            "--scheme",
            str(scheme),
            "--out",
            str(tmp_path / "o"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, result.stderr
    # in file order: the KPI's value, then the role's weights
    lines = text.splitlines()
    value_line = lines.index("    value: SUM(amout)") + 1
    weights_line = next(n for n, line in enumerate(lines, 1) if "{salse: 30," in line)
    assert f"spm.yaml:{value_line}:12: kpis[0].value: unknown column 'amout'" in errors[0]
    assert f"spm.yaml:{weights_line}:" in errors[1] and "roles.farmer.weights" in errors[1]
    assert "'salse'" in errors[1] and "did you mean 'sales'" in errors[1]
