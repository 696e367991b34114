"""``run.json`` and ``sources/``: what a run stood on, so that it can be reproduced and
compared with another run (``spm diff``).

``run.json`` records the spm version, the period, the scheme as text with its SHA-256,
every input file with its SHA-256 and size, each table read (file, sheet, rows, original
headers), the options, the warnings, and every output file with its SHA-256. It holds the
run's wall-clock time; ``evaluation.json`` holds none, so the same inputs give it
byte-identical. ``sources/<table>.parquet`` keeps each table as read (canonical columns
and the Excel row ``_row``), which is what lets a later diff name the rows that changed.
It is written last into the run's staging folder, and switched in with the other outputs
(``spmcli.io.staging``): a folder whose ``run.json`` lists outputs that match is a complete run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from spmcli.io.files import atomic_path, write_text_atomic
from spmcli.io.json_result import dumps
from spmcli.io.read import Inputs
from spmcli.messages import msg
from spmcli.scheme.marks import SchemeFile

MANIFEST = "run.json"
SOURCES = "sources"
FORMAT = 1


@dataclass(frozen=True)
class RunRecord:
    """Everything ``run.json`` says besides the outputs, which are hashed as found."""

    version: str
    command: str
    started: datetime
    period: str
    scheme: SchemeFile
    inputs: Inputs
    options: Mapping[str, object]
    warnings: Sequence[Mapping[str, Any]]
    final: Mapping[str, str] | None = None  # {at, by} when the close is final
    reopened: Sequence[Mapping[str, Any]] = ()  # each reopening: at, by, reason, previous


def write_sources(inputs: Inputs, folder: Path) -> None:
    """Each table as read, one Parquet file per table, for a later ``spm diff``."""
    target = folder / SOURCES
    target.mkdir(parents=True, exist_ok=True)
    for name, table in inputs.tables.items():
        with atomic_path(target / f"{name}.parquet") as temporary:
            table.frame.write_parquet(temporary)


def write_manifest(record: RunRecord, folder: Path, outputs: Sequence[str]) -> None:
    """``run.json`` in ``folder``, listing ``outputs`` (files or folders in it) with their
    SHA-256; written last, atomically."""
    files = sorted(
        path
        for name in outputs
        for path in ((folder / name).rglob("*") if (folder / name).is_dir() else [folder / name])
        if path.is_file() and not path.name.startswith(".")
    )
    manifest = {
        "format": FORMAT,
        "spm_version": record.version,
        "command": record.command,
        "started": record.started.isoformat(timespec="seconds"),
        "period": record.period,
        "scheme": {
            "path": record.scheme.path,
            "sha256": record.scheme.sha256,
            "text": record.scheme.text,
        },
        "inputs": [
            {"path": f.path, "sha256": f.sha256, "size": f.size} for f in record.inputs.files
        ],
        "tables": [
            {
                "table": name,
                "file": t.file,
                "sheet": t.sheet,
                "rows": t.frame.height,
                "headers": dict(t.headers),
                "source": f"{SOURCES}/{name}.parquet",
            }
            for name, t in record.inputs.tables.items()
        ],
        "skipped_rows": record.inputs.skipped_rows,
        "options": dict(record.options),
        "warnings": list(record.warnings),
        "final": dict(record.final) if record.final else None,
        "reopened": [dict(r) for r in record.reopened],
        "outputs": [
            {"path": path.relative_to(folder).as_posix(), "sha256": _sha256(path)} for path in files
        ],
    }
    write_text_atomic(folder / MANIFEST, dumps(manifest) + "\n")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredRun:
    """A run read back from its folder: its manifest, its evaluation record, the tables it
    read and where it found each (file [sheet])."""

    folder: Path
    manifest: Mapping[str, Any]
    evaluation: Mapping[str, Any]
    tables: Mapping[str, pl.DataFrame]
    places: Mapping[str, str]


def read_run(folder: Path) -> StoredRun:
    """The run in ``folder`` (an ``spm evaluate`` output folder), trusted only when every
    output its ``run.json`` lists is there with the SHA-256 it records: a run that was
    interrupted, or a file changed since, is no run to compare. Raises
    ``FileNotFoundError`` (the missing file) or ``ValueError`` (its argument a ``Msg``
    saying what is wrong)."""
    texts = {}
    for name in (MANIFEST, "evaluation.json"):
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(path)
        try:
            texts[name] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(msg("run.bad_json", file=path, reason=error)) from None
    manifest = texts[MANIFEST]
    try:
        outputs = [(str(o["path"]), str(o["sha256"])) for o in manifest.get("outputs", [])]
        entries = [(str(t["table"]), str(t["file"]), str(t["sheet"])) for t in manifest["tables"]]
    except (AttributeError, KeyError, TypeError) as error:
        reason = f"{type(error).__name__}: {error}"
        raise ValueError(msg("run.bad_json", file=folder / MANIFEST, reason=reason)) from None
    for name, sha256 in outputs:
        path = folder / name
        if not path.is_file():
            raise ValueError(msg("run.output_missing", file=path))
        if _sha256(path) != sha256:
            raise ValueError(msg("run.output_changed", file=path))
    tables, places = {}, {}
    for name, file, sheet in entries:
        path = folder / SOURCES / f"{Path(name).name}.parquet"
        if not path.is_file():  # a run written before the tables were kept: nothing to compare
            continue
        try:
            tables[name] = pl.read_parquet(path)
        except pl.exceptions.PolarsError as error:
            raise ValueError(msg("run.bad_json", file=path, reason=error)) from None
        places[name] = f"{file} [{sheet}]" if sheet else file
    return StoredRun(folder, manifest, texts["evaluation.json"], tables, places)
