"""Template names read once per render are read where they are used.

A function that reads a template-level name exactly once, outside loops and
nested functions, looks it up in the context (then the globals) at that read
instead of holding it in a local read at the start of the function. The
result is the same as for any other read: these tests pin what a reader of
the template sees.
"""

from __future__ import annotations

import ast

import pytest

from kida_core import Environment, TemplateRuntimeError, UndefinedError, pass_context
from kida_core.compiler import Compiler
from kida_core.parser import parse
from kida_core.runtime.passing import TemplateContext


def render_function(source: str) -> str:
    module = Compiler(Environment()).compile_module(parse(source), "t")
    [render] = [f for f in module.body if isinstance(f, ast.FunctionDef) and f.name == "render"]
    return ast.unparse(render)


def undefined_error(source: str) -> UndefinedError:
    with pytest.raises(UndefinedError) as info:
        Environment().from_string(source, name="page.html").render()
    return info.value


def test_a_name_read_once_comes_from_the_context() -> None:
    env = Environment(globals={"title": "global"})
    assert env.from_string("<h1>{{ title }}</h1>").render(title="given") == "<h1>given</h1>"


def test_a_name_read_once_falls_back_to_a_global_added_after_compiling() -> None:
    env = Environment()
    template = env.from_string("<h1>{{ title }}</h1>")
    env.globals["title"] = "added later"
    assert template.render() == "<h1>added later</h1>"


def test_a_context_global_read_once_receives_the_render_context() -> None:
    @pass_context
    def greeting(context: TemplateContext) -> str:
        return f"hello {context['user']}"

    env = Environment(globals={"greeting": greeting})
    assert env.from_string("{{ greeting() }}").render(user="ada") == "hello ada"


def test_a_name_read_once_in_an_untaken_branch_is_never_looked_up() -> None:
    source = "{% if show %}{{ missing }}{% end %}done"
    assert Environment().from_string(source).render(show=False) == "done"


def test_a_missing_name_read_once_fails_like_a_name_read_twice() -> None:
    once = undefined_error("a\n  {{ missing }}")
    twice = undefined_error("a\n  {{ missing }}{{ missing }}")
    assert once.message == twice.message == "Undefined variable 'missing' in page.html:2"
    assert once.available_names == twice.available_names
    assert once.suggestion == twice.suggestion


def test_error_values_show_a_name_read_once_from_the_globals() -> None:
    env = Environment(globals={"divisor": 0})
    with pytest.raises(TemplateRuntimeError) as info:
        env.from_string("{{ total / divisor }}").render(total=10)
    assert info.value.values == {"total": 10, "divisor": 0}


def test_a_name_also_passed_to_an_include_is_held_in_a_local() -> None:
    source = "{{ item }}{% include 'part.html' %}"
    code = render_function(source)
    assert "l_item = ctx['item'] if 'item' in ctx" in code
    assert "{**ctx, 'item': l_item}" in code


def test_a_name_in_a_while_test_is_read_from_the_context_once() -> None:
    source = "{% let i = 0 %}{% while i < limit %}{{ i }}{% export i = i + 1 %}{% end %}"
    assert "l_limit = ctx['limit'] if 'limit' in ctx" in render_function(source)
    assert Environment().from_string(source).render(limit=3) == "012"


def test_a_name_read_once_in_a_loop_is_read_from_the_context_once() -> None:
    source = "{% for item in items %}{{ sep }}{{ item }}{% end %}"
    assert "l_sep = ctx['sep'] if 'sep' in ctx" in render_function(source)


@pytest.mark.parametrize("source", ["{{ title }}", "{% if show %}{{ title }}{% end %}"])
def test_a_name_read_once_at_most_once_per_call_needs_no_local(source: str) -> None:
    code = render_function(source)
    assert "l_title" not in code
    assert "ctx['title'] if 'title' in ctx" in code


def test_lenient_templates_keep_reading_names_into_locals() -> None:
    env = Environment(strict_undefined=False)
    module = Compiler(env).compile_module(parse("{{ title }}"), "t")
    assert "l_title = ctx['title'] if 'title' in ctx" in ast.unparse(module)
