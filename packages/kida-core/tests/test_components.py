"""def / call / slot / caller / has_slot / region / globals."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import (
    Environment,
    ErrorCode,
    Markup,
    TemplateRuntimeError,
    TemplateSyntaxError,
    UndefinedError,
)
from kida_loaders import DictLoader

#: Module-level so it outlives every template (templates hold their Environment weakly).
ENV = Environment()


def render(source: str, **context: Any) -> str:
    return ENV.from_string(source).render(**context)


# -- def ---------------------------------------------------------------------------------------


def test_def_called_with_positional_argument() -> None:
    assert render("{% def hi(name) %}Hi {{ name }}{% end %}{{ hi('Ada') }}") == "Hi Ada"


def test_def_called_with_keyword_argument() -> None:
    assert render("{% def hi(name) %}Hi {{ name }}{% end %}{{ hi(name='Bo') }}") == "Hi Bo"


def test_def_with_explicit_enddef() -> None:
    assert render("{% def hi() %}Hi{% enddef %}{{ hi() }}") == "Hi"


def test_def_default_parameter_used_when_omitted() -> None:
    source = "{% def badge(label, tone='info') %}{{ tone }}:{{ label }}{% end %}{{ badge('x') }}"
    assert render(source) == "info:x"


def test_def_default_parameter_overridden() -> None:
    source = (
        "{% def badge(label, tone='info') %}{{ tone }}:{{ label }}{% end %}{{ badge('x', 'warn') }}"
    )
    assert render(source) == "warn:x"


def test_def_default_evaluated_at_each_call() -> None:
    counter = iter(range(1, 10))
    source = "{% def f(x=tick()) %}{{ x }}{% end %}{{ f() }}{{ f() }}{{ f(0) }}{{ f() }}"
    assert render(source, tick=lambda: next(counter)) == "1203"


def test_def_default_reads_render_context() -> None:
    assert render("{% def f(x=base * 2) %}{{ x }}{% end %}{{ f() }}", base=5) == "10"


def test_def_default_refers_to_earlier_parameter_value_in_context() -> None:
    assert render("{% let n = 4 %}{% def f(x=n + 1) %}{{ x }}{% end %}{{ f() }}") == "5"


def test_def_typed_parameters_are_not_enforced() -> None:
    source = (
        "{% def f(a: list[int], b: str | None = none, c: int = 1) %}"
        "{{ a }}|{{ b ?? '-' }}|{{ c }}{% end %}{{ f('not a list', c='str') }}"
    )
    assert render(source) == "not a list|-|str"


def test_def_varargs_collects_extra_positionals() -> None:
    source = "{% def f(first, *rest) %}{{ first }}:{{ rest|join(',') }}{% end %}{{ f(1, 2, 3) }}"
    assert render(source) == "1:2,3"


def test_def_varargs_empty_when_no_extras() -> None:
    assert render("{% def f(*rest) %}{{ rest|length }}{% end %}{{ f() }}") == "0"


def test_def_kwargs_collects_extra_keywords() -> None:
    source = (
        "{% def f(label, **attrs) %}{{ label }}{% for k, v in attrs|dictsort %} {{ k }}={{ v }}"
        "{% end %}{% end %}{{ f('L', id='x', cls='y') }}"
    )
    assert render(source) == "L cls=y id=x"


def test_def_with_default_varargs_and_kwargs() -> None:
    source = (
        "{% def badge(label: str, tone: str = 'info', *extra, **attrs) %}"
        "{{ label }}/{{ tone }}/{{ extra|join('+') }}/{{ attrs|length }}{% end %}"
        "{{ badge('a', 'warn', 1, 2, k='v') }}"
    )
    assert render(source) == "a/warn/1+2/1"


def test_def_returns_markup() -> None:
    captured: list[Any] = []
    render("{% def f() %}<b>x</b>{% end %}{{ keep(f()) }}", keep=captured.append)
    assert isinstance(captured[0], Markup)
    assert captured[0] == "<b>x</b>"


def test_def_output_is_not_double_escaped() -> None:
    source = "{% def f(v) %}<i>{{ v }}</i>{% end %}{{ f(value) }}"
    assert render(source, value="<&>") == "<i>&lt;&amp;&gt;</i>"


def test_def_output_concatenated_with_tilde_stays_safe() -> None:
    source = "{% def f() %}<b>B</b>{% end %}{{ f() ~ '<' }}"
    assert render(source) == "<b>B</b>&lt;"


def test_def_body_reads_outer_let_defined_after_def() -> None:
    assert render("{% def f() %}{{ v }}{% end %}{% let v = 'late' %}{{ f() }}") == "late"


def test_def_body_reads_render_context() -> None:
    assert render("{% def f() %}{{ v }}{% end %}{{ f() }}", v="ctx") == "ctx"


def test_def_parameter_shadows_context_variable() -> None:
    assert render("{% def f(v) %}{{ v }}{% end %}{{ f('param') }}", v="ctx") == "param"


def test_def_can_call_itself_recursively() -> None:
    source = "{% def rec(n) %}{{ n }}{% if n > 0 %}{{ rec(n - 1) }}{% end %}{% end %}{{ rec(3) }}"
    assert render(source) == "3210"


def test_def_can_call_other_def() -> None:
    source = "{% def a() %}A{% end %}{% def b() %}[{{ a() }}]{% end %}{{ b() }}"
    assert render(source) == "[A]"


def test_def_called_with_missing_argument_raises() -> None:
    with pytest.raises(TemplateRuntimeError, match="missing 1 required positional argument"):
        render("{% def f(a) %}{{ a }}{% end %}{{ f() }}")


def test_def_nested_in_if_is_compile_error() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        ENV.from_string("{% if true %}{% def f() %}{% end %}{% end %}")
    assert info.value.code == ErrorCode.DEFINITION_NOT_TOPLEVEL


def test_def_nested_in_loop_is_compile_error() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        ENV.from_string("{% for x in y %}{% def f() %}{% end %}{% end %}")
    assert info.value.code == ErrorCode.DEFINITION_NOT_TOPLEVEL


def test_def_with_reserved_parameter_name_is_compile_error() -> None:
    with pytest.raises(TemplateSyntaxError, match="caller"):
        ENV.from_string("{% def f(caller) %}{% end %}")


# -- call / slots ------------------------------------------------------------------------------

CARD = (
    "{% def card(title) %}<div><h3>{{ title }}</h3>"
    "{% if has_slot('footer') %}<footer>{% slot footer %}</footer>{% end %}"
    "<p>{% slot %}</p></div>{% end %}"
)


def test_call_passes_default_slot() -> None:
    assert render(CARD + "{% call card('T') %}Body{% end %}") == "<div><h3>T</h3><p>Body</p></div>"


def test_call_with_explicit_endcall() -> None:
    assert render(CARD + "{% call card('T') %}B{% endcall %}") == "<div><h3>T</h3><p>B</p></div>"


def test_call_passes_named_slot() -> None:
    source = CARD + "{% call card('T') %}{% slot footer %}F{% end %}Body{% end %}"
    assert render(source) == "<div><h3>T</h3><footer>F</footer><p>Body</p></div>"


def test_named_slot_only_leaves_default_slot_empty() -> None:
    source = CARD + "{% call card('T') %}{% slot footer %}F{% end %}{% end %}"
    assert render(source) == "<div><h3>T</h3><footer>F</footer><p></p></div>"


def test_slot_placeholder_renders_nothing_without_call() -> None:
    assert render(CARD + "{{ card('T') }}") == "<div><h3>T</h3><p></p></div>"


def test_slot_body_renders_in_callers_context() -> None:
    source = (
        CARD
        + "{% for x in ['a', 'b'] %}{% call card(x) %}{{ x }}#{{ loop.index }}{% end %}{% end %}"
    )
    assert render(source) == "<div><h3>a</h3><p>a#1</p></div><div><h3>b</h3><p>b#2</p></div>"


def test_slot_body_sees_caller_lets_and_context() -> None:
    source = CARD + "{% let who = 'L' %}{% call card('T') %}{{ who }}-{{ user }}{% end %}"
    assert render(source, user="U") == "<div><h3>T</h3><p>L-U</p></div>"


def test_slot_body_output_is_escaped_once() -> None:
    source = CARD + "{% call card('<t>') %}<b>{{ v }}</b>{% end %}"
    assert render(source, v="<&>") == "<div><h3>&lt;t&gt;</h3><p><b>&lt;&amp;&gt;</b></p></div>"


def test_caller_renders_default_slot() -> None:
    source = "{% def wrap() %}[{{ caller() }}]{% end %}{% call wrap() %}in{% end %}"
    assert render(source) == "[in]"


def test_caller_with_name_renders_named_slot() -> None:
    source = (
        "{% def wrap() %}[{{ caller('head') }}|{{ caller() }}]{% end %}"
        "{% call wrap() %}{% slot head %}H{% end %}body{% end %}"
    )
    assert render(source) == "[H|body]"


def test_caller_renders_slot_each_time_called() -> None:
    source = (
        "{% def twice() %}{% for i in [1, 2] %}{{ caller() }}{% end %}{% end %}"
        "{% call twice() %}x{% end %}"
    )
    assert render(source) == "xx"


def test_caller_without_call_renders_empty() -> None:
    assert render("{% def f() %}[{{ caller() }}]{% end %}{{ f() }}") == "[]"


def test_caller_missing_named_slot_renders_empty() -> None:
    source = "{% def f() %}[{{ caller('nope') }}]{% end %}{% call f() %}x{% end %}"
    assert render(source) == "[]"


def test_has_slot_true_for_default_slot_content() -> None:
    source = "{% def f() %}{{ has_slot() }}{% end %}{% call f() %}x{% end %}"
    assert render(source) == "True"


def test_has_slot_false_when_called_directly() -> None:
    assert render("{% def f() %}{{ has_slot() }}{% end %}{{ f() }}") == "False"


def test_has_slot_false_for_empty_call_body() -> None:
    assert render("{% def f() %}{{ has_slot() }}{% end %}{% call f() %}{% end %}") == "False"


def test_has_slot_named() -> None:
    source = (
        "{% def f() %}{{ has_slot('a') }}{{ has_slot('b') }}{% end %}"
        "{% call f() %}{% slot a %}A{% end %}{% end %}"
    )
    assert render(source) == "TrueFalse"


def test_nested_call_blocks() -> None:
    source = (
        "{% def outer() %}<o>{% slot %}</o>{% end %}{% def inner() %}<i>{% slot %}</i>{% end %}"
        "{% call outer() %}{% call inner() %}deep{% end %}{% end %}"
    )
    assert render(source) == "<o><i>deep</i></o>"


def test_call_of_imported_def() -> None:
    env = Environment(loader=DictLoader({"ui.html": CARD}))
    source = "{% import 'ui.html' as ui %}{% call ui.card('T') %}B{% end %}"
    assert env.from_string(source).render() == "<div><h3>T</h3><p>B</p></div>"


def test_call_with_keyword_arguments() -> None:
    source = CARD + "{% call card(title='KW') %}B{% end %}"
    assert render(source) == "<div><h3>KW</h3><p>B</p></div>"


def test_slot_placeholder_outside_def_is_compile_error() -> None:
    with pytest.raises(TemplateSyntaxError):
        ENV.from_string("{% slot %}")


# -- region ------------------------------------------------------------------------------------

REGION = "{% region crumbs(path='/', sep=default_sep) %}<nav>{{ path }}{{ sep }}</nav>{% end %}"


def test_region_prints_nothing_where_it_is_written() -> None:
    assert render(REGION, default_sep=">") == ""


def test_region_call_uses_defaults() -> None:
    assert render(REGION + "{{ crumbs() }}", default_sep=">") == "<nav>/&gt;</nav>"


def test_region_is_callable_with_arguments() -> None:
    assert render(REGION + "|{{ crumbs(path='/docs', sep='!') }}", default_sep=">") == (
        "|<nav>/docs!</nav>"
    )


def test_region_default_evaluated_at_call_time() -> None:
    """Defaults see template-level names as they are when the region is called.

    Scoping is lexical: a caller's block-local binding (``with``) is not visible.
    """
    template = ENV.from_string(REGION + "{% let default_sep = '#' %}{{ crumbs() }}")
    assert template.render(default_sep=">") == "<nav>/#</nav>"


def test_region_render_block_with_kwargs() -> None:
    template = ENV.from_string(REGION)
    assert template.render_block("crumbs", path="/x", default_sep=":") == "<nav>/x:</nav>"


def test_region_call_returns_markup() -> None:
    captured: list[Any] = []
    render(REGION + "{{ keep(crumbs()) }}", default_sep="", keep=captured.append)
    assert isinstance(captured[0], Markup)


def test_region_body_sees_same_file_def() -> None:
    source = (
        "{% def li(x) %}<li>{{ x }}</li>{% end %}"
        "{% region items(xs=[]) %}<ul>{% for x in xs %}{{ li(x) }}{% end %}</ul>{% end %}"
    )
    assert ENV.from_string(source).render_block("items", xs=[1]) == "<ul><li>1</li></ul>"


# -- globals / imports setup blocks -------------------------------------------------------------


def test_globals_block_renders_nothing_itself() -> None:
    assert render("a{% globals %}TEXT{% let g = 1 %}{% end %}b") == "ab"


def test_globals_block_defines_lets_and_defs_for_full_render() -> None:
    source = "{% globals %}{% let g = 'G' %}{% def h() %}H{{ g }}{% end %}{% end %}{{ g }}{{ h() }}"
    assert render(source) == "GHG"


def test_globals_block_definitions_available_to_render_block() -> None:
    template = ENV.from_string(
        "{% globals %}{% let g = 'G' %}{% def h() %}H{{ g }}{% end %}{% end %}"
        "{% block b %}{{ h() }}{% end %}"
    )
    assert template.render_block("b") == "HG"


def test_imports_block_makes_imports_available() -> None:
    env = Environment(loader=DictLoader({"m.html": "{% def em(x) %}<em>{{ x }}</em>{% end %}"}))
    template = env.from_string(
        "{% imports %}{% from 'm.html' import em %}{% end %}{% block b %}{{ em('x') }}{% end %}"
    )
    assert template.render() == "<em>x</em>"
    assert template.render_block("b") == "<em>x</em>"


def test_globals_block_with_explicit_endglobals() -> None:
    assert render("{% globals %}{% let g = 1 %}{% endglobals %}{{ g }}") == "1"


# -- errors inside defs: component stack ---------------------------------------------------------

DEEP = {
    "page.html": "<main>\n{% include 'section.html' %}\n</main>",
    "section.html": "<section>\n\n{% include 'card_list.html' %}\n</section>",
    "card_list.html": "{% from 'components.html' import card %}\n"
    "{% for item in items %}\n{{ card(item) }}\n{% end %}",
    "components.html": "{% def price(item) %}\n<span>\n{{ item.price / item.qty }}\n</span>\n"
    "{% end %}\n{% def card(item) %}\n<div>\n{{ price(item) }}\n</div>\n{% end %}",
}
DEEP_ITEMS = [{"price": 1, "qty": 1}, {"price": 2, "qty": 0}]


def deep_error(mode: str = "render") -> TemplateRuntimeError:
    env = Environment(loader=DictLoader(DEEP))
    template = env.get_template("page.html")
    with pytest.raises(TemplateRuntimeError) as info:
        if mode == "render":
            template.render(items=DEEP_ITEMS)
        else:
            list(template.render_stream(items=DEEP_ITEMS))
    return info.value


def test_error_in_def_deep_in_includes_points_at_def_body_line() -> None:
    error = deep_error()
    assert (error.template_name, error.lineno) == ("components.html", 3)


def test_error_in_def_deep_in_includes_keeps_original_error_type() -> None:
    error = deep_error()
    assert error.code == ErrorCode.ZERO_DIVISION
    assert isinstance(error.__cause__, ZeroDivisionError)


def test_error_in_def_reports_component_stack() -> None:
    assert deep_error().component_stack == [
        ("card_list.html", 3, "card"),
        ("components.html", 8, "price"),
    ]


def test_error_in_def_reports_template_stack_of_includes_and_the_def_caller() -> None:
    assert deep_error().template_stack == [
        ("page.html", 2),
        ("section.html", 3),
        ("card_list.html", 3),
    ]


def test_error_in_def_message_shows_both_stacks() -> None:
    message = str(deep_error())
    assert "Component stack:" in message
    assert "card_list.html:3 → card()" in message
    assert "components.html:8 → price()" in message
    assert "Template stack:" in message
    assert "page.html:2" in message


def test_error_in_def_while_streaming_reports_same_stacks() -> None:
    error = deep_error("stream")
    assert (error.template_name, error.lineno) == ("components.html", 3)
    assert error.component_stack == [
        ("card_list.html", 3, "card"),
        ("components.html", 8, "price"),
    ]
    assert error.template_stack == [("page.html", 2), ("section.html", 3), ("card_list.html", 3)]


def test_undefined_inside_def_reports_component_stack() -> None:
    env = Environment(
        loader=DictLoader({"u.html": "{% def f() %}\n{{ nope }}\n{% end %}\n{{ f() }}"})
    )
    with pytest.raises(UndefinedError) as info:
        env.get_template("u.html").render()
    assert info.value.lineno == 2
    assert info.value.component_stack == [("u.html", 4, "f")]


# -- yield: slot forwarding --------------------------------------------------------------------

_FORWARD = (
    "{% def inner() %}<i>{% slot %}</i>{% end %}"
    "{% def outer() %}<o>{% call inner() %}{% yield %}{% end %}</o>{% end %}"
)


def test_yield_forwards_the_enclosing_defs_default_slot_into_a_nested_call() -> None:
    assert render(_FORWARD + "{% call outer() %}X{{ v }}{% end %}", v=1) == "<o><i>X1</i></o>"


def test_yield_without_a_caller_renders_nothing() -> None:
    assert render(_FORWARD + "{{ outer() }}") == "<o><i></i></o>"


def test_yield_name_forwards_a_named_slot_into_a_nested_slot() -> None:
    source = (
        "{% def inner() %}[{% slot t %}]{% end %}"
        "{% def outer() %}{% call inner() %}{% slot t %}{% yield title %}{% end %}{% end %}"
        "{% end %}"
        "{% call outer() %}{% slot title %}T{% end %}{% end %}"
    )
    assert render(source) == "[T]"


def test_yield_directly_in_a_def_renders_its_caller_slot() -> None:
    assert render("{% def d() %}<{% yield %}>{% end %}{% call d() %}x{% end %}") == "<x>"


def test_yield_forwards_in_stream_mode() -> None:
    template = ENV.from_string(_FORWARD + "{% call outer() %}S{% end %}")
    assert "".join(template.render_stream()) == "<o><i>S</i></o>"


async def test_yield_forwards_in_async_render() -> None:
    template = ENV.from_string(_FORWARD + "{% call outer() %}A{% end %}")
    assert await template.render_async() == "<o><i>A</i></o>"


# -- scoped slots (let:) -----------------------------------------------------------------------

_TABLE = (
    "{% def table(rows) %}{% for r in rows %}"
    "<li>{% slot row let:item=r, let:i=loop.index %}({{ r }}){% end %}</li>"
    "{% end %}{% end %}"
)


def test_scoped_slot_passes_values_up_to_the_callers_slot_body() -> None:
    source = (
        _TABLE
        + "{% call table(rows) %}{% slot row let:item, let:i %}{{ i }}={{ item }}{% end %}{% end %}"
    )
    assert render(source, rows=["a", "b"]) == "<li>1=a</li><li>2=b</li>"


def test_scoped_slot_body_still_sees_the_callers_context() -> None:
    source = (
        _TABLE + "{% call table(rows) %}{% slot row let:item %}{{ item }}{{ v }}{% end %}{% end %}"
    )
    assert render(source, rows=["a"], v="!") == "<li>a!</li>"


def test_scoped_slot_renders_the_def_side_default_without_caller_content() -> None:
    assert render(_TABLE + "{{ table(rows) }}", rows=["a"]) == "<li>(a)</li>"


def test_scoped_slot_caller_may_take_fewer_names_than_passed() -> None:
    source = _TABLE + "{% call table(rows) %}{% slot row let:i %}#{{ i }}{% end %}{% end %}"
    assert render(source, rows=["a", "b"]) == "<li>#1</li><li>#2</li>"


def test_scoped_slot_let_name_not_passed_is_none() -> None:
    body = "{% slot row let:extra %}{{ extra is none }}{% end %}"
    source = _TABLE + "{% call table(rows) %}" + body + "{% end %}"
    assert render(source, rows=["a"]) == "<li>True</li>"


def test_scoped_let_names_are_local_to_the_slot_body() -> None:
    source = (
        _TABLE
        + "{% call table(rows) %}{% slot row let:item %}{{ item }}{% end %}{% end %}[{{ item }}]"
    )
    assert render(source, rows=["a"], item="page") == "<li>a</li>[page]"


def test_scoped_default_slot() -> None:
    source = (
        "{% def each(xs) %}{% for x in xs %}{% slot let:x=x %}-{% end %}{% end %}{% end %}"
        "{% call each([1, 2]) %}{% slot let:x %}<{{ x }}>{% end %}{% end %}{{ each([1]) }}"
    )
    assert render(source) == "<1><2>-"


def test_scoped_slot_in_stream_mode() -> None:
    source = _TABLE + "{% call table(rows) %}{% slot row let:item %}{{ item }}{% end %}{% end %}"
    assert "".join(ENV.from_string(source).render_stream(rows=["s"])) == "<li>s</li>"


async def test_scoped_slot_in_async_render() -> None:
    source = _TABLE + "{% call table(rows) %}{% slot row let:item %}{{ item }}{% end %}{% end %}"
    assert await ENV.from_string(source).render_async(rows=["z"]) == "<li>z</li>"
