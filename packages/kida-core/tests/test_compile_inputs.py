"""What the Environment hands the compiler follows its settings and registries.

The Environment reuses the compile inputs of its last compilation while
nothing they hold has changed; these tests pin that a change made between two
compilations reaches the second one.
"""

from __future__ import annotations

from typing import Any

from kida_core import Environment
from kida_core.decorators import pass_context, pure


@pass_context
def shown(ctx: Any, name: str) -> str:
    return str(ctx.get(name))


def test_context_global_added_after_a_compile_sees_template_assignments() -> None:
    env = Environment()
    assert env.from_string("{% set x = 1 %}{{ x }}").render() == "1"
    env.add_global("shown", shown)
    assert env.from_string("{% set x = 1 %}{{ shown('x') }}").render() == "1"


def test_static_context_given_after_a_compile_is_folded_in() -> None:
    env = Environment()
    assert env.from_string("{{ site }}").render(site="runtime") == "runtime"
    env.static_context = {"site": "static"}
    assert env.from_string("{{ site }}").render(site="runtime") == "static"


def test_static_context_changed_in_place_after_a_compile_is_folded_in() -> None:
    env = Environment(static_context={"site": "first"})
    assert env.from_string("{{ site }}").render() == "first"
    assert env.static_context is not None
    env.static_context["site"] = "second"
    assert env.from_string("{{ site }}").render() == "second"


def test_pure_filter_registered_after_a_compile_is_evaluated_with_static_values() -> None:
    calls: list[str] = []

    @pure
    def shout(value: str) -> str:
        calls.append(value)
        return value.upper()

    env = Environment(static_context={"site": "kida"})
    assert env.from_string("{{ site }}").render() == "kida"
    env.add_filter("shout", shout)
    template = env.from_string("{{ site | shout }}")
    assert calls == ["kida"]  # folded while compiling
    assert template.render() == "KIDA"
    assert calls == ["kida"]
