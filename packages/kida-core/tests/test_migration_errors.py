"""Errors a template written for Jinja2 meets: they name the construct and the Kida spelling.

Runtime errors never show the names of generated code (``l_input``,
``render.<locals>``); columns point at the offending character.
"""

from __future__ import annotations

import pytest

from kida_core import (
    Environment,
    ErrorCode,
    TemplateRuntimeError,
    TemplateSyntaxError,
    UndefinedError,
)

INPUT_DEF = "{% def input(name, value='') %}<input name={{ name }}>{% end %}"


@pytest.fixture
def env() -> Environment:
    return Environment()


def render_error(env: Environment, source: str, **context: object) -> TemplateRuntimeError:
    with pytest.raises(TemplateRuntimeError) as info:
        env.from_string(source, name="form.html").render(**context)
    return info.value


def assert_no_generated_names(error: Exception) -> None:
    text = str(error)
    for generated in ("l_", "<locals>", "_globals_setup", "render."):
        assert generated not in text, text


# -- calls of defs with the wrong arguments --------------------------------------------


def test_unknown_keyword_to_a_def_names_the_def(env: Environment) -> None:
    error = render_error(env, INPUT_DEF + "{{ input('q', size=3) }}")
    assert error.message == "def 'input' got an unexpected keyword argument 'size'"
    assert error.code is ErrorCode.COMPONENT_CALL_SIGNATURE
    assert error.template_name == "form.html"
    assert error.lineno == 1
    assert error.suggestion == "Call it as it is declared: input(name, value=…)."
    assert_no_generated_names(error)


def test_too_many_positional_arguments_to_a_def(env: Environment) -> None:
    error = render_error(env, INPUT_DEF + "{{ input('q', 'v', 'extra') }}")
    assert error.message == "def 'input' takes from 1 to 2 positional arguments but 3 were given"
    assert_no_generated_names(error)


def test_missing_argument_to_a_def(env: Environment) -> None:
    error = render_error(env, INPUT_DEF + "{{ input() }}")
    assert error.message == "def 'input' missing 1 required positional argument: 'name'"
    assert_no_generated_names(error)


def test_argument_given_twice_to_a_def(env: Environment) -> None:
    error = render_error(env, INPUT_DEF + "{{ input('q', name='r') }}")
    assert error.message == "def 'input' got multiple values for argument 'name'"


def test_wrong_call_of_a_def_inside_a_block(env: Environment) -> None:
    source = "{% block form %}{% def field(a) %}{{ a }}{% end %}{{ field(b=1) }}{% end %}"
    error = render_error(env, source)
    assert error.message == "def 'field' got an unexpected keyword argument 'b'"
    assert_no_generated_names(error)


def test_wrong_call_of_a_def_from_a_call_tag(env: Environment) -> None:
    error = render_error(env, INPUT_DEF + "{% call input(size=1) %}{% end %}")
    assert error.message == "def 'input' got an unexpected keyword argument 'size'"


def test_wrong_call_of_a_def_with_varargs_shows_them(env: Environment) -> None:
    source = "{% def tag(name, *items, **attrs) %}{% end %}{{ tag() }}"
    error = render_error(env, source)
    assert error.suggestion == "Call it as it is declared: tag(name, *items, **attrs)."


def test_def_values_are_not_listed_as_values(env: Environment) -> None:
    error = render_error(env, INPUT_DEF + "{{ input(1, 2, 3) }}")
    assert "input" not in error.values


# -- calling what cannot be called -----------------------------------------------------


def test_calling_a_non_callable_names_the_variable(env: Environment) -> None:
    error = render_error(env, "{{ count() }}", count=3)
    assert error.message == "'count' cannot be called: it is int, not a def or function"
    assert error.code is ErrorCode.TYPE_ERROR
    assert error.suggestion is not None and "remove the parentheses" in error.suggestion


def test_calling_an_undefined_name_is_an_undefined_error(env: Environment) -> None:
    with pytest.raises(UndefinedError) as info:
        env.from_string("{{ missing() }}").render()
    assert info.value.name == "missing"


def test_calling_undefined_in_lenient_mode_renders_nothing() -> None:
    env = Environment(strict_undefined=False)
    assert env.from_string("[{{ missing() }}]").render() == "[]"


# -- Jinja2 constructs Kida spells differently -----------------------------------------


@pytest.mark.parametrize(
    ("source", "names", "instead"),
    [
        ("{% debug %}", "{% debug %}", "pprint"),
        ("{{ a is sameas b }}", "'sameas b'", "is sameas(b)"),
        ("{{ n is divisibleby d }}", "'divisibleby d'", "is divisibleby(d)"),
        ("{% include 'a.html' only %}", "only", "without context"),
        ("{{ (x for x in items) }}", "generator expressions", "list comprehension"),
        ("{{ {1, 2} }}", "set literals", "[a, b]"),
        ("{% do items.append(1) %}", "{% do %}", "{% set _ = expr %}"),
        ('{{ "a" "b" }}', "adjacent string literals", "~"),
        ("{% set x = 'a' 'b' %}", "adjacent string literals", "~"),
        ("{% if x %}{% extends 'a.html' %}{% endif %}", "{% extends %}", "if condition else"),
        ("{% macro m() %}{% block b %}{% endblock %}{% endmacro %}", "{% block %}", "macro"),
    ],
)
def test_jinja2_construct_error_names_it_and_the_alternative(
    env: Environment, source: str, names: str, instead: str
) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string(source)
    assert names in str(info.value)
    assert instead in (info.value.suggestion or "")


@pytest.mark.parametrize(
    ("source", "instead"),
    [
        ("{{ lipsum(2) }}", "env.add_global('lipsum'"),
        ("{{ caller() }}", "{% call %}"),
        ("{{ varargs }}", "inside a {% macro %}"),
        ("{{ kwargs }}", "inside a {% macro %}"),
        ("{{ loop.index }}", "inside a {% for %}"),
        ("{% for x in [1] %}{% block row %}{{ loop.index }}{% end %}{% end %}", "scoped"),
        ("{{ super() }}", "inside a {% block %}"),
        ("{{ self }}", "self.name()"),
    ],
)
def test_a_jinja2_only_name_says_where_it_exists(
    env: Environment, source: str, instead: str
) -> None:
    with pytest.raises(UndefinedError) as info:
        env.from_string(source).render()
    assert instead in info.value.hint
    assert "Did you mean" not in str(info.value)


def test_a_jinja2_only_name_passed_in_the_context_renders(env: Environment) -> None:
    assert env.from_string("{{ _('Hi') }}").render(_=str.upper) == "HI"


def test_a_bare_with_opens_a_scope(env: Environment) -> None:
    source = "{% with %}{% set x = 1 %}{{ x }}{% endwith %}{{ x is defined }}"
    assert env.from_string(source).render() == "1False"


def test_test_followed_by_a_keyword_is_not_an_argument(env: Environment) -> None:
    template = env.from_string("{{ 'y' if n is odd and n is defined else 'n' }}")
    assert template.render(n=3) == "y"


# -- columns ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column"),
    [
        ("{{ x | nofilter }}", 3),
        ("ab {{ 'x }}", 6),
        ("{{ a b }}", 5),
        ("line one\n  {{ x is nosuchtest }}", 5),
    ],
)
def test_syntax_error_column_is_the_offending_character(
    env: Environment, source: str, column: int
) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string(source)
    error = info.value
    assert error.col_offset == column
    line = source.splitlines()[(error.lineno or 1) - 1]
    caret_line = next(row for row in str(error).splitlines() if row.rstrip().endswith("^"))
    gutter = caret_line.index("|") + 2
    assert caret_line.index("^") - gutter == column
    assert line[column] != " "
    assert f":{error.lineno}:{column + 1}" in str(error).splitlines()[1]  # 1-based


def test_compile_expression_error_column_points_into_the_expression(env: Environment) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        env.compile_expression("a | nofilter")
    assert info.value.col_offset == 0
    assert info.value.source == "a | nofilter"
