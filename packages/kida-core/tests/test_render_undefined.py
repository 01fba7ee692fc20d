"""Strict and lenient undefined handling, escape hatches, and globals."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment, ErrorCode, TemplateRuntimeError, UndefinedError


def render(source: str, /, env: Environment | None = None, **context: Any) -> str:
    env = env or Environment()  # keep a strong reference: templates hold their env weakly
    return env.from_string(source).render(**context)


def undefined_error(source: str, /, name: str = "page.html", **context: Any) -> UndefinedError:
    env = Environment()
    template = env.from_string(source, name=name)
    with pytest.raises(UndefinedError) as info:
        template.render(**context)
    return info.value


class Customer:
    def __init__(self) -> None:
        self.email = "c@example.com"
        self.name = "Cy"


# -- strict mode (default) -----------------------------------------------------------------


def test_strict_is_the_default() -> None:
    assert Environment().strict_undefined is True


def test_missing_variable_raises_with_kind_variable() -> None:
    err = undefined_error("{{ totl }}", total=3)
    assert (err.kind, err.name, err.code) == ("variable", "totl", ErrorCode.UNDEFINED_VARIABLE)


def test_undefined_error_is_not_a_runtime_error() -> None:
    err = undefined_error("{{ x }}")
    assert not isinstance(err, TemplateRuntimeError)


def test_missing_variable_reports_template_name() -> None:
    assert undefined_error("{{ x }}", name="page.html").template == "page.html"


def test_missing_variable_reports_line_number() -> None:
    err = undefined_error("<h1>Title</h1>\n<p>\n  {{ usr.name }}\n</p>", user={"name": "A"})
    assert err.lineno == 3


def test_missing_variable_suggests_close_context_name() -> None:
    err = undefined_error("{{ usr.name }}", user={"name": "Ada"})
    assert err.suggestion == "user"
    assert "Did you mean 'user'?" in str(err)


def test_missing_variable_message_names_variable_and_location() -> None:
    err = undefined_error("a\n{{ usr }}", user=1)
    assert "Undefined variable 'usr' in page.html:2" in str(err)


def test_missing_attribute_raises_with_kind_attribute() -> None:
    err = undefined_error("<dt>Email</dt>\n<dd>{{ customer.emial }}</dd>", customer=Customer())
    assert (err.kind, err.name, err.lineno, err.template) == ("attribute", "emial", 2, "page.html")


def test_missing_attribute_suggests_close_attribute() -> None:
    err = undefined_error("{{ customer.emial }}", customer=Customer())
    assert err.suggestion == "email"


def test_missing_dict_key_via_dot_raises_with_kind_key() -> None:
    err = undefined_error("{{ user.emial }}", user={"email": "e"})
    assert (err.kind, err.name, err.suggestion) == ("key", "emial", "email")


def test_missing_dict_key_via_subscript_raises_with_kind_key() -> None:
    err = undefined_error("x\ny\n{{ user['emial'] }}", user={"email": "e"})
    assert (err.kind, err.name, err.lineno, err.suggestion) == ("key", "emial", 3, "email")


def test_missing_variable_inside_loop_reports_its_line() -> None:
    err = undefined_error("{% for x in xs %}\n  {{ x }}\n  {{ y }}\n{% end %}", xs=[1])
    assert (err.name, err.lineno) == ("y", 3)


def test_missing_name_in_condition_raises() -> None:
    err = undefined_error("{% if flg %}x{% end %}", flag=True)
    assert (err.name, err.suggestion) == ("flg", "flag")


def test_missing_iterable_raises() -> None:
    assert undefined_error("{% for x in itmes %}{% end %}", items=[]).name == "itmes"


def test_variable_only_used_in_false_branch_does_not_raise() -> None:
    assert render("{% if show %}{{ secret }}{% end %}ok", show=False) == "ok"


def test_variable_only_used_in_untaken_else_does_not_raise() -> None:
    assert render("{% if show %}yes{% else %}{{ secret.value }}{% end %}", show=True) == "yes"


def test_variable_only_used_in_empty_loop_does_not_raise() -> None:
    assert render("{% for x in xs %}{{ nope }}{% end %}done", xs=[]) == "done"


def test_none_value_is_defined_not_an_error() -> None:
    assert render("[{{ x }}]", x=None) == "[]"


# -- lenient mode ---------------------------------------------------------------------------


LENIENT = {"strict_undefined": False}


def test_lenient_missing_variable_renders_empty() -> None:
    assert render("[{{ missing }}]", env=Environment(**LENIENT)) == "[]"


def test_lenient_missing_attribute_renders_empty() -> None:
    assert render("[{{ c.nope }}]", env=Environment(**LENIENT), c=Customer()) == "[]"


def test_lenient_missing_key_renders_empty() -> None:
    assert render("[{{ d.k }}][{{ d['k'] }}]", env=Environment(**LENIENT), d={}) == "[][]"


def test_lenient_missing_chain_renders_empty() -> None:
    assert render("[{{ a.b.c }}][{{ a['b'].c }}]", env=Environment(**LENIENT)) == "[][]"


def test_lenient_undefined_iterates_as_empty() -> None:
    source = "{% for x in missing %}{{ x }}{% else %}empty{% end %}"
    assert render(source, env=Environment(**LENIENT)) == "empty"


def test_lenient_undefined_is_falsy() -> None:
    assert render("{% if missing %}yes{% else %}no{% end %}", env=Environment(**LENIENT)) == "no"


def test_lenient_undefined_has_zero_length() -> None:
    assert render("{{ missing | length }}", env=Environment(**LENIENT)) == "0"


def test_lenient_undefined_is_not_defined() -> None:
    assert render("{{ missing is defined }}", env=Environment(**LENIENT)) == "False"


def test_lenient_present_values_render_normally() -> None:
    assert render("{{ c.name }}", env=Environment(**LENIENT), c=Customer()) == "Cy"


# -- escape hatches never raise ---------------------------------------------------------------


def test_default_filter_on_missing_variable() -> None:
    assert render("{{ missing | default('n/a') }}") == "n/a"


def test_default_filter_on_missing_chain() -> None:
    assert render("{{ user.profile.bio | default('none') }}", user={}) == "none"


def test_default_filter_on_missing_chain_root() -> None:
    assert render("{{ user.profile.bio | d('none') }}") == "none"


def test_default_filter_on_missing_object_attribute() -> None:
    assert render("{{ c.phone | default('-') }}", c=Customer()) == "-"


def test_default_filter_keeps_present_value() -> None:
    assert render("{{ c.email | default('-') }}", c=Customer()) == "c@example.com"


def test_coalesce_on_missing_variable() -> None:
    assert render("{{ missing ?? 'x' }}") == "x"


def test_coalesce_on_missing_chain() -> None:
    assert render("{{ a.b['c'].d ?? 'x' }}", a={"b": {}}) == "x"


def test_coalesce_on_missing_object_attribute() -> None:
    assert render("{{ c.phone ?? 'x' }}", c=Customer()) == "x"


def test_is_defined_on_missing_chain() -> None:
    assert render("{{ a.b.c is defined }}|{{ a.b.c is undefined }}") == "False|True"


def test_optional_chaining_on_missing_variable() -> None:
    assert render("[{{ missing?.attr }}]") == "[]"


# -- globals -------------------------------------------------------------------------------


def test_range_global() -> None:
    assert render("{% for i in range(3) %}{{ i }}{% end %}") == "012"


def test_len_global() -> None:
    assert render("{{ len(xs) }}", xs=[1, 2, 3]) == "3"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ sum([1, 2]) }}", "3"),
        ("{{ max(3, 9) }}{{ min(3, 9) }}", "93"),
        ("{{ sorted([3, 1, 2]) }}", "[1, 2, 3]"),
        ("{{ list(reversed([1, 2])) }}", "[2, 1]"),
        ("{{ abs(-4) }}{{ int('5') }}{{ str(6) }}{{ float(1) }}{{ bool(0) }}", "4561.0False"),
        ("{% for i, c in enumerate('ab') %}{{ i }}{{ c }}{% end %}", "0a1b"),
        ("{% for a, b in zip('ab', 'cd') %}{{ a }}{{ b }}{% end %}", "acbd"),
        ("{{ dict(a=1) | length }}{{ tuple([1]) | length }}{{ set([1, 1]) | length }}", "111"),
        ("{{ list(map(str, [1])) }}{{ list(filter(none, [0, 1])) }}", "[&#39;1&#39;][1]"),
    ],
)
def test_builtin_globals(source: str, expected: str) -> None:
    assert render(source) == expected


def test_user_global_added_with_add_global() -> None:
    env = Environment()
    env.add_global("site_name", "Kida Docs")
    assert render("{{ site_name }}", env=env) == "Kida Docs"


def test_user_callable_global() -> None:
    env = Environment()
    env.add_global("double", lambda x: x * 2)
    assert render("{{ double(21) }}", env=env) == "42"


def test_globals_passed_to_environment_constructor() -> None:
    env = Environment(globals={"version": "1.0"})
    assert render("v{{ version }} {{ len('ab') }}", env=env) == "v1.0 2"


def test_context_wins_over_user_global() -> None:
    env = Environment()
    env.add_global("title", "global")
    assert render("{{ title }}", env=env, title="context") == "context"


def test_context_wins_over_builtin_global() -> None:
    assert render("{{ range }}", range="mine") == "mine"


def test_global_registered_after_compile_is_visible() -> None:
    env = Environment()
    template = env.from_string("{{ late ?? 'missing' }}")
    env.add_global("late", "here")
    assert template.render() == "here"


def test_missing_name_suggests_global() -> None:
    err = undefined_error("{{ rnage(3) }}")
    assert err.suggestion == "range"
