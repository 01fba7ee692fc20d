"""Streamed and async-streamed includes in loops: the second include from a site reuses
what the first one loaded, and still reports errors in the included template and sees
edits made between renders when ``auto_reload`` is on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from render_support import write_later as write

from kida_core import Environment, Template, TemplateRuntimeError
from kida_loaders import DictLoader, FileSystemLoader

PAGE = "top\n{% for x in values %}\n{% include 'part.html' %}{% end %}"
PART = "[{{ 10 // x }}]"

Render = Callable[..., str]


def streamed(template: Template, **context: object) -> str:
    return "".join(template.render_stream(**context))


def async_streamed(template: Template, **context: object) -> str:
    async def collect() -> str:
        return "".join([chunk async for chunk in template.render_stream_async(**context)])

    return asyncio.run(collect())


MODES = [pytest.param(streamed, id="render_stream"), pytest.param(async_streamed, id="async")]


@pytest.mark.parametrize("render", MODES)
def test_every_iteration_renders_the_included_template(render: Render) -> None:
    env = Environment(loader=DictLoader({"page.html": PAGE, "part.html": PART}))
    page = env.get_template("page.html")
    assert render(page, values=[1, 2, 5]) == "top\n\n[10]\n[5]\n[2]"


@pytest.mark.parametrize("render", MODES)
def test_an_error_in_a_later_iteration_points_at_the_included_template(render: Render) -> None:
    env = Environment(loader=DictLoader({"page.html": PAGE, "part.html": "ok\n" + PART}))
    page = env.get_template("page.html")
    with pytest.raises(TemplateRuntimeError) as info:
        render(page, values=[1, 2, 0])
    assert (info.value.template_name, info.value.lineno) == ("part.html", 2)
    assert list(info.value.template_stack) == [("page.html", 3)]


def site(tmp_path: Path) -> Path:
    write(tmp_path / "page.html", "{% for i in [1, 2] %}{% include 'part.html' %}{% end %}")
    write(tmp_path / "part.html", "old;")
    return tmp_path


@pytest.mark.parametrize("render", MODES)
def test_an_edited_include_is_picked_up_on_the_next_stream_with_auto_reload(
    tmp_path: Path, render: Render
) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=True)
    page = env.get_template("page.html")
    assert render(page) == "old;old;"
    write(tmp_path / "part.html", "new;")
    assert render(page) == "new;new;"


@pytest.mark.parametrize("render", MODES)
def test_an_edited_include_is_not_reloaded_without_auto_reload(
    tmp_path: Path, render: Render
) -> None:
    env = Environment(loader=FileSystemLoader(site(tmp_path)), auto_reload=False)
    page = env.get_template("page.html")
    assert render(page) == "old;old;"
    write(tmp_path / "part.html", "new;")
    assert render(page) == "old;old;"


@pytest.mark.parametrize("render", MODES)
def test_one_site_alternating_between_templates_renders_each(render: Render) -> None:
    env = Environment(
        loader=DictLoader(
            {
                "page.html": "{% for name in names %}{% include name %}{% end %}",
                "a.html": "a",
                "b.html": "b",
            }
        )
    )
    page = env.get_template("page.html")
    assert render(page, names=["a.html", "a.html", "b.html", "a.html"]) == "aaba"
