"""The parser's record of a tree gives the same layout as walking the tree.

The compiler reads a template's layout (extends, blocks, regions, includes,
async nodes, context-taking filters) from what the parser noted while building
the tree; a tree the record does not describe (rewritten by the static context,
rebuilt from the bytecode cache, built by hand) is walked instead.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import kida_core.nodes as n
from kida_core import Environment
from kida_core.compiler.layout import TemplateLayout
from kida_core.compiler.partial_eval import partial_evaluate
from kida_core.compiler.state import CompilerState
from kida_core.decorators import pass_context
from kida_core.errors import TemplateSyntaxError
from kida_core.lexer import tokenize
from kida_core.parser import Parser
from kida_core.parser.record import ParseRecord
from kida_core.tree_blob import TreeBlob
from kida_loaders import DictLoader


@pass_context
def _with_context(ctx: Any, value: object) -> object:
    return value


def _environment() -> Environment:
    env = Environment()
    env.filters["ctxfilter"] = _with_context
    env.tests["ctxtest"] = _with_context
    env.globals["ctxglobal"] = _with_context
    return env


def _parse(source: str) -> tuple[n.TemplateNode, ParseRecord]:
    parser = Parser(tokenize(source), name="t.html", source=source)
    return parser.parse(), parser.record


def _layout(
    env: Environment, root: n.TemplateNode, record: ParseRecord | None = None
) -> TemplateLayout:
    state = CompilerState(
        name="t.html",
        filename=None,
        source=None,
        strict=False,
        autoescape=False,
        filters=env.filters,
        tests=env.tests,
        static_context={},
        jinja2_compat_warnings=False,
    )
    return TemplateLayout.of(root, state, env.compile_inputs().context_globals, record)


TEMPLATES = [
    "plain {{ text }}",
    '{% extends "base.html" %}{% block title %}T{% endblock %}{% block body %}B{% endblock %}',
    "{% block outer %}{% block inner %}{% block innermost %}x{% end %}{% end %}{% end %}",
    "{% if a %}{% block one %}1{% end %}{% else %}{% block two %}2{% end %}{% endif %}",
    "{% for x in items %}{% block row scoped %}{{ x }}{% end %}{% else %}none{% endfor %}",
    "{% block shown if visible %}v{% end %}{% fragment part %}p{% end %}",
    "{% block required_one required %}{% end %}",
    "{% region card(title) %}{{ title }}{% end %}{% block page %}{{ card('x') }}{% end %}",
    "{% block page %}{% region nested(a) %}{{ a }}{% end %}{% end %}",
    "{% region outer_region() %}{% region inner_region() %}i{% end %}{% end %}",
    "{% def helper(x) %}{% region in_def() %}{{ x }}{% end %}{% end %}{{ helper(1) }}",
    "{% globals %}{% def g() %}g{% end %}{% endglobals %}{% block b %}{{ g() }}{% end %}",
    '{% include "part.html" %}{% block b %}{% include "other.html" %}{% end %}',
    "{% async for x in items %}{{ x }}{% end %}",
    "{{ await value }}",
    "{% block b %}{% if await ready() %}y{% endif %}{% end %}",
    "{{ x|ctxfilter }}",
    "{% filter ctxfilter %}body{% endfilter %}",
    "{% if x is ctxtest %}t{% endif %}",
    "{{ ctxglobal(1) }}",
    "{{ x|upper|ctxfilter }}{{ y is defined }}{{ range(3)|list }}",
    "{% def d(v=x|ctxfilter) %}{{ v }}{% end %}",
    '{% embed "card.html" %}{% block content %}{% block deep %}d{% end %}{% end %}{% endembed %}',
    "{% macro m() %}{% for y in ys %}{{ y|ctxfilter }}{% endfor %}{% endmacro %}",
    "{% call(item) render() %}{{ item }}{% endcall %}{% block after %}a{% end %}",
    "{% call panel() %}{% slot footer %}{{ x|ctxfilter }}{% end %}{% endcall %}",
    "{% with a = 1 %}{% block inside_with %}{{ a }}{% end %}{% endwith %}",
    "{% try %}{% block risky %}r{% end %}{% fallback %}f{% endtry %}",
]


@pytest.mark.parametrize("source", TEMPLATES)
def test_layout_from_the_record_equals_the_layout_from_a_walk(source: str) -> None:
    env = _environment()
    root, record = _parse(source)
    assert _layout(env, root, record) == _layout(env, root)


ERRORS = [
    "{% if a %}{% extends 'base.html' %}{% endif %}",
    "{% def f() %}{% block inside %}x{% end %}{% end %}",
    "{% block twice %}1{% end %}{% block twice %}2{% end %}",
    "{% region twice() %}1{% end %}{% block twice %}2{% end %}",
    "{% for x in xs %}{% block dup %}{% end %}{% end %}{% block dup %}{% end %}",
    "{% macro m() %}{% block in_macro %}x{% end %}{% endmacro %}",
    "{% call f() %}{% block in_call %}x{% end %}{% endcall %}",
    # The slot comes first in the source, the body first in the tree.
    "{% call f() %}{% slot s %}{% block in_slot %}{% end %}{% end %}"
    "{% block in_body %}{% end %}{% endcall %}",
    "{% block a %}{% extends 'late.html' %}{% end %}{% block a %}{% end %}",
    "{% extends 'a.html' %}{% extends 'b.html' %}",
    "{% globals %}{% endglobals %}{% imports %}{% endimports %}",
]


@pytest.mark.parametrize("source", ERRORS)
def test_layout_errors_from_the_record_equal_those_of_a_walk(source: str) -> None:
    env = _environment()
    root, record = _parse(source)
    with pytest.raises(TemplateSyntaxError) as from_walk:
        _layout(env, root)
    with pytest.raises(TemplateSyntaxError) as from_record:
        _layout(env, root, record)
    walked, recorded = from_walk.value, from_record.value
    assert (recorded.message, recorded.lineno, recorded.col_offset, recorded.suggestion) == (
        walked.message,
        walked.lineno,
        walked.col_offset,
        walked.suggestion,
    )


def test_a_record_describes_only_the_tree_it_was_made_for() -> None:
    root, record = _parse("{% block b %}{{ x }}{% end %}")
    other, _ = _parse("{% block b %}{{ x }}{% end %}")
    assert record.describes(root)
    assert not record.describes(other)  # equal, but another tree
    # A tree from the bytecode cache is unpickled: another tree.
    assert not record.describes(pickle.loads(pickle.dumps(TreeBlob.of(root))).load())


def test_a_block_in_a_call_block_makes_the_record_unusable() -> None:
    root, record = _parse("{% call f() %}{% slot s %}{% block b %}{% end %}{% end %}{% endcall %}")
    assert not record.describes(root)


def test_a_tree_rewritten_by_the_static_context_is_walked() -> None:
    env = _environment()
    root, record = _parse("{% if debug %}{{ x|ctxfilter }}{% endif %}")
    rewritten = partial_evaluate(
        root, {"debug": False}, filters=env.filters, pure_filters=frozenset(), tests=env.tests
    )
    assert _layout(env, root, record).passes_context
    assert not _layout(env, rewritten, record).passes_context


def test_a_tree_built_by_hand_is_walked() -> None:
    env = _environment()
    _, record = _parse("{% block b %}{% end %}")
    built = n.TemplateNode(
        body=(
            n.Include(
                template=n.Const(value="x.html", lineno=1, col_offset=0), lineno=1, col_offset=0
            ),
        ),
        name=None,
        lineno=1,
        col_offset=0,
    )
    layout = _layout(env, built, record)
    assert layout.includes
    assert layout.block_names == []


def test_deferred_parts_compiled_later_render_like_the_buffered_render() -> None:
    source = "{% block head %}<h1>{{ title|upper }}</h1>{% end %}{% include 'part.html' %}"
    env = Environment(loader=DictLoader({"page.html": source, "part.html": "[{{ title }}]"}))
    template = env.get_template("page.html")
    assert "".join(template.render_stream(title="hi")) == template.render(title="hi")
    assert template.render_block("head", title="hi") == "<h1>HI</h1>"


def test_a_static_context_that_removes_a_context_filter_renders_the_same() -> None:
    env = Environment(static_context={"debug": False})
    env.filters["ctxfilter"] = _with_context
    template = env.from_string("{% if debug %}{{ x|ctxfilter }}{% endif %}{% set y = 2 %}[{{ y }}]")
    assert template.render(x=1) == "[2]"


def test_compile_expression_takes_no_layout_from_a_record() -> None:
    env = _environment()
    assert env.compile_expression("x|ctxfilter")(x=3) == 3
