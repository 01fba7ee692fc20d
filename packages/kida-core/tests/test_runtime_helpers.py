"""The table of runtime helpers is the one contract between generated code and the runtime."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment
from kida_core.protocols import RuntimeGuardHooks
from kida_core.runtime.helpers import HELPERS, LOCALS
from kida_core.runtime.namespace import code_names
from kida_loaders import DictLoader

NAMES = {helper.name for helper in HELPERS}
GUARDED_ONLY = {helper.name for helper in HELPERS if helper.guarded_only}

#: Templates exercising every construct that reads a helper.
SOURCES = {
    "base.html": "{% block head %}H{% end %}|{% block body %}{% end %}",
    "child.html": '{% extends "base.html" %}{% block body %}{{ super() }}!{% end %}',
    "async.html": "{% async for x in xs %}{{ x }}{% end %}{{ await fetch() }}",
    "macros.html": "{% def tag(x, y=1) %}<{{ x }}{{ caller() if has_slot() }}>{% end %}",
    "page.html": """{% from "macros.html" import tag %}{% import "macros.html" as m %}
{% def d(x=missing) %}{% slot %}{% end %}
{% region r(a=1) %}{{ a }}{% end %}
{% for a, b in pairs %}{{ loop.index }}{{ a ~ b }}{{ a + b }}{% else %}none{% end %}
{% for t in tree recursive %}{{ loop(t.kids) }}{% end %}{% set ns = namespace() %}{% set ns.a = 1 %}
{% let n = 0 %}{% while n < 2 %}{% export n = n + 1 %}{% end %}
{{ user.name }}{{ user?.name }}{{ items[0] }}{{ items?[0] }}{{ items[1:2] }}
{{ 2 * 3 }}{{ 2 ** 3 }}{{ 7 % 3 }}{{ 1..3 }}{{ f(1, *items, **opts) }}
{% call tag("t") %}slot{% end %}{{ m.tag("u") }}{% call d() %}s{% end %}
{% match items %}{% case [a, b] %}{{ a }}{% case _ %}-{% end %}
{% try %}{{ 1 / 0 }}{% fallback err %}{{ err.type }}{% end %}
{% cache "k" %}{{ user.name | upper }}{% end %}
{% capture c %}<b>{% end %}{{ c }}{% spaceless %} <i> </i> {% end %}
{% include "child.html" %}{% if x is defined %}{% end %}
{% block cond if user %}{{ undefined_name }}{% end %}""",
}

ENVIRONMENTS: dict[str, dict[str, Any]] = {
    "plain": {},
    "lenient": {"strict_undefined": False},
    "profiling": {"enable_profiling": True},
}


class HooklessGuard:
    max_output_size = None
    redact_errors = False


def global_names(**settings: Any) -> set[str]:
    env = Environment(loader=DictLoader(SOURCES), **settings)
    names: set[str] = set()
    for name in SOURCES:
        names |= {g for g in code_names(env.get_template(name)._code).names if g.startswith("_K_")}
    return names


def test_every_row_has_its_own_names() -> None:
    locals_ = [helper.local for helper in HELPERS if helper.local is not None]
    assert len(NAMES) == len(HELPERS)
    assert len(set(locals_)) == len(locals_) == len(LOCALS)


@pytest.mark.parametrize("settings", list(ENVIRONMENTS.values()), ids=list(ENVIRONMENTS))
def test_every_helper_generated_code_reads_has_a_row(settings: dict[str, Any]) -> None:
    assert global_names(**settings) <= NAMES


def test_guarded_code_reads_only_helpers_of_the_table() -> None:
    names = global_names(runtime_guard=HooklessGuard())
    assert names <= NAMES
    assert names >= GUARDED_ONLY


def test_unguarded_code_reads_no_guard_helper() -> None:
    assert not global_names() & GUARDED_ONLY


def test_every_hook_is_a_method_of_the_protocol() -> None:
    protocol = {name for name in vars(RuntimeGuardHooks) if not name.startswith("_")}
    used = {
        hook.method for helper in HELPERS for hook in (*helper.hooks, *(helper.strict_hooks or ()))
    }
    assert used == protocol - {"patch_namespace"}  # the one hook that is not a helper


def test_a_guard_without_hooks_renders_like_no_guard() -> None:
    context = {"pairs": [(1, 2)], "user": {"name": "ann"}, "items": [1, 2], "opts": {}}
    context["f"] = lambda *args, **kwargs: len(args)
    renders = []
    for guard in (None, HooklessGuard()):
        env = Environment(loader=DictLoader(SOURCES), runtime_guard=guard, strict_undefined=False)
        renders.append(env.get_template("page.html").render(**context))
    assert renders[0] == renders[1]
    assert "ann" in renders[0]
