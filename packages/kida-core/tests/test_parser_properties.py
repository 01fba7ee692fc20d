"""Property tests: the front end only ever fails with syntax errors, and literals round-trip."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kida_core.errors import TemplateSyntaxError
from kida_core.lexer import LexerConfig
from kida_core.nodes import Const, DictExpr, Expr, ListExpr, Output, TupleExpr
from kida_core.parser import parse

SETTINGS = settings(max_examples=200, deadline=None)

# Fragments that exercise every lexer state and most grammar rules when shuffled.
FRAGMENTS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", " ", "\n", "x", "y.z",
    "if", "elif", "else", "end", "endif", "for", "in", "endfor", "set", "let", "export", "=",
    "??=", "match", "case", "_", "with", "as", "raw", "endraw", "unless", "while", "break",
    "continue", "capture", "filter", "spaceless", "flush", "template", "async", "await",
    "and", "or", "not", "is", "defined", "by", "1", "2.5", "1_0", "'s'", '"d"', "'\\n'",
    "true", "none", "?? ", "?.", "?[", "?|", "|>", "?|>", "|", "..", "...", "**", "//", "==",
    "!=", "<=", ">=", "~", ":", ",", "(", ")", "[", "]", "{", "}", "+", "-", "*", "/", "%",
    "<", ">", ".", "'", '"', "\\", "$", "macro", "extends", "block",
    "endblock", "fragment", "globals", "imports", "def", "region", "call", "slot", "let:",
    "try", "fallback", "cache", "ttl", "depends", "f()", "(a, b=1, *c, **d)",
]  # fmt: skip


def _check_only_syntax_errors(source: str, config: LexerConfig | None = None) -> None:
    """Parse ``source``; any failure must be a TemplateSyntaxError."""
    try:
        parse(source, name="prop.html", config=config)
    except TemplateSyntaxError as exc:
        assert exc.code is not None
        assert exc.lineno is not None and exc.lineno >= 1


@SETTINGS
@given(st.text())
def test_random_text_only_raises_syntax_errors(source: str) -> None:
    _check_only_syntax_errors(source)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_token_soup_only_raises_syntax_errors(source: str) -> None:
    _check_only_syntax_errors(source)


@SETTINGS
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join),
    st.booleans(),
    st.booleans(),
)
def test_token_soup_with_whitespace_options_only_raises_syntax_errors(
    source: str, trim: bool, lstrip: bool
) -> None:
    _check_only_syntax_errors(source, LexerConfig(trim_blocks=trim, lstrip_blocks=lstrip))


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=20).map(" ".join))
def test_soup_inside_an_output_tag_only_raises_syntax_errors(inner: str) -> None:
    _check_only_syntax_errors("{{ " + inner + " }}")


# -- literal round trip ---------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
keys = st.one_of(st.none(), st.booleans(), st.integers(), st.text())
literals = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(keys, children, max_size=4),
    ),
    max_leaves=12,
)


def render(value: Any) -> str:
    """Kida source for a literal value (Python-repr-like)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(render(v) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    pairs = (f"{render(k)}: {render(v)}" for k, v in value.items())
    return "{" + ", ".join(pairs) + "}"


def evaluate(node: Expr) -> Any:
    """Evaluate a literal expression tree."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, ListExpr):
        return [evaluate(item) for item in node.items]
    if isinstance(node, TupleExpr):
        return tuple(evaluate(item) for item in node.items)
    assert isinstance(node, DictExpr), node
    return {evaluate(k): evaluate(v) for k, v in zip(node.keys, node.values, strict=True)}


def same(left: Any, right: Any) -> bool:
    """Equality that also requires identical types all the way down."""
    if type(left) is not type(right):
        return False
    if isinstance(left, list | tuple):
        return len(left) == len(right) and all(map(same, left, right))
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    return bool(left == right)


@SETTINGS
@given(literals)
def test_literals_round_trip(value: Any) -> None:
    (output,) = parse("{{ " + render(value) + " }}").body
    assert isinstance(output, Output)
    assert same(evaluate(output.expr), value)


@SETTINGS
@given(st.text())
def test_any_string_round_trips_in_both_quote_styles(value: str) -> None:
    double = '"' + repr(value)[1:-1].replace('"', '\\"') + '"' if repr(value)[0] == "'" else None
    for source in filter(None, [repr(value), double]):
        (output,) = parse("{{ " + source + " }}").body
        assert isinstance(output, Output)
        assert output.expr == Const(value=value, lineno=1, col_offset=3)
