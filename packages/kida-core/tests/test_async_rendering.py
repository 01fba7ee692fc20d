"""Async templates and the async render APIs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from kida_core import Environment, TemplateRuntimeError
from kida_loaders import DictLoader

ENV = Environment(
    loader=DictLoader(
        {
            "sync_base.html": "<{% block body %}base{% end %}|{% block side %}S{% end %}>",
            "async_child.html": "{% extends 'sync_base.html' %}"
            "{% block body %}{% async for x in items %}{{ x }}{% end %}{% end %}",
            "async_child_super.html": "{% extends 'sync_base.html' %}"
            "{% block side %}{{ super() }}+{{ await fetch('A') }}{% end %}",
            "async_base.html": "<{% async for x in items %}{{ x }}{% end %}|"
            "{% block body %}base{% end %}>",
            "sync_child_of_async.html": "{% extends 'async_base.html' %}"
            "{% block body %}child{% end %}",
            "async_base_await.html": "<{% block body %}{{ await fetch('base') }}{% end %}>",
            "async_child_of_async.html": "{% extends 'async_base_await.html' %}"
            "{% block body %}{{ await fetch('child') }}/{{ super() }}{% end %}",
            "async_partial.html": "[{{ await fetch('i') }}]",
            "async_includer.html": "a{% include 'async_partial.html' %}b",
            "plain.html": "P{{ 1 + 1 }}",
            "async_with_sync_include.html": "{{ await fetch('z') }}{% include 'plain.html' %}",
            "async_includes_async.html": "{{ await fetch('o') }}{% include 'async_partial.html' %}",
            "forms.html": "{% def f(x) %}<{{ x }}>{% end %}",
            "async_from_import.html": "{% from 'forms.html' import f %}{{ f(await fetch('v')) }}",
            "async_cache.html": "{% cache 'k' %}{{ await fetch(v) }}{% end %}",
            "blocks.html": "<{% block body %}{% for i in [1, 2] %}{{ i }}{% end %}{% end %}>",
        }
    )
)


async def agen(n: int) -> AsyncIterator[int]:
    for i in range(n):
        await asyncio.sleep(0)
        yield i


async def fetch(value: Any) -> Any:
    await asyncio.sleep(0)
    return value


async def collect(stream: AsyncIterator[str]) -> str:
    return "".join([chunk async for chunk in stream])


# -- is_async -------------------------------------------------------------------------------------


def test_async_for_marks_template_async() -> None:
    assert ENV.from_string("{% async for x in xs %}{{ x }}{% end %}").is_async


def test_await_marks_template_async() -> None:
    assert ENV.from_string("{{ await f() }}").is_async


def test_await_inside_block_marks_template_async() -> None:
    assert ENV.from_string("{% block b %}{{ await f() }}{% end %}").is_async


def test_plain_template_is_not_async() -> None:
    assert not ENV.from_string("{% for x in xs %}{{ x }}{% end %}").is_async


# -- sync APIs refuse async templates -------------------------------------------------------------


def test_render_on_async_template_raises_with_hint() -> None:
    template = ENV.from_string("{% async for x in xs %}{{ x }}{% end %}")
    with pytest.raises(TemplateRuntimeError) as info:
        template.render(xs=[])
    assert "render_stream_async" in str(info.value)


def test_render_stream_on_async_template_raises() -> None:
    template = ENV.from_string("{{ await f() }}")
    with pytest.raises(TemplateRuntimeError, match="render_stream_async"):
        list(template.render_stream(f=fetch))


def test_render_block_on_async_block_raises() -> None:
    template = ENV.from_string("{% block b %}{{ await f() }}{% end %}")
    with pytest.raises(TemplateRuntimeError, match="async"):
        template.render_block("b", f=fetch)


# -- async for ------------------------------------------------------------------------------------


async def test_async_for_streams_items() -> None:
    template = ENV.from_string("{% async for x in items %}<{{ x }}>{% end %}")
    assert await collect(template.render_stream_async(items=agen(3))) == "<0><1><2>"


async def test_async_for_yields_chunk_per_iteration() -> None:
    template = ENV.from_string("{% async for x in items %}<{{ x }}>{% end %}")
    chunks = [chunk async for chunk in template.render_stream_async(items=agen(3))]
    assert chunks == ["<0>", "<1>", "<2>"]


async def test_async_for_empty_branch() -> None:
    template = ENV.from_string("{% async for x in items %}{{ x }}{% empty %}none{% end %}")
    assert await collect(template.render_stream_async(items=agen(0))) == "none"


async def test_async_for_inline_filter() -> None:
    template = ENV.from_string("{% async for x in items if x % 2 == 0 %}{{ x }}{% end %}")
    assert await collect(template.render_stream_async(items=agen(5))) == "024"


async def test_async_for_explicit_endfor() -> None:
    template = ENV.from_string("{% async for x in items %}{{ x }}{% endfor %}")
    assert await collect(template.render_stream_async(items=agen(2))) == "01"


async def test_async_loop_index_and_first() -> None:
    template = ENV.from_string(
        "{% async for x in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }};{% end %}"
    )
    assert await collect(template.render_stream_async(items=agen(2))) == "10True;21False;"


async def test_async_loop_previtem() -> None:
    template = ENV.from_string("{% async for x in items %}{{ loop.previtem ?? '-' }}{% end %}")
    assert await collect(template.render_stream_async(items=agen(3))) == "-01"


async def test_async_loop_cycle() -> None:
    template = ENV.from_string("{% async for x in items %}{{ loop.cycle('a', 'b') }}{% end %}")
    assert await collect(template.render_stream_async(items=agen(3))) == "aba"


@pytest.mark.parametrize("prop", ["last", "length", "revindex", "revindex0", "nextitem"])
async def test_async_loop_length_dependent_property_raises(prop: str) -> None:
    template = ENV.from_string(f"{{% async for x in items %}}{{{{ loop.{prop} }}}}{{% end %}}")
    with pytest.raises(TemplateRuntimeError, match=f"loop.{prop}"):
        await collect(template.render_stream_async(items=agen(2)))


async def test_sync_loop_nested_in_async_loop_keeps_length() -> None:
    template = ENV.from_string(
        "{% async for x in items %}{% for y in [1, 2] %}{{ loop.index }}/{{ loop.length }} "
        "{% end %}{% end %}"
    )
    assert await collect(template.render_stream_async(items=agen(1))) == "1/2 2/2 "


async def test_def_called_inside_async_loop() -> None:
    template = ENV.from_string(
        "{% def f(x) %}<{{ x }}>{% end %}{% async for x in items %}{{ f(x) }}{% end %}"
    )
    assert await collect(template.render_stream_async(items=agen(2))) == "<0><1>"


# -- await ----------------------------------------------------------------------------------------


async def test_await_in_output() -> None:
    template = ENV.from_string("{{ await fetch('v') }}")
    assert await collect(template.render_stream_async(fetch=fetch)) == "v"


async def test_await_inside_larger_expression() -> None:
    template = ENV.from_string("{{ (await fetch(2)) + 1 }}")
    assert await collect(template.render_stream_async(fetch=fetch)) == "3"


async def test_await_result_is_escaped() -> None:
    template = ENV.from_string("{{ await fetch('<b>') }}")
    assert await collect(template.render_stream_async(fetch=fetch)) == "&lt;b&gt;"


async def test_await_in_if_condition() -> None:
    template = ENV.from_string("{% if await fetch(true) %}yes{% end %}")
    assert await collect(template.render_stream_async(fetch=fetch)) == "yes"


async def test_await_in_top_level_set() -> None:
    template = ENV.from_string("{% set v = await fetch(5) %}{{ v * 2 }}")
    assert await collect(template.render_stream_async(fetch=fetch)) == "10"


async def test_await_in_top_level_let() -> None:
    template = ENV.from_string("{% let v = await fetch(5) %}{{ v * 2 }}")
    assert await collect(template.render_stream_async(fetch=fetch)) == "10"


async def test_await_in_with_binding() -> None:
    template = ENV.from_string("{% with v = await fetch(3) %}{{ v }}{% end %}")
    assert await collect(template.render_stream_async(fetch=fetch)) == "3"


async def test_async_iterable_produced_by_await() -> None:
    async def rows() -> list[int]:
        return [1, 2]

    template = ENV.from_string("{% for r in await rows() %}{{ r }}{% end %}")
    assert await collect(template.render_stream_async(rows=rows)) == "12"


# -- render_async ---------------------------------------------------------------------------------


async def test_render_async_collects_async_template() -> None:
    template = ENV.from_string("{% async for x in items %}{{ x }}{% end %}!")
    assert await template.render_async(items=agen(3)) == "012!"


async def test_render_async_of_sync_template() -> None:
    template = ENV.from_string("Hi {{ name }}")
    assert await template.render_async(name="Ada") == "Hi Ada"


async def test_render_async_runs_sync_template_in_worker_thread() -> None:
    threads: list[int] = []
    template = ENV.from_string("{{ where() }}")
    await template.render_async(where=lambda: threads.append(threading.get_ident()) or "")
    assert threads and threads[0] != threading.get_ident()


async def test_render_async_accepts_positional_mapping() -> None:
    template = ENV.from_string("{{ a }}{{ b }}")
    assert await template.render_async({"a": 1}, b=2) == "12"


async def test_render_async_propagates_errors() -> None:
    template = ENV.from_string("{{ 1 // 0 }}")
    with pytest.raises(TemplateRuntimeError, match="division"):
        await template.render_async()


# -- sync templates through async APIs ------------------------------------------------------------


async def test_render_stream_async_wraps_sync_template() -> None:
    template = ENV.from_string("{% for x in xs %}<{{ x }}>{% end %}")
    chunks = [chunk async for chunk in template.render_stream_async(xs=[1, 2])]
    assert chunks == list(template.render_stream(xs=[1, 2])) == ["<1>", "<2>"]


async def test_render_block_stream_async_of_sync_block() -> None:
    template = ENV.get_template("blocks.html")
    assert await collect(template.render_block_stream_async("body")) == "12"


async def test_render_block_stream_async_missing_block_is_key_error() -> None:
    with pytest.raises(KeyError):
        await collect(ENV.get_template("blocks.html").render_block_stream_async("nope"))


async def test_sync_template_with_sync_include_via_async_stream() -> None:
    template = ENV.from_string("x{% include 'plain.html' %}y")
    assert await collect(template.render_stream_async()) == "xP2y"


# -- async blocks ---------------------------------------------------------------------------------


async def test_render_block_stream_async_of_async_block() -> None:
    template = ENV.from_string("<{% block b %}{% async for x in items %}{{ x }}{% end %}{% end %}>")
    assert await collect(template.render_block_stream_async("b", items=agen(3))) == "012"


async def test_render_block_stream_async_of_block_in_async_child() -> None:
    template = ENV.get_template("async_child.html")
    assert await collect(template.render_block_stream_async("body", items=agen(2))) == "01"


async def test_render_block_stream_async_of_parent_block_from_async_child() -> None:
    template = ENV.get_template("async_child.html")
    assert await collect(template.render_block_stream_async("side", items=agen(2))) == "S"


# -- async and composition ------------------------------------------------------------------------


async def test_async_template_includes_sync_template() -> None:
    template = ENV.get_template("async_with_sync_include.html")
    assert await collect(template.render_stream_async(fetch=fetch)) == "zP2"


async def test_async_child_extends_sync_parent() -> None:
    template = ENV.get_template("async_child.html")
    assert template.is_async
    assert await collect(template.render_stream_async(items=agen(3))) == "<012|S>"


async def test_async_child_block_calls_super_of_sync_parent() -> None:
    template = ENV.get_template("async_child_super.html")
    assert await collect(template.render_stream_async(fetch=fetch)) == "<base|S+A>"


async def test_async_child_extends_async_parent_with_super() -> None:
    template = ENV.get_template("async_child_of_async.html")
    assert await collect(template.render_stream_async(fetch=fetch)) == "<child/base>"


async def test_sync_child_extends_async_parent() -> None:
    template = ENV.get_template("sync_child_of_async.html")
    assert await collect(template.render_stream_async(items=agen(2))) == "<01|child>"


async def test_sync_template_includes_async_template_via_async_stream() -> None:
    template = ENV.get_template("async_includer.html")
    assert await collect(template.render_stream_async(fetch=fetch)) == "a[i]b"


async def test_async_template_includes_async_template() -> None:
    template = ENV.get_template("async_includes_async.html")
    assert await collect(template.render_stream_async(fetch=fetch)) == "o[i]"


async def test_async_template_calls_imported_def_with_awaited_argument() -> None:
    template = ENV.get_template("async_from_import.html")
    assert await collect(template.render_stream_async(fetch=fetch)) == "<v>"


async def test_async_cache_fragment_reused() -> None:
    env = Environment(loader=ENV.loader)
    template = env.get_template("async_cache.html")
    assert await collect(template.render_stream_async(fetch=fetch, v=1)) == "1"
    assert await collect(template.render_stream_async(fetch=fetch, v=2)) == "1"


async def test_render_block_stream_async_super_of_async_parent_block() -> None:
    template = ENV.get_template("async_child_of_async.html")
    assert await collect(template.render_block_stream_async("body", fetch=fetch)) == "child/base"
