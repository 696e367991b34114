"""Hand-built evaluations for the output writers' tests (tests/test_outputs.py).

``small_evaluation`` has two teams and four reps: a farmer with a money KPI that
sums to 391,721.905 (written 391,721.91); a farmer whose rep_id is
``../../evil`` with an N/A KPI and an adjusted KPI; a hunter named
``=HYPERLINK("http://x","y")``; and a key-account rep who is not due in a
quarter run. ``tiny_evaluation`` is one rep, one KPI, for exact JSON text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import polars as pl

from spmcli.engine.result import Evaluation, Reconciliation, RunWarning
from spmcli.io.summary import RunInfo
from spmcli.scheme.model import Scheme
from spmcli.scheme.periods import Period

HOSTILE_NAME = '=HYPERLINK("http://x","y")'
EVIL_ID = "../../evil"

REP_SCHEMA = {
    "rep_id": pl.String,
    "name": pl.String,
    "team": pl.String,
    "role": pl.String,
    "role_label": pl.String,
    "manager": pl.String,
    "region": pl.String,
    "due": pl.Boolean,
    "composite": pl.Float64,
    "penalty": pl.Float64,
    "final_score": pl.Float64,
    "grade": pl.String,
    "grade_label": pl.String,
    "rank": pl.Int64,
    "team_rank": pl.Int64,
}
KPI_SCHEMA = {
    "rep_id": pl.String,
    "kpi": pl.String,
    "actual": pl.Float64,
    "target": pl.Float64,
    "achievement": pl.Float64,
    "score": pl.Float64,
    "weight": pl.Float64,
    "effective_weight": pl.Float64,
    "weighted": pl.Float64,
    "status": pl.String,
    "note": pl.String,
    "reason": pl.String,
}


def small_scheme(locale: str = "zh") -> Scheme:
    return Scheme.model_validate(
        {
            "name": "2025 Q3 医药代表考核",
            "locale": locale,
            "kpis": [
                {"id": "sales", "label": "销售额", "value": "SUM(amount)", "target": "targets"},
                {
                    "id": "visits",
                    "label": "拜访次数",
                    "table": "visits",
                    "value": "COUNT(*)",
                    "target": "targets",
                },
                {
                    "id": "satisfaction",
                    "label": "客户满意度",
                    "table": "satisfaction",
                    "value": "AVG(score)",
                    "scoring": {
                        "method": "bands",
                        "on": "value",
                        "bands": [[4.8, 100], [4.5, 90], [4.0, 75], [0, 50]],
                    },
                },
                {
                    "id": "gross_margin",
                    "label": "毛利率",
                    "value": "SUM(amount - cost) / SUM(amount)",
                    "target": 0.35,
                },
                {"id": "team_sales", "label": "团队销售达成", "scope": "team", "of": "sales"},
            ],
            "roles": {
                "farmer": {
                    "label": "维护型",
                    "weights": {"sales": 40, "visits": 20, "satisfaction": 20, "gross_margin": 20},
                },
                "hunter": {
                    "label": "开拓型",
                    "cycle": "month",
                    "weights": {"sales": 50, "visits": 30, "team_sales": 20},
                },
                "key_account": {"label": "大客户", "cycle": "year", "weights": {"sales": 100}},
            },
            "default_role": "farmer",
            "grades": [
                {"grade": "A", "label": "优秀", "min": 90},
                {"grade": "B", "label": "良好", "min": 75},
                {"grade": "C", "label": "合格", "min": 60},
                {"grade": "D", "label": "待改进", "min": 0},
            ],
        }
    )


Q3 = Period("2025-Q3", "quarter", date(2025, 7, 1), date(2025, 9, 30))


def _reps() -> pl.DataFrame:
    rows = [
        ("R001", "张伟", "华东", "farmer", "维护型", True, 93.5, 0.0, 93.5, "A", "优秀", 1, 1),
        (EVIL_ID, "李娜", "华东", "farmer", "维护型", True, 80.25, 5.0, 75.25, "B", "良好", 3, 2),
        (
            "R003",
            HOSTILE_NAME,
            "华北",
            "hunter",
            "开拓型",
            True,
            88.0,
            0.0,
            88.0,
            "B",
            "良好",
            2,
            1,
        ),
        (
            "R004",
            "王芳",
            "华北",
            "key_account",
            "大客户",
            False,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
    ]
    return pl.DataFrame(
        [
            {
                "rep_id": r[0], "name": r[1], "team": r[2], "role": r[3], "role_label": r[4],
                "manager": "赵经理", "region": None, "due": r[5], "composite": r[6],
                "penalty": r[7], "final_score": r[8], "grade": r[9], "grade_label": r[10],
                "rank": r[11], "team_rank": r[12],
            }
            for r in rows
        ],
        schema=REP_SCHEMA,
    )  # fmt: skip


def _kpis() -> pl.DataFrame:
    k = KPI_SCHEMA
    rows = [
        # rep, kpi, actual, target, achievement, score, weight, eff, weighted, status, note
        (
            "R001",
            "sales",
            391721.905,
            400000.0,
            0.9793047625,
            97.93047625,
            40,
            40,
            39.1721905,
            "scored",
            None,
        ),
        ("R001", "visits", 48.0, 50.0, 0.96, 96.0, 20, 20, 19.2, "scored", None),
        ("R001", "satisfaction", 4.6, None, None, 90.0, 20, 20, 18.0, "scored", None),
        (
            "R001",
            "gross_margin",
            0.33,
            0.35,
            0.942857142857,
            94.2857142857,
            20,
            20,
            18.857142857,
            "scored",
            None,
        ),
        (
            "R001",
            "team_sales",
            511722.005,
            520000.0,
            0.98408,
            98.408,
            0,
            0,
            0.0,
            "informational",
            None,
        ),
        (
            EVIL_ID,
            "sales",
            120000.1,
            150000.0,
            0.800000666667,
            80.0000666667,
            40,
            50,
            40.00003333,
            "scored",
            None,
        ),
        (
            EVIL_ID,
            "visits",
            30.0,
            None,
            None,
            None,
            20,
            0,
            0.0,
            "no_target",
            None,
        ),
        (
            EVIL_ID,
            "satisfaction",
            None,
            None,
            None,
            None,
            20,
            0,
            0.0,
            "no_data",
            None,
        ),
        (
            EVIL_ID,
            "gross_margin",
            0.4,
            0.35,
            1.142857142857,
            114.2857142857,
            20,
            25,
            28.571428571,
            "adjusted",
            "审批 #12：退货冲回",
        ),
        (
            EVIL_ID,
            "team_sales",
            511722.005,
            520000.0,
            0.98408,
            98.408,
            0,
            0,
            0.0,
            "informational",
            None,
        ),
        ("R003", "sales", 80000.0, 100000.0, 0.8, 80.0, 50, 50, 40.0, "scored", None),
        ("R003", "visits", 120.0, 100.0, 1.2, 120.0, 30, 30, 36.0, "scored", None),
        ("R003", "satisfaction", 4.2, None, None, 75.0, 0, 0, 0.0, "informational", None),
        (
            "R003",
            "gross_margin",
            0.3,
            0.35,
            0.857142857143,
            85.7142857143,
            0,
            0,
            0.0,
            "informational",
            None,
        ),
        ("R003", "team_sales", 80000.0, 100000.0, 0.8, 80.0, 20, 20, 16.0, "scored", None),
    ]
    # why a KPI is N/A, as the engine gives it: a code the outputs word
    reason = pl.when(pl.col("status").is_in(["no_target", "no_data"])).then(pl.col("status"))
    return pl.DataFrame(
        [dict(zip(list(k)[:-1], r, strict=True)) for r in rows], schema=k
    ).with_columns(reason.alias("reason"))


def _teams() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "team": ["华北", "华东"],
            "members": [2, 2],
            "due_members": [1, 2],
            "average_score": [88.0, 84.375],
            "team_sales_actual": [80000.0, 511722.005],
            "team_sales_target": [100000.0, 520000.0],
            "team_sales_achievement": [0.8, 0.98408],
        },
        schema={
            "team": pl.String,
            "members": pl.Int64,
            "due_members": pl.Int64,
            "average_score": pl.Float64,
            "team_sales_actual": pl.Float64,
            "team_sales_target": pl.Float64,
            "team_sales_achievement": pl.Float64,
        },
    )


def _sources() -> dict[str, pl.DataFrame]:
    money = pl.Decimal(18, 3)
    sales = pl.DataFrame(
        {
            "_row": [2, 3, 4, 5, 6],
            "date": [date(2025, 7, 3), date(2025, 8, 9), date(2025, 9, 30), date(2025, 7, 15),
                     date(2024, 7, 2)],
            "rep_id": ["R001", "R001", EVIL_ID, "R003", "R001"],
            "customer_id": ["C001", "00123", "C009", "C010", "C001"],
            "customer_name": ["协和医院", "@SUM(A1)", "+1", "-1", "协和医院"],
            "amount": [Decimal("391000.005"), Decimal("721.900"), Decimal("120000.100"),
                       Decimal("80000.000"), Decimal("1.000")],
            "window": ["period", "period", "period", "period", "yoy"],
        },
        schema_overrides={"amount": money},
    )  # fmt: skip
    visits = pl.DataFrame(
        {
            "_row": [2, 3],
            "date": [datetime(2025, 7, 1, 9, 30), datetime(2025, 7, 2, 14, 0)],
            "rep_id": ["R001", "R003"],
            "customer_id": ["C001", "C010"],
            "outcome": ["有效", "=1+1"],
            "window": ["period", "period"],
        }
    )
    return {"sales": sales, "visits": visits}


def small_evaluation(locale: str = "zh") -> Evaluation:
    return Evaluation(
        period=Q3,
        scheme=small_scheme(locale),
        reps=_reps(),
        kpis=_kpis(),
        teams=_teams(),
        sources=_sources(),
        reconciliation=Reconciliation(
            sales_in_period=Decimal("592722.010"),
            credited=Decimal("591722.005"),
            unassigned=Decimal("1000.005"),
            unassigned_lines=1,
            skipped_rows=2,
        ),
        warnings=(
            RunWarning.of("no_target", EVIL_ID, "visits", reason="no_target"),
            RunWarning.of(
                "unassigned_sales",
                lines=1,
                period="2025-Q3",
                amount=Decimal("1000.005"),
                reps=("X999",),
            ),
            RunWarning.of("no_data", EVIL_ID, "satisfaction", reason="no_data"),
        ),
    )


def run_info() -> RunInfo:
    return RunInfo(
        inputs=[("q3.xlsx", "a" * 64), ("extra/visits.csv", "b" * 64)],
        scheme_path="spm.yaml",
        scheme_sha256="c" * 64,
        version="0.1.0",
        started=datetime(2025, 10, 8, 9, 15, 30),
        command="spm evaluate q3.xlsx --period 2025-Q3",
    )


def tiny_evaluation() -> Evaluation:
    """One rep, one money KPI, one team: small enough to compare the JSON as text."""
    scheme = Scheme.model_validate(
        {
            "name": "Tiny",
            "locale": "en",
            "kpis": [{"id": "sales", "label": "Sales", "value": "SUM(amount)", "target": 1000}],
            "roles": {"farmer": {"weights": {"sales": 100}}},
            "default_role": "farmer",
            "grades": [{"grade": "A", "min": 90}, {"grade": "B", "min": 0}],
        }
    )
    reps = pl.DataFrame(
        [
            {"rep_id": "R1", "name": "Ann", "team": "East", "role": "farmer", "role_label": "",
             "manager": None, "region": None, "due": True, "composite": 100.0005,
             "penalty": 0.0, "final_score": 100.0005, "grade": "A", "grade_label": "",
             "rank": 1, "team_rank": 1}
        ],
        schema=REP_SCHEMA,
    )  # fmt: skip
    kpis = pl.DataFrame(
        [
            {"rep_id": "R1", "kpi": "sales", "actual": 1000.005, "target": 1000.0,
             "achievement": 1.000005, "score": 100.0005, "weight": 100.0,
             "effective_weight": 100.0, "weighted": 100.0005, "status": "scored", "note": None,
             "reason": None}
        ],
        schema=KPI_SCHEMA,
    )  # fmt: skip
    teams = pl.DataFrame(
        {"team": ["East"], "members": [1], "due_members": [1], "average_score": [100.0005]}
    )
    return Evaluation(
        period=Period("2025-07", "month", date(2025, 7, 1), date(2025, 7, 31)),
        scheme=scheme,
        reps=reps,
        kpis=kpis,
        teams=teams,
        sources={},
        reconciliation=Reconciliation(
            sales_in_period=Decimal("1000.005"),
            credited=Decimal("1000.005"),
            unassigned=Decimal("0"),
            unassigned_lines=0,
            skipped_rows=0,
        ),
        warnings=(),
    )
