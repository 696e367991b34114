"""The shape of what a letter template sees: one ``LetterContext`` per rep.

``spmcli.letters.context`` builds these; Jinja (Markdown and HTML templates) and docxtpl
(Word templates) read them as the plain dicts they are at run time (``{{ rep.name }}``,
``{% for k in kpis %}``). They are TypedDicts so that ``mypy --strict`` checks every key
and value a template receives; the README's table of template variables describes the
same keys. Figures are text as shown (``N/A`` where evaluation.json has null), except
where a type says otherwise: counts as ``int``, flags as ``bool``, the chart's bars as
``float`` for drawing.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from spmcli.scheme.model import Unit

Direction = Literal["up", "down", "same"]
"""Which way a score moved against the period before."""

PayPart = Literal["bonus", "commission", "team_pool"]
"""A part of the pay a scheme can have."""


class SchemeContext(TypedDict):
    """``scheme``: the scheme's name and its currency code (``CNY``)."""

    name: str
    currency: str


class PeriodContext(TypedDict):
    """``period``: its label and first and last days (``2025-Q3``, ``2025-07-01``,
    ``2025-09-30``)."""

    label: str
    start: str
    end: str


class RepContext(TypedDict):
    """``rep``: who the letter is for. ``name`` falls back to the id, ``role_label`` to
    the role; missing values are empty text."""

    rep_id: str
    name: str
    team: str
    role: str
    role_label: str
    manager: str
    region: str


class ResultContext(TypedDict):
    """``result``: the rep's scores, grade and ranks. ``has_penalty`` is true when penalty
    points were deducted; ``rank`` and ``team_rank`` are empty text for an unranked rep;
    ``rank_of`` counts the ranked reps, ``team_rank_of`` the ranked members of the team;
    ``team_average`` is the team's average final score."""

    composite: str
    penalty: str
    has_penalty: bool
    penalty_reason: str
    final_score: str
    grade: str
    grade_label: str
    rank: str
    rank_of: int
    team_rank: str
    team_rank_of: int
    team_average: str


class KpiContext(TypedDict):
    """One KPI row of ``kpis``, ``info_kpis`` and ``na_kpis``: its figures as shown,
    ``status`` (scored, adjusted, no_target, no_data, zero_target) and its words, ``note``
    (why N/A, or the approved adjustment; else empty), the team's average score on it, the
    rep's rank among the team members scored on it (``None`` without one) and how many
    they are, and whether the rep's role weights it (``weighted_kpi``)."""

    id: str
    label: str
    unit: Unit
    actual: str
    target: str
    achievement: str
    score: str
    weight: str
    effective_weight: str
    weighted: str
    status: str
    status_label: str
    note: str
    team_average: str
    team_rank: int | None
    team_scored: int
    weighted_kpi: bool


class WordedKpiContext(KpiContext):
    """One of ``strengths``, ``improvements`` and ``plan.kpis``: a KPI row and a
    ``sentence`` about it (score, achievement, gap to target, points to gain, next band,
    team standing)."""

    sentence: str


class TrendKpiContext(TypedDict):
    """One row of ``trend.kpis``: a weighted KPI scored in both periods, its score then
    and now, the signed change (``+7.42``, ``−8.43``) and its direction."""

    id: str
    label: str
    before: str
    now: str
    change: str
    direction: Direction


class TrendContext(TypedDict):
    """``trend``: the final score and KPI scores against the period before.
    ``available`` is false when there is nothing to compare with (then ``text`` says why,
    or is empty without a previous period, and ``change``, ``direction`` and
    ``grade_before`` are empty); ``not_comparable`` names the KPIs scored now but N/A
    then."""

    available: bool
    period: str
    final_score_before: str
    final_score_now: str
    change: str
    direction: Direction | Literal[""]
    grade_before: str
    grade_now: str
    kpis: list[TrendKpiContext]
    not_comparable: list[str]
    text: str


class CommentsContext(TypedDict):
    """``comments``: the manager's comments (several rows for one rep joined line by line;
    empty text when absent); ``present`` when any of them is given."""

    present: bool
    strengths: str
    improvements: str
    plan: str


class PayLineContext(TypedDict):
    """One of ``pay.lines``: a part of the pay, its label, amount and how it was reached,
    in words."""

    part: PayPart
    label: str
    amount: str
    detail: str


class PayContext(TypedDict):
    """``pay``: whether the scheme pays this rep anything to show (``present``), the
    currency, one line per part of the scheme and the total (``N/A`` without pay)."""

    present: bool
    currency: str
    lines: list[PayLineContext]
    total: str


class PlanContext(TypedDict):
    """``plan``: the KPIs to work on (the same list as ``improvements``) and one number
    per empty row for agreed actions (``[1, 2, 3, 4]``)."""

    kpis: list[WordedKpiContext]
    action_rows: list[int]


class AppealContext(TypedDict):
    """``appeal``: the days the rep has to appeal (the scheme's ``feedback.appeal_days``)."""

    days: int


class ChartBarContext(TypedDict):
    """One of ``chart.bars``: a weighted KPI's label, the rep's score and the team
    average as numbers for drawing (``None`` for N/A) and as shown."""

    label: str
    score: float | None
    team_average: float | None
    score_text: str
    team_average_text: str


class ChartContext(TypedDict):
    """``chart``: the bars, and the axis maximum (at least 120)."""

    bars: list[ChartBarContext]
    scale: float


class LetterContext(TypedDict):
    """Everything one rep's letter template gets: ``lang`` (``zh`` or ``en``, the
    language of the worded sentences) and the parts above. ``kpis`` are the KPIs the
    rep's role weights, ``info_kpis`` the ones it does not (shown for information),
    ``na_kpis`` the weighted ones N/A this period; ``strengths`` are up to 3 KPIs at or
    above target (else the single best), ``improvements`` up to 3 below target. Lists
    keep the scheme's KPI order, except strengths and improvements (best and worst
    first)."""

    lang: str
    scheme: SchemeContext
    period: PeriodContext
    rep: RepContext
    result: ResultContext
    kpis: list[KpiContext]
    info_kpis: list[KpiContext]
    na_kpis: list[KpiContext]
    strengths: list[WordedKpiContext]
    improvements: list[WordedKpiContext]
    trend: TrendContext
    comments: CommentsContext
    pay: PayContext
    plan: PlanContext
    appeal: AppealContext
    chart: ChartContext
