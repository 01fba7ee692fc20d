"""Fuzz: random templates and token soups only ever fail with Kida errors.

Lexing, parsing, compiling (``Environment.from_string``) and rendering what
compiled must raise nothing but :class:`TemplateError` subclasses: never a
Python ``SyntaxError``, ``RecursionError``, ``IndexError``, ... Templates are
built from a grammar (so most compile and render) and from token soups mixing
delimiters, keywords, operators and deep nestings (so most do not).
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kida_core import Environment
from kida_core.errors import TemplateError
from kida_loaders import DictLoader

# Derandomized: the suite explores the same examples on every run, so CI is
# reproducible; widen the search by running with ``--hypothesis-seed``.
SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

PARTIALS = {
    "partial.html": "[{{ x ?? 'p' }}]",
    "macros.html": "{% def m(a=1) %}<{{ a }}>{% end %}",
    "base.html": "B{% block main %}base{% end %}E",
}


class Thing:
    """An object with attributes, items and a method, for lookups in templates."""

    name = "thing"
    items = (1, 2)

    def __getitem__(self, key: object) -> str:
        if isinstance(key, int) and not 0 <= key < 2:
            raise IndexError(key)  # iterating a Thing (the old protocol) must end
        return f"item:{key}"

    def call(self, *args: object) -> int:
        return len(args)


CONTEXT: dict[str, Any] = {
    "x": 3,
    "y": "a<b",
    "n": None,
    "s": "text",
    "f": 2.5,
    "xs": [1, 2, 3],
    "ys": [[1, 2], None, []],
    "d": {"k": 1, "name": "dee", "items": [4, 5]},
    "obj": Thing(),
    "flag": True,
}

# -- expressions ------------------------------------------------------------------

NAMES = st.sampled_from([*CONTEXT, "missing", "loop", "v", "w"])
LITERALS = st.one_of(
    st.integers(min_value=-3, max_value=5).map(str),
    st.sampled_from(["0.5", "1_0", "'s'", '"q"', "''", "true", "false", "none", "[]", "{}"]),
)
# ``*`` only ever doubles (below): products of operands would build huge strings.
BINARY = st.sampled_from(["+", "-", "/", "//", "%", "~", "==", "!=", "<", ">=", "and", "or", "in"])
FILTERS = st.sampled_from(
    [
        "upper", "lower", "length", "first", "last", "string", "int", "float", "abs",
        "default(1)", "d('z')", "join(',')", "sort", "reverse", "list", "trim",
        "truncate(3)", "replace('a', 'b')", "round(1)", "escape", "safe", "tojson",
        "map('string')", "select", "unique", "batch(2)", "sum", "int(0, 16)",
    ]
)  # fmt: skip
TESTS = st.sampled_from(["defined", "undefined", "none", "number", "string", "odd", "iterable"])


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One more level of expression structure around ``inner``."""
    return st.one_of(
        st.tuples(inner, BINARY, inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(inner, st.sampled_from(["|", "?|", "|>"]), FILTERS).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(inner, st.booleans(), TESTS).map(
            lambda t: f"{t[0]} is {'not ' if t[1] else ''}{t[2]}"
        ),
        st.tuples(inner, inner).map(lambda t: f"{t[0]} ?? {t[1]}"),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        st.tuples(
            inner, st.sampled_from([".name", "?.name", "[0]", "?[0]", "['k']", ".items"])
        ).map("".join),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"not {e}"),
        inner.map(lambda e: f"-{e}"),
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.tuples(inner, inner).map(lambda t: "{" + f"'a': {t[0]}, 'b': {t[1]}" + "}"),
        st.tuples(inner, inner, inner).map(lambda t: f"[{t[0]} for v in {t[1]} if {t[2]}]"),
        st.tuples(inner, inner).map(lambda t: f"[[w for w in v ?? []] for v in {t[0]} ?? {t[1]}]"),
        st.tuples(inner, inner).map(lambda t: f"obj.call({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}:]"),
        inner.map(lambda e: f"range(({e} | int) % 4)"),
        st.tuples(inner, st.sampled_from(["0", "1", "2", "-1"])).map(lambda t: f"{t[0]} ** {t[1]}"),
        inner.map(lambda e: f"{e} * 2"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]} not in {t[1]}"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]} < {t[1]} <= {t[0]}"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[::{t[1]}]"),
        st.tuples(inner, inner).map(lambda t: f"obj.call(*{t[0]}, **{{'k': {t[1]}}})"),
        inner.map(lambda e: f"{e} is divisibleby(2)"),
        inner.map(lambda e: f"loop.cycle({e}, 2)"),
        inner.map(lambda e: f"await {e}"),
        st.sampled_from(
            ["1..3", "0...4 by 2", "loop.previtem", "loop.last", "super()", "caller()"]
        ),
    )


EXPRESSIONS = st.recursive(st.one_of(NAMES, LITERALS), _extend, max_leaves=12)

# -- statements --------------------------------------------------------------------


def _blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Block tags wrapping ``inner`` bodies."""
    e = EXPRESSIONS
    return st.one_of(
        st.tuples(e, inner, e, inner, inner).map(
            lambda t: (
                f"{{% if {t[0]} %}}{t[1]}{{% elif {t[2]} %}}{t[3]}{{% else %}}{t[4]}{{% end %}}"
            )
        ),
        st.tuples(e, inner).map(lambda t: f"{{% unless {t[0]} %}}{t[1]}{{% end %}}"),
        st.tuples(e, inner, inner).map(
            lambda t: (
                f"{{% for v in {t[0]} %}}{{{{ loop.index }}}}{t[1]}{{% else %}}{t[2]}{{% end %}}"
            )
        ),
        st.tuples(e, e, inner).map(lambda t: f"{{% for v in {t[0]} if {t[1]} %}}{t[2]}{{% end %}}"),
        st.tuples(e, inner).map(
            lambda t: (
                f"{{% for v in xs %}}{{% if {t[0]} %}}{{% break %}}{{% end %}}{t[1]}{{% end %}}"
            )
        ),
        st.tuples(e, inner).map(lambda t: f"{{% with w = {t[0]} %}}{t[1]}{{% end %}}"),
        st.tuples(e, inner).map(lambda t: f"{{% with {t[0]} as w %}}{t[1]}{{% end %}}"),
        st.tuples(e, e, inner, inner).map(
            lambda t: (
                f"{{% match {t[0]} %}}{{% case {t[1]} %}}{t[2]}{{% case _ %}}{t[3]}{{% end %}}"
            )
        ),
        st.tuples(inner, inner).map(
            lambda t: f"{{% try %}}{t[0]}{{% fallback e %}}{t[1]}{{% end %}}"
        ),
        inner.map(lambda b: f"{{% capture c %}}{b}{{% end %}}{{{{ c }}}}"),
        inner.map(lambda b: f"{{% filter upper %}}{b}{{% end %}}"),
        inner.map(lambda b: f"{{% spaceless %}} {b} {{% end %}}"),
        inner.map(lambda b: f"{{% block main %}}{b}{{% end %}}"),
        # The condition is parenthesized so the loop never runs: ``??``, ``if``/``else``
        # and ``or`` bind looser than ``and``, so ``1 ?? y and false`` is ``1`` and the
        # unparenthesized ``while`` would loop forever, filling memory with output the
        # way ``while True`` does in Python (only the sandbox bounds loops).
        st.tuples(e, inner).map(lambda t: f"{{% while ({t[0]}) and false %}}{t[1]}{{% end %}}"),
        st.tuples(e, inner, inner).map(
            lambda t: f"{{% with {t[0]} as w %}}{t[1]}{{% else %}}{t[2]}{{% end %}}"
        ),
        st.tuples(e, inner).map(lambda t: f"{{% cache {t[0]} %}}{t[1]}{{% end %}}"),
        st.tuples(e, inner).map(
            lambda t: f"{{% provide key = {t[0]} %}}{t[1]}{{{{ consume('key') }}}}{{% end %}}"
        ),
        inner.map(lambda b: f"{{% push 'js' %}}{b}{{% end %}}{{% stack 'js' %}}"),
        st.tuples(e, inner).map(
            lambda t: (
                f"{{% match {t[0]}, 1 %}}{{% case (a, 1) if a %}}{t[1]}{{% case _ %}}{{% end %}}"
            )
        ),
        inner.map(lambda b: f"{{% set c %}}{b}{{% endset %}}{{{{ c }}}}"),
        inner.map(lambda b: f"{{% for v in xs %}}{{% continue %}}{b}{{% end %}}"),
    )


SIMPLE_STATEMENTS = st.one_of(
    st.sampled_from(["text ", "<p>", "\n", "{# c #}", "{% raw %}{{ x }}{% endraw %}"]),
    EXPRESSIONS.map(lambda e: f"{{{{ {e} }}}}"),
    EXPRESSIONS.map(lambda e: f"{{% set v = {e} %}}"),
    EXPRESSIONS.map(lambda e: f"{{% let w = {e} %}}"),
    EXPRESSIONS.map(lambda e: f"{{% export v = {e} %}}"),
    EXPRESSIONS.map(lambda e: f"{{% set v ??= {e} %}}"),
    EXPRESSIONS.map(lambda e: f"{{% include 'partial.html' ~ {e} ignore missing %}}"),
    st.just("{% include 'partial.html' %}"),
    st.just("{% from 'macros.html' import m %}{{ m(x) }}"),
)

BODIES = st.recursive(
    SIMPLE_STATEMENTS,
    lambda inner: st.one_of(_blocks(inner), st.lists(inner, min_size=2, max_size=4).map("".join)),
    max_leaves=10,
)

DEFS = st.tuples(EXPRESSIONS, BODIES, EXPRESSIONS).map(
    lambda t: f"{{% def g(a={t[0]}, *rest) %}}{t[1]}{{{{ a }}}}{{% end %}}{{{{ g({t[2]}) }}}}"
)

CALLS = st.tuples(BODIES, BODIES).map(
    lambda t: (
        "{% def panel(title='t') %}<{{ title }}>{% slot %}{{ caller('side') }}"
        f"{{% if has_slot() %}}{t[0]}{{% end %}}{{% end %}}"
        f"{{% call panel(x) %}}{{% slot side %}}{t[1]}{{% end %}}body{{% end %}}"
    )
)
REGIONS = st.tuples(EXPRESSIONS, BODIES).map(
    lambda t: f"{{% region r(p={t[0]}) %}}{t[1]}{{{{ p }}}}{{% end %}}{{{{ r() }}}}"
)
MACROS = st.tuples(EXPRESSIONS, BODIES).map(
    lambda t: f"{{% macro mm(a={t[0]}) %}}{t[1]}{{{{ varargs }}}}{{% endmacro %}}{{{{ mm(1, 2) }}}}"
)

TEMPLATES = st.one_of(
    BODIES,
    DEFS,
    CALLS,
    REGIONS,
    MACROS,
    BODIES.map(lambda body: "{% extends 'base.html' %}" + body),
    st.tuples(DEFS, BODIES).map("".join),
)

# -- token soups -------------------------------------------------------------------

FRAGMENTS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", " ", "\n", "x", "xs", "n", "d.k",
    "if", "elif", "else", "end", "for", "v", "in", "set", "let", "export", "=", "??=",
    "match", "case", "_", "with", "as", "raw", "endraw", "unless", "break", "continue",
    "capture", "filter", "spaceless", "def", "call", "slot", "block", "extends", "include",
    "import", "from", "try", "fallback", "cache", "region", "and", "or", "not", "is",
    "defined", "1", "2.5", "'s'", "true", "none", "??", "?.", "?[", "?|", "|>", "|", "..",
    "**", "//", "==", "~", ":", ",", "(", ")", "[", "]", "{", "}", "+", "-", "*", "/", "%",
    "<", ">", ".", "'", "upper", "length", "default(1)", "f()", "(a, b=1, *c, **d)",
    "((((((((((", "))))))))))", "[[[[[[", "]]]]]]", "- - - - -", "not not not not",
    "{% if x %}" * 8, "{% end %}" * 8, " + x" * 40, "?.a" * 20, "| upper" * 10,
]  # fmt: skip
SOUPS = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
OUTPUT_SOUPS = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(
    lambda parts: "{{ " + " ".join(parts) + " }}"
)


def _environment(strict: bool) -> Environment:
    return Environment(loader=DictLoader(PARTIALS), strict_undefined=strict, bytecode_cache=False)


ENVIRONMENTS = {strict: _environment(strict) for strict in (True, False)}


def _compile_and_render(source: str, strict: bool) -> None:
    """Compile ``source`` and render it both ways; only Kida errors may escape."""
    env = ENVIRONMENTS[strict]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            template = env.from_string(source, name="fuzz.html")
        except TemplateError:
            return
        with contextlib.suppress(TemplateError):
            template.render(**CONTEXT)
        with contextlib.suppress(TemplateError):
            "".join(template.render_stream(**CONTEXT))


@SETTINGS
@given(TEMPLATES, st.booleans())
def test_generated_templates_raise_only_template_errors(source: str, strict: bool) -> None:
    _compile_and_render(source, strict)


@SETTINGS
@given(SOUPS, st.booleans())
def test_token_soups_raise_only_template_errors(source: str, strict: bool) -> None:
    _compile_and_render(source, strict)


@SETTINGS
@given(OUTPUT_SOUPS)
def test_expression_soups_raise_only_template_errors(source: str) -> None:
    _compile_and_render(source, True)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(["(", "[", "-", "not ", "x ?? ", "{% if x %}", "{% for v in xs %}"]),
        min_size=20,
        max_size=200,
    )
)
def test_deep_nestings_raise_only_template_errors(openers: list[str]) -> None:
    closers = {"(": ")", "[": "]", "{% if x %}": "{% end %}", "{% for v in xs %}": "{% end %}"}
    inner = "".join(openers) + "x" + "".join(closers.get(o, "") for o in reversed(openers))
    _compile_and_render("{{ " + inner + " }}" if "{%" not in inner else inner, True)
