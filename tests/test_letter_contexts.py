"""The letter context is what its types say: for every sample rep, in both languages and with
every kind of previous period, each dict has exactly the keys of its TypedDict in
``spmcli.letters.contexts`` and each value the declared type (mypy checks the code that
builds them; this checks the values that reach the templates)."""

from __future__ import annotations

import functools
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from spmcli.engine.evaluate import evaluate
from spmcli.engine.periods import previous as previous_period
from spmcli.engine.result import Evaluation
from spmcli.letters.context import Previous, letter_contexts
from spmcli.letters.contexts import LetterContext
from spmcli.run import Prepared, prepare

SAMPLE = Path(__file__).parent.parent / "sample_data" / "q3.xlsx"


def conforms(value: Any, hint: Any, where: str) -> list[str]:
    """Where ``value`` is not of the type ``hint`` (TypedDicts, lists, literals, unions and
    plain classes; a bool is no int or float)."""
    origin = get_origin(hint)
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not {hint.__name__}"]
        hints = get_type_hints(hint)
        if list(value) != list(hints):
            return [f"{where}: keys {list(value)} are not {list(hints)} of {hint.__name__}"]
        return [p for key, h in hints.items() for p in conforms(value[key], h, f"{where}.{key}")]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        (item,) = get_args(hint)
        return [p for i, v in enumerate(value) for p in conforms(v, item, f"{where}[{i}]")]
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{where}: {value!r} not in {get_args(hint)}"]
    if origin in (types.UnionType, typing.Union):
        options = [conforms(value, option, where) for option in get_args(hint)]
        return [] if any(not o for o in options) else [f"{where}: {value!r} is not {hint}"]
    if hint is type(None):
        return [] if value is None else [f"{where}: {value!r} is not None"]
    if isinstance(value, bool) and hint is not bool:
        return [f"{where}: a bool, not {hint.__name__}"]
    return [] if type(value) is hint else [f"{where}: {type(value).__name__}, not {hint.__name__}"]


@functools.cache
def evaluated(lang: str) -> tuple[Prepared, Evaluation, Previous]:
    """The sample prepared and evaluated in ``lang``, and its previous period evaluated."""
    prepared = prepare([SAMPLE], lang=lang)
    before = previous_period(prepared.period)
    earlier = Previous(before.label, evaluate(prepared.scheme, prepared.frames, before))
    return prepared, prepared.evaluate().evaluation, earlier


def contexts(lang: str, previous: str) -> list[LetterContext]:
    prepared, ev, earlier = evaluated(lang)
    label = earlier.label
    chosen = {
        "evaluated": earlier,
        "no_sales": Previous(label, None, "no_sales"),
        "failed": Previous(label, None, "failed", "a reason"),
        "none": None,
    }[previous]
    tables = prepared.inputs.tables
    comments = tables["comments"].frame if "comments" in tables else None
    return letter_contexts(ev, lang, comments, chosen)


@pytest.mark.parametrize("previous", ["evaluated", "no_sales", "failed", "none"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_context_is_of_its_type(lang: str, previous: str) -> None:
    made = contexts(lang, previous)
    assert len(made) == 40
    problems = [p for c in made for p in conforms(c, LetterContext, c["rep"]["rep_id"])]
    assert problems == []
    if previous == "evaluated":
        assert any(c["trend"]["kpis"] for c in made)  # the trend rows were checked too
    assert any(c["pay"]["lines"] for c in made) and any(c["strengths"] for c in made)


def test_the_checker_sees_a_wrong_key_and_a_wrong_value() -> None:
    (first, *_) = contexts("en", "none")
    first["rep"]["extra"] = ""  # type: ignore[typeddict-unknown-key]
    first["result"]["rank_of"] = True  # type: ignore[typeddict-item]  # a bool is not int
    problems = conforms(first, LetterContext, "c")
    assert len(problems) == 2
    assert problems[0].startswith("c.rep: keys") and problems[1].startswith("c.result.rank_of")
