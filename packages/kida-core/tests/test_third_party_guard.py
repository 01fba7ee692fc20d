"""A runtime guard written the way a third party would: a plain class with a few hooks.

``CountingGuard`` inherits from nothing in Kida. It counts attribute lookups and
calls and refuses one attribute; every other hook is left to core.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from kida_core import Environment, ErrorCode, SecurityError, UndefinedError
from kida_core.protocols import RuntimeGuard
from kida_core.runtime.lookup import lookup_attr
from kida_loaders import DictLoader


class CountingGuard:
    """Counts ``obj.name`` lookups by name and calls; ``obj.secret`` is refused."""

    def __init__(self, max_output_size: int | None = None) -> None:
        self.max_output_size = max_output_size
        self.redact_errors = False
        self.lookups: Counter[str] = Counter()
        self.calls = 0

    def getattr(self, obj: Any, name: str) -> Any:
        if name == "secret":
            raise SecurityError("secret is not for templates", code=ErrorCode.BLOCKED_ATTRIBUTE)
        self.lookups[name] += 1
        return lookup_attr(obj, name)

    def call(self, func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return func(*args, **kwargs)


class User:
    def __init__(self, name: str) -> None:
        self.name = name
        self.secret = "hunter2"

    def greeting(self, word: str) -> str:
        return f"{word}, {self.name}"


TEMPLATES = {
    "card.html": "<{{ user.name }}>",
    "list.html": "{% for user in users %}{% include 'card.html' %}{% end %}",
    "page.html": "{% block title %}T{% end %}|{% block body %}{{ user.name }}{% end %}",
}


def guarded(**settings: Any) -> tuple[Environment, CountingGuard]:
    guard = CountingGuard()
    env = Environment(loader=DictLoader(TEMPLATES), runtime_guard=guard, **settings)
    return env, guard


def test_the_guard_satisfies_the_protocol_without_inheriting() -> None:
    guard = CountingGuard()
    assert type(guard).__mro__ == (CountingGuard, object)
    assert isinstance(guard, RuntimeGuard)


def test_the_guard_is_a_public_setting() -> None:
    env, guard = guarded()
    assert env.runtime_guard is guard
    assert env._runtime_guard is guard


def test_attribute_lookups_go_through_the_guard() -> None:
    env, guard = guarded()
    assert env.from_string("{{ user.name }}!").render(user=User("ann")) == "ann!"
    assert guard.lookups == {"name": 1}


def test_lookups_are_counted_in_lenient_environments_too() -> None:
    env, guard = guarded(strict_undefined=False)
    template = env.from_string("{{ user.name }}[{{ user.missing }}]")
    assert template.render(user=User("ann")) == "ann[]"
    assert guard.lookups == {"name": 1, "missing": 1}


def test_a_miss_still_raises_in_strict_environments() -> None:
    env, _ = guarded()
    with pytest.raises(UndefinedError, match="missing"):
        env.from_string("{{ user.missing }}").render(user=User("ann"))


def test_the_guard_refuses_an_attribute() -> None:
    env, _ = guarded()
    with pytest.raises(SecurityError, match="secret is not for templates") as info:
        env.from_string("{{ user.secret }}").render(user=User("ann"))
    assert info.value.lineno == 1


def test_for_loops_use_the_core_iteration_when_the_guard_has_none() -> None:
    env, guard = guarded()
    template = env.from_string("{% for u in users %}{{ loop.index }}{{ u.name }} {% end %}")
    assert template.render(users=[User("a"), User("b")]) == "1a 2b "
    assert guard.lookups == {"name": 2}


def test_while_loops_run_without_a_loop_budget() -> None:
    env, _ = guarded()
    source = "{% let n = 0 %}{% while n < 3 %}{{ n }}{% export n = n + 1 %}{% end %}"
    assert env.from_string(source).render() == "012"


def test_operators_use_the_core_implementations() -> None:
    env, _ = guarded()
    assert env.from_string("{{ 2 ** 3 }} {{ 7 % 3 }} {{ 'ab' * 2 }}").render() == "8 1 abab"


def test_calls_go_through_the_guard() -> None:
    env, guard = guarded()
    template = env.from_string("{{ user.greeting('hi') }}")
    assert template.render(user=User("ann")) == "hi, ann"
    assert guard.calls == 1
    assert guard.lookups == {"greeting": 1}


def test_calls_of_defs_and_caller_go_through_the_guard() -> None:
    env, guard = guarded()
    source = "{% def box() %}[{{ caller() }}]{% end %}{% call box() %}x{% end %}{{ box() }}"
    assert env.from_string(source).render() == "[x][]"
    assert guard.calls == 4  # box() twice (by {% call %} and directly), caller() in each


def test_includes_are_guarded() -> None:
    env, guard = guarded()
    output = env.get_template("list.html").render(users=[User("a"), User("b")])
    assert output == "<a><b>"
    assert guard.lookups == {"name": 2}


def test_render_stream_is_guarded() -> None:
    env, guard = guarded()
    chunks = env.get_template("list.html").render_stream(users=[User("a")])
    assert "".join(chunks) == "<a>"
    assert guard.lookups == {"name": 1}


def test_render_stream_async_is_guarded() -> None:
    env, guard = guarded()
    template = env.get_template("list.html")

    async def collect(stream: AsyncIterator[str]) -> str:
        return "".join([chunk async for chunk in stream])

    assert asyncio.run(collect(template.render_stream_async(users=[User("a")]))) == "<a>"
    assert guard.lookups == {"name": 1}


def test_render_block_is_guarded() -> None:
    env, guard = guarded()
    assert env.get_template("page.html").render_block("body", user=User("ann")) == "ann"
    assert guard.lookups == {"name": 1}


def test_the_guard_limits_output() -> None:
    env = Environment(runtime_guard=CountingGuard(max_output_size=5))
    assert env.from_string("{{ 'a' * 5 }}").render() == "aaaaa"
    with pytest.raises(SecurityError, match="exceeds the limit of 5"):
        env.from_string("{{ 'a' * 6 }}").render()


class PatchingGuard:
    """A guard in the original engine's style: it edits the namespace itself."""

    max_output_size = None
    redact_errors = False

    def __init__(self) -> None:
        self.items: list[Any] = []

    def patch_namespace(self, namespace: dict[str, Any]) -> None:
        core_getitem = namespace["_K_getitem"]

        def recording_getitem(obj: Any, key: Any) -> Any:
            self.items.append(key)
            return core_getitem(obj, key)

        namespace["_K_getitem"] = recording_getitem


def test_a_guard_may_patch_the_namespace_after_core_installed_its_hooks() -> None:
    guard = PatchingGuard()
    env = Environment(runtime_guard=guard)
    rendered = env.from_string("{% for row in rows %}{{ row['id'] }};{% end %}").render(
        rows=[{"id": 1}, {"id": 2}]
    )
    assert rendered == "1;2;"
    assert guard.items == ["id", "id"]


def test_a_guard_lacking_the_required_properties_is_refused_with_what_is_missing() -> None:
    class OnlyHooks:
        def getattr(self, obj: Any, name: str) -> Any:
            return lookup_attr(obj, name)

    with pytest.raises(TypeError, match=r"OnlyHooks lacks max_output_size, redact_errors"):
        Environment(runtime_guard=OnlyHooks())  # type: ignore[arg-type]
