"""``max_output_size`` counts characters as every buffer grows, not after it is built.

Each template below would produce about ten million characters. A ``tick``
global counts the loop iterations that ran: with output counted as it is
appended, the render stops a few iterations past the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from kida_core import Environment
from kida_core.errors import ErrorCode, SecurityError
from kida_core.runtime.namespace import code_names
from kida_loaders import DictLoader
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

LIMIT = 5000
CHUNK = '{{ tick() }}{{ "x" * 1000 }}'
LOOP = "{% for i in range(10000) %}" + CHUNK + "{% end %}"
#: Appends of 1000 characters that fit, plus the one that fails.
MAX_TICKS = LIMIT // 1000 + 1


class Ticker:
    """A trusted global that counts how often the template called it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return ""


def make_env(pages: dict[str, str] | None = None) -> tuple[SandboxedEnvironment, Ticker]:
    env = SandboxedEnvironment(
        loader=DictLoader(pages or {}), sandbox_policy=SandboxPolicy(max_output_size=LIMIT)
    )
    ticker = Ticker()
    env.add_global("tick", ticker)
    return env, ticker


def assert_stopped_early(ticker: Ticker, error: pytest.ExceptionInfo[SecurityError]) -> None:
    assert error.value.code is ErrorCode.OUTPUT_LIMIT
    assert ticker.count <= MAX_TICKS


def test_capture_buffer_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string("{% capture c %}" + LOOP + "{% end %}{{ c | length }}")
    with pytest.raises(SecurityError) as error:
        template.render()
    assert_stopped_early(ticker, error)


def test_def_result_buffer_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string("{% def f() %}" + LOOP + "{% end %}{{ f() | length }}")
    with pytest.raises(SecurityError) as error:
        template.render()
    assert_stopped_early(ticker, error)


def test_slot_body_buffer_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string(
        "{% def f() %}{{ caller() | length }}{% end %}{% call f() %}" + LOOP + "{% end %}"
    )
    with pytest.raises(SecurityError) as error:
        template.render()
    assert_stopped_early(ticker, error)


def test_cache_body_buffer_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string("{% cache 'k' %}" + LOOP + "{% end %}", name="c.html")
    with pytest.raises(SecurityError) as error:
        template.render()
    assert_stopped_early(ticker, error)
    assert env.cache_info()["fragment"]["size"] == 0


def test_filter_block_buffer_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string("{% filter upper %}" + LOOP + "{% end %}")
    with pytest.raises(SecurityError) as error:
        template.render()
    assert_stopped_early(ticker, error)


def test_render_block_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string("{% block main %}" + LOOP + "{% end %}", name="b.html")
    with pytest.raises(SecurityError) as error:
        template.render_block("main")
    assert_stopped_early(ticker, error)


def test_included_template_stops_at_the_limit() -> None:
    env, ticker = make_env({"big.html": LOOP, "page.html": '[{% include "big.html" %}]'})
    with pytest.raises(SecurityError) as error:
        env.get_template("page.html").render()
    assert_stopped_early(ticker, error)
    assert "big.html" in str(error.value)


def test_capture_in_a_stream_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string("{% capture c %}" + LOOP + "{% end %}{{ c | length }}")
    with pytest.raises(SecurityError) as error:
        list(template.render_stream())
    assert_stopped_early(ticker, error)


def test_capture_in_an_async_stream_stops_at_the_limit() -> None:
    env, ticker = make_env()
    template = env.from_string(
        "{% async for x in items %}{% capture c %}" + LOOP + "{% end %}{{ c | length }}{% end %}"
    )

    async def items() -> AsyncIterator[int]:
        yield 1

    async def collect() -> list[str]:
        return [chunk async for chunk in template.render_stream_async(items=items())]

    with pytest.raises(SecurityError) as error:
        asyncio.run(collect())
    assert_stopped_early(ticker, error)


def test_top_level_stream_is_still_counted_chunk_by_chunk() -> None:
    env, ticker = make_env()
    with pytest.raises(SecurityError) as error:
        list(env.from_string(LOOP).render_stream())
    assert_stopped_early(ticker, error)


def test_output_under_the_limit_renders_unchanged() -> None:
    source = (
        "{% def f() %}<{{ caller() }}>{% end %}{% capture c %}{% for i in range(3) %}{{ i }}"
        "{% end %}{% end %}{% call f() %}{{ c }}{% end %}{% cache 'k' %}{{ c | upper }}{% end %}"
    )
    env, _ = make_env()
    assert env.from_string(source, name="ok.html").render() == "<012>012"


def test_many_buffers_each_under_the_limit_are_allowed() -> None:
    env, _ = make_env()
    source = "{% for i in range(20) %}{% capture c %}" + "x" * 4000 + "{% end %}{% end %}done"
    assert env.from_string(source).render() == "done"


def test_unlimited_sandbox_builds_plain_lists() -> None:
    env = SandboxedEnvironment()
    template = env.from_string("{% capture c %}{{ x }}{% end %}{{ c }}")
    assert template.render(x="ok") == "ok"
    assert env.from_string("").render() == ""


def test_plain_environment_code_has_no_counting_hook() -> None:
    source = "{% def f() %}{{ caller() }}{% end %}{% capture c %}x{% end %}{% call f() %}y{% end %}"
    guarded: Any = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_output_size=LIMIT))
    assert "_K_buffer" in code_names(guarded.from_string(source)._code).names
    assert "_K_buffer" not in code_names(Environment().from_string(source)._code).names
