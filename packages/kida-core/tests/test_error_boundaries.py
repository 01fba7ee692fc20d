"""``{% try %}`` / ``{% fallback %}`` error boundaries."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment, TemplateRuntimeError, TemplateSyntaxError
from kida_loaders import DictLoader


def make_env() -> Environment:
    return Environment(
        loader=DictLoader(
            {
                "boom.html": "ok\n{{ 1 // zero }}",
                "inner_try.html": "{% try %}in{{ 1 / 0 }}{% fallback e %}{{ e.type }}{% end %}",
            }
        )
    )


def render(source: str, name: str | None = "t.html", **context: Any) -> str:
    env = make_env()  # kept alive: templates hold their Environment weakly
    return env.from_string(source, name=name).render(**context)


def fail(exc: BaseException) -> Any:
    def raiser(*args: Any) -> Any:
        raise exc

    return raiser


# -- what is caught --------------------------------------------------------------------------


def test_body_without_error_renders_normally() -> None:
    assert render("A{% try %}ok{{ 1 }}{% fallback %}no{% end %}B") == "Aok1B"


def test_zero_division_renders_fallback() -> None:
    assert render("A{% try %}{{ 1 / 0 }}{% fallback %}FB{% end %}B") == "AFBB"


def test_partial_body_output_is_discarded() -> None:
    source = (
        "A{% try %}partial{% for i in [1, 0] %}{{ 2 // i }}{% end %}more{% fallback %}FB{% end %}B"
    )
    assert render(source) == "AFBB"


def test_undefined_variable_is_caught() -> None:
    assert render("{% try %}{{ missing_var }}{% fallback e %}{{ e.type }}{% end %}") == (
        "UndefinedError"
    )


def test_undefined_attribute_is_caught() -> None:
    assert render("{% try %}{{ user.nope }}{% fallback %}FB{% end %}", user={}) == "FB"


def test_type_error_is_caught() -> None:
    assert render("{% try %}{{ 1 - 'a' }}{% fallback e %}{{ e.type }}{% end %}") == "TypeError"


def test_value_error_from_python_callable_is_caught() -> None:
    source = "{% try %}{{ f() }}{% fallback e %}{{ e.type }}{% end %}"
    assert render(source, f=lambda: int("x")) == "ValueError"


def test_arbitrary_python_exception_is_caught() -> None:
    source = "{% try %}{{ f() }}{% fallback e %}{{ e.type }}:{{ e.message }}{% end %}"
    assert render(source, f=fail(LookupError("gone"))) == "LookupError:gone"


def test_template_runtime_error_is_caught() -> None:
    source = "{% try %}{% from 'boom.html' import nope %}{% fallback e %}{{ e.type }}{% end %}"
    assert render(source) == "TemplateRuntimeError"


def test_error_raised_in_included_template_is_caught() -> None:
    source = "<{% try %}{% include 'boom.html' %}{% fallback %}FB{% end %}>"
    assert render(source, zero=0) == "<FB>"


def test_error_raised_inside_def_is_caught() -> None:
    source = (
        "{% def f(x) %}<b>{{ 1 // x }}</b>{% end %}{% try %}{{ f(0) }}{% fallback %}FB{% end %}"
    )
    assert render(source) == "FB"


def test_syntax_error_is_not_caught_by_boundary() -> None:
    with pytest.raises(TemplateSyntaxError):
        render("{% try %}{{ 1 + }}{% fallback %}FB{% end %}")


def test_syntax_error_in_included_template_propagates() -> None:
    env = Environment(loader=DictLoader({"bad.html": "{% if %}"}))
    with pytest.raises(TemplateSyntaxError):
        env.from_string("{% try %}{% include 'bad.html' %}{% fallback %}FB{% end %}").render()


def test_explicit_endtry_closer() -> None:
    assert render("{% try %}{{ 1 / 0 }}{% fallback %}FB{% endtry %}") == "FB"


# -- the ErrorDict ---------------------------------------------------------------------------


def test_error_dict_type_and_message() -> None:
    source = "{% try %}{{ 1 / 0 }}{% fallback err %}{{ err.type }}|{{ err.message }}{% end %}"
    assert render(source) == "ZeroDivisionError|division by zero"


def test_error_dict_template_and_line() -> None:
    source = (
        "line 1\nline 2 {% try %}\n\n{{ 1 / 0 }}"
        "{% fallback err %}{{ err.template }}:{{ err.line }}{% end %}"
    )
    assert render(source) == "line 1\nline 2 t.html:4"


def test_error_dict_template_and_line_of_included_template() -> None:
    source = (
        "{% try %}{% include 'boom.html' %}{% fallback e %}{{ e.template }}:{{ e.line }}{% end %}"
    )
    assert render(source, zero=0) == "boom.html:2"


def test_error_dict_is_subscriptable() -> None:
    source = "{% try %}{{ 1 / 0 }}{% fallback err %}{{ err['type'] }}{% end %}"
    assert render(source) == "ZeroDivisionError"


def test_error_dict_has_exactly_the_documented_keys() -> None:
    source = "{% try %}{{ 1 / 0 }}{% fallback err %}{{ err.keys()|sort|join(',') }}{% end %}"
    assert render(source) == "line,message,template,type"


def test_error_dict_message_is_escaped_in_output() -> None:
    source = "{% try %}{{ f() }}{% fallback err %}{{ err.message }}{% end %}"
    assert render(source, f=fail(ValueError("<script>"))) == "&lt;script&gt;"


def test_error_name_is_local_to_fallback() -> None:
    source = "{% try %}{{ 1 / 0 }}{% fallback err %}x{% end %}{{ err ?? 'unbound' }}"
    assert render(source) == "xunbound"


def test_fallback_without_name_still_works() -> None:
    assert render("{% try %}{{ 1 / 0 }}{% fallback %}plain{% end %}") == "plain"


def test_anonymous_template_error_dict_template_is_none() -> None:
    source = "{% try %}{{ 1 / 0 }}{% fallback err %}{{ err.template ?? 'none' }}{% end %}"
    assert render(source, name=None) == "none"


# -- nesting, loops and propagation -------------------------------------------------------------


def test_nested_boundaries_inner_catches() -> None:
    source = (
        "{% try %}a{% try %}{{ 1 / 0 }}{% fallback %}inner{% end %}b{% fallback %}outer{% end %}"
    )
    assert render(source) == "ainnerb"


def test_error_in_fallback_propagates_to_outer_boundary() -> None:
    source = (
        "{% try %}a{% try %}{{ 1 / 0 }}{% fallback e %}{{ e.nope.x }}{% end %}b"
        "{% fallback e2 %}outer:{{ e2.type }}{% end %}"
    )
    assert render(source) == "outer:UndefinedError"


def test_error_in_fallback_without_outer_boundary_propagates() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% try %}{{ 1 / 0 }}{% fallback %}{{ 2 / 0 }}{% end %}")
    assert "division by zero" in str(info.value)


def test_boundary_inside_loop_recovers_per_iteration() -> None:
    source = "{% for d in [1, 0, 2] %}{% try %}{{ 6 // d }}{% fallback %}!{% end %}{% end %}"
    assert render(source) == "6!3"


def test_boundary_inside_included_template() -> None:
    env = make_env()
    assert env.from_string("[{% include 'inner_try.html' %}]").render() == "[ZeroDivisionError]"


def test_boundary_body_lets_visible_after_success() -> None:
    assert render("{% try %}{% let v = 3 %}{% fallback %}{% end %}{{ v }}") == "3"


def test_boundary_inside_block() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "<{% block b %}{% end %}>",
                "child.html": "{% extends 'base.html' %}{% block b %}"
                "{% try %}{{ 1 / 0 }}{% fallback %}safe{% end %}{% end %}",
            }
        )
    )
    assert env.get_template("child.html").render() == "<safe>"
    assert env.get_template("child.html").render_block("b") == "safe"


# -- streaming -----------------------------------------------------------------------------------


def test_stream_never_leaks_partial_body() -> None:
    env = make_env()
    template = env.from_string(
        "pre{% try %}a{% for i in [1, 2, 0] %}{{ 2 / i }}{% end %}{% fallback %}FB{% end %}post"
    )
    chunks = list(template.render_stream())
    assert "".join(chunks) == "preFBpost"
    assert not any("a" in chunk for chunk in chunks)


def test_stream_and_render_agree_on_success() -> None:
    env = make_env()
    template = env.from_string(
        "{% try %}{% for i in [1, 2] %}<{{ i }}>{% end %}{% fallback %}FB{% end %}!"
    )
    assert "".join(template.render_stream()) == template.render() == "<1><2>!"


async def test_async_stream_renders_fallback() -> None:
    env = make_env()
    template = env.from_string("a{% try %}x{{ 1 / 0 }}{% fallback e %}{{ e.type }}{% end %}b")
    chunks = [chunk async for chunk in template.render_stream_async()]
    assert "".join(chunks) == "aZeroDivisionErrorb"


async def test_native_async_template_boundary_catches_await_error() -> None:
    async def explode() -> str:
        raise ValueError("async boom")

    env = make_env()
    template = env.from_string(
        "a{% try %}x{{ await explode() }}{% fallback e %}{{ e.type }}:{{ e.message }}{% end %}b"
    )
    assert template.is_async
    assert await template.render_async(explode=explode) == "aValueError:async boomb"


# -- reporting caught errors to the application --------------------------------------------------


def test_on_error_receives_every_caught_error_located_in_its_template() -> None:
    caught: list[BaseException] = []
    env = Environment(on_error=caught.append)
    source = "a\n{% try %}{{ 1 / 0 }}{% fallback %}x{% end %}"
    assert env.from_string(source, name="t.html").render() == "a\nx"
    [error] = caught
    assert isinstance(error, TemplateRuntimeError)
    assert (error.template_name, error.lineno) == ("t.html", 2)
    assert isinstance(error.__cause__, ZeroDivisionError)


def test_on_error_is_not_called_when_the_body_succeeds() -> None:
    caught: list[BaseException] = []
    env = Environment(on_error=caught.append)
    assert env.from_string("{% try %}ok{% fallback %}x{% end %}").render() == "ok"
    assert caught == []


def test_plain_environment_keeps_the_full_report_in_the_message() -> None:
    source = "{% try %}{{ user.name }}{% fallback err %}{{ err.message }}{% end %}"
    message = render(source, user={})
    assert "K-RUN-001" in message and "user.name" in message
