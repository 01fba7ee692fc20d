"""Jinja2 macros: ``{% macro %}``, ``caller``, ``varargs``/``kwargs`` and ``{% call(args) %}``."""

from __future__ import annotations

import pytest

from kida_core import Environment, ErrorCode, TemplateRuntimeError, TemplateSyntaxError
from kida_core.errors import UndefinedError
from kida_loaders import DictLoader

ENV = Environment()


def render(source: str, **context: object) -> str:
    return ENV.from_string(source).render(**context)


# -- definitions and arguments ---------------------------------------------------------------


def test_a_macro_renders_its_arguments_and_defaults() -> None:
    source = "{% macro greet(name, word='Hi') %}{{ word }} {{ name }}{% endmacro %}"
    assert render(source + "{{ greet('Ann') }}|{{ greet('Bob', 'Yo') }}") == "Hi Ann|Yo Bob"


def test_a_macro_closes_with_end_too() -> None:
    assert render("{% macro m() %}x{% end %}{{ m() }}") == "x"


def test_a_default_may_read_an_earlier_argument() -> None:
    assert render("{% macro m(a, b=a * 2) %}{{ b }}{% endmacro %}{{ m(3) }}") == "6"


def test_arguments_may_be_passed_by_keyword() -> None:
    assert render("{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(b=2, a=1) }}") == "12"


def test_a_missing_argument_is_undefined() -> None:
    source = "{% macro m(a) %}{{ 'set' if a is defined else 'missing' }}{% endmacro %}{{ m() }}"
    assert render(source) == "missing"


def test_printing_a_missing_argument_names_it() -> None:
    with pytest.raises(UndefinedError) as info:
        render("{% macro m(label) %}{{ label }}{% endmacro %}{{ m() }}")
    assert "'label'" in str(info.value)


def test_extra_positional_arguments_go_to_varargs() -> None:
    assert render("{% macro m(a) %}{{ a }}{{ varargs }}{% endmacro %}{{ m(1, 2, 3) }}") == "1(2, 3)"


def test_unknown_keywords_go_to_kwargs() -> None:
    source = "{% macro m() %}{{ kwargs|dictsort }}{% endmacro %}{{ m(x=1) }}"
    assert render(source) == "[(&#39;x&#39;, 1)]"


def test_too_many_arguments_name_the_macro() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% macro field(name) %}{{ name }}{% endmacro %}{{ field(1, 2) }}")
    assert info.value.code is ErrorCode.COMPONENT_CALL_SIGNATURE
    assert "macro 'field' takes not more than 1 argument(s)" in str(info.value)


def test_an_unknown_keyword_names_the_macro_and_the_argument() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% macro field(name) %}{{ name }}{% endmacro %}{{ field('a', input=1) }}")
    message = str(info.value)
    assert "macro 'field' takes no keyword argument 'input'" in message
    assert "<locals>" not in message and "_globals_setup" not in message


def test_macro_attributes() -> None:
    source = (
        "{% macro m(a, b) %}{{ kwargs }}{% endmacro %}"
        "{{ m.name }} {{ m.arguments|join(',') }} {{ m.catch_varargs }} {{ m.catch_kwargs }} "
        "{{ m.caller }}"
    )
    assert render(source) == "m a,b False True False"


def test_a_macro_returns_markup() -> None:
    assert render("{% macro b(t) %}<b>{{ t }}</b>{% endmacro %}{{ b('<i>') }}") == (
        "<b>&lt;i&gt;</b>"
    )


def test_a_macro_may_call_itself() -> None:
    source = "{% macro down(n) %}{{ n }}{% if n %}{{ down(n - 1) }}{% endif %}{% endmacro %}"
    assert render(source + "{{ down(3) }}") == "3210"


def test_a_caller_parameter_without_default_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        ENV.from_string("{% macro m(caller) %}{% endmacro %}")
    assert "'caller' parameter" in str(info.value)


def test_macro_parameters_take_no_annotations() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        ENV.from_string("{% macro m(a: str) %}{% endmacro %}")
    assert "macro parameter 'a' cannot have a type annotation" in str(info.value)


def test_endmacro_without_macro_is_a_stray_closer() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        ENV.from_string("{% endmacro %}")
    assert "no open block to close" in str(info.value)


# -- caller and call blocks ---------------------------------------------------------------------


def test_caller_renders_the_call_body() -> None:
    source = "{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}{{ x }}{% endcall %}"
    assert render(source, x="in") == "[in]"


def test_caller_passes_arguments_to_the_call_body() -> None:
    source = (
        "{% macro each(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}"
        "{% endmacro %}{% call(item, n) each(['a', 'b']) %}{{ n }}{{ item }} {% endcall %}"
    )
    assert render(source) == "1a 2b "


def test_call_body_parameters_take_defaults() -> None:
    source = (
        "{% macro m() %}{{ caller(1) }}{{ caller(1, 2) }}{% endmacro %}"
        "{% call(a, b=0) m() %}{{ a }}{{ b }}{% endcall %}"
    )
    assert render(source) == "1012"


def test_caller_of_a_body_without_parameters_takes_no_arguments() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% macro m() %}{{ caller(1) }}{% endmacro %}{% call m() %}x{% endcall %}")
    assert "macro 'caller' takes not more than 0 argument(s)" in str(info.value)


def test_caller_is_undefined_without_a_call_block() -> None:
    source = "{% macro m() %}{{ 'yes' if caller is defined else 'no' }}{% endmacro %}{{ m() }}"
    assert render(source) == "no"


def test_a_call_body_for_a_macro_without_caller_is_refused() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% macro m() %}x{% endmacro %}{% call m() %}body{% endcall %}")
    assert "macro 'm' is called with a {% call %} body but never uses caller" in str(info.value)


def test_a_call_body_lands_in_kwargs_when_the_macro_reads_only_kwargs() -> None:
    source = "{% macro m() %}{{ kwargs.caller() }}{% endmacro %}{% call m() %}body{% endcall %}"
    assert render(source) == "body"


def test_a_def_receives_caller_arguments_too() -> None:
    source = "{% def row(x) %}<{{ caller(x) }}>{% end %}{% call(v) row(5) %}{{ v + 1 }}{% end %}"
    assert render(source) == "<6>"


def test_a_call_with_parameters_takes_no_slots() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        ENV.from_string("{% call(a) f() %}{% slot s %}x{% end %}{% end %}")
    assert "takes no {% slot %} content" in str(info.value)


# -- imports and render modes ---------------------------------------------------------------------

FORMS = "{% macro field(name) %}<input name='{{ name }}' class='{{ theme }}'>{% endmacro %}"


@pytest.mark.parametrize(
    "page",
    [
        "{% from 'forms.html' import field with context %}{{ field('q') }}",
        "{% import 'forms.html' as forms with context %}{{ forms.field('q') }}",
    ],
)
def test_an_imported_macro_sees_the_importer_context_with_context(page: str) -> None:
    env = Environment(loader=DictLoader({"forms.html": FORMS, "page.html": page}))
    assert env.get_template("page.html").render(theme="dark") == ("<input name='q' class='dark'>")


def test_an_imported_macro_does_not_see_the_importer_context_by_default() -> None:
    page = "{% from 'forms.html' import field %}{{ field('q') }}"
    env = Environment(loader=DictLoader({"forms.html": FORMS, "page.html": page}))
    with pytest.raises(UndefinedError):
        env.get_template("page.html").render(theme="dark")


def test_every_render_mode_agrees_on_a_call_block_with_arguments() -> None:
    source = (
        "{% macro m(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}"
        "{% call(x) m(items) %}<{{ x }}>{% endcall %}"
    )
    template = ENV.from_string(source)
    expected = "<1><2>"
    assert template.render(items=[1, 2]) == expected
    assert "".join(template.render_stream(items=[1, 2])) == expected


def test_call_validation_follows_the_macro_calling_rules() -> None:
    env = Environment(validate_calls=True)
    macro = "{% macro m(a, b) %}{{ varargs }}{% endmacro %}"
    # Missing arguments and extra positionals (read as varargs) are fine...
    assert env.from_string(macro + "{{ m(1, 2, 3) }}{{ m(1, 2) }}").render() == "(3,)()"
    env.from_string(macro + "{{ m(1) }}")
    # ...an unknown keyword is not: the body does not read kwargs.
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string(macro + "{{ m(1, z=2) }}")
    assert "unknown parameter 'z'" in str(info.value)


# -- macros inside control flow -----------------------------------------------------------------


def test_a_macro_defined_in_an_if_is_visible_after_it() -> None:
    source = "{% if wide %}{% macro cell() %}wide{% endmacro %}{% endif %}{{ cell() }}"
    assert render(source, wide=True) == "wide"


def test_a_macro_in_a_branch_not_taken_stays_undefined() -> None:
    source = "{% if false %}{% macro m() %}x{% endmacro %}{% endif %}{{ m is defined }}"
    assert render(source) == "False"


def test_the_taken_branch_decides_which_macro_is_bound() -> None:
    source = (
        "{% if dark %}{% macro theme() %}dark{% endmacro %}"
        "{% else %}{% macro theme() %}light{% endmacro %}{% endif %}{{ theme() }}"
    )
    assert render(source, dark=False) == "light"


def test_a_macro_in_a_loop_is_redefined_each_iteration() -> None:
    source = "{% for i in [1, 2] %}{% macro m() %}<{{ i }}>{% endmacro %}{{ m() }}{% endfor %}"
    assert render(source) == "<1><2>"


def test_a_macro_in_a_loop_is_not_visible_after_the_loop() -> None:
    source = "{% for i in [1] %}{% macro m() %}x{% endmacro %}{% endfor %}{{ m is defined }}"
    assert render(source) == "False"


def test_a_macro_defined_in_a_branch_of_a_loop_does_not_outlive_its_iteration() -> None:
    source = (
        "{% for i in [1, 2] %}{% if loop.first %}{% macro m() %}first{% endmacro %}{% endif %}"
        "{{ m() if m is defined else 'none' }} {% endfor %}"
    )
    assert render(source) == "first none "


def test_a_macro_in_a_loop_may_call_itself() -> None:
    source = (
        "{% for start in [2] %}{% macro down(n) %}{{ n }}{% if n %}{{ down(n - 1) }}{% endif %}"
        "{% endmacro %}{{ down(start) }}{% endfor %}"
    )
    assert render(source) == "210"


def test_a_macro_in_a_with_block_is_local_to_it() -> None:
    source = (
        "{% with a = 1 %}{% macro m() %}{{ a }}{% endmacro %}{{ m() }}{% endwith %}"
        "{{ m is defined }}"
    )
    assert render(source) == "1False"


def test_a_def_inside_an_if_is_still_refused() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        render("{% if true %}{% def d() %}x{% end %}{% end %}")
    assert info.value.code is ErrorCode.DEFINITION_NOT_TOPLEVEL
