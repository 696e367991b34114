"""The letter sandbox's bounds (``spmcli.letters.sandbox``): whatever can multiply its input is
refused before it runs when it would pass them, and so is a list that holds itself twice a step
(it shows 2**40 items after 40); what letters do is untouched. The attacks
through ``spm letters`` in every format are in tests/test_letters.py."""

from __future__ import annotations

import pytest

from spmcli.letters.render import environment
from spmcli.letters.sandbox import LetterBound

GROWS = [
    "{{ 'x' * 6000000 }}",
    "{{ [0] * 6000000 }}",
    "{{ 3 * 'x' * 2000000 }}",
    "{{ 'x'.center(6000000) }}",
    "{{ 'x'.rjust(6000000) }}",
    "{{ '7'.zfill(6000000) }}",
    "{{ ('\t' * 100).expandtabs(100000) }}",
    "{{ ('x' * 3000).replace('x', 'y' * 3000) }}",
    "{{ ('x' * 3000)|replace('x', 'y' * 3000) }}",
    "{{ ('a\n' * 3000)|indent(3000) }}",
    "{{ ('a\n' * 3000)|indent('-' * 3000) }}",
    "{{ 'abc'|wordwrap(1, wrapstring='-' * 3000000) }}",
    "{{ ('x' * 3000).translate({120: 'y' * 3000}) }}",
    "{{ '-'.join(['x' * 3000000, 'y' * 3000000]) }}",
    "{{ ['x' * 3000000, 'y' * 3000000]|join }}",
    "{{ ['x' * 3000000, 'y' * 3000000]|sum(start='') }}",
    "{{ [[0] * 3000000, [0] * 3000000]|sum(start=[]) }}",
    "{{ '%6000000d' % 1 }}",
    "{{ '%*d' % (6000000, 1) }}",
    "{{ '%(a)s' * 3000 % {'a': 'x' * 3000} }}",
    "{{ '%6000000d'|format(1) }}",
    "{{ '{:>6000000}'.format(1) }}",
    "{{ '{:>{w}}'.format(1, w=6000000) }}",
    "{{ ('{0}' * 3000).format('x' * 3000) }}",
    "{{ '{a}'.format_map({'a': 'x'}) * 6000000 }}",
    "{{ {'a': [0] * 100}|tojson(indent=100000) }}",
    "{{ [1]|batch(6000000, 0)|list }}",
    "{{ [1]|slice(6000000)|list }}",
    "{{ (1).to_bytes(6000000, 'big') }}",
    "{{ 2 ** 20000 }}",
    "{% set n = namespace(v=3) %}{% for i in range(20) %}{% set n.v = n.v * n.v %}{% endfor %}",
    "{% set n = namespace(c=['x']) %}{% for i in range(40) %}{% set n.c = [n.c, n.c] %}"
    "{% endfor %}",
    "{% set n = namespace(c={}) %}{% for i in range(40) %}{% set n.c = {'a': n.c, 'b': n.c} %}"
    "{% endfor %}",
    "{% set n = namespace(c=()) %}{% for i in range(40) %}{% set n.c = (n.c, n.c) %}{% endfor %}",
    "{% set n = namespace(c=[1]) %}{% for i in range(40) %}{% set n.c = n.c + n.c %}{% endfor %}",
    "{{ 'x' * 3000000 ~ 'y' * 3000000 }}",
    "{{ 'x' * 3000000 + 'y' * 3000000 }}",
    "{% set s %}{% for i in range(3000) %}{{ 'x' * 3000 }}{% endfor %}{% endset %}",
    "{% for i in range(100000) %}{% for j in range(100) %}{{ '' }}{% endfor %}{% endfor %}",
]


@pytest.mark.parametrize("text", GROWS)
def test_what_would_pass_the_size_bound_is_stopped(text: str) -> None:
    with pytest.raises(LetterBound) as bound:
        environment("md").from_string(text).render()
    assert bound.value.reason.code == "template.too_big"


@pytest.mark.parametrize(
    ("text", "made"),
    [
        ("{{ 'R1'.center(8, '*') }}", "***R1***"),
        ("{{ '{:>6}|{:.1%}'.format('x', 0.256) }}", "     x|25.6%"),
        ("{{ '%05.1f / %s' % (3.14159, 'pi') }}", "003.1 / pi"),
        ("{{ '%(n)s'|format(n=2) }}", "2"),
        ("{{ ['a', 'b']|join(', ') }}", "a, b"),
        ("{{ ', '.join(['a', 'b']) }}", "a, b"),
        ("{{ range(7)|batch(3)|map('join')|join(' ') }}", "012 345 6"),
        ("{{ 'a\nb'|indent(2, first=true) }}", "  a\n  b"),
        ("{{ ('x ' * 45)|wordwrap(40)|wordcount }}", "45"),
        ("{{ {'k': 1}|tojson(indent=2) }}", '{\n  "k": 1\n}'),
        ("{{ [[1], [2]]|sum(start=[]) }}", "[1, 2]"),
        ("{{ 2 ** 64 }} {{ 7 // 2 }} {{ 1 - 3 }}", "18446744073709551616 3 -2"),
        (
            "{% set a, b = [1, 2] %}{% for k, v in {'x': (a, b)}|dictsort %}{{ k }}{{ v }}"
            "{% endfor %}",
            "x(1, 2)",
        ),
        ("{% for i in range(3) %}{{ i }}{{ '' if loop.last else ',' }}{% endfor %}", "0,1,2"),
    ],
)
def test_what_letters_do_is_untouched(text: str, made: str) -> None:
    assert environment("html").from_string(text).render() == made


def test_each_letter_starts_its_bounds_again() -> None:
    sandbox = environment("md")
    template = sandbox.from_string("{{ 'x' * 3000000 }}")
    for _ in range(3):
        sandbox.start_letter()
        assert len(template.render()) == 3_000_000
