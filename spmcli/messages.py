"""Problem texts in Chinese and English: a code with parameters, worded when it is shown.

Problems are raised in every layer (the scheme, the readers, the engine, the command line),
so their words live here, below all of them, as ``spmcli.report.wording`` holds the words of
warnings: a ``Msg`` is data until a command prints it in the run's language.
"""

# ruff: noqa: E501 — a catalogue reads best with each text whole on its line

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"  # the product's language when nothing says otherwise


@dataclass(frozen=True)
class Msg:
    """A text as a code and its parameters (text, numbers, lists of text, other texts)."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        """The text in ``lang`` (zh or en)."""
        texts = TEXTS[self.code]
        template = texts[LANGUAGES.index(lang)] if lang in LANGUAGES else texts[1]
        return template.format(**{key: shown(value, lang) for key, value in self.params})

    def __str__(self) -> str:
        return self.text("en")


def msg(code: str, /, **params: object) -> Msg:
    if code not in TEXTS:
        raise KeyError(f"no text for message {code!r}")
    return Msg(code, tuple(params.items()))


def shown(value: object, lang: str) -> str:
    """A parameter as the text shows it: lists joined as each language lists them."""
    if isinstance(value, Msg):
        return value.text(lang)
    if isinstance(value, tuple):
        return ("、" if lang == "zh" else ", ").join(shown(v, lang) for v in value)
    if value is None:
        return ""
    return str(value)


def joined(first: Msg, second: Msg | str) -> Msg:
    """Two texts one after the other, as one hint."""
    return msg("two", first=first, second=second)


# code -> (zh, en); parameters in braces.
TEXTS: Mapping[str, tuple[str, str]] = {
    # --- shared ----------------------------------------------------------------------------
    "two": ("{first}；{second}", "{first}; {second}"),
    "plain": ("{text}", "{text}"),
    "did_you_mean": ("是不是 '{name}'？", "did you mean '{name}'?"),
    "nothing": ("无", "nothing"),
    "none": ("无", "none"),
    # --- where a problem is ----------------------------------------------------------------
    "where.row": (
        "文件 {file}{sheet} 第 {row} 行，列 '{column}'",
        "{file}{sheet} row {row}, column '{column}'",
    ),
    "where.table_row": (
        "{table} 表第 {row} 行，列 '{column}'：{value} {reason}",
        "{table} row {row}, column '{column}': {value} {reason}",
    ),
    # --- the scheme file -------------------------------------------------------------------
    "scheme.cannot_read": ("无法读取方案：{reason}", "cannot read the scheme: {reason}"),
    "scheme.not_text": (
        "方案不是 UTF-8 或 GB18030 文本",
        "the scheme is not UTF-8 or GB18030 text",
    ),
    "scheme.save_utf8": ("请另存为 UTF-8", "save it as UTF-8"),
    "scheme.invalid_yaml": ("YAML 格式错误：{problem}", "invalid YAML: {problem}"),
    "scheme.use_spaces": ("请用空格缩进，不要用制表符", "indent with spaces, not tabs"),
    "scheme.rest_waits": (
        "改正后才会检查方案的其余部分",
        "the rest of the scheme is checked once this is fixed",
    ),
    "scheme.too_deep": ("方案嵌套过深", "the scheme is nested too deeply"),
    "scheme.empty": ("方案是空的", "the scheme is empty"),
    "scheme.start_from_default": (
        "可从默认方案开始：spm init DIR",
        "start from the default: spm init DIR",
    ),
    "scheme.too_large": (
        "方案过大或嵌套过深（请检查其中的别名）",
        "the scheme is too large or nested too deeply (check its aliases)",
    ),
    "scheme.not_mapping": (
        "方案必须是键值映射（name、kpis、roles 等），实际是 {value}",
        "the scheme must be a mapping of keys (name, kpis, roles, ...), got {value}",
    ),
    "scheme.bad_scalar": ("'{value}' 不是有效的 {tag} 值", "'{value}' is not a valid {tag} value"),
    "scheme.key_not_name": (
        "键必须是简单的名称，不能是列表或映射",
        "a key must be a plain name, not a list or mapping",
    ),
    "scheme.duplicate_key": (
        "重复的键 '{key}'，第一次出现在第 {line} 行",
        "duplicate key '{key}', first given on line {line}",
    ),
    "scheme.bad_merge": (
        "'<<' 只能合并映射或映射的列表",
        "'<<' must merge a mapping or a list of mappings",
    ),
    "scheme.unsupported_tag": ("不支持的 YAML 标签 '{tag}'", "unsupported YAML tag '{tag}'"),
    "scheme.remove_tag": (
        "方案中只能有文本、数字、列表和映射；请去掉这个标签",
        "a scheme holds only plain text, numbers, lists and mappings; remove the tag",
    ),
    "scheme.not_found": (
        "方案文件 '{path}' 不存在或不是文件",
        "scheme file '{path}' does not exist or is not a file",
    ),
    # --- the typed model (pydantic's errors in spm's words) --------------------------------
    "model.unknown_key": ("未知的键 '{key}'", "unknown key '{key}'"),
    "model.known_keys": ("可用的键：{keys}", "known keys: {keys}"),
    "model.missing_key": ("缺少必需的键 '{key}'", "missing required key '{key}'"),
    "model.count": ("应有 {count} 个值，实际是 {value}", "expected {count} values, got {value}"),
    "model.not_one_of": ("{value} 不是 {choices} 之一", "{value} is not one of {choices}"),
    "model.bad_id": ("{value} 不是有效的编号（{rule}）", "{value} is not a valid id ({rule})"),
    "model.bad_id_key": (
        "键 '{value}' 不是有效的编号（{rule}）",
        "key '{value}' is not a valid id ({rule})",
    ),
    "model.id_rule": (
        "编号由小写字母、数字和 _ 组成，以字母开头",
        "an id is lowercase letters, digits and _, starting with a letter",
    ),
    "model.bound": ("必须{bound} {limit}，实际是 {value}", "must be {bound} {limit}, got {value}"),
    "model.expected": ("应为{expected}，实际是 {value}", "expected {expected}, got {value}"),
    "model.invalid": ("{value} 在这里无效", "{value} is not valid here"),
    "model.band_pair": (
        "每个分段写作 [阈值, 得分]，如 [4.5, 90]",
        "each band is [threshold, score], e.g. [4.5, 90]",
    ),
    "model.unknown_language": (
        "'{key}' 不是 spm 的语言",
        "'{key}' is not a language of spm",
    ),
    "model.label_empty": ("名称的映射中没有任何文本", "the label's mapping holds no text"),
    "model.label_form": (
        "名称写作一个文本，或按语言（{languages}）写作映射，如 {{zh: 销售额, en: Sales}}",
        "a label is one text, or a mapping by language ({languages}) such as {{zh: 销售额, en: Sales}}",
    ),
    "model.or": ("{first}或{second}", "{first} or {second}"),
    "model.quoted": ("'{text}'", "'{text}'"),
    "bound.gt": ("大于", "greater than"),
    "bound.ge": ("至少为", "at least"),
    "bound.lt": ("小于", "less than"),
    "bound.le": ("至多为", "at most"),
    "expect.number": ("数字", "a number"),
    "expect.finite": ("有限的数字", "a finite number"),
    "expect.whole": ("整数", "a whole number"),
    "expect.text": ("文本", "text"),
    "expect.bool": ("true 或 false", "true or false"),
    "expect.mapping": ("映射（键: 值）", "a mapping (key: value)"),
    "expect.list": ("列表", "a list"),
    "value.mapping": ("一个映射", "a mapping"),
    "value.list": ("一个列表", "a list"),
    # --- the scheme's rules ----------------------------------------------------------------
    "rule.no_kpis": ("方案中没有指标", "the scheme has no KPIs"),
    "rule.add_kpi": ("请添加一个，如 {example}", "add one, e.g. {example}"),
    "rule.duplicate_kpi": (
        "'{id}' 已是 kpis[{index}] 的编号",
        "'{id}' is already the id of kpis[{index}]",
    ),
    "rule.unique_ids": ("指标编号必须唯一", "KPI ids must be unique"),
    "rule.needs_value": ("指标 '{id}' 需要 value", "KPI '{id}' needs a value"),
    "rule.value_example": (
        "写一个 SQL 聚合，如 value: SUM(amount) 或 value: COUNT(*)",
        "write an SQL aggregate, e.g. value: SUM(amount) or value: COUNT(*)",
    ),
    "rule.growth_needs_of": (
        "增长指标 '{id}' 需要 of：衡量其增长的指标",
        "growth KPI '{id}' needs of: the KPI whose growth it measures",
    ),
    "rule.rating_needs_item": (
        "评分指标 '{id}' 需要 item：评分表中的评分项目",
        "rating KPI '{id}' needs item: the rating item in the ratings table",
    ),
    "rule.rating_needs_scale": (
        "评分指标 '{id}' 需要 scale：每个评级对应的得分",
        "rating KPI '{id}' needs a scale from each rating to a score",
    ),
    "rule.example": ("如 {example}", "e.g. {example}"),
    "rule.not_used_by_kind": ("{kind} 指标不使用此键", "not used by a {kind} KPI"),
    "rule.remove_or_kind": ("删除它，或修改指标的 kind", "remove it, or change the KPI's kind"),
    "rule.team_needs_of": (
        "团队指标 '{id}' 需要 of：在团队内汇总的代表指标",
        "team KPI '{id}' needs of: the rep KPI it adds up over the team",
    ),
    "rule.no_team_scope": ("{kind} 指标不能设 scope: team", "a {kind} KPI cannot have scope team"),
    "rule.team_has_no_kind": (
        "团队指标没有自己的 kind：它在团队范围内计算 of 指标",
        "a team KPI has no kind of its own: it computes its of KPI over the team",
    ),
    "rule.no_kpi": ("没有指标 '{id}'", "no KPI '{id}'"),
    "rule.kpis_are": ("指标：{ids}", "KPIs: {ids}"),
    "rule.self_reference": ("指标不能引用自己", "a KPI cannot refer to itself"),
    "rule.of_team": (
        "'{id}' 是团队指标；of 必须是代表指标",
        "'{id}' is a team KPI; of must name a rep KPI",
    ),
    "rule.of_loop": ("指标之间循环引用：{chain}", "KPIs refer to each other in a loop: {chain}"),
    "rule.bad_sql": ("不是有效的 SQL 表达式（{reason}）", "not a valid SQL expression ({reason})"),
    "rule.not_aggregate": (
        "不是聚合：它对每一行给出一个值，而不是每位代表一个值",
        "not an aggregate: it gives a value per row, not one per rep",
    ),
    "rule.wrap_aggregate": (
        "用 SUM(...)、COUNT(...)、AVG(...)、MIN(...) 或 MAX(...) 包起来",
        "wrap it in SUM(...), COUNT(...), AVG(...), MIN(...) or MAX(...)",
    ),
    "rule.aggregate_filter": ("聚合不能用来筛选行", "an aggregate cannot filter rows"),
    "rule.compare_columns": (
        "请比较行中的列，如 {example}",
        "compare the row's columns, e.g. {example}",
    ),
    "rule.target_positive": ("必须大于 0，实际是 {value}", "must be greater than 0, got {value}"),
    "rule.no_achievement": (
        "目标为 0 或更小就没有达成率",
        "a target of 0 or less gives no achievement",
    ),
    "rule.team_target": (
        "团队指标的目标是成员的 '{of}' 目标之和",
        "a team KPI's target is the sum of its members' targets of '{of}'",
    ),
    "rule.remove": ("删除它", "remove it"),
    "rule.member_no_target": (
        "'{of}' 没有目标，因此团队也没有要达成的目标",
        "'{of}' has no target, so the team has none to reach",
    ),
    "rule.give_target": (
        "给 '{of}' 设目标，或把 '{id}' 改为 method: bands, on: value 计分",
        "give '{of}' a target, or score '{id}' with method: bands, on: value",
    ),
    "rule.needs_target": (
        "指标 '{id}' 需要目标：它按达成率（实际 / 目标）计分",
        "KPI '{id}' needs a target: it is scored on achievement (actual / target)",
    ),
    "rule.add_target": (
        "添加 target: targets（取自目标表）或一个数字，或改为 method: bands, on: value 计分",
        "add target: targets (from the targets table) or a number, or score it with method: bands, on: value",
    ),
    "rule.needs_bands": (
        "method bands 需要 bands: [[阈值, 得分], ...]，从高到低",
        "method bands needs bands: [[threshold, score], ...], highest first",
    ),
    "rule.rating_method": (
        "method rating 用于上级评分，需要 kind: rating",
        "method rating scores supervisor ratings and needs kind: rating",
    ),
    "rule.rating_method_fix": (
        "改用 method: linear 或 bands，或把指标设为 kind: rating",
        "use method: linear or bands, or make the KPI kind: rating",
    ),
    "rule.not_used_by_method": ("method {method} 不使用此键", "not used by method {method}"),
    "rule.remove_or_method": ("删除它，或修改 method", "remove it, or change the method"),
    "rule.band_order": (
        "阈值 {threshold} 不低于上一个分段的 {previous}",
        "threshold {threshold} is not below the previous band's {previous}",
    ),
    "rule.bands_high_first": (
        "分段按阈值从高到低排列",
        "list bands from the highest threshold down",
    ),
    "rule.role_no_weights": ("角色至少需要一个加权指标", "a role needs at least one weighted KPI"),
    "rule.weight_positive": (
        "权重必须大于 0，实际是 {value}",
        "a weight must be greater than 0, got {value}",
    ),
    "rule.informational": (
        "不加权的指标只展示、不计分：把它从权重中去掉即可",
        "leave the KPI out of the weights to show it for information only",
    ),
    "rule.label_taken": (
        "'{label}' 也是角色 '{other}' 的名称",
        "'{label}' also names role '{other}'",
    ),
    "rule.role_unique": (
        "代表的角色按编号或名称查找，因此两者都必须唯一",
        "a rep's role is found by id or label, so each must be unique",
    ),
    "rule.no_roles": ("方案中没有角色", "the scheme has no roles"),
    "rule.no_role": ("没有角色 '{role}'", "no role '{role}'"),
    "rule.roles_are": ("角色：{roles}", "roles: {roles}"),
    "rule.grade_twice": ("等级 '{grade}' 出现了两次", "grade '{grade}' is listed twice"),
    "rule.grade_order": (
        "{min} 不低于上一个等级的 min {previous}",
        "{min} is not below the previous grade's min {previous}",
    ),
    "rule.grades_high_first": ("等级从高到低排列", "list grades from the highest down"),
    "rule.no_grade_below": (
        "最终得分低于 {min} 时没有等级",
        "a final score below {min} would get no grade",
    ),
    "rule.last_grade_zero": ("给最后一个等级设 min: 0", "give the last grade min: 0"),
    "rule.not_a_column": (
        "'{column}' 不是 {table} 表的列",
        "'{column}' is not a column of table {table}",
    ),
    "rule.columns_of": (
        "{table} 的列：{columns}；其他列保留自己的表头",
        "columns of {table}: {columns}; other columns keep their own header",
    ),
    "rule.points_order": ("points 必须按 x 递增", "points must be in increasing order of x"),
    "rule.got": ("实际是 {values}", "got {values}"),
    "rule.commission_kpi": (
        "提成需要一个有目标的代表指标；'{id}' 没有",
        "commission needs a rep KPI with a target; '{id}' has none",
    ),
    "rule.tiers_at_shares": ("档位从目标的比例开始", "tiers start at shares of the target"),
    "rule.tiers_order": ("档位的达成率起点必须递增", "tiers must start at increasing achievements"),
    "rule.got_from": ("实际是 from: {values}", "got from: {values}"),
    "rule.pool_kpi": (
        "团队奖金池需要团队范围的指标；'{id}' 是代表指标",
        "the team pool needs a team-scope KPI; '{id}' is a rep KPI",
    ),
    "rule.add_team_kpi": ("添加一个 scope: team 的指标", "add a KPI with scope: team"),
    "rule.no_tier": ("没有列出任何分级", "names no tier"),
    "rule.tiers_example": ("如 tiers: [A] 或 tiers: [A, B]", "e.g. tiers: [A] or tiers: [A, B]"),
    "rule.tier_twice": ("分级 {tiers} 出现了两次", "tier {tiers} is listed twice"),
    "rule.coverage_ytd": (
        "覆盖率指标检查一个期间的拜访计划；window ytd 不是一个期间",
        "a coverage KPI checks the call plan of one period; window ytd is not one",
    ),
    "rule.coverage_windows": (
        "请用 period、prev 或 yoy（tiering.window: 12m 看 12 个月）",
        "use period, prev or yoy (tiering.window: 12m looks at 12 months)",
    ),
    "rule.thresholds": (
        "{first}、{second} 不是满足 0 < 第一个 < 第二个 ≤ 1 的累计占比",
        "{first}, {second} are not cumulative shares with 0 < first < second ≤ 1",
    ),
    "rule.potential_pair": (
        "high 和 medium 要么都给，要么都不给（此时潜力按三等分划分）",
        "give both high and medium, or neither (then potential is split into thirds)",
    ),
    "rule.potential_order": (
        "{medium} 不低于 high（{high}）",
        "{medium} is not below high ({high})",
    ),
    "rule.potential_levels": (
        "high 是高潜力的起点，medium 是中潜力的起点",
        "high is where high potential starts, medium where medium starts",
    ),
    "rule.unknown_column": (
        "{table} 表中没有列 '{column}'",
        "unknown column '{column}' in table {table}",
    ),
    "rule.table_columns": ("{table} 的列：{columns}", "columns of {table}: {columns}"),
    "rule.bonus_base": (
        "奖金基数 '{base}' 不是代表表的列",
        "the bonus base '{base}' is not a column of the reps table",
    ),
    "rule.bonus_base_fix": (
        "给一个金额，或在代表表中添加该列",
        "give an amount, or add the column to reps",
    ),
    "rule.column_types": (
        "无法按 {table} 表的列类型计算：{reason}",
        "cannot be computed on the column types of table {table}: {reason}",
    ),
    "rule.types_fix": (
        "SUM 和 AVG 需要数字列；文本请与文本比较（'OTC'）",
        "SUM and AVG need number columns; compare text with text ('OTC')",
    ),
    # --- periods ---------------------------------------------------------------------------
    "period.not_label": ("'{label}' 不是期间", "'{label}' is not a period label"),
    "period.forms": (
        "请写成 2025-07、2025-Q3、2025-H2 或 2025",
        "write 2025-07, 2025-Q3, 2025-H2 or 2025",
    ),
    "period.no_month": ("'{label}' 没有 {month} 月", "'{label}' has no month {month}"),
    "period.months": ("月份为 01 到 12", "months are 01 to 12"),
    "period.no_dates": (
        "销售表没有带日期的明细，无法确定期间",
        "the sales table has no dated lines, so the period cannot be chosen",
    ),
    "period.give": (
        "用 --period 指定（如 --period 2025-Q3），或在方案中写 period:",
        "give it with --period (e.g. --period 2025-Q3) or period: in the scheme",
    ),
    # --- options and the front door --------------------------------------------------------
    "option.not_one_of": ("'{value}' 不是 {choices} 之一", "'{value}' is not one of {choices}"),
    "option.lang": (
        "--lang '{value}' 不是 {choices} 之一",
        "--lang '{value}' is not one of {choices}",
    ),
    "option.not_kpi": ("'{id}' 不是方案中的指标", "'{id}' is not a KPI of the scheme"),
    "option.not_factor": ("'{value}' 不是倍数", "'{value}' is not a factor"),
    "option.factor_example": ("请写成 sales=1.1", "write e.g. sales=1.1"),
    "option.factor_forms": ("请写成 sales=1.1 或 110%", "write e.g. sales=1.1 or 110%"),
    "option.out_is_file": ("输出文件夹 '{path}' 是一个文件", "output folder '{path}' is a file"),
    "option.exists": (
        "'{path}' 已存在 — 用 --force 替换，或用 --out 选择其他文件夹",
        "'{path}' already exists — use --force to replace it, or --out to choose another folder",
    ),
    "option.init_file": ("'{path}' 是文件，不是文件夹", "'{path}' is a file, not a folder"),
    "option.init_not_empty": (
        "文件夹 '{path}' 不是空的 — 用 --force 把初始文件写入其中（同名文件会被替换），或选择其他文件夹",
        "folder '{path}' is not empty — use --force to write the starter files into it (files of the same names are replaced), or choose another folder",
    ),
    "option.not_number": ("'{value}' 不是数字", "'{value}' is not a number"),
    "option.thresholds": (
        "'{value}' 不是满足 0 < 第一个 < 第二个 ≤ 1 的两个占比",
        "'{value}' is not two shares with 0 < first < second ≤ 1",
    ),
    "option.thresholds_example": (
        "请写两个累计占比，如 --thresholds 0.8,0.95（或 80%,95%）",
        "write two cumulative shares, e.g. --thresholds 0.8,0.95 (or 80%,95%)",
    ),
    "option.pdf_formats": ("只能转换 html 或 docx 信函", "converts html or docx letters"),
    "option.add_format": ("加上 --format html 或 docx", "add --format html or docx"),
    "option.not_on_roster": ("'{id}' 不在代表名单上", "'{id}' is not on the roster"),
    "option.not_due": (
        "'{id}' 在 {period} 不需考核：其角色的考核周期更长，没有可以面谈的内容",
        "'{id}' is not due in {period}: their role is evaluated on a longer cycle, so there is nothing to review",
    ),
    "option.choose_period": (
        "用 --period 选择该角色周期的期间",
        "choose a period of the role's cycle with --period",
    ),
    "option.template_format": (
        "无法从后缀判断 '{path}' 的格式",
        "cannot tell the format of '{path}' from its suffix",
    ),
    "option.template_suffix": (
        "请命名为 .md、.html 或 .docx，或加上 --format",
        "name it .md, .html or .docx, or give --format",
    ),
    "option.template_mismatch": (
        "'{path}' 看起来是 {guessed}，但 --format 是 {fmt}",
        "'{path}' looks like {guessed}, but --format is {fmt}",
    ),
    "option.template_unreadable": ("无法读取 '{path}'：{reason}", "cannot read '{path}': {reason}"),
    "option.template_not_text": ("不是 UTF-8 文本", "is not UTF-8 text"),
    "template.at": ("模板 {name}{place}：{what}", "template {name}{place}: {what}"),
    "template.line": ("，第 {line} 行", ", line {line}"),
    "template.paragraph": ("，段落 '{paragraph}'", ", paragraph '{paragraph}'"),
    "template.syntax": ("语法错误：{reason}", "syntax error: {reason}"),
    "template.undefined": ("{reason}（未定义）", "{reason} (undefined)"),
    "template.not_allowed": ("模板中不允许：{reason}", "not allowed in a template: {reason}"),
    "template.data_only": ("模板只能看到信函数据", "templates see only the letter data"),
    "template.include": ("试图包含或导入 '{name}'", "tries to include or import '{name}'"),
    "template.one_file": (
        "模板不能读取其他文件；请把所有内容放在一个模板中",
        "templates cannot read other files; put everything in one template",
    ),
    "template.too_big": (
        "生成的文本、列表或数字超出了任何信函的需要（超过 {chars} 个字符或元素，或超过 {digits} 位的数字）",
        "makes a text, list or number larger than any letter needs (more than {chars} characters or items, or a number of more than {digits} digits)",
    ),
    "template.too_slow": (
        "生成一封信超过了 {seconds} 秒",
        "takes more than {seconds} s for one letter",
    ),
    "template.too_deep": (
        "调用自身没有尽头（宏或递归循环）",
        "calls itself without end (a macro or a recursive loop)",
    ),
    "template.range": ("range() 最多只能数 {limit} 个数", "range() counts at most {limit} numbers"),
    "template.bounded": (
        "信函模板是一页文档而不是程序：请检查循环套循环、调用自身的宏或被重复很多次的文本",
        "a letter template is a page, not a program: look for loops inside loops, a macro that calls itself, or text repeated many times",
    ),
    "template.variables": (
        "README 的“spm letters”一节列出了所有模板变量",
        "the README's 'spm letters' section lists every template variable",
    ),
    "option.see_reps": ("请查看代表表", "see the reps table"),
    "pdf.install_mac": (
        "用 'brew install --cask libreoffice' 或从 libreoffice.org 安装",
        "install it with 'brew install --cask libreoffice' or from libreoffice.org",
    ),
    "pdf.install_windows": ("从 libreoffice.org 安装", "install it from libreoffice.org"),
    "pdf.install_linux": (
        "用包管理器安装，如 'sudo apt install libreoffice-writer' 或 'sudo dnf install libreoffice-writer'",
        "install it with your package manager, e.g. 'sudo apt install libreoffice-writer' or 'sudo dnf install libreoffice-writer'",
    ),
    "option.no_soffice": (
        "需要 LibreOffice（soffice），但没有安装",
        "needs LibreOffice (soffice), which is not installed",
    ),
    "option.install_soffice": ("{how}；或去掉 --pdf", "{how}; or leave out --pdf"),
    "option.soffice_timeout": (
        "LibreOffice 没有按时完成信函转换",
        "LibreOffice did not finish converting the letters in time",
    ),
    "option.soffice_failed": (
        "LibreOffice 失败（退出码 {status}）",
        "LibreOffice failed (exit {status})",
    ),
    "option.soffice_no_pdf": (
        "LibreOffice 没有生成 {files} 的 PDF",
        "LibreOffice made no PDF of {files}",
    ),
    # --- reading the inputs ----------------------------------------------------------------
    "read.no_such_path": ("没有这个文件或文件夹", "no such file or folder"),
    "read.check_path": ("请检查路径", "check the path"),
    "read.not_workbook": ("无法作为工作簿读取", "cannot be read as a workbook"),
    "read.xls_html": (
        "{reason}；如果它其实是网页或文本文件，请打开后另存为 .xlsx",
        "{reason}; if it is really a web page or text file, open it and save it as .xlsx",
    ),
    "read.folder_empty": (
        "文件夹中没有 .csv 或 .parquet 文件",
        "the folder holds no .csv or .parquet files",
    ),
    "read.not_readable_kind": (
        "不是 spm 能读取的文件（{suffix}）",
        "is not a file spm reads ({suffix})",
    ),
    "read.no_suffix": ("无后缀", "no suffix"),
    "read.accepted_files": (
        "请给出工作簿（.xlsx、.xls）、以表名命名的 .csv 或 .parquet 文件，或放它们的文件夹",
        "give a workbook (.xlsx, .xls), a .csv or .parquet file named after its table, or a folder of them",
    ),
    "read.source_file": (
        "'{file}' 既不在输入中（{seen}），也不在输入旁边",
        "'{file}' is not among the inputs ({seen}) nor next to them",
    ),
    "read.no_sheet": (
        "没有名为 '{sheet}' 的工作表（工作表：{sheets}）",
        "no sheet named '{sheet}' (sheets: {sheets})",
    ),
    "read.ambiguous": ("{places} 都可能是 {table} 表", "{places} could each be the {table} table"),
    "read.ambiguous_fix": (
        "只保留一个（改名或删除其余的），或在方案中用 {setting} 指定",
        "rename or remove all but one, or choose one with {setting} in the scheme",
    ),
    "read.and": ("{first} 和 {second}", "{first} and {second}"),
    "read.no_sales": (
        "没有找到销售表；看到的是：{seen}。请把销售工作表或文件命名为以下之一：{accepted} — 或在方案中用 sources.sales.sheet（或 .file）指向它",
        "no sales table found; seen: {seen}. Name the sales sheet or file one of: {accepted} — or point sources.sales.sheet (or .file) in the scheme at it",
    ),
    "read.cannot_read": ("无法读取", "cannot be read"),
    "read.not_parquet": ("无法作为 Parquet 读取", "cannot be read as Parquet"),
    "read.not_csv_text": ("既不是 UTF-8 也不是 GB18030 文本", "is neither UTF-8 nor GB18030 text"),
    "read.save_csv_utf8": ("请另存为 CSV UTF-8", "save it as CSV UTF-8"),
    "read.csv_quote": (
        "第 {line} 行的引号没有闭合，之后的每一行都会被读进同一个字段",
        "a quote on line {line} is never closed, so every line after it would be read into one field",
    ),
    "read.csv_quote_fix": (
        '请补上闭合的引号，或把整个字段放在引号中并把其中的每个引号写两遍（""），然后重新导出',
        'close it, or put the whole field in quotes and write every quote inside it twice (""), and export again',
    ),
    "read.no_header": (
        "{place} 中没有表头 '{header}'；看到的表头：{headers}",
        "no header '{header}' in {place}; headers seen: {headers}",
    ),
    "read.adjustments_columns": (
        "调整表需要 'points' 列，或同时有 'kpi' 和 'value' 列；看到的表头：{headers}",
        "the adjustments table needs a 'points' column or both 'kpi' and 'value'; headers seen: {headers}",
    ),
    "read.accepted_points": ("points 可用的表头：{accepted}", "accepted for points: {accepted}"),
    "read.missing_column": (
        "{table} 表没有 '{column}' 列；看到的表头：{headers}；{column} 可用的表头：{accepted}",
        "the {table} table has no '{column}' column; headers seen: {headers}; accepted for {column}: {accepted}",
    ),
    "read.header_hint": ("表头 '{header}'：{suggestion} ", "header '{header}': {suggestion} "),
    "read.rename_header": (
        "{before}请改表头，或在方案中映射：sources: {{{table}: {{columns: {{{column}: <你的表头>}}}}}}",
        "{before}rename the header, or map it in the scheme: sources: {{{table}: {{columns: {{{column}: <your header>}}}}}}",
    ),
    "read.sales_empty": ("销售表是空的（没有表头行）", "the sales table is empty (no header row)"),
    "read.no_cost": (
        "销售表没有 --by gross_margin 需要的 'cost' 列；看到的表头：{headers}",
        "the sales table has no 'cost' column, which --by gross_margin needs; headers seen: {headers}",
    ),
    "read.add_cost": (
        "请添加成本列（成本），在 sources.sales.columns 中映射，或按销售额分级",
        "add the cost column (成本), map it in sources.sales.columns, or tier by revenue",
    ),
    "read.no_cost_tiering": (
        "没有按毛利分级所需的 'cost' 列",
        "has no 'cost' column, which tiering by gross margin needs",
    ),
    "read.add_cost_short": (
        "请添加成本列（成本），或按销售额分级",
        "add the cost column (成本), or tier by revenue",
    ),
    "sheet.too_large": (
        "单元格范围达到 {grid}（{columns} 列 × {rows} 行，共 {cells} 个单元格），超过 spm 在一个工作表中读取的上限 {most} 个；最右边的值在 {right}，最下面的值在 {down}",
        "its cells reach {grid} ({columns} columns × {rows} rows, {cells} cells), more than the {most} spm reads in one sheet; the value furthest right is in {right}, the one furthest down in {down}",
    ),
    "sheet.too_large_fix": (
        "请删除数据右边和下面多余的列和行（选中后删除，而不只是清除内容）并保存，或把数据分到几个文件中",
        "delete the columns and rows beyond the data (select them and delete them, not just their contents) and save, or split the data over several files",
    ),
    "sheet.merged_header": (
        "表头行中有合并单元格（{ranges}）：spm 只读一行表头，每列要有自己的表头；请取消合并，给每列写上表头",
        "the header row has merged cells ({ranges}): spm reads one header row with a header for each column; unmerge them and give every column its own header",
    ),
    # --- notes on the inputs ---------------------------------------------------------------
    "note.workbook_in_folder": (
        "{file}：文件夹中的工作簿不会被读取；请直接把工作簿作为输入",
        "{file}: a workbook inside a folder is not read; give the workbook itself as an input",
    ),
    "note.sheet_ignored": (
        "{file}：工作表 '{name}' 不对应任何表，已忽略",
        "{file}: sheet '{name}' matches no table and was ignored",
    ),
    "note.file_ignored": (
        "{file}：文件名 '{name}' 不对应任何表，已忽略",
        "{file}: file name '{name}' matches no table and was ignored",
    ),
    "note.source_elsewhere": (
        "{place}：看起来是 {table} 表，但 sources.{table} 指向 {chosen}；已忽略",
        "{place}: looks like the {table} table, but sources.{table} points at {chosen}; ignored",
    ),
    "note.only_table": (
        "{place}：唯一给出的表，按销售表读取",
        "{place}: the only table given, read as the sales table",
    ),
    "note.two_headers": (
        "{place}：'{chosen}' 和 '{other}' 都可能是 {column}；使用了 '{chosen}'（可在 sources.{table}.columns 中指定）",
        "{place}: both '{chosen}' and '{other}' could be {column}; used '{chosen}' (set sources.{table}.columns to choose)",
    ),
    "note.empty_table": (
        "{place}：是空的，因此没有 {table} 表",
        "{place}: empty, so there is no {table} table",
    ),
    "note.hidden_sheet": (
        "{place}：该工作表在工作簿中是隐藏的，仍按 {table} 表读取（不该读取的话请删除它）",
        "{place}: the sheet is hidden in the workbook; it was read as the {table} table all the same (delete it if it is not meant to be read)",
    ),
    "note.merged_header": (
        "{place}：表头行中有合并单元格（{ranges}），其下没有自己表头的列按 {columns} 读取；请取消合并，给每列写上表头",
        "{place}: the header row has merged cells ({ranges}); the columns under them without a header of their own were read as {columns}; unmerge them and give every column its own header",
    ),
    "note.header_below": (
        "{place}：表头在第 {row} 行；上面的行已忽略",
        "{place}: the header is on row {row}; the rows above it were ignored",
    ),
    # --- cells that cannot be used ---------------------------------------------------------
    "cell.problem": ("{where}：{value} {reason}", "{where}: {value} {reason}"),
    "cell.empty": (
        "为空；{table} 表的每一行都需要 {column}",
        "is empty; every {table} row needs {column}",
    ),
    "cell.beyond_header": (
        "在表头之外：这一行的字段比表头多，多半是未加引号的分隔符（如 1,000 或地址中的逗号）"
        "把后面的值挤到了右边；请给该字段加引号后重新导出",
        "lies beyond the header: this line has more fields than the header, most likely an "
        "unquoted separator (as in 1,000, or a comma in an address) shifted the values to the "
        "right; quote that field and export again",
    ),
    "cell.repeated_key": (
        "与上面已列出的 {column} 重复；每个 {column} 只能出现一次",
        "repeats a {column} already listed above; each {column} must appear once",
    ),
    "cell.adjustment_empty": (
        "为空；调整需要 points，或 kpi 和 value",
        "is empty; an adjustment needs points, or a kpi and a value",
    ),
    "cell.excel_error": (
        "是电子表格错误值；请在源文件中改正公式",
        "is a spreadsheet error value; fix the formula in the source file",
    ),
    "cell.percent_amount": (
        "是百分比，不是金额；请写金额本身，如 1234.56",
        "is a percentage, not an amount; write the amount itself, e.g. 1234.56",
    ),
    "cell.amount_too_large": ("金额过大", "is too large for an amount"),
    "cell.not_amount": (
        "不是金额；请写成 1234.56、1,234.56 或 ¥1,234.56",
        "is not an amount; write it like 1234.56, 1,234.56 or ¥1,234.56",
    ),
    "cell.percent_number": (
        "是百分比；请写数字本身，如 12 而不是 12%",
        "is a percentage; write the number itself, e.g. 12 rather than 12%",
    ),
    "cell.not_number_percent": (
        "不是数字；请写成 1234.5 或 12%",
        "is not a number; write it like 1234.5 or 12%",
    ),
    "cell.not_number": ("不是数字；请写成 1234.5", "is not a number; write it like 1234.5"),
    "cell.date_range": (
        "不在 {min_year}–{max_year} 年之间；请检查",
        "is outside the years {min_year}–{max_year}; check the value",
    ),
    "cell.date_format": (
        "既不符合 date_format '{date_format}'（sources.{table}），也不是 2025-07-01 这样的形式",
        "does not match date_format '{date_format}' (sources.{table}) nor a form like 2025-07-01",
    ),
    "cell.not_date": (
        "不是日期；请写成 2025-07-01，或在方案的 sources.{table} 中设置 date_format",
        "is not a date; write it as 2025-07-01 or set date_format in the scheme's sources.{table}",
    ),
    "cell.ambiguous_date": (
        "有歧义（日/月还是月/日？）；请写成 2025-07-01，或在方案的 sources.{table} 中设置 date_format，如 '%d/%m/%Y'",
        "is ambiguous (day/month or month/day?); write it as 2025-07-01 or set date_format in the scheme's sources.{table}, e.g. '%d/%m/%Y'",
    ),
    # --- references in the data ------------------------------------------------------------
    "ref.not_kpi": ("不是方案中的指标（{kpis}）", "is not a KPI of the scheme ({kpis})"),
    "ref.second_target": (
        "在 {period} 对同一指标有第二个目标；请只保留一行",
        "has a second target for the same KPI in {period}; keep one row",
    ),
    "ref.not_on_roster": ("不在代表名单上", "is not on the reps roster"),
    "ref.no_value_column": (
        "指定了指标，但表中没有 value 列",
        "names a KPI but the table has no value column",
    ),
    "ref.empty_value": (
        "指定了指标，但 value 为空；请给出更正后的实际值",
        "names a KPI but its value is empty; give the corrected actual",
    ),
    "ref.adjusted_twice": (
        "第二次调整同一代表的同一指标；请只保留一行",
        "adjusts the same rep's KPI a second time; keep one row",
    ),
    "ref.not_on_scale": (
        "不在指标 {kpi} 的评级中（{scale}）",
        "is not on the scale of KPI {kpi} ({scale})",
    ),
    "ref.no_target": (
        "代表 {rep_id}：指标 {kpi} 没有目标",
        "rep {rep_id}: KPI {kpi} has no target",
    ),
    "ref.add_target": (
        "请把它加到目标表，或在方案中设 missing_target: renormalize",
        "add it to the targets table, or set missing_target: renormalize in the scheme",
    ),
    # --- the rule of where_if_missing ----------------------------------------------------
    "rule.where_if_missing_alone": (
        "说明了筛选条件缺列时怎么办，但没有 where",
        "says what to do when a filter's column is missing, but there is no where",
    ),
    "rule.add_where": (
        "删除它，或补上它所针对的 where 筛选条件",
        "remove it, or add the where filter it is for",
    ),
    # --- explain, diff and the close ------------------------------------------------------
    "option.not_a_kpi": ("'{id}' 不是方案中的指标", "'{id}' is not a KPI of the scheme"),
    "option.one_of": ("可选：{choices}", "one of {choices}"),
    "run.no_run": (
        "不是 spm evaluate 的输出文件夹（缺少 {file}）",
        "holds no run of spm evaluate ({file} is missing)",
    ),
    "run.give_run": (
        "请给出 spm evaluate 的输出文件夹；{manifest} 出现之前的运行需要重新考核",
        "give an output folder of spm evaluate; runs before {manifest} existed must be evaluated again",
    ),
    "close.final": (
        "是已定稿的考核（{by} 于 {at} 定稿）",
        "holds a final close (finalized {at} by {by})",
    ),
    "close.how_to_reopen": (
        '如需修改，请加 --reopen --reason "原因" 重新运行；定稿的结果保留在 history/ 中',
        'to change it, run again with --reopen --reason "why"; the final run is kept under history/',
    ),
    "close.not_final": (
        "'{folder}' 中没有可重开的定稿考核",
        "'{folder}' holds no final close to reopen",
    ),
    "close.needs_reason": (
        "需要 --reason：说明重开考核的原因",
        "needs --reason: say why the close is reopened",
    ),
    # --- appeals --------------------------------------------------------------------------
    "appeal.exists": (
        "'{path}' 已存在 — 用 --force 替换",
        "'{path}' already exists — use --force to replace it",
    ),
    "appeal.not_folder": ("不是退回申诉表所在的文件夹", "is not a folder of returned appeals"),
    "appeal.ask_again": (
        "请向代表索取 spm 发出的申诉表，填写后交回",
        "ask the rep for the workbook spm wrote, filled in",
    ),
    "appeal.unreadable": (
        "无法作为工作簿读取（{error}）",
        "cannot be read as a workbook ({error})",
    ),
    "appeal.not_sent": (
        "不是 spm 发出的申诉表（找不到对应记录）",
        "is not an appeal workbook spm sent (no matching record)",
    ),
    "appeal.record_in": ("其记录应在 {folder}", "its record belongs in {folder}"),
    "appeal.other_rep": (
        "写的代表是 {rep!r}，与记录不符",
        "names rep {rep!r}, whose record says otherwise",
    ),
    "appeal.not_xlsx": (
        "不是 .xlsx 工作簿（启用宏的工作簿和其他格式不予受理）",
        "is not an .xlsx workbook (macro-enabled and other formats are refused)",
    ),
    "appeal.sheet_removed": ("工作表 '{sheet}' 被删除了", "sheet '{sheet}' was removed"),
    "appeal.changed": (
        "由 {before} 被改为 {after}；只能修改填写栏",
        "was changed from {before} to {after}; only the fill-in cells may be edited",
    ),
    "appeal.extra_sheet": (
        "有 spm 没有写的工作表：'{sheet}'",
        "has a sheet spm did not write: '{sheet}'",
    ),
    "appeal.formula": ("含有公式；请直接填写值", "holds a formula; type the value itself"),
    "appeal.not_yes_no": ("{value} 既不是“是”也不是“否”", "{value} is neither yes nor no"),
    "appeal.not_number": (
        "{value} 不是数字；请填写主张的实际值",
        "{value} is not a number; give the claimed actual",
    ),
    "appeal.no_reviewer": ("已接受但没有审核人", "is accepted without a reviewer"),
    "appeal.fill_reviewer": ("请填写「审核人」列", "fill in the Reviewer column"),
    "appeal.no_value": ("已接受但没有认定值", "is accepted without a value"),
    "appeal.fill_value": ("请填写「认定值」", "fill in the accepted value"),
    "option.reps_all_none": (
        "请查看代表表，或写 all 或 none",
        "see the reps table, or write all or none",
    ),
    "option.reps_names_none": ("'{text}' 没有指明任何代表", "'{text}' names no rep"),
    "option.reps_how": ("请写 all、none 或代表编号", "write all, none or ids"),
    "lock.held": (
        "另一个 spm 正在写入此文件夹（进程 {pid}，{started} 开始：{command}）",
        "another spm run is writing to this folder (pid {pid}, started {started}: {command})",
    ),
    "lock.wait": (
        "请等它结束；如果它已不在运行，删除 {lock} 后重试",
        "wait for it to finish; if it is no longer running, remove {lock} and run again",
    ),
    "lock.race": (
        "另一个 spm 刚刚开始写入此文件夹",
        "another spm run has just started writing to this folder",
    ),
    "lock.stale": (
        "{folder} 有一个已结束的运行留下的锁，已接管",
        "{folder} held a lock left by a run that is gone; it was taken over",
    ),
    "run.bad_json": ("{file} 无法读取：{reason}", "{file} cannot be read: {reason}"),
    "run.output_missing": (
        "缺少 {file}：这次运行没有完成，或之后被改动过",
        "{file} is missing: the run did not finish, or was changed since",
    ),
    "run.output_changed": (
        "{file} 在运行写出后被改动过",
        "{file} was changed after the run wrote it",
    ),
    "run.evaluate_again": ("请重新运行 spm evaluate", "run spm evaluate again"),
    "appeal.already_corrected": (
        "{place} 第 {row} 行已经调整了代表 {rep} 的指标 {kpi}，spm evaluate 不会再接受第二个调整：请修改那一行",
        "{place} row {row} already corrects KPI {kpi} of rep {rep}, and spm evaluate takes no second correction: change that row instead",
    ),
    "appeal.reason": ("申诉 {date}：{reason}", "appeal {date}: {reason}"),
    "container.encrypted": (
        "是加密（设了密码）的工作簿，或改了扩展名的旧 .xls：请去掉密码或另存为 .xlsx 后重试",
        "is a password-protected workbook, or an old .xls renamed: remove the password or save it as .xlsx, and run again",
    ),
    "container.not_zip": (
        "不是 .xlsx 文件（多半是改了扩展名的其他格式）：请用生成它的程序打开，另存为 .xlsx 后重试",
        "is not an .xlsx file (another format renamed, most likely): open it in the program that made it, save it as .xlsx, and run again",
    ),
    "container.truncated": (
        "已损坏或不完整（文件的结尾缺失，多半是复制或下载中断）：请重新复制、下载或导出后重试",
        "is damaged or cut short (the end of the file is missing, as after an interrupted copy or download): copy, download or export it again",
    ),
    "container.web_page": (
        "其实是网页（HTML）或 XML 文件，只是扩展名为 .xlsx（有些系统这样导出）：请用 Excel 打开，另存为 .xlsx（Excel 工作簿）后重试",
        "is really a web page (HTML) or XML file under an .xlsx name, as some systems export: open it in Excel, save it as .xlsx (Excel Workbook), and run again",
    ),
    "container.text": (
        "其实是文本文件（多半是改了扩展名的 CSV），不是工作簿：请把扩展名改为 .csv，或用 Excel 打开另存为 .xlsx 后重试",
        "is really a text file (a CSV renamed, most likely), not a workbook: rename it to .csv, or open it in Excel and save it as .xlsx, and run again",
    ),
    "container.not_workbook": (
        "是压缩包，但其中没有 Excel 工作簿（例如改了扩展名的 Word 文档）：请用生成它的程序打开，另存为 .xlsx 后重试",
        "is a zip archive but holds no Excel workbook (a Word document renamed, for example): open it in the program that made it, save it as .xlsx, and run again",
    ),
    "container.inflates": (
        "解压后有 {mb} MB，不可能是这样的工作簿（多半是“压缩炸弹”）：请向发送方重新索取该文件",
        "inflates to {mb} MB, which no such workbook does (a zip bomb, most likely): ask whoever sent it for the file again",
    ),
    "container.macros": (
        "含有宏：请另存为不含宏的 .xlsx（Excel 工作簿）后重试",
        "holds macros: save it as a macro-free .xlsx (Excel Workbook) and run again",
    ),
    "container.links": (
        "链接了其他工作簿（外部链接），其中的数字可能已过时：请断开链接或粘贴为数值后保存",
        "links to other workbooks (external links), so its figures may be stale: break the links or paste as values, and save",
    ),
    "appeal.record_damaged": (
        "对应的发出记录 {file} 已损坏",
        "its record of what was sent, {file}, is damaged",
    ),
    "appeal.send_again": (
        "请用 spm appeal 重新发出申诉表",
        "send the appeal workbook again with spm appeal",
    ),
    "appeal.register_damaged": ("不是可读取的申诉登记表", "is not a readable appeals register"),
    "appeal.register_how": (
        "从备份恢复它，或删除它后重新审核（已填写的决定会丢失）",
        "restore it from a copy, or remove it and review again (the decisions entered in it are lost)",
    ),
}
