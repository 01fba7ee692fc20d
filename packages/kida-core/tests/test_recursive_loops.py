"""``loop.changed()``, ``loop.depth`` and ``{% for … recursive %}`` loops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from kida_core import Environment
from kida_core.errors import TemplateRuntimeError, TemplateSyntaxError
from kida_core.runtime.recursion import MAX_LOOP_RECURSION
from kida_loaders import FileSystemLoader

TREE = [
    {"name": "a", "children": [{"name": "b", "children": [{"name": "<c>", "children": []}]}]},
    {"name": "d", "children": []},
]
MENU = "{% for n in tree recursive %}<{{ n.name }}{{ loop(n.children) }}>{% end %}"


def render(source: str, **context: Any) -> str:
    return Environment().from_string(source).render(**context)


async def items(*values: Any) -> AsyncIterator[Any]:
    for value in values:
        yield value


def test_loop_call_renders_the_body_one_level_deeper() -> None:
    assert render(MENU, tree=TREE) == "<a<b<&lt;c&gt;>>><d>"


def test_depth_counts_levels_from_one() -> None:
    source = (
        "{% for n in tree recursive %}{{ loop.depth }}{{ loop.depth0 }}"
        "{{ loop(n.children) }}{% end %}"
    )
    assert render(source, tree=TREE) == "10213210"


def test_each_level_has_its_own_index_and_length() -> None:
    source = (
        "{% for n in tree recursive %}{{ loop.index }}/{{ loop.length }} "
        "{{ loop(n.children) }}{% end %}"
    )
    assert render(source, tree=TREE) == "1/2 1/1 1/1 2/2 "


def test_else_renders_on_every_empty_level() -> None:
    source = "{% for n in tree recursive %}({{ loop(n.children) }}){% else %}-{% end %}"
    assert render(source, tree=TREE) == "(((-)))(-)"


def test_the_filter_applies_on_every_level() -> None:
    source = (
        "{% for n in tree if n.name != 'b' recursive %}{{ n.name }}{{ loop(n.children) }}{% end %}"
    )
    assert render(source, tree=TREE) == "ad"


def test_changed_remembers_per_level() -> None:
    source = "{% for n in tree recursive %}{{ loop.changed(1) }} {{ loop(n.children) }}{% end %}"
    assert render(source, tree=TREE) == "True True True False "


def test_let_and_export_in_the_body_reach_the_template_level() -> None:
    source = (
        "{% let count = 0 %}{% for n in tree recursive %}{% export count = count + 1 %}"
        "{% let last = n.name %}{{ loop(n.children) }}{% end %}{{ count }} {{ last }}"
    )
    assert render(source, tree=TREE) == "4 d"


def test_a_recursive_loop_inside_a_def() -> None:
    source = "{% def menu(tree) %}" + MENU + "{% end %}{{ menu(tree) }}"
    assert render(source, tree=TREE) == "<a<b<&lt;c&gt;>>><d>"


def test_render_block_renders_a_recursive_loop_in_a_block() -> None:
    template = Environment().from_string("{% block nav %}" + MENU + "{% end %}")
    assert template.render_block("nav", tree=TREE) == "<a<b<&lt;c&gt;>>><d>"


def test_an_included_template_can_call_the_loop(tmp_path: Path) -> None:
    (tmp_path / "item.html").write_text("<{{ n.name }}{{ loop(n.children) }}>")
    (tmp_path / "menu.html").write_text(
        '{% for n in tree recursive %}{% include "item.html" %}{% end %}'
    )
    env = Environment(loader=FileSystemLoader(tmp_path))
    assert env.get_template("menu.html").render(tree=TREE) == "<a<b<&lt;c&gt;>>><d>"


def test_streams_and_async_renders_agree_with_render() -> None:
    template = Environment().from_string("{{ await title }}|" + MENU)

    async def run() -> tuple[str, str]:
        async def title() -> str:
            return "T"

        whole = await template.render_async(tree=TREE, title=title())
        chunks = [c async for c in template.render_stream_async(tree=TREE, title=title())]
        return whole, "".join(chunks)

    assert asyncio.run(run()) == ("T|<a<b<&lt;c&gt;>>><d>",) * 2
    sync = Environment().from_string(MENU)
    assert "".join(sync.render_stream(tree=TREE)) == sync.render(tree=TREE)


def test_endless_recursion_is_a_template_runtime_error() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% for x in [1] recursive %}{{ loop([x]) }}{% end %}")
    assert f"more than {MAX_LOOP_RECURSION} levels" in info.value.message
    assert info.value.lineno == 1


def test_calling_loop_in_a_plain_loop_is_a_syntax_error_naming_recursive() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        render("{% for x in items %}\n{{ loop(x) }}{% end %}", items=[])
    assert (info.value.lineno, info.value.col_offset) == (2, 3)
    assert info.value.suggestion is not None and "recursive" in info.value.suggestion


def test_calling_a_plain_loop_held_in_a_variable_names_recursive() -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        render("{% for x in items %}{% set l = loop %}{{ l(x) }}{% end %}", items=[1])
    assert "recursive" in (info.value.suggestion or "")


def test_await_in_a_recursive_loop_body_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="recursive loop"):
        render("{% for x in xs recursive %}{{ await x }}{{ loop([]) }}{% end %}", xs=[])


def test_async_loops_know_changed_and_depth() -> None:
    template = Environment().from_string(
        "{% async for x in xs %}{{ loop.changed(x) }}{{ loop.depth }}{{ loop.depth0 }} {% end %}"
    )

    async def run() -> str:
        return await template.render_async(xs=items(1, 1, 2))

    assert asyncio.run(run()) == "True10 False10 True10 "


def test_a_stream_yields_the_loop_as_plain_text() -> None:
    chunks = list(Environment().from_string(MENU).render_stream(tree=TREE))
    assert [type(chunk) for chunk in chunks] == [str]
