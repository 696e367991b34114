"""Build the shipped Word letter templates (``templates/letter.zh.docx``, ``letter.en.docx``).

A developer tool, not part of the ``spmcli`` package: spm only reads the templates it
writes. The .docx templates are generated, not drawn by hand, so that they stay in step
with the letter context and with the Markdown and HTML templates. Regenerate them after
a change here with::

    python tools/build_docx_templates.py [FOLDER]

(FOLDER defaults to the repository's ``templates/``; ``tests/test_letters.py`` checks
that the shipped files are what this script writes). It needs python-docx, which comes
with docxtpl, a dependency of spm.

They are ordinary Word documents with docxtpl tags (``{{ rep.name }}``, ``{%tr for k
in kpis %}`` for table rows, ``{%p if … %}`` for whole paragraphs): open one in Word or
LibreOffice, restyle it, and pass it with ``--template``. Every run sets an East Asian
font (``eastAsia``), so Chinese text shows in 宋体 / 微软雅黑 in Word and in the
Noto CJK fallback in LibreOffice, never in a Latin font's missing glyphs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # the shipped ones
LATIN_FONT = "Calibri"
BODY_EAST_ASIA = "宋体"
HEADING_EAST_ASIA = "微软雅黑"
BLUE = RGBColor(0x1D, 0x4F, 0x8C)
GREY = RGBColor(0x6A, 0x73, 0x7D)
HEADER_FILL = "E6EEF7"
BORDER = "B8C7DA"
TEXT_WIDTH_CM = 17.0  # A4 less 2 cm margins
KPI_COLUMNS = (
    "kpi",
    "actual",
    "target",
    "achievement",
    "score",
    "weight",
    "team_average",
    "status",
)

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "绩效面谈反馈 · {{ period.label }}",
        "subtitle": "{{ scheme.name }} · 考核期间 {{ period.start }} 至 {{ period.end }}",
        "who": "代表：{{ rep.name }}（{{ rep.rep_id }}）　团队：{{ rep.team }}　"
        "角色：{{ rep.role_label }}　经理：{{ rep.manager }}",
        "final_score": "最终得分",
        "grade": "等级",
        "rank": "全体排名",
        "team_rank": "团队排名",
        "team_average": "团队平均",
        "total_pay": "应发合计（{{ pay.currency }}）",
        "penalty": "综合得分 {{ result.composite }}，扣分 {{ result.penalty }}"
        "{% if result.penalty_reason %}（{{ result.penalty_reason }}）{% endif %}。",
        "kpis": "考核指标",
        "kpi": "指标",
        "actual": "实际",
        "target": "目标",
        "achievement": "达成率",
        "score": "得分",
        "weight": "权重",
        "status": "状态",
        "note_sep": "：",
        "info": "仅供参考（不计入得分）：{% for k in info_kpis %}{{ k.label }} {{ k.actual }}"
        "{% if not loop.last %}；{% endif %}{% endfor %}。",
        "strengths": "优势",
        "no_strengths": "本期没有可计分的指标。",
        "improvements": "待提升",
        "no_improvements": "所有计分指标均已达到目标。",
        "na": "本期未计分：{% for k in na_kpis %}"
        "{{ k.label }}（{{ k.status_label }}，{{ k.note }}）"
        "{% if not loop.last %}；{% endif %}{% endfor %}。",
        "trend": "与上期对比",
        "change": "变化",
        "no_trend": "无上期数据。",
        "comments": "经理评语",
        "c_strengths": "优势",
        "c_improvements": "待改进",
        "c_plan": "建议",
        "pay": "薪酬（{{ pay.currency }}）",
        "part": "项目",
        "amount": "金额",
        "how": "说明",
        "total": "合计",
        "plan": "改进计划",
        "focus": "重点提升：{% for k in plan.kpis %}{{ k.label }}（得分 {{ k.score }}）"
        "{% if not loop.last %}、{% endif %}{% endfor %}。",
        "no_focus": "各项指标均已达标，请商定下期的挑战目标。",
        "action": "商定的行动",
        "owner": "负责人",
        "due": "完成日期",
        "appeal": "申诉",
        "appeal_text": "如对本期考核结果有异议，请在面谈之日起 {{ appeal.days }} 日内，"
        "以书面形式向直属经理"
        "{% if rep.manager %}（{{ rep.manager }}）{% endif %}或人力资源部提出申诉，"
        "写明有异议的指标、理由及依据。逾期未申诉视为确认本结果。",
        "rep_sign": "代表签字（{{ rep.name }}）：",
        "manager_sign": "经理签字（{{ rep.manager }}）：",
        "date": "日期：",
    },
    "en": {
        "title": "Performance review · {{ period.label }}",
        "subtitle": "{{ scheme.name }} · period {{ period.start }} to {{ period.end }}",
        "who": "Rep: {{ rep.name }} ({{ rep.rep_id }})   Team: {{ rep.team }}   "
        "Role: {{ rep.role_label }}   Manager: {{ rep.manager }}",
        "final_score": "Final score",
        "grade": "Grade",
        "rank": "Rank overall",
        "team_rank": "Rank in team",
        "team_average": "Team average",
        "total_pay": "Total pay ({{ pay.currency }})",
        "penalty": "Composite {{ result.composite }}, less {{ result.penalty }} penalty points"
        "{% if result.penalty_reason %} ({{ result.penalty_reason }}){% endif %}.",
        "kpis": "KPIs",
        "kpi": "KPI",
        "actual": "Actual",
        "target": "Target",
        "achievement": "Achievement",
        "score": "Score",
        "weight": "Weight",
        "status": "Status",
        "note_sep": ": ",
        "info": "For information (not scored): {% for k in info_kpis %}{{ k.label }} {{ k.actual }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}.",
        "strengths": "Strengths",
        "no_strengths": "No KPI could be scored this period.",
        "improvements": "Areas to improve",
        "no_improvements": "Every scored KPI is at or above target.",
        "na": "Not scored this period: {% for k in na_kpis %}{{ k.label }} ({{ k.status_label }}; "
        "{{ k.note }}){% if not loop.last %}; {% endif %}{% endfor %}.",
        "trend": "Trend",
        "change": "Change",
        "no_trend": "No earlier period to compare with.",
        "comments": "Manager's comments",
        "c_strengths": "Strengths",
        "c_improvements": "To improve",
        "c_plan": "Suggested plan",
        "pay": "Pay ({{ pay.currency }})",
        "part": "Part",
        "amount": "Amount",
        "how": "How",
        "total": "Total",
        "plan": "Improvement plan",
        "focus": "Focus on: {% for k in plan.kpis %}{{ k.label }} (score {{ k.score }})"
        "{% if not loop.last %}, {% endif %}{% endfor %}.",
        "no_focus": "Every KPI is on target: agree on stretch goals for next period.",
        "action": "Agreed action",
        "owner": "Owner",
        "due": "Due date",
        "appeal": "Appeal",
        "appeal_text": "If you disagree with this evaluation, appeal in writing to your manager"
        "{% if rep.manager %} ({{ rep.manager }}){% endif %} or to HR within {{ appeal.days }} "
        "days of this meeting, naming the KPI, your reason and your evidence. Without an appeal "
        "by then, the result stands as confirmed.",
        "rep_sign": "Rep ({{ rep.name }}): ",
        "manager_sign": "Manager ({{ rep.manager }}): ",
        "date": "Date: ",
    },
}


# ------------------------------------------------------------------------------- fonts


def set_fonts(rpr: object, latin: str, east_asia: str) -> None:
    """Explicit Latin and East Asian fonts on a run-properties element (no theme fonts,
    which would win over the explicit names)."""
    element = rpr  # a CT_RPr or a docDefaults rPr
    fonts = element.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element.insert(0, fonts)  # type: ignore[attr-defined]
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style_fonts(document: WordDocument, lang: str) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, LATIN_FONT, BODY_EAST_ASIA)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    set_fonts(normal.element.get_or_add_rPr(), LATIN_FONT, BODY_EAST_ASIA)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.2
    for name, size in (("Title", 18), ("Heading 1", 13)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = BLUE
        set_fonts(style.element.get_or_add_rPr(), LATIN_FONT, HEADING_EAST_ASIA)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 0)
        style.paragraph_format.space_after = Pt(4)
    title = styles["Title"].element
    ppr = title.find(qn("w:pPr"))
    if ppr is not None:  # the default Title has a bottom border and tight spacing
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
    list_style = styles["List Bullet"]
    list_style.paragraph_format.space_after = Pt(2)


# ------------------------------------------------------------------------------ tables


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _borders(table: Table, colour: str | None) -> None:
    """Thin borders in ``colour`` on every edge and between cells; None for no borders."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single" if colour else "nil")
        if colour:
            line.set(qn("w:sz"), "4")
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), colour)
        borders.append(line)
    tbl_pr.append(borders)


def _widths(table: Table, shares: list[float]) -> None:
    """Fixed column widths, in the grid (what LibreOffice reads) and on every cell (Word)."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(Cm(TEXT_WIDTH_CM).twips))
    total.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(total)
    for col, (grid, share) in enumerate(zip(table._tbl.tblGrid.gridCol_lst, shares, strict=True)):
        width = Cm(TEXT_WIDTH_CM * share)
        grid.w = width
        for cell in table.columns[col].cells:
            cell.width = width


def _repeat_header(table: Table) -> None:
    row_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row_pr.append(header)


def _write(
    cell: _Cell, text: str, *, bold: bool = False, right: bool = False, size: float = 9.5
) -> None:
    paragraph: Paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def table(
    document: WordDocument,
    headers: list[str],
    widths: list[float],
    rows: list[list[str]],
    *,
    right: frozenset[int] = frozenset(),
    header_row: bool = True,
    colour: str | None = BORDER,
    size: float = 9.5,
) -> Table:
    """A table with a shaded, repeated header row; ``widths`` are shares of the text width;
    ``rows`` are template rows (a row of one cell starting ``{%tr`` is a docxtpl tag row)."""
    count = len(widths)
    made: Table = document.add_table(rows=0, cols=count)
    made.alignment = WD_TABLE_ALIGNMENT.CENTER
    made.autofit = False
    _borders(made, colour)
    all_rows = ([headers] if header_row else []) + rows
    for index, values in enumerate(all_rows):
        row = made.add_row()  # type: ignore[no-untyped-call]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # no half rows at a page end
        cells = row.cells
        is_header = header_row and index == 0
        for col, value in enumerate(values):
            right_aligned = col in right and not is_header
            _write(
                cells[col],
                value,
                bold=is_header,
                right=right_aligned,
                size=size - 0.5 if is_header else size,
            )
            if is_header:
                _shade(cells[col], HEADER_FILL)
    _widths(made, widths)
    if header_row:
        _repeat_header(made)
    return made


# ---------------------------------------------------------------------------- document


def build(lang: str) -> WordDocument:
    """The Word template for ``lang`` as a python-docx Document."""
    w = WORDS[lang]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(1.8)
    _style_fonts(document, lang)

    def para(text: str, style: str | None = None, *, grey: bool = False) -> Paragraph:
        paragraph = document.add_paragraph(style=style)
        run = paragraph.add_run(text)
        if grey:
            run.font.color.rgb = GREY
        return paragraph

    def heading(text: str) -> None:
        para(text, "Heading 1")

    para(w["title"], "Title")
    para(w["subtitle"], grey=True)
    para(w["who"])
    table(
        document,
        [w[k] for k in ("final_score", "grade", "rank", "team_rank", "team_average", "total_pay")],
        [0.16, 0.16, 0.15, 0.15, 0.15, 0.23],
        [
            [
                "{{ result.final_score }}",
                "{{ result.grade }} {{ result.grade_label }}",
                "{{ result.rank }} / {{ result.rank_of }}",
                "{% if rep.team %}{{ result.team_rank }} / {{ result.team_rank_of }}"
                "{% else %}—{% endif %}",
                "{{ result.team_average }}",
                "{% if pay.present %}{{ pay.total }}{% else %}—{% endif %}",
            ]
        ],
        right=frozenset({5}),
    )
    para("{%p if result.has_penalty %}")
    para(w["penalty"])
    para("{%p endif %}")

    heading(w["kpis"])
    table(
        document,
        [w[k] for k in KPI_COLUMNS],
        [0.14, 0.14, 0.14, 0.115, 0.09, 0.085, 0.105, 0.185],
        [
            ["{%tr for k in kpis %}"],
            [
                "{{ k.label }}",
                "{{ k.actual }}",
                "{{ k.target }}",
                "{{ k.achievement }}",
                "{{ k.score }}",
                "{{ k.weight }}",
                "{{ k.team_average }}",
                "{{ k.status_label }}{% if k.note %}" + w["note_sep"] + "{{ k.note }}{% endif %}",
            ],
            ["{%tr endfor %}"],
        ],
        right=frozenset({1, 2, 3, 4, 5, 6}),
        size=9,
    )
    para("{%p if info_kpis %}")
    para(w["info"], grey=True)
    para("{%p endif %}")

    heading(w["strengths"])
    for line in ("{%p for s in strengths %}", "{{ s.sentence }}", "{%p endfor %}"):
        para(line, "List Bullet" if line.startswith("{{") else None)
    para("{%p if not strengths %}")
    para(w["no_strengths"], "List Bullet")
    para("{%p endif %}")

    heading(w["improvements"])
    for line in ("{%p for s in improvements %}", "{{ s.sentence }}", "{%p endfor %}"):
        para(line, "List Bullet" if line.startswith("{{") else None)
    para("{%p if not improvements %}")
    para(w["no_improvements"], "List Bullet")
    para("{%p endif %}")
    para("{%p if na_kpis %}")
    para(w["na"], "List Bullet")
    para("{%p endif %}")

    heading(w["trend"])
    para("{%p if trend.available %}")
    para("{{ trend.text }}")
    table(
        document,
        ["", "{{ trend.period }}", "{{ period.label }}", w["change"]],
        [0.4, 0.2, 0.2, 0.2],
        [
            [
                w["final_score"],
                "{{ trend.final_score_before }}",
                "{{ trend.final_score_now }}",
                "{{ trend.change }}",
            ],
            ["{%tr for t in trend.kpis %}"],
            ["{{ t.label }}", "{{ t.before }}", "{{ t.now }}", "{{ t.change }}"],
            ["{%tr endfor %}"],
        ],
        right=frozenset({1, 2, 3}),
    )
    para("{%p else %}")
    para("{% if trend.text %}{{ trend.text }}{% else %}" + w["no_trend"] + "{% endif %}")
    para("{%p endif %}")

    heading(w["comments"])
    comments = table(
        document,
        [],
        [0.18, 0.82],
        [
            [w["c_strengths"], "{{ comments.strengths }}"],
            [w["c_improvements"], "{{ comments.improvements }}"],
            [w["c_plan"], "{{ comments.plan }}"],
        ],
        header_row=False,
    )
    for row in comments.rows:
        _shade(row.cells[0], HEADER_FILL)
        row.height = Cm(1.0)

    para("{%p if pay.present %}")
    heading(w["pay"])
    table(
        document,
        [w["part"], w["amount"], w["how"]],
        [0.16, 0.18, 0.66],
        [
            ["{%tr for p in pay.lines %}"],
            ["{{ p.label }}", "{{ p.amount }}", "{{ p.detail }}"],
            ["{%tr endfor %}"],
            [w["total"], "{{ pay.total }}", ""],
        ],
        right=frozenset({1}),
    )
    para("{%p endif %}")

    heading(w["plan"])
    para("{% if plan.kpis %}" + w["focus"] + "{% else %}" + w["no_focus"] + "{% endif %}")
    plan = table(
        document,
        [w["action"], w["owner"], w["due"]],
        [0.6, 0.2, 0.2],
        [["{%tr for r in plan.action_rows %}"], ["", "", ""], ["{%tr endfor %}"]],
    )
    plan.rows[2].height = Cm(0.9)

    heading(w["appeal"])
    para(w["appeal_text"])
    para("")
    signatures = table(
        document,
        [],
        [0.5, 0.5],
        [
            [w["rep_sign"] + "______________", w["manager_sign"] + "______________"],
            [w["date"] + "______________", w["date"] + "______________"],
        ],
        header_row=False,
        colour=None,
        size=10.5,
    )
    for row in signatures.rows:
        row.height = Cm(1.2)
    return document


def main(folder: str | Path = TEMPLATES) -> None:
    """Write ``letter.zh.docx`` and ``letter.en.docx`` into ``folder``."""
    for lang in WORDS:
        path = Path(folder) / f"letter.{lang}.docx"
        build(lang).save(str(path))
        print(f"wrote {path}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
