"""Built-in tests."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from typing import Any

import pytest

from kida_core import builtin_tests as t
from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.decorators import wants_environment
from kida_core.environment import Environment
from kida_core.markup import Markup
from kida_core.render_context import render_context
from kida_core.undefined import UNDEFINED, Undefined


def test_defined() -> None:
    assert t.defined(0) is True
    assert t.defined(None) is True


def test_defined_false_for_undefined() -> None:
    assert t.defined(UNDEFINED) is False
    assert t.defined(Undefined("x")) is False


def test_undefined() -> None:
    assert t.undefined(UNDEFINED) is True
    assert t.undefined("") is False


def test_none() -> None:
    assert t.none(None) is True
    assert t.none(0) is False
    assert t.none(UNDEFINED) is False


def test_true_false_are_identity_checks() -> None:
    assert t.true(True) is True
    assert t.true(1) is False
    assert t.false(False) is True
    assert t.false(0) is False


def test_string() -> None:
    assert t.string("x") is True
    assert t.string(1) is False


def test_number() -> None:
    assert t.number(1) is True
    assert t.number(1.5) is True
    assert t.number(Decimal("2")) is True


def test_number_excludes_bool_and_strings() -> None:
    assert t.number(True) is False
    assert t.number("1") is False


@pytest.mark.parametrize("value", [[1], (1,), "ab", range(3)])
def test_sequence_true(value: Any) -> None:
    assert t.sequence(value) is True


@pytest.mark.parametrize("value", [{"a": 1}, {1}, 5, None, UNDEFINED, (x for x in [])])
def test_sequence_false(value: Any) -> None:
    assert t.sequence(value) is False


def test_mapping() -> None:
    assert t.mapping({}) is True
    assert t.mapping(OrderedDict()) is True
    assert t.mapping([("a", 1)]) is False


def test_iterable() -> None:
    assert t.iterable([]) is True
    assert t.iterable("x") is True
    assert t.iterable(x for x in []) is True
    assert t.iterable(3) is False
    assert t.iterable(None) is False


def test_callable() -> None:
    assert t.callable_test(len) is True
    assert t.callable_test(lambda: 1) is True
    assert t.callable_test("len") is False


def test_odd_even() -> None:
    assert t.odd(3) is True
    assert t.odd(4) is False
    assert t.even(4) is True
    assert t.even(-2) is True
    assert t.even(0) is True


def test_odd_even_integral_float() -> None:
    assert t.odd(3.0) is True
    assert t.even(2.5) is False
    assert t.odd(2.5) is False


def test_odd_even_non_numbers_are_false() -> None:
    assert t.odd("3") is False
    assert t.even(None) is False
    assert t.even(True) is False
    assert t.odd(float("inf")) is False


def test_divisibleby() -> None:
    assert t.divisibleby(9, 3) is True
    assert t.divisibleby(10, 3) is False


def test_divisibleby_zero_raises() -> None:
    with pytest.raises(ZeroDivisionError):
        t.divisibleby(1, 0)


def test_comparisons() -> None:
    assert t.eq(1, 1) is True
    assert t.ne(1, 2) is True
    assert t.lt(1, 2) is True
    assert t.le(2, 2) is True
    assert t.gt(3, 2) is True
    assert t.ge(2, 3) is False


def test_comparison_returns_plain_bool() -> None:
    class Weird:
        def __eq__(self, other: object) -> Any:
            return "yes"

    assert t.eq(Weird(), 1) is True


def test_comparison_type_error_propagates() -> None:
    with pytest.raises(TypeError):
        t.lt(None, 1)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("equalto", "eq"),
        ("==", "eq"),
        ("!=", "ne"),
        ("lessthan", "lt"),
        ("<", "lt"),
        ("<=", "le"),
        ("greaterthan", "gt"),
        (">", "gt"),
        (">=", "ge"),
    ],
)
def test_comparison_aliases(alias: str, name: str) -> None:
    assert DEFAULT_TESTS[alias] is DEFAULT_TESTS[name]


def test_sameas() -> None:
    value: list[int] = []
    assert t.sameas(value, value) is True
    assert t.sameas([], []) is False


def test_in() -> None:
    assert t.in_test(2, [1, 2]) is True
    assert t.in_test("b", "abc") is True
    assert t.in_test("z", {"a": 1}) is False


def test_lower_upper() -> None:
    assert t.lower("abc 1") is True
    assert t.lower("Abc") is False
    assert t.upper("ABC") is True
    assert t.upper("ABc") is False


def test_lower_upper_non_strings() -> None:
    assert t.lower(5) is False
    assert t.upper(None) is False


def test_match() -> None:
    assert t.match("abc123", r"[a-z]+\d+") is True
    assert t.match("x abc", r"abc") is False


def test_match_number_and_none() -> None:
    assert t.match(42, r"\d+") is True
    assert t.match(None, r".*") is False
    assert t.match(UNDEFINED, r".*") is False


def test_hx_request_without_render_context() -> None:
    assert t.hx_request(None) is False


def test_hx_request_from_meta() -> None:
    with render_context() as ctx:
        ctx.set_meta("hx_request", True)
        assert t.hx_request(None) is True


def test_hx_request_from_headers() -> None:
    with render_context() as ctx:
        ctx.set_meta("headers", {"hx-request": "true"})
        assert t.hx_request(None) is True


def test_hx_request_header_false() -> None:
    with render_context() as ctx:
        ctx.set_meta("headers", {"HX-Request": "false"})
        assert t.hx_request(None) is False


def test_hx_request_no_meta() -> None:
    with render_context():
        assert t.hx_request(None) is False


def test_hx_target_from_meta() -> None:
    with render_context() as ctx:
        ctx.set_meta("hx_target", "results")
        assert t.hx_target(None, "results") is True
        assert t.hx_target(None, "#results") is True
        assert t.hx_target(None, "other") is False


def test_hx_target_from_headers() -> None:
    with render_context() as ctx:
        ctx.set_meta("headers", {"HX-Target": "list"})
        assert t.hx_target(None, "list") is True


def test_hx_target_without_render_context() -> None:
    assert t.hx_target(None, "list") is False


def test_hx_boosted() -> None:
    with render_context() as ctx:
        ctx.set_meta("hx_boosted", True)
        assert t.hx_boosted(None) is True


def test_hx_boosted_from_headers() -> None:
    with render_context() as ctx:
        ctx.set_meta("headers", {"HX-Boosted": "true"})
        assert t.hx_boosted(None) is True


def test_hx_boosted_default_false() -> None:
    with render_context():
        assert t.hx_boosted(None) is False


def test_all_tests_return_plain_bool() -> None:
    samples: dict[str, tuple[Any, ...]] = {
        "divisibleby": (4, 2),
        "eq": (1, 1),
        "ne": (1, 1),
        "lt": (1, 1),
        "le": (1, 1),
        "gt": (1, 1),
        "ge": (1, 1),
        "sameas": (1, 1),
        "in": (1, [1]),
        "match": ("a", "a"),
        "hx_target": (None, "x"),
    }
    env = Environment()
    for name, test in DEFAULT_TESTS.items():
        canonical = test.__name__ if test.__name__ in samples else name
        args = samples.get(canonical, (3,))
        if wants_environment(test):
            args = (env, *args)
        assert type(test(*args)) is bool, name


def test_boolean_only_for_true_and_false() -> None:
    assert (t.boolean(True), t.boolean(False), t.boolean(1)) == (True, True, False)


def test_integer_excludes_bools_and_floats() -> None:
    assert (t.integer(1), t.integer(True), t.integer(1.0)) == (True, False, False)


def test_float_only_for_floats() -> None:
    assert (t.float_test(1.0), t.float_test(1)) == (True, False)


def test_escaped_for_markup() -> None:
    assert (t.escaped(Markup("x")), t.escaped("x")) == (True, False)


def test_filter_test_sees_user_filters() -> None:
    env = Environment()
    env.add_filter("shout", str.upper)
    source = "{{ 'shout' is filter }} {{ 'upper' is filter }} {{ 'nope' is filter }}"
    assert env.from_string(source).render() == "True True False"


def test_test_test_sees_user_tests() -> None:
    env = Environment()
    env.add_test("tiny", lambda value: len(value) < 3)
    source = "{{ 'tiny' is test }} {{ 'odd' is test }} {{ 'nope' is test }}"
    assert env.from_string(source).render() == "True True False"


def test_select_uses_user_tests() -> None:
    env = Environment()
    env.add_test("tiny", lambda value: len(value) < 3)
    assert env.from_string("{{ ['a', 'abcd'] | select('tiny') | join }}").render() == "a"


def test_select_with_symbol_test() -> None:
    assert Environment().from_string("{{ [1, 2, 2] | select('==', 2) | list }}").render() == (
        "[2, 2]"
    )
