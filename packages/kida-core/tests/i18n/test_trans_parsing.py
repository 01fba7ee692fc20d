"""Parsing ``{% trans %}``: message ids, bindings, the plural selector and every parse error."""

from __future__ import annotations

import pytest

from kida_core.errors import TemplateSyntaxError
from kida_core.lexer import tokenize
from kida_core.nodes import Const, Name, Trans
from kida_core.parser import Parser, parse


def trans_node(source: str, *, implicit: bool = False) -> Trans:
    tree = Parser(tokenize(source), source=source, trans_implicit_variables=implicit).parse()
    (node,) = [child for child in tree.body if isinstance(child, Trans)]
    return node


def syntax_error(source: str) -> TemplateSyntaxError:
    with pytest.raises(TemplateSyntaxError) as info:
        parse(source)
    return info.value


# -- message ids ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "singular", "plural"),
    [
        ("\n  Hello,\n  world!\n", "Hello, world!", None),
        ("Hello, {{ name }}!", "Hello, %(name)s!", None),
        ("One item.{% plural %}{{ count }} items.", "One item.", "%(count)s items."),
        ("a \t\u00a0  b", "a b", None),
        ("{{- name -}} !", "%(name)s!", None),
    ],
)
def test_message_ids_follow_the_normalisation_table(
    body: str, singular: str, plural: str | None
) -> None:
    node = trans_node(f"{{% trans name=n, count=c %}}{body}{{% endtrans %}}")
    assert (node.singular, node.plural) == (singular, plural)


def test_without_bindings_a_literal_percent_sign_is_kept() -> None:
    assert trans_node("{% trans %}100%{% endtrans %}").singular == "100%"


def test_notrimmed_keeps_the_body_verbatim() -> None:
    node = trans_node("{% trans notrimmed %}\n  Hello,\n  world!\n{% endtrans %}")
    assert node.singular == "\n  Hello,\n  world!\n"


def test_trimmed_is_the_default_normalisation() -> None:
    node = trans_node("{% trans trimmed %}\n  Hello,\n  world!\n{% endtrans %}")
    assert node.singular == "Hello, world!"


def test_a_leading_string_is_the_message_context() -> None:
    node = trans_node('{% trans "menu" %}Post{% endtrans %}')
    assert (node.context, node.singular) == ("menu", "Post")


def test_comments_inside_the_body_are_ignored() -> None:
    assert trans_node("{% trans %}Hello{# note #} world{% endtrans %}").singular == "Hello world"


def test_end_closes_a_trans_block() -> None:
    assert trans_node("{% trans %}Hi{% end %}").singular == "Hi"


def test_bindings_take_expressions_with_optional_commas() -> None:
    node = trans_node("{% trans a=x | upper b=1, c=2, %}{{ a }}{{ b }}{{ c }}{% endtrans %}")
    assert [var.name for var in node.variables] == ["a", "b", "c"]
    assert node.variables[1].expr == Const(value=1, lineno=1, col_offset=23)


# -- the plural selector ---------------------------------------------------------------


def test_the_count_binding_selects_the_plural() -> None:
    node = trans_node("{% trans n=1, count=2 %}a{% plural %}b{% endtrans %}")
    assert node.count_expr is node.variables[1].expr


def test_pluralize_is_an_alias_of_plural() -> None:
    node = trans_node("{% trans count=2 %}a{% pluralize %}b{% endtrans %}")
    assert node.plural == "b"


def test_plural_name_picks_the_selector() -> None:
    node = trans_node("{% trans count=1, n=2 %}a{% plural n %}b{% endtrans %}")
    assert node.count_expr is node.variables[1].expr


def test_without_count_the_first_binding_selects() -> None:
    node = trans_node("{% trans users=u, pages=p %}a{% plural %}b{% endtrans %}")
    assert node.count_expr is node.variables[0].expr


# -- implicit body variables (policy ext.i18n.implicit_variables) ------------------------


def test_implicit_variables_read_undeclared_names_from_the_context() -> None:
    node = trans_node("{% trans %}{{ user }} has {{ n }}{% endtrans %}", implicit=True)
    assert [(var.name, type(var.expr)) for var in node.variables] == [("user", Name), ("n", Name)]


def test_implicit_variables_select_the_plural_by_the_first_name() -> None:
    node = trans_node("{% trans %}{{ n }} x{% plural %}{{ n }} xs{% endtrans %}", implicit=True)
    assert node.count_expr == Name(name="n", lineno=1, col_offset=14)


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "hint"),
    [
        ('{% trans %}{{ "x" }}{% endtrans %}', "only simple variable names", "trans name="),
        ("{% trans %}{{ 1 }}{% endtrans %}", "only simple variable names", "trans name="),
        ("{% trans %}{{ name }}{% endtrans %}", "Undeclared variable 'name'", "name=expr"),
        ("{% trans %}{{ user.name }}{% endtrans %}", "Undeclared variable 'user'", "user=expr"),
        ("{% trans u=x %}{{ u.name }}{% endtrans %}", "Complex expressions", "u=your_expr"),
        ("{% trans u=x %}{{ u[0] }}{% endtrans %}", "Complex expressions", "u=your_expr"),
        ("{% trans u=x %}{{ u | upper }}{% endtrans %}", "Complex expressions", "u=your_expr"),
        ("{% trans u=x %}{{ u() }}{% endtrans %}", "Complex expressions", "u=your_expr"),
        ("{% trans %}{% if x %}{% endif %}{% endtrans %}", "Unexpected block tag 'if'", "plural"),
        ("{% trans %}{% trans %}{% endtrans %}", "Unexpected block tag 'trans'", "plural"),
        ("{% trans %}{% set a = 1 %}{% endtrans %}", "Unexpected block tag 'set'", "plural"),
        ("{% trans %}{% 'x' %}{% endtrans %}", "expected a block keyword", "plural"),
        (
            "{% trans count=1 %}a{% plural %}b{% plural %}c{% endtrans %}",
            "Duplicate {% plural %}",
            None,
        ),
        ("{% trans %}a{% plural %}b{% endtrans %}", "requires a 'count' variable", "count="),
        ("{% trans %}Hello", "unexpected end of template inside {% trans %}", "endtrans"),
        ("{% trans trimmed 'x' %}a{% endtrans %}", "expected end of {% trans %} tag", "bindings"),
        ("{% trans 1 %}a{% endtrans %}", "expected end of {% trans %} tag", "bindings"),
        ("{% trans a %}a{% endtrans %}", "expected '=' after 'a'", "a=a"),
        ("{% trans a=1, a=2 %}{{ a }}{% endtrans %}", "'a' is defined twice", "own name"),
        ("{% trans a=1 %}{{ a }}{% plural b %}x{% endtrans %}", "unknown variable 'b'", "b=expr"),
        ("{% trans a=1 %}100% of {{ a }}{% endtrans %}", "single '%'", "'%%'"),
        ("{% trans a=1 %}{{ a }} %(b)s{% endtrans %}", "'%(b)s'", "b=expr"),
        ("{% plural %}", "unexpected {% plural %}", "inside {% trans %}"),
        ("{% pluralize %}", "unexpected {% pluralize %}", "inside {% trans %}"),
        ("{% endtrans %}", "no open block to close", "spelled correctly"),
    ],
)
def test_parse_errors_name_the_problem_and_suggest_a_fix(
    source: str, message: str, hint: str | None
) -> None:
    error = syntax_error(source)
    assert message in error.message
    if hint is not None:
        assert hint in (error.suggestion or "")
    assert error.lineno == 1


def test_errors_point_at_the_offending_token() -> None:
    error = syntax_error("{% trans %}\nHello {{ user }}{% endtrans %}")
    assert (error.lineno, error.col_offset) == (2, 9)
    assert "Hello {{ user }}" in str(error)


def test_the_first_offending_token_in_body_order_wins() -> None:
    error = syntax_error("{% trans %}{{ a }}{% if x %}{% endtrans %}")
    assert "Undeclared variable 'a'" in error.message


def test_a_double_percent_is_accepted_with_bindings() -> None:
    assert trans_node("{% trans a=1 %}100%% {{ a }}{% endtrans %}").singular == "100%% %(a)s"
