"""{% provide key = value %}…{% end %} and consume("key", default)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from kida_core import Environment, ErrorCode, TemplateSyntaxError
from kida_loaders import FileSystemLoader


def render(source: str, **context: object) -> str:
    return Environment().from_string(source).render(**context)


def files(tmp_path: Path, sources: dict[str, str]) -> Environment:
    for name, text in sources.items():
        (tmp_path / name).write_text(text)
    return Environment(loader=FileSystemLoader(str(tmp_path)))


def test_consume_reads_the_provided_value_in_the_body() -> None:
    assert render("{% provide theme = 'dark' %}{{ consume('theme') }}{% end %}") == "dark"


def test_consume_outside_any_provide_returns_the_default() -> None:
    assert render("{{ consume('theme', 'light') }}|{{ consume('theme') }}") == "light|"


def test_the_value_is_gone_after_the_body() -> None:
    source = "{% provide theme = 'dark' %}{% end %}{{ consume('theme', 'light') }}"
    assert render(source) == "light"


def test_inner_provides_shadow_outer_ones() -> None:
    source = (
        "{% provide t = 1 %}{% provide t = 2 %}{{ consume('t') }}{% endprovide %}"
        "{{ consume('t') }}{% end %}"
    )
    assert render(source) == "21"


def test_the_value_is_any_expression_of_the_context() -> None:
    assert render("{% provide n = x * 2 %}{{ consume('n') }}{% end %}", x=21) == "42"


def test_a_def_called_in_the_body_sees_the_value() -> None:
    source = (
        '{% def badge() %}<b class=\'{{ consume("tone", "info") }}\'>{% end %}'
        "{% provide tone = 'warn' %}{{ badge() }}{% end %}{{ badge() }}"
    )
    assert render(source) == "<b class='warn'><b class='info'>"


def test_a_slot_body_sees_what_the_def_provides() -> None:
    source = (
        "{% def card() %}{% provide depth = 1 %}{% slot %}{% end %}{% end %}"
        "{% call card() %}[{{ consume('depth', 0) }}]{% end %}"
    )
    assert render(source) == "[1]"


def test_the_value_is_popped_when_the_body_fails() -> None:
    source = (
        "{% try %}{% provide t = 'in' %}{{ missing.x }}{% end %}"
        "{% fallback %}{{ consume('t', 'out') }}{% end %}"
    )
    assert render(source) == "out"


def test_includes_see_the_value(tmp_path: Path) -> None:
    env = files(
        tmp_path,
        {
            "page.html": "{% provide theme = 'dark' %}{% include 'part.html' %}{% end %}",
            "part.html": "<p class='{{ consume(\"theme\") }}'>",
        },
    )
    assert env.get_template("page.html").render() == "<p class='dark'>"


def test_imported_defs_see_the_value(tmp_path: Path) -> None:
    env = files(
        tmp_path,
        {
            "page.html": "{% from 'ui.html' import button %}"
            "{% provide size = 'lg' %}{{ button() }}{% end %}",
            "ui.html": "{% def button() %}<button class='{{ consume(\"size\") }}'>{% end %}",
        },
    )
    assert env.get_template("page.html").render() == "<button class='lg'>"


def test_a_slot_sees_what_an_imported_def_provides(tmp_path: Path) -> None:
    env = files(
        tmp_path,
        {
            "page.html": "{% from 'ui.html' import themed %}"
            "{% call themed() %}{{ consume('theme') }}{% end %}",
            "ui.html": "{% def themed() %}{% provide theme = 'dark' %}{% slot %}{% end %}{% end %}",
        },
    )
    assert env.get_template("page.html").render() == "dark"


def test_a_parent_layout_sees_what_a_child_block_provides(tmp_path: Path) -> None:
    env = files(
        tmp_path,
        {
            "base.html": "{% block body %}{% end %}",
            "page.html": "{% extends 'base.html' %}{% block body %}"
            "{% provide t = 'x' %}{% include 'part.html' %}{% end %}{% end %}",
            "part.html": "{{ consume('t') }}",
        },
    )
    assert env.get_template("page.html").render() == "x"


def test_streaming_and_render_block_see_the_value() -> None:
    t = Environment().from_string(
        "{% block b %}{% provide t = 'v' %}{{ consume('t') }}{% flush %}{{ consume('t') }}"
        "{% end %}{{ consume('t', '-') }}{% end %}"
    )
    assert "".join(t.render_stream()) == "vv-"
    assert t.render_block("b") == "vv-"


def test_async_templates_see_the_value() -> None:
    t = Environment().from_string(
        "{% provide t = 'v' %}{% async for x in xs() %}{{ consume('t') }}{{ x }}{% end %}{% end %}"
    )

    async def xs():  # type: ignore[no-untyped-def]
        for x in (1, 2):
            yield x

    async def collect() -> str:
        return "".join([c async for c in t.render_stream_async(xs=xs)])

    assert asyncio.run(collect()) == "v1v2"


def test_concurrent_renders_do_not_see_each_others_values() -> None:
    t = Environment().from_string("{% provide t = n %}{{ consume('t') }}{% end %}")
    results: dict[int, str] = {}

    def work(n: int) -> None:
        results[n] = "".join(t.render(n=n) for _ in range(200))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(value == str(n) * 200 for n, value in results.items())


def test_provide_needs_a_name_and_a_value() -> None:
    with pytest.raises(TemplateSyntaxError, match="expected '='"):
        render("{% provide theme %}{% end %}")


def test_a_def_inside_provide_is_k_tpl_004() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        render("{% provide t = 1 %}{% def f() %}{% end %}{% end %}")
    assert info.value.code is ErrorCode.DEFINITION_NOT_TOPLEVEL
