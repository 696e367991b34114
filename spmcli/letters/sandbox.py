"""The sandbox letter templates run in, and what one letter may cost (SPEC §6 Reliability:
templates cannot reach the file system; hostile input is harmless).

jinja2's ``ImmutableSandboxedEnvironment`` refuses Python internals (``__class__``,
``__mro__``, ``__globals__``), unsafe methods and changes to the data; the loader given to it
holds no templates, so ``{% include %}``, ``{% import %}`` and ``{% extends %}`` find nothing.
What it does not bound is the work a template asks for: loops inside loops, a macro calling
itself, ``'x' * 10**10``. ``LetterSandbox`` bounds each letter, far above what a letter needs
(the shipped templates write 4,000 to 40,000 characters in a few milliseconds):

* **Size**: no text, list or output of a letter longer than ``MAX_CHARS`` characters (a
  list counting what it shows, each time it holds it), no number of more than ``MAX_DIGITS``
  digits. An operation whose result can be many times its inputs (``*``, ``**``, ``%`` and
  ``format``, padding, ``replace``, ``join``, ``indent``, ``expandtabs``, ...) is checked
  before it runs against the size it can reach; every other result, every literal, and
  everything written (the output, ``{% set %}`` blocks, macros), after.
* **Time**: at most ``MAX_SECONDS`` per letter, checked at every step: each loop iteration,
  call, filter, attribute look-up and operator.
* **Depth**: a macro calling itself without end stops at Python's recursion limit.
* ``range()`` counts at most ``MAX_RANGE`` numbers (jinja's own bound).

Past a bound, rendering stops with ``LetterBound``, a ``TemplateError`` that says which bound;
the caller names the template and line (``spmcli.letters.render.template_problem``).
"""

from __future__ import annotations

import inspect
import re
import string
import time
from collections.abc import Callable, Generator, Iterable, Iterator, MutableMapping, Sequence
from functools import cache, wraps
from typing import Any

from jinja2 import Environment, Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import TemplateError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

from spmcli.messages import Msg, msg

MAX_CHARS = 5_000_000  # characters or items of any value, and written by one letter
MAX_DIGITS = 3_000  # digits of a number
MAX_SECONDS = 10.0  # to fill in one letter
_MAX_BITS = int(MAX_DIGITS * 3.33)


class LetterBound(TemplateError):
    """A template asked for more than one letter may take; ``reason`` says what."""

    def __init__(self, reason: Msg) -> None:
        super().__init__(str(reason))
        self.reason = reason


def too_big() -> LetterBound:
    return LetterBound(msg("template.too_big", chars=f"{MAX_CHARS:,}", digits=f"{MAX_DIGITS:,}"))


_CONTAINERS = (list, tuple, dict, set, frozenset)
_SIZED = (str, bytes, *_CONTAINERS)


def shown_size(value: Any) -> int:
    """About how many characters ``value`` shows as text (an upper bound on what comparing or
    walking it costs): a container counts its items and what they show, each time it holds
    them, so that a list holding itself twice per level, 40 levels deep, is 2**40 although
    it is 40 lists. Each distinct container is looked at once."""
    if not isinstance(value, _CONTAINERS):
        return _leaf_size(value)
    sizes: dict[int, int] = {}
    opened: set[int] = set()  # containers whose items are being sized (a cycle counts 0)
    todo: list[tuple[Any, bool]] = [(value, False)]
    while todo:
        container, ready = todo.pop()
        if id(container) in sizes or (not ready and id(container) in opened):
            continue
        items = _items(container)
        if ready:
            sizes[id(container)] = len(items) + sum(
                sizes.get(id(item), 0) if isinstance(item, _CONTAINERS) else _leaf_size(item)
                for item in items
            )
            continue
        opened.add(id(container))
        todo.append((container, True))
        todo += [(item, False) for item in items if isinstance(item, _CONTAINERS)]
    return sizes[id(value)]


def _items(container: Any) -> list[Any]:
    if isinstance(container, dict):
        return [part for pair in container.items() for part in pair]
    return list(container)


def _leaf_size(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    return 1


def sized(value: Any) -> Any:
    """``value``, unless it is larger than a letter's bound."""
    if isinstance(value, int) and value.bit_length() > _MAX_BITS:
        raise too_big()
    if isinstance(value, _SIZED) and shown_size(value) > MAX_CHARS:
        raise too_big()
    return value


def bounded_range(*args: int) -> range:
    """``range`` that counts at most MAX_RANGE numbers."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise LetterBound(msg("template.range", limit=f"{MAX_RANGE:,}"))
    return numbers


# --------------------------------------------------------------- sizes before operations

_WIDTH = re.compile(r"[0-9]+")
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?[a-zA-Z%]")


def _formatted(template: str, fields: Sequence[str], values: Iterable[Any]) -> int:
    """An upper bound on the length of ``template`` filled in: each field at most as wide as
    its widest width and its longest value (a width given by a value, ``*`` or ``{w}``, is
    taken as the largest whole number given)."""
    shown = list(values)
    widest = max((int(n) for field in fields for n in _WIDTH.findall(field)), default=0)
    if any("*" in field or "{" in field for field in fields):
        widest = max([widest, *(abs(v) for v in shown if isinstance(v, int))])
    longest = max((shown_size(value) for value in shown), default=0)
    return len(template) + len(fields) * (widest + longest)


def _values(args: Sequence[Any], kwargs: MutableMapping[str, Any]) -> list[Any]:
    """What a format string may show: the arguments, or a mapping's values."""
    given = [*args, *kwargs.values()]
    if len(given) == 1 and isinstance(given[0], dict):
        return list(given[0].values())
    if len(given) == 1 and isinstance(given[0], tuple):
        return list(given[0])
    return given


def percent_size(template: str, values: Any) -> int:
    """An upper bound on the length of ``template % values``."""
    return _formatted(template, _PERCENT_FIELD.findall(template), _values([values], {}))


def format_size(template: str, args: Sequence[Any], kwargs: MutableMapping[str, Any]) -> int:
    """An upper bound on the length of ``template.format(*args, **kwargs)``."""
    fields = [
        f"{{{spec}}}" for _, name, spec, _ in string.Formatter().parse(template) if name is not None
    ]
    return _formatted(template, fields, _values(args, kwargs))


def _replaced(text: Any, old: Any, new: Any, count: Any) -> int:
    parts = (text, old, new)
    if not any(all(isinstance(part, kind) for part in parts) for kind in (str, bytes)):
        return 0  # the call will fail on its own
    found: int = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(0, len(new) - len(old))


def _joined(separator: Any, items: list[Any]) -> int:
    return sum(shown_size(item) for item in items) + len(str(separator)) * max(0, len(items) - 1)


def _width(value: Any) -> int:
    return value if isinstance(value, int) else len(value) if isinstance(value, str) else 0


def _tabs(text: str | bytes) -> int:
    return text.count(b"\t") if isinstance(text, bytes) else text.count("\t")


def _lines(text: Any) -> int:
    return text.count("\n") + 1 if isinstance(text, str) else 1


# name -> the size a str method's result can reach, from the text and its arguments in order
_METHODS: dict[str, Callable[[Any, list[Any]], int]] = {
    "center": lambda text, a: _width(a[0]),
    "ljust": lambda text, a: _width(a[0]),
    "rjust": lambda text, a: _width(a[0]),
    "zfill": lambda text, a: _width(a[0]),
    "expandtabs": lambda text, a: len(text) + _tabs(text) * _width(a[0]),
    "replace": lambda text, a: _replaced(text, *a[:3]),
    "join": lambda text, a: _joined(text, a[0]),
    "translate": lambda text, a: len(text) * _longest(a[0]),
}
# name -> the same for a filter, from its arguments by name
_FILTERS: dict[str, Callable[[dict[str, Any]], int]] = {
    "center": lambda a: _width(a["width"]),
    "indent": lambda a: shown_size(a["s"]) + _lines(a["s"]) * _width(a["width"]),
    "wordwrap": lambda a: shown_size(a["s"]) * max(1, _width(a["wrapstring"])),
    "replace": lambda a: _replaced(a["s"], a["old"], a["new"], a["count"]),
    "join": lambda a: _joined(a["d"], a["value"]),
    "format": lambda a: percent_size(str(a["value"]), a["args"] or a["kwargs"]),
    "tojson": lambda a: shown_size(a["value"]) * (1 + _width(a["indent"])),
    "batch": lambda a: _width(a["linecount"]),
    "slice": lambda a: _width(a["slices"]),
    "sum": lambda a: sum(shown_size(v) for v in a["iterable"] if isinstance(v, list | tuple | str)),
}
# What jinja passes first to a filter marked pass_context, pass_eval_context or
# pass_environment, and the name the filter gives it.
_CONTEXTS = (Context, EvalContext, Environment)
_CONTEXT_NAMES = ("context", "eval_ctx", "environment")
# the iterable argument a filter's check reads whole: it is handed on as a list
_MATERIALIZED = {"join": "value", "sum": "iterable"}


def _longest(table: Any) -> int:
    """The longest text a translation table puts for one character."""
    if not isinstance(table, dict):
        return 1
    return max((_width(v) for v in table.values()), default=1)


def _too_big(operator: str, left: Any, right: Any) -> bool:
    """Whether ``left operator right`` would be larger than a letter's bound."""
    if operator == "*":
        return any(
            isinstance(seq, str | bytes | list | tuple)
            and isinstance(times, int)
            and len(seq) * times > MAX_CHARS
            for seq, times in ((left, right), (right, left))
        )
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        return abs(left) > 1 and (abs(left).bit_length() - 1) * right > _MAX_BITS
    return operator == "%" and isinstance(left, str) and percent_size(left, right) > MAX_CHARS


@cache
def _signature(function: Callable[..., Any]) -> inspect.Signature | None:
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return None


def _arguments(
    function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> inspect.BoundArguments | None:
    """The call's arguments by name, or None when they do not fit (the call will say so)."""
    signature = _signature(function)
    if signature is None:
        return None
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    return bound


# ------------------------------------------------------------------------ the sandbox


class _Written(list[str]):
    """A block's buffer ({% set %}, a macro, a filter block) that counts what goes in."""

    def __init__(self, sandbox: LetterSandbox) -> None:
        super().__init__()
        self._sandbox = sandbox

    def append(self, piece: str) -> None:
        self._sandbox.wrote(piece)
        super().append(piece)

    def extend(self, pieces: Iterable[str]) -> None:
        for piece in pieces:
            self.append(piece)


class _CountingCodeGenerator(CodeGenerator):
    """Template code that counts (Environment.code_generator_class): every loop step, the
    text written into blocks, each text that ``~`` makes and each literal list, tuple and
    dict."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.letter_buffer()")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        steps = nodes.EnvironmentAttribute("letter_steps", lineno=node.lineno)
        counted = nodes.Call(steps, [node.iter], [], None, None, lineno=node.lineno)
        loop = nodes.For(
            node.target, counted, node.body, node.else_, node.test, node.recursive,
            lineno=node.lineno,
        )  # fmt: skip
        super().visit_For(loop, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.letter_text(")
        super().visit_Concat(node, frame)
        self.write(")")

    # Literals: [n.c, n.c] in a loop doubles what a list shows at each step.

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self.write("environment.letter_text(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("environment.letter_text(")
        super().visit_Dict(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # a, b = …: names to assign to
            super().visit_Tuple(node, frame)
            return
        self.write("environment.letter_text(")
        super().visit_Tuple(node, frame)
        self.write(")")


class LetterSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, bounded per letter (see the module docstring); ``start_letter`` before
    each. It also remembers what it compiled from a string: docxtpl compiles each part of the
    Word document again for every letter, which would double its time."""

    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = bounded_range
        del self.globals["lipsum"]  # paragraphs by the thousand, for no letter
        self.filters = {name: self._bounded(name, f) for name, f in self.filters.items()}
        self._compiled: dict[str, Template] = {}
        self.start_letter()

    def start_letter(self) -> None:
        """The bounds start again: a new letter."""
        self._deadline = time.monotonic() + MAX_SECONDS
        self._written = 0

    def step(self) -> None:
        """One step of work; past the letter's time, the end."""
        if time.monotonic() > self._deadline:
            raise LetterBound(msg("template.too_slow", seconds=f"{MAX_SECONDS:g}"))

    def wrote(self, piece: str) -> None:
        """Text written, into the output or a block (no step: what wrote it was one). An
        empty piece counts as one, so that a loop writing nothing fills no list."""
        self._written += len(piece) or 1
        if self._written > MAX_CHARS:
            raise too_big()

    # What the counting code calls.

    def letter_buffer(self) -> _Written:
        return _Written(self)

    def letter_steps(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.step()
            yield item

    def letter_text(self, value: Any) -> Any:
        self.step()
        return sized(value)

    def concat(self, pieces: Generator[str, None, None]) -> str:  # type: ignore[override]
        """A letter's output (Template.render joins its pieces with this), counted; a bound
        passed is raised where the piece was written, so that the error has its line. A
        macro calling itself without end, or memory running out, is a bound passed too."""
        written = []
        try:
            for piece in pieces:
                self._written += len(piece) or 1
                if self._written > MAX_CHARS:
                    pieces.throw(too_big())
                written.append(piece)
        except RecursionError as error:
            deep = LetterBound(msg("template.too_deep"))
            raise deep.with_traceback(error.__traceback__) from None
        except MemoryError as error:
            raise too_big().with_traceback(error.__traceback__) from None
        return "".join(written)

    # The sandbox's hooks, each a step.

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.step()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.step()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.step()
        if _too_big(operator, left, right):
            raise too_big()
        return sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.step()
        # A method's text; str.format and format_map come wrapped by the sandbox.
        method = __obj if hasattr(__obj, "__self__") else getattr(__obj, "__wrapped__", __obj)
        text = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(text, str) and name in ("format", "format_map"):
            if format_size(text, args, kwargs) > MAX_CHARS:
                raise too_big()
        elif isinstance(text, str | bytes) and name in _METHODS:
            if name == "join" and args:
                args = (list(args[0]), *args[1:])  # read whole by the check, then joined
            bound = _arguments(method, args, kwargs)
            reach = 0 if bound is None else _METHODS[name](text, list(bound.arguments.values()))
            if reach > MAX_CHARS:
                raise too_big()
        elif isinstance(text, int) and name == "to_bytes":
            bound = _arguments(method, args, kwargs)
            if bound is not None and _width(bound.arguments["length"]) > MAX_CHARS:
                raise too_big()
        return sized(super().call(__context, __obj, *args, **kwargs))

    def _bounded(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """A filter that is a step, checked before it runs where it can multiply its input,
        and after it runs for the size of what it made."""
        estimate = _FILTERS.get(name)
        materialized = _MATERIALIZED.get(name)

        @wraps(function)  # keeps jinja's pass_context / pass_eval_context marks
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.step()
            if estimate is not None:
                # A filter with an async variant (slice, list …) gets an evaluation context
                # that the function its signature shows does not take.
                signature = _signature(function)
                takes = [*signature.parameters][:1] if signature is not None else []
                given = args[:1] if args and isinstance(args[0], _CONTEXTS) else ()
                lead = () if takes and takes[0] in _CONTEXT_NAMES else given
                bound = _arguments(function, args[len(lead) :], kwargs)
                if bound is not None:
                    if materialized is not None:
                        bound.arguments[materialized] = list(bound.arguments[materialized])
                    if estimate(bound.arguments) > MAX_CHARS:
                        raise too_big()
                    args, kwargs = (*lead, *bound.args), bound.kwargs
            return sized(function(*args, **kwargs))

        return bounded

    def from_string(
        self,
        source: str | Any,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]
