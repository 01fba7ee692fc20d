"""An ``if`` of text and outputs on one line compiles to a conditional expression inside
the f-string around it; what it renders, checks and reports stays what the statement
form gives."""

from __future__ import annotations

import ast

import pytest
from render_support import render_every_mode

from kida_core import Environment, TemplateRuntimeError, UndefinedError
from kida_core.compiler import Compiler
from kida_core.markup import Markup
from kida_core.parser import parse
from kida_loaders import DictLoader


def render_function(source: str) -> str:
    module = Compiler(Environment(autoescape=True)).compile_module(parse(source), "t")
    [render] = [f for f in module.body if isinstance(f, ast.FunctionDef) and f.name == "render"]
    return ast.unparse(render)


def every_mode(source: str, **context: object) -> str:
    """The output of ``source``, after checking that render, stream and async agree."""
    return render_every_mode(Environment(autoescape=True).from_string(source), **context)


def test_a_one_line_if_else_joins_the_text_around_it() -> None:
    source = render_function('<li class="{% if on %}in{% else %}out{% end %}">{{ x }}</li>')
    assert " if " in source
    assert "\n    if " not in source  # no if statement
    assert "buf" not in source  # the whole output is one returned f-string


def test_an_if_spanning_lines_stays_a_statement() -> None:
    assert "\n    if " in render_function("{% if on %}\nin{% else %}out{% end %}")


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"a": True, "b": False}, "<A:1>"),
        ({"a": False, "b": True}, "<B:&lt;b&gt;>"),
        ({"a": False, "b": False}, "<>"),
    ],
)
def test_elif_branches_and_an_empty_else_render_like_the_statement(
    context: dict[str, object], expected: str
) -> None:
    source = "<{% if a %}A:{{ 1 }}{% elif b %}B:{{ '<b>' }}{% end %}>"
    assert every_mode(source, **context) == expected


def test_markup_in_a_branch_is_not_escaped_again() -> None:
    source = "{% if on %}{{ html }}{% else %}-{% end %}|{{ html }}"
    assert every_mode(source, on=True, html=Markup("<i>x</i>")) == "<i>x</i>|<i>x</i>"


def test_a_name_read_only_in_the_branch_not_taken_is_never_checked() -> None:
    env = Environment(strict_undefined=True)
    template = env.from_string("[{% if on %}{{ missing }}{% else %}off{% end %}]")
    assert template.render(on=False) == "[off]"
    with pytest.raises(UndefinedError):
        template.render(on=True)


def test_a_name_checked_in_a_branch_is_checked_again_after_the_if() -> None:
    env = Environment(strict_undefined=True)
    template = env.from_string("{% if on %}{{ x }}{% end %}|{{ x }}")
    assert template.render(on=True, x=1) == "1|1"
    with pytest.raises(UndefinedError):
        template.render(on=False)


def test_an_error_in_the_test_points_at_the_if_in_the_included_template() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "page.html": "{% for x in [1, 0] %}{% include 'part.html' %}{% end %}",
                "part.html": "ok\n<b>{% if 10 // x %}y{% else %}n{% end %}</b>",
            }
        )
    )
    page = env.get_template("page.html")
    for render in (page.render, lambda: "".join(page.render_stream())):
        with pytest.raises(TemplateRuntimeError) as info:
            render()
        assert (info.value.template_name, info.value.lineno) == ("part.html", 2)


def test_a_def_call_in_a_branch_keeps_the_statement_form() -> None:
    source = "{% def d() %}D{% end %}[{% if on %}{{ d() }}{% end %}]"
    assert "\n    if " in render_function(source)
    assert every_mode(source, on=True) == "[D]"


def line_marks(source: str) -> list[str]:
    return [line.strip() for line in render_function(source).splitlines() if "_rc.line" in line]


def test_an_if_statement_on_one_line_needs_no_second_line_marker() -> None:
    # The ``set`` keeps the statement form; every branch ends on line 1.
    source = "{% if a %}{% set z = 1 %}x{% else %}y{% end %}{{ q.r }}"
    assert line_marks(source) == ["_rc.line = 1"]


def test_a_branch_ending_on_another_line_is_followed_by_a_line_marker() -> None:
    source = "{% if a %}{% set z = 1 %}\n{{ z.y }}{% end %}{{ q.r }}"
    # Without an else the if may end on line 1 or 2: the output after it marks line 2 again.
    assert line_marks(source) == ["_rc.line = 1", "_rc.line = 2", "_rc.line = 2"]


def test_an_error_in_a_test_after_a_run_started_lines_earlier_points_at_the_if() -> None:
    template = Environment().from_string("a\n{{ x }}\n<{% if 1 // y %}p{% else %}q{% end %}>")
    for render in (template.render, lambda **c: "".join(template.render_stream(**c))):
        with pytest.raises(TemplateRuntimeError) as info:
            render(x=1, y=0)
        assert info.value.lineno == 3
