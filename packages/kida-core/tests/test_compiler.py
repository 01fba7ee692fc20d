"""The shape of the generated Python module.

Kida AST → ``ast.Module`` built directly, never source strings.
"""

from __future__ import annotations

import ast
import builtins
import types
import warnings
from typing import Any

import pytest

from kida_core import Environment, ErrorCode, TemplateSyntaxError, TemplateWarning
from kida_core.compiler import Compiler
from kida_core.compiler.pyast import finish, names_in
from kida_core.markup import Markup
from kida_core.parser import parse
from kida_core.runtime.namespace import parameter_global


def module_for(source: str, env: Environment | None = None, **compiler_kw: Any) -> ast.Module:
    return Compiler(env or Environment(), **compiler_kw).compile_module(parse(source), "t")


def function(module: ast.Module, name: str) -> ast.FunctionDef:
    [func] = [f for f in module.body if isinstance(f, ast.FunctionDef) and f.name == name]
    return func


def line_markers(nodes: list[ast.stmt]) -> list[int]:
    """Template line numbers assigned to ``_rc.line`` anywhere inside ``nodes``."""
    found: list[int] = []
    for stmt in nodes:
        for node in ast.walk(stmt):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Attribute)
                and isinstance(node.targets[0].value, ast.Name)
                and node.targets[0].value.id == "_rc"
                and node.targets[0].attr == "line"
            ):
                assert isinstance(node.value, ast.Constant)
                found.append(node.value.value)
    return found


def first_for(func: ast.FunctionDef) -> ast.For:
    return next(node for node in ast.walk(func) if isinstance(node, ast.For))


def append_calls(func: ast.FunctionDef) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(func)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_append"
    ]


def output_values(func: ast.FunctionDef) -> list[ast.expr]:
    """The values ``func`` appends, or the one text it returns without a buffer."""
    values: list[ast.expr] = [call.args[0] for call in append_calls(func)]
    last = func.body[-1]
    if not values and isinstance(last, ast.Return) and last.value is not None:
        values.append(last.value)
    return values


# -- module structure ---------------------------------------------------------------------


def test_compile_module_returns_ast_module() -> None:
    assert isinstance(module_for("Hello {{ name }}"), ast.Module)


def test_module_defines_render_and_render_stream() -> None:
    module = module_for("Hello {{ name }}")
    names = [node.name for node in module.body if isinstance(node, ast.FunctionDef)]
    assert names == ["render", "render_stream"]


@pytest.mark.parametrize("name", ["render", "render_stream"])
def test_functions_take_ctx_and_blocks_without_generated_defaults(name: str) -> None:
    args = function(module_for("x"), name).args
    assert [a.arg for a in args.args] == ["ctx", "_blocks"]
    assert args.defaults == []  # set by the runtime once the module ran


def test_render_uses_string_builder() -> None:
    render = function(module_for("a{{ x }}{% for i in y %}b{% end %}"), "render")
    source = ast.unparse(render)
    assert "_append = (buf := []).append" in source
    last = render.body[-1]
    assert isinstance(last, ast.Return)
    assert ast.unparse(last) == "return ''.join(buf)"


def test_render_of_one_run_of_text_returns_it_without_a_buffer() -> None:
    render = function(module_for("a{{ x }}b"), "render")
    assert "buf" not in {n.id for n in ast.walk(render) if isinstance(n, ast.Name)}
    last = render.body[-1]
    assert isinstance(last, ast.Return)
    assert isinstance(last.value, ast.JoinedStr)


def test_an_empty_block_returns_the_empty_string_without_a_buffer() -> None:
    block = function(module_for("<main>{% block content %}{% end %}</main>"), "_block_content")
    assert ast.unparse(block.body) == "return ''"


def test_an_empty_block_renders_nothing_in_every_mode() -> None:
    template = Environment().from_string("<main>{% block content %}{% end %}</main>")
    assert template.render() == "<main></main>"
    assert "".join(template.render_stream()) == "<main></main>"
    assert template.render_block("content") == ""


def test_render_of_one_escaped_value_keeps_the_buffer() -> None:
    # ``_e(x)`` may be Markup; joining the buffer makes the result a plain str.
    render = function(module_for("{{ x }}"), "render")
    assert ast.unparse(render.body[-1]) == "return ''.join(buf)"


def test_render_stream_is_a_generator() -> None:
    stream = function(module_for("a{{ x }}"), "render_stream")
    assert any(isinstance(node, ast.Yield | ast.YieldFrom) for node in ast.walk(stream))
    assert "buf" not in {n.id for n in ast.walk(stream) if isinstance(n, ast.Name)}


def test_render_stream_of_empty_template_is_still_a_generator() -> None:
    stream = function(module_for(""), "render_stream")
    assert any(isinstance(node, ast.Yield | ast.YieldFrom) for node in ast.walk(stream))


def _helper_parameters(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str | None]:
    """``{parameter: the global the runtime binds it to}`` after ``ctx``."""
    return {a.arg: parameter_global(a.arg) for a in fn.args.args[1:]}


def test_helpers_are_parameters_bound_once_when_the_module_runs() -> None:
    render = function(module_for("{{ a }}{{ b }}{% for x in xs %}{{ x }}{% end %}"), "render")
    assert _helper_parameters(render)["_e"] == "_K_escape"
    assert "_K_escape" not in ast.unparse(render.body)


def test_filters_are_read_from_namespace_once_per_function() -> None:
    render = function(module_for("{{ a | upper }}{{ b | upper }}"), "render")
    assert _helper_parameters(render)["_f_upper"] == "_F_upper"
    assert "_F_upper" not in ast.unparse(render.body)


def test_context_names_are_read_once_without_writing_ctx() -> None:
    render = function(module_for("{{ name }}{{ name }}{% if name %}{{ name }}{% end %}"), "render")
    source = ast.unparse(render)
    assert source.count("ctx['name']") == 1
    ctx_writes = [
        node
        for node in ast.walk(render)
        if isinstance(node, ast.Subscript | ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "ctx"
    ]
    assert ctx_writes == []


# -- coalescing -------------------------------------------------------------------------------


def test_adjacent_text_and_outputs_coalesce_into_one_fstring_append() -> None:
    render = function(module_for("<p>{{ a }} and {{ b }}</p>"), "render")
    [value] = output_values(render)
    assert isinstance(value, ast.JoinedStr)


def test_adjacent_text_only_is_one_constant_append() -> None:
    render = function(module_for("one{# comment #}two"), "render")
    [value] = output_values(render)
    assert isinstance(value, ast.Constant)
    assert value.value == "onetwo"


def test_constant_outputs_are_folded_into_text_at_compile_time() -> None:
    render = function(module_for("a{{ '<b>' }}c"), "render")
    [value] = output_values(render)
    assert isinstance(value, ast.Constant)
    assert value.value == "a&lt;b&gt;c"


def test_coalescing_off_emits_one_append_per_part() -> None:
    env = Environment(fstring_coalescing=False)
    render = function(module_for("<p>{{ a }} and {{ b }}</p>", env), "render")
    appends = append_calls(render)
    assert len(appends) == 5
    assert not any(isinstance(node, ast.JoinedStr) for node in ast.walk(render))


def test_stream_coalesces_into_one_yield() -> None:
    stream = function(module_for("<p>{{ a }}-{{ b }}</p>"), "render_stream")
    yields = [node for node in ast.walk(stream) if isinstance(node, ast.Yield)]
    assert len(yields) == 1
    assert isinstance(yields[0].value, ast.JoinedStr)


# -- line tracking --------------------------------------------------------------------------------


def test_single_line_loop_has_no_line_markers_inside_body() -> None:
    render = function(module_for("{% for x in xs %}<li>{{ x }}</li>{% end %}"), "render")
    loop = first_for(render)
    assert line_markers(loop.body) == []


def test_multi_line_loop_sets_rc_line_inside_body() -> None:
    render = function(module_for("{% for x in xs %}\n<li>{{ x }}</li>\n{% end %}"), "render")
    loop = first_for(render)
    assert line_markers(loop.body) == [2]


def test_line_marker_precedes_output_on_later_line() -> None:
    render = function(module_for("text\n\n{{ x }}"), "render")
    assert 3 in line_markers(render.body)


def test_static_text_needs_no_line_marker() -> None:
    assert line_markers(function(module_for("just text\nmore"), "render").body) == []


def test_generated_statements_carry_template_line_numbers() -> None:
    render = function(module_for("a\nb\n{{ x / y }}"), "render")
    divisions = [node for node in ast.walk(render) if isinstance(node, ast.BinOp)]
    assert [node.lineno for node in divisions] == [3]


# -- no source strings ---------------------------------------------------------------------------


def test_compile_returns_code_object() -> None:
    code = Compiler(Environment()).compile(parse("Hi {{ name }}"), "t")
    assert isinstance(code, types.CodeType)


def test_module_contains_no_exec_eval_or_compile_calls() -> None:
    module = module_for(
        "{% for x in xs if x %}{{ x | upper }}{% end %}{% match y %}{% case 1 %}a{% end %}"
        "{% capture c %}{{ z ?? 1 }}{% end %}{{ c }}{{ a?.b }}"
    )
    called = {
        node.func.id
        for node in ast.walk(module)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert called.isdisjoint({"exec", "eval", "compile", "__import__"})


def test_compiler_never_compiles_source_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    real_compile = builtins.compile
    compiled: list[type] = []

    def spy(source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(type(source))
        return real_compile(source, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", spy)
    env = Environment()
    template = env.from_string("{% for x in xs %}{{ loop.index }}={{ x | upper }} {% end %}")
    monkeypatch.setattr(builtins, "compile", real_compile)
    assert compiled
    assert str not in compiled
    assert bytes not in compiled
    assert template.render(xs=["a"]) == "1=A "


def test_compiled_module_executes() -> None:
    code = Compiler(Environment()).compile(parse("x"), "t")
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    assert {"render", "render_stream"} <= set(namespace)


# -- Compiler.warnings / Compiler.precomputed ------------------------------------------------------


MIGRATION_SOURCE = "{% if c %}{% set x = 1 %}{% end %}{{ x }}"


def test_compiler_warnings_property() -> None:
    compiler = Compiler(Environment())
    compiler.compile_module(parse(MIGRATION_SOURCE), "w.html")
    [warning] = compiler.warnings
    assert isinstance(warning, TemplateWarning)
    assert (warning.code, warning.template_name, warning.lineno) == (
        ErrorCode.JINJA2_SET_SCOPING,
        "w.html",
        1,
    )


def test_compiler_warnings_empty_for_clean_template() -> None:
    compiler = Compiler(Environment())
    compiler.compile_module(parse("{{ a }}"), "t")
    assert compiler.warnings == []


def test_compiler_warnings_respect_jinja2_compat_switch() -> None:
    compiler = Compiler(Environment(jinja2_compat_warnings=False))
    compiler.compile_module(parse(MIGRATION_SOURCE), "t")
    assert compiler.warnings == []


def test_compiler_warnings_returns_copy() -> None:
    compiler = Compiler(Environment())
    compiler.compile_module(parse(MIGRATION_SOURCE), "t")
    compiler.warnings.clear()
    assert len(compiler.warnings) == 1


def test_compiler_does_not_emit_python_warnings_itself() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Compiler(Environment()).compile_module(parse(MIGRATION_SOURCE), "t")


def test_precomputed_holds_non_literal_static_values() -> None:
    config = {"theme": "dark"}
    compiler = Compiler(Environment(), static_context={"config": config})
    module = compiler.compile_module(parse("{% for key in config %}{{ key }}{% end %}"), "t")
    assert compiler.precomputed == [config]
    assert compiler.precomputed[0] is config
    assert "_pc_0" in ast.unparse(module)


def test_literal_static_values_fold_into_the_surrounding_text() -> None:
    compiler = Compiler(Environment(), static_context={"title": "Docs & more"})
    module = compiler.compile_module(parse("<h1>{{ title }}</h1>"), "t")
    assert compiler.precomputed == []
    render = function(module, "render")
    constants = {node.value for node in ast.walk(render) if isinstance(node, ast.Constant)}
    assert "<h1>Docs &amp; more</h1>" in constants


def test_static_values_fold_through_pure_filters() -> None:
    compiler = Compiler(Environment(), static_context={"title": "Docs"})
    module = compiler.compile_module(parse("{{ title | upper }}"), "t")
    render = function(module, "render")
    constants = {node.value for node in ast.walk(render) if isinstance(node, ast.Constant)}
    assert "DOCS" in constants
    assert "ctx.get('title'" not in ast.unparse(render)


def test_static_attribute_lookups_fold_to_constants() -> None:
    compiler = Compiler(Environment(), static_context={"config": {"theme": "dark"}})
    module = compiler.compile_module(parse("{{ config.theme }}"), "t")
    assert compiler.precomputed == []
    assert "'dark'" in ast.unparse(function(module, "render"))


def test_dead_branches_are_removed_with_static_context() -> None:
    compiler = Compiler(Environment(), static_context={"debug": False})
    module = compiler.compile_module(parse("{% if debug %}{{ secret }}{% else %}ok{% end %}"), "t")
    source = ast.unparse(function(module, "render"))
    assert "secret" not in source
    assert "'ok'" in source


def test_static_markup_is_not_escaped_again() -> None:
    env = Environment(static_context={"logo": Markup("<b>K</b>")})
    assert env.from_string("{{ logo }}{{ logo ~ '!' }}").render() == "<b>K</b><b>K</b>!"


def test_environment_static_context_reaches_compiler() -> None:
    compiler = Compiler(Environment(static_context={"items": [1, 2]}))
    compiler.compile_module(parse("{% for i in items %}{{ i }}{% end %}"), "t")
    assert compiler.precomputed == [[1, 2]]


def test_unknown_filter_fails_at_compile_module() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        module_for("{{ x | nosuchfilter }}")
    assert info.value.code is ErrorCode.INVALID_FILTER


def test_names_in_lists_every_name_read_or_written_at_any_depth() -> None:
    stmts = ast.parse("a = f(b.c, [d for e in g], key=lambda: h)\nif i: j += k").body
    assert names_in(stmts) == {"a", "f", "b", "d", "e", "g", "h", "i", "j", "k"}


def test_finish_gives_each_unpositioned_node_its_nearest_positioned_ancestors_position() -> None:
    positioned = ast.Call(ast.Name("f", ast.Load()), [ast.Name("a", ast.Load())], [])
    positioned.lineno, positioned.col_offset = 7, 3
    stmt = ast.Expr(ast.BinOp(positioned, ast.Add(), ast.Constant(1)))
    finish([stmt], 2, 0)
    module = ast.Module([stmt], [])
    positions = {
        ast.dump(node, include_attributes=False): (node.lineno, node.col_offset)
        for node in ast.walk(module)
        if "lineno" in node._attributes
    }
    assert positions == {
        ast.dump(stmt): (2, 0),
        ast.dump(stmt.value): (2, 0),
        ast.dump(positioned): (7, 3),
        "Name(id='f', ctx=Load())": (7, 3),
        "Name(id='a', ctx=Load())": (7, 3),
        "Constant(value=1)": (2, 0),
    }


def test_finish_positions_through_nodes_without_a_position_of_their_own() -> None:
    tree = ast.parse("x = [y for y in z if y]")
    for node in ast.walk(tree):
        node.__dict__.pop("lineno", None)
    finish(tree.body, 4, 2)
    comprehension = tree.body[0].value.generators[0]  # type: ignore[attr-defined]
    assert [
        (node.lineno, node.col_offset) for node in (comprehension.target, comprehension.iter)
    ] == [
        (4, 2),
        (4, 2),
    ]


def test_finish_returns_the_names_names_in_lists() -> None:
    source = "a = f(b.c, [d for e in g], key=lambda: h)\nif i: j += k"
    assert finish(ast.parse(source).body, 1, 0) == names_in(ast.parse(source).body)
