"""The ``namespace()``, ``cycler()`` and ``joiner()`` globals and ``{% set ns.attr %}``."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from kida_core import Environment
from kida_core.errors import TemplateRuntimeError, TemplateSyntaxError, UndefinedError
from kida_core.runtime.trust import TRUSTED_MARK, is_trusted
from kida_core.template_globals import Joiner, Namespace


def render(source: str, **context: Any) -> str:
    return Environment().from_string(source).render(**context)


def test_writes_in_a_loop_are_visible_after_it() -> None:
    source = (
        "{% set ns = namespace(total=0) %}{% for x in xs %}{% if x %}"
        "{% set ns.total = ns.total + x %}{% end %}{% end %}{{ ns.total }}"
    )
    assert render(source, xs=[1, 0, 2]) == "3"


def test_the_block_form_stores_the_rendered_body_as_markup() -> None:
    source = "{% set ns = namespace() %}{% set ns.html %}<b>{{ x }}</b>{% endset %}{{ ns.html }}"
    assert render(source, x="<") == "<b>&lt;</b>"


def test_the_block_form_applies_its_filters() -> None:
    source = (
        "{% set ns = namespace() %}{% set ns.text | upper | trim %} ab {% end %}[{{ ns.text }}]"
    )
    assert render(source) == "[AB]"


def test_a_namespace_passed_in_the_context_is_written() -> None:
    ns = Namespace(seen=0)
    render("{% set ns.seen = ns.seen + 1 %}", ns=ns)
    assert ns.seen == 1


def test_a_write_at_the_top_level_is_seen_by_render_block() -> None:
    template = Environment().from_string(
        "{% set ns = namespace() %}{% set ns.title = 'Docs' %}"
        "{% block head %}{{ ns.title }}{% end %}"
    )
    assert template.render_block("head") == "Docs"


def test_assigning_an_attribute_of_another_object_is_a_runtime_error() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% set d = {} %}\n{% set d.a = 1 %}")
    assert "cannot assign attribute on non-namespace object" in info.value.message
    assert info.value.lineno == 2


def test_a_missing_namespace_attribute_is_undefined() -> None:
    with pytest.raises(UndefinedError, match="missing"):
        render("{% set ns = namespace(a=1) %}{{ ns.missing }}")


def test_namespace_attributes_shadow_nothing_of_the_class() -> None:
    ns = Namespace(set_attribute="stored", items=[1])
    assert (ns.set_attribute, ns.items) == ("stored", [1])
    assert dir(ns) == ["items", "set_attribute"]
    assert repr(ns) == "<Namespace {'set_attribute': 'stored', 'items': [1]}>"


def test_a_namespace_copies_and_pickles_with_its_attributes() -> None:
    ns = Namespace(a=[1])
    assert repr(copy.deepcopy(ns)) == repr(pickle.loads(pickle.dumps(ns))) == repr(ns)


def test_python_code_cannot_set_namespace_attributes_directly() -> None:
    with pytest.raises(AttributeError):
        Namespace().x = 1  # type: ignore[attr-defined]


def test_cycler_steps_through_its_items() -> None:
    source = (
        "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.current }}{{ c.next() }}"
    )
    assert render(source) == "abaa"


def test_cycler_reset_starts_over() -> None:
    source = (
        "{% set c = cycler(1, 2, 3) %}{{ c.next() }}{{ c.next() }}"
        "{% set _ = c.reset() %}{{ c.next() }}"
    )
    assert render(source) == "121"


def test_cycler_without_items_is_a_runtime_error() -> None:
    with pytest.raises(TemplateRuntimeError, match="at least one item"):
        render("{% set c = cycler() %}")


def test_joiner_returns_nothing_first_then_the_separator() -> None:
    source = "{% set j = joiner(' / ') %}{% for x in xs %}{{ j() }}{{ x }}{% end %}"
    assert render(source, xs=["a", "b", "c"]) == "a / b / c"


def test_joiners_are_trusted_callables() -> None:
    assert is_trusted(Joiner())
    assert TRUSTED_MARK == "__kida_trusted__"


@pytest.mark.parametrize("source", ["{% let ns.a = 1 %}", "{% export ns.a = 1 %}"])
def test_only_set_assigns_an_attribute(source: str) -> None:
    with pytest.raises(TemplateSyntaxError, match="cannot assign to an attribute"):
        render(source)
