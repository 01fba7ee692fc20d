"""Deep nesting and very long templates: they compile, or fail with a located syntax error."""

from __future__ import annotations

import sys

import pytest

from kida_core import Environment, TemplateRuntimeError, TemplateSyntaxError
from kida_core.parser.core import MAX_BLOCK_DEPTH
from kida_core.parser.expressions import MAX_EXPRESSION_DEPTH
from kida_core.runtime.output import add, concat


def render(source: str, **context: object) -> str:
    env = Environment(autoescape=False)
    return env.from_string(source, name="deep.html").render(**context)


def syntax_error(source: str) -> TemplateSyntaxError:
    env = Environment()
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string(source, name="deep.html")
    error = info.value
    assert error.name == "deep.html" and error.lineno is not None
    return error


# -- what must compile ------------------------------------------------------------


@pytest.mark.parametrize("terms", [494, 1500])
@pytest.mark.parametrize(("op", "expected"), [("+", lambda t: t), ("*", lambda t: 1)])
def test_long_arithmetic_chains_compile(terms: int, op: str, expected: object) -> None:
    source = "{{ " + f" {op} ".join(["x"] * terms) + " }}"
    assert render(source, x=1) == str(expected(terms))  # type: ignore[operator]


def test_long_chain_keeps_left_to_right_evaluation() -> None:
    source = (
        "{{ " + " - ".join(["1000"] + ["x"] * 200) + " }}|{{ " + " ~ ".join(["x"] * 500) + " }}"
    )
    assert render(source, x=1) == f"800|{'1' * 500}"


def test_long_string_sum_inside_loops_blocks_and_defs() -> None:
    chain = " + ".join(["s"] * 1000)
    source = (
        f"{{% def f(s) %}}{{{{ {chain} }}}}{{% end %}}"
        f"{{% for s in ['a'] %}}{{{{ ({chain}) | length }}}}{{% end %}}"
        f"{{% block b %}}{{{{ f('b') | length }}}}{{% end %}}"
    )
    assert render(source) == "10001000"


@pytest.mark.parametrize("terms", [60, 494, 1500])
def test_long_mixed_concat_and_arithmetic_chains_compile(terms: int) -> None:
    ops = ["~" if i % 3 else "+" for i in range(terms)]
    source = "{{ " + " ".join(f"x {op}" for op in ops) + " (x ~ y) }}"
    expected: object = 1
    for op, operand in zip(ops, [*[1] * (terms - 1), "1<"], strict=True):
        # the left-to-right meaning of the chain, one step at a time
        expected = concat(expected, operand) if op == "~" else add(expected, operand)
    assert render(source, x=1, y="<") == expected


@pytest.mark.parametrize("branches", [984, 1500])
def test_long_elif_chains_compile_and_pick_the_right_branch(branches: int) -> None:
    elifs = "".join(f"{{% elif x == {i} %}}b{i}" for i in range(1, branches))
    source = "{% for x in xs %}{% if x == 0 %}first" + elifs + "{% else %}none{% end %};{% end %}"
    xs = [0, 1, 99, 100, 101, 250, branches - 1, branches + 3]
    expected = ";".join(["first", *(f"b{x}" for x in xs[1:-1]), "none"]) + ";"
    assert render(source, xs=xs) == expected


def test_long_elif_chain_without_else_and_with_loop_controls() -> None:
    elifs = "".join(f"{{% elif x == {i} %}}{{% break %}}" for i in range(1, 300))
    source = "{% for x in xs %}{% if x == 0 %}z" + elifs + "{% end %}{{ x }}{% end %}"
    assert render(source, xs=[0, 500, 150, 7]) == "z0500"


def test_nesting_up_to_the_limits_compiles() -> None:
    depth = MAX_EXPRESSION_DEPTH - 1
    assert render("{{ " + "(" * depth + "x" + ")" * depth + " }}", x=5) == "5"
    blocks = MAX_BLOCK_DEPTH
    assert render("{% if true %}" * blocks + "in" + "{% end %}" * blocks) == "in"


# -- what must fail with a clear, located error -------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ " + "(" * 66 + "1" + ")" * 66 + " }}",
        "{{ " + "[" * 300 + "]" * 300 + " }}",
        "{{ " + "-" * 3000 + "1 }}",
        "{{ " + "not " * 3000 + "x }}",
        "{{ " + "1 if x else " * 1000 + "2 }}",
        "{{ " + "x ?? " * 1000 + "1 }}",
        "{{ " + "f(" * 500 + ")" * 500 + " }}",
        "{{ " + " ** ".join(["2"] * 300) + " }}",
    ],
)
def test_deeply_nested_expressions_are_syntax_errors(source: str) -> None:
    error = syntax_error(source)
    assert f"more than {MAX_EXPRESSION_DEPTH} levels" in str(error)
    assert error.suggestion


@pytest.mark.parametrize(
    "source",
    [
        "{% if true %}" * 247 + "x" + "{% end %}" * 247,
        "{% with a = 1 %}" * 200 + "x" + "{% end %}" * 200,
        "\n".join(["{% for x in y %}"] * 100 + ["{% end %}"] * 100),
    ],
)
def test_deeply_nested_blocks_are_syntax_errors(source: str) -> None:
    error = syntax_error(source)
    assert f"more than {MAX_BLOCK_DEPTH} blocks deep" in str(error)
    assert "{% def %}" in (error.suggestion or "")


@pytest.mark.parametrize(
    ("opener", "closer"),
    [("{% for x in y %}", "{% end %}"), ("{% try %}", "{% fallback %}f{% end %}")],
)
def test_too_many_nested_loops_or_trys_name_the_line(opener: str, closer: str) -> None:
    source = "\n".join([opener] * 21) + "x" + closer * 21
    # Python's own limit: reached when compiling, or (where a Python version allows
    # the buffered function) when the streamed variant is compiled on first use.
    with pytest.raises(TemplateSyntaxError) as info:
        template = Environment().from_string(source)
        "".join(template.render_stream(y=[]))
    error = info.value
    assert "nested inside one another" in error.message
    assert error.lineno is not None and 1 <= error.lineno <= 21
    assert "{% def %}" in (error.suggestion or "")


@pytest.mark.parametrize(
    "source",
    [
        "{{ x" + ".a" * 3000 + " }}",
        "{{ x" + "?.a" * 3000 + " }}",
    ],
)
def test_absurdly_long_chains_are_syntax_errors(source: str) -> None:
    error = syntax_error(source)
    assert "too deeply" in error.message
    assert error.suggestion


def test_nesting_errors_do_not_depend_on_the_callers_stack_use() -> None:
    def nested(levels: int) -> TemplateSyntaxError:
        if levels:
            return nested(levels - 1)
        return syntax_error("{{ " + "(" * 500 + "1" + ")" * 500 + " }}")

    assert nested(sys.getrecursionlimit() // 4).lineno == 1


# -- recursion while rendering ----------------------------------------------------------


def test_runaway_def_recursion_is_a_located_runtime_error() -> None:
    env = Environment()
    template = env.from_string("{% def f() %}{{ f() }}{% end %}\n{{ f() }}", name="loop.html")
    with pytest.raises(TemplateRuntimeError) as info:
        template.render()
    error = info.value
    assert error.template_name == "loop.html" and error.lineno is not None
    assert "stopping condition" in (error.suggestion or "")
    assert "repeated" in str(error) and len(str(error).splitlines()) < 30


def render_recursing_def_with_defaults() -> TemplateRuntimeError:
    """The error of a def with a defaulted parameter that calls itself without end."""
    template = Environment().from_string(
        "{% def f(depth=0) %}{{ f() }}{% end %}\n{{ f() }}", name="loop.html"
    )
    with pytest.raises(TemplateRuntimeError) as info:
        template.render()
    return info.value


def test_runaway_recursion_of_a_def_with_defaults_is_a_located_runtime_error() -> None:
    error = render_recursing_def_with_defaults()
    assert error.template_name == "loop.html"
    assert "stopping condition" in (error.suggestion or "")


@pytest.fixture
def unchecked_default_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compile as on an interpreter whose default-filling calls skip the recursion check."""
    monkeypatch.setattr(
        "kida_core.compiler.composition.default_filling_calls_check_recursion", lambda: False
    )


@pytest.mark.usefixtures("unchecked_default_calls")
def test_defs_forwarded_for_the_recursion_check_render_the_same() -> None:
    source = (
        '{% def card(title, tone="info") %}<b class="{{ tone }}">{{ title }}</b>'
        "{{ caller() if has_slot() else '' }}{% end %}"
        '{{ card("a") }}{% call card("b", tone="warn") %}slot{% end %}'
    )
    assert render(source) == '<b class="info">a</b><b class="warn">b</b>slot'


@pytest.mark.usefixtures("unchecked_default_calls")
def test_forwarded_runaway_recursion_is_a_located_runtime_error() -> None:
    error = render_recursing_def_with_defaults()
    assert error.template_name == "loop.html"
    assert error.component_stack[-1][2] == "f"


def test_the_interpreter_probe_answers_whether_default_filling_calls_are_checked() -> None:
    from kida_core.compiler.interpreter import default_filling_calls_check_recursion

    def recurse(remaining: int, _unused: object = None) -> int:
        return remaining if remaining <= 0 else recurse(remaining - 1)

    try:
        recurse(sys.getrecursionlimit() + 50)
    except RecursionError:
        checked = True
    else:
        checked = False
    assert default_filling_calls_check_recursion() is checked
