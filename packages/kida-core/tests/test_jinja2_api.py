"""The Jinja2-compatible Environment and Template API.

``select_template``, ``get_or_select_template``, ``get_template(parent, globals)``,
``Template.module``/``make_module``, ``overlay``, ``finalize``,
``compile_expression`` and the ``pass_context``/``pass_eval_context``/
``pass_environment`` markers.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from kida_core import (
    Environment,
    Markup,
    Template,
    TemplateNotFoundError,
    TemplatesNotFoundError,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
    pass_environment,
    pass_eval_context,
)
from kida_core.runtime.passing import EvalContext, TemplateContext
from kida_loaders import FileSystemLoader


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    write(
        tmp_path,
        {
            "page.html": "Page {{ title }}",
            "fallback.html": "Fallback",
            "greet.html": "Hello {{ who }}",
            "macros.html": (
                "{% let unit = 'px' %}{% def box(w) %}<b>{{ w }}{{ unit }}</b>{% end %}"
                "body {{ unit }}"
            ),
            "sections/item.html": "{% include './part.html' %}",
            "sections/part.html": "part",
        },
    )
    return Environment(loader=FileSystemLoader(tmp_path), bytecode_cache=False)


# -- select_template / get_or_select_template -------------------------------------


def test_select_template_returns_the_first_that_exists(env: Environment) -> None:
    template = env.select_template(["missing.html", "fallback.html", "page.html"])
    assert template.name == "fallback.html"


def test_select_template_takes_a_template_object_as_is(env: Environment) -> None:
    page = env.get_template("page.html")
    assert env.select_template(["missing.html", page]) is page


def test_select_template_lists_every_name_tried(env: Environment) -> None:
    with pytest.raises(TemplatesNotFoundError) as info:
        env.select_template(["a.html", "b.html"])
    assert info.value.templates == ["a.html", "b.html"]
    assert info.value.name == "b.html"
    assert "a.html, b.html" in str(info.value)


def test_templates_not_found_is_a_template_not_found_error(env: Environment) -> None:
    with pytest.raises(TemplateNotFoundError):
        env.select_template(["nope.html"])


def test_select_template_refuses_an_empty_list(env: Environment) -> None:
    with pytest.raises(TemplatesNotFoundError, match="empty list"):
        env.select_template([])


def test_get_or_select_template_accepts_a_name_or_a_list(env: Environment) -> None:
    assert env.get_or_select_template("page.html").name == "page.html"
    assert env.get_or_select_template(["x.html", "page.html"]).name == "page.html"


def test_an_include_candidate_list_miss_is_a_templates_not_found_error(env: Environment) -> None:
    template = env.from_string("{% include ['x.html', 'y.html'] %}")
    with pytest.raises(TemplatesNotFoundError) as info:
        template.render()
    assert info.value.templates == ["x.html", "y.html"]


# -- get_template(name, parent, globals) ---------------------------------------------


def test_get_template_returns_a_template_object_unchanged(env: Environment) -> None:
    page = env.get_template("page.html")
    assert env.get_template(page) is page


def test_get_template_resolves_relative_names_against_parent(env: Environment) -> None:
    assert env.get_template("./part.html", "sections/item.html").name == "sections/part.html"


def test_get_template_globals_are_visible_under_the_render_variables(env: Environment) -> None:
    template = env.get_template("greet.html", globals={"who": "world"})
    assert template.render() == "Hello world"
    assert template.render(who="you") == "Hello you"


def test_get_template_globals_stay_with_the_cached_template(env: Environment) -> None:
    env.get_template("greet.html", globals={"who": "world"})
    assert env.get_template("greet.html").render() == "Hello world"


def test_template_globals_merge_environment_and_own_globals(env: Environment) -> None:
    env.add_global("site", "kida")
    template = env.get_template("greet.html", globals={"who": "world"})
    assert template.globals["site"] == "kida"
    assert template.globals["who"] == "world"


# -- Template.module / make_module ---------------------------------------------------


def test_module_exposes_top_level_defs_and_assignments(env: Environment) -> None:
    module = env.get_template("macros.html").module
    assert module.unit == "px"
    assert module.box(3) == "<b>3px</b>"


def test_module_str_is_the_rendered_body(env: Environment) -> None:
    module = env.get_template("macros.html").module
    assert str(module) == "body px"
    assert module.__html__() == Markup("body px")


def test_module_is_computed_once(env: Environment) -> None:
    template = env.get_template("macros.html")
    assert template.module is template.module


def test_make_module_renders_with_the_given_variables(env: Environment) -> None:
    template = env.from_string("{% export greeting = 'Hi ' ~ who %}{{ greeting }}!")
    module = template.make_module({"who": "Ann"})
    assert module.greeting == "Hi Ann"
    assert str(module) == "Hi Ann!"


def test_make_module_locals_add_to_the_variables(env: Environment) -> None:
    template = env.from_string("{{ a }}{{ b }}")
    assert str(template.make_module({"a": 1}, locals={"b": 2})) == "12"


def test_make_module_shared_leaves_out_template_globals(env: Environment) -> None:
    template = env.get_template("greet.html", globals={"who": "world"})
    assert str(template.make_module({"who": "vars"}, shared=True)) == "Hello vars"
    with pytest.raises(UndefinedError):
        template.make_module({}, shared=True)


def test_make_module_of_an_async_template_is_refused(env: Environment) -> None:
    template = env.from_string("{% async for x in items %}{{ x }}{% end %}")
    with pytest.raises(Exception, match="async"):
        template.make_module()


# -- overlay ---------------------------------------------------------------------------


def test_overlay_changes_only_the_given_options(env: Environment) -> None:
    plain = env.overlay(autoescape=False)
    assert plain.from_string("{{ '<' }}").render() == "<"
    assert env.from_string("{{ '<' }}").render() == "&lt;"
    assert plain.loader is env.loader
    assert plain.linked_to is env
    assert env.linked_to is None


def test_overlay_shares_filters_tests_and_globals(env: Environment) -> None:
    overlay = env.overlay(trim_blocks=True)
    overlay.add_filter("shout", lambda v: f"{v}!")
    env.add_global("site", "kida")
    assert env.from_string("{{ 'a'|shout }}").render() == "a!"
    assert overlay.from_string("{{ site }}").render() == "kida"
    assert overlay.tests is env.tests


def test_overlay_has_its_own_template_cache(env: Environment) -> None:
    env.get_template("page.html")
    overlay = env.overlay(autoescape=False)
    assert overlay.cache_info()["template"]["size"] == 0
    assert overlay.cache_size == env.cache_size
    assert overlay.overlay(cache_size=5).cache_info()["template"]["max_size"] == 5


def test_overlay_refuses_unknown_options_like_the_constructor(env: Environment) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        env.overlay(nope=True)


def test_overlay_refuses_unsupported_option_values_like_the_constructor(env: Environment) -> None:
    with pytest.raises(ValueError, match="not supported"):
        env.overlay(inline_components=True)


def test_overlay_globals_are_its_own(env: Environment) -> None:
    overlay = env.overlay(globals={"only": "here"})
    assert overlay.from_string("{{ only }}").render() == "here"
    assert "only" not in env.globals


# -- finalize ----------------------------------------------------------------------------


def none_as_dash(value: Any) -> Any:
    return "-" if value is None else value


def test_finalize_applies_to_every_output_value() -> None:
    env = Environment(finalize=none_as_dash)
    assert env.from_string("{{ none }}|{{ 1 }}|{{ 'x' }}").render() == "-|1|x"


def test_finalize_does_not_touch_template_text() -> None:
    env = Environment(finalize=lambda v: f"[{v}]")
    assert env.from_string("text {{ 1 }} text").render() == "text [1] text"


def test_finalize_runs_before_escaping() -> None:
    env = Environment(finalize=lambda v: f"<{v}>")
    assert env.from_string("{{ 'a' }}").render() == "&lt;a&gt;"


def test_finalize_applies_inside_defs_and_blocks() -> None:
    env = Environment(finalize=none_as_dash)
    source = "{% def f() %}{{ none }}{% end %}{% block b %}{{ none }}{% end %}{{ f() }}"
    assert env.from_string(source).render() == "--"
    assert env.from_string(source).render_block("b") == "-"


def test_finalize_agrees_in_every_render_mode() -> None:
    env = Environment(finalize=none_as_dash)
    template = env.from_string("{% for x in items %}{{ x }}{% end %}")
    context = {"items": [1, None, 2]}
    expected = "1-2"
    assert template.render(context) == expected
    assert "".join(template.render_stream(context)) == expected
    assert asyncio.run(template.render_async(context)) == expected

    async def collect() -> str:
        return "".join([chunk async for chunk in template.render_stream_async(context)])

    assert asyncio.run(collect()) == expected


def test_finalize_with_pass_context_sees_template_variables() -> None:
    @pass_context
    def label(context: TemplateContext, value: Any) -> str:
        return f"{context.get('prefix', '')}{value}"

    env = Environment(finalize=label)
    source = "{{ 1 }}{% set prefix = '#' %}{{ 2 }}"
    assert env.from_string(source).render(prefix="@") == "@1#2"


def test_finalize_with_pass_environment_receives_the_environment() -> None:
    @pass_environment
    def mark(environment: Environment, value: Any) -> str:
        return f"{environment.globals['site']}:{value}"

    env = Environment(finalize=mark, globals={"site": "k"})
    assert env.from_string("{{ 1 }}").render() == "k:1"


def test_finalize_is_part_of_the_compile_options_as_a_flag() -> None:
    assert Environment(finalize=str).compile_options(None).finalize is True
    assert Environment().compile_options(None).finalize is False


# -- compile_expression ---------------------------------------------------------------


def test_compile_expression_returns_the_value_not_text() -> None:
    expr = Environment().compile_expression("items | length > limit")
    assert expr(items=[1, 2, 3], limit=2) is True
    assert expr({"items": [], "limit": 0}) is False


def test_compile_expression_supports_filters_tests_and_globals() -> None:
    env = Environment()
    assert env.compile_expression("name | upper")(name="kida") == "KIDA"
    assert env.compile_expression("n is even")(n=4) is True
    assert env.compile_expression("range(3) | list")() == [0, 1, 2]


def test_compile_expression_undefined_raises_in_strict_mode() -> None:
    with pytest.raises(UndefinedError, match="missing"):
        Environment().compile_expression("missing")()


def test_compile_expression_undefined_becomes_none_in_lenient_mode() -> None:
    env = Environment(strict_undefined=False)
    assert env.compile_expression("missing")() is None
    kept = env.compile_expression("missing", undefined_to_none=False)()
    assert str(kept) == ""
    assert kept is not None


def test_compile_expression_syntax_error_quotes_the_expression() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().compile_expression("a +")
    assert info.value.source == "a +"
    assert info.value.lineno == 1


def test_compile_expression_refuses_a_trailing_closing_delimiter() -> None:
    with pytest.raises(TemplateSyntaxError):
        Environment().compile_expression("a }} b")


# -- pass_context / pass_eval_context / pass_environment ------------------------------------


@pass_context
def context_names(context: TemplateContext, value: Any) -> str:
    return f"{value}:{','.join(sorted(k for k in context.vars))}"


def test_pass_context_filter_receives_render_and_top_level_variables() -> None:
    env = Environment()
    env.add_filter("names", context_names)
    source = "{% set top = 1 %}{% for i in [1] %}{{ 'v'|names }}{% end %}"
    assert env.from_string(source).render(given=2) == "v:given,top"


def test_pass_context_context_reaches_globals_and_environment() -> None:
    @pass_context
    def probe(context: TemplateContext, value: Any) -> str:
        assert context.environment is env
        return f"{context['site']}/{context.name}/{value}"

    env = Environment(globals={"site": "kida"})
    env.add_filter("probe", probe)
    assert env.from_string("{{ 1|probe }}", name="t.html").render() == "kida/t.html/1"


def test_pass_context_test_receives_the_context() -> None:
    @pass_context
    def allowed(context: TemplateContext, value: Any) -> bool:
        return value in context["permissions"]

    env = Environment()
    env.add_test("allowed", allowed)
    template = env.from_string("{{ 'edit' is allowed }}")
    assert template.render(permissions=["edit"]) == "True"


def test_pass_context_global_receives_the_context() -> None:
    @pass_context
    def greeting(context: TemplateContext, punctuation: str) -> str:
        return f"Hi {context['who']}{punctuation}"

    env = Environment(globals={"greeting": greeting})
    assert env.from_string("{% set who = 'Ann' %}{{ greeting('!') }}").render() == "Hi Ann!"


def test_pass_environment_global_receives_the_environment() -> None:
    @pass_environment
    def loader_kind(environment: Environment) -> str:
        return type(environment).__name__

    env = Environment(globals={"kind": loader_kind})
    assert env.from_string("{{ kind() }}").render() == "Environment"


def test_pass_eval_context_filter_sees_autoescape() -> None:
    @pass_eval_context
    def nl2br(eval_ctx: EvalContext, value: str) -> str:
        result = value.replace("\n", "<br>")
        return Markup(result) if eval_ctx.autoescape else f"{result} (plain)"

    for autoescape, expected in ((True, "a<br>b"), (False, "a<br>b (plain)")):
        env = Environment(autoescape=autoescape)
        env.add_filter("nl2br", nl2br)
        assert env.from_string("{{ text|nl2br }}").render(text="a\nb") == expected


def test_pass_context_filters_are_part_of_the_bytecode_key(tmp_path: Path) -> None:
    write(tmp_path / "t", {"x.html": "{{ 1|tag }}"})
    cache = tmp_path / "cache"

    def plain(value: Any) -> str:
        return f"plain{value}"

    @pass_context
    def with_context(context: TemplateContext, value: Any) -> str:
        return f"context{value}"

    from kida_cache import BytecodeCache

    first = Environment(
        loader=FileSystemLoader(tmp_path / "t"), bytecode_cache=BytecodeCache(cache)
    )
    first.add_filter("tag", plain)
    assert first.render("x.html") == "plain1"
    second = Environment(
        loader=FileSystemLoader(tmp_path / "t"), bytecode_cache=BytecodeCache(cache)
    )
    second.add_filter("tag", with_context)
    assert second.render("x.html") == "context1"


def test_template_context_is_a_read_only_mapping() -> None:
    captured: list[TemplateContext] = []

    @pass_context
    def grab(context: TemplateContext, value: Any) -> str:
        captured.append(context)
        return ""

    env = Environment()
    env.add_filter("grab", grab)
    env.from_string("{{ 1|grab }}").render(a=1)
    context = captured[0]
    assert context["a"] == 1
    assert "range" in context
    assert context.get_all()["a"] == 1
    with pytest.raises(TypeError):
        context["a"] = 2  # type: ignore[index]


def test_template_object_passes_through_get_or_select(env: Environment) -> None:
    page = env.get_template("page.html")
    assert isinstance(env.get_or_select_template(page), Template)
    assert env.get_or_select_template(page) is page


def test_pass_context_filter_agrees_in_every_render_mode() -> None:
    env = Environment()
    env.add_filter("names", context_names)
    source = (
        "{% set top = 1 %}{% def d() %}{{ 'd'|names }}{% end %}"
        "{% block b %}{{ 'b'|names }}{% end %}{{ d() }}"
    )
    template = env.from_string(source)
    expected = "b:d,given,topd:d,given,top"
    assert template.render(given=0) == expected
    assert "".join(template.render_stream(given=0)) == expected
    assert asyncio.run(template.render_async(given=0)) == expected

    async def collect() -> str:
        return "".join([chunk async for chunk in template.render_stream_async(given=0)])

    assert asyncio.run(collect()) == expected
    assert template.render_block("b", given=0) == "b:d,given,top"
