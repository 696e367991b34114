"""``spm evaluate`` and ``spm check`` end to end, as a user runs them (Typer's CliRunner)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.cells import cell_len
from test_read import workbook
from typer.testing import CliRunner

from spmcli import __version__
from spmcli.cli.app import app
from spmcli.scheme import default_scheme_text

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
JULY = dt.date(2025, 7, 15)


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """One evaluation of the shipped sample with the built-in scheme, shared by the tests below."""
    work = tmp_path_factory.mktemp("sample")
    shutil.copy(SAMPLE, work / "q3.xlsx")
    result = run("evaluate", work / "q3.xlsx", "--out", work / "out")
    assert result.exit_code == 0, result.output
    return work, result


def test_version_and_help_show_examples() -> None:
    assert run("--version").stdout.strip() == f"spm {__version__}"
    assert "spm evaluate sample_data/q3.xlsx" in run("--help").stdout
    for command in ("evaluate", "check"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert f"spm {command} " in result.stdout


def test_sample_writes_every_output(sample_run: tuple[Path, Any]) -> None:
    work, result = sample_run
    out = work / "out"
    data = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert data["period"] == "2025-Q3"
    assert (data["period_start"], data["period_end"]) == ("2025-07-01", "2025-09-30")
    assert len(data["reps"]) == 40
    assert sorted(p.stem for p in (out / "reps").glob("*.xlsx")) == sorted(
        r["rep_id"] for r in data["reps"]
    )
    assert {"A", "B", "C", "D"} >= {r["grade"] for r in data["reps"]}
    assert "医药代表季度考核" in result.stdout  # the ranked table's title

    rec = data["reconciliation"]
    assert Decimal(str(rec["credited"])) + Decimal(str(rec["unassigned"])) == Decimal(
        str(rec["sales_in_period"])
    )
    assert rec["unassigned_lines"] == 1  # the line of R099, who is not on the roster
    assert any("R099" in w["message"] for w in data["warnings"])

    reps = {r["rep_id"]: r for r in data["reps"]}
    assert reps["R001"]["kpis"]["sales"]["status"] == "no_target"
    assert reps["R001"]["kpis"]["sales"]["score"] is None  # N/A, never 0
    assert reps["R038"]["penalty"] == 5
    assert reps["R013"]["kpis"]["sales"]["status"] == "adjusted"
    assert reps["R040"]["kpis"]["sales"]["actual"] == 0  # no sales at all: SUM is 0
    ranks = [r["rank"] for r in data["reps"]]
    assert ranks == sorted(ranks)

    book = openpyxl.load_workbook(out / "summary.xlsx")
    assert book.sheetnames[0] == "代表"
    rep_book = openpyxl.load_workbook(out / "reps" / "R013.xlsx")
    assert rep_book.sheetnames[0] == "考核表"
    text = [
        c.value for row in rep_book["考核表"].iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert any("客户退货冲销更正" in t for t in text)  # the adjustment's reason is shown


def test_json_is_byte_identical_and_matches_stdout(
    sample_run: tuple[Path, Any], tmp_path: Path
) -> None:
    work, _ = sample_run
    again = run("evaluate", work / "q3.xlsx", "--out", tmp_path / "again", "--json")
    assert again.exit_code == 0
    written = (work / "out" / "evaluation.json").read_text(encoding="utf-8")
    assert (tmp_path / "again" / "evaluation.json").read_text(encoding="utf-8") == written
    assert again.stdout == written  # --json: the result on stdout and nothing else


def test_refuses_to_overwrite_its_own_outputs(sample_run: tuple[Path, Any], tmp_path: Path) -> None:
    work, _ = sample_run
    result = run("evaluate", work / "q3.xlsx", "--out", work / "out", "--lang", "en")
    assert result.exit_code == 2
    assert f"'{work / 'out' / 'summary.xlsx'}' already exists — use --force" in result.stderr
    # Other commands' files in the shared folder do not block it.
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "tiers.xlsx").write_bytes(b"")
    assert run("evaluate", work / "q3.xlsx", "--out", tmp_path / "shared", "--quiet").exit_code == 0
    assert (
        run("evaluate", work / "q3.xlsx", "--out", work / "out", "--force", "--quiet").exit_code
        == 0
    )


def test_check_on_the_sample(sample_run: tuple[Path, Any]) -> None:
    work, _ = sample_run
    result = run("check", work / "q3.xlsx")
    assert result.exit_code == 0, result.output
    assert "期间 2025-Q3" in result.stderr
    # the warnings evaluate gives, grouped: seven, the unassigned sales spelled out
    assert result.stderr.startswith("7 条警告，归为 5 项：\n")
    assert "金额 23,541.00）属于不在名单上的代表（R099）" in result.stderr
    assert "指标 销售额（sales） 对 2 名代表为 N/A（R001、R006）— 本期无目标" in result.stderr
    english = run("check", work / "q3.xlsx", "--lang", "en")
    assert english.exit_code == 0
    assert english.stderr.startswith("7 warning(s), in 5 line(s):\n")
    assert "KPI Sales (sales) is N/A for 2 rep(s) (R001, R006) — no target for this period" in (
        english.stderr
    )
    assert "ok: scheme the built-in default scheme; period 2025-Q3" in english.stderr


def test_scheme_typo_is_exit_2_with_position_and_suggestion(tmp_path: Path) -> None:
    scheme = tmp_path / "spm.yaml"
    scheme.write_text(
        "kpis:\n  - id: sales\n    value: SUM(amount)\n    target: 100\n"
        "    scoring: {method: linar}\n"
        "roles:\n  r: {weights: {sales: 1}}\ndefault_role: r\n",
        encoding="utf-8",
    )
    result = run("evaluate", SAMPLE, "--scheme", scheme, "--out", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 2
    assert (
        f"{scheme}:5:23: kpis[0].scoring.method: 'linar' is not one of linear, bands, rating"
        in result.stderr
    )
    assert "did you mean 'linear'?" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_column_in_scheme_is_exit_2(tmp_path: Path) -> None:
    scheme = tmp_path / "s.yaml"
    scheme.write_text(
        "kpis:\n  - {id: sales, value: SUM(amout), target: 100}\n"
        "roles:\n  r: {weights: {sales: 1}}\n"
        "default_role: r\n",
        encoding="utf-8",
    )
    result = run("check", SAMPLE, "--scheme", scheme, "--lang", "en")
    assert result.exit_code == 2
    assert "kpis[0].value: unknown column 'amout' in table sales" in result.stderr
    assert "did you mean 'amount'?" in result.stderr


@pytest.mark.parametrize("same_kpi", [False, True], ids=["two-kpis", "one-kpi"])
def test_four_scheme_typos_are_reported_in_one_run(tmp_path: Path, same_kpi: bool) -> None:
    """A misspelt method, key, weight and column: one run, file order, exit 2 (issue 9.3),
    also when the misspelt method and column are in the same KPI."""
    text = default_scheme_text()
    column = (
        ("value: SUM(amount)\n", "value: SUM(amout)\n", "kpis[0].value: unknown column 'amout'")
        if same_kpi
        else ('"SUM(amount - cost) / SUM(amount)"', '"SUM(amout - cost) / SUM(amount)"',
              "kpis[1].value: unknown column 'amout'")
    )  # fmt: skip
    typos = [
        ("currency: CNY", "curency: CNY", "unknown key 'curency' — did you mean 'currency'?"),
        (
            "{method: linear, floor: 0.6",
            "{method: linar, floor: 0.6",
            "kpis[0].scoring.method: 'linar' is not one of linear, bands, rating"
            " — did you mean 'linear'?",
        ),
        (column[0], column[1], f"{column[2]} in table sales — did you mean 'amount'?"),
        (
            "weights: {sales: 30",
            "weights: {salse: 30",
            "roles.farmer.weights.salse: no KPI 'salse' — did you mean 'sales'?",
        ),
    ]
    typos.sort(key=lambda typo: text.index(typo[0]))
    expected = []
    for old, new, message in typos:
        assert text.count(old) == 1
        line = text[: text.index(old)].count("\n") + 1
        text = text.replace(old, new)
        expected.append((line, message))
    scheme = tmp_path / "spm.yaml"
    scheme.write_text(text, encoding="utf-8")
    result = run("check", SAMPLE, "--scheme", scheme, "--lang", "en")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4
    for shown, (line, message) in zip(lines, expected, strict=True):
        assert shown.startswith(f"error: {scheme}:{line}:")
        assert shown.endswith(message)


def messy_workbook(path: Path) -> Path:
    """An export with the usual problems: a text amount, a Chinese date, a rep off the roster."""
    return workbook(
        path,
        {
            "代表": [["工号", "姓名", "团队"], ["R1", "张三", "一组"], ["R2", "李四", "一组"]],
            "销售明细": [
                ["销售日期", "代表编号", "客户编号", "金额"],
                [JULY, "R1", "H1", 1000.5],
                ["2025年7月1日", "R2", "H2", "2,000.25"],
                [JULY, "R1", "H3", "abc"],
                [JULY, "R9", "H4", 300],
            ],
            "目标": [["代表编号", "指标", "目标值"], ["R1", "sales", 1000], ["R2", "sales", 4000]],
        },
    )


SIMPLE_SCHEME = (
    "kpis:\n  - {id: sales, label: 销售额, value: SUM(amount), target: targets}\n"
    "roles:\n  r: {weights: {sales: 1}}\ndefault_role: r\n"
    "grades: [{grade: A, min: 90}, {grade: B, min: 0}]\n"
)


def test_bad_row_stops_with_file_sheet_row_column_value(tmp_path: Path) -> None:
    book = messy_workbook(tmp_path / "q3.xlsx")
    (tmp_path / "s.yaml").write_text(SIMPLE_SCHEME, encoding="utf-8")
    result = run("evaluate", book, "--scheme", tmp_path / "s.yaml", "--out", tmp_path / "out")
    assert result.exit_code == 1
    # a Chinese run says where in Chinese too
    assert f"文件 {book} [销售明细] 第 4 行，列 '金额'：'abc' 不是金额" in result.stderr
    assert "--skip-invalid" in result.stderr
    assert "Traceback" not in result.output
    # the closing line in the run's language (the scheme's locale, zh by default)
    closing = result.stderr.strip().splitlines()[-1]
    assert closing.startswith("数据中有 ") and "全部列在" in closing
    assert closing.endswith("请改正，或加 --skip-invalid 跳过这些行重新运行。")
    errors = openpyxl.load_workbook(tmp_path / "out" / "errors.xlsx")["错误"]
    assert [c.value for c in errors[1]] == ["文件", "工作表", "行", "列", "值", "原因"]
    assert [c.value for c in errors[2]][:5] == [str(book), "销售明细", 4, "金额", "abc"]
    assert errors[2][5].value.startswith("不是金额")
    assert not (tmp_path / "out" / "evaluation.json").exists()


def test_skip_invalid_goes_on_and_reconciles(tmp_path: Path) -> None:
    book = messy_workbook(tmp_path / "q3.xlsx")
    (tmp_path / "s.yaml").write_text(SIMPLE_SCHEME, encoding="utf-8")
    result = run(
        "evaluate",
        book,
        "--scheme",
        tmp_path / "s.yaml",
        "--out",
        tmp_path / "out",
        "--skip-invalid",
        "--json",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    reps = {r["rep_id"]: r for r in data["reps"]}
    # R1: 1000.50 of 1000 → 100.05 %; R2: 2000.25 (the 2025年7月1日 line) of 4000 → 50.01 %.
    assert reps["R1"]["kpis"]["sales"]["achievement"] == 1.0005
    assert reps["R1"]["final_score"] == 100.05
    assert reps["R2"]["final_score"] == 50.01
    assert [reps["R1"]["grade"], reps["R2"]["grade"]] == ["A", "B"]
    assert data["reconciliation"] == {
        "sales_in_period": 3300.75,
        "credited": 3000.75,
        "unassigned": 300.0,
        "unassigned_lines": 1,
        "skipped_rows": 1,
    }
    assert any("row 4" in w["message"] and "abc" in w["message"] for w in data["warnings"])
    assert (tmp_path / "out" / "errors.xlsx").exists()


def test_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run("evaluate", tmp_path / "nope.xlsx", "--out", tmp_path / "out")
    assert result.exit_code == 2  # a usage error, as the README says
    assert "nope.xlsx" in result.stderr
    assert "Traceback" not in result.output


def test_bad_period_and_lang_are_usage_errors(tmp_path: Path) -> None:
    result = run("evaluate", SAMPLE, "--period", "2025-Q5", "--out", tmp_path / "o", "--lang", "en")
    assert result.exit_code == 2
    assert "period: '2025-Q5' is not a period label" in result.stderr
    result = run("evaluate", SAMPLE, "--lang", "fr", "--out", tmp_path / "o")
    assert result.exit_code == 2
    # before the language is known, problems are worded in zh, the product's language
    assert "错误：--lang 'fr' 不是 zh、en 之一" in result.stderr


def test_what_if_compares_and_writes_nothing(tmp_path: Path) -> None:
    result = run(
        "evaluate", SAMPLE, "--what-if", "sales=1.1", "--out", tmp_path / "out", "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    assert "What-if (nothing written): Sales × 1.1" in result.stdout
    assert " → " in result.stdout
    assert not (tmp_path / "out").exists()


def test_what_if_json_pays_more_for_more_sales(tmp_path: Path) -> None:
    base = json.loads(run("evaluate", SAMPLE, "--out", tmp_path / "a", "--json").stdout)
    more = json.loads(run("evaluate", SAMPLE, "--what-if", "sales=120%", "--json").stdout)
    before = {r["rep_id"]: r for r in base["reps"]}
    for rep in more["reps"]:
        old = before[rep["rep_id"]]
        if old["kpis"]["sales"]["actual"]:
            assert rep["kpis"]["sales"]["actual"] == pytest.approx(
                1.2 * old["kpis"]["sales"]["actual"], abs=0.01
            )
        assert rep["pay"]["commission"] >= old["pay"]["commission"]


def test_what_if_names_an_unknown_kpi() -> None:
    result = run("evaluate", SAMPLE, "--what-if", "sale=1.1", "--lang", "en")
    assert result.exit_code == 2
    assert "--what-if: 'sale' is not a KPI of the scheme — did you mean 'sales'?" in result.stderr


@pytest.mark.parametrize(
    ("value", "where", "reason"),
    [
        ("SUM(product)", None, "`sum` operation not supported for dtype `str`"),
        ("SUM(amount)", "product > 5", "cannot compare string with numeric type"),
    ],
)
def test_expression_on_the_wrong_column_type_is_a_scheme_error(
    tmp_path: Path, value: str, where: str | None, reason: str
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "sales.csv").write_text(
        "date,rep_id,customer_id,amount,product\n2025-07-01,R1,C1,100,A\n", encoding="utf-8"
    )
    filter_ = f', where: "{where}"' if where else ""
    scheme = tmp_path / "s.yaml"
    scheme.write_text(
        f'kpis:\n  - {{id: s, value: "{value}", target: 10{filter_}}}\n'
        "roles:\n  r: {weights: {s: 1}}\ndefault_role: r\n",
        encoding="utf-8",
    )
    result = run(
        "evaluate", tmp_path / "in", "--scheme", scheme, "--out", tmp_path / "out", "--lang", "en"
    )
    assert result.exit_code == 2
    key = "where" if where else "value"
    assert f"kpis[0].{key}: cannot be computed on the column types of table sales" in result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.output


def test_a_narrow_terminal_keeps_the_most_weighted_kpis_and_wide_shows_all(
    sample_run: tuple[Path, Any], tmp_path: Path
) -> None:
    work, _ = sample_run
    args = ["evaluate", str(work / "q3.xlsx"), "--out", str(tmp_path), "--force"]
    narrow = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
    header = next(line for line in narrow.stdout.splitlines() if "排名" in line)
    # sales (55 points over the two roles) and new customers (30) stay; teamwork too
    assert "销售额" in header and "新开发客户" in header
    assert "客户培训场次" not in header
    assert "未显示权重较低的 6 个指标得分" in narrow.stdout
    assert max(cell_len(line) for line in narrow.stdout.splitlines()) <= 120
    wide = CliRunner().invoke(app, [*args, "--wide"], env={"COLUMNS": "120"})
    assert "客户培训场次" in wide.stdout and "未显示" not in wide.stdout


def minimal_export(folder: Path, lines: str) -> Path:
    """A sales export with only the four required columns, as a CRM gives it."""
    folder.mkdir()
    (folder / "sales.csv").write_text("date,rep_id,customer_id,amount\n" + lines, "utf-8")
    return folder


def test_a_minimal_export_says_what_the_close_stands_on(tmp_path: Path) -> None:
    lines = "2025-07-01,R1,C1,1000\n2025-08-03,R1,C2,500\n2025-07-15,R2,C1,800\n"
    lines += "2025-04-02,R1,C1,900\n2025-05-02,R2,C3,300\n"
    data = minimal_export(tmp_path / "in", lines)
    result = run("evaluate", data, "--out", tmp_path / "out")
    assert result.exit_code == 0  # reps are scored on what the data allows: a close with gaps
    assert "6 个计分指标因缺少所需的表或列而所有人均为 N/A：回款率、拜访次数" in result.stderr
    assert "spm init" in result.stderr
    assert (
        "1 个计分指标本期没有任何人的目标：销售额。在目标表（代表编号、指标、目标）中填写"
        in result.stderr
    )
    assert "没有任何代表可以计分" not in result.stderr


def test_a_minimal_export_with_targets_is_scored_on_all_its_sales(tmp_path: Path) -> None:
    data = minimal_export(
        tmp_path / "in", "2025-07-01,R1,C1,1000\n2025-08-03,R1,C2,500\n2025-07-15,R2,C1,800\n"
    )
    (data / "targets.csv").write_text("rep_id,kpi,target\nR1,sales,1500\nR2,sales,1000\n", "utf-8")
    result = run("evaluate", data, "--out", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 0
    # no category column: the default scheme's "not OTC" filter cannot apply, every line counts
    assert (
        "KPI Sales (sales): table 'sales' has no column 'category', so its filter "
        "category <> 'OTC' is "
        "not applied and every row counts" in result.stderr
    )
    reps = {
        r["rep_id"]: r
        for r in json.loads((tmp_path / "out" / "evaluation.json").read_text())["reps"]
    }
    written = json.loads((tmp_path / "out" / "evaluation.json").read_text())
    (roster,) = [w["message"] for w in written["warnings"] if w["code"] == "no_reps_table"]
    assert roster.endswith("all with the default role 'Farmer (farmer)'")  # label and id
    # sales is the one KPI the data allows: R1 1500 / 1500 = 100 %, R2 800 / 1000 = 80 %
    assert (reps["R1"]["final_score"], reps["R1"]["grade"], reps["R1"]["rank"]) == (100.0, "A", 1)
    assert (reps["R2"]["final_score"], reps["R2"]["grade"], reps["R2"]["rank"]) == (80.0, "B", 2)


def test_a_close_in_which_nobody_is_scored_exits_1(tmp_path: Path) -> None:
    data = minimal_export(tmp_path / "in", "2025-07-01,R1,C1,1000\n")
    result = run("evaluate", data, "--out", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 1
    assert "no rep could be scored at all: the data cannot be evaluated" in result.stderr
    # one quarter of lines: nothing to compare repurchase with
    no_data = (
        "1 weighted KPI(s) have no data to compute for anyone: Repurchase rate. "
        "Repurchase rate needs the sales lines of 2025-04-01..2025-06-30\n"
    )
    assert no_data in result.stderr
    assert (tmp_path / "out" / "summary.xlsx").is_file()  # written, to show why
    quiet = run("evaluate", data, "--out", tmp_path / "out", "--force", "-q")
    assert quiet.exit_code == 1 and "没有任何代表可以计分" in quiet.stderr


def test_a_misspelt_target_key_gives_no_knock_on_error(tmp_path: Path) -> None:
    """The team KPI of a sales KPI that did not validate is not said to have no target."""
    text = default_scheme_text().replace(
        "    target: targets\n    scoring: {method: linear, floor: 0.6",
        "    tagret: targets\n    scoring: {method: linear, floor: 0.6",
        1,
    )
    scheme = tmp_path / "spm.yaml"
    scheme.write_text(text, encoding="utf-8")
    result = run("check", SAMPLE, "--scheme", scheme, "--lang", "en")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.endswith("kpis[0]: unknown key 'tagret' — did you mean 'target'?")


def test_a_long_rep_id_is_cut_before_the_final_score_grade_and_pay(tmp_path: Path) -> None:
    long_id = "REP-EAST-SHANGHAI-000000000001"
    data = minimal_export(tmp_path / "in", f"2025-07-01,{long_id},C1,1000\n2025-07-02,R2,C2,500\n")
    (data / "targets.csv").write_text(
        f"rep_id,kpi,target\n{long_id},sales,900\nR2,sales,900\n", encoding="utf-8"
    )
    args = ["evaluate", str(data), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80"})
    row = next(line for line in result.stdout.splitlines() if "REP-EAST" in line)
    # 1,000 of 900: 111.11, an A, and the commission of the marginal tiers
    assert "111.11" in row and " A " in row and "6.60" in row
