"""Partial evaluation of the Kida AST against a ``static_context``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from kida_core import Environment
from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.compiler.partial_eval import partial_evaluate
from kida_core.filters import BUILTIN_PURE_FILTERS, DEFAULT_FILTERS
from kida_core.markup import Markup
from kida_core.nodes import (
    Assign,
    BinOp,
    BoolOp,
    Const,
    Data,
    Expr,
    Filter,
    Getattr,
    If,
    Name,
    Node,
    Output,
    Set,
    Test,
    With,
    walk,
)
from kida_core.parser import parse

_DEFAULT: Any = object()


def evaluate(
    source: str,
    static: Mapping[str, Any] | None = None,
    *,
    pure: frozenset[str] = BUILTIN_PURE_FILTERS,
    tests: Mapping[str, Callable[..., Any]] | None = _DEFAULT,
    environment: Environment | None = None,
) -> tuple[Node, ...]:
    root = partial_evaluate(
        parse(source),
        static or {},
        filters=DEFAULT_FILTERS,
        pure_filters=pure,
        tests=DEFAULT_TESTS if tests is _DEFAULT else tests,
        environment=environment,
    )
    return root.body


def text(body: tuple[Node, ...]) -> str:
    """The text of a body made of exactly one ``Data`` node."""
    [node] = body
    assert isinstance(node, Data), node
    return node.value


def expr(source: str, static: Mapping[str, Any] | None = None, **kw: Any) -> Expr:
    """The expression of a template made of one ``{{ source }}``."""
    [output] = evaluate("{{ " + source + " }}", static, **kw)
    assert isinstance(output, Output)
    return output.expr


def folded(source: str, static: Mapping[str, Any] | None = None, **kw: Any) -> Any:
    result = expr(source, static, **kw)
    assert isinstance(result, Const), result
    return result.value


class Page:
    title = "From an object"


# -- substitution -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["text", 3, 1.5, True, None])
def test_literal_static_names_become_constants(value: object) -> None:
    result = expr("v", {"v": value})
    assert isinstance(result, Const)
    assert result.value is value or result.value == value


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], Markup("<b>")])
def test_non_literal_static_names_stay_names(value: object) -> None:
    assert expr("v", {"v": value}) == Name(name="v", lineno=1, col_offset=3)


def test_names_missing_from_the_static_context_stay_names() -> None:
    assert isinstance(expr("other", {"v": 1}), Name)


def test_attribute_of_a_static_dict_folds() -> None:
    assert folded("site.title", {"site": {"title": "Kida"}}) == "Kida"


def test_attribute_of_a_static_object_folds() -> None:
    assert folded("page.title", {"page": Page()}) == "From an object"


def test_dict_key_wins_over_dict_attribute() -> None:
    assert folded("d.items", {"d": {"items": "key"}}) == "key"


def test_item_lookup_folds() -> None:
    assert folded('site["meta"]["lang"]', {"site": {"meta": {"lang": "en"}}}) == "en"


def test_missing_attribute_is_left_for_the_runtime() -> None:
    assert isinstance(expr("site.nope", {"site": {"title": "x"}}), Getattr)


def test_non_literal_attribute_is_left_unfolded() -> None:
    assert isinstance(expr("site.meta", {"site": {"meta": {"lang": "en"}}}), Getattr)


@pytest.mark.parametrize(
    "source",
    [
        "{% set x = 1 %}{{ x }}",
        "{{ x }}{% let x = 1 %}",
        "{% if c %}{% export x = 1 %}{% end %}{{ x }}",
        "{% for x in items %}{% end %}{{ x }}",
        "{% for k, x in items %}{% end %}{{ x }}",
        "{% with x = 2 %}{% end %}{{ x }}",
        "{% with v as x %}{% end %}{{ x }}",
        "{% capture x %}a{% end %}{{ x }}",
        "{% def f(x) %}{% end %}{{ x }}",
        "{% def x() %}{% end %}{{ x }}",
        "{{ [x for x in items] }}{{ x }}",
        "{% match v %}{% case x %}{% end %}{{ x }}",
        '{% import "m.html" as x %}{{ x }}',
    ],
)
def test_names_bound_anywhere_are_never_substituted(source: str) -> None:
    body = evaluate(source, {"x": "STATIC"})
    assert not any(isinstance(n, Const) and n.value == "STATIC" for b in body for n in walk(b))


def test_loop_is_never_substituted() -> None:
    assert isinstance(expr("loop", {"loop": "static"}), Name)


def test_template_declaration_does_not_block_substitution() -> None:
    *_, output = evaluate("{% template site %}{{ site }}", {"site": "s"})
    assert isinstance(output, Output)
    assert isinstance(output.expr, Const)
    assert output.expr.value == "s"


# -- constant folding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("1 + 2", 3),
        ('"a" + 1', "a1"),
        ("5 - 2", 3),
        ("2 * 3", 6),
        ('"ab" * 2', "abab"),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("7 % 4", 3),
        ("2 ** 10", 1024),
        ('"a" ~ 1 ~ true', "a1True"),
        ("-n", -7),
        ("+n", 7),
        ("not n", False),
        ("1 < 2 <= 2", True),
        ("1 < 3 > 2 > 5", False),
        ('"b" in "abc"', True),
        ('"z" not in "abc"', True),
        ("none is none", True),
        ("n is not none", True),
        ("n == 7", True),
    ],
)
def test_operators_on_constants_fold(source: str, value: object) -> None:
    result = folded(source, {"n": 7})
    assert result == value
    assert type(result) is type(value)


def test_concatenation_renders_none_as_empty() -> None:
    assert folded('"a" ~ none ~ "b"', {}) == "ab"


@pytest.mark.parametrize(
    ("source", "value"), [("false and x", False), ("0 and x", 0), ("true or x", True)]
)
def test_bool_op_short_circuits_on_a_deciding_constant(source: str, value: object) -> None:
    result = folded(source)
    assert result == value
    assert type(result) is type(value)


def test_bool_op_drops_non_deciding_constants() -> None:
    assert isinstance(expr("true and x"), Name)
    result = expr("x and 1 and y")
    assert isinstance(result, BoolOp)
    assert [type(v) for v in result.values] == [Name, Name]


def test_conditional_with_constant_test_picks_a_branch() -> None:
    assert isinstance(expr("x if true else 1"), Name)
    assert folded("x if false else 3") == 3
    assert folded("x if false") == ""


def test_null_coalesce_on_constants() -> None:
    assert isinstance(expr("none ?? x"), Name)
    assert folded("5 ?? x") == 5
    assert folded("v ?? 1", {"v": None}) == 1


def test_operators_with_unknown_operands_are_kept() -> None:
    result = expr("x + 1")
    assert isinstance(result, BinOp)
    assert result.right == Const(value=1, lineno=1, col_offset=7)


@pytest.mark.parametrize("source", ["1 / 0", "1 // 0", "1 % 0", '"a" - 1', '1 < "a"', "-none"])
def test_raising_operations_are_left_for_the_runtime(source: str) -> None:
    assert not isinstance(expr(source), Const)


@pytest.mark.parametrize(
    "source", ['"x" * 100000', '100000 * "x"', "2 ** 100000", "(10 ** 3000) * (10 ** 3000)"]
)
def test_results_beyond_the_size_cap_are_not_computed(source: str) -> None:
    assert isinstance(expr(source), BinOp)


def test_results_under_the_size_cap_are_computed() -> None:
    assert folded('"x" * 10') == "x" * 10


def test_string_formatting_is_not_folded() -> None:
    assert isinstance(expr('"%s!" % 1'), BinOp)


# -- filters and tests --------------------------------------------------------------------------


def test_pure_filter_upper_folds() -> None:
    assert folded("site.title | upper", {"site": {"title": "kida"}}) == "KIDA"


def test_pure_filter_length_folds() -> None:
    assert folded("[1, 2, 3] | length") == 3
    assert folded("items | length", {"items": [1, 2]}) == 2


def test_pure_filter_join_folds_with_the_environment() -> None:
    env = Environment()
    assert folded('["a", "b"] | join(", ")', environment=env) == "a, b"
    assert folded('items | join("-")', {"items": ["x", "y"]}, environment=env) == "x-y"


def test_environment_filter_is_untouched_without_the_environment() -> None:
    assert isinstance(expr('["a", "b"] | join(", ")'), Filter)


def test_impure_filter_is_untouched() -> None:
    assert isinstance(expr("[1, 2] | random"), Filter)


def test_unknown_filter_is_untouched() -> None:
    assert isinstance(expr('"a" | nosuch'), Filter)


def test_filter_with_unknown_argument_is_untouched() -> None:
    assert isinstance(expr('["a"] | join(sep)'), Filter)


def test_markup_result_of_escape_is_not_folded() -> None:
    assert isinstance(expr('"<b>" | escape'), Filter)


def test_markup_result_of_safe_is_not_folded_even_if_declared_pure() -> None:
    assert isinstance(expr('"<b>" | safe', pure=BUILTIN_PURE_FILTERS | {"safe"}), Filter)


def test_filter_that_warns_is_left_for_the_runtime() -> None:
    assert isinstance(expr('"abc" | int'), Filter)


def test_filter_building_a_huge_string_is_not_called() -> None:
    assert isinstance(expr('"x" | center(1000000000)'), Filter)


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("3 is odd", True),
        ("3 is not odd", False),
        ("n is divisibleby(7)", True),
        ('"a" is string', True),
        ("none is number", False),
        ("2 is in([1, 2])", True),
        ("v is defined", True),
        ("none is defined", True),
        ("site.title is undefined", False),
    ],
)
def test_safe_tests_fold(source: str, value: bool) -> None:
    assert folded(source, {"n": 7, "v": [1], "site": {"title": "t"}}) is value


def test_tests_fold_only_when_the_registry_is_known() -> None:
    assert isinstance(expr("3 is odd", tests=None), Test)
    assert folded("3 is defined", tests=None) is True


def test_overridden_test_is_not_folded() -> None:
    assert isinstance(expr("3 is odd", tests={**DEFAULT_TESTS, "odd": lambda v: False}), Test)


def test_tests_outside_the_safe_set_are_not_folded() -> None:
    assert isinstance(expr("1 is sameas(1)"), Test)
    assert isinstance(expr('"a" is match("a")'), Test)


def test_defined_on_an_unknown_name_is_kept() -> None:
    assert isinstance(expr("x is defined"), Test)


# -- dead branches ------------------------------------------------------------------------------


def test_if_with_a_constant_test_inlines_the_chosen_branch() -> None:
    assert text(evaluate("{% if false %}a{% elif true %}b{% else %}c{% end %}")) == "b"


def test_if_takes_the_else_when_every_test_is_false() -> None:
    assert text(evaluate("{% if flag %}a{% else %}c{% end %}", {"flag": False})) == "c"


def test_elif_chain_drops_false_branches_and_stops_at_the_first_true() -> None:
    [node] = evaluate("{% if x %}a{% elif false %}b{% elif true %}c{% else %}d{% end %}")
    assert isinstance(node, If)
    assert node.elifs == ()
    assert text(node.body) == "a"
    assert text(node.else_) == "c"


def test_while_false_is_removed() -> None:
    assert evaluate("{% while false %}x{% end %}") == ()


def test_for_over_an_empty_list_renders_its_else() -> None:
    assert text(evaluate("{% for i in [] %}x{% else %}empty{% end %}")) == "empty"


def test_for_over_an_empty_list_without_else_disappears() -> None:
    assert text(evaluate("a{% for i in () %}x{% end %}")) == "a"


def test_adjacent_text_merges_after_simplification() -> None:
    assert text(evaluate("a{% if true %}b{% end %}c")) == "abc"


def test_constant_output_stays_an_output() -> None:
    [node] = evaluate("{{ 1 + 1 }}")
    assert node == Output(lineno=1, col_offset=0, expr=Const(value=2, lineno=1, col_offset=3))


def test_set_inside_a_chosen_if_is_not_inlined() -> None:
    [node] = evaluate("{% if true %}{% set y = 1 %}{{ y }}{% end %}")
    assert isinstance(node, If)
    assert node.test == Const(value=True, lineno=1, col_offset=0)
    assert isinstance(node.body[0], Set)


def test_set_inside_a_for_else_is_kept_in_its_own_scope() -> None:
    [node] = evaluate("{% for i in [] %}{% else %}{% set y = 1 %}{% end %}")
    assert isinstance(node, If)
    assert isinstance(node.body[0], Set)


def test_block_inside_a_dead_branch_is_kept() -> None:
    [node] = evaluate("{% if false %}{% block b %}x{% end %}{% end %}")
    assert isinstance(node, If)


def test_unknown_filter_in_a_dead_branch_is_kept_for_its_compile_error() -> None:
    [node] = evaluate("{% if false %}{{ x | nosuchfilter }}{% end %}")
    assert isinstance(node, If)


def test_unknown_filter_in_a_dead_operand_is_kept() -> None:
    assert isinstance(expr("false and (x | nosuchfilter)"), BoolOp)


def test_strict_operand_of_a_lenient_filter_is_not_made_lenient() -> None:
    result = expr('(x if false else site.missing) | default("d")', {"site": {}})
    assert isinstance(result, Filter)
    assert not isinstance(result.value, Getattr)


def test_with_over_a_false_constant_renders_its_else() -> None:
    assert text(evaluate("{% with 0 as w %}a{% else %}b{% end %}")) == "b"


def test_with_over_true_constants_binds_without_a_test() -> None:
    [node] = evaluate('{% with "v" as w %}{{ w }}{% end %}')
    assert isinstance(node, With)
    [assignment] = node.assignments
    assert isinstance(assignment, Assign)
    assert assignment.target == Name(name="w", lineno=1, col_offset=8)
    assert assignment.value == Const(value="v", lineno=1, col_offset=8)


# -- tree properties ----------------------------------------------------------------------------

SOURCE = (
    "{% if site.debug %}{% set y = 1 %}{{ y }}{% elif x %}a{% end %}"
    "{{ site.title | upper }}{% for i in [] %}{% else %}{{ n * 2 }}{% end %}"
)
STATIC = {"site": {"debug": False, "title": "t"}, "n": 4}


def test_the_input_tree_is_not_mutated() -> None:
    root = parse(SOURCE)
    partial_evaluate(root, STATIC, filters=DEFAULT_FILTERS, pure_filters=BUILTIN_PURE_FILTERS)
    assert root == parse(SOURCE)


def test_evaluation_is_idempotent() -> None:
    kw: dict[str, Any] = {"filters": DEFAULT_FILTERS, "pure_filters": BUILTIN_PURE_FILTERS}
    once = partial_evaluate(parse(SOURCE), STATIC, **kw)
    assert once != parse(SOURCE)
    assert partial_evaluate(once, STATIC, **kw) == once


def test_a_tree_with_nothing_to_simplify_is_returned_as_is() -> None:
    root = parse("{% for i in items %}{{ i.name | lower }}{% end %}")
    result = partial_evaluate(root, {}, filters=DEFAULT_FILTERS, pure_filters=BUILTIN_PURE_FILTERS)
    assert result is root


# -- long chains --------------------------------------------------------------------------------

LONG = 1500


def test_a_long_chain_of_static_operands_folds_to_one_constant() -> None:
    assert folded(" + ".join(["n"] * LONG), {"n": 2}) == 2 * LONG


def test_a_long_chain_after_an_unknown_operand_keeps_its_shape() -> None:
    result = expr(" ~ ".join(["x", *["s"] * (LONG - 1)]), {"s": "a"})
    rights = []
    while isinstance(result, BinOp):
        rights.append(result.right.value if isinstance(result.right, Const) else None)
        result = result.left
    assert rights == ["a"] * (LONG - 1)
    assert isinstance(result, Name) and result.name == "x"


def test_a_long_attribute_chain_on_a_static_value_folds() -> None:
    nested: dict[str, Any] = {"leaf": "end"}
    for _ in range(250):
        nested = {"child": nested}
    assert folded("tree" + ".child" * 250 + ".leaf", {"tree": nested}) == "end"


def test_a_template_with_a_long_chain_compiles_with_a_static_context() -> None:
    env = Environment(static_context={"n": 1})
    source = "{{ " + " + ".join(["x", *["n"] * (LONG - 1)]) + " }}{{ n" + " | string" * 150 + " }}"
    assert env.from_string(source, name="t.html").render(x=1) == f"{LONG}1"
