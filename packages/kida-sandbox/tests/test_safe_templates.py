"""Realistic templates render under the sandbox exactly as they do without it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode, SecurityError
from kida_core.protocols import RuntimeGuard
from kida_loaders import DictLoader
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

SAFE: dict[str, str] = {
    "loop": "{% for u in users %}{{ loop.index }}:{{ u.name }}{% if not loop.last %}, {% end %}{% end %}",  # noqa: E501
    "loop-else": "{% for u in [] %}x{% empty %}none{% end %}",
    "filters": "{{ x | upper }} {{ items | sort | join(',') }} {{ d | length }} {{ 3.14159 | round(2) }}",  # noqa: E501
    "attr-filter": '{{ user | attr("name") }}',
    "map-attribute": '{{ users | map(attribute="name") | join(", ") }}',
    "map-method": '{{ ["a", "b"] | map("upper") | join }}',
    "selectattr": '{{ users | selectattr("age", "gt", 35) | map(attribute="name") | list }}',
    "sort-attribute": '{{ users | sort(attribute="age", reverse=true) | map(attribute="name") | join }}',  # noqa: E501
    "groupby": '{% for g in users | groupby("age") %}{{ g.grouper }}={{ g.list | length }};{% end %}',  # noqa: E501
    "sum-attribute": '{{ users | sum(attribute="age") }}',
    "str-methods": '{{ "a,b".split(",") | join("+") }} {{ x.replace("s", "S") }} {{ "Hi".lower() }}',  # noqa: E501
    "str-padding": '[{{ "ab".ljust(4) }}][{{ "7".zfill(3) }}]',
    "dict-items": "{% for k, v in d.items() %}{{ k }}={{ v }};{% end %}",
    "dict-get": '{{ d.get("a") }} {{ d.get("zz", "none") }} {{ d.keys() | list }}',
    "format-kwargs": '{{ "{name}!".format(name=user.name) }}',
    "format-attr": '{{ "{0.title} by {0.author.name}".format(post) }}',
    "format-map": '{{ "{a}-{b}".format_map(d) }}',
    "format-filter": '{{ "{} of {}" | format(1, 2) }} {{ "{:>5}" | format("x") }}',
    "percent": '{{ "%s has %d" % (user.name, 3) }} {{ "%(a)s" % d }} {{ "%05.1f" % 3.14159 }}',
    "arithmetic": "{{ 2 ** 10 }} {{ 7 % 3 }} {{ 3 * 4 }} {{ 'ab' * 3 }} {{ [0] * 3 }}",
    "ranges": "{{ range(3) | list }} {{ 1..3 | list }} {{ 0...6 by 2 | list }}",
    "comprehension": "{{ [i * 2 for i in items if i > 1] }}",
    "while": "{% let i = 0 %}{% while i < 3 %}{{ i }}{% export i = i + 1 %}{% end %}",
    "concat": "{{ user.name ~ '!' }} {{ 'a' + 'b' }} {{ 1 + 2 }}",
    "def-call": "{% def greet(who) %}Hello {{ who }}{% end %}{{ greet(user.name) }}",
    "call-slot": "{% def box() %}[{% slot %}]{% end %}{% call box() %}{{ x }}{% end %}",
    "caller": "{% def box() %}<{{ caller() }}{{ has_slot() }}>{% end %}{% call box() %}in{% end %}",
    "methods": "{{ user.greet() }}",
    "globals": "{{ len(items) }} {{ sorted(items) }} {{ dict(a=1) }} {{ max(items) }} {{ str(5) }}",
    "markup": '{{ Markup("<b>{}</b>").format("<i>") }}',
    "try": "{% try %}{{ 1 // 0 }}{% fallback %}recovered{% end %}",
    "optional": "{{ user?.name }} {{ none_value?.name ?? 'dflt' }} {{ user.missing ?? 'm' }}",
    "undefined-test": "{{ user.missing is defined }} {{ user.name is defined }}",
    "set-ops": "{{ s.union([3]) | sort }}",
    # the checking higher-order globals and integer lookups behave like the plain ones
    "map-global": '{{ map(str, items) | list }} {{ list(map(len, ["ab", "c"])) }} {{ map("{}!".format, items) | list }}',  # noqa: E501
    "filter-global": "{{ filter(none, [0, 1, 2]) | list }} {{ list(filter(bool, items)) }}",
    "sorted-global": "{{ sorted(items) }} {{ sorted(items, reverse=true) }} {{ sorted(d) }}",
    "sorted-key-def": '{% def age(u) %}{{ u.age }}{% end %}{{ sorted(users, key=age, reverse=true) | map(attribute="name") | join }}',  # noqa: E501
    "min-max-global": '{{ min(items) }} {{ max(items) }} {{ max(1, 2) }} {{ min([], default="none") }} {{ max(["a", "bb"], key=len) }}',  # noqa: E501
    "nested-map-of-safe-callables": '{{ list(map(list, map(map, [str], [[1, 2]]))) }}',
    "map-attribute-int": '{{ [[1, 2], [3, 4]] | map(attribute=0) | list }} {{ [[1, 2], [3, 4]] | map(attribute="1") | list }}',  # noqa: E501
    "sort-int-attribute": '{{ [[2, "b"], [1, "a"]] | sort(attribute=0) | map(attribute=1) | join }}',  # noqa: E501
    "groupby-int-attribute": '{% for g in [[1, "a"], [2, "b"], [1, "c"]] | groupby(0) %}{{ g.grouper }}:{{ g.list | length }};{% end %}',  # noqa: E501
    "sum-int-attribute": "{{ [[1, 2], [3, 4]] | sum(attribute=1) }}",
    "get-filter": '{{ [1, 2] | get(1) }} {{ [1] | get(5, "d") }} {{ d | get("a") }} {{ d | get("zz", "none") }}',  # noqa: E501
    "items-filters": '{{ d | dictsort(by="value") }} <a {{ {"href": "x", "items": 1} | xmlattr }}>',
    "nested-items": '{{ [[1, [2, 3]]][0][1][0] }} {{ {"a": {"b": [4]}}.a.b[0] }} {{ items[1:] }}',
}  # fmt: skip


def _context() -> dict[str, Any]:
    from dataclasses import dataclass

    from kida_core.markup import Markup

    @dataclass
    class User:
        name: str
        age: int

        def greet(self) -> str:
            return f"hi {self.name}"

    @dataclass
    class Post:
        title: str
        author: User

    ann, bob = User("ann", 30), User("bob", 40)
    return {
        "x": "s",
        "items": [3, 1, 2],
        "d": {"a": 1, "b": 2},
        "s": {1, 2},
        "user": ann,
        "users": [ann, bob],
        "post": Post("Hello", ann),
        "none_value": None,
        "Markup": Markup,
    }


@pytest.mark.parametrize("source", SAFE.values(), ids=SAFE.keys())
def test_renders_like_an_unsandboxed_environment(source: str) -> None:
    ctx = _context()
    expected = Environment().from_string(source).render(**ctx)
    assert SandboxedEnvironment().from_string(source).render(**ctx) == expected


def test_guard_satisfies_the_core_protocol() -> None:
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_output_size=5))
    assert isinstance(env._runtime_guard, RuntimeGuard)
    assert env._runtime_guard.max_output_size == 5
    assert env.sandbox_policy == SandboxPolicy(max_output_size=5)
    assert SandboxedEnvironment().sandbox_policy == SandboxPolicy()


LAYOUTS = {
    "base.html": "<title>{% block title %}Site{% end %}</title>{% block body %}{% end %}",
    "macros.html": "{% def card(u) %}<li>{{ u.name | title }}</li>{% end %}",
    "row.html": "<tr>{{ u.name }}</tr>",
    "page.html": (
        '{% extends "base.html" %}{% from "macros.html" import card %}'
        "{% block title %}Users{% end %}"
        '{% block body %}<ul>{% for u in users %}{{ card(u) }}{% include "row.html" %}'
        "{% end %}</ul>{% end %}"
    ),
}


def test_inheritance_imports_and_includes_work_across_render_paths() -> None:
    ctx = _context()
    plain_env = Environment(loader=DictLoader(LAYOUTS))
    sandboxed_env = SandboxedEnvironment(loader=DictLoader(LAYOUTS))
    plain = plain_env.get_template("page.html")
    sandboxed = sandboxed_env.get_template("page.html")
    expected = plain.render(**ctx)
    assert "<li>Ann</li>" in expected
    assert sandboxed.render(**ctx) == expected
    assert "".join(sandboxed.render_stream(**ctx)) == expected
    assert sandboxed.render_block("body", **ctx) == plain.render_block("body", **ctx)
    assert asyncio.run(sandboxed.render_async(**ctx)) == expected


def test_async_for_renders() -> None:
    async def numbers() -> Any:
        for i in range(3):
            yield i

    async def run() -> str:
        template = SandboxedEnvironment().from_string("{% async for i in nums %}{{ i }}{% end %}")
        return "".join([c async for c in template.render_stream_async(nums=numbers())])

    assert asyncio.run(run()) == "012"


# -- widening the policy -------------------------------------------------------------------


def test_allowing_a_mutating_method() -> None:
    src = "{% let xs = [1] %}{{ xs.append(2) ?? '' }}{{ xs }}"
    with pytest.raises(SecurityError) as info:
        SandboxedEnvironment().from_string(src).render()
    assert info.value.code is ErrorCode.BLOCKED_ATTRIBUTE
    policy = SandboxPolicy().allowing_methods(list, "append")
    assert SandboxedEnvironment(sandbox_policy=policy).from_string(src).render() == "[1, 2]"


def test_allow_mutating_methods_flag() -> None:
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(allow_mutating_methods=True))
    assert env.from_string("{{ d.update(b=2) ?? '' }}{{ d.b }}").render(d={"a": 1}) == "2"


def test_allowing_a_private_attribute_on_one_class() -> None:
    class Row:
        _id = 7

    policy = SandboxPolicy().allowing_methods(Row, "_id")
    env = SandboxedEnvironment(sandbox_policy=policy)
    assert env.from_string("{{ row._id }}").render(row=Row()) == "7"
    with pytest.raises(SecurityError):
        env.from_string("{{ other._id }}").render(other=type("Other", (), {"_id": 1})())


def test_dunders_cannot_be_allowed() -> None:
    with pytest.raises(ValueError, match="dunders"):
        SandboxPolicy().allowing_methods(str, "__class__")


def test_allowing_a_callable() -> None:
    def shout(text: str) -> str:
        return text.upper() + "!"

    src = "{{ shout('hi') }}"
    with pytest.raises(SecurityError) as info:
        SandboxedEnvironment().from_string(src).render(shout=shout)
    assert info.value.code is ErrorCode.BLOCKED_CALLABLE
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy().allowing_callables(shout))
    assert env.from_string(src).render(shout=shout) == "HI!"


def test_reflection_callables_cannot_be_marked_safe() -> None:
    with pytest.raises(ValueError, match="reflection"):
        SandboxPolicy().allowing_callables(eval)


def test_globals_are_trusted_callables() -> None:
    env = SandboxedEnvironment()
    env.add_global("shout", lambda text: text.upper())
    assert env.from_string("{{ shout('a') }}").render() == "A"


def test_allowed_attributes_allowlist() -> None:
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(allowed_attributes=frozenset({"name"})))
    ctx = _context()
    assert env.from_string("{{ user.name }} {{ d.items() | list }}").render(**ctx) == (
        "ann [(&#39;a&#39;, 1), (&#39;b&#39;, 2)]"
    )
    with pytest.raises(SecurityError) as info:
        env.from_string("{{ user.age }}").render(**ctx)
    assert info.value.code is ErrorCode.BLOCKED_ATTRIBUTE


def test_blocked_attributes_and_types() -> None:
    from decimal import Decimal

    policy = SandboxPolicy(
        blocked_attributes=frozenset({"age"}), blocked_types=frozenset({Decimal})
    )
    env = SandboxedEnvironment(sandbox_policy=policy)
    with pytest.raises(SecurityError) as info:
        env.from_string("{{ user.age }}").render(**_context())
    assert info.value.code is ErrorCode.BLOCKED_ATTRIBUTE
    with pytest.raises(SecurityError) as info:
        env.from_string("{{ price.real }}").render(price=Decimal(1))
    assert info.value.code is ErrorCode.BLOCKED_TYPE


def test_allow_calling_type_names() -> None:
    only_functions = SandboxPolicy(allow_calling=frozenset({"function"}))
    env = SandboxedEnvironment(sandbox_policy=only_functions)
    src = "{% def f() %}def{% end %}{{ f() }}{{ g() }}"
    assert env.from_string(src).render(g=lambda: "+lambda") == "def+lambda"
    with pytest.raises(SecurityError):
        env.from_string("{{ x.upper() }}").render(x="a")
    nothing = SandboxedEnvironment(sandbox_policy=SandboxPolicy(allow_calling=frozenset()))
    with pytest.raises(SecurityError):
        nothing.from_string("{% def f() %}x{% end %}{{ f() }}").render()


def test_larger_limits_are_honoured() -> None:
    policy = SandboxPolicy(max_range=20_000, max_repetition=200_000)
    env = SandboxedEnvironment(sandbox_policy=policy)
    assert env.from_string(
        "{{ range(15000) | length }} {{ ('a' * 150000) | length }}"
    ).render() == ("15000 150000")


def test_profiled_defs_stay_callable() -> None:
    from kida_core.render_accumulator import profiled_render

    env = SandboxedEnvironment(enable_profiling=True)
    template = env.from_string("{% def f() %}x{% end %}{{ f() }}")
    with profiled_render():
        assert template.render() == "x"
    with pytest.raises(SecurityError):
        env.from_string("{{ g() }}").render(g=lambda: 1)


async def test_async_for_loops_are_capped_by_max_loop_iterations() -> None:
    from kida import SandboxedEnvironment, SandboxPolicy, SecurityError

    async def numbers():  # type: ignore[no-untyped-def]
        for i in range(100):
            yield i

    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_loop_iterations=10))
    template = env.from_string("{% async for n in numbers %}{{ n }}{% end %}", name="a.html")
    with pytest.raises(SecurityError) as info:
        await template.render_async(numbers=numbers())
    assert info.value.code is ErrorCode.RANGE_LIMIT
    assert "a.html" in str(info.value)


async def test_async_for_within_the_budget_renders() -> None:
    from kida import SandboxedEnvironment, SandboxPolicy

    async def numbers():  # type: ignore[no-untyped-def]
        for i in range(3):
            yield i

    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_loop_iterations=10))
    template = env.from_string("{% async for n in numbers %}{{ n }}{% end %}", name="a.html")
    assert await template.render_async(numbers=numbers()) == "012"
