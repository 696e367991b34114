"""Optional PDF copies of the letters, through LibreOffice (``soffice --headless``).

LibreOffice is found on the PATH (``soffice`` or ``libreoffice``) or where its
installers put it on macOS and Windows. All letters are converted in one
``soffice`` run with a throw-away user profile (so that an open LibreOffice window
does not block it), into a temporary folder, and then moved next to the letters.
HTML is opened with Writer's HTML import, which lays out tables and images as a
printed page; Word documents are opened as they are.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from spmcli.errors import Problem, UsageError
from spmcli.io.files import atomic_path
from spmcli.messages import Msg, msg

CANDIDATES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
SECONDS_PER_FILE = 10
MIN_SECONDS = 120


def find_soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in CANDIDATES if Path(c).is_file()), None)


def install_hint() -> Msg:
    """How to install LibreOffice on this system."""
    if sys.platform == "darwin":
        return msg("pdf.install_mac")
    if sys.platform.startswith("win"):
        return msg("pdf.install_windows")
    return msg("pdf.install_linux")


def require_soffice() -> str:
    """The LibreOffice program; a usage error saying how to install it when missing."""
    found = find_soffice()
    if found is None:
        raise UsageError(
            [
                Problem(
                    "--pdf",
                    msg("option.no_soffice"),
                    msg("option.install_soffice", how=install_hint()),
                )
            ]
        )
    return found


def convert_to_pdf(soffice: str, files: Sequence[Path]) -> list[Path]:
    """A PDF next to each file (same stem); the PDFs' paths, in order."""
    if not files:
        return []
    with tempfile.TemporaryDirectory(prefix="spm-pdf-") as work:
        workdir = Path(work)
        profile = (workdir / "profile").as_uri()
        html = [f for f in files if f.suffix.lower() in (".html", ".htm")]
        other = [f for f in files if f not in html]
        runs = [(html, ["--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export"])]
        runs.append((other, ["--convert-to", "pdf"]))
        for group, options in runs:
            if not group:
                continue
            command = [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                *options,
                "--outdir",
                str(workdir / "out"),
                *(str(f.resolve()) for f in group),
            ]
            try:
                done = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=max(MIN_SECONDS, SECONDS_PER_FILE * len(group)),
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise UsageError([Problem("--pdf", msg("option.soffice_timeout"))]) from None
            if done.returncode != 0:
                detail = (done.stderr or done.stdout).strip().splitlines()
                raise UsageError(
                    [
                        Problem(
                            "--pdf",
                            msg("option.soffice_failed", status=done.returncode),
                            msg("plain", text=detail[-1]) if detail else None,
                        )
                    ]
                )
        made = []
        missing = []
        for file in files:
            pdf = workdir / "out" / f"{file.stem}.pdf"
            if pdf.is_file():
                target = file.with_suffix(".pdf")
                with atomic_path(target) as temporary:
                    shutil.move(pdf, temporary)
                made.append(target)
            else:
                missing.append(file.name)
        if missing:
            raise UsageError(
                [Problem("--pdf", msg("option.soffice_no_pdf", files=tuple(missing[:5])))]
            )
        return made
