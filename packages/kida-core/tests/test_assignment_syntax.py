"""Assignment values and targets: implicit tuples, trailing commas, nested targets."""

from __future__ import annotations

from typing import Any

from kida_core import Environment

ENV = Environment()


def render(source: str, **context: Any) -> str:
    return ENV.from_string(source).render(**context)


def test_set_comma_separated_values_are_a_tuple() -> None:
    seen: list[Any] = []
    render("{% set x = 1, 2 %}{{ keep(x) }}", keep=seen.append)
    assert seen == [(1, 2)]


def test_set_trailing_comma_makes_a_one_item_tuple() -> None:
    seen: list[Any] = []
    render("{% set a = 1, %}{{ keep(a) }}", keep=seen.append)
    assert seen == [(1,)]


def test_let_comma_separated_values_are_a_tuple() -> None:
    assert render("{% let t = 'a', 'b' %}{{ t | join('-') }}") == "a-b"


def test_set_several_assignments_still_split_at_commas() -> None:
    assert render("{% set a = 1, b = 2 %}{{ a }}{{ b }}") == "12"


def test_set_tuple_value_then_another_assignment() -> None:
    assert render("{% set x = 1, 2, y = 3 %}{{ x | join }}{{ y }}") == "123"


def test_set_tuple_target_after_an_assignment() -> None:
    assert render("{% set x = 0, a, b = pair %}{{ x }}{{ a }}{{ b }}", pair=(1, 2)) == "012"


def test_set_comparison_after_comma_stays_in_the_tuple() -> None:
    seen: list[Any] = []
    render("{% set t = 1, b == 2 %}{{ keep(t) }}", b=2, keep=seen.append)
    assert seen == [(1, True)]


def test_set_tuple_target_takes_implicit_tuple() -> None:
    assert render("{% set a, b = 1, 2 %}{{ a }}{{ b }}") == "12"


def test_set_nested_targets_unpack() -> None:
    source = "{% set (a, (b, c)), d = value %}{{ a }}{{ b }}{{ c }}{{ d }}"
    assert render(source, value=((1, (2, 3)), 4)) == "1234"


def test_set_parenthesised_target_unpacks() -> None:
    assert render("{% set (a, b) = pair %}{{ a }}{{ b }}", pair=[5, 6]) == "56"


def test_with_one_value_unpacks_into_several_names() -> None:
    source = "{% with pair as a, b %}{{ a }}+{{ b }}{% end %}"
    assert render(source, pair=(1, 2)) == "1+2"


def test_with_coalesced_tuple_unpacks_when_value_missing() -> None:
    seen: list[Any] = []
    source = "{% with (x ?? (none, none)) as a, b %}{{ keep((a, b)) }}{% end %}"
    render(source, keep=seen.append)
    assert seen == [(None, None)]


def test_with_coalesced_tuple_unpacks_given_value() -> None:
    source = "{% with (x ?? (none, none)) as a, b %}{{ a }}/{{ b }}{% end %}"
    assert render(source, x=("l", "r")) == "l/r"


def test_with_unpacking_value_falsy_renders_else() -> None:
    source = "{% with pair as a, b %}{{ a }}{% else %}none{% end %}"
    assert render(source, pair=()) == "none"
