"""``spm init DIR``: a starter folder with the default scheme, the letter templates and
the sample workbook, ready to edit and run."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import typer

from spmcli.cli.common import DebugOpt, ForceOpt, LangOpt, err, escape, out, user_errors
from spmcli.errors import UsageError
from spmcli.io.files import atomic_path, write_text_atomic
from spmcli.letters.render import templates_root
from spmcli.messages import DEFAULT_LANGUAGE, LANGUAGES, msg
from spmcli.report.labels import label
from spmcli.scheme.loader import default_scheme_text

SCHEME_FILE = "spm.yaml"
SAMPLE_FILE = "q3.xlsx"

DirArg = Annotated[
    Path, typer.Argument(help="The folder to create (or an empty one).", show_default=False)
]


def init(
    directory: DirArg, force: ForceOpt = False, lang: LangOpt = None, debug: DebugOpt = False
) -> None:
    """Create a starter folder: spm.yaml (the default scheme, commented), templates/ (the
    letter templates) and q3.xlsx (the sample quarter), then print what to run next.

    Examples:

      spm init my-close

      spm init . --force
    """
    with user_errors(debug, lang):
        written = write_starter(directory, force)
    words = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    for path in written:
        err.print(escape(label("console.wrote_file", words).format(path=path)))
    next_steps = label("console.init_next", words).format(
        folder=directory, sample=SAMPLE_FILE, scheme=SCHEME_FILE
    )
    out.print(escape(next_steps))
    raise typer.Exit(0)


def write_starter(directory: Path, force: bool) -> list[Path]:
    """Write the starter files; a non-empty folder needs ``force`` (its other files stay)."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(msg("option.init_file", path=directory))
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise UsageError(msg("option.init_not_empty", path=directory))
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / SCHEME_FILE]
    write_text_atomic(written[0], default_scheme_text())
    templates = directory / "templates"
    templates.mkdir(exist_ok=True)
    for source in sorted(templates_root().iterdir(), key=lambda t: t.name):
        if source.is_file() and source.name.startswith("letter."):
            written.append(_copy(source, templates / source.name))
    written.append(_copy(sample_workbook(), directory / SAMPLE_FILE))
    return written


def sample_workbook() -> Traversable:
    """The shipped sample: inside the installed package, else the repository's copy."""
    packaged = resources.files("spmcli").joinpath("sample_data", SAMPLE_FILE)
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "sample_data" / SAMPLE_FILE


def _copy(source: Traversable, target: Path) -> Path:
    with atomic_path(target) as temporary:
        temporary.write_bytes(source.read_bytes())
    return target
