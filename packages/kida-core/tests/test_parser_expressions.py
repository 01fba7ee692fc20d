"""Expression parsing: precedence, operators, literals and postfix forms.

Most tests print the parsed expression fully parenthesised with :func:`show`,
so each assertion reads as "this source means that grouping".
"""

from __future__ import annotations

import pytest

from kida_core.errors import ErrorCode
from kida_core.lexer import tokenize
from kida_core.nodes import (
    Await,
    BinOp,
    BoolOp,
    Call,
    Compare,
    CondExpr,
    Const,
    DictExpr,
    Expr,
    Filter,
    Getattr,
    Getitem,
    ListComp,
    ListExpr,
    Name,
    Node,
    NullCoalesce,
    Output,
    RangeExpr,
    Slice,
    Test,
    TupleExpr,
    UnaryOp,
)
from kida_core.parser import Parser, parse


def expr(source: str) -> Expr:
    """The expression of ``{{ source }}``."""
    output = parse("{{ " + source + " }}").body[0]
    assert isinstance(output, Output)
    return output.expr


def _args(node: Call | Filter | Test) -> str:
    """``(a, k=v, *x, **y)`` for a node's arguments (empty when it has none)."""
    parts = [show(a) for a in node.args] + [f"{k.name}={show(k.value)}" for k in node.kwargs]
    if not isinstance(node, Test):
        if node.dyn_args is not None:
            parts.append("*" + show(node.dyn_args))
        if node.dyn_kwargs is not None:
            parts.append("**" + show(node.dyn_kwargs))
    return f"({', '.join(parts)})" if parts or isinstance(node, Call) else ""


def show(node: Node | None) -> str:
    """Fully parenthesised source for an expression node."""
    match node:
        case None:
            return ""
        case Const(value=value):
            return repr(value)
        case Name(name=name):
            return name
        case BinOp(op=op, left=left, right=right):
            return f"({show(left)} {op} {show(right)})"
        case UnaryOp(op="not", operand=operand):
            return f"(not {show(operand)})"
        case UnaryOp(op=op, operand=operand):
            return f"({op}{show(operand)})"
        case BoolOp(op=op, values=values):
            return "(" + f" {op} ".join(show(v) for v in values) + ")"
        case Compare(left=left, ops=ops, comparators=comparators):
            rest = "".join(f" {op} {show(c)}" for op, c in zip(ops, comparators, strict=True))
            return f"({show(left)}{rest})"
        case Test(value=value, name=name, negated=negated):
            return f"({show(value)} is {'not ' if negated else ''}{name}{_args(node)})"
        case CondExpr(test=test, body=body, orelse=orelse):
            tail = f" else {show(orelse)}" if orelse is not None else ""
            return f"({show(body)} if {show(test)}{tail})"
        case NullCoalesce(left=left, right=right):
            return f"({show(left)} ?? {show(right)})"
        case Filter(value=value, name=name, optional=optional, pipeline=pipeline):
            op = ("?" if optional else "") + ("|>" if pipeline else "|")
            return f"({show(value)} {op} {name}{_args(node)})"
        case Getattr(obj=obj, attr=attr, optional=optional):
            return f"{show(obj)}{'?.' if optional else '.'}{attr}"
        case Getitem(obj=obj, key=key, optional=optional):
            return f"{show(obj)}{'?[' if optional else '['}{show(key)}]"
        case Slice(start=start, stop=stop, step=step):
            return f"{show(start)}:{show(stop)}" + (f":{show(step)}" if step else "")
        case Call(func=func):
            return show(func) + _args(node)
        case TupleExpr(items=items):
            return "(" + ", ".join(show(i) for i in items) + ("," if len(items) == 1 else "") + ")"
        case ListExpr(items=items):
            return "[" + ", ".join(show(i) for i in items) + "]"
        case DictExpr(keys=keys, values=values):
            pairs = (f"{show(k)}: {show(v)}" for k, v in zip(keys, values, strict=True))
            return "{" + ", ".join(pairs) + "}"
        case ListComp(elt=elt, target=target, iter=iterable, cond=cond):
            tail = f" if {show(cond)}" if cond is not None else ""
            return f"[{show(elt)} for {show(target)} in {show(iterable)}{tail}]"
        case RangeExpr(start=start, stop=stop, inclusive=inclusive, step=step):
            by = f" by {show(step)}" if step is not None else ""
            return f"({show(start)}{'..' if inclusive else '...'}{show(stop)}{by})"
        case Await(value=value):
            return f"(await {show(value)})"
    raise AssertionError(f"unexpected node {node!r}")


def read(source: str) -> str:
    """Parse ``source`` as an output expression and show its grouping."""
    return show(expr(source))


# -- precedence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("a ?? b ?? c", "(a ?? (b ?? c))"),
        ("a ?? b if c else d", "(a ?? (b if c else d))"),
        ("a if b else c if d else e", "(a if b else (c if d else e))"),
        ("a or b and c", "(a or (b and c))"),
        ("not a and b", "((not a) and b)"),
        ("not a == b", "(not (a == b))"),
        ("a == b + c", "(a == (b + c))"),
        ("a + b | f", "(a + (b | f))"),
        ("a * b | f", "((a * b) | f)"),
        ("-3 | abs", "(-3 | abs)"),
        ("a ~ b * c", "(a ~ (b * c))"),
        ("-a * b", "((-a) * b)"),
        ("-a ** b", "(-(a ** b))"),
        ("a ** b ** c", "(a ** (b ** c))"),
        ("a ** -b", "(a ** (-b))"),
        ("-x.y[0]", "(-x.y[0])"),
        ("a - b - c", "((a - b) - c)"),
        ("a // b % c", "((a // b) % c)"),
    ],
)
def test_precedence(source: str, grouping: str) -> None:
    assert read(source) == grouping


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("a.b[0](c) ?? d", "(a.b[0](c) ?? d)"),
        ("a.b if c else d", "(a.b if c else d)"),
        ("a.b or c", "(a.b or c)"),
        ("f(x) and g", "(f(x) and g)"),
        ("a.b in c", "(a.b in c)"),
        ("a[0] is odd", "(a[0] is odd)"),
        ("a.b ~ c", "(a.b ~ c)"),
        ("a.b | f", "(a.b | f)"),
        ("a.b * c", "(a.b * c)"),
        ("a.b ..c", "(a.b..c)"),
        ("a.b ** c", "(a.b ** c)"),
        ("[a, (b)][0] == c", "([a, b][0] == c)"),
    ],
)
def test_postfix_operand_continues_into_every_operator_level(source: str, grouping: str) -> None:
    # An operand is parsed once up front; whatever operator follows takes it over.
    assert read(source) == grouping


def test_or_and_chains_are_flattened() -> None:
    node = expr("a or b or c")
    assert isinstance(node, BoolOp) and len(node.values) == 3


# -- ?? and ternary -----------------------------------------------------------


def test_null_coalesce() -> None:
    assert isinstance(expr("a ?? 'x'"), NullCoalesce)


def test_ternary_without_else() -> None:
    node = expr("'yes' if ok")
    assert isinstance(node, CondExpr) and node.orelse is None


# -- comparisons and tests ----------------------------------------------------


def test_comparison_chain_is_one_compare_node() -> None:
    assert read("a < b <= c != d") == "(a < b <= c != d)"


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("a in b", "(a in b)"),
        ("a not in b", "(a not in b)"),
        ("a is none", "(a is None)"),
        ("a is not None", "(a is not None)"),
        ("a is true", "(a is True)"),
        ("a is False", "(a is False)"),
    ],
)
def test_membership_and_identity(source: str, grouping: str) -> None:
    assert read(source) == grouping


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("x is defined", "(x is defined)"),
        ("x is not defined", "(x is not defined)"),
        ("x is divisibleby(3)", "(x is divisibleby(3))"),
        ("x is divisibleby 3", "(x is divisibleby(3))"),
        ("x is sameas false", "(x is sameas(False))"),
        ("x is sameas none", "(x is sameas(None))"),
        ("x is string 'a'", "(x is string('a'))"),
        ("x is defined and y", "((x is defined) and y)"),
        ("a + b is odd", "((a + b) is odd)"),
    ],
)
def test_tests(source: str, grouping: str) -> None:
    assert read(source) == grouping


def test_test_keyword_arguments() -> None:
    node = expr("x is within(low=1)")
    assert isinstance(node, Test) and node.kwargs[0].name == "low"


# -- filters ------------------------------------------------------------------


def test_filter_chain_is_left_associative() -> None:
    assert read("x | f | g(1, k=2)") == "((x | f) | g(1, k=2))"


def test_filter_arguments_accept_star_args() -> None:
    assert read("x | f(*a, **k)") == "(x | f(*a, **k))"


@pytest.mark.parametrize(
    ("source", "optional", "pipeline"),
    [
        ("x | f", False, False),
        ("x ?| f", True, False),
        ("x |> f", False, True),
        ("x ?|> f", True, True),
    ],
)
def test_filter_operator_flags(source: str, optional: bool, pipeline: bool) -> None:
    node = expr(source)
    assert isinstance(node, Filter)
    assert (node.optional, node.pipeline) == (optional, pipeline)


def test_optional_filter_mixes_with_classic_filter() -> None:
    assert read("x ?| f | g") == "((x ?| f) | g)"


def test_pipeline_chain() -> None:
    assert read("x |> f |> g(2)") == "((x |> f) |> g(2))"


def test_filter_on_a_parenthesised_expression() -> None:
    assert read("(a + b) | f") == "((a + b) | f)"


def test_filter_chain_of_exactly_200_steps_is_allowed() -> None:
    node = expr("x" + " | f" * 200)
    assert isinstance(node, Filter)


# -- unary, await, power --------------------------------------------------------


def test_negative_number_literals_are_folded() -> None:
    assert expr("-5") == Const(value=-5, lineno=1, col_offset=3)
    assert read("-2.5") == "-2.5"


def test_unary_minus_on_a_name_stays_an_operation() -> None:
    assert isinstance(expr("-x"), UnaryOp)


def test_await() -> None:
    assert read("await fetch() | f") == "((await fetch()) | f)"


# -- ranges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("1..5", "(1..5)"),
        ("0...5", "(0...5)"),
        ("0..20 by 5", "(0..20 by 5)"),
        ("-5..5", "(-5..5)"),
        ("10..0 by -2", "(10..0 by -2)"),
        ("1..n | list", "((1..n) | list)"),
        ("a.start..a.stop", "(a.start..a.stop)"),
    ],
)
def test_range_literals(source: str, grouping: str) -> None:
    assert read(source) == grouping


# -- postfix ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("a.b.c", "a.b.c"),
        ("a?.b", "a?.b"),
        ("a[0]", "a[0]"),
        ("a?['k']", "a?['k']"),
        ("a.0", "a[0]"),
        ("a[1:2]", "a[1:2]"),
        ("a[:]", "a[:]"),
        ("a[::2]", "a[::2]"),
        ("a[1:]", "a[1:]"),
        ("a[:-1]", "a[:-1]"),
        ("f()", "f()"),
        ("f(a, b)(c)", "f(a, b)(c)"),
        ("obj.method(x, k=v)", "obj.method(x, k=v)"),
        ("f(*args, **kwargs)", "f(*args, **kwargs)"),
        ("f(a, k=1, **kw)", "f(a, k=1, **kw)"),
        ("f(a,)", "f(a)"),
        ("'abc'.upper()", "'abc'.upper()"),
        ("a?.b?[0]?.c", "a?.b?[0]?.c"),
    ],
)
def test_postfix(source: str, grouping: str) -> None:
    assert read(source) == grouping


def test_optional_flags_on_lookups() -> None:
    node = expr("a?.b")
    assert isinstance(node, Getattr) and node.optional
    item = expr("a?[0]")
    assert isinstance(item, Getitem) and item.optional


# -- primary ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("true", True),
        ("True", True),
        ("false", False),
        ("False", False),
        ("none", None),
        ("None", None),
        ("42", 42),
        ("1_000", 1000),
        ("2.5", 2.5),
        ("1e3", 1000.0),
    ],
)
def test_constants(source: str, value: object) -> None:
    node = expr(source)
    assert isinstance(node, Const) and node.value == value and type(node.value) is type(value)


def test_string_constant_keeps_decoded_value() -> None:
    assert expr(r"'a\nb'") == Const(value="a\nb", lineno=1, col_offset=3)


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("()", "()"),
        ("(1,)", "(1,)"),
        ("(1, 2)", "(1, 2)"),
        ("(1, 2,)", "(1, 2)"),
        ("((a))", "a"),
        ("[]", "[]"),
        ("[1, 'a', [2]]", "[1, 'a', [2]]"),
        ("[1, 2,]", "[1, 2]"),
        ("{}", "{}"),
        ("{'a': 1, key: v,}", "{'a': 1, key: v}"),
        ("{(1, 2): [3]}", "{(1, 2): [3]}"),
    ],
)
def test_collections(source: str, grouping: str) -> None:
    assert read(source) == grouping


def test_dict_keys_are_expressions_not_strings() -> None:
    node = expr("{key: 1}")
    assert isinstance(node, DictExpr) and node.keys == (Name(name="key", lineno=1, col_offset=4),)


@pytest.mark.parametrize(
    ("source", "grouping"),
    [
        ("[x for x in xs]", "[x for x in xs]"),
        (
            "[p.name | upper for p in people if p.active]",
            "[(p.name | upper) for p in people if p.active]",
        ),
        ("[k for k, v in d.items()]", "[k for (k, v) in d.items()]"),
        ("[a if a else b for a in xs]", "[(a if a else b) for a in xs]"),
        ("[x for x in xs ?? []]", "[x for x in (xs ?? [])]"),
        ("[[y for y in x] for x in xs]", "[[y for y in x] for x in xs]"),
    ],
)
def test_list_comprehensions(source: str, grouping: str) -> None:
    assert read(source) == grouping


# -- positions ----------------------------------------------------------------------


def test_nodes_carry_the_position_of_their_first_token() -> None:
    node = parse("line one\n  {{ a + b.c }}").body[1]
    assert isinstance(node, Output)
    assert (node.lineno, node.col_offset) == (2, 2)
    assert isinstance(node.expr, BinOp)
    assert (node.expr.lineno, node.expr.col_offset) == (2, 5)
    right = node.expr.right
    assert (right.lineno, right.col_offset) == (2, 9)


def test_binary_node_position_is_its_left_operand() -> None:
    node = expr("(a) | f")
    assert (node.lineno, node.col_offset) == (1, 4)


# -- K-WARN-001 ------------------------------------------------------------------------


def warnings_for(source: str) -> list[str]:
    """Codes of the warnings recorded while parsing ``source``."""
    parser = Parser(tokenize(source), name="w.html", source=source)
    parser.parse()
    assert all(w.template_name == "w.html" for w in parser.warnings)
    return [w.code.value for w in parser.warnings]


def test_filter_on_right_of_coalesce_warns() -> None:
    assert warnings_for("{{ x ?? [] | length }}") == ["K-WARN-001"]


def test_filter_on_left_of_coalesce_warns() -> None:
    assert warnings_for("{{ x | upper ?? 'anon' }}") == ["K-WARN-001"]


def test_parenthesised_filter_silences_the_warning() -> None:
    assert warnings_for("{{ x ?? ([] | length) }}") == []
    assert warnings_for("{{ (x ?? []) | length }}") == []


def test_coalesce_without_filters_does_not_warn() -> None:
    assert warnings_for("{{ a ?? b ?? c }}") == []


def test_precedence_warning_record_has_line_and_hint() -> None:
    parser = Parser(tokenize("\n{{ x ?? y | f }}"))
    parser.parse()
    (warning,) = parser.warnings
    assert warning.code is ErrorCode.FILTER_PRECEDENCE
    assert warning.lineno == 2
    assert warning.suggestion is not None and "(" in warning.suggestion
