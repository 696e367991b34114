"""Letters from templates, in a sandbox (SPEC §5 ``spm letters``, §6 Reliability).

* **Sandboxed and bounded.** Every template — shipped or the user's — runs in
  ``spmcli.letters.sandbox.LetterSandbox``, jinja2's ``ImmutableSandboxedEnvironment``
  (no ``__class__``/``__mro__`` walks to Python internals, no calls to unsafe methods, no
  changes to the data) with a loader that holds no templates at all, so ``{% include %}``,
  ``{% import %}`` and ``{% extends %}`` cannot read a file, and with bounds on what one
  letter may cost (size, time, depth). The context is plain data.
* **Strict.** ``StrictUndefined``: a misspelt variable is an error naming the
  template, its line and what is undefined (exit 2), never an empty gap in a letter.
* **Escaped.** HTML templates autoescape every value (a rep named
  ``<script>alert(1)</script>`` is shown as text); Word templates are escaped as XML by
  docxtpl; in Markdown every value has the characters that would make markup (``<``,
  ``*``, ``|`` ...) backslash-escaped.

Each letter's data is a ``LetterContext`` (``spmcli.letters.contexts``).
"""

from __future__ import annotations

import base64
import html
import io
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import DictLoader, StrictUndefined, Template, TemplateError, TemplateNotFound
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from markupsafe import Markup

from spmcli.errors import Problem, UsageError
from spmcli.io.files import atomic_path, unique_file_stems
from spmcli.io.workers import process_pool
from spmcli.letters.contexts import LetterContext
from spmcli.letters.sandbox import LetterBound, LetterSandbox
from spmcli.messages import Msg, msg

FORMATS = ("md", "html", "docx")
SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx"}
FORMAT_OF_SUFFIX = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
}
PARALLEL_FROM = 60  # Word letters (about 50 a second per process) use several processes
CHUNK = 20  # letters per task of a process, so that the progress bar moves
README_HINT = msg("template.variables")


@dataclass(frozen=True)
class LetterTemplate:
    """A template: its name as shown in messages, its format and its bytes."""

    name: str
    format: str
    source: bytes


# ----------------------------------------------------------------------------- templates


def templates_root() -> Traversable:
    """The shipped templates: inside the installed package (the wheel force-includes
    ``templates/`` as ``spmcli/templates``), else the repository's ``templates/`` folder
    next to the package (an editable install or a checkout)."""
    packaged = resources.files("spmcli").joinpath("templates")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "templates"


def shipped_template(fmt: str, lang: str) -> LetterTemplate:
    """The shipped template for a format and language, e.g. ``letter.zh.html``."""
    name = f"letter.{lang}{SUFFIXES[fmt]}"
    return LetterTemplate(name, fmt, templates_root().joinpath(name).read_bytes())


def user_template(path: Path, fmt: str | None) -> LetterTemplate:
    """The user's template; its format from ``--format``, else from its suffix."""
    guessed = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        if guessed is None:
            raise UsageError(
                [
                    Problem(
                        "--template",
                        msg("option.template_format", path=path),
                        msg("option.template_suffix"),
                    )
                ]
            )
        fmt = guessed
    elif guessed is not None and guessed != fmt:
        raise UsageError(
            [
                Problem(
                    "--template",
                    msg("option.template_mismatch", path=path, guessed=guessed, fmt=fmt),
                )
            ]
        )
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            [
                Problem(
                    "--template",
                    msg("option.template_unreadable", path=path, reason=exc.strerror or str(exc)),
                )
            ]
        ) from None
    return LetterTemplate(str(path), fmt, source)


# --------------------------------------------------------------------------- environment

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def markdown_escape(value: Any) -> Any:
    """Backslash-escape what Markdown would read as markup or HTML; Markup passes."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    return value


def svg_data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI for ``<img src>``: shown by browsers and by
    LibreOffice's HTML import alike (which ignores inline ``<svg>``); no network."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode("utf-8")).decode()


def environment(fmt: str) -> LetterSandbox:
    """The sandbox a template of this format runs in (see the module docstring)."""
    text = fmt != "docx"
    env = LetterSandbox(
        loader=DictLoader({}),  # nothing to include, import or extend
        undefined=StrictUndefined,
        autoescape=fmt in ("html", "docx"),
        finalize=markdown_escape if fmt == "md" else None,
        trim_blocks=text,
        lstrip_blocks=text,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["svg_data_uri"] = svg_data_uri
    return env


# ----------------------------------------------------------------------------- rendering


class Renderer:
    """A template compiled once, rendering one letter per context to bytes."""

    def __init__(self, template: LetterTemplate) -> None:
        self.template = template
        self.env = environment(template.format)
        self._compiled: Template | None = None
        self._patched: dict[str, str] = {}
        if template.format != "docx":
            try:
                text = template.source.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise UsageError(
                    [
                        Problem(
                            "",
                            msg(
                                "template.at",
                                name=template.name,
                                place="",
                                what=msg("option.template_not_text"),
                            ),
                            msg("scheme.save_utf8"),
                        )
                    ]
                ) from None
            try:
                code = self.env.compile(text, name=template.name, filename=template.name)
            except TemplateSyntaxError as exc:
                raise template_problem(template, exc) from None
            self._compiled = self.env.template_class.from_code(
                self.env, code, self.env.make_globals(None), None
            )

    def render(self, context: LetterContext) -> bytes:
        self.env.start_letter()
        try:
            if self._compiled is not None:
                return self._compiled.render(context).encode("utf-8")
            return self._render_docx(context)
        except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
            raise template_problem(self.template, exc) from None

    def _render_docx(self, context: LetterContext) -> bytes:
        document = _WordTemplate(io.BytesIO(self.template.source), self._patched)
        try:
            document.render(dict(context), self.env, autoescape=True)
        except TemplateError as exc:
            exc.add_note(_docx_paragraph(document, exc))
            raise
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


class _WordTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template, remembering its clean-up of the Word XML into Jinja source
    (a dozen regular expressions over the whole document, the same for every letter)."""

    def __init__(self, source: io.BytesIO, patched: dict[str, str]) -> None:
        super().__init__(source)
        self._patched = patched

    def patch_xml(self, src_xml: str) -> str:
        if src_xml not in self._patched:
            self._patched[src_xml] = super().patch_xml(src_xml)
        return self._patched[src_xml]


def _docx_paragraph(document: Any, exc: Exception) -> str:
    """The text of the Word paragraph an error is in (docxtpl puts one per line)."""
    line = getattr(exc, "lineno", None) or _template_line(exc, "<template>")
    if not line:
        return ""
    xml = document.patch_xml(document.get_xml())
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).splitlines()
    if not 0 < line <= len(lines):
        return ""
    # Word's tags have a namespace (<w:t>); a '<' in the template's own text is no tag.
    return html.unescape(re.sub(r"</?[A-Za-z][\w.-]*:[^>]*>", "", lines[line - 1])).strip()


def _template_line(exc: BaseException, name: str) -> int | None:
    """The template line an exception was raised at (jinja puts template frames into the
    traceback with the template's name as their file name)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == name:
            found = frame.lineno
    return found


def template_problem(template: LetterTemplate, exc: Exception) -> UsageError:
    """A template error as a usage error: template, line (or Word paragraph), what."""
    place: str | Msg = ""
    notes = getattr(exc, "__notes__", [])
    if template.format == "docx":
        paragraph = notes[-1] if notes else ""
        if paragraph:
            place = msg("template.paragraph", paragraph=paragraph[:80])
    else:
        line = getattr(exc, "lineno", None) or _template_line(exc, template.name)
        if line:
            place = msg("template.line", line=line)
    hint: Msg | None
    if isinstance(exc, LetterBound):
        what, hint = exc.reason, msg("template.bounded")
    elif isinstance(exc, SecurityError) or "unsafe" in str(exc):
        what, hint = msg("template.not_allowed", reason=str(exc)), msg("template.data_only")
    elif isinstance(exc, TemplateNotFound):
        what, hint = msg("template.include", name=exc.name), msg("template.one_file")
    elif isinstance(exc, UndefinedError):
        what, hint = msg("template.undefined", reason=str(exc)), README_HINT
    elif isinstance(exc, TemplateSyntaxError):
        what, hint = msg("template.syntax", reason=exc.message), None
    else:
        what, hint = msg("plain", text=f"{type(exc).__name__}: {exc}"), README_HINT
    return UsageError(
        [Problem("", msg("template.at", name=template.name, place=place, what=what), hint)]
    )


# --------------------------------------------------------------------------------- files


def letter_stems(contexts: Iterable[LetterContext]) -> dict[str, str]:
    """rep_id → a file name stem from rep_id and name, safe on every OS and unique
    ignoring case (``R001_吴敏艳``; ``../../x`` → ``____x``)."""
    texts = {}
    for context in contexts:
        rep = context["rep"]
        name = rep["name"]
        texts[rep["rep_id"]] = (
            rep["rep_id"] if name in ("", rep["rep_id"]) else f"{rep['rep_id']}_{name}"
        )
    stems = unique_file_stems(texts.values())
    return {rep_id: stems[text] for rep_id, text in texts.items()}


def write_letter(path: Path, content: bytes) -> None:
    """Write a letter so that it appears only when complete."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(content)


def render_letters(
    contexts: Sequence[LetterContext],
    template: LetterTemplate,
    out_dir: Path,
    *,
    workers: int = 1,
    advance: Callable[[], None] | None = None,
) -> list[Path]:
    """Render and write one letter per context into ``out_dir``; the paths, in order.

    Word letters are rendered in ``workers`` processes when there are many."""
    renderer = Renderer(template)
    stems = letter_stems(contexts)
    suffix = SUFFIXES[template.format]
    paths = [out_dir / f"{stems[c['rep']['rep_id']]}{suffix}" for c in contexts]
    if not contexts:
        return []
    first = renderer.render(contexts[0])  # a template error stops here, before any file
    out_dir.mkdir(parents=True, exist_ok=True)
    write_letter(paths[0], first)
    if advance:
        advance()
    contexts, paths_left = contexts[1:], paths[1:]
    if template.format == "docx" and workers > 1 and len(contexts) >= PARALLEL_FROM:
        with process_pool(workers) as pool:
            futures = {
                pool.submit(
                    _render_chunk, template, contexts[i : i + CHUNK], paths_left[i : i + CHUNK]
                ): len(paths_left[i : i + CHUNK])
                for i in range(0, len(contexts), CHUNK)
            }
            for future in as_completed(futures):
                future.result()
                for _ in range(futures[future] if advance else 0):
                    advance()  # type: ignore[misc]
        return paths
    for context, path in zip(contexts, paths_left, strict=True):
        write_letter(path, renderer.render(context))
        if advance:
            advance()
    return paths


def _render_chunk(
    template: LetterTemplate, contexts: Sequence[LetterContext], paths: Sequence[Path]
) -> None:
    renderer = Renderer(template)
    for context, path in zip(contexts, paths, strict=True):
        write_letter(path, renderer.render(context))
