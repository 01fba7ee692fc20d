"""Recursive loops, ``namespace()``, ``cycler()`` and ``joiner()`` under the sandbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from kida_core.errors import ErrorCode, SecurityError, TemplateRuntimeError
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

TREE = [
    {"name": "a", "children": [{"name": "b", "children": []}]},
    {"name": "c", "children": []},
]


@dataclass
class Profile:
    name: str = "ada"


def render(source: str, policy: SandboxPolicy | None = None, **context: Any) -> str:
    return SandboxedEnvironment(sandbox_policy=policy).from_string(source).render(**context)


def test_a_recursive_loop_renders() -> None:
    source = "{% for n in tree recursive %}<{{ n.name }}{{ loop(n.children) }}>{% end %}"
    assert render(source, tree=TREE) == "<a<b>><c>"


def test_recursive_levels_share_one_iteration_budget() -> None:
    # Three items in all, each level within the limit: the budget counts them together.
    source = "{% for n in tree recursive %}{{ loop(n.children) }}{% end %}"
    assert render(source, SandboxPolicy(max_loop_iterations=3), tree=TREE) == ""
    with pytest.raises(SecurityError) as info:
        render(source, SandboxPolicy(max_loop_iterations=2), tree=TREE)
    assert info.value.code is ErrorCode.RANGE_LIMIT


def test_a_recursion_that_multiplies_iterations_is_stopped() -> None:
    source = (
        "{% for x in [1, 2] recursive %}{% if loop.depth < 40 %}{{ loop([1, 2]) }}{% end %}"
        "{% end %}"
    )
    with pytest.raises(SecurityError, match="iterations"):
        render(source, SandboxPolicy(max_loop_iterations=1000))


def test_namespace_cycler_and_joiner_are_usable() -> None:
    source = (
        "{% set ns = namespace(n=0) %}{% set row = cycler('odd', 'even') %}"
        "{% set sep = joiner('|') %}{% for x in [1, 2, 3] %}{% set ns.n = ns.n + x %}"
        "{{ sep() }}{{ row.next() }}{% end %} {{ ns.n }}"
    )
    assert render(source) == "odd|even|odd 6"


def test_attribute_writes_on_other_objects_are_refused() -> None:
    profile = Profile()
    with pytest.raises(TemplateRuntimeError, match="non-namespace object"):
        render("{% set p.name = 'mallory' %}", p=profile)
    assert profile.name == "ada"


def test_private_namespace_attributes_stay_unreadable() -> None:
    with pytest.raises(SecurityError) as info:
        render("{% set ns = namespace() %}{% set ns._x = 1 %}{{ ns._x }}")
    assert info.value.code is ErrorCode.BLOCKED_ATTRIBUTE
