"""LoopContext and AsyncLoopContext, used directly."""

from __future__ import annotations

import pytest

from kida_core import (
    AsyncLoopContext,
    Environment,
    ErrorCode,
    LoopContext,
    TemplateRuntimeError,
)


def states(items: list[str]) -> list[tuple[object, ...]]:
    loop = LoopContext(items)
    return [
        (loop.index, loop.index0, loop.first, loop.last, loop.revindex, loop.revindex0, item)
        for item in loop
    ]


def test_loop_context_tracks_position_while_iterating() -> None:
    assert states(["a", "b", "c"]) == [
        (1, 0, True, False, 3, 2, "a"),
        (2, 1, False, False, 2, 1, "b"),
        (3, 2, False, True, 1, 0, "c"),
    ]


def test_loop_context_knows_its_length() -> None:
    assert LoopContext(["a", "b"]).length == 2


def test_previtem_and_nextitem_are_none_at_the_edges() -> None:
    loop = LoopContext([1, 2, 3])
    seen = [(loop.previtem, loop.nextitem) for _ in loop]
    assert seen == [(None, 2), (1, 3), (2, None)]


def test_cycle_picks_by_position() -> None:
    loop = LoopContext(range(4))
    assert [loop.cycle("odd", "even") for _ in loop] == ["odd", "even", "odd", "even"]


def test_cycle_without_values_is_none() -> None:
    loop = LoopContext([1])
    assert [loop.cycle() for _ in loop] == [None]


def test_cycle_without_values_renders_none_in_a_template() -> None:
    env = Environment()
    template = env.from_string("{% for x in xs %}[{{ loop.cycle() is none }}]{% end %}")
    assert template.render(xs=[1, 2]) == "[True][True]"


def test_async_loop_context_moves_forward() -> None:
    loop = AsyncLoopContext()
    seen = []
    for item in ("x", "y"):
        loop.advance(item)
        seen.append((loop.index, loop.index0, loop.first, loop.previtem, loop.cycle("a", "b")))
    assert seen == [(1, 0, True, None, "a"), (2, 1, False, "x", "b")]


@pytest.mark.parametrize("prop", ["last", "length", "revindex", "revindex0", "nextitem"])
def test_async_loop_context_has_no_length_dependent_properties(prop: str) -> None:
    loop = AsyncLoopContext()
    loop.advance("x")
    with pytest.raises(TemplateRuntimeError) as info:
        getattr(loop, prop)
    assert f"loop.{prop}" in str(info.value)
    assert info.value.code is ErrorCode.RUNTIME_ERROR


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% for v in xs %}{% for w in xs if loop.index > 1 %}"
            "{{ loop.index }}{% end %};{% end %}",
            ";12;",
        ),
        ("{% for v in xs %}{% for w in xs if loop.first %}{{ w }}{% end %};{% end %}", "12;;"),
        (
            "{% for v in xs %}{% for w in [loop.cycle('a', 'b')] if loop %}"
            "{{ w }}{% end %}{% end %}",
            "ab",
        ),
    ],
)
def test_inner_loop_filter_sees_the_outer_loop(source: str, expected: str) -> None:
    # As in Jinja2: the filter runs before the inner loop binds its own ``loop``.
    assert Environment().from_string(source).render(xs=[1, 2]) == expected


def test_inner_loop_else_sees_the_outer_loop_object() -> None:
    # ``loop.index`` alone would compile the outer loop to a bare counter;
    # ``previtem`` in the inner ``else`` needs the outer loop's LoopContext.
    source = (
        "{% for v in xs %}{{ loop.index }}{% for w in [] %}{% else %}"
        "{{ loop.previtem ?? '-' }}{% end %};{% end %}"
    )
    assert Environment().from_string(source).render(xs=[1, 2]) == "1-;21;"


def test_inner_loop_else_sees_the_outer_loop_length() -> None:
    source = (
        "{% for v in xs %}{% for w in [] %}{% else %}"
        "{{ loop.index }}/{{ loop.length }}{% end %};{% end %}"
    )
    assert Environment().from_string(source).render(xs=[1, 2]) == "1/2;2/2;"
