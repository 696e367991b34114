"""Read a scheme YAML file into a typed ``Scheme``, keeping the line and column of every key.

The YAML is composed into nodes with a safe loader and turned into plain Python
values here, so that every value keeps its position, duplicate keys are caught and
no tag can construct anything but text, numbers, booleans, lists and mappings. The
plain values are then validated by the pydantic model and by the cross-field rules
of ``spmcli.scheme.rules``; every problem is reported at once as
``file:line:col: key.path: what is wrong — hint`` (SPEC §3).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import re
import types
import typing
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pydantic
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from spmcli.encodings import decode_text
from spmcli.errors import Problem, SchemeError, did_you_mean
from spmcli.messages import LANGUAGES, Msg, joined, msg
from spmcli.scheme import rules
from spmcli.scheme.marks import Loc, Mark, SchemeFile, key_path, where_in
from spmcli.scheme.model import LabelTexts, Scheme

DEFAULT_SCHEME_PATH = "<built-in default scheme>"


def load_scheme(path: Path | None) -> SchemeFile:
    """Load and validate a scheme file; ``None`` loads the built-in default scheme.

    Raises ``SchemeError`` carrying every problem found.
    """
    scheme_file, problems = read_scheme(path)
    if problems:
        raise SchemeError(problems)
    return scheme_file


def read_scheme(path: Path | None) -> tuple[SchemeFile, list[Problem]]:
    """The scheme made of the parts that validate and every problem found in it, so that a
    caller can add the problems only the data shows (unknown columns, checked on the parts
    that validated) and report all of them at once.

    Raises ``SchemeError`` when nothing can be read: a YAML syntax error, an unreadable file.
    """
    if path is None:
        builtin = default_scheme_text()
        return _with_text(
            _load_text(builtin, DEFAULT_SCHEME_PATH, _sha256(builtin.encode())), builtin
        )
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        problem = Problem(str(path), msg("scheme.cannot_read", reason=exc.strerror))
        raise SchemeError([problem]) from None
    text = decode_text(raw)
    if text is None:
        problem = Problem(str(path), msg("scheme.not_text"), msg("scheme.save_utf8"))
        raise SchemeError([problem])
    return _with_text(_load_text(text, str(path), _sha256(raw)), text)


def _with_text(
    loaded: tuple[SchemeFile, list[Problem]], text: str
) -> tuple[SchemeFile, list[Problem]]:
    return dataclasses.replace(loaded[0], text=text), loaded[1]


def _sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def default_scheme_text() -> str:
    """The built-in default scheme, comments included (``spm init`` writes it out)."""
    return resources.files("spmcli.scheme").joinpath("default.yaml").read_text(encoding="utf-8")


# --- YAML -------------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("null", "bool", "int", "float", "str")}
_MERGE_TAG = f"{_TAG}merge"
# Enough for any real scheme; stops alias bombs and self-referencing anchors.
_MAX_VALUES = 20_000
_MAX_DEPTH = 40


class _SchemeLoader(yaml.SafeLoader):
    """SafeLoader reading plain scalars the YAML 1.2 way.

    Only true/false are booleans (``on: value`` in a scoring rule must stay the key
    ``on``, and ``no`` is not false), and dates stay text (``period`` is a label).
    """


_SchemeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _SCALAR_TAGS | {_MERGE_TAG}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfFyYnNoO":
    _SchemeLoader.yaml_implicit_resolvers[_first] = [
        (tag, rx)
        for tag, rx in _SchemeLoader.yaml_implicit_resolvers[_first]
        if tag != f"{_TAG}bool"
    ]
_SchemeLoader.add_implicit_resolver(
    f"{_TAG}bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _mark(node: Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _TooLarge(Exception):
    """The document expands to more values, or nests deeper, than a scheme can need."""


class _Reader:
    """Turns composed YAML nodes into plain values, recording positions and problems."""

    def __init__(self, loader: _SchemeLoader, path: str) -> None:
        self.loader = loader
        self.path = path
        self.marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}
        self.problems: list[Problem] = []
        self.broken: list[Loc] = []  # where a value was unusable or left out
        self.count = 0

    def problem(
        self,
        node: Node,
        loc: Loc,
        message: Msg,
        hint: Msg | None = None,
        *,
        part: Loc | None = None,
    ) -> None:
        """A problem at ``loc``; the value at ``part`` (default ``loc``) is unusable."""
        line, column = _mark(node)
        where = f"{self.path}:{line}:{column}"
        self.problems.append(Problem(where, message, hint, key_path(loc), loc))
        self.broken.append(loc if part is None else part)

    def value(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > _MAX_VALUES or len(loc) > _MAX_DEPTH:
            raise _TooLarge
        self.marks.setdefault(loc, _mark(node))
        if isinstance(node, MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, SequenceNode):
            if node.tag != f"{_TAG}seq":
                self.unsupported_tag(node, loc)
            return [self.value(item, (*loc, index)) for index, item in enumerate(node.value)]
        if node.tag not in _SCALAR_TAGS:
            self.unsupported_tag(node, loc)
            return None
        try:
            return self.loader.construct_object(node)
        except (ValueError, yaml.YAMLError):
            tag = _short_tag(node.tag)
            self.problem(node, loc, msg("scheme.bad_scalar", value=node.value, tag=tag))
            return None

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        if node.tag != f"{_TAG}map":
            self.unsupported_tag(node, loc)
        # Merge keys (<<: *anchor) first, so that keys written in this mapping win.
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                result.update(self.merged(value_node, loc))
        explicit: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, loc, msg("scheme.key_not_name"))
                continue
            # The key as written: `on`, `no` or `2025` are names here, not booleans or numbers.
            key = str(key_node.value)
            if key in explicit:
                self.problem(
                    key_node,
                    loc,
                    msg("scheme.duplicate_key", key=key, line=explicit[key]),
                    part=(*loc, key),
                )
                continue
            explicit[key] = _mark(key_node)[0]
            self.key_marks[(*loc, key)] = _mark(key_node)
            self.marks.pop((*loc, key), None)  # a merged value is overridden here
            result[key] = self.value(value_node, (*loc, key))
        return result

    def merged(self, node: Node, loc: Loc) -> dict[str, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        result: dict[str, Any] = {}
        for source in reversed(sources):  # earlier sources win, as YAML says
            if not isinstance(source, MappingNode):
                self.problem(source, loc, msg("scheme.bad_merge"))
                continue
            result.update(self.mapping(source, loc))
        return result

    def unsupported_tag(self, node: Node, loc: Loc) -> None:
        self.problem(
            node,
            loc,
            msg("scheme.unsupported_tag", tag=_short_tag(node.tag)),
            msg("scheme.remove_tag"),
        )


# A top-level ``locale:`` line, to word a YAML syntax error in the scheme's language.
_LOCALE_LINE = re.compile(r"^locale:\s*['\"]?(zh|en)\b", re.MULTILINE)


def _read_yaml(text: str, path: str) -> tuple[Any, _Reader]:
    loader = _SchemeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
            problem = exc.problem or exc.context or "not valid YAML"
            if exc.problem and exc.context and not exc.context.startswith("while"):
                problem = f"{exc.context}, {exc.problem}"  # e.g. a second document
            # Only a YAML syntax error is reported alone (nothing after it can be read).
            hint = msg("scheme.rest_waits")
            if "'\\t'" in problem:
                hint = joined(msg("scheme.use_spaces"), hint)
            found = _LOCALE_LINE.search(text)
            raise SchemeError(
                [Problem(where, msg("scheme.invalid_yaml", problem=problem), hint)],
                found.group(1) if found else None,
            ) from None
        except yaml.YAMLError as exc:
            raise SchemeError(
                [Problem(path, msg("scheme.invalid_yaml", problem=str(exc)))]
            ) from None
        except RecursionError:
            raise SchemeError([Problem(path, msg("scheme.too_deep"))]) from None
        if root is None:
            raise SchemeError(
                [Problem(path, msg("scheme.empty"), msg("scheme.start_from_default"))]
            )
        reader = _Reader(loader, path)
        try:
            data = reader.value(root, ())
        except _TooLarge:
            raise SchemeError([Problem(path, msg("scheme.too_large"))]) from None
        return data, reader
    finally:
        loader.dispose()


def _load_text(text: str, path: str, sha256: str) -> tuple[SchemeFile, list[Problem]]:
    data, reader = _read_yaml(text, path)
    if not isinstance(data, dict):
        raise SchemeError(
            [
                Problem(
                    where_in(path, reader.marks, {}, ()),
                    msg("scheme.not_mapping", value=_describe(data)),
                )
            ]
        )
    scheme, problems, broken, left_out = _validated(data, reader, path)
    scheme = scheme.in_language(scheme.locale)  # labels in its language, until --lang says
    scheme_file = SchemeFile(
        scheme,
        path,
        sha256,
        reader.marks,
        reader.key_marks,
        frozenset(broken),
        left_out=frozenset(left_out),
    )
    return scheme_file, by_position([*reader.problems, *problems, *rules.check_scheme(scheme_file)])


# Placeholders for the parts a scheme cannot do without, when they do not validate.
_REQUIRED: dict[str, Any] = {"kpis": [], "roles": {}, "default_role": ""}
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_ATTEMPTS = 4  # a part set aside once can only fail again as a whole


def _validated(
    data: dict[str, Any], reader: _Reader, path: str
) -> tuple[Scheme, list[Problem], set[Loc], set[Loc]]:
    """The scheme made of the parts that validate, pydantic's problems, the broken parts and
    the values left out of them (the whole part, when it stands in as a placeholder).

    A broken value is left out (its default applies), or its whole part (a KPI, a role, a
    pay rule ...) stands in as a placeholder, so that the cross-field rules and the column
    checks still run on everything else and every scheme problem is reported in one run.
    Values the YAML reader could not use are left out first and not reported again.
    """
    data = copy.deepcopy(data)
    for loc in reader.broken:
        _set_aside(data, loc, _part(loc))
    broken = {_part(loc) for loc in reader.broken}
    left_out = set(reader.broken)
    problems: list[Problem] | None = None
    for _ in range(_ATTEMPTS):
        try:
            scheme = Scheme.model_validate(data)
        except pydantic.ValidationError as exc:
            errors = exc.errors()
            if problems is None:
                found = _translate(errors, path, reader.marks, reader.key_marks)
                problems = [p for p in found if not _within(p.loc, reader.broken)]
            for error in errors:
                loc, rest, _ = _split_loc(error["loc"])
                part = _part(loc)
                broken.add(part)
                if rest == ("[key]",) or len(loc) <= len(part):
                    loc = part
                elif error["type"] == "missing":
                    loc = loc[:-1]  # a value too short or without its key: leave it all out
                _set_aside(data, loc, part)
                left_out.add(loc)
        else:
            return scheme, problems or [], broken, left_out
    raise SchemeError(by_position(problems or []))


def _within(loc: Loc, parts: Sequence[Loc]) -> bool:
    return any(loc[: len(part)] == part for part in parts)


def _part(loc: Loc) -> Loc:
    """The part of the scheme a key path lies in: a KPI, a role, a source, a pay rule, or a
    top-level key (all grades are one part: each is checked against its neighbours)."""
    if len(loc) > 1 and loc[0] in ("kpis", "roles", "sources", "pay"):
        return loc[:2]
    return loc[:1]


def _set_aside(data: dict[str, Any], loc: Loc, part: Loc) -> None:
    """Leave out the value at ``loc``; a whole ``part`` becomes its placeholder."""
    *parents, last = loc
    holder: Any = data
    for step in parents:
        try:
            holder = holder[step]
        except (KeyError, IndexError, TypeError):
            return  # already set aside with its parent
    if loc == part and loc[0] == "kpis" and isinstance(holder, list) and isinstance(last, int):
        # keeps the index of the KPIs after it, and its id for the references to it
        given = holder[last].get("id") if isinstance(holder[last], dict) else None
        valid = isinstance(given, str) and _IDENTIFIER.fullmatch(given)
        holder[last] = {"id": given if valid else f"kpi{last}"}
    elif loc == part and len(loc) == 2 and loc[0] == "roles" and _IDENTIFIER.fullmatch(str(last)):
        holder[last] = {"weights": {}}  # keeps the role for default_role
    elif len(loc) == 1 and last in _REQUIRED:
        holder[last] = copy.deepcopy(_REQUIRED[str(last)])
    elif isinstance(holder, dict):
        holder.pop(last, None)
    elif isinstance(holder, list) and isinstance(last, int) and last < len(holder):
        del holder[last]


def by_position(problems: list[Problem]) -> list[Problem]:
    """Problems in file order (stable for problems at the same place)."""

    def position(problem: Problem) -> tuple[int, int]:
        parts = problem.where.rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            return int(parts[1]), int(parts[2])
        return 0, 0

    return sorted(problems, key=position)


# --- pydantic errors in spm's words -----------------------------------------------------------

_EXPECTED = {
    "float_type": "expect.number",
    "float_parsing": "expect.number",
    "finite_number": "expect.finite",
    "int_type": "expect.whole",
    "int_parsing": "expect.whole",
    "int_from_float": "expect.whole",
    "string_type": "expect.text",
    "bool_type": "expect.bool",
    "bool_parsing": "expect.bool",
    "dict_type": "expect.mapping",
    "model_type": "expect.mapping",
    "model_attributes_type": "expect.mapping",
    "list_type": "expect.list",
    "tuple_type": "expect.list",
}
_BOUNDS = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}


def _describe(value: object) -> str | Msg:
    """A user's value as the message shows it."""
    if value is None:
        return msg("nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list | tuple | dict):
        text = json.dumps(value, ensure_ascii=False, default=str)
        if len(text) <= 40:
            return text
        return msg("value.mapping") if isinstance(value, dict) else msg("value.list")
    return type(value).__name__


def _choices(expected: str) -> list[str]:
    """``"'linear', 'bands' or 'rating'"`` → ``['linear', 'bands', 'rating']``."""
    return re.findall(r"'([^']*)'", expected)


def _unwrap(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _split_loc(loc: Sequence[str | int]) -> tuple[Loc, Loc, Any]:
    """Split a pydantic error location into the key path, what follows it, and the type there.

    What follows is ``('[key]',)`` for a bad mapping key, or the names of union
    branches (``("literal['targets']", 'float')``) when a value matched none of them.
    """
    annotation: Any = Scheme
    for index, part in enumerate(loc):
        if part == "[key]":
            return tuple(loc[:index]), tuple(loc[index:]), annotation
        annotation = _unwrap(annotation)
        origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            if not isinstance(part, str):
                return tuple(loc[:index]), tuple(loc[index:]), annotation
            annotation = _read_as(annotation, part)
        elif origin is list and isinstance(part, int):
            annotation = typing.get_args(annotation)[0]
        elif origin is tuple and isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[part] if part < len(args) else None
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return tuple(loc[:index]), tuple(loc[index:]), annotation
    return tuple(loc), (), annotation


def _keys(model: type[pydantic.BaseModel]) -> list[str]:
    """The keys a model reads, as the YAML writes them (``from``, not ``start``)."""
    return list(dict.fromkeys(_key(name, field) for name, field in model.model_fields.items()))


def _key(name: str, field: Any) -> str:
    alias = field.validation_alias or field.alias
    if isinstance(alias, pydantic.AliasChoices):
        alias = alias.choices[0]
    return alias if isinstance(alias, str) else name


def _read_as(model: type[pydantic.BaseModel], key: str) -> Any:
    """The type ``key`` is read as; of a key two fields read (a ``label``: its text, and the
    mapping of its texts) the mapping's, where the problems inside it are."""
    found = [f.annotation for n, f in model.model_fields.items() if _key(n, f) == key]
    models = [a for a in found if _is_model(_unwrap(a))]
    return (models or found or [None])[0]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def _model_at(loc: Loc) -> type[pydantic.BaseModel] | None:
    _, _, annotation = _split_loc(loc)
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return annotation
    return None


def _translate(
    errors: Sequence[Any], path: str, marks: Mapping[Loc, Mark], key_marks: Mapping[Loc, Mark]
) -> list[Problem]:
    """pydantic's errors as spm problems: one per key path, in spm's words."""
    problems: list[Problem] = []
    unions: dict[Loc, list[Any]] = {}
    for error in errors:
        loc, rest, _ = _split_loc(error["loc"])
        if rest and rest != ("[key]",):
            unions.setdefault(loc, []).append(error)
            continue
        is_key = rest == ("[key]",) or error["type"] == "extra_forbidden"
        where = where_in(path, marks, key_marks, loc, key=is_key)
        message, hint = _explain(error, loc, is_key)
        parent = loc[:-1] if is_key or error["type"] == "missing" else loc
        problems.append(Problem(where, message, hint, key_path(parent), loc))
    for loc, branch_errors in unions.items():
        message, hint = _explain_union(branch_errors)
        where = where_in(path, marks, key_marks, loc)
        problems.append(Problem(where, message, hint, key_path(loc), loc))
    return list(dict.fromkeys(problems))  # an empty pair is missing both its values


def _explain(error: Any, loc: Loc, is_key: bool) -> tuple[Msg, Msg | None]:
    """(message, hint) for one pydantic error at key path ``loc``, in spm's words: no text
    of pydantic's own reaches the user, whatever the run's language."""
    kind: str = error["type"]
    value = error["input"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        known = _keys(model) if model else []
        if model is LabelTexts:
            form = msg("model.label_form", languages=tuple(known))
            return msg("model.unknown_language", key=name), did_you_mean(str(name), known) or form
        hint = did_you_mean(str(name), known) or (
            msg("model.known_keys", keys=tuple(known)) if known else None
        )
        return msg("model.unknown_key", key=name), hint
    if kind == "missing":
        if isinstance(name, int):  # a fixed-length list such as a band is too short
            arity = _arity(loc[:-1])
            return msg("model.count", count=arity, value=_describe(value)), _pair_hint(loc)
        return msg("model.missing_key", key=name), None
    if kind == "label_empty":
        return msg("model.label_empty"), msg("model.label_form", languages=LANGUAGES)
    if kind == "too_long":
        most = ctx.get("max_length")
        return msg("model.count", count=most, value=_describe(value)), _pair_hint(loc)
    if kind == "literal_error":
        choices = _choices(str(ctx.get("expected", "")))
        message = msg("model.not_one_of", value=_describe(value), choices=tuple(choices))
        return message, did_you_mean(value, choices) if isinstance(value, str) else None
    if kind == "string_pattern_mismatch":
        code = "model.bad_id_key" if is_key else "model.bad_id"
        shown = value if is_key else _describe(value)
        suggestion = re.sub(r"[^a-z0-9_]+", "_", str(value).strip().lower()).strip("_")
        hint = (
            msg("did_you_mean", name=suggestion)
            if re.fullmatch(r"[a-z][a-z0-9_]*", suggestion)
            else msg("model.id_rule")
        )
        return msg(code, value=shown, rule=msg("model.id_rule")), hint
    if kind in _BOUNDS:
        bound = _BOUNDS[kind]
        limit = _describe(ctx.get(bound))
        message = msg(
            "model.bound", bound=msg(f"bound.{bound}"), limit=limit, value=_describe(value)
        )
        return message, None
    if kind in _EXPECTED:
        expected = msg(_EXPECTED[kind])
        hint = _pair_hint(loc)
        if loc and loc[-1] == "label" and kind == "string_type":
            hint = msg("model.label_form", languages=LANGUAGES)
        return msg("model.expected", expected=expected, value=_describe(value)), hint
    return msg("model.invalid", value=_describe(value)), None


def _explain_union(errors: Sequence[Any]) -> tuple[Msg, Msg | None]:
    """One message for a value that matched none of a union's branches."""
    alternatives: list[str | Msg] = []
    choices: list[str] = []
    for error in errors:
        if error["type"] == "literal_error":
            found = _choices(str((error.get("ctx") or {}).get("expected", "")))
            choices += found
            alternatives += [f"'{choice}'" for choice in found]
        elif error["type"] in _EXPECTED:
            alternatives.append(msg(_EXPECTED[error["type"]]))
        else:
            alternatives.append(str(error["loc"][-1]))
    value = errors[0]["input"]
    hint = did_you_mean(value, choices) if isinstance(value, str) else None
    unique = list(dict.fromkeys(alternatives))
    either: str | Msg = unique[0]
    for other in unique[1:]:
        either = msg("model.or", first=either, second=other)
    return msg("model.expected", expected=either, value=_describe(value)), hint


def _arity(loc: Loc) -> int:
    """How many values the fixed-length list at ``loc`` holds."""
    _, _, annotation = _split_loc(loc)
    return len(typing.get_args(_unwrap(annotation)))


def _pair_hint(loc: Loc) -> Msg | None:
    return msg("model.band_pair") if "bands" in loc else None
