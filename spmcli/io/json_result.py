"""``evaluation.json`` and the ``--json`` text (SPEC §5): the records of
``spmcli.report.records`` written as JSON.

Stability: the same evaluation gives byte-identical text, keys in a fixed order; figures
are written from their decimal text, never through a float. N/A is ``null``, never 0.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from spmcli.engine.result import Evaluation
from spmcli.io.files import write_text_atomic
from spmcli.report.records import evaluation_record

# -------------------------------------------------------------------------- text


def dumps(value: Any, indent: int = 0) -> str:
    """JSON text with 2-space indentation, keys in insertion order, non-ASCII kept.

    Decimals are written as their fixed-point text (``391721.91``), so a figure is
    never re-rounded through a float; a bare float is refused, because every
    figure must have been rounded by ``figure`` first.
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    inner, outer = "  " * (indent + 1), "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (
            f"{inner}{json.dumps(str(key), ensure_ascii=False)}: {dumps(item, indent + 1)}"
            for key, item in value.items()
        )
        return "{\n" + ",\n".join(items) + f"\n{outer}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return (
            "[\n"
            + ",\n".join(f"{inner}{dumps(item, indent + 1)}" for item in value)
            + f"\n{outer}]"
        )
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to JSON")


def evaluation_json(ev: Evaluation) -> str:
    """The evaluation as JSON text (no trailing newline); byte-identical for the same inputs."""
    return dumps(evaluation_record(ev))


def write_json(ev: Evaluation, path: Path) -> None:
    """Write ``evaluation.json`` atomically, ending with a newline."""
    write_text_atomic(path, evaluation_json(ev) + "\n")
