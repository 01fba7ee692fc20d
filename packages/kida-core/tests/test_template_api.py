"""The Template / Environment public API."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings
import weakref
from typing import Any

import pytest

from kida_core import (
    Environment,
    ErrorCode,
    Markup,
    MigrationWarning,
    PrecedenceWarning,
    RenderContext,
    RenderedTemplate,
    Template,
    TemplateRuntimeError,
    TemplateWarning,
    async_render_context,
    get_render_context,
    pass_environment,
    render_context,
)
from kida_core.compiler import Compiler
from kida_core.parser import parse

GREETING = "Hello {{ name }}{{ punct ?? '!' }}"


def compile_quietly(env: Environment, source: str, name: str | None = None) -> Template:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return env.from_string(source, name=name)


# -- context passing ---------------------------------------------------------------------


def test_render_with_positional_dict() -> None:
    env = Environment()
    assert env.from_string(GREETING).render({"name": "Ada"}) == "Hello Ada!"


def test_render_with_keywords() -> None:
    env = Environment()
    assert env.from_string(GREETING).render(name="Ada", punct="?") == "Hello Ada?"


def test_render_with_dict_and_keywords_keywords_win() -> None:
    env = Environment()
    template = env.from_string(GREETING)
    assert template.render({"name": "Ada", "punct": "."}, name="Bo") == "Hello Bo."


def test_render_does_not_mutate_dict_when_merging_keywords() -> None:
    env = Environment()
    context = {"name": "Ada"}
    env.from_string(GREETING).render(context, name="Bo")
    assert context == {"name": "Ada"}


def test_render_with_more_than_one_positional_raises_type_error() -> None:
    env = Environment()
    with pytest.raises(TypeError):
        env.from_string(GREETING).render({"name": "a"}, {"name": "b"})


def test_render_with_non_mapping_positional_raises_type_error() -> None:
    env = Environment()
    with pytest.raises(TypeError):
        env.from_string(GREETING).render(["name"])


def test_render_stream_with_more_than_one_positional_raises_type_error() -> None:
    env = Environment()
    with pytest.raises(TypeError):
        env.from_string(GREETING).render_stream({}, {})


def test_environment_render_string() -> None:
    assert Environment().render_string(GREETING, {"name": "Ada"}, punct=".") == "Hello Ada."


# -- streaming and RenderedTemplate --------------------------------------------------------


STREAM_SOURCE = "<ul>\n{% for x in xs %}<li>{{ x }}</li>\n{% end %}</ul>{% if done %} done{% end %}"


def test_render_stream_joined_equals_render() -> None:
    env = Environment()
    template = env.from_string(STREAM_SOURCE)
    context = {"xs": ["a", "<b>", 3], "done": True}
    assert "".join(template.render_stream(context)) == template.render(context)


def test_render_stream_yields_several_chunks() -> None:
    env = Environment()
    chunks = list(env.from_string(STREAM_SOURCE).render_stream(xs=[1, 2], done=False))
    assert len(chunks) > 1
    assert "".join(chunks) == "<ul>\n<li>1</li>\n<li>2</li>\n</ul>"


def test_render_stream_of_empty_template_yields_nothing() -> None:
    env = Environment()
    assert list(env.from_string("").render_stream()) == []


def test_interleaved_streams_keep_their_own_render_context() -> None:
    env = Environment()
    failing = env.from_string("a{% for x in xs %}{{ x }}{% end %}\n{{ 1 / z }}", name="one.html")
    other = env.from_string("b{% for x in xs %}{{ x }}{% end %}", name="two.html")
    first, second = failing.render_stream(xs=[1, 2], z=0), other.render_stream(xs=[3, 4])
    chunks: list[str] = []
    with pytest.raises(TemplateRuntimeError) as info:
        while True:
            chunks.append(next(first))
            chunks.append(next(second))
    assert chunks == ["a", "b", "1", "3", "2", "4"]
    assert (info.value.template_name, info.value.lineno) == ("one.html", 2)
    assert get_render_context() is None


def test_render_stream_inherits_meta_at_call_time() -> None:
    env = Environment()
    template = env.from_string("{{ csrf_token() }}")
    with render_context() as rc:
        rc.set_meta("csrf_token", "S")
        stream = template.render_stream()
    assert list(stream) == ["S"]


def test_rendered_template_str_renders() -> None:
    env = Environment()
    rendered = RenderedTemplate(env.from_string(GREETING), {"name": "Ada"})
    assert str(rendered) == "Hello Ada!"


def test_rendered_template_iter_streams() -> None:
    env = Environment()
    template = env.from_string(STREAM_SOURCE)
    rendered = RenderedTemplate(template, {"xs": [1, 2], "done": True})
    assert list(rendered) == list(template.render_stream(xs=[1, 2], done=True))
    assert "".join(rendered) == str(rendered)


# -- async rendering of sync templates ----------------------------------------------------------


async def test_render_async_returns_rendered_string() -> None:
    env = Environment()
    template = env.from_string(GREETING)
    assert await template.render_async({"name": "Ada"}, punct="?") == "Hello Ada?"


async def test_render_async_sees_outer_render_context_meta() -> None:
    env = Environment()
    template = env.from_string("{{ csrf_token() }}")
    with render_context() as rc:
        rc.set_meta("csrf_token", "tok-1")
        assert await template.render_async() == "tok-1"


async def test_concurrent_tasks_see_their_own_meta() -> None:
    env = Environment()
    template = env.from_string("{{ csrf_token() }}")

    async def render_with(token: str) -> str:
        async with async_render_context() as rc:
            rc.set_meta("csrf_token", token)
            await asyncio.sleep(0)
            return await template.render_async()

    results = await asyncio.gather(*(render_with(f"t{i}") for i in range(20)))
    assert results == [f"t{i}" for i in range(20)]


async def test_render_async_raises_runtime_errors() -> None:
    env = Environment()
    template = env.from_string("{{ 1 / z }}")
    with pytest.raises(TemplateRuntimeError) as info:
        await template.render_async(z=0)
    assert info.value.code is ErrorCode.ZERO_DIVISION


async def test_render_stream_async_yields_sync_stream_chunks() -> None:
    env = Environment()
    template = env.from_string(STREAM_SOURCE)
    chunks = [chunk async for chunk in template.render_stream_async(xs=[1, 2], done=True)]
    assert chunks == list(template.render_stream(xs=[1, 2], done=True))
    assert "".join(chunks) == template.render(xs=[1, 2], done=True)


# -- properties ----------------------------------------------------------------------------


def test_template_name() -> None:
    env = Environment()
    assert env.from_string("x", name="pages/home.html").name == "pages/home.html"


def test_anonymous_template_has_no_name() -> None:
    env = Environment()
    assert env.from_string("x").name is None


def test_from_string_template_has_no_filename() -> None:
    env = Environment()
    assert env.from_string("x", name="a.html").filename is None


def test_template_filename_property() -> None:
    env = Environment()
    code = Compiler(env).compile(parse("hi"), "a.html", "/srv/templates/a.html")
    template = Template(env, code, "a.html", "/srv/templates/a.html")
    assert (template.name, template.filename, template.render()) == (
        "a.html",
        "/srv/templates/a.html",
        "hi",
    )


def test_sync_template_is_not_async() -> None:
    env = Environment()
    assert env.from_string("{% for x in xs %}{{ x }}{% end %}").is_async is False


def test_template_without_warnings_has_empty_list() -> None:
    env = Environment()
    assert env.from_string("{{ x }}").warnings == []


# -- warnings -----------------------------------------------------------------------------


def test_coalesce_with_unparenthesised_filter_records_precedence_warning() -> None:
    env = Environment()
    with pytest.warns(PrecedenceWarning, match="K-WARN-001"):
        template = env.from_string("{{ items ?? [] | length }}", name="w.html")
    [warning] = template.warnings
    assert isinstance(warning, TemplateWarning)
    assert (warning.code, warning.template_name, warning.lineno) == (
        ErrorCode.FILTER_PRECEDENCE,
        "w.html",
        1,
    )


def test_parenthesised_filter_operand_does_not_warn() -> None:
    env = Environment()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        template = env.from_string("{{ items ?? ([] | length) }} {{ (items ?? []) | length }}")
    assert template.warnings == []


def test_set_in_if_read_after_block_records_migration_warning() -> None:
    env = Environment()
    source = "{% if user %}\n{% set greeting = 'hi' %}\n{% end %}\n{{ greeting ?? '' }}"
    with pytest.warns(MigrationWarning, match="K-WARN-002"):
        template = env.from_string(source, name="m.html")
    [warning] = template.warnings
    assert (warning.code, warning.template_name, warning.lineno) == (
        ErrorCode.JINJA2_SET_SCOPING,
        "m.html",
        4,
    )
    assert warning.suggestion is not None
    assert "let" in warning.suggestion


def test_set_in_if_shadowing_let_records_migration_warning() -> None:
    env = Environment()
    with pytest.warns(MigrationWarning):
        template = env.from_string("{% let n = 0 %}{% if true %}{% set n = 1 %}{% end %}")
    assert [w.code for w in template.warnings] == [ErrorCode.JINJA2_SET_SCOPING]


def test_set_in_loop_shadowing_let_records_migration_warning() -> None:
    env = Environment()
    source = "{% let total = 0 %}{% for x in xs %}\n{% set total = total + x %}{% end %}"
    with pytest.warns(MigrationWarning, match="K-WARN-002"):
        template = env.from_string(source)
    [warning] = template.warnings
    assert (warning.code, warning.lineno) == (ErrorCode.JINJA2_SET_SCOPING, 2)
    assert warning.suggestion is not None
    assert "export" in warning.suggestion


def test_set_in_with_block_shadowing_export_records_migration_warning() -> None:
    env = Environment()
    with pytest.warns(MigrationWarning):
        template = env.from_string("{% export n = 0 %}{% with a = 1 %}{% set n = a %}{% end %}")
    assert [w.code for w in template.warnings] == [ErrorCode.JINJA2_SET_SCOPING]


def test_set_in_if_shadowing_let_assigned_inside_a_block_records_migration_warning() -> None:
    env = Environment()
    source = "{% if a %}{% let n = 0 %}{% end %}{% if b %}{% set n = 1 %}{% end %}"
    with pytest.warns(MigrationWarning):
        template = env.from_string(source)
    assert [w.code for w in template.warnings] == [ErrorCode.JINJA2_SET_SCOPING]


def test_set_shadowing_a_context_variable_does_not_warn() -> None:
    env = Environment()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        template = env.from_string("{{ n }}{% for x in xs %}{% set n = x %}{{ n }}{% end %}")
    assert template.warnings == []


def test_set_in_def_body_does_not_warn() -> None:
    env = Environment()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        template = env.from_string("{% let n = 0 %}{% def f() %}{% set n = 1 %}{{ n }}{% end %}")
    assert template.warnings == []


def test_loop_local_set_does_not_warn() -> None:
    env = Environment()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        template = env.from_string("{% for x in xs %}{% set y = x %}{{ y }}{% end %}")
    assert template.warnings == []


def test_jinja2_compat_warnings_false_silences_migration_warning() -> None:
    env = Environment(jinja2_compat_warnings=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        template = env.from_string("{% if c %}{% set x = 1 %}{% end %}{{ x ?? '' }}")
    assert template.warnings == []


def test_warnings_property_returns_a_copy() -> None:
    env = Environment()
    template = compile_quietly(env, "{{ a ?? b | upper }}")
    template.warnings.clear()
    assert len(template.warnings) == 1


# -- a Template keeps its Environment alive ----------------------------------------------------


def test_template_keeps_its_environment_alive() -> None:
    env = Environment()
    template = env.from_string("hi {{ x }}")
    ref = weakref.ref(env)
    del env
    gc.collect()
    assert ref() is template._env


def test_environment_is_collected_with_its_last_template() -> None:
    env = Environment()
    template = env.from_string("hi")
    ref = weakref.ref(env)
    del env, template
    gc.collect()
    assert ref() is None


def test_template_renders_after_its_environment_variable_is_dropped() -> None:
    template = Environment().from_string("hi {{ x }}")
    gc.collect()
    assert template.render(x=1) == "hi 1"


def test_environment_taking_filter_keeps_working_after_env_is_dropped() -> None:
    template = Environment().from_string("{{ xs | join(',') }}")
    gc.collect()
    assert template.render(xs=["a", "b"]) == "a,b"


def test_detached_services_raise_k_run_014_once_the_environment_is_collected() -> None:
    env = Environment()
    services = env.runtime_services()._replace(environment_ref=weakref.ref(env))
    del env
    gc.collect()
    with pytest.raises(TemplateRuntimeError) as info:
        services.load("part.html", ("page.html", 1))
    assert info.value.code is ErrorCode.ENV_GARBAGE_COLLECTED
    assert "'page.html'" in str(info.value)


def test_template_keeps_working_while_environment_alive() -> None:
    env = Environment()
    template = env.from_string("{{ xs | join(',') }}")
    gc.collect()
    assert template.render(xs=["a", "b"]) == "a,b"


# -- render context -------------------------------------------------------------------------------


def test_get_render_context_inside_filter_during_render() -> None:
    env = Environment()
    seen: list[RenderContext | None] = []

    def spy(value: Any) -> Any:
        seen.append(get_render_context())
        return value

    env.add_filter("spy", spy)
    assert env.from_string("{{ 'v' | spy }}", name="ctx.html").render() == "v"
    [rc] = seen
    assert isinstance(rc, RenderContext)
    assert rc.template_name == "ctx.html"


def test_get_render_context_is_none_outside_render() -> None:
    env = Environment()
    env.from_string("x").render()
    assert get_render_context() is None


def test_render_context_is_reset_after_failed_render() -> None:
    env = Environment()
    with pytest.raises(TemplateRuntimeError):
        env.from_string("{{ 1 / 0 }}").render()
    assert get_render_context() is None


def test_each_render_gets_a_fresh_render_context() -> None:
    env = Environment()
    seen: list[RenderContext | None] = []
    env.add_global("grab", lambda: seen.append(get_render_context()) or "")
    template = env.from_string("{{ grab() }}")
    template.render()
    template.render()
    assert seen[0] is not seen[1]


def test_meta_set_by_framework_is_visible_to_global() -> None:
    env = Environment()
    env.add_global("token", lambda: get_render_context().get_meta("csrf_token"))  # type: ignore[union-attr]
    template = env.from_string('<input name="csrf" value="{{ token() }}">')
    with render_context() as rc:
        rc.set_meta("csrf_token", "abc123")
        assert template.render() == '<input name="csrf" value="abc123">'


def test_builtin_csrf_token_reads_meta() -> None:
    env = Environment()
    template = env.from_string("{{ csrf_token() }}")
    with render_context() as rc:
        rc.set_meta("csrf_token", "<tok>")
        assert template.render() == "&lt;tok&gt;"


def test_csrf_token_outside_framework_context_is_empty() -> None:
    env = Environment()
    assert env.from_string("[{{ csrf_token() }}]").render() == "[]"


def test_render_context_parent_meta_is_inherited() -> None:
    env = Environment()
    template = env.from_string("{{ hx_target() }}")
    with render_context(parent_meta={"hx_target": "#main"}):
        assert template.render() == "#main"


def test_htmx_helpers_read_meta() -> None:
    env = Environment()
    template = env.from_string(
        "{{ hx_request() }}|{{ hx_target() }}|{{ hx_trigger() }}|{{ hx_boosted() }}"
    )
    with render_context() as rc:
        rc.set_meta("hx_request", True)
        rc.set_meta("hx_target", "list")
        rc.set_meta("hx_trigger", "btn")
        rc.set_meta("hx_boosted", True)
        assert template.render() == "True|list|btn|True"


def test_htmx_helpers_default_outside_htmx_request() -> None:
    env = Environment()
    template = env.from_string(
        "{{ hx_request() }}|{{ hx_target() }}|{{ hx_trigger() }}|{{ hx_boosted() }}"
    )
    assert template.render() == "False|||False"


def test_hx_request_test_reads_meta() -> None:
    env = Environment()
    template = env.from_string("{% if page is hx_request %}partial{% else %}full{% end %}")
    assert template.render(page=1) == "full"
    with render_context() as rc:
        rc.set_meta("hx_request", True)
        assert template.render(page=1) == "partial"


def test_htmx_helpers_can_be_disabled() -> None:
    env = Environment(enable_htmx_helpers=False)
    assert "hx_request" not in env.globals
    assert "csrf_token" not in env.globals


# -- static_context ---------------------------------------------------------------------


def test_environment_static_context_substitutes_literal() -> None:
    env = Environment(static_context={"site_name": "Kida"})
    assert env.from_string("<title>{{ site_name }}</title>").render() == "<title>Kida</title>"


def test_static_context_wins_over_render_context() -> None:
    env = Environment(static_context={"site_name": "Kida"})
    assert env.from_string("{{ site_name }}").render(site_name="other") == "Kida"


def test_per_call_static_context() -> None:
    env = Environment()
    template = env.from_string("{{ mode }}", static_context={"mode": "<live>"})
    assert template.render() == "&lt;live&gt;"


def test_per_call_static_context_overrides_environment() -> None:
    env = Environment(static_context={"mode": "env", "other": "o"})
    template = env.from_string("{{ mode }}-{{ other }}", static_context={"mode": "call"})
    assert template.render() == "call-o"


def test_static_dict_value_is_precomputed() -> None:
    env = Environment()
    config = {"theme": "dark", "debug": False}
    template = env.from_string(
        "{{ config.theme }}{% if config.debug %} DEBUG{% end %}",
        static_context={"config": config},
    )
    assert template.render() == "dark"


def test_static_context_names_need_not_be_passed_to_render() -> None:
    env = Environment(static_context={"nav": ["Home", "Docs"]})
    template = env.from_string("{% for item in nav %}[{{ item }}]{% end %}")
    assert template.render() == "[Home][Docs]"


def test_static_context_is_per_template() -> None:
    env = Environment()
    env.from_string("{{ x }}", static_context={"x": 1})
    assert env.from_string("{{ x ?? 'unset' }}").render() == "unset"


# -- registries ----------------------------------------------------------------------------------


def test_add_filter() -> None:
    env = Environment()
    env.add_filter("reverse_words", lambda s: " ".join(reversed(s.split())))
    assert env.from_string("{{ s | reverse_words }}").render(s="a b c") == "c b a"


def test_filter_with_arguments() -> None:
    env = Environment()
    env.add_filter("wrap", lambda s, left, right=">": f"{left}{s}{right}")
    assert env.from_string("{{ 'x' | wrap('[', right=']') }}").render() == "[x]"


def test_add_test() -> None:
    env = Environment()
    env.add_test("positive", lambda n: n > 0)
    assert env.from_string("{{ 3 is positive }} {{ -3 is positive }}").render() == "True False"


def test_add_global() -> None:
    env = Environment()
    env.add_global("answer", 42)
    assert env.from_string("{{ answer }}").render() == "42"


def test_filter_decorator_uses_function_name() -> None:
    env = Environment()

    @env.filter()
    def shout(value: str) -> str:
        return value.upper() + "!"

    assert env.from_string("{{ 'hey' | shout }}").render() == "HEY!"


def test_filter_decorator_with_explicit_name() -> None:
    env = Environment()

    @env.filter("money")
    def format_money(value: float) -> str:
        return f"${value:.2f}"

    assert env.from_string("{{ 3 | money }}").render() == "$3.00"


def test_test_decorator() -> None:
    env = Environment()

    @env.test()
    def weekend(day: str) -> bool:
        return day in ("sat", "sun")

    assert env.from_string("{{ 'sun' is weekend }} {{ 'mon' is weekend }}").render() == (
        "True False"
    )


def test_filters_registry_item_assignment() -> None:
    env = Environment()
    env.filters["twice"] = lambda v: v * 2
    assert "twice" in env.filters
    assert env.from_string("{{ 21 | twice }}").render() == "42"


def test_tests_registry_item_assignment() -> None:
    env = Environment()
    env.tests["short"] = lambda v: len(v) < 3
    assert env.from_string("{{ 'ab' is short }}").render() == "True"


def test_filter_returning_markup_is_not_escaped() -> None:
    env = Environment()
    env.add_filter("bold", lambda v: Markup("<b>") + v + Markup("</b>"))
    assert env.from_string("{{ s | bold }}").render(s="<x>") == "<b>&lt;x&gt;</b>"


def test_pass_environment_filter_receives_environment() -> None:
    env = Environment(autoescape=False, globals={"site": "kida.dev"})
    seen: list[Any] = []

    @pass_environment
    def absolute(environment: Environment, path: str) -> str:
        seen.append(environment)
        return f"https://{environment.globals['site']}{path}"

    env.add_filter("absolute", absolute)
    assert env.from_string("{{ '/docs' | absolute }}").render() == "https://kida.dev/docs"
    assert isinstance(seen[0], Environment)
    assert seen[0].autoescape is False


def test_registry_writes_during_concurrent_renders_never_break_a_render() -> None:
    env = Environment()
    env.add_filter("tag", lambda v: f"<{v}>")
    template = env.from_string(
        "{% for i in range(20) %}{{ i | tag }}{% end %}|{{ name | upper }}", name="r.html"
    )
    expected = "".join(f"&lt;{i}&gt;" for i in range(20)) + "|ADA"
    stop = threading.Event()
    failures: list[str] = []
    renders = [0]

    def reader() -> None:
        while not stop.is_set():
            try:
                out = template.render(name="ada")
                fresh = env.from_string("{{ 1 | tag }}").render()
            except Exception as exc:
                failures.append(repr(exc))
                return
            if out != expected or fresh != "&lt;1&gt;":
                failures.append(out)
            renders[0] += 1

    def writer() -> None:
        for i in range(300):
            env.add_filter(f"extra_{i}", lambda v, i=i: f"{v}{i}")
            env.add_test(f"extra_{i}", lambda v: bool(v))
            env.add_global(f"g_{i}", i)
            env.filters["tag"] = env.filters["tag"]

    readers = [threading.Thread(target=reader) for _ in range(8)]
    for thread in readers:
        thread.start()
    writer_thread = threading.Thread(target=writer)
    writer_thread.start()
    writer_thread.join()
    stop.set()
    for thread in readers:
        thread.join()
    assert failures == []
    assert renders[0] > 0
    assert env.from_string("{{ 'x' | extra_299 }}").render() == "x299"
