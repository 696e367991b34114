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
from spmcli.scheme.columns import KNOWN_COLUMNS, REQUIRED_COLUMNS, normalize
from spmcli.scheme.model import Kpi
from spmcli.scheme.periods import parse_period

if TYPE_CHECKING:
    from spmcli.scheme.marks import SchemeFile

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
            "the scheme has no KPIs",
            "add one, e.g. {id: sales, value: SUM(amount), target: targets}",
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
                    f"'{kpi.id}' is already the id of kpis[{first[kpi.id]}]",
                    "KPI ids must be unique",
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
                    f"KPI '{kpi.id}' needs a value",
                    "write an SQL aggregate, e.g. value: SUM(amount) or value: COUNT(*)",
                )
            )
        if kpi.kind == "growth" and not kpi.of:
            problems.append(
                sf.problem(
                    loc,
                    f"growth KPI '{kpi.id}' needs of: the KPI whose growth it measures",
                    "e.g. of: sales",
                )
            )
        if kpi.kind == "rating" and not kpi.item:
            problems.append(
                sf.problem(
                    loc,
                    f"rating KPI '{kpi.id}' needs item: the rating item in the ratings table",
                    "e.g. item: 团队协作",
                )
            )
        if kpi.kind == "rating" and not kpi.scale:
            problems.append(
                sf.problem(
                    loc,
                    f"rating KPI '{kpi.id}' needs a scale from each rating to a score",
                    "e.g. scale: {优秀: 100, 良好: 85, 合格: 70, 不合格: 40}",
                )
            )
        used = _fields_used(kpi)
        for name in ("value", "where", "of", "vs", "item", "scale", "tiers"):
            if name in kpi.model_fields_set and name not in used:
                problems.append(
                    sf.problem(
                        (*loc, name),
                        f"not used by a {_kind_name(kpi)} KPI",
                        "remove it, or change the KPI's kind",
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
                    f"team KPI '{kpi.id}' needs of: the rep KPI it adds up over the team",
                    "e.g. of: sales",
                )
            )
        if kpi.scope == "team" and kpi.kind != "aggregate":
            problems.append(
                sf.problem(
                    (*loc, "scope"),
                    f"a {kpi.kind} KPI cannot have scope team",
                    "a team KPI has no kind of its own: it computes its of KPI over the team",
                )
            )
        if not kpi.of:
            continue
        if kpi.of not in by_id:
            problems.append(
                sf.problem((*loc, "of"), f"no KPI '{kpi.of}'", did_you_mean(kpi.of, list(by_id)))
            )
        elif kpi.of == kpi.id:
            problems.append(sf.problem((*loc, "of"), "a KPI cannot refer to itself"))
        elif kpi.scope == "team" and by_id[kpi.of].scope == "team":
            problems.append(
                sf.problem(
                    (*loc, "of"),
                    f"'{kpi.of}' is a team KPI; of must name a rep KPI",
                    f"e.g. of: {by_id[kpi.of].of}" if by_id[kpi.of].of else "",
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
                        f"KPIs refer to each other in a loop: {' → '.join([*chain, kpi.id])}",
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
                    sf.problem(loc, f"not a valid SQL expression ({exc})", f"e.g. {example}")
                )
                continue
            aggregate = is_aggregate(expr)
            if name == "value" and aggregate is False:
                problems.append(
                    sf.problem(
                        loc,
                        "not an aggregate: it gives a value per row, not one per rep",
                        "wrap it in SUM(...), COUNT(...), AVG(...), MIN(...) or MAX(...)",
                    )
                )
            if name == "where" and aggregate is True:
                problems.append(
                    sf.problem(
                        loc,
                        "an aggregate cannot filter rows",
                        f"compare the row's columns, e.g. {example}",
                    )
                )
    return problems


def rule_targets(sf: SchemeFile) -> list[Problem]:
    """A KPI scored on achievement has a target; a team KPI's target is its members' sum."""
    by_id = {kpi.id: kpi for kpi in reversed(sf.scheme.kpis)}
    problems = []
    for index, kpi in enumerate(sf.scheme.kpis):
        loc = ("kpis", index)
        if isinstance(kpi.target, int | float) and not kpi.target > 0:
            problems.append(
                sf.problem(
                    (*loc, "target"),
                    f"must be greater than 0, got {kpi.target:g}",
                    "a target of 0 or less gives no achievement",
                )
            )
        if kpi.scope == "team":
            if kpi.target is not None:
                problems.append(
                    sf.problem(
                        (*loc, "target"),
                        f"a team KPI's target is the sum of its members' targets of '{kpi.of}'",
                        "remove it",
                        key=True,
                    )
                )
            member = by_id.get(kpi.of or "")
            if (
                kpi.needs_target
                and member is not None
                and member.scope == "rep"
                and member.target is None
            ):
                problems.append(
                    sf.problem(
                        (*loc, "of"),
                        f"'{kpi.of}' has no target, so the team has none to reach",
                        f"give '{kpi.of}' a target, or score '{kpi.id}' with "
                        "method: bands, on: value",
                    )
                )
        elif kpi.needs_target and kpi.target is None:
            problems.append(
                sf.problem(
                    loc,
                    f"KPI '{kpi.id}' needs a target: it is scored on achievement (actual / target)",
                    "add target: targets (from the targets table) or a number, "
                    "or score it with method: bands, on: value",
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
                    "method bands needs bands: [[threshold, score], ...], highest first",
                    "e.g. bands: [[1.0, 100], [0.8, 80], [0, 50]]",
                )
            )
        if scoring.method == "rating" and kpi.kind != "rating":
            problems.append(
                sf.problem(
                    (*loc, "method"),
                    "method rating scores supervisor ratings and needs kind: rating",
                    "use method: linear or bands, or make the KPI kind: rating",
                )
            )
        for name in sorted(scoring.model_fields_set - used_by[scoring.method] - {"method"}):
            problems.append(
                sf.problem(
                    (*loc, name),
                    f"not used by method {scoring.method}",
                    "remove it, or change the method",
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
                        f"threshold {current[0]:g} is not below the previous band's "
                        f"{previous[0]:g}",
                        "list bands from the highest threshold down",
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
                    "a role needs at least one weighted KPI",
                    f"e.g. weights: {{{kpi_ids[0]}: 100}}" if kpi_ids else "",
                )
            )
        for kpi_id, weight in role.weights.items():
            if kpi_id not in kpi_ids:
                problems.append(
                    sf.problem(
                        (*loc, "weights", kpi_id),
                        f"no KPI '{kpi_id}'",
                        did_you_mean(kpi_id, kpi_ids) or f"KPIs: {', '.join(kpi_ids)}",
                        key=True,
                    )
                )
            if not weight > 0:
                problems.append(
                    sf.problem(
                        (*loc, "weights", kpi_id),
                        f"a weight must be greater than 0, got {weight:g}",
                        "leave the KPI out of the weights to show it for information only",
                    )
                )
        if role.label:
            other = names.setdefault(normalize(role.label), role_id)
            if other != role_id:
                problems.append(
                    sf.problem(
                        (*loc, "label"),
                        f"'{role.label}' also names role '{other}'",
                        "a rep's role is found by id or label, so each must be unique",
                    )
                )
    return problems


def rule_default_role(sf: SchemeFile) -> list[Problem]:
    """There are roles, and ``default_role`` is one of them."""
    roles = list(sf.scheme.roles)
    if not roles:
        return [
            sf.problem(
                ("roles",),
                "the scheme has no roles",
                "add one, e.g. roles: {rep: {weights: {sales: 100}}}",
            )
        ]
    if sf.scheme.default_role in roles:
        return []
    return [
        sf.problem(
            ("default_role",),
            f"no role '{sf.scheme.default_role}'",
            did_you_mean(sf.scheme.default_role, roles) or f"roles: {', '.join(roles)}",
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
                sf.problem(("grades", index, "grade"), f"grade '{grade.grade}' is listed twice")
            )
        seen.add(grade.grade)
        if index and not grade.min < grades[index - 1].min:
            problems.append(
                sf.problem(
                    ("grades", index, "min"),
                    f"{grade.min:g} is not below the previous grade's min "
                    f"{grades[index - 1].min:g}",
                    "list grades from the highest down",
                )
            )
    if grades and grades[-1].min > 0:
        problems.append(
            sf.problem(
                ("grades", len(grades) - 1, "min"),
                f"a final score below {grades[-1].min:g} would get no grade",
                "give the last grade min: 0",
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
                        f"'{column}' is not a column of table {table}",
                        did_you_mean(column, known)
                        or f"columns of {table}: {', '.join(known)}; "
                        "other columns keep their own header",
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
            sf.problem(loc, f"no KPI '{kpi_id}'", did_you_mean(kpi_id, [*extra, *by_id]))
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
                    "points must be in increasing order of x",
                    f"got {', '.join(f'{x:g}' for x in xs)}",
                )
            )
    if pay.commission is not None:
        loc = ("pay", "commission")
        kpi = kpi_named((*loc, "kpi"), pay.commission.kpi)
        if kpi is not None and not (kpi.scope == "rep" and kpi.needs_target):
            problems.append(
                sf.problem(
                    (*loc, "kpi"),
                    f"commission needs a rep KPI with a target; '{kpi.id}' has none",
                    "tiers start at shares of the target",
                )
            )
        starts = [tier.start for tier in pay.commission.tiers]
        if not _increasing(starts):
            problems.append(
                sf.problem(
                    (*loc, "tiers"),
                    "tiers must start at increasing achievements",
                    f"got from: {', '.join(f'{s:g}' for s in starts)}",
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
                    f"the team pool needs a team-scope KPI; '{kpi.id}' is a rep KPI",
                    f"e.g. kpi: {team_kpis[0]}" if team_kpis else "add a KPI with scope: team",
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
                sf.problem((*loc, "tiers"), "names no tier", "e.g. tiers: [A] or tiers: [A, B]")
            )
        repeated = sorted({t for t in kpi.tiers if kpi.tiers.count(t) > 1})
        if repeated:
            problems.append(
                sf.problem((*loc, "tiers"), f"tier {', '.join(repeated)} is listed twice")
            )
        if kpi.window == "ytd":
            problems.append(
                sf.problem(
                    (*loc, "window"),
                    "a coverage KPI checks the call plan of one period; window ytd is not one",
                    "use period, prev or yoy (tiering.window: 12m looks at 12 months)",
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
                f"{first:g}, {second:g} are not cumulative shares with 0 < first < second ≤ 1",
                "e.g. thresholds: [0.8, 0.95]",
            )
        )
    potential = tiering.potential
    if (potential.high is None) != (potential.medium is None):
        given = "high" if potential.high is not None else "medium"
        problems.append(
            sf.problem(
                ("tiering", "potential", given),
                "give both high and medium, or neither (then potential is split into thirds)",
                "e.g. potential: {high: 1000000, medium: 300000}",
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
                f"{potential.medium:,.15g} is not below high ({potential.high:,.15g})",
                "high is where high potential starts, medium where medium starts",
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
                            f"unknown column '{column}' in table {table}",
                            did_you_mean(column, present)
                            or f"columns of {table}: {', '.join(present)}",
                        )
                    )
    bonus = sf.scheme.pay.bonus if sf.scheme.pay else None
    if bonus is not None and isinstance(bonus.base, str) and "reps" in columns:
        present = list(columns["reps"])
        if bonus.base not in present and bonus.base not in KNOWN_COLUMNS["reps"]:
            problems.append(
                sf.problem(
                    ("pay", "bonus", "base"),
                    f"the bonus base '{bonus.base}' is not a column of the reps table",
                    did_you_mean(bonus.base, present)
                    or "give an amount, or add the column to reps",
                )
            )
    return sf.sound(problems)


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
                        f"cannot be computed on the column types of table {table}: {reason}",
                        "SUM and AVG need number columns; compare text with text ('OTC')",
                    )
                )
    return sf.sound(problems)
