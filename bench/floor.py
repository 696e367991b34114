"""The writing floor of SPEC §6: the same rep workbooks written bare, two ways.

The same cells spm writes into each rep's workbook — the KPI rows and every source sheet's
rows, as ``spmcli.io.rep_workbooks.prepare_sources`` prepares them — with no styling beyond
date and money formats, no scorecard layout, no pay statement, in two forked processes:
``bare_rep_workbooks`` with xlsxwriter cell by cell, ``bare_rep_bodies`` as sheet XML made
by polars in spm's own writer (the fastest way known here). spm's own time over the faster
floor is what its layout, statements and safety cost.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import polars as pl
import xlsxwriter

from spmcli.engine.result import Evaluation
from spmcli.io import xlsx
from spmcli.io.rep_workbooks import SourceSheet, prepare_sources

_job: dict[str, object] = {}  # shared with forked workers, never pickled


def bare_rep_workbooks(ev: Evaluation, folder: Path, workers: int = 2) -> int:
    """Write one bare workbook per due rep; returns the number written."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = prepare_sources(ev, ev.scheme.locale)
    rep_ids = ev.reps.filter(pl.col("due"))["rep_id"].to_list()
    _job.update(
        folder=folder,
        sources=sources,
        parts=[s.frame.partition_by("rep_id", as_dict=True) for s in sources],
        kpis=ev.kpis.partition_by("rep_id", as_dict=True),
    )
    chunks = [rep_ids[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.map(_write_chunk, chunks))


def bare_rep_bodies(ev: Evaluation, folder: Path, workers: int = 2) -> int:
    """The same cells as ``bare_rep_workbooks``, written as table bodies by spm's writer.
    The XML is made here, before the fork: polars' threads do not survive one."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = prepare_sources(ev, ev.scheme.locale)
    rep_ids = ev.reps.filter(pl.col("due"))["rep_id"].to_list()
    kpis = ev.kpis.with_columns(pl.col(pl.Decimal).cast(pl.Float64))
    kpis = kpis.with_columns(pl.col(pl.Float64).fill_nan(None)).select(
        pl.all().exclude(pl.List, pl.Struct)
    )
    given = xlsx.Workbook(folder / "never.xlsx")
    kinds = {"date": given.add_format({"num_format": "yyyy-mm-dd"}),
             "money": given.add_format({"num_format": "#,##0.00"})}  # fmt: skip
    kinds["datetime"] = kinds["date"]
    _job.update(
        folder=folder,
        sources=sources,
        width=kpis.width,
        cards=xlsx.table_bodies(kpis, "rep_id", kpis.columns, [None] * kpis.width, -1),
        bodies=[
            xlsx.table_bodies(
                s.frame, "rep_id", s.columns, [kinds.get(str(f)) for f in s.formats], 0
            )
            for s in sources
        ],
    )
    chunks = [rep_ids[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.map(_write_bodies, chunks))


def _write_bodies(rep_ids: list[str]) -> int:
    folder: Path = _job["folder"]  # type: ignore[assignment]
    sources: list[SourceSheet] = _job["sources"]  # type: ignore[assignment]
    cards: dict[str, xlsx.Body] = _job["cards"]  # type: ignore[assignment]
    bodies: list[dict[str, xlsx.Body]] = _job["bodies"]  # type: ignore[assignment]
    width: int = _job["width"]  # type: ignore[assignment]
    for index, rep_id in enumerate(rep_ids):
        book = xlsx.Workbook(folder / f"{index}-{len(rep_id)}.xlsx")
        book.add_format({"num_format": "yyyy-mm-dd"})
        book.add_format({"num_format": "#,##0.00"})
        if rep_id in cards:
            book.add_worksheet("card").set_body(cards[rep_id], -1, width - 1)
        for sheet, body in zip(sources, bodies, strict=True):
            if rep_id in body:
                worksheet = book.add_worksheet(sheet.sheet_name)
                worksheet.write_row(0, 0, sheet.headers)
                worksheet.set_body(body[rep_id], 0, len(sheet.columns) - 1)
        book.close()
    return len(rep_ids)


def _write_chunk(rep_ids: list[str]) -> int:
    folder: Path = _job["folder"]  # type: ignore[assignment]
    sources: list[SourceSheet] = _job["sources"]  # type: ignore[assignment]
    parts: list[dict[tuple[str, ...], pl.DataFrame]] = _job["parts"]  # type: ignore[assignment]
    kpis: dict[tuple[str, ...], pl.DataFrame] = _job["kpis"]  # type: ignore[assignment]
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    for index, rep_id in enumerate(rep_ids):
        book = xlsxwriter.Workbook(str(folder / f"{index}-{len(rep_id)}.xlsx"), options)
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        money = book.add_format({"num_format": "#,##0.00"})
        formats = {"date": date, "datetime": date, "money": money}
        card = book.add_worksheet("card")
        rows = kpis.get((rep_id,))
        if rows is not None:
            for c, column in enumerate(rows.columns):
                card.write_column(0, c, rows[column].to_list())
        for sheet, part in zip(sources, parts, strict=True):
            frame = part.get((rep_id,))
            if frame is None:
                continue
            worksheet = book.add_worksheet(sheet.sheet_name)
            worksheet.write_row(0, 0, sheet.headers)
            for c, (name, kind) in enumerate(zip(sheet.columns, sheet.formats, strict=True)):
                worksheet.write_column(1, c, frame[name].to_list(), formats.get(str(kind)))
        book.close()
    return len(rep_ids)
