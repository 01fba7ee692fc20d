"""Stream, async-stream and setup functions compiled on first use.

Without a bytecode cache a template is compiled with its buffered functions
only; ``render_stream`` (and the blocks' streams), ``render_stream_async`` and
the setup that imports run are compiled the first time they are used. These
tests pin what that must not change: every mode renders the same, the part is
compiled once however many threads ask for it, it is compiled from the
registries as they were when the template was compiled, and a template loaded
from a bytecode cache needs no compiler at all.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import kida_core.runtime.deferred as deferred
from kida_core import Environment, TemplateRuntimeError, TemplateSyntaxError
from kida_loaders import DictLoader, FileSystemLoader

LAYOUT = (
    "<title>{% block title %}Site{% endblock %}</title>"
    "<main>{% block content %}{% endblock %}</main>"
    '{% include "footer.html" %}'
)
PAGE = (
    '{% extends "layout.html" %}'
    "{% block title %}{{ page | upper }} | {{ super() }}{% endblock %}"
    "{% block content %}{% for item in items %}<p>{{ loop.index }}: {{ item }}</p>"
    "{% endfor %}{% endblock %}"
)
FOOTER = "<footer>{{ items | length }} items</footer>"
CONTEXT = {"page": "home", "items": ["a", "<b>"]}
EXPECTED = (
    "<title>HOME | Site</title><main><p>1: a</p><p>2: &lt;b&gt;</p></main><footer>2 items</footer>"
)


def site() -> Environment:
    loader = DictLoader({"layout.html": LAYOUT, "page.html": PAGE, "footer.html": FOOTER})
    return Environment(loader=loader, autoescape=True, bytecode_cache=False)


async def collect(chunks) -> str:  # type: ignore[no-untyped-def]
    return "".join([chunk async for chunk in chunks])


def test_stream_compiled_on_first_use_renders_like_render() -> None:
    page = site().get_template("page.html")
    assert "".join(page.render_stream(CONTEXT)) == EXPECTED
    assert page.render(CONTEXT) == EXPECTED


def test_async_stream_compiled_on_first_use_renders_like_render() -> None:
    page = site().get_template("page.html")
    assert asyncio.run(collect(page.render_stream_async(CONTEXT))) == EXPECTED


def test_block_stream_compiled_on_first_use() -> None:
    page = site().get_template("page.html")
    chunks = page.render_block_stream_async("content", CONTEXT)
    assert asyncio.run(collect(chunks)) == "<p>1: a</p><p>2: &lt;b&gt;</p>"


def test_each_part_is_compiled_once_for_many_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    original = deferred.DeferredParts._load

    def counting_load(self: deferred.DeferredParts, part: str) -> dict[str, object]:
        compiled.append(part)
        return original(self, part)

    monkeypatch.setattr(deferred.DeferredParts, "_load", counting_load)
    page = site().get_template("page.html")
    start = threading.Barrier(8)
    outputs: list[str] = []

    def stream() -> None:
        start.wait()
        outputs.append("".join(page.render_stream(CONTEXT)))

    threads = [threading.Thread(target=stream) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outputs == [EXPECTED] * 8
    assert compiled.count("stream") == 3  # once per template: page, layout, footer


def test_filter_replaced_after_compiling_does_not_reach_the_stream() -> None:
    env = site()
    page = env.get_template("page.html")
    env.add_filter("upper", lambda value: "replaced")
    assert page.render(CONTEXT) == EXPECTED
    assert "".join(page.render_stream(CONTEXT)) == EXPECTED


def test_filter_removed_after_compiling_does_not_break_the_stream() -> None:
    env = Environment(autoescape=True, bytecode_cache=False)
    env.add_filter("shout", lambda value: f"{value}!")
    template = env.from_string("{% block b %}{{ word | shout }}{% endblock %}")
    del env.filters["shout"]
    assert "".join(template.render_stream(word="hi")) == "hi!"


def test_stream_error_reports_the_template_line() -> None:
    env = Environment(bytecode_cache=False)
    template = env.from_string("line one\n{% block b %}\n{{ 1 // zero }}\n{% endblock %}")
    with pytest.raises(TemplateRuntimeError) as buffered:
        template.render(zero=0)
    with pytest.raises(TemplateRuntimeError) as streamed:
        "".join(template.render_stream(zero=0))
    assert streamed.value.lineno == buffered.value.lineno == 3


def test_template_too_deep_for_its_async_stream_fails_there_with_a_template_error() -> None:
    # 20 nested loops fit Python's limit; the async stream wraps the include in one
    # more loop (``async for`` over its chunks), which does not fit.
    depth = 20
    source = (
        "".join(f"{{% for x{i} in items %}}" for i in range(depth))
        + '{% include "footer.html" %}'
        + "{% endfor %}" * depth
    )
    loader = DictLoader({"deep.html": source, "footer.html": FOOTER})
    env = Environment(loader=loader, bytecode_cache=False)
    template = env.get_template("deep.html")
    assert template.render(items=[1]) == "<footer>1 items</footer>"
    assert "".join(template.render_stream(items=[1])) == "<footer>1 items</footer>"
    with pytest.raises(TemplateSyntaxError, match="nested inside one another") as error:
        asyncio.run(collect(template.render_stream_async(items=[1])))
    assert error.value.name == "deep.html"


def test_template_from_the_bytecode_cache_streams_without_the_compiler(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "layout.html").write_text(LAYOUT)
    (templates / "page.html").write_text(PAGE)
    (templates / "footer.html").write_text(FOOTER)
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from kida_core import Environment
        from kida_loaders import FileSystemLoader
        from kida_cache import BytecodeCache

        env = Environment(
            loader=FileSystemLoader({str(templates)!r}),
            autoescape=True,
            bytecode_cache=BytecodeCache({str(tmp_path / "cache")!r}),
        )
        page = env.get_template("page.html")
        context = {CONTEXT!r}

        async def collect():
            return "".join([c async for c in page.render_stream_async(context)])

        outputs = {{"".join(page.render_stream(context)), asyncio.run(collect())}}
        loaded = ("kida_core.compiler" in sys.modules, "kida_core.nodes" in sys.modules)
        print(outputs == {{page.render(context)}}, *loaded)
        """
    )
    warm = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert warm.stdout.split() == ["True", "True", "True"], warm.stderr
    cached = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    # From the cache: neither the compiler nor the node classes are imported.
    assert cached.stdout.split() == ["True", "False", "False"], cached.stderr


def test_filesystem_loader_without_cache_streams_each_page(tmp_path: Path) -> None:
    (tmp_path / "layout.html").write_text(LAYOUT)
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "footer.html").write_text(FOOTER)
    env = Environment(loader=FileSystemLoader(str(tmp_path)), autoescape=True, bytecode_cache=False)
    assert "".join(env.get_template("page.html").render_stream(CONTEXT)) == EXPECTED


def test_import_runs_the_setup_compiled_on_first_use() -> None:
    macros = "{% def badge(label) %}<b>{{ label }}</b>{% end %}{% set version = 2 %}"
    page = '{% from "macros.html" import badge, version %}{{ badge("new") }} v{{ version }}'
    loader = DictLoader({"macros.html": macros, "page.html": page})
    env = Environment(loader=loader, autoescape=True, bytecode_cache=False)
    assert env.get_template("page.html").render() == "<b>new</b> v2"
    assert env.get_template("macros.html").module.version == 2


def test_stream_reading_helpers_the_render_does_not_read_gets_them_when_compiled() -> None:
    # The buffered render includes with one helper, the stream with another: the
    # stream's helper is bound when its part is compiled.
    env = site()
    template = env.get_template("page.html")
    assert "".join(template.render_stream(**CONTEXT)) == EXPECTED
    assert template.render(**CONTEXT) == EXPECTED


def test_async_stream_of_an_include_only_template_renders() -> None:
    loader = DictLoader({"main.html": '[{% include "part.html" %}]', "part.html": "{{ x }}"})
    env = Environment(loader=loader, bytecode_cache=False)
    template = env.get_template("main.html")
    assert asyncio.run(collect(template.render_stream_async(x=1))) == "[1]"
