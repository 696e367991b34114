"""Review letters (SPEC §5 ``spm letters``): the per-rep context built from an Evaluation,
and rendering it through sandboxed Jinja templates to Markdown, HTML or Word."""

from spmcli.letters.context import Previous, letter_contexts
from spmcli.letters.render import LetterTemplate, render_letters, shipped_template, user_template

__all__ = [
    "LetterTemplate",
    "Previous",
    "letter_contexts",
    "render_letters",
    "shipped_template",
    "user_template",
]
