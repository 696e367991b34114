"""Cross-field rules of a scheme (SPEC §3, §4): what the typed model alone cannot check.

Each rule is a small function from a loaded ``SchemeFile`` to the problems it
finds; ``check_scheme`` runs them all, so every problem is reported at once.
``check_columns`` runs later, once the data's columns are known.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

import polars as pl

from spmcli.errors import Problem, UsageError, did_you_mean
from spmcli.messages import LANGUAGES, msg
from spmcli.scheme.columns import KNOWN_COLUMNS, REQUIRED_COLUMNS, normalize
from spmcli.scheme.model import Kpi, Labelled
from spmcli.scheme.periods import parse_period

if TYPE_CHECKING:
    from spmcli.scheme.marks import Loc, SchemeFile

Rule = Callable[["SchemeFile"], list[Problem]]

# --- SQL expressions --------------------------------------------------------------------------

# Probe column types for the columns spm knows; other columns are tried as null, text, number.
_DATE_COLUMNS = {"date"}
_NUMBER_COLUMNS = {
    "amount", "cost", "collected", "quantity", "score", "target", "points", "value",
    "potential", "participants", "target_bonus",
}  # fmt: skip


_MAX_REASON = 120


def parse_expression(text: str) -> pl.Expr:
    """An SQL expression parsed by polars; raises ``ValueError`` with polars' reason, briefly."""
    try:
        return pl.sql_expr(text)
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if len(reason) > _MAX_REASON:  # polars quotes the whole expression back
            reason = reason[: _MAX_REASON - 1] + "…"
        raise ValueError(reason) from None


def expression_columns(expr: pl.Expr) -> list[str]:
    """The columns an expression reads, each once, in the order written."""
    return list(dict.fromkeys(expr.meta.root_names()))


def is_aggregate(expr: pl.Expr) -> bool | None:
    """Whether an expression gives one value for a group of rows (SUM, COUNT, AVG ...).

    Decided by evaluating it on a two-row frame of nulls: an aggregate gives one
    row, a row-wise expression two. Unlike scanning the text for function names this
    follows what polars will actually do (``SUM(amount) + cost`` is not an aggregate,
    ``SUM(amount) OVER (...)`` is not either). The probe tries plausible column types
    in turn; ``None`` means no type worked and the question is left to run time.
    """
    names = expression_columns(expr)
    guesses: list[Callable[[str], pl.DataType]] = [
        lambda name: (
            pl.Date()
            if name in _DATE_COLUMNS
            else pl.Float64()
            if name in _NUMBER_COLUMNS
            else pl.String()
        ),
        lambda name: pl.Null(),
        lambda name: pl.String(),
        lambda name: pl.Float64(),
    ]
    for guess in guesses:
        frame = pl.DataFrame(
            [pl.Series(name, [None, None], dtype=guess(name)) for name in names]
            or [pl.Series("_probe", [None, None])]
        )
        try:
            return frame.select(expr).height == 1
        except pl.exceptions.PolarsError:
            continue
    return None


# --- rules ------------------------------------------------------------------------------------


def rule_kpis_present(sf: SchemeFile) -> list[Problem]:
    if sf.scheme.kpis:
        return []
    return [
        sf.problem(
            ("kpis",),
            msg("rule.no_kpis"),
            msg("rule.add_kpi", example="{id: sales, value: SUM(amount), target: targets}"),
        )
    ]


def rule_kpi_ids_unique(sf: SchemeFile) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        if kpi.id in first:
            problems.append(
                sf.problem(
                    ("kpis", index, "id"),
                    msg("rule.duplicate_kpi", id=kpi.id, index=first[kpi.id]),
                    msg("rule.unique_ids"),
                )
            )
        else:
            first[kpi.id] = index
    return problems


def _kind_name(kpi: Kpi) -> str:
    return "team" if kpi.scope == "team" else kpi.kind


def _fields_used(kpi: Kpi) -> set[str]:
    """Of the kind-specific KPI keys, those this KPI's kind and scope read."""
    if kpi.scope == "team":
        return {"of"}
    return {
        "aggregate": {"value", "where"},
        "growth": {"of", "vs"},
        "new_customers": {"where"},  # filters the sales lines that count as purchases
        "repurchase_rate": {"where"},
        "rating": {"item", "scale"},
        "coverage": {"where", "tiers"},  # where filters the visits that count
    }[kpi.kind]


def kpi_expressions(kpi: Kpi) -> list[tuple[str, str, str]]:
    """(key, SQL text, table it runs on) for each expression the KPI's kind reads."""
    used = _fields_used(kpi)
    table = {"aggregate": kpi.table, "coverage": "visits"}.get(kpi.kind, "sales")
    return [
        (name, text, table)
        for name, text in (("value", kpi.value), ("where", kpi.where))
        if name in used and text is not None
    ]


def rule_kind_needs(sf: SchemeFile) -> list[Problem]:
    """Each kind has the keys it needs, and no key it would silently ignore."""
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        loc = ("kpis", index)
        if kpi.kind == "aggregate" and kpi.scope == "rep" and not kpi.value:
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.needs_value", id=kpi.id),
                    msg("rule.value_example"),
                )
            )
        if kpi.kind == "growth" and not kpi.of:
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.growth_needs_of", id=kpi.id),
                    msg("rule.example", example="of: sales"),
                )
            )
        if kpi.kind == "rating" and not kpi.item:
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.rating_needs_item", id=kpi.id),
                    msg("rule.example", example="item: 团队协作"),
                )
            )
        if kpi.kind == "rating" and not kpi.scale:
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.rating_needs_scale", id=kpi.id),
                    msg(
                        "rule.example", example="scale: {优秀: 100, 良好: 85, 合格: 70, 不合格: 40}"
                    ),
                )
            )
        if "where_if_missing" in kpi.model_fields_set and not kpi.where:
            problems.append(
                sf.problem(
                    (*loc, "where_if_missing"),
                    msg("rule.where_if_missing_alone"),
                    msg("rule.add_where"),
                    key=True,
                )
            )
        used = _fields_used(kpi)
        for name in ("value", "where", "of", "vs", "item", "scale", "tiers"):
            if name in kpi.model_fields_set and name not in used:
                problems.append(
                    sf.problem(
                        (*loc, name),
                        msg("rule.not_used_by_kind", kind=_kind_name(kpi)),
                        msg("rule.remove_or_kind"),
                        key=True,
                    )
                )
    return problems


def rule_of_references(sf: SchemeFile) -> list[Problem]:
    """``of`` names another existing KPI, without loops; a team KPI adds up a rep KPI."""
    kpis = sf.scheme.kpis
    by_id = {kpi.id: kpi for kpi in reversed(kpis)}  # the first of duplicate ids
    position = {kpi.id: index for index, kpi in reversed(list(enumerate(kpis)))}
    problems = []
    for index, kpi in enumerate(kpis):
        loc = ("kpis", index)
        if kpi.scope == "team" and not kpi.of:
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.team_needs_of", id=kpi.id),
                    msg("rule.example", example="of: sales"),
                )
            )
        if kpi.scope == "team" and kpi.kind != "aggregate":
            problems.append(
                sf.problem(
                    (*loc, "scope"),
                    msg("rule.no_team_scope", kind=kpi.kind),
                    msg("rule.team_has_no_kind"),
                )
            )
        if not kpi.of:
            continue
        if kpi.of not in by_id:
            problems.append(
                sf.problem(
                    (*loc, "of"), msg("rule.no_kpi", id=kpi.of), did_you_mean(kpi.of, list(by_id))
                )
            )
        elif kpi.of == kpi.id:
            problems.append(sf.problem((*loc, "of"), msg("rule.self_reference")))
        elif kpi.scope == "team" and by_id[kpi.of].scope == "team":
            problems.append(
                sf.problem(
                    (*loc, "of"),
                    msg("rule.of_team", id=kpi.of),
                    msg("rule.example", example=f"of: {by_id[kpi.of].of}")
                    if by_id[kpi.of].of
                    else None,
                )
            )
        else:
            chain = [kpi.id]
            current: str | None = kpi.of
            while current in by_id and current not in chain:
                chain.append(current)
                current = by_id[current].of
            # Report a loop once, at its first KPI.
            if current == kpi.id and position[kpi.id] == min(position[k] for k in chain):
                problems.append(
                    sf.problem(
                        (*loc, "of"),
                        msg("rule.of_loop", chain=" → ".join([*chain, kpi.id])),
                    )
                )
    return problems


def rule_expressions(sf: SchemeFile) -> list[Problem]:
    """``value`` is an SQL aggregate and ``where`` a row filter, both parsed by polars."""
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        for name, text, _ in kpi_expressions(kpi):
            loc = ("kpis", index, name)
            example = "SUM(amount) or COUNT(*)" if name == "value" else "category <> 'OTC'"
            try:
                expr = parse_expression(text)
            except ValueError as exc:
                problems.append(
                    sf.problem(
                        loc,
                        msg("rule.bad_sql", reason=str(exc)),
                        msg("rule.example", example=example),
                    )
                )
                continue
            aggregate = is_aggregate(expr)
            if name == "value" and aggregate is False:
                problems.append(
                    sf.problem(
                        loc,
                        msg("rule.not_aggregate"),
                        msg("rule.wrap_aggregate"),
                    )
                )
            if name == "where" and aggregate is True:
                problems.append(
                    sf.problem(
                        loc,
                        msg("rule.aggregate_filter"),
                        msg("rule.compare_columns", example=example),
                    )
                )
    return problems


def rule_targets(sf: SchemeFile) -> list[Problem]:
    """A KPI scored on achievement has a target; a team KPI's target is its members' sum."""
    by_id = {kpi.id: kpi for kpi in reversed(sf.scheme.kpis)}
    # A member KPI that did not validate has a default target, not the user's: no knock-on.
    unsound = {k.id for i, k in enumerate(sf.scheme.kpis) if ("kpis", i) in sf.broken}
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        loc = ("kpis", index)
        if isinstance(kpi.target, int | float) and not kpi.target > 0:
            problems.append(
                sf.problem(
                    (*loc, "target"),
                    msg("rule.target_positive", value=f"{kpi.target:g}"),
                    msg("rule.no_achievement"),
                )
            )
        if kpi.scope == "team":
            if kpi.target is not None:
                problems.append(
                    sf.problem(
                        (*loc, "target"),
                        msg("rule.team_target", of=kpi.of),
                        msg("rule.remove"),
                        key=True,
                    )
                )
            member = by_id.get(kpi.of or "")
            if (
                kpi.needs_target
                and member is not None
                and member.scope == "rep"
                and member.target is None
                and member.id not in unsound
            ):
                problems.append(
                    sf.problem(
                        (*loc, "of"),
                        msg("rule.member_no_target", of=kpi.of),
                        msg("rule.give_target", of=kpi.of, id=kpi.id),
                    )
                )
        elif kpi.needs_target and kpi.target is None:
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.needs_target", id=kpi.id),
                    msg("rule.add_target"),
                )
            )
    return problems


def rule_scoring(sf: SchemeFile) -> list[Problem]:
    """Bands exist and run highest first; ratings score rating KPIs; no ignored keys."""
    used_by = {"linear": {"floor", "cap"}, "bands": {"on", "bands"}, "rating": set[str]()}
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        scoring = kpi.scoring
        loc = ("kpis", index, "scoring")
        if scoring.method == "bands" and not scoring.bands:
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.needs_bands"),
                    msg("rule.example", example="bands: [[1.0, 100], [0.8, 80], [0, 50]]"),
                )
            )
        if scoring.method == "rating" and kpi.kind != "rating":
            problems.append(
                sf.problem(
                    (*loc, "method"),
                    msg("rule.rating_method"),
                    msg("rule.rating_method_fix"),
                )
            )
        for name in sorted(scoring.model_fields_set - used_by[scoring.method] - {"method"}):
            problems.append(
                sf.problem(
                    (*loc, name),
                    msg("rule.not_used_by_method", method=scoring.method),
                    msg("rule.remove_or_method"),
                    key=True,
                )
            )
        if scoring.method != "bands":
            continue
        for band, (previous, current) in enumerate(
            zip(scoring.bands, scoring.bands[1:], strict=False), start=1
        ):
            if not current[0] < previous[0]:
                problems.append(
                    sf.problem(
                        (*loc, "bands", band),
                        msg(
                            "rule.band_order",
                            threshold=f"{current[0]:g}",
                            previous=f"{previous[0]:g}",
                        ),
                        msg("rule.bands_high_first"),
                    )
                )
    return problems


def rule_roles(sf: SchemeFile) -> list[Problem]:
    """Weights name KPIs and are positive; role ids and labels identify one role each."""
    kpi_ids = [kpi.id for kpi in sf.scheme.kpis]
    names = {normalize(role_id): role_id for role_id in sf.scheme.roles}
    problems = []
    for role_id, role in sf.scheme.roles.items():
        loc = ("roles", role_id)
        if not role.weights:
            problems.append(
                sf.problem(
                    (*loc, "weights"),
                    msg("rule.role_no_weights"),
                    msg("rule.example", example=f"weights: {{{kpi_ids[0]}: 100}}")
                    if kpi_ids
                    else None,
                )
            )
        for kpi_id, weight in role.weights.items():
            if kpi_id not in kpi_ids:
                problems.append(
                    sf.problem(
                        (*loc, "weights", kpi_id),
                        msg("rule.no_kpi", id=kpi_id),
                        did_you_mean(kpi_id, kpi_ids) or msg("rule.kpis_are", ids=tuple(kpi_ids)),
                        key=True,
                    )
                )
            if not weight > 0:
                problems.append(
                    sf.problem(
                        (*loc, "weights", kpi_id),
                        msg("rule.weight_positive", value=f"{weight:g}"),
                        msg("rule.informational"),
                    )
                )
        for text in role.all_labels:  # a role cell may hold either language
            other = names.setdefault(normalize(text), role_id)
            if other != role_id:
                problems.append(
                    sf.problem(
                        _label_loc(role, (*loc, "label"), text),
                        msg("rule.label_taken", label=text, other=other),
                        msg("rule.role_unique"),
                    )
                )
    return problems


def _label_loc(labelled: Labelled, loc: Loc, text: str) -> Loc:
    """Where a label's text is written: the label, or its text in one language."""
    texts = labelled.label_texts
    if texts is not None:
        for lang in LANGUAGES:
            if getattr(texts, lang).strip() == text:
                return (*loc, lang)
    return loc


def rule_default_role(sf: SchemeFile) -> list[Problem]:
    """There are roles, and ``default_role`` is one of them."""
    roles = list(sf.scheme.roles)
    if not roles:
        return [
            sf.problem(
                ("roles",),
                msg("rule.no_roles"),
                msg("rule.add_kpi", example="roles: {rep: {weights: {sales: 100}}}"),
            )
        ]
    if sf.scheme.default_role in roles:
        return []
    return [
        sf.problem(
            ("default_role",),
            msg("rule.no_role", role=sf.scheme.default_role),
            did_you_mean(sf.scheme.default_role, roles)
            or msg("rule.roles_are", roles=tuple(roles)),
        )
    ]


def rule_grades(sf: SchemeFile) -> list[Problem]:
    """Grades run highest first, are unique, and every final score gets one."""
    grades = sf.scheme.grades
    problems = []
    seen: set[str] = set()
    for index, grade in enumerate(grades):
        if grade.grade in seen:
            problems.append(
                sf.problem(("grades", index, "grade"), msg("rule.grade_twice", grade=grade.grade))
            )
        seen.add(grade.grade)
        if index and not grade.min < grades[index - 1].min:
            problems.append(
                sf.problem(
                    ("grades", index, "min"),
                    msg(
                        "rule.grade_order",
                        min=f"{grade.min:g}",
                        previous=f"{grades[index - 1].min:g}",
                    ),
                    msg("rule.grades_high_first"),
                )
            )
    if grades and grades[-1].min > 0:
        problems.append(
            sf.problem(
                ("grades", len(grades) - 1, "min"),
                msg("rule.no_grade_below", min=f"{grades[-1].min:g}"),
                msg("rule.last_grade_zero"),
            )
        )
    return problems


def rule_period(sf: SchemeFile) -> list[Problem]:
    if sf.scheme.period is None:
        return []
    try:
        parse_period(sf.scheme.period)
    except UsageError as exc:
        return [
            sf.problem(("period",), p.message, p.hint)
            for p in exc.problems
            if isinstance(p, Problem)
        ]
    return []


def rule_sources(sf: SchemeFile) -> list[Problem]:
    """``sources`` maps the columns spm knows for each table (SPEC §2)."""
    problems = []
    for table, source in sf.scheme.sources.items():
        known = [*REQUIRED_COLUMNS[table], *KNOWN_COLUMNS[table]]
        for column in source.columns:
            if column not in known:
                problems.append(
                    sf.problem(
                        ("sources", table, "columns", column),
                        msg("rule.not_a_column", column=column, table=table),
                        did_you_mean(column, known)
                        or msg("rule.columns_of", table=table, columns=tuple(known)),
                        key=True,
                    )
                )
    return problems


def _increasing(values: list[float]) -> bool:
    return all(earlier < later for earlier, later in itertools.pairwise(values))


def rule_pay(sf: SchemeFile) -> list[Problem]:
    """Pay rules name existing KPIs of the right kind, with curves and tiers in increasing order."""
    pay = sf.scheme.pay
    if pay is None:
        return []
    by_id = {kpi.id: kpi for kpi in sf.scheme.kpis}
    problems = []

    def kpi_named(
        loc: tuple[str | int, ...], kpi_id: str, extra: tuple[str, ...] = ()
    ) -> Kpi | None:
        if kpi_id in by_id:
            return by_id[kpi_id]
        problems.append(
            sf.problem(loc, msg("rule.no_kpi", id=kpi_id), did_you_mean(kpi_id, [*extra, *by_id]))
        )
        return None

    if pay.bonus is not None:
        loc: tuple[str | int, ...] = ("pay", "bonus")
        if pay.bonus.on != "final_score":
            kpi_named((*loc, "on"), pay.bonus.on, ("final_score",))
        xs = [x for x, _ in pay.bonus.points]
        if not _increasing(xs):
            problems.append(
                sf.problem(
                    (*loc, "points"),
                    msg("rule.points_order"),
                    msg("rule.got", values=tuple(f"{x:g}" for x in xs)),
                )
            )
    if pay.commission is not None:
        loc = ("pay", "commission")
        kpi = kpi_named((*loc, "kpi"), pay.commission.kpi)
        if kpi is not None and not (kpi.scope == "rep" and kpi.needs_target):
            problems.append(
                sf.problem(
                    (*loc, "kpi"),
                    msg("rule.commission_kpi", id=kpi.id),
                    msg("rule.tiers_at_shares"),
                )
            )
        starts = [tier.start for tier in pay.commission.tiers]
        if not _increasing(starts):
            problems.append(
                sf.problem(
                    (*loc, "tiers"),
                    msg("rule.tiers_order"),
                    msg("rule.got_from", values=tuple(f"{s:g}" for s in starts)),
                )
            )
    if pay.team_pool is not None:
        loc = ("pay", "team_pool", "kpi")
        kpi = kpi_named(loc, pay.team_pool.kpi)
        if kpi is not None and kpi.scope != "team":
            team_kpis = [k.id for k in sf.scheme.kpis if k.scope == "team"]
            problems.append(
                sf.problem(
                    loc,
                    msg("rule.pool_kpi", id=kpi.id),
                    msg("rule.example", example=f"kpi: {team_kpis[0]}")
                    if team_kpis
                    else msg("rule.add_team_kpi"),
                )
            )
    return problems


def rule_coverage(sf: SchemeFile) -> list[Problem]:
    """A coverage KPI counts each tier once, over a period (SPEC §5 call plan)."""
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        if kpi.kind != "coverage":
            continue
        loc = ("kpis", index)
        if not kpi.tiers:
            problems.append(
                sf.problem(
                    (*loc, "tiers"),
                    msg("rule.no_tier"),
                    msg("rule.tiers_example"),
                )
            )
        repeated = sorted({t for t in kpi.tiers if kpi.tiers.count(t) > 1})
        if repeated:
            problems.append(
                sf.problem((*loc, "tiers"), msg("rule.tier_twice", tiers=tuple(repeated)))
            )
        if kpi.window == "ytd":
            problems.append(
                sf.problem(
                    (*loc, "window"),
                    msg("rule.coverage_ytd"),
                    msg("rule.coverage_windows"),
                )
            )
    return problems


def rule_tiering(sf: SchemeFile) -> list[Problem]:
    """Tier thresholds rise within (0, 1]; potential levels come as a pair, high above medium."""
    tiering = sf.scheme.tiering
    if tiering is None:
        return []
    problems = []
    first, second = tiering.thresholds
    if not 0 < first < second <= 1:
        problems.append(
            sf.problem(
                ("tiering", "thresholds"),
                msg("rule.thresholds", first=f"{first:g}", second=f"{second:g}"),
                msg("rule.example", example="thresholds: [0.8, 0.95]"),
            )
        )
    potential = tiering.potential
    if (potential.high is None) != (potential.medium is None):
        given = "high" if potential.high is not None else "medium"
        problems.append(
            sf.problem(
                ("tiering", "potential", given),
                msg("rule.potential_pair"),
                msg("rule.example", example="potential: {high: 1000000, medium: 300000}"),
            )
        )
    elif (
        potential.high is not None
        and potential.medium is not None
        and not potential.high > potential.medium
    ):
        problems.append(
            sf.problem(
                ("tiering", "potential", "medium"),
                msg(
                    "rule.potential_order",
                    medium=f"{potential.medium:,.15g}",
                    high=f"{potential.high:,.15g}",
                ),
                msg("rule.potential_levels"),
            )
        )
    return problems


RULES: tuple[Rule, ...] = (
    rule_kpis_present,
    rule_kpi_ids_unique,
    rule_kind_needs,
    rule_of_references,
    rule_expressions,
    rule_targets,
    rule_scoring,
    rule_roles,
    rule_default_role,
    rule_grades,
    rule_period,
    rule_sources,
    rule_pay,
    rule_coverage,
    rule_tiering,
)


def check_scheme(sf: SchemeFile) -> list[Problem]:
    """Every problem every rule finds outside the parts that did not validate."""
    return sf.sound([problem for rule in RULES for problem in rule(sf)])


def check_columns(sf: SchemeFile, columns: Mapping[str, Collection[str]]) -> list[Problem]:
    """Once the data is read: each KPI's value and where use columns its table has.

    ``columns`` maps a table name to its column names as read. KPIs on a table
    that is not in ``columns`` are left to whoever reports the missing table.
    """
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        for name, text, table in kpi_expressions(kpi):
            if table not in columns:
                continue
            present = [c for c in columns[table] if not c.startswith("_")]
            optional = KNOWN_COLUMNS.get(table, ())  # absent: the engine makes the KPI N/A
            try:
                expr = parse_expression(text)
            except ValueError:
                continue  # reported when the scheme was loaded
            for column in expression_columns(expr):
                if column not in present and column not in optional:
                    problems.append(
                        sf.problem(
                            ("kpis", index, name),
                            msg("rule.unknown_column", column=column, table=table),
                            did_you_mean(column, present)
                            or msg("rule.table_columns", table=table, columns=tuple(present)),
                        )
                    )
    bonus = sf.scheme.pay.bonus if sf.scheme.pay else None
    if bonus is not None and isinstance(bonus.base, str) and "reps" in columns:
        present = list(columns["reps"])
        if bonus.base not in present and bonus.base not in KNOWN_COLUMNS["reps"]:
            problems.append(
                sf.problem(
                    ("pay", "bonus", "base"),
                    msg("rule.bonus_base", base=bonus.base),
                    did_you_mean(bonus.base, present) or msg("rule.bonus_base_fix"),
                )
            )
    return sf.sound_columns(problems)


def check_types(sf: SchemeFile, tables: Mapping[str, pl.DataFrame]) -> list[Problem]:
    """Once the columns are known to exist: each KPI's where and value work on its table's
    column types (``SUM(product)`` on text, ``product > 5``), so a type mistake is a scheme
    error with its position rather than a failure half-way through the computation.

    Run on the tables' empty shapes: polars resolves types without touching a row.
    """
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        for name, text, table in kpi_expressions(kpi):
            if table not in tables:
                continue
            empty = tables[table].clear()
            try:
                expr = parse_expression(text)
                if set(expression_columns(expr)) - set(empty.columns):
                    continue  # an absent optional column: the engine makes the KPI N/A
                if name == "where":
                    empty.filter(expr)
                else:
                    empty.select(expr.alias("value"))
            except ValueError:
                continue  # reported when the scheme was loaded
            except pl.exceptions.PolarsError as exc:
                reason = str(exc).splitlines()[0]
                problems.append(
                    sf.problem(
                        ("kpis", index, name),
                        msg("rule.column_types", table=table, reason=reason),
                        msg("rule.types_fix"),
                    )
                )
    return sf.sound_columns(problems)
