"""``{% autoescape %}``: switching HTML escaping for part of a template."""

from __future__ import annotations

import asyncio

import pytest

from kida_core import Environment, Template
from kida_core.errors import TemplateSyntaxError, UndefinedError

CONTEXT = {"y": "<b>"}


def render_everywhere(template: Template, **context: object) -> str:
    """The output of render(), checked against render_stream() and render_stream_async()."""
    rendered = template.render(context)
    assert "".join(template.render_stream(context)) == rendered

    async def streamed() -> str:
        return "".join([chunk async for chunk in template.render_stream_async(context)])

    assert asyncio.run(streamed()) == rendered
    return rendered


def test_autoescape_false_turns_escaping_off_for_its_body() -> None:
    template = Environment().from_string("{% autoescape false %}{{ y }}{% end %}{{ y }}")
    assert render_everywhere(template, **CONTEXT) == "<b>&lt;b&gt;"


def test_autoescape_true_turns_escaping_on_in_a_non_escaping_environment() -> None:
    template = Environment(autoescape=False).from_string(
        "{% autoescape true %}{{ y }}{% endautoescape %}{{ y }}"
    )
    assert render_everywhere(template, **CONTEXT) == "&lt;b&gt;<b>"


def test_inner_autoescape_wins_over_outer() -> None:
    source = "{% autoescape false %}{% autoescape true %}{{ y }}{% end %}{{ y }}{% end %}"
    assert render_everywhere(Environment().from_string(source), **CONTEXT) == "&lt;b&gt;<b>"


@pytest.mark.parametrize(("flag", "expected"), [(True, "&lt;b&gt;"), (0, "<b>")])
def test_a_variable_value_is_evaluated_at_render_time(flag: object, expected: str) -> None:
    template = Environment().from_string("{% autoescape flag %}{{ y }}{% end %}")
    assert render_everywhere(template, flag=flag, **CONTEXT) == expected


def test_a_value_decided_in_a_loop_applies_per_iteration() -> None:
    source = "{% for i in [1, 2] %}{% autoescape i == 1 %}{{ y }}{% end %}{% end %}"
    assert render_everywhere(Environment().from_string(source), **CONTEXT) == "&lt;b&gt;<b>"


def test_a_block_inside_keeps_the_templates_own_setting() -> None:
    source = "{% autoescape false %}{% block b %}{{ y }}{% end %}{{ y }}{% end %}"
    template = Environment().from_string(source)
    assert render_everywhere(template, **CONTEXT) == "&lt;b&gt;<b>"
    assert template.render_block("b", CONTEXT) == "&lt;b&gt;"


def test_autoescape_inside_a_block_applies_to_that_block() -> None:
    source = "{% block b %}{% autoescape false %}{{ y }}{% end %}{% end %}"
    template = Environment().from_string(source)
    assert template.render_block("b", CONTEXT) == "<b>"


def test_a_capture_under_autoescape_false_is_plain_text() -> None:
    source = "{% autoescape false %}{% capture s %}{{ y }}{% end %}{% end %}{{ s }}"
    assert render_everywhere(Environment().from_string(source), **CONTEXT) == "&lt;b&gt;"


def test_an_undefined_flag_is_an_undefined_error_in_strict_mode() -> None:
    template = Environment().from_string("{% autoescape flag %}{{ y }}{% end %}")
    with pytest.raises(UndefinedError):
        template.render(CONTEXT)


def test_autoescape_without_a_value_is_a_syntax_error_with_a_hint() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().from_string("{% autoescape %}x{% end %}")
    assert info.value.suggestion is not None
    assert "{% autoescape true %}" in info.value.suggestion
