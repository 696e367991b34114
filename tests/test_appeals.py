"""Appeals as files: ``spm appeal`` writes a protected workbook a rep fills in, ``spm appeals
review`` reads it back into a register and the accepted claims into adjustments rows;
anything edited outside the fill-in cells, and hostile files, are refused by name."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from spmcli.cli.app import app
from spmcli.io.appeals import record_name
from spmcli.io.staging import STAGING, SWITCH

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


def spm(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The appeal workbook of R013, as spm wrote it (copied per test)."""
    folder = tmp_path_factory.mktemp("appeal")
    shutil.copy(SAMPLE, folder / "q3.xlsx")
    result = spm("appeal", folder / "q3.xlsx", "--rep", "R013", "--out", folder / "out")
    assert result.exit_code == 0, result.output
    return folder / "out" / "appeals"


@pytest.fixture
def appeals(sent: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(sent, tmp_path / "appeals"))


def fill(path: Path, cells: dict[str, object], sheet: str = "申诉") -> None:
    """What a rep does in a spreadsheet program: type into cells and save."""
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def register(folder: Path) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(folder / "appeals.xlsx").worksheets[0].values)


def test_the_workbook_shows_the_figures_and_opens_only_the_fill_in_cells(sent: Path) -> None:
    book = openpyxl.load_workbook(sent / "R013.xlsx")
    assert book.sheetnames == ["填写说明", "申诉", "来源明细", "spm"]
    assert book["spm"].sheet_state == "hidden"
    sheet = book["申诉"]
    assert sheet.protection.sheet
    assert [c.value for c in sheet[4]][:8] == [
        "指标编号",
        "指标",
        "实际",
        "目标",
        "达成率",
        "得分",
        "状态",
        "有异议？",
    ]
    # R013's sales as the workbook and evaluation.json have them: adjusted to 161,635.40
    assert [c.value for c in sheet[5]][:7] == [
        "sales",
        "销售额",
        161635.4,
        231000,
        0.6997,
        69.97,
        "已调整",
    ]
    assert not sheet["H5"].protection.locked and sheet["C5"].protection.locked
    (choices,) = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert choices.formula1 == '"是,否"' and str(choices.sqref) == "H5:H17"
    rows = list(book["来源明细"].values)
    assert rows[0][:3] == ("指标", "数据表", "源行号")
    assert sum(1 for r in rows[1:] if r[0] == "销售额") == 19  # every row behind R013's sales


def test_a_claim_goes_to_the_register_and_an_accepted_one_to_the_adjustments(appeals: Path) -> None:
    fill(appeals / "R013.xlsx", {"H5": "是", "I5": 170000, "J5": "退货重复冲销", "K5": "INV-0917"})
    first = spm("appeals", "review", appeals)
    assert first.exit_code == 0, first.output
    rows = register(appeals)
    assert rows[1][:6] == ("R013", "sales", 161635.4, 170000, "退货重复冲销", "INV-0917")
    assert rows[1][8:] == (None, None, None, None, None)  # the reviewer's columns, no effect
    book = openpyxl.load_workbook(appeals / "appeals.xlsx")
    book.worksheets[0]["I2"], book.worksheets[0]["J2"] = "部分接受", 168000
    book.worksheets[0]["K2"], book.worksheets[0]["L2"] = "@王海涛", "2026-12-05"
    book.save(appeals / "appeals.xlsx")
    second = spm("appeals", "review", appeals)
    assert second.exit_code == 0, second.output
    assert register(appeals)[1][8:12] == ("部分接受", 168000, "@王海涛", "2026-12-05")
    with (appeals / "appeal_adjustments.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row == {
        "rep_id": "R013",
        "kpi": "sales",
        "value": "168000",
        "reason": "申诉 2026-12-05：退货重复冲销",  # in the run's language
        "approved_by": "'@王海涛",  # text that a spreadsheet would run is defused
    }


def test_an_edit_outside_the_fill_in_cells_is_refused_by_cell(appeals: Path) -> None:
    fill(appeals / "R013.xlsx", {"C5": 999999, "H5": "是"})
    result = spm("appeals", "review", appeals, "--lang", "en")
    assert result.exit_code == 1
    assert "R013.xlsx [申诉] C5: was changed from 161635.4 to 999999" in result.stderr
    assert not (appeals / "appeals.xlsx").exists()  # nothing written until every file reads


def test_a_formula_in_a_fill_in_cell_is_refused(appeals: Path) -> None:
    fill(appeals / "R013.xlsx", {"H5": "是", "J5": '=HYPERLINK("http://x","y")'})
    result = spm("appeals", "review", appeals, "--lang", "en")
    assert result.exit_code == 1 and "[申诉] J5: holds a formula" in result.stderr


def _with_part(source: Path, target: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr(name, data)


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("R013.xlsm", lambda src, dst: shutil.copy(src, dst), "is not an .xlsx workbook"),
        ("macro.xlsx", lambda s, d: _with_part(s, d, "xl/vbaProject.bin", b"x"), "holds macros"),
        (
            "linked.xlsx",
            lambda s, d: _with_part(s, d, "xl/externalLinks/externalLink1.xml", b"<x/>"),
            "links to other workbooks",
        ),
        (
            "bomb.xlsx",
            lambda s, d: _with_part(s, d, "xl/big.bin", bytes(60 * 1024 * 1024)),
            "inflates to 60 MB",
        ),
        (
            "renamed.xlsx",
            lambda s, d: d.write_text("rep_id,kpi\nR013,sales\n"),
            "is really a text file (a CSV renamed, most likely), not a workbook",
        ),
    ],
)
def test_hostile_files_are_refused(appeals: Path, name: str, make: Any, said: str) -> None:
    make(appeals / "R013.xlsx", appeals / name)
    (appeals / "R013.xlsx").unlink()
    result = spm("appeals", "review", appeals, "--lang", "en")
    assert result.exit_code == 1
    assert f"{name}: {said}" in result.stderr
    assert "Traceback" not in result.output


def test_a_formula_in_the_register_is_refused(appeals: Path) -> None:
    fill(appeals / "R013.xlsx", {"H5": "是", "I5": 170000})
    assert spm("appeals", "review", appeals, "--lang", "en").exit_code == 0
    book = openpyxl.load_workbook(appeals / "appeals.xlsx")
    book.worksheets[0]["K2"] = "=cmd|' /C calc'!A0"
    book.save(appeals / "appeals.xlsx")
    result = spm("appeals", "review", appeals, "--lang", "en")
    assert result.exit_code == 1 and "appeals.xlsx K2: holds a formula" in result.stderr


def test_a_workbook_spm_did_not_send_is_refused(appeals: Path, tmp_path: Path) -> None:
    record = json.loads((appeals / "sent" / record_name("R013")).read_text(encoding="utf-8"))
    (appeals / "sent" / record_name("R013")).unlink()
    result = spm("appeals", "review", appeals, "--lang", "en")
    assert result.exit_code == 1 and "is not an appeal workbook spm sent" in result.stderr
    assert record["rep_id"] == "R013"


def test_an_accepted_claim_shows_its_effect_and_the_next_evaluate_applies_it(
    tmp_path: Path,
) -> None:
    data = tmp_path / "q3.xlsx"
    shutil.copy(SAMPLE, data)
    out = tmp_path / "out"
    assert spm("appeal", data, "--rep", "R002", "--rep", "R013", "--out", out).exit_code == 0
    appeals = out / "appeals"
    fill(appeals / "R002.xlsx", {"H5": "是", "I5": 240000, "J5": "漏记两笔发货"})
    fill(appeals / "R013.xlsx", {"H5": "是", "I5": 180000, "J5": "退货重复冲销"})
    assert spm("appeals", "review", appeals).exit_code == 0
    book = openpyxl.load_workbook(appeals / "appeals.xlsx")
    for row in (2, 3):
        for column, value in (("I", "接受"), ("K", "王海涛"), ("L", "2026-12-05")):
            book.worksheets[0][f"{column}{row}"] = value
    book.save(appeals / "appeals.xlsx")
    reviewed = spm("appeals", "review", appeals, data)
    assert reviewed.exit_code == 0, reviewed.output
    effects = {r[0]: r[12] for r in register(appeals)[1:]}
    # R002: sales 199,992.20 → 240,000 of 250,000, 80.00 → 96.00 points at weight 30
    assert effects["R002"].startswith("最终得分 70.14 → 74.94")
    assert "应发合计 27,422.47 → " in effects["R002"]
    # R013's sales is already corrected on the adjustments sheet: evaluate would refuse it
    assert effects["R013"].endswith(
        "q3.xlsx [考核调整] 第 3 行已经调整了代表 R013 的指标 sales，"
        "spm evaluate 不会再接受第二个调整：请修改那一行"
    )
    with (appeals / "appeal_adjustments.csv").open(encoding="utf-8", newline="") as handle:
        kept = [r for r in csv.DictReader(handle) if r["rep_id"] == "R002"]
    (appeals / "appeal_adjustments.csv").write_text(
        "rep_id,kpi,value,reason,approved_by\n"
        + "".join(
            f"{r['rep_id']},{r['kpi']},{r['value']},{r['reason']},{r['approved_by']}\n"
            for r in kept
        ),
        encoding="utf-8",
    )
    run = spm("evaluate", data, appeals / "appeal_adjustments.csv", "--out", out / "after", "-q")
    assert run.exit_code == 0, run.output
    after = json.loads((out / "after" / "evaluation.json").read_text(encoding="utf-8"))
    rep = next(r for r in after["reps"] if r["rep_id"] == "R002")
    assert (
        rep["kpis"]["sales"]["actual"] == 240000.0 and rep["kpis"]["sales"]["status"] == "adjusted"
    )
    assert rep["final_score"] == 74.94


def test_reps_whose_ids_differ_only_in_case_keep_their_own_records(tmp_path: Path) -> None:
    """Sent one at a time, ``r1`` and ``R1`` would once have shared ``sent/r1.json`` on a
    case-blind disk, the second overwriting the first."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "reps.csv").write_text("rep_id,name\nr1,Lower\nR1,Upper\n", encoding="utf-8")
    (data / "sales.csv").write_text(
        "date,rep_id,customer_id,amount\n2025-07-01,r1,C1,1200\n2025-08-01,R1,C3,900\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert spm("appeal", data, "--rep", "r1", "--out", out).exit_code == 0
    assert spm("appeal", data, "--rep", "R1", "--out", out, "--force").exit_code == 0
    records = sorted(p.name for p in (out / "appeals" / "sent").iterdir())
    assert records == sorted([record_name("r1"), record_name("R1")])
    assert record_name("r1").casefold() != record_name("R1").casefold()


def test_hostile_rep_ids_and_names_stay_inside_the_folder_and_stay_text(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "reps.csv").write_text(
        'rep_id,name\n../../x,"=HYPERLINK(""http://x"",""y"")"\nCON,Con\n', encoding="utf-8"
    )
    (data / "sales.csv").write_text(
        "date,rep_id,customer_id,amount\n2025-07-01,../../x,C1,1200\n2025-08-01,CON,C3,900\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = spm("appeal", data, "--rep", "../../x", "--rep", "CON", "--out", out)
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted(["appeals/_CON.xlsx", "appeals/____x.xlsx",
                              f"appeals/sent/{record_name('CON')}",
                              f"appeals/sent/{record_name('../../x')}"])  # fmt: skip
    assert record_name("CON").startswith("_CON-") and "/" not in record_name("../../x")
    sheet = openpyxl.load_workbook(out / "appeals" / "____x.xlsx")["填写说明"]
    assert sheet["A1"].data_type == "s" and "=HYPERLINK" in sheet["A1"].value
    fill(out / "appeals" / "____x.xlsx", {"H5": "是", "I5": 1500})
    reviewed = spm("appeals", "review", out / "appeals")
    assert reviewed.exit_code == 0, reviewed.output
    assert register(out / "appeals")[1][:4] == ("../../x", "sales", 1200, 1500)


def test_a_damaged_record_or_register_is_a_message_not_a_traceback(appeals: Path) -> None:
    fill(appeals / "R013.xlsx", {"H5": "是", "I5": 170000})
    (appeals / "appeals.xlsx").write_text("not a workbook", encoding="utf-8")
    register_damaged = spm("appeals", "review", appeals, "--lang", "en")
    assert register_damaged.exit_code == 1
    assert "appeals.xlsx: is not a readable appeals register" in register_damaged.stderr
    (appeals / "appeals.xlsx").unlink()
    (appeals / "sent" / record_name("R013")).write_text("{bad", encoding="utf-8")
    record_damaged = spm("appeals", "review", appeals, "--lang", "en")
    assert record_damaged.exit_code == 1
    assert (
        f"{record_name('R013')}, is damaged — send the appeal workbook again"
        in record_damaged.stderr
    )
    assert "Traceback" not in record_damaged.output + register_damaged.output


def test_a_review_cleans_up_after_a_killed_one_and_switches_in_both_files(appeals: Path) -> None:
    """A killed review left its staging folder (the register and adjustments it was writing);
    the next one removes it, and writes the register and the adjustments as one set."""
    left = appeals / f"{STAGING}0123456789ab"
    left.mkdir()
    (left / "appeals.xlsx").write_bytes(b"PK half")
    result = spm("appeals", "review", appeals)
    assert result.exit_code == 0, result.output
    assert not [p.name for p in appeals.iterdir() if p.name.startswith((STAGING, SWITCH))]
    assert register(appeals)[0][0] and (appeals / "appeal_adjustments.csv").is_file()
