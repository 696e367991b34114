"""Loading and validating schemes (SPEC §3): the valid fixture, the default, and each rule.

Every negative test breaks tests/fixtures/scheme_valid.yaml in one place and asserts
the exact messages, positions included. The broken scheme is written as
``scheme.yaml`` in the test's working directory, so positions read ``scheme.yaml:L:C``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from spmcli.errors import SchemeError, UsageError
from spmcli.messages import msg
from spmcli.scheme import check_columns, default_scheme_text, load_scheme
from spmcli.scheme.loader import DEFAULT_SCHEME_PATH, read_scheme
from spmcli.scheme.marks import SchemeFile
from spmcli.scheme.periods import parse_period
from spmcli.scheme.rules import is_aggregate

FIXTURE = Path(__file__).parent / "fixtures" / "scheme_valid.yaml"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(text: str | bytes) -> Path:
    path = Path("scheme.yaml")
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def broken(old: str, new: str) -> Path:
    """The valid fixture with ``old`` (found exactly once) replaced by ``new``."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in the fixture"
    return write(text.replace(old, new))


def problems(path: Path | None) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        load_scheme(path)
    assert caught.value.exit_code == 2
    return [str(problem) for problem in caught.value.problems]


# --- what loads -------------------------------------------------------------------------------


def test_valid_fixture_loads() -> None:
    loaded = load_scheme(FIXTURE)
    scheme = loaded.scheme
    assert [k.id for k in scheme.kpis] == [
        "sales", "margin", "growth", "visits", "satisfaction", "team_sales", "teamwork",
    ]  # fmt: skip
    assert scheme.kpi("satisfaction").scoring.on == "value"  # `on` stays a key, not True
    assert scheme.kpi("satisfaction").scoring.bands == [(4.5, 100), (4.0, 80), (0, 50)]
    assert scheme.sources["sales"].columns == {"amount": "Net value"}
    assert loaded.path == str(FIXTURE)
    assert loaded.where(("kpis", 0, "value")) == f"{FIXTURE}:15:12"


def test_default_scheme_loads_and_is_the_spec_example_without_pay() -> None:
    loaded = load_scheme(None)
    scheme = loaded.scheme
    assert loaded.path == DEFAULT_SCHEME_PATH
    assert scheme.period is None  # the latest period is derived from the data
    assert [k.id for k in scheme.kpis] == [
        "sales", "gross_margin", "collection", "growth", "new_customers", "repurchase",
        "visits", "visit_success", "satisfaction", "trainings", "academic", "team_sales",
        "teamwork",
    ]  # fmt: skip
    assert {role: r.label for role, r in scheme.roles.items()} == {
        "hunter": "开拓型",
        "farmer": "维护型",
    }
    weighted = {kpi for role in scheme.roles.values() for kpi in role.weights}
    assert "academic" not in weighted  # shown for information only
    assert scheme.kpi("academic").where == "type = '学术会议'"
    assert scheme.kpi("teamwork").scale == {"优秀": 100, "良好": 85, "合格": 70, "不合格": 40}
    assert [g.min for g in scheme.grades] == [90, 75, 60, 0]


def test_default_scheme_text_is_commented_yaml() -> None:
    text = default_scheme_text()
    assert text.startswith("#")
    assert "\npay:" in text and "\nperiod:" not in text
    assert "考核指标 · KPIs" in text


def test_where_falls_back_to_the_nearest_known_ancestor() -> None:
    loaded = load_scheme(FIXTURE)
    assert loaded.where(("kpis", 1, "scoring", "method")) == f"{FIXTURE}:22:5"
    assert loaded.where(("roles", "hunter", "weights", "sales")) == f"{FIXTURE}:58:14"
    assert loaded.where(("roles", "hunter", "weights", "sales"), key=True) == f"{FIXTURE}:58:7"
    assert loaded.where(()) == f"{FIXTURE}:2:1"


def test_plain_yaml_words_stay_text(workdir: Path) -> None:
    """YAML 1.1 would read `on`, `yes` and `no` as booleans and 2025-07-01 as a date."""
    path = broken("name: test scheme", "name: no")
    assert load_scheme(path).scheme.name == "no"
    path = broken("    label: Sales", "    label: yes")
    assert load_scheme(path).scheme.kpi("sales").label == "yes"


def test_a_number_where_text_is_expected_is_its_text(workdir: Path) -> None:
    assert load_scheme(broken("period: 2025-Q3", "period: 2025")).scheme.period == "2025"


def test_merge_keys_and_anchors(workdir: Path) -> None:
    path = broken(
        "  - id: margin\n    value: SUM(amount - cost) / SUM(amount)\n    target: 0.35\n",
        "  - &margin\n    id: margin\n    value: SUM(amount - cost) / SUM(amount)\n"
        "    target: 0.35\n  - <<: *margin\n    id: margin_high\n    target: 0.5\n",
    )
    scheme = load_scheme(path).scheme
    assert scheme.kpi("margin_high").value == "SUM(amount - cost) / SUM(amount)"
    assert scheme.kpi("margin_high").target == 0.5


def test_utf8_bom_and_gbk_files(workdir: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("    label: Sales", "    label: 销售额")
    assert load_scheme(write("\ufeff" + text)).scheme.kpi("sales").label == "销售额"
    assert load_scheme(write(text.encode("gbk"))).scheme.kpi("sales").label == "销售额"


# --- YAML problems ----------------------------------------------------------------------------


def test_unsafe_tag_is_an_error_and_never_runs(workdir: Path) -> None:
    path = broken("name: test scheme", "name: !!python/object/apply:os.system ['touch pwned']")
    assert problems(path) == [
        "scheme.yaml:2:7: name: unsupported YAML tag '!!python/object/apply:os.system' — "
        "a scheme holds only plain text, numbers, lists and mappings; remove the tag"
    ]
    assert not (workdir / "pwned").exists()


def test_yaml_syntax_error_has_its_position(workdir: Path) -> None:
    path = broken("    value: COUNT(*)", "    value: [COUNT(*)")
    assert problems(path) == [
        "scheme.yaml:33:11: invalid YAML: expected ',' or ']', but got ':'"
        " — the rest of the scheme is checked once this is fixed"
    ]


def test_tab_indentation(workdir: Path) -> None:
    path = broken("    label: Sales", "\tlabel: Sales")
    assert problems(path) == [
        "scheme.yaml:14:1: invalid YAML: found character '\\t' that cannot start any token"
        " — indent with spaces, not tabs; the rest of the scheme is checked once this is fixed"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "scheme.yaml: the scheme is empty — start from the default: spm init DIR"),
        (
            "# only a comment\n",
            "scheme.yaml: the scheme is empty — start from the default: spm init DIR",
        ),
        (
            "- sales\n- visits\n",
            "scheme.yaml:1:1: the scheme must be a mapping of keys (name, kpis, roles, ...), "
            'got ["sales", "visits"]',
        ),
        (
            "name: a\n---\nname: b\n",
            "scheme.yaml:2:1: invalid YAML: expected a single document in the stream, "
            "but found another document — the rest of the scheme is checked once this is fixed",
        ),
        (
            "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
            "scheme.yaml: the scheme is too large or nested too deeply (check its aliases)",
        ),
    ],
    ids=["empty", "comment-only", "not-a-mapping", "two-documents", "alias-bomb"],
)
def test_unusable_documents(workdir: Path, text: str, expected: str) -> None:
    assert problems(write(text)) == [expected]


def test_missing_file() -> None:
    assert problems(Path("no/such/scheme.yaml")) == [
        "no/such/scheme.yaml: cannot read the scheme: No such file or directory"
    ]


# --- the model's checks, in spm's words -------------------------------------------------------

MODEL_CASES = [
    (
        "literal",
        "      method: linear",
        "      method: linar",
        "scheme.yaml:19:15: kpis[0].scoring.method: 'linar' is not one of linear, bands, rating"
        " — did you mean 'linear'?",
    ),
    (
        "unknown-key",
        "    label: Sales",
        "    labl: Sales",
        "scheme.yaml:14:5: kpis[0]: unknown key 'labl' — did you mean 'label'?",
    ),
    (
        "unknown-top-level-key",
        "currency: CNY",
        "currancy: CNY",
        "scheme.yaml:6:1: unknown key 'currancy' — did you mean 'currency'?",
    ),
    (
        "duplicate-key",
        "    label: Sales",
        "    label: Sales\n    label: Revenue",
        "scheme.yaml:15:5: kpis[0]: duplicate key 'label', first given on line 14",
    ),
    (
        "missing-key",
        "  - id: margin",
        "  - label: margin",
        "scheme.yaml:22:5: kpis[1]: missing required key 'id'",
    ),
    (
        "not-a-number",
        "      floor: 0.6",
        "      floor: abc",
        "scheme.yaml:20:14: kpis[0].scoring.floor: expected a number, got 'abc'",
    ),
    (
        "below-minimum",
        "      floor: 0.6",
        "      floor: -1",
        "scheme.yaml:20:14: kpis[0].scoring.floor: must be at least 0, got -1",
    ),
    (
        "not-a-whole-number",
        "  appeal_days: 7",
        "  appeal_days: 1.5",
        "scheme.yaml:76:16: feedback.appeal_days: expected a whole number, got 1.5",
    ),
    (
        "target-choice",
        "    target: 0.35",
        "    target: targts",
        "scheme.yaml:24:13: kpis[1].target: expected 'targets' or a number, got 'targts'"
        " — did you mean 'targets'?",
    ),
    (
        "kpi-id",
        "  - id: margin",
        "  - id: Margin",
        "scheme.yaml:22:9: kpis[1].id: 'Margin' is not a valid id (an id is lowercase letters,"
        " digits and _, starting with a letter) — did you mean 'margin'?",
    ),
    (
        "role-id",
        "  hunter:",
        "  Hunter:",
        "scheme.yaml:54:3: roles: key 'Hunter' is not a valid id (an id is lowercase letters,"
        " digits and _, starting with a letter) — did you mean 'hunter'?",
    ),
    (
        "source-table",
        "  sales:\n    sheet: Lines",
        "  sale:\n    sheet: Lines",
        "scheme.yaml:8:3: sources: 'sale' is not one of reps, sales, visits, satisfaction,"
        " targets, customers, activities, ratings, adjustments, comments, appeal_adjustments"
        " — did you mean 'sales'?",
    ),
    (
        "band-pair",
        "        - [4.0, 80]",
        "        - [4.0]",
        "scheme.yaml:42:11: kpis[4].scoring.bands[1]: expected 2 values, got [4.0]"
        " — each band is [threshold, score], e.g. [4.5, 90]",
    ),
    (
        "mapping-expected",
        "feedback:\n  appeal_days: 7",
        "feedback: 7",
        "scheme.yaml:75:11: feedback: expected a mapping (key: value), got 7",
    ),
    (
        "bad-explicit-int",
        "name: test scheme",
        "name: !!int abc",
        "scheme.yaml:2:7: name: 'abc' is not a valid !!int value",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [case[1:] for case in MODEL_CASES],
    ids=[case[0] for case in MODEL_CASES],
)
def test_model_problems(workdir: Path, old: str, new: str, expected: str) -> None:
    assert problems(broken(old, new)) == [expected]


# --- cross-field rules ------------------------------------------------------------------------

TEAM = "  - id: team_sales\n    scope: team\n    of: sales\n"
GROWTH = "  - id: growth\n    kind: growth\n    of: sales\n"
RULE_CASES = [
    (
        "kpi-ids-unique",
        "  - id: margin",
        "  - id: sales",
        "scheme.yaml:22:9: kpis[1].id: 'sales' is already the id of kpis[0]"
        " — KPI ids must be unique",
    ),
    (
        "aggregate-needs-value",
        "    value: COUNT(*)\n",
        "",
        "scheme.yaml:30:5: kpis[3]: KPI 'visits' needs a value"
        " — write an SQL aggregate, e.g. value: SUM(amount) or value: COUNT(*)",
    ),
    (
        "growth-needs-of",
        GROWTH,
        "  - id: growth\n    kind: growth\n",
        "scheme.yaml:25:5: kpis[2]: growth KPI 'growth' needs of: the KPI whose growth it"
        " measures — e.g. of: sales",
    ),
    (
        "of-names-a-kpi",
        GROWTH,
        "  - id: growth\n    kind: growth\n    of: sale\n",
        "scheme.yaml:27:9: kpis[2].of: no KPI 'sale' — did you mean 'sales'?",
    ),
    (
        "of-not-itself",
        GROWTH,
        "  - id: growth\n    kind: growth\n    of: growth\n",
        "scheme.yaml:27:9: kpis[2].of: a KPI cannot refer to itself",
    ),
    (
        "of-no-loop",
        GROWTH,
        "  - id: growth\n    kind: growth\n    of: growth2\n    target: 1\n"
        "  - id: growth2\n    kind: growth\n    of: growth\n",
        "scheme.yaml:27:9: kpis[2].of: KPIs refer to each other in a loop:"
        " growth → growth2 → growth",
    ),
    (
        "team-needs-of",
        TEAM,
        "  - id: team_sales\n    scope: team\n",
        "scheme.yaml:44:5: kpis[5]: team KPI 'team_sales' needs of: the rep KPI it adds up over"
        " the team — e.g. of: sales",
    ),
    (
        "team-of-is-rep-scoped",
        TEAM,
        TEAM + "  - id: team_of_team\n    scope: team\n    of: team_sales\n",
        "scheme.yaml:49:9: kpis[6].of: 'team_sales' is a team KPI; of must name a rep KPI"
        " — e.g. of: sales",
    ),
    (
        "team-kind",
        TEAM,
        "  - id: team_sales\n    kind: repurchase_rate\n    scope: team\n    of: sales\n",
        "scheme.yaml:46:12: kpis[5].scope: a repurchase_rate KPI cannot have scope team"
        " — a team KPI has no kind of its own: it computes its of KPI over the team",
    ),
    (
        "team-target-is-the-members-sum",
        TEAM,
        TEAM + "    target: 100\n",
        "scheme.yaml:47:5: kpis[5].target: a team KPI's target is the sum of its members'"
        " targets of 'sales' — remove it",
    ),
    (
        "team-of-has-a-target",
        TEAM,
        "  - id: team_sales\n    scope: team\n    of: satisfaction\n",
        "scheme.yaml:46:9: kpis[5].of: 'satisfaction' has no target, so the team has none to"
        " reach — give 'satisfaction' a target, or score 'team_sales' with method: bands,"
        " on: value",
    ),
    (
        "rating-needs-item",
        "    item: Teamwork\n",
        "",
        "scheme.yaml:47:5: kpis[6]: rating KPI 'teamwork' needs item: the rating item in the"
        " ratings table — e.g. item: 团队协作",
    ),
    (
        "rating-needs-scale",
        "    scale:\n      good: 100\n      poor: 50\n",
        "    scale: {}\n",
        "scheme.yaml:47:5: kpis[6]: rating KPI 'teamwork' needs a scale from each rating to a"
        " score — e.g. scale: {优秀: 100, 良好: 85, 合格: 70, 不合格: 40}",
    ),
    (
        "no-ignored-keys",
        "    item: Teamwork",
        "    item: Teamwork\n    where: outcome = 'good'",
        "scheme.yaml:50:5: kpis[6].where: not used by a rating KPI"
        " — remove it, or change the KPI's kind",
    ),
    (
        "where-if-missing-needs-a-where",
        "    value: SUM(amount - cost) / SUM(amount)",
        "    value: SUM(amount - cost) / SUM(amount)\n    where_if_missing: all_rows",
        "scheme.yaml:24:5: kpis[1].where_if_missing: says what to do when a filter's column is"
        " missing, but there is no where — remove it, or add the where filter it is for",
    ),
    (
        "value-parses",
        "    value: SUM(amount - cost) / SUM(amount)",
        "    value: SUM(amount - cost / SUM(amount)",
        "scheme.yaml:23:12: kpis[1].value: not a valid SQL expression (unable to parse"
        " 'SUM(amount - cost / SUM(amount)' as Expr) — e.g. SUM(amount) or COUNT(*)",
    ),
    (
        "value-aggregates",
        "    value: SUM(amount - cost) / SUM(amount)",
        "    value: (amount - cost) / amount",
        "scheme.yaml:23:12: kpis[1].value: not an aggregate: it gives a value per row, not one"
        " per rep — wrap it in SUM(...), COUNT(...), AVG(...), MIN(...) or MAX(...)",
    ),
    (
        "where-parses",
        "    where: category <> 'OTC'",
        "    where: category <> 'OTC",
        "scheme.yaml:16:12: kpis[0].where: not a valid SQL expression (sql parser error:"
        " Unterminated string literal at Line: 1, Column: 13) — e.g. category <> 'OTC'",
    ),
    (
        "where-filters-rows",
        "    where: category <> 'OTC'",
        "    where: SUM(amount) > 0",
        "scheme.yaml:16:12: kpis[0].where: an aggregate cannot filter rows"
        " — compare the row's columns, e.g. category <> 'OTC'",
    ),
    (
        "needs-target",
        "    target: 0.35\n",
        "",
        "scheme.yaml:22:5: kpis[1]: KPI 'margin' needs a target: it is scored on achievement"
        " (actual / target) — add target: targets (from the targets table) or a number,"
        " or score it with method: bands, on: value",
    ),
    (
        "target-positive",
        "    target: 0.35",
        "    target: 0",
        "scheme.yaml:24:13: kpis[1].target: must be greater than 0, got 0"
        " — a target of 0 or less gives no achievement",
    ),
    (
        "bands-needed",
        "      bands:\n        - [4.5, 100]\n        - [4.0, 80]\n        - [0, 50]\n",
        "      bands: []\n",
        "scheme.yaml:38:7: kpis[4].scoring: method bands needs bands: [[threshold, score], ...],"
        " highest first — e.g. bands: [[1.0, 100], [0.8, 80], [0, 50]]",
    ),
    (
        "bands-highest-first",
        "        - [4.0, 80]",
        "        - [4.8, 80]",
        "scheme.yaml:42:11: kpis[4].scoring.bands[1]: threshold 4.8 is not below the previous"
        " band's 4.5 — list bands from the highest threshold down",
    ),
    (
        "rating-method-needs-rating-kind",
        "    target: 0.35",
        "    target: 0.35\n    scoring: {method: rating}",
        "scheme.yaml:25:23: kpis[1].scoring.method: method rating scores supervisor ratings and"
        " needs kind: rating — use method: linear or bands, or make the KPI kind: rating",
    ),
    (
        "scoring-keys-of-the-method",
        "      method: bands",
        "      method: bands\n      cap: 1.5",
        "scheme.yaml:39:7: kpis[4].scoring.cap: not used by method bands"
        " — remove it, or change the method",
    ),
    (
        "weights-name-kpis",
        "      visits: 30",
        "      visit: 30",
        "scheme.yaml:59:7: roles.hunter.weights.visit: no KPI 'visit' — did you mean 'visits'?",
    ),
    (
        "weights-positive",
        "      visits: 30",
        "      visits: 0",
        "scheme.yaml:59:15: roles.hunter.weights.visits: a weight must be greater than 0, got 0"
        " — leave the KPI out of the weights to show it for information only",
    ),
    (
        "role-labels-unique",
        "    label: Hunter role",
        "    label: Farmer",
        "scheme.yaml:55:12: roles.hunter.label: 'Farmer' also names role 'farmer'"
        " — a rep's role is found by id or label, so each must be unique",
    ),
    (
        "default-role",
        "default_role: farmer",
        "default_role: farmr",
        "scheme.yaml:66:15: default_role: no role 'farmr' — did you mean 'farmer'?",
    ),
    (
        "grades-highest-first",
        "    min: 60",
        "    min: 95",
        "scheme.yaml:72:10: grades[1].min: 95 is not below the previous grade's min 90"
        " — list grades from the highest down",
    ),
    (
        "every-score-gets-a-grade",
        "    min: 0",
        "    min: 10",
        "scheme.yaml:74:10: grades[2].min: a final score below 10 would get no grade"
        " — give the last grade min: 0",
    ),
    (
        "grades-unique",
        "  - grade: B",
        "  - grade: A",
        "scheme.yaml:71:12: grades[1].grade: grade 'A' is listed twice",
    ),
    (
        "period-label",
        "period: 2025-Q3",
        "period: 2025-Q5",
        "scheme.yaml:4:9: period: '2025-Q5' is not a period label"
        " — write 2025-07, 2025-Q3, 2025-H2 or 2025",
    ),
    (
        "period-month",
        "period: 2025-Q3",
        "period: 2025-13",
        "scheme.yaml:4:9: period: '2025-13' has no month 13 — months are 01 to 12",
    ),
    (
        "source-columns-known",
        "      amount: Net value",
        "      amout: Net value",
        "scheme.yaml:11:7: sources.sales.columns.amout: 'amout' is not a column of table sales"
        " — did you mean 'amount'?",
    ),
    (
        "pay-bonus-on",
        "    on: final_score",
        "    on: final_scor",
        "scheme.yaml:80:9: pay.bonus.on: no KPI 'final_scor' — did you mean 'final_score'?",
    ),
    (
        "pay-points-order",
        "    points: [[0, 0], [60, 0.5], [100, 1.0]]",
        "    points: [[0, 0], [100, 1.0], [60, 0.5]]",
        "scheme.yaml:81:13: pay.bonus.points: points must be in increasing order of x"
        " — got 0, 100, 60",
    ),
    (
        "pay-commission-kpi",
        "    kpi: sales",
        "    kpi: satisfaction",
        "scheme.yaml:84:10: pay.commission.kpi: commission needs a rep KPI with a target;"
        " 'satisfaction' has none — tiers start at shares of the target",
    ),
    (
        "pay-tier-order",
        "      - {from: 0.8, rate: 0.02}",
        "      - {from: 0, rate: 0.02}",
        "scheme.yaml:87:7: pay.commission.tiers: tiers must start at increasing achievements"
        " — got from: 0, 0",
    ),
    (
        "pay-pool-kpi",
        "    kpi: team_sales",
        "    kpi: visits",
        "scheme.yaml:91:10: pay.team_pool.kpi: the team pool needs a team-scope KPI;"
        " 'visits' is a rep KPI — e.g. kpi: team_sales",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [case[1:] for case in RULE_CASES],
    ids=[case[0] for case in RULE_CASES],
)
def test_rule_problems(workdir: Path, old: str, new: str, expected: str) -> None:
    assert problems(broken(old, new)) == [expected]


def test_bonus_base_column_is_checked_against_reps(workdir: Path) -> None:
    loaded = load_scheme(broken("    base: target_bonus", "    base: bonus_base"))
    assert [str(p) for p in check_columns(loaded, {"reps": ["rep_id", "bonus_base_cny"]})] == [
        "scheme.yaml:79:11: pay.bonus.base: the bonus base 'bonus_base' is not a column"
        " of the reps table — did you mean 'bonus_base_cny'?"
    ]
    assert check_columns(loaded, {"reps": ["rep_id", "bonus_base"]}) == []
    # target_bonus is an optional column SPEC §2 knows: without it the bonus is 0, with a warning.
    assert check_columns(load_scheme(FIXTURE), {"reps": ["rep_id"]}) == []


def test_no_kpis_and_no_roles(workdir: Path) -> None:
    path = write("kpis: []\nroles: {}\ndefault_role: rep\n")
    assert problems(path) == [
        "scheme.yaml:1:7: kpis: the scheme has no KPIs"
        " — add one, e.g. {id: sales, value: SUM(amount), target: targets}",
        "scheme.yaml:2:8: roles: the scheme has no roles"
        " — add one, e.g. roles: {rep: {weights: {sales: 100}}}",
    ]


# --- every problem at once --------------------------------------------------------------------


def test_model_problems_are_reported_together_in_file_order(workdir: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("    target: 0.35", "    target: abc")
    text = text.replace("      method: linear", "      method: linar")
    text = text.replace("    label: Sales", "    labl: Sales")
    assert problems(write(text)) == [
        "scheme.yaml:14:5: kpis[0]: unknown key 'labl' — did you mean 'label'?",
        "scheme.yaml:19:15: kpis[0].scoring.method: 'linar' is not one of linear, bands, rating"
        " — did you mean 'linear'?",
        "scheme.yaml:24:13: kpis[1].target: expected 'targets' or a number, got 'abc'",
    ]


def test_rule_problems_are_reported_together_in_file_order(workdir: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("default_role: farmer", "default_role: farmr")
    text = text.replace("      visits: 30", "      visit: 30")
    text = text.replace("period: 2025-Q3", "period: Q3")
    text = text.replace("    value: SUM(amount - cost) / SUM(amount)", "    value: amount")
    assert problems(write(text)) == [
        "scheme.yaml:4:9: period: 'Q3' is not a period label"
        " — write 2025-07, 2025-Q3, 2025-H2 or 2025",
        "scheme.yaml:23:12: kpis[1].value: not an aggregate: it gives a value per row, not one"
        " per rep — wrap it in SUM(...), COUNT(...), AVG(...), MIN(...) or MAX(...)",
        "scheme.yaml:59:7: roles.hunter.weights.visit: no KPI 'visit' — did you mean 'visits'?",
        "scheme.yaml:66:15: default_role: no role 'farmr' — did you mean 'farmer'?",
    ]


def test_type_and_rule_problems_are_reported_together(workdir: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("      method: linear", "      method: linar")
    text = text.replace("      visits: 30", "      visit: 30")
    text = text.replace("    value: SUM(amount - cost) / SUM(amount)", "    value: amount")
    text = text.replace("locale: en", "lokale: en")
    assert problems(write(text)) == [
        "scheme.yaml:5:1: unknown key 'lokale' — did you mean 'locale'?",
        "scheme.yaml:19:15: kpis[0].scoring.method: 'linar' is not one of linear, bands, rating"
        " — did you mean 'linear'?",
        "scheme.yaml:23:12: kpis[1].value: not an aggregate: it gives a value per row, not one"
        " per rep — wrap it in SUM(...), COUNT(...), AVG(...), MIN(...) or MAX(...)",
        "scheme.yaml:59:7: roles.hunter.weights.visit: no KPI 'visit' — did you mean 'visits'?",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # without its target the KPI would also "need a target"
        (
            "    target: 0.35",
            "    traget: 0.35",
            "scheme.yaml:24:5: kpis[1]: unknown key 'traget' — did you mean 'target'?",
        ),
        # without its method the KPI would score linear, and on: value would be "not used"
        (
            "      method: bands",
            "      method: band",
            "scheme.yaml:38:15:"
            " kpis[4].scoring.method: 'band' is not one of linear, bands, rating"
            " — did you mean 'bands'?",
        ),
        # a KPI whose kind does not validate keeps its id: the weights naming it are fine
        (
            "  - id: teamwork\n    kind: rating",
            "  - id: teamwork\n    kind: ratng",
            "scheme.yaml:48:11: kpis[6].kind: 'ratng' is not one of aggregate, growth,"
            " new_customers, repurchase_rate, rating, coverage — did you mean 'rating'?",
        ),
        # a role whose weights do not validate keeps its id for default_role
        (
            "      satisfaction: 25",
            "      satisfaction: lots",
            "scheme.yaml:64:21: roles.farmer.weights.satisfaction: expected a number, got 'lots'",
        ),
    ],
    ids=["unknown-key", "bad-method", "bad-kind", "bad-weight"],
)
def test_checks_that_depend_on_a_broken_part_are_skipped(
    workdir: Path, old: str, new: str, expected: str
) -> None:
    assert problems(broken(old, new)) == [expected]


def test_yaml_value_problems_are_not_reported_again_by_the_model(workdir: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("  - id: margin", "  - id: !!int m")
    text = text.replace("      visits: 30", "      visit: 30")
    assert problems(write(text)) == [
        "scheme.yaml:22:9: kpis[1].id: 'm' is not a valid !!int value",
        "scheme.yaml:59:7: roles.hunter.weights.visit: no KPI 'visit' — did you mean 'visits'?",
    ]


def test_columns_are_checked_on_the_parts_that_validate(workdir: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    text = text.replace("      method: linear", "      method: linar")
    text = text.replace(
        "    value: SUM(amount - cost) / SUM(amount)", "    value: SUM(amout - cost) / SUM(amount)"
    )
    text = text.replace(
        "    value: AVG(score)\n    scoring:\n      method: bands",
        "    value: AVG(scor)\n    scoring:\n      method: band",
    )
    scheme_file, found = read_scheme(write(text))
    columns = check_columns(scheme_file, {"sales": SALES, "satisfaction": ["score"]})
    # kpis[4]'s method did not validate, but its SQL did: its column is checked all the same
    assert [str(p) for p in columns] == [
        "scheme.yaml:23:12: kpis[1].value: unknown column 'amout' in table sales"
        " — did you mean 'amount'?",
        "scheme.yaml:36:12: kpis[4].value: unknown column 'scor' in table satisfaction"
        " — did you mean 'score'?",
    ]
    assert [p.where for p in found] == ["scheme.yaml:19:15", "scheme.yaml:38:15"]


# --- columns, once the data is read -----------------------------------------------------------

SALES = ["date", "rep_id", "customer_id", "amount", "category", "cost"]


def test_check_columns_accepts_the_columns_present() -> None:
    loaded = load_scheme(FIXTURE)
    tables = {"sales": SALES, "visits": ["date", "rep_id", "customer_id"]}
    assert check_columns(loaded, tables) == []


def test_check_columns_suggests_the_closest_column(workdir: Path) -> None:
    loaded = load_scheme(broken("    value: SUM(amount - cost) / SUM(amount)",
                                "    value: SUM(amout - cost) / SUM(amout)"))  # fmt: skip
    found = check_columns(loaded, {"sales": SALES})
    assert [str(p) for p in found] == [
        "scheme.yaml:23:12: kpis[1].value: unknown column 'amout' in table sales"
        " — did you mean 'amount'?"
    ]
    assert found[0].where == "scheme.yaml:23:12"
    assert f"{found[0].key}: {found[0].message}" == (
        "kpis[1].value: unknown column 'amout' in table sales"
    )
    assert str(found[0].hint) == "did you mean 'amount'?"


def test_check_columns_lists_the_columns_when_nothing_is_close(workdir: Path) -> None:
    loaded = load_scheme(broken("    where: category <> 'OTC'", "    where: channel = 'retail'"))
    assert [str(p) for p in check_columns(loaded, {"sales": SALES})] == [
        "scheme.yaml:16:12: kpis[0].where: unknown column 'channel' in table sales"
        " — columns of sales: date, rep_id, customer_id, amount, category, cost"
    ]


def test_check_columns_leaves_missing_tables_alone() -> None:
    loaded = load_scheme(FIXTURE)
    assert check_columns(loaded, {"sales": SALES}) == []  # no visits or satisfaction table


def test_check_columns_on_the_default_scheme() -> None:
    loaded = load_scheme(None)
    found = check_columns(loaded, {"activities": ["date", "rep_id", "kind"]})
    assert [f"{p.key}: {p.message}" for p in found] == [
        "kpis[9].where: unknown column 'type' in table activities",
        "kpis[10].where: unknown column 'type' in table activities",
    ]
    assert {str(p.hint) for p in found} == {"columns of activities: date, rep_id, kind"}
    lines = default_scheme_text().splitlines()
    expected = [n for n, line in enumerate(lines, 1) if "where: \"type = '" in line]
    assert [int(p.where.split(":")[1]) for p in found] == expected


# --- helpers the engine uses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2025-07", ("month", date(2025, 7, 1), date(2025, 7, 31))),
        ("2024-2", ("month", date(2024, 2, 1), date(2024, 2, 29))),
        ("2025-Q3", ("quarter", date(2025, 7, 1), date(2025, 9, 30))),
        ("2025-q4", ("quarter", date(2025, 10, 1), date(2025, 12, 31))),
        ("2025-H2", ("half", date(2025, 7, 1), date(2025, 12, 31))),
        ("2025-H1", ("half", date(2025, 1, 1), date(2025, 6, 30))),
        ("2025", ("year", date(2025, 1, 1), date(2025, 12, 31))),
        (" 2025-12 ", ("month", date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_parse_period_label(label: str, expected: tuple[str, date, date]) -> None:
    period = parse_period(label)
    assert (period.kind, period.start, period.end) == expected


@pytest.mark.parametrize("label", ["2025-Q5", "2025-H3", "25-Q1", "2025Q3", "Q3", "", "2025-00"])
def test_parse_period_label_rejects(label: str) -> None:
    with pytest.raises(UsageError, match=r"period label|no month"):
        parse_period(label)


@pytest.mark.parametrize(
    ("sql", "aggregate"),
    [
        ("SUM(amount)", True),
        ("COUNT(*)", True),
        ("SUM(amount - cost) / SUM(amount)", True),
        ("AVG(CASE WHEN outcome = '有效' THEN 1.0 ELSE 0.0 END)", True),
        ("COUNT(DISTINCT customer_id)", True),
        ("MAX(date)", True),
        ("amount", False),
        ("SUM(amount) + cost", False),
        ("SUM(amount) OVER (PARTITION BY rep_id)", False),
        ("category <> 'OTC'", False),
        ("UPPER(category) = 'OTC'", False),
    ],
)
def test_is_aggregate(sql: str, aggregate: bool) -> None:
    assert is_aggregate(pl.sql_expr(sql)) is aggregate


def test_scheme_file_problem_starts_with_the_key_path() -> None:
    loaded: SchemeFile = load_scheme(FIXTURE)
    problem = loaded.problem(
        ("kpis", 4, "scoring", "bands", 1),
        msg("plain", text="too low"),
        msg("plain", text="raise it"),
    )
    assert str(problem) == f"{FIXTURE}:42:11: kpis[4].scoring.bands[1]: too low — raise it"


def test_long_polars_errors_are_cut_short(workdir: Path) -> None:
    long_sum = "SUM(amount" + " + amount" * 30
    [message] = problems(broken("    value: COUNT(*)", f"    value: {long_sum}"))
    reason = message.split("(", 1)[1].rsplit(") — ", 1)[0]
    assert len(reason) == 120 and reason.endswith("…")


def test_where_of_purchase_kinds_is_checked_against_sales(workdir: Path) -> None:
    path = broken(
        "  - id: visits\n",
        "  - id: new_accounts\n    kind: new_customers\n    where: categroy <> 'OTC'\n"
        "    target: 2\n  - id: visits\n",
    )
    found = check_columns(load_scheme(path), {"sales": SALES})
    assert [str(p) for p in found] == [
        "scheme.yaml:32:12: kpis[3].where: unknown column 'categroy' in table sales"
        " — did you mean 'category'?"
    ]
