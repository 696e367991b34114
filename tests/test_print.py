"""Every sheet prints as a finance user expects: A4, one page wide, landscape where wide,
header rows and key columns repeated, a header naming the sheet and the period and a footer
with the page; charts never split across pages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.io.excel import page_header

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("print")
    shutil.copy(SAMPLE, folder / "q3.xlsx")
    for command in ("evaluate", "tier-customers"):
        result = CliRunner().invoke(app, [command, str(folder / "q3.xlsx"), "--out", str(folder)])
        assert result.exit_code == 0, result.stderr
    return folder


def sheets(path: Path) -> dict[str, Any]:
    return {ws.title: ws for ws in openpyxl.load_workbook(path).worksheets}


def test_every_sheet_has_a_page_setup(out: Path) -> None:
    books = [out / "summary.xlsx", out / "tiers.xlsx", out / "reps" / "R013.xlsx"]
    for book in books:
        for title, ws in sheets(book).items():
            where = f"{book.name} [{title}]"
            assert ws.page_setup.paperSize == 9, where  # A4
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert ws.page_setup.fitToHeight == 0, where  # one page wide, as many long as needed
            assert ws.oddHeader.left.text == "&A", where  # the sheet's name
            assert "2025-Q3" in ws.oddHeader.right.text, where
            assert ws.oddFooter.center.text == "&P / &N", where


def test_wide_tables_print_landscape_with_their_headers_and_names_repeated(out: Path) -> None:
    summary = sheets(out / "summary.xlsx")
    reps = summary["代表"]
    assert reps.page_setup.orientation == "landscape"
    assert (reps.print_title_rows, reps.print_title_cols) == ("$1:$1", "$A:$C")
    assert reps["B1"].value == "代表编号" and reps["C1"].value == "姓名"
    payroll = summary["薪酬发放"]
    assert (payroll.print_title_rows, payroll.print_title_cols) == ("$1:$1", "$A:$B")
    assert summary["等级分布"].page_setup.orientation == "landscape"  # table and chart
    card = sheets(out / "reps" / "R013.xlsx")
    assert card["考核表"].oddHeader.right.text == "R013 郭红红 · 2025-Q3"
    assert card["销售明细"].print_title_rows == "$1:$8"  # the block above and the header


def test_tier_sheets_freeze_and_charts_print_whole(out: Path) -> None:
    tiers = sheets(out / "tiers.xlsx")
    for title in ("分级汇总", "价值潜力矩阵", "分级迁移"):
        assert tiers[title].freeze_panes == "B2", title
    assert tiers["帕累托图"].page_setup.orientation == "landscape"


def test_one_pareto_chart_per_printed_page(out: Path) -> None:
    """Per team, one chart per team: a page break after each but the last."""
    per_team = out / "per-team"
    result = CliRunner().invoke(
        app, ["tier-customers", str(out / "q3.xlsx"), "--per", "team", "--out", str(per_team)]
    )
    assert result.exit_code == 0, result.stderr
    pareto = sheets(per_team / "tiers.xlsx")["帕累托图"]
    breaks = [brk.id for brk in pareto.row_breaks.brk]
    assert len(breaks) == 3  # four teams
    assert breaks == sorted(breaks) and breaks[1] - breaks[0] == 24  # CHART_ROWS apart


def test_a_very_wide_sheet_prints_two_pages_wide_with_its_names_repeated(out: Path) -> None:
    reps = sheets(out / "summary.xlsx")["代表"]  # every KPI's score of every rep: 29 columns
    assert reps.page_setup.fitToWidth == 2 and reps.print_title_cols == "$A:$C"
    scorecard = sheets(out / "reps" / "R013.xlsx")
    assert all(ws.page_setup.fitToWidth in (1, None) for ws in scorecard.values())


@pytest.mark.parametrize("title", ["x" * 300, "&" * 200 + " · 2025-Q3", "😀" * 200 + " · 2025-Q3"])
def test_a_title_too_long_for_the_page_header_is_cut_in_its_middle(title: str) -> None:
    """A rep id or name of hundreds of characters: Excel keeps 255 UTF-16 units of a header,
    and xlsxwriter would drop the whole header with a warning on the terminal."""
    header = page_header(title)
    assert len(header.encode("utf-16-le")) // 2 <= 255
    assert header.startswith("&L&A&R") and "…" in header
    assert header.endswith(title[-12:].replace("&", "&&"))
