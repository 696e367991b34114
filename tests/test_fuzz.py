"""Hostile and realistic cells, generated: whatever a sales export holds, spm reads it without a
traceback, every row is either used or reported, the totals reconcile, and text comes back as
it went in (no formula, no mangled Unicode).

A short profile runs with the suite; ``SPM_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`` runs a
long one.
"""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spmcli import prepare
from spmcli.errors import SpmError
from spmcli.report.records import evaluation_record

EXAMPLES = int(os.environ.get("SPM_FUZZ_EXAMPLES", "25"))

DATES = st.sampled_from(
    [
        "2025-07-01", "2025/7/15", "2025-8-2", "2025年9月30日", "45870", "2025-09-30 13:45:00",
        # near misses and nonsense
        "2025-13-01", "2025-02-30", "0225-07-01", "31/02/2025", "tomorrow", "", "  ", "NULL",
    ]
)  # fmt: skip
AMOUNTS = st.one_of(
    st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False).map(str),
    st.sampled_from(
        [
            "1,234.50",
            "¥1,000",
            "￥88",
            "$12.5",
            "(200.00)",
            "１２３",
            "-0",
            "1e3",
            "",
            "abc",
            "NaN",
            "inf",
            "-inf",
            "=1+1",
            "1 000",
            "12.345.678",
        ]
    ),
)
HOSTILE = st.sampled_from(
    ["=1+1", "+SUM(A1)", "-2", "@cmd", "=HYPERLINK(\"http://x\",\"y\")", "\u202eRTL\u202c",
     "😀", "00123", "a\tb", "x" * 300, "名字", "NULL", "NaN", "a\x07b"]
)  # fmt: skip
IDS = st.one_of(st.sampled_from(["R1", "R2", "R3", "00123"]), HOSTILE)


def sales_csv(rows: list[tuple[str, str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["date", "rep_id", "customer_id", "amount"])
    writer.writerows(rows)
    return buffer.getvalue()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(st.tuples(DATES, IDS, IDS, AMOUNTS), min_size=1, max_size=30))
def test_every_row_is_used_or_reported_and_totals_reconcile(
    tmp_path_factory: object, rows: list[tuple[str, str, str, str]]
) -> None:
    folder = Path(tmp_path_factory.mktemp("fuzz"))  # type: ignore[attr-defined]
    (folder / "sales.csv").write_text(sales_csv(rows), encoding="utf-8")
    try:
        prepared = prepare([folder], period="2025-Q3")
    except SpmError:
        return  # refused as a whole with a message (e.g. no usable line at all): no traceback
    read = prepared.inputs.tables["sales"].frame.height
    # every data row is read or reported as a problem (a blank row is neither: it is skipped)
    blank = sum(1 for row in rows if not any(cell.strip() for cell in row))
    assert read + prepared.inputs.skipped_rows + blank == len(rows)
    assert all(p.row >= 2 for p in prepared.problems)  # rows as Excel numbers them
    try:
        run = prepared.evaluate(skip_invalid=True)
    except SpmError:
        return
    recon = evaluation_record(run.evaluation)["reconciliation"]
    assert recon["sales_in_period"] == recon["credited"] + recon["unassigned"]
    ids = {cell for row in rows for cell in row[1:3]}
    for rep in run.evaluation.reps["rep_id"].to_list():
        assert rep in ids or rep.strip() in {i.strip() for i in ids}, rep  # text as it went in
    assert all(isinstance(v, Decimal) for v in recon.values() if not isinstance(v, int))
