"""``spm letters``: letters for the sample read back and checked against evaluation.json of
the same run; hostile names, broken and malicious templates, PDF without LibreOffice."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.letters.context import show
from spmcli.letters.render import (
    FORMATS,
    markdown_escape,
    shipped_template,
    templates_root,
)

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
DOCX_BUILDER = Path(__file__).parent.parent / "tools" / "build_docx_templates.py"


def run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def number(text: str) -> Decimal | None:
    """A figure as a letter shows it, back to the number evaluation.json holds."""
    text = text.strip().replace(",", "").replace("−", "-")
    if text == "N/A":
        return None
    if text.endswith("%"):
        return Decimal(text[:-1]) / 100
    return Decimal(text)


def same(shown: str, figure: Any) -> bool:
    value = number(shown)
    return (value is None and figure is None) or (
        value is not None and figure is not None and value == Decimal(str(figure))
    )


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One evaluation and the letters in every format, into the same output folder."""
    work = tmp_path_factory.mktemp("letters")
    shutil.copy(SAMPLE, work / "q3.xlsx")
    out = work / "out"
    result = run("evaluate", work / "q3.xlsx", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "evaluation.json").read_text("utf-8"), parse_float=Decimal)
    letters = {}
    for fmt, lang in (("md", "zh"), ("html", "en"), ("docx", "zh")):
        target = work / fmt
        result = run("letters", work / "q3.xlsx", "--out", target, "--format", fmt, "--lang", lang)
        assert result.exit_code == 0, result.output
        letters[fmt] = target / "letters"
    return {"work": work, "json": data, "letters": letters}


def letter_of(folder: Path, rep_id: str, suffix: str) -> Path:
    (found,) = folder.glob(f"{rep_id}_*{suffix}")
    return found


def check_kpi_rows(
    rep: dict[str, Any], rows: list[list[str]], labels: dict[str, str] | None = None
) -> int:
    """Every weighted KPI's row, found by its label in the letter's language (``labels``,
    default Chinese), shows the JSON's actual, target, achievement, score, weight."""
    labels = labels or LABELS
    by_label = {row[0]: row for row in rows}
    checked = 0
    for kpi_id, figures in rep["kpis"].items():
        if not figures["weight"]:
            continue
        label = next(r for r in by_label if r == labels[kpi_id])
        cells = by_label[label]
        for col, key in enumerate(("actual", "target", "achievement", "score", "weight"), 1):
            assert same(cells[col], figures[key]), (rep["rep_id"], kpi_id, key, cells[col])
        checked += 1
    return checked


LABELS = {
    "sales": "销售额",
    "gross_margin": "毛利率",
    "collection": "回款率",
    "growth": "同比增长",
    "new_customers": "新开发客户",
    "repurchase": "复购率",
    "visits": "拜访次数",
    "visit_success": "有效拜访率",
    "satisfaction": "客户满意度",
    "trainings": "客户培训场次",
    "academic": "学术会议场次",
    "team_sales": "团队销售达成",
    "teamwork": "团队协作",
}
# the built-in scheme's labels in English: an English letter names the KPIs in English
LABELS_EN = {
    "sales": "Sales",
    "gross_margin": "Gross margin",
    "collection": "Collection rate",
    "growth": "Growth YoY",
    "new_customers": "New customers",
    "repurchase": "Repurchase rate",
    "visits": "Visits",
    "visit_success": "Effective visit rate",
    "satisfaction": "Customer satisfaction",
    "trainings": "Customer trainings",
    "academic": "Academic meetings",
    "team_sales": "Team sales",
    "teamwork": "Teamwork",
}


# ------------------------------------------------------------------------------ sample


def test_one_letter_per_due_rep_in_each_format(sample: dict[str, Any]) -> None:
    reps = [r for r in sample["json"]["reps"] if r["due"]]
    for fmt, folder in sample["letters"].items():
        files = sorted(folder.iterdir())
        assert len(files) == len(reps) == 40
        assert {f.name.split("_")[0] for f in files} == {r["rep_id"] for r in reps}
        assert all(f.suffix == f".{fmt}" for f in files)
    assert (sample["letters"]["md"] / "R001_吴敏艳.md").is_file()  # CJK kept in names


def test_markdown_letters_show_the_figures_of_evaluation_json(sample: dict[str, Any]) -> None:
    checked = 0
    for rep in sample["json"]["reps"]:
        text = letter_of(sample["letters"]["md"], rep["rep_id"], ".md").read_text("utf-8")
        assert f"**最终得分 {rep['final_score']}**" in text
        assert f"等级 **{rep['grade']}**" in text
        assert f"全体第 {rep['rank']} / 40" in text
        assert f"第 {rep['team_rank']} / " in text
        rows = [
            [c.strip() for c in line.strip("|").split("|")]
            for line in text.splitlines()
            if line.startswith("| ")
        ]
        checked += check_kpi_rows(rep, [r for r in rows if len(r) == 8])
        total = next(r for r in rows if r[0] == "**合计**")
        assert same(total[1].strip("*"), rep["pay"]["total"])
        for part, name in (("bonus", "奖金"), ("commission", "提成"), ("team_pool", "团队奖金池")):
            assert same(next(r for r in rows if r[0] == name)[1], rep["pay"][part])
        assert "7 日内" in text  # feedback.appeal_days of the default scheme
        assert "签字" in text
    assert checked == 40 * 6


def test_markdown_letter_words_strengths_trend_and_comments_from_the_data(
    sample: dict[str, Any],
) -> None:
    text = (sample["letters"]["md"] / "R013_郭红红.md").read_text("utf-8")
    strengths = text.split("## 优势")[1].split("##")[0]
    improve = text.split("## 待提升")[1].split("##")[0]
    assert "回款率：得分 87.86" in strengths and "本期相对最好的指标" in strengths
    # worst first, with the gap to target and what closing it is worth
    assert improve.index("客户培训场次") < improve.index("客户满意度") < improve.index("销售额")
    assert "距目标还差 69,364.60" in improve  # 231,000.00 − 161,635.40
    assert "达到 4 可得 75 分" in improve  # the next satisfaction band
    trend = text.split("## 与上期对比")[1].split("##")[0]
    assert "最终得分由 71.39（2025-Q2）降至 62.96" in trend
    assert "2025-Q2 未计分的指标：销售额、团队协作" in trend
    assert "已按审批调整：客户退货冲销更正" in text  # the approved adjustment, in Chinese
    commented = (sample["letters"]["md"] / "R001_吴敏艳.md").read_text("utf-8")
    assert "优势：数据记录规范，拜访信息完整" in commented
    assert "（面谈时填写）" in text  # R013 has no manager comments


def test_trend_matches_the_previous_period_evaluation(sample: dict[str, Any]) -> None:
    work = sample["work"]
    result = run(
        "evaluate", work / "q3.xlsx", "--period", "2025-Q2", "--json", "--quiet",
        "--out", work / "q2",
    )  # fmt: skip
    before = {r["rep_id"]: r for r in json.loads(result.stdout)["reps"]}
    now = {r["rep_id"]: r for r in sample["json"]["reps"]}
    for rep_id in ("R001", "R013", "R038"):
        text = letter_of(sample["letters"]["md"], rep_id, ".md").read_text("utf-8")
        row = next(line for line in text.splitlines() if line.startswith("| 最终得分 |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert same(cells[1], before[rep_id]["final_score"])
        assert same(cells[2], now[rep_id]["final_score"])
        change = Decimal(str(now[rep_id]["final_score"])) - Decimal(
            str(before[rep_id]["final_score"])
        )
        assert number(cells[3]) == change


class _Tables(HTMLParser):
    """Rows of every table and the text of the page, as a browser would show them."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.text: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "img":
            self.images.append(dict(attrs).get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def test_html_letters_show_the_figures_of_evaluation_json(sample: dict[str, Any]) -> None:
    for rep in sample["json"]["reps"]:
        page = _Tables()
        page.feed(letter_of(sample["letters"]["html"], rep["rep_id"], ".html").read_text("utf-8"))
        summary = page.rows[1]
        assert same(summary[0], rep["final_score"])
        assert summary[1].startswith(rep["grade"])
        assert summary[2] == f"{rep['rank']} / 40"
        assert same(summary[5], rep["pay"]["total"])
        kpi_rows = [r for r in page.rows if r and r[0] in LABELS_EN.values() and len(r) == 8]
        assert check_kpi_rows(rep, kpi_rows, LABELS_EN) > 0
        assert page.images[0].startswith("data:image/svg+xml;base64,")  # the chart, inline
        text = "".join(page.text)
        assert f"within {7} days" in text and "Manager (" in text


def test_docx_letters_show_the_figures_of_evaluation_json(sample: dict[str, Any]) -> None:
    for rep in sample["json"]["reps"][:10]:
        document = docx.Document(str(letter_of(sample["letters"]["docx"], rep["rep_id"], ".docx")))
        rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
        summary = next(r for i, r in enumerate(rows) if i and rows[i - 1][0] == "最终得分")
        assert same(summary[0], rep["final_score"])
        assert same(summary[5], rep["pay"]["total"])
        check_kpi_rows(rep, [r for r in rows if r[0] in LABELS.values() and len(r) == 8])
        text = "\n".join(p.text for p in document.paragraphs)
        assert "{{" not in text and "{%" not in text
        assert rep["name"] in text


def test_docx_sets_east_asian_fonts(sample: dict[str, Any]) -> None:
    document = docx.Document(str(sample["letters"]["docx"] / "R001_吴敏艳.docx"))
    fonts = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    heading = document.styles["Heading 1"].element.find(f".//{qn('w:rFonts')}")
    assert heading.get(qn("w:eastAsia")) == "微软雅黑"


# ---------------------------------------------------------------------- hostile inputs

HOSTILE_SCHEME = """\
name: tiny
cycle: quarter
period: 2025-Q3
kpis:
  - {id: sales, label: Sales, value: SUM(amount), target: 1000}
  - {id: big, label: Big deals, value: SUM(amount), where: amount > 100, target: 1000}
roles:
  rep: {weights: {sales: 60, big: 40}}
default_role: rep
grades: [{grade: A, min: 90}, {grade: B, min: 0}]
"""


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "reps.csv").write_text(
        "rep_id,name,team\nR1,<script>alert(1)</script>,T1\n../../x,Eve,T1\nCON,Con,T1\n",
        encoding="utf-8",
    )
    (data / "sales.csv").write_text(
        "date,rep_id,customer_id,amount\n2025-07-01,R1,C1,1200\n2025-07-02,../../x,C2,50\n"
        "2025-08-01,CON,C3,900\n",
        encoding="utf-8",
    )
    (data / "comments.csv").write_text(
        'rep_id,strengths\nR1,"<img src=x onerror=alert(2)> **bold** | pipe"\n', encoding="utf-8"
    )
    (tmp_path / "scheme.yaml").write_text(HOSTILE_SCHEME, encoding="utf-8")
    return tmp_path


def letters_of(work: Path, fmt: str, *extra: str) -> tuple[Any, Path]:
    result = run(
        "letters", work / "data", "--scheme", work / "scheme.yaml", "--out", work / fmt,
        "--format", fmt, *extra,
    )  # fmt: skip
    return result, work / fmt / "letters"


def test_hostile_names_stay_text_and_inside_the_folder(hostile: Path) -> None:
    for fmt in FORMATS:
        result, folder = letters_of(hostile, fmt)
        assert result.exit_code == 0, result.output
        names = sorted(p.name for p in folder.iterdir())
        assert names == sorted(
            [f"CON_Con.{fmt}", f"R1__script_alert(1)__script_.{fmt}", f"____x_Eve.{fmt}"]
        )
        assert [p for p in hostile.rglob(f"*.{fmt}") if folder not in p.parents] == []
    html = next((hostile / "html" / "letters").glob("R1_*")).read_text("utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = _Tables()
    page.feed(html)
    assert "<script>alert(1)</script>" in "".join(page.text)  # shown as text
    md = next((hostile / "md" / "letters").glob("R1_*")).read_text("utf-8")
    assert "<script>" not in md and r"\<script\>alert(1)\</script\>" in md
    assert r"\*\*bold\*\* \| pipe" in md
    document = docx.Document(str(next((hostile / "docx" / "letters").glob("R1_*"))))
    assert "<script>alert(1)</script>" in "\n".join(p.text for p in document.paragraphs)


# ------------------------------------------------------------------------ bad templates


def user_template(hostile: Path, name: str, text: str) -> Any:
    path = hostile / name
    path.write_text(text, encoding="utf-8")
    result, _ = letters_of(hostile, path.suffix[1:], "--template", str(path))
    return result


def test_a_user_template_gets_the_same_context(hostile: Path) -> None:
    result = user_template(
        hostile, "mine.md", "{{ rep.rep_id }}: {{ result.final_score }} {{ kpis[0].score }}\n"
    )
    assert result.exit_code == 0, result.output
    texts = sorted(p.read_text("utf-8") for p in (hostile / "md" / "letters").iterdir())
    assert texts == ["../../x: 3.00 5.00\n", "CON: 90.00 90.00\n", "R1: 120.00 120.00\n"]


def test_a_broken_template_names_template_line_and_what_is_undefined(hostile: Path) -> None:
    result = user_template(hostile, "broken.md", "# {{ rep.name }}\n\nHello {{ rep.nmae }}\n")
    assert result.exit_code == 2
    assert "broken.md，第 3 行" in result.stderr
    assert "nmae" in result.stderr and "未定义" in result.stderr
    assert "Traceback" not in result.output
    assert not (hostile / "md" / "letters").exists()  # stopped before any letter

    result = user_template(hostile, "syntax.html", "<p>{% if rep.name %}open</p>\n")
    assert result.exit_code == 2
    assert "syntax.html，第 1 行：语法错误" in result.stderr


def test_a_broken_word_template_names_the_paragraph(hostile: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Dear {{ rep.nmae }},")
    path = hostile / "broken.docx"
    document.save(str(path))
    result, _ = letters_of(hostile, "docx", "--template", str(path))
    assert result.exit_code == 2
    assert "broken.docx，段落 'Dear {{ rep.nmae }},'" in result.stderr
    assert "nmae" in result.stderr


NOT_ALLOWED = "模板中不允许"
NO_FILES = "试图包含或导入"
TOO_BIG = (
    "生成的文本、列表或数字超出了任何信函的需要"
    "（超过 5,000,000 个字符或元素，或超过 3,000 位的数字）"
)
BOUNDED = " — 信函模板是一页文档而不是程序：请检查循环套循环、调用自身的宏或被重复很多次的文本"
ATTACKS = {
    "mro": ("{{ ''.__class__.__mro__ }}", NOT_ALLOWED),
    "subclasses": ("{{ rep.__class__.__subclasses__() }}", NOT_ALLOWED),
    "globals": ("{{ cycler.__init__.__globals__ }}", NOT_ALLOWED),
    "mutate": ("{{ kpis.pop() }}", NOT_ALLOWED),
    "include": ("{% include '/etc/passwd' %}", NO_FILES),
    "import": ("{% import '../spm.yaml' as x %}", NO_FILES),
    "extends": ("{% extends 'letter.zh.md' %}", NO_FILES),
}
# Past a bound: the hint says what a template is for.
BOUNDS = {
    "range": ("{% for i in range(10**12) %}x{% endfor %}", "range() 最多只能数 100,000 个数"),
    "loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "生成一封信超过了 0.5 秒",
    ),
    "recursion": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "调用自身没有尽头"),
    "fan-out": (
        "{% macro f(n) %}{% if n < 60 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}"
        "{{ f(0) }}",
        "生成一封信超过了 0.5 秒",
    ),
    "huge": ("{{ 'x' * 10**10 }}", TOO_BIG),
    "pad": ("{{ 'x'.ljust(10**9) }}", TOO_BIG),
    "output": ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", TOO_BIG),
    "doubling": (
        "{% set n = namespace(s='x') %}{% for i in range(64) %}{% set n.s = n.s ~ n.s %}"
        "{% endfor %}",
        TOO_BIG,
    ),
    "power": ("{{ 9 ** (10 ** 8) }}", TOO_BIG),
    "nesting": (
        "{% set n = namespace(c=['x']) %}{% for i in range(64) %}{% set n.c = [n.c, n.c] %}"
        "{% endfor %}{{ n.c }}",
        TOO_BIG,
    ),
}
ATTACKS |= BOUNDS


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_templates_cannot_reach_files_or_python_internals_or_run_without_end(
    hostile: Path, monkeypatch: pytest.MonkeyPatch, attack: str, fmt: str
) -> None:
    """Each attack is refused, or stopped at a bound no letter meets, with the template and
    where in it; exit 2 and no letter written."""
    monkeypatch.setattr("spmcli.letters.sandbox.MAX_SECONDS", 0.5)
    text, says = ATTACKS[attack]
    path = hostile / f"evil.{fmt}"
    if fmt == "docx":
        document = docx.Document()
        document.add_paragraph("x")
        document.add_paragraph(text)
        document.save(str(path))
        where = f"evil.docx，段落 '{text[:80]}'"
    else:
        path.write_text(f"x\n{text}\n", encoding="utf-8")
        where = f"evil.{fmt}，第 2 行"
    result, folder = letters_of(hostile, fmt, "--template", str(path))
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"错误：模板 {path.parent / where}：") and says in line, line
    assert line.endswith(BOUNDED) == (attack in BOUNDS), line
    assert "root:" not in result.output and "Traceback" not in result.output
    assert not folder.exists()


def test_a_bound_is_worded_in_the_run_language(hostile: Path) -> None:
    path = hostile / "evil.md"
    path.write_text("x\n{{ 'x' * 10**10 }}\n", encoding="utf-8")
    result, _ = letters_of(hostile, "md", "--template", str(path), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: template {path}, line 2: makes a text, list or number larger than any letter "
        "needs (more than 5,000,000 characters or items, or a number of more than 3,000 digits)"
        " — a letter template is a page, not a program: look for loops inside loops, a macro "
        "that calls itself, or text repeated many times\n"
    )


def test_a_template_format_mismatch_is_a_usage_error(hostile: Path) -> None:
    (hostile / "mine.html").write_text("x", encoding="utf-8")
    result, _ = letters_of(hostile, "md", "--template", str(hostile / "mine.html"))
    assert result.exit_code == 2
    assert "看起来是 html，但 --format 是 md" in result.stderr


# ------------------------------------------------------------------- options and PDFs


def test_rep_option_limits_and_checks_the_reps(hostile: Path) -> None:
    result, folder = letters_of(hostile, "md", "--rep", "CON", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert [letter["rep_id"] for letter in summary["letters"]] == ["CON"]
    assert [p.name for p in folder.iterdir()] == ["CON_Con.md"]
    result, _ = letters_of(hostile, "html", "--rep", "R11")
    assert result.exit_code == 2
    assert "'R11' 不在代表名单上 — 是不是 'R1'？" in result.stderr


def test_reps_not_due_get_no_letter(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    result = run(
        "letters", tmp_path / "q3.xlsx", "--period", "2025-07", "--format", "md",
        "--out", tmp_path / "out",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out" / "letters").iterdir())) == 13  # the monthly hunters
    assert "27 名代表本期（2025-07）不考核（其角色考核周期更长），不生成面谈函" in result.stderr
    result = run(
        "letters", tmp_path / "q3.xlsx", "--period", "2025-07", "--rep", "R001",
        "--out", tmp_path / "out2",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'R001' 在 2025-07 不需考核" in result.stderr


def test_pdf_without_libreoffice_says_how_to_install_it(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("spmcli.letters.pdf.find_soffice", lambda: None)
    result, folder = letters_of(hostile, "docx", "--pdf")
    assert result.exit_code == 2
    assert "需要 LibreOffice（soffice），但没有安装" in result.stderr
    assert "安装" in result.stderr.split("没有安装")[1]
    assert not folder.exists()
    result, _ = letters_of(hostile, "md", "--pdf")
    assert result.exit_code == 2 and "加上 --format html 或 docx" in result.stderr


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice or poppler's pdftotext is not installed",
)
def test_pdf_with_libreoffice_starts_with_the_title_on_page_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("letters", SAMPLE, "--format", "html", "--pdf", "--rep", "R001", "--out", out)
    assert result.exit_code == 0, result.output
    (pdf,) = (out / "letters").glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    # LibreOffice's web-page import would leave page one blank and drop the title
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    )
    assert first.stdout.lstrip().startswith("绩效面谈反馈"), first.stdout[:200]


def test_existing_letters_need_force(hostile: Path) -> None:
    assert letters_of(hostile, "md")[0].exit_code == 0
    result, _ = letters_of(hostile, "md")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert letters_of(hostile, "md", "--force")[0].exit_code == 0


# ------------------------------------------------------------------------ the pieces


def test_figures_are_formatted_not_rounded_again() -> None:
    assert show(Decimal("288847.80"), "money") == "288,847.80"
    assert show(Decimal("1.2559"), "achievement") == "125.59%"
    assert show(Decimal("0.4515"), "percent") == "45.15%"
    assert show(Decimal("30.00"), "weight") == "30"
    assert show(Decimal("104.81"), "score") == "104.81"
    assert show(Decimal("70.0000"), "number") == "70.00"
    assert show(Decimal("4.6625"), "number") == "4.6625"
    assert show(75, "count") == "75"
    assert show(None, "money") == "N/A"


def test_markdown_escape() -> None:
    assert markdown_escape("<b>*x*</b> | [a](b)") == r"\<b\>\*x\*\</b\> \| \[a\](b)"
    assert markdown_escape(3) == 3


def test_every_format_and_language_is_shipped() -> None:
    for fmt in FORMATS:
        for lang in ("zh", "en"):
            assert shipped_template(fmt, lang).source
    assert templates_root().joinpath("letter.zh.docx").is_file()


@pytest.fixture(scope="module")
def docx_builder() -> ModuleType:
    """tools/build_docx_templates.py is a developer script, not a package module: load it
    by path."""
    spec = importlib.util.spec_from_file_location("build_docx_templates", DOCX_BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_word_templates_are_what_the_generator_makes(lang: str, docx_builder: ModuleType) -> None:
    """templates/letter.*.docx are generated: regenerate them after changing the script
    with `python tools/build_docx_templates.py`."""
    shipped = docx.Document(str(templates_root().joinpath(f"letter.{lang}.docx")))
    built = docx_builder.build(lang)
    assert shipped.element.xml == built.element.xml
    assert shipped.styles.element.xml == built.styles.element.xml


def test_the_docx_build_script_writes_the_shipped_templates(tmp_path: Path) -> None:
    """Run as a script, the generator writes both Word templates, and every part of each
    (document, styles, numbering, properties ...) is the shipped one byte for byte."""
    result = subprocess.run(
        [sys.executable, str(DOCX_BUILDER), str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for lang in ("zh", "en"):
        written = tmp_path / f"letter.{lang}.docx"
        assert f"wrote {written}" in result.stdout
        shipped_bytes = templates_root().joinpath(f"letter.{lang}.docx").read_bytes()
        with (
            zipfile.ZipFile(written) as built,
            zipfile.ZipFile(io.BytesIO(shipped_bytes)) as shipped,
        ):
            assert built.namelist() == shipped.namelist()
            for part in shipped.namelist():
                assert built.read(part) == shipped.read(part), f"letter.{lang}.docx: {part}"
