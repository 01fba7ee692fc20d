"""RenderContext and its ContextVar helpers."""

from __future__ import annotations

import asyncio
import threading

import pytest

from kida_core import (
    ErrorCode,
    RenderContext,
    TemplateRuntimeError,
    async_render_context,
    get_render_context,
    get_render_context_required,
    render_context,
)
from kida_core.render_context import reset_render_context, set_render_context


def test_there_is_no_render_context_outside_a_render() -> None:
    assert get_render_context() is None


def test_required_context_outside_a_render_raises_k_run_017() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        get_render_context_required()
    assert info.value.code is ErrorCode.NOT_IN_RENDER_CONTEXT


def test_render_context_manager_installs_and_restores() -> None:
    with render_context("page.html", source="x") as ctx:
        assert get_render_context_required() is ctx
        assert ctx.template_name == "page.html"
    assert get_render_context() is None


def test_nested_render_context_inherits_meta() -> None:
    with render_context() as outer:
        outer.set_meta("csrf_token", "t0k")
        with render_context("inner.html") as inner:
            assert inner.get_meta("csrf_token") == "t0k"


def test_parent_meta_argument_seeds_meta() -> None:
    with render_context(parent_meta={"hx_request": True}) as ctx:
        assert ctx.get_meta("hx_request") is True
        assert ctx.get_meta("missing", "default") == "default"


def test_set_and_reset_tokens() -> None:
    ctx = RenderContext("a.html")
    token = set_render_context(ctx)
    assert get_render_context() is ctx
    reset_render_context(token)
    assert get_render_context() is None


def test_contexts_are_isolated_between_threads() -> None:
    seen: dict[str, str | None] = {}

    def worker(name: str) -> None:
        with render_context(name):
            seen[name] = get_render_context_required().template_name

    threads = [threading.Thread(target=worker, args=(f"t{i}.html",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {f"t{i}.html": f"t{i}.html" for i in range(8)}


def test_async_render_context_sets_the_context_for_the_task() -> None:
    async def main() -> str | None:
        async with async_render_context("async.html"):
            return get_render_context_required().template_name

    assert asyncio.run(main()) == "async.html"


def test_child_context_counts_include_depth_and_records_the_caller() -> None:
    parent = RenderContext("page.html")
    parent.line = 7
    child = parent.child_context("card.html", source="<div>")
    assert child.include_depth == 1
    assert child.template_name == "card.html"
    assert list(child.template_stack) == [("page.html", 7)]
    assert parent.template_stack == ()


def test_child_context_without_a_name_keeps_the_template_name() -> None:
    parent = RenderContext("page.html")
    child = parent.child_context()
    assert child.template_name == "page.html"
    assert child.include_depth == 1


def test_import_stack_is_a_constructor_field_children_inherit() -> None:
    ctx = RenderContext("page.html", import_stack=("base.html",))
    assert tuple(ctx.import_stack) == ("base.html",)
    assert tuple(ctx.child_context("card.html").import_stack) == ("base.html",)


def test_include_depth_limit_raises_k_run_006() -> None:
    ctx = RenderContext("loop.html", max_include_depth=2, include_depth=2)
    with pytest.raises(TemplateRuntimeError) as info:
        ctx.child_context("loop.html")
    assert info.value.code is ErrorCode.INCLUDE_DEPTH


def test_extends_depth_limit_raises() -> None:
    ctx = RenderContext("a.html", max_extends_depth=1, extends_depth=1)
    with pytest.raises(TemplateRuntimeError, match="extends depth"):
        ctx.child_context_for_extends("b.html")


def test_child_context_for_extends_counts_extends_depth() -> None:
    assert RenderContext("child.html").child_context_for_extends("base.html").extends_depth == 1


def test_provide_and_consume_are_stacked() -> None:
    ctx = RenderContext()
    ctx.provide("theme", "dark")
    ctx.provide("theme", "light")
    assert ctx.consume("theme") == "light"
    ctx.unprovide("theme")
    assert ctx.consume("theme") == "dark"
    ctx.unprovide("theme")
    assert ctx.consume("theme", "none") == "none"


def test_a_child_context_provides_and_pushes_to_its_parents_stacks() -> None:
    page = RenderContext("page.html")
    part = page.child_context("part.html")
    part.provide("theme", "dark")
    placeholder = page.stack("js")
    part.push("js", "<script>")
    assert page.consume("theme") == "dark"
    assert page.fill_stacks(f"[{placeholder}]") == "[<script>]"


def test_unknown_field_is_rejected() -> None:
    with pytest.raises(TypeError, match="no field 'colour'"):
        RenderContext(colour="red")
