"""``{{ d(...) }}``: a def called as a whole output writes into the caller's output.

The text is the same as the def's Markup result would give; these tests pin
what must not change with it: a failing def leaves no partial output, the
output keyword cannot be smuggled in, the def still works as a value, and
``super()`` written to output keeps its errors.
"""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment, Markup, TemplateRuntimeError
from kida_core.errors import ErrorCode
from kida_core.render_accumulator import profiled_render
from kida_loaders import DictLoader


def render(source: str, **context: Any) -> str:
    return Environment(autoescape=True).from_string(source, name="t.html").render(**context)


def test_a_def_failing_midway_leaves_none_of_its_output() -> None:
    source = (
        "{% def d() %}partial{{ missing.attr }}{% end %}"
        "<{% try %}[{{ d() }}]{% fallback %}fallback{% end %}>"
    )
    assert render(source) == "<fallback>"


def test_the_output_keyword_cannot_be_passed_with_double_star() -> None:
    received: list[str] = []
    source = '{% def d() %}x{% end %}{{ d(**{"<into>": sink}) }}'
    with pytest.raises(TemplateRuntimeError) as info:
        render(source, sink=lambda text: received.append(text))
    assert info.value.code is ErrorCode.COMPONENT_CALL_SIGNATURE
    assert received == []


def test_the_output_keyword_refuses_builtin_methods_of_other_objects() -> None:
    received: set[str] = set()
    source = '{% def d() %}x{% end %}{{ d(**{"<into>": sink}) }}'
    with pytest.raises(TemplateRuntimeError) as info:
        render(source, sink=received.add)
    assert info.value.code is ErrorCode.COMPONENT_CALL_SIGNATURE
    assert received == set()


def test_the_output_keyword_in_double_star_keeps_the_usual_call() -> None:
    # ``**`` arguments are not passed the caller's output: the keyword is refused.
    source = '{% def d(**kw) %}{{ kw | length }}{% end %}{{ d(**{"<into>": 1}) }}'
    with pytest.raises(TemplateRuntimeError) as info:
        render(source)
    assert info.value.code is ErrorCode.COMPONENT_CALL_SIGNATURE


def test_a_def_called_as_output_still_returns_markup_as_a_value() -> None:
    env = Environment(autoescape=True)
    template = env.from_string(
        "{% def d(v) %}<b>{{ v }}</b>{% end %}{{ d('<') }}{% export r = d('&') %}"
    )
    assert template.render() == "<b>&lt;</b>"
    module = template.make_module()
    assert module.r == Markup("<b>&amp;</b>")
    assert isinstance(module.d("x"), Markup)


def test_a_def_called_as_output_in_a_streamed_render_streams_the_same_text() -> None:
    source = "{% def d(i) %}<{{ i }}>{% end %}{% for i in range(3) %}{{ d(i) }},{% end %}"
    template = Environment(autoescape=True).from_string(source)
    assert "".join(template.render_stream()) == template.render() == "<0>,<1>,<2>,"


def test_mutual_recursion_without_end_is_a_located_runtime_error() -> None:
    source = "{% def a() %}{{ b() }}{% end %}{% def b() %}{{ a() }}{% end %}\n{{ a() }}"
    with pytest.raises(TemplateRuntimeError) as info:
        render(source)
    assert info.value.template_name == "t.html"
    assert info.value.lineno is not None


def test_profiling_still_counts_defs_called_as_output() -> None:
    template = Environment(enable_profiling=True).from_string(
        "{% def d() %}x{% end %}{{ d() }}{{ d() }}"
    )
    with profiled_render() as metrics:
        assert template.render() == "xx"
    assert metrics.summary()["macros"] == {"d": 2}


# -- super() ----------------------------------------------------------------------------


def _inheriting(child: str) -> Environment:
    return Environment(
        autoescape=True,
        loader=DictLoader(
            {"base.html": "{% block b %}<b>{{ v }}</b>{% end %}", "child.html": child}
        ),
    )


def test_super_written_to_output_and_used_as_a_value_agree() -> None:
    env = _inheriting(
        "{% extends 'base.html' %}{% block b %}{{ super() }}|{{ super() | upper }}"
        "|{% set s = super() %}{{ s }}{% end %}"
    )
    assert env.get_template("child.html").render(v="&") == "<b>&amp;</b>|<B>&AMP;</B>|<b>&amp;</b>"


def test_super_written_to_output_passes_through_finalize() -> None:
    seen: list[Any] = []

    def finalize(value: Any) -> Any:
        seen.append(type(value))
        return value

    env = _inheriting("{% extends 'base.html' %}{% block b %}[{{ super() }}]{% end %}")
    env.finalize = finalize
    assert env.get_template("child.html").render(v=1) == "[<b>1</b>]"
    assert Markup in seen


def test_super_written_to_output_without_a_parent_block_is_an_error() -> None:
    env = Environment(loader=DictLoader({"page.html": "{% block b %}{{ super() }}{% end %}"}))
    with pytest.raises(TemplateRuntimeError, match="no parent template defines 'b'"):
        env.get_template("page.html").render()


# -- imported defs ----------------------------------------------------------------------


def _importing(components: str, page: str) -> Environment:
    return Environment(
        autoescape=True, loader=DictLoader({"components.html": components, "page.html": page})
    )


def test_an_imported_def_called_as_output_writes_the_same_text() -> None:
    env = _importing(
        '{% def card(title, tone="plain") %}<div class="{{ tone }}">{{ title }}</div>{% end %}',
        '{% from "components.html" import card %}{% for t in titles %}{{ card(t) }};{% end %}'
        "{{ card('x', tone='&') }}",
    )
    template = env.get_template("page.html")
    expected = (
        '<div class="plain">a&lt;</div>;<div class="plain">b</div>;<div class="&amp;">x</div>'
    )
    assert template.render(titles=["a<", "b"]) == expected
    assert "".join(template.render_stream(titles=["a<", "b"])) == expected


def test_an_imported_macro_called_as_output_keeps_its_call() -> None:
    env = _importing(
        "{% macro card(title) %}<b>{{ title }}</b>{% endmacro %}",
        '{% from "components.html" import card %}{{ card("a<") }}|{{ card("b", "c") }}',
    )
    with pytest.raises(TemplateRuntimeError, match="not more than 1 argument"):
        env.get_template("page.html").render()
    env = _importing(
        "{% macro card(title) %}<b>{{ title }}</b>{% endmacro %}",
        '{% from "components.html" import card %}{{ card("a<") }}',
    )
    assert env.get_template("page.html").render() == "<b>a&lt;</b>"


def test_an_imported_value_that_is_no_def_keeps_its_call() -> None:
    env = _importing(
        "{% let shout = upper_all %}",
        '{% from "components.html" import shout with context %}{{ shout("a<") }}',
    )
    assert env.get_template("page.html").render(upper_all=str.upper) == "A&lt;"


def test_an_imported_name_rebound_later_keeps_its_call() -> None:
    env = _importing(
        "{% def card(t) %}<{{ t }}>{% end %}",
        '{% from "components.html" import card %}{{ card(1) }}{% set card = other %}{{ card(2) }}',
    )
    assert env.get_template("page.html").render(other=lambda v: f"[{v}]") == "<1>[2]"
