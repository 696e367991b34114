"""Who is evaluated: the roster, each rep's role, and whether the rep is due this run."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from spmcli.engine.result import RunWarning
from spmcli.scheme.columns import normalize
from spmcli.scheme.model import Scheme
from spmcli.scheme.periods import MONTHS_IN, Period

ROSTER_COLUMNS = ("rep_id", "name", "team", "role", "manager", "region")


def build_roster(
    scheme: Scheme, tables: Mapping[str, pl.DataFrame], period: Period
) -> tuple[pl.DataFrame, list[RunWarning]]:
    """One row per rep: the columns of ROSTER_COLUMNS plus role_label, due and target_bonus.

    Without a ``reps`` table the roster is every rep found in ``sales`` with the
    default role (SPEC §2). A role cell may hold a role id or its label (zh or en); an unknown
    role falls back to the default role with a warning.
    """
    warnings: list[RunWarning] = []
    reps = tables.get("reps")
    if reps is None:
        warnings.append(RunWarning.of("no_reps_table", default_role=scheme.default_role))
        reps = tables["sales"].select("rep_id").unique().sort("rep_id")
    for column in ROSTER_COLUMNS:
        if column not in reps.columns:
            reps = reps.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    if "target_bonus" not in reps.columns:
        reps = reps.with_columns(pl.lit(None, dtype=pl.Decimal(38, 6)).alias("target_bonus"))

    # a role cell may hold the role's label in either language (SPEC §3 locale)
    role_names = {normalize(role_id): role_id for role_id in scheme.roles}
    role_names.update(
        {normalize(text): role_id for role_id, r in scheme.roles.items() for text in r.all_labels}
    )
    lookup = pl.DataFrame(
        {"_role_key": list(role_names), "_role_id": list(role_names.values())},
        schema={"_role_key": pl.String, "_role_id": pl.String},
    )
    role_key = (
        pl.col("role")
        .fill_null("")
        .str.replace_all(r"[\s_\u3000]", "")
        .str.to_lowercase()
        .alias("_role_key")
    )
    roster = reps.with_columns(role_key).join(lookup, on="_role_key", how="left")
    unknown = roster.filter(pl.col("_role_id").is_null() & (pl.col("_role_key") != ""))
    for value, count in unknown.group_by("role").len().sort("role").iter_rows():
        warnings.append(
            RunWarning.of(
                "unknown_role",
                role=str(value),
                count=int(count),
                roles=tuple(scheme.roles),
                default_role=scheme.default_role,
            )
        )
    roster = roster.with_columns(pl.col("_role_id").fill_null(scheme.default_role).alias("role"))

    labels = {role_id: role.label or role_id for role_id, role in scheme.roles.items()}
    run_length = MONTHS_IN[period.kind]
    due_roles = [r for r in scheme.roles if MONTHS_IN[scheme.cycle_of(r)] <= run_length]
    roster = roster.with_columns(
        pl.col("role").replace_strict(labels, return_dtype=pl.String).alias("role_label"),
        pl.col("role").is_in(due_roles).alias("due"),
        pl.col("team").fill_null(""),
    ).select(
        *ROSTER_COLUMNS,
        "role_label",
        "due",
        "target_bonus",
        # any other reps column stays: a bonus base may name one
        pl.exclude(*ROSTER_COLUMNS, "role_label", "due", "target_bonus", "_role_key", "_role_id"),
    )

    not_due = roster.filter(~pl.col("due"))
    if not_due.height:
        warnings.append(RunWarning.of("not_due", count=not_due.height, kind=period.kind))
    return roster, warnings
