"""Defs and regions inside blocks and defs, and regions printing only where called."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kida_core import Environment, Template
from kida_loaders import FileSystemLoader

LAYOUT = "<html>{% include 'nav.html' %}<main>{% block content %}base{% end %}</main></html>"
NAV = "<nav>{{ title }}</nav>"
PAGE = (
    "{% extends 'layout.html' %}"
    "{% block content %}{% def item(x) %}[{{ x }}]{% end %}"
    "{% for i in items %}{{ item(i) }}{% end %}{% end %}"
)
PAGE_OUTPUT = "<html><nav>T</nav><main>[1][2]</main></html>"


@pytest.fixture
def site(tmp_path: Path) -> Environment:
    """Layout, partial and page on disk."""
    (tmp_path / "layout.html").write_text(LAYOUT)
    (tmp_path / "nav.html").write_text(NAV)
    (tmp_path / "page.html").write_text(PAGE)
    return Environment(loader=FileSystemLoader(str(tmp_path)))


def render(source: str, **context: object) -> str:
    return Environment().from_string(source).render(**context)


async def _collect(template: Template, **context: object) -> str:
    return "".join([chunk async for chunk in template.render_stream_async(**context)])


# -- def inside block / def -------------------------------------------------------------


def test_def_inside_block_renders() -> None:
    source = "{% block c %}{% def item(x) %}[{{ x }}]{% end %}{{ item(1) }}{% endblock %}"
    assert render(source) == "[1]"


def test_def_inside_def_is_local_to_it() -> None:
    source = (
        "{% def outer(a) %}{% def inner(b) %}<{{ b }}>{% end %}{{ inner(a) }}{{ inner(a ~ '!') }}"
        "{% end %}{{ outer('x') }}"
    )
    assert render(source) == "<x><x!>"


def test_def_inside_block_under_extends_renders(site: Environment) -> None:
    assert site.get_template("page.html").render(title="T", items=[1, 2]) == PAGE_OUTPUT


def test_def_inside_block_under_extends_streams(site: Environment) -> None:
    stream = site.get_template("page.html").render_stream(title="T", items=[1, 2])
    assert "".join(stream) == PAGE_OUTPUT


def test_def_inside_block_under_extends_render_block(site: Environment) -> None:
    assert site.get_template("page.html").render_block("content", items=[3]) == "[3]"


def test_def_inside_block_under_extends_async(site: Environment) -> None:
    template = site.get_template("page.html")
    assert asyncio.run(_collect(template, title="T", items=[1, 2])) == PAGE_OUTPUT


def test_def_inside_block_sees_block_locals() -> None:
    source = (
        "{% block c %}{% set mark = '*' %}{% def item(x) %}{{ mark }}{{ x }}{% end %}"
        "{{ item(1) }}{% end %}"
    )
    assert render(source) == "*1"


# -- regions ------------------------------------------------------------------------------


def test_region_prints_only_where_called() -> None:
    source = '{% region s(p="/") %}<nav>{{ p }}</nav>{% end %}{{ s(p="/a") }}'
    assert render(source) == "<nav>/a</nav>"


def test_region_uncalled_prints_nothing() -> None:
    assert render('{% region s(p="/") %}<nav>{{ p }}</nav>{% end %}after') == "after"


def test_region_still_renders_as_block() -> None:
    template = Environment().from_string('{% region s(p="/") %}<nav>{{ p }}</nav>{% end %}')
    assert template.render_block("s", p="/z") == "<nav>/z</nav>"
    assert template.render_block("s") == "<nav>/</nav>"


def test_region_inside_block_is_callable_there() -> None:
    source = '{% block c %}{% region s(p="/") %}<{{ p }}>{% end %}{{ s(p="a") }}{% end %}'
    assert render(source) == "<a>"


def test_region_inside_block_renders_as_block() -> None:
    template = Environment().from_string(
        '{% block c %}{% region s(p="/") %}<nav>{{ p }}</nav>{% end %}{{ s() }}{% end %}'
    )
    assert template.list_blocks() == ["c", "s"]
    assert template.render_block("s", p="/z") == "<nav>/z</nav>"


def test_region_inside_block_streams_as_block() -> None:
    template = Environment().from_string(
        '{% block c %}{% region s(p="/") %}<nav>{{ p }}</nav>{% end %}{% end %}'
    )

    async def collect() -> str:
        return "".join([chunk async for chunk in template.render_block_stream_async("s")])

    assert asyncio.run(collect()) == "<nav>/</nav>"


def test_region_inside_def_renders_as_block() -> None:
    template = Environment().from_string(
        "{% def card() %}{% region r(x=1) %}({{ x }}){% end %}{{ r(x=2) }}{% end %}{{ card() }}"
    )
    assert template.render() == "(2)"
    assert template.render_block("r", x=5) == "(5)"
