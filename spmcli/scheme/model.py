"""The typed KPI scheme (SPEC §3): what the YAML may say, and nothing else.

Every model forbids unknown keys, so a typo is an error rather than a rule that
silently disappears. Cross-field rules (ids unique, weights name KPIs, SQL columns
exist) live in ``spmcli.scheme.rules``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

Cycle = Literal["month", "quarter", "half", "year"]
Window = Literal["period", "prev", "yoy", "ytd"]
KpiKind = Literal["aggregate", "growth", "new_customers", "repurchase_rate", "rating", "coverage"]
Unit = Literal["money", "percent", "count", "number"]
TableName = Literal[
    "reps",
    "sales",
    "visits",
    "satisfaction",
    "targets",
    "customers",
    "activities",
    "ratings",
    "adjustments",
    "comments",
    "appeal_adjustments",
]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
TierName = Literal["A", "B", "C"]
Language = Literal["zh", "en"]


class Strict(BaseModel):
    """Base for every scheme model: unknown keys are errors, values are immutable.

    A number where text is expected (``period: 2025``, ``grade: 1``) is taken as its text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class LabelTexts(Strict):
    """A label written in both languages, ``{zh: 销售额, en: Sales}``; one may be left out."""

    zh: str = ""
    en: str = ""

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if not (self.zh.strip() or self.en.strip()):
            raise PydanticCustomError("label_empty", "a label needs a text in zh or en")
        return self

    def text(self, lang: Language) -> str:
        """The text in ``lang``, else the other one."""
        mine, other = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return mine.strip() or other.strip()


class Labelled(Strict):
    """A KPI, role or grade: its ``label`` is one text, or a mapping of the two languages.

    Every caller reads ``label`` as text in the run's language: a mapping is kept whole in
    ``label_texts`` (both fields read the YAML key ``label``) and ``label`` holds its text
    in one language, the scheme's ``locale`` once ``Scheme.in_language`` has settled it
    (Chinese, else English, before). Matching a cell against labels uses ``all_labels``.
    """

    label: str = ""
    # AliasChoices rather than the bare name, or two `label` parameters in the signature
    label_texts: LabelTexts | None = Field(
        default=None, validation_alias=AliasChoices("label"), exclude=True, repr=False
    )

    @field_validator("label", mode="before")
    @classmethod
    def _one_text(cls, value: Any) -> Any:
        if isinstance(value, dict):  # the mapping's own problems are label_texts'
            texts = [value.get(lang) for lang in ("zh", "en")]
            return next((t.strip() for t in texts if isinstance(t, str) and t.strip()), "")
        return value

    @field_validator("label_texts", mode="before")
    @classmethod
    def _only_a_mapping(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else None

    @property
    def all_labels(self) -> tuple[str, ...]:
        """Every text the label has, in any language: what a cell naming it may hold."""
        texts = [self.label]
        if self.label_texts:
            texts += [self.label_texts.zh, self.label_texts.en]
        return tuple(dict.fromkeys(t.strip() for t in texts if t.strip()))

    def in_language(self, lang: Language) -> Self:
        """This with ``label`` in ``lang`` (the other language where it has none)."""
        if self.label_texts is None:
            return self
        return self.model_copy(update={"label": self.label_texts.text(lang)})


class Source(Strict):
    """Where a table is and what its headers are called, when the aliases do not know."""

    sheet: str | None = None
    file: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    date_format: str | None = None


class Scoring(Strict):
    """How a KPI's achievement (or value) becomes a score (SPEC §4 Scoring)."""

    method: Literal["linear", "bands", "rating"] = "linear"
    floor: float = Field(default=0.0, ge=0)
    cap: float = Field(default=1.2, gt=0)
    on: Literal["achievement", "value"] = "achievement"
    bands: list[tuple[float, float]] = Field(default_factory=list)


class Kpi(Labelled):
    """One KPI: how its actual is computed, targeted and scored."""

    id: Identifier
    kind: KpiKind = "aggregate"
    table: TableName = "sales"
    value: str | None = None
    where: str | None = None
    # all_rows: when the data lacks a column the filter names, count every row (with a
    # warning) rather than leave the KPI N/A; only for a filter that excludes rows.
    where_if_missing: Literal["na", "all_rows"] = "na"
    window: Window = "period"
    of: str | None = None
    vs: Literal["prev", "yoy"] = "yoy"
    scope: Literal["rep", "team"] = "rep"
    item: str | None = None
    scale: dict[str, float] = Field(default_factory=dict)
    target: Literal["targets"] | float | None = None
    direction: Literal["higher_is_better", "lower_is_better"] = "higher_is_better"
    scoring: Scoring = Field(default_factory=Scoring)
    unit: Unit | None = None
    tiers: list[TierName] = Field(default_factory=lambda: list[TierName](["A"]))  # coverage

    @property
    def title(self) -> str:
        return self.label or self.id

    @property
    def display_unit(self) -> Unit:
        """How this KPI's figures are shown: the scheme's ``unit``, else a guess from its form."""
        if self.unit:
            return self.unit
        if self.kind in ("growth", "repurchase_rate", "coverage"):
            return "percent"
        if self.kind in ("new_customers",):
            return "count"
        if self.kind == "rating":
            return "number"
        text = (self.value or "").upper().replace(" ", "")
        if text.startswith("COUNT("):
            return "count"
        if "/" in text or text.startswith("AVG(CASE"):
            return "percent"
        if text.startswith("SUM(") and any(m in text for m in ("AMOUNT", "COST", "COLLECTED")):
            return "money"
        return "number"

    @property
    def needs_target(self) -> bool:
        """Scores from achievement need a target; value bands and ratings do not."""
        if self.kind == "rating" or self.scoring.method == "rating":
            return False
        return not (self.scoring.method == "bands" and self.scoring.on == "value")


class Role(Labelled):
    """A role's KPI weights and, optionally, its own evaluation cycle."""

    cycle: Cycle | None = None
    weights: dict[str, float]


class Grade(Labelled):
    grade: str
    min: float


class Feedback(Strict):
    appeal_days: int = Field(default=7, ge=0)


class Bonus(Strict):
    """A bonus: ``base`` × a multiplier read off a curve of ``points`` at ``on`` (SPEC §4 Pay)."""

    base: float | str  # an amount, or a reps column such as target_bonus
    on: str = "final_score"  # final_score, or a KPI id whose achievement drives the curve
    mode: Literal["linear", "step"] = "linear"
    points: list[tuple[float, float]] = Field(min_length=1)
    cap: float | None = Field(default=None, ge=0)


class Tier(Strict):
    """A commission tier that starts at an achievement (inclusive)."""

    start: float = Field(alias="from", ge=0)
    rate: float = Field(ge=0)


class Commission(Strict):
    """Commission on a KPI's actual, by tiers of achievement (``marginal`` or ``whole``)."""

    kpi: str
    mode: Literal["marginal", "whole"] = "marginal"
    tiers: list[Tier] = Field(min_length=1)


class TeamPool(Strict):
    """An amount paid to a team reaching ``threshold`` on a team KPI, split among its members."""

    amount: float = Field(gt=0)
    kpi: str
    threshold: float = Field(default=1.0, ge=0)
    split: Literal["equal", "by_score", "by_sales"] = "by_score"


class Pay(Strict):
    """The three optional parts of pay."""

    bonus: Bonus | None = None
    commission: Commission | None = None
    team_pool: TeamPool | None = None


# --- customer tiering (SPEC §5 spm tier-customers) -------------------------------------------


class PotentialSplit(Strict):
    """Where potential becomes high, medium or low. Without thresholds: thirds by rank."""

    high: float | None = None  # potential >= high is high
    medium: float | None = None  # potential >= medium (and < high) is medium; below it low


class CustomerTypes(Strict):
    """How revenue now against the previous window types a customer (new and lost aside)."""

    growing: float = Field(default=0.10, ge=0)  # change above this: growing
    declining: float = Field(default=-0.10, le=0)  # change below this: declining


class VisitsPerMonth(Strict):
    """The call plan: visits each customer of a tier should get per month."""

    A: float = Field(default=4, ge=0)
    B: float = Field(default=2, ge=0)
    C: float = Field(default=1, ge=0)


class Tiering(Strict):
    """Settings of ``spm tier-customers``; the command's options override them."""

    by: Literal["revenue", "gross_margin"] = "revenue"
    thresholds: tuple[float, float] = (0.8, 0.95)
    window: Literal["period", "12m"] = "period"
    per: Literal["team", "region"] | None = None
    potential: PotentialSplit = Field(default_factory=PotentialSplit)
    types: CustomerTypes = Field(default_factory=CustomerTypes)
    visits_per_month: VisitsPerMonth = Field(default_factory=VisitsPerMonth)


class Scheme(Strict):
    """A whole KPI scheme."""

    name: str = "spm"
    cycle: Cycle = "quarter"
    period: str | None = None
    locale: Language = "zh"
    currency: str = "CNY"
    sources: dict[TableName, Source] = Field(default_factory=dict)
    kpis: list[Kpi]
    roles: dict[Identifier, Role]
    default_role: str
    missing_target: Literal["renormalize", "zero", "error"] = "renormalize"
    grades: list[Grade] = Field(default_factory=list)
    feedback: Feedback = Field(default_factory=Feedback)
    pay: Pay | None = None
    tiering: Tiering | None = None

    def in_language(self, lang: Language) -> Scheme:
        """This scheme run in ``lang``: ``locale`` set to it and every KPI's, role's and
        grade's label in it, so that every output shows the same words (SPEC §3 locale)."""
        return self.model_copy(
            update={
                "locale": lang,
                "kpis": [kpi.in_language(lang) for kpi in self.kpis],
                "roles": {name: role.in_language(lang) for name, role in self.roles.items()},
                "grades": [grade.in_language(lang) for grade in self.grades],
            }
        )

    def kpi(self, kpi_id: str) -> Kpi:
        return next(k for k in self.kpis if k.id == kpi_id)

    def cycle_of(self, role: str) -> Cycle:
        """A role's cycle, falling back to the scheme's."""
        found = self.roles.get(role)
        return found.cycle if found and found.cycle else self.cycle
