"""Scheme labels in two languages (SPEC §3 ``locale``): ``label: {zh: 销售额, en: Revenue}``
on a KPI, a role and a grade is shown in the run's language in every output, falls back to
the other language, and is matched in either language (a reps role cell, a targets or
adjustments ``kpi`` cell); a mapping with an unknown language or no text is a scheme error
with its place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.errors import SchemeError
from spmcli.scheme.loader import load_scheme

SCHEME = """\
name: labels
locale: zh
kpis:
  - {id: sales, label: {zh: 销售额, en: Revenue}, value: SUM(amount), target: targets}
  - {id: calls, label: {zh: 拜访量, en: Calls}, table: visits, value: COUNT(*), target: targets}
  - {id: spread, label: {en: Spread}, value: COUNT(DISTINCT customer_id), target: 2}
  - {id: plain, value: SUM(amount), target: 100}
roles:
  hunter: {label: {zh: 开拓型, en: Hunter}, weights: {sales: 50, calls: 30, spread: 10, plain: 10}}
  farmer: {label: {zh: 维护型, en: Farmer}, weights: {sales: 60, calls: 40}}
default_role: farmer
grades:
  - {grade: A, label: {zh: 优秀, en: Excellent}, min: 80}
  - {grade: B, label: {zh: 待提高, en: Below par}, min: 0}
"""
# R1's role cell and target cells are in English, R2's in Chinese: both runs match them all.
TABLES = {
    "reps": "rep_id,name,team,role\nR1,Ann,T1,Hunter\nR2,Bo,T1,维护型\n",
    "sales": (
        "date,rep_id,customer_id,amount\n"
        "2025-07-01,R1,C1,900\n2025-07-02,R1,C2,300\n2025-07-03,R2,C3,400\n"
    ),
    "visits": "date,rep_id,customer_id\n2025-07-01,R1,C1\n2025-07-02,R2,C3\n2025-07-03,R2,C3\n",
    "targets": "rep_id,kpi,target\nR1,Revenue,1000\nR1,拜访量,2\nR2,销售额,800\nR2,Calls,4\n",
    "adjustments": "rep_id,kpi,value,reason\nR2,revenue,500,return reversed\n",
}
CHINESE = ("销售额", "拜访量", "开拓型", "维护型", "优秀", "待提高")
ENGLISH = ("Revenue", "Calls", "Hunter", "Farmer", "Excellent", "Below par")


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """``spm evaluate`` and ``spm letters`` in each language: stdout, the JSON, the folder."""
    work = tmp_path_factory.mktemp("labels")
    data = work / "data"
    data.mkdir()
    for table, text in TABLES.items():
        (data / f"{table}.csv").write_text(text, encoding="utf-8")
    scheme = work / "spm.yaml"
    scheme.write_text(SCHEME, encoding="utf-8")
    found = {}
    for lang in ("zh", "en"):
        out = work / lang
        common = ["--scheme", scheme, "--out", out, "--lang", lang, "--period", "2025-Q3"]
        evaluated = run("evaluate", data, *common)
        assert evaluated.exit_code == 0, evaluated.output
        letters = run("letters", data, *common, "--format", "md")
        assert letters.exit_code == 0, letters.output
        found[lang] = {
            "stdout": evaluated.stdout,
            "json": json.loads((out / "evaluation.json").read_text("utf-8")),
            "out": out,
        }
    return found


def cells(path: Path) -> list[str]:
    """Every text cell of a workbook, sheet names included."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    found = []
    for sheet in workbook.worksheets:
        found.append(sheet.title)
        found += [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    workbook.close()
    return found


def shows(texts: list[str] | str, words: tuple[str, ...]) -> set[str]:
    joined = "\n".join(texts) if isinstance(texts, list) else texts
    return {word for word in words if word in joined}


@pytest.mark.parametrize(("lang", "other"), [("zh", "en"), ("en", "zh")])
def test_every_output_names_kpis_roles_and_grades_in_the_run_s_language(
    runs: dict[str, dict[str, Any]], lang: str, other: str
) -> None:
    mine, theirs = (CHINESE, ENGLISH) if lang == "zh" else (ENGLISH, CHINESE)
    found = runs[lang]
    out = found["out"]
    letter = (out / "letters" / "R1_Ann.md").read_text("utf-8")
    outputs = {
        "console": found["stdout"],
        "summary": cells(out / "summary.xlsx"),
        "rep workbook": cells(out / "reps" / "R1.xlsx"),
        "letter": letter,
    }
    for name, texts in outputs.items():
        assert shows(texts, theirs) == set(), (name, lang)
    # the KPIs by name everywhere; R1 is a hunter; the grades as the summary shows them
    kpis = {mine[0], mine[1]}
    assert shows(outputs["console"], mine) >= kpis
    assert shows(outputs["summary"], mine) == set(mine)
    assert shows(outputs["rep workbook"], mine) >= {*kpis, mine[2]}
    assert shows(outputs["letter"], mine) >= {*kpis, mine[2]}
    # a label given in one language only is shown in it; no label at all shows the id
    assert "Spread" in outputs["summary"] and "Spread" in letter
    assert "plain" in outputs["summary"]


def test_the_json_holds_the_labels_of_the_run_s_language(
    runs: dict[str, dict[str, Any]],
) -> None:
    for lang, role, grades in (
        ("zh", "开拓型", ["优秀", "待提高"]),
        ("en", "Hunter", ["Excellent", "Below par"]),
    ):
        data = runs[lang]["json"]
        r1 = next(rep for rep in data["reps"] if rep["rep_id"] == "R1")
        assert r1["role_label"] == role
        assert [g["label"] for g in data["grades"]["grades"]] == grades
        assert r1["grade_label"] in grades


def test_cells_in_either_language_match_in_both_runs(runs: dict[str, dict[str, Any]]) -> None:
    for lang in ("zh", "en"):
        reps = {rep["rep_id"]: rep for rep in runs[lang]["json"]["reps"]}
        # role cells: 'Hunter' (English) and '维护型' (Chinese)
        assert (reps["R1"]["role"], reps["R2"]["role"]) == ("hunter", "farmer")
        # target cells: 'Revenue' and '拜访量' for R1, '销售额' and 'Calls' for R2
        assert reps["R1"]["kpis"]["sales"]["target"] == 1000
        assert reps["R1"]["kpis"]["calls"]["target"] == 2
        assert reps["R2"]["kpis"]["sales"]["target"] == 800
        assert reps["R2"]["kpis"]["calls"]["target"] == 4
        # the adjustment's kpi cell 'revenue': the English label, in any case
        assert reps["R2"]["kpis"]["sales"]["actual"] == 500
        assert reps["R2"]["kpis"]["sales"]["status"] == "adjusted"
        codes = {w["code"] for w in runs[lang]["json"]["warnings"]}
        assert "unknown_role" not in codes


def test_a_scheme_reads_labels_in_its_own_locale_and_lang_switches_them(tmp_path: Path) -> None:
    path = tmp_path / "spm.yaml"
    path.write_text(SCHEME.replace("locale: zh", "locale: en"), encoding="utf-8")
    scheme = load_scheme(path).scheme
    assert [k.title for k in scheme.kpis] == ["Revenue", "Calls", "Spread", "plain"]
    assert scheme.roles["hunter"].label == "Hunter"
    chinese = scheme.in_language("zh")
    assert chinese.locale == "zh"
    assert [k.title for k in chinese.kpis] == ["销售额", "拜访量", "Spread", "plain"]
    assert [g.label for g in chinese.grades] == ["优秀", "待提高"]
    # both texts stay, whatever the language: what a cell naming the KPI may hold
    assert chinese.kpi("sales").all_labels == ("销售额", "Revenue")
    assert chinese.in_language("en").kpi("sales").label == "Revenue"


def scheme_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "spm.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError) as raised:
        load_scheme(path)
    return [problem.text("en") for problem in raised.value.problems]


def test_an_unknown_language_and_an_empty_mapping_are_scheme_errors_with_their_place(
    tmp_path: Path,
) -> None:
    text = (
        SCHEME.replace("{zh: 销售额, en: Revenue}", "{zh: 销售额, fr: Ventes}")
        .replace("{zh: 拜访量, en: Calls}", "{}")
        .replace("{zh: 开拓型, en: Hunter}", "{zh: 开拓型, en_: Hunter}")
        .replace("label: {zh: 优秀, en: Excellent}", "label: [优秀, Excellent]")
    )
    path = tmp_path / "spm.yaml"
    form = "a label is one text, or a mapping by language (zh, en) such as {zh: 销售额, en: Sales}"
    assert scheme_problems(tmp_path, text) == [
        f"{path}:4:34: kpis[0].label: 'fr' is not a language of spm — {form}",
        f"{path}:5:24: kpis[1].label: the label's mapping holds no text — {form}",
        f"{path}:9:29: roles.hunter.label: 'en_' is not a language of spm — did you mean 'en'?",
        f'{path}:13:23: grades[0].label: expected text, got ["优秀", "Excellent"] — {form}',
    ]


def test_problems_are_worded_in_chinese_too(tmp_path: Path) -> None:
    path = tmp_path / "spm.yaml"
    path.write_text(SCHEME.replace("{zh: 拜访量, en: Calls}", "{zh: ''}"), encoding="utf-8")
    with pytest.raises(SchemeError) as raised:
        load_scheme(path)
    assert [p.text("zh") for p in raised.value.problems] == [
        f"{path}:5:24: kpis[1].label: 名称的映射中没有任何文本 — "
        "名称写作一个文本，或按语言（zh、en）写作映射，如 {zh: 销售额, en: Sales}"
    ]


def test_a_role_label_in_either_language_must_name_one_role(tmp_path: Path) -> None:
    text = SCHEME.replace("{zh: 维护型, en: Farmer}", "{zh: 维护型, en: hunter}")
    assert scheme_problems(tmp_path, text) == [
        f"{tmp_path / 'spm.yaml'}:10:33: roles.farmer.label.en: 'hunter' also names role "
        "'hunter' — a rep's role is found by id or label, so each must be unique"
    ]


def test_a_kpi_id_wins_over_another_kpi_s_label(tmp_path: Path) -> None:
    """A targets cell ``calls`` is the KPI ``calls``, even where another KPI's English label
    says ``calls``."""
    from spmcli.engine.targets import kpi_lookup

    path = tmp_path / "spm.yaml"
    path.write_text(SCHEME.replace("en: Revenue", "en: calls"), encoding="utf-8")
    lookup = kpi_lookup(load_scheme(path).scheme)
    assert (lookup["calls"], lookup["销售额"], lookup["拜访量"]) == ("calls", "sales", "calls")


def test_diff_lists_a_relabelling_but_not_as_a_cause_of_a_move(
    runs: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    before = runs["en"]["out"]
    data = tmp_path / "data"
    data.mkdir()
    for table, text in TABLES.items():
        (data / f"{table}.csv").write_text(text, encoding="utf-8")
    scheme = tmp_path / "spm.yaml"
    relabelled = SCHEME.replace("en: Below par", "en: Needs work")
    scheme.write_text(relabelled.replace("sales: 60, calls: 40", "sales: 70, calls: 30"), "utf-8")
    after = tmp_path / "after"
    args = ["--scheme", scheme, "--out", after, "--lang", "en", "--period", "2025-Q3", "-q"]
    assert run("evaluate", data, *args).exit_code == 0
    result = run("diff", before, after, "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [c["what"] for c in found["scheme"]] == [
        "roles.farmer.weights.sales",
        "roles.farmer.weights.calls",
        "grades[B].label.en",
    ]
    (r2,) = (rep for rep in found["reps"] if rep["rep_id"] == "R2")
    assert [c["what"] for c in r2["scheme"]] == [
        "roles.farmer.weights.sales",
        "roles.farmer.weights.calls",
    ]
