"""A command's outputs are replaced as one set: after a run killed at any moment the output
folder holds the previous complete run of that command or the new complete one, never a mix,
and the next run cleans up after it (``spmcli.io.staging``)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spmcli.io.staging import JOURNAL, STAGING, SWITCH, TRASH, recover_switches, staged

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"
COMMANDS = {
    "evaluate": ["evaluate", "q3.xlsx"],
    "letters": ["letters", "q3.xlsx"],
    "tier-customers": ["tier-customers", "q3.xlsx"],
}


def spm(folder: Path, command: str, lang: str, out: str) -> list[str]:
    return [sys.executable, "-m", "spmcli", *COMMANDS[command], "--out", out, "--lang", lang,
            "-q", "--force"]  # fmt: skip


def hashes(folder: Path) -> dict[str, str]:
    """Every visible file under ``folder`` (no lock, no staging) with its SHA-256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
    }


def hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith((STAGING, SWITCH))]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, str]]]:
    """Per command: a folder holding its complete zh run beside another command's output, and
    the files of a complete en run (different bytes, the same names)."""
    made = {}
    for command in COMMANDS:
        work = tmp_path_factory.mktemp(command)
        shutil.copy(SAMPLE, work / "q3.xlsx")
        other = "tier-customers" if command != "tier-customers" else "letters"
        for lang, out, name in (
            ("zh", "old", command),
            ("zh", "old", other),
            ("en", "new", command),
        ):
            subprocess.run(spm(work, name, lang, out), cwd=work, check=True, timeout=300)
        made[command] = (work, hashes(work / "new"))
    return made


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("moment", [0.0, 0.2, 0.5])
def test_a_killed_run_leaves_the_old_set_or_the_new_one_and_the_next_run_cleans_up(
    tmp_path: Path, runs: dict[str, tuple[Path, dict[str, str]]], command: str, moment: float
) -> None:
    """Killed ``moment`` seconds after its first file began (a temporary ``.tmp``)."""
    work, new = runs[command]
    shutil.copy(SAMPLE, tmp_path / "q3.xlsx")
    shutil.copytree(work / "old", tmp_path / "out")
    out = tmp_path / "out"
    old = hashes(out)
    process = subprocess.Popen(spm(tmp_path, command, "en", "out"), cwd=tmp_path)
    started = time.monotonic()
    while not any(out.rglob("*.tmp")) and process.poll() is None:
        assert time.monotonic() - started < 120, "the run never began to write"
        time.sleep(0.002)
    time.sleep(moment)
    process.kill()
    process.wait(timeout=60)

    seen = tmp_path / "seen"  # what the next run finds once it has recovered, under the lock
    shutil.copytree(out, seen)
    recover_switches(seen)
    found = hashes(seen)
    assert set(found) == set(old), "another command's outputs, or the set's names, changed"
    mine = [name for name in found if new.get(name) != old[name] and name in new]
    assert mine, "the zh and en runs should differ"
    from_old = {name for name in mine if found[name] == old[name]}
    assert from_old in (set(), set(mine)), f"a mix of the old and the new run: {sorted(from_old)}"
    assert set(new) <= set(found), "the new run's set is not whole"

    again = subprocess.run(spm(tmp_path, command, "en", "out"), cwd=tmp_path, timeout=300)
    assert again.returncode == 0
    assert not hidden(out), "the killed run's staging or switch folder was left"
    assert set(hashes(out)) == set(old)


def test_a_switch_killed_halfway_is_finished_by_the_next_run(tmp_path: Path) -> None:
    """The state a kill leaves after ``summary.txt`` was switched in and before ``reps/`` was:
    the journal says what the run made, so the switch is finished, not undone."""
    (tmp_path / "reps").mkdir()
    (tmp_path / "reps" / "R1.txt").write_text("old R1")
    (tmp_path / "reps" / "R9.txt").write_text("old R9")
    (tmp_path / "summary.txt").write_text("new summary")  # already switched in
    (tmp_path / "run.txt").write_text("old record")  # the new run has none: it goes
    (tmp_path / "tiers.txt").write_text("another command's")
    switching = tmp_path / f"{SWITCH}0123456789ab"
    (switching / TRASH).mkdir(parents=True)
    (switching / TRASH / "summary.txt").write_text("old summary")
    (switching / "reps").mkdir()
    (switching / "reps" / "R1.txt").write_text("new R1")
    journal = {"owned": ["summary.txt", "reps", "run.txt"], "made": ["summary.txt", "reps"],
               "aside": None}  # fmt: skip
    (switching / JOURNAL).write_text(json.dumps(journal))

    recover_switches(tmp_path)

    found = {name: (tmp_path / name).read_text() for name in hashes(tmp_path)}
    assert found == {"summary.txt": "new summary", "reps/R1.txt": "new R1",
                     "tiers.txt": "another command's"}  # fmt: skip
    assert not hidden(tmp_path)


def test_a_switch_killed_while_deleting_the_old_set_is_finished(tmp_path: Path) -> None:
    switching = tmp_path / f"{SWITCH}0123456789ab"
    (switching / TRASH / "reps").mkdir(parents=True)  # the journal went first, then the kill
    (tmp_path / "summary.txt").write_text("new")
    recover_switches(tmp_path)
    assert not hidden(tmp_path)
    assert (tmp_path / "summary.txt").read_text() == "new"


def test_a_staging_folder_left_by_a_killed_run_is_removed_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "summary.txt").write_text("old")
    (tmp_path / f"{STAGING}0123456789ab" / "reps").mkdir(parents=True)
    (tmp_path / f"{STAGING}0123456789ab" / "summary.txt").write_text("half")
    recover_switches(tmp_path)
    assert not hidden(tmp_path)
    assert (tmp_path / "summary.txt").read_text() == "old"


def test_a_failed_block_switches_nothing(tmp_path: Path) -> None:
    (tmp_path / "summary.txt").write_text("old")
    with pytest.raises(KeyboardInterrupt), staged(tmp_path, ["summary.txt"]) as stage:
        (stage / "summary.txt").write_text("new")
        raise KeyboardInterrupt
    assert not hidden(tmp_path)
    assert (tmp_path / "summary.txt").read_text() == "old"


def test_the_old_set_can_be_kept_aside(tmp_path: Path) -> None:
    """--reopen: the final run moves to history/<when>/ in the same switch."""
    (tmp_path / "reps").mkdir()
    (tmp_path / "reps" / "R1.txt").write_text("final")
    (tmp_path / "run.txt").write_text("final record")
    aside = tmp_path / "history" / "20261202T090000"
    with staged(tmp_path, ["reps", "run.txt"], aside=aside) as stage:
        (stage / "reps").mkdir()
        (stage / "reps" / "R1.txt").write_text("reopened")
        (stage / "run.txt").write_text("new record")
    assert (tmp_path / "reps" / "R1.txt").read_text() == "reopened"
    assert (aside / "reps" / "R1.txt").read_text() == "final"
    assert (aside / "run.txt").read_text() == "final record"
    assert not hidden(tmp_path)


def test_ctrl_c_during_the_switch_ends_the_run_once_the_switch_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "summary.txt").write_text("old")
    (tmp_path / "run.txt").write_text("old")
    real = os.replace
    moved_out: list[Path] = []

    def interrupted(source: Path, target: Path) -> None:
        if TRASH in Path(target).parts:  # the first old entry moved out: Ctrl-C
            moved_out.append(Path(target))
            if len(moved_out) == 1:
                signal.raise_signal(signal.SIGINT)
        real(source, target)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt), staged(tmp_path, ["summary.txt", "run.txt"]) as stage:
        (stage / "summary.txt").write_text("new")
        (stage / "run.txt").write_text("new")
    assert len(moved_out) == 2
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "summary.txt": "new",
        "run.txt": "new",
    }
