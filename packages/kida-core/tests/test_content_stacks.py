"""{% push "name" %}…{% end %} and {% stack "name" %}: content collected across the render."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from kida_core import Environment, ErrorCode, Markup, TemplateSyntaxError
from kida_loaders import FileSystemLoader

LAYOUT = {
    "base.html": "<head>{% stack 'css' %}</head>"
    "<body>{% block body %}{% end %}{% stack 'js' %}</body>",
    "page.html": "{% extends 'base.html' %}{% block body %}"
    "{% push 'js' %}<script src='page.js'></script>{% end %}"
    "<main>{% include 'card.html' %}</main>{% end %}",
    "card.html": "{% push 'css' %}<link href='card.css'>{% end %}"
    "{% push 'js' %}<script src='card.js'></script>{% end %}<div>card</div>",
}
EXPECTED = (
    "<head><link href='card.css'></head><body><main><div>card</div></main>"
    "<script src='page.js'></script><script src='card.js'></script></body>"
)


def render(source: str, **context: object) -> str:
    return Environment().from_string(source).render(**context)


def files(tmp_path: Path, sources: dict[str, str]) -> Environment:
    for name, text in sources.items():
        (tmp_path / name).write_text(text)
    return Environment(loader=FileSystemLoader(str(tmp_path)))


def test_a_stack_outputs_what_was_pushed_before_it() -> None:
    assert render("{% push 'js' %}<s>{% end %}[{% stack 'js' %}]") == "[<s>]"


def test_a_stack_outputs_what_is_pushed_after_it() -> None:
    assert render("[{% stack 'js' %}]{% push 'js' %}<s>{% end %}") == "[<s>]"


def test_pushes_are_output_in_render_order() -> None:
    source = "{% stack 'x' %}|{% for i in [1, 2, 3] %}{% push 'x' %}{{ i }}{% end %}{% end %}"
    assert render(source) == "123|"


def test_a_stack_nothing_was_pushed_to_is_empty() -> None:
    assert render("[{% stack 'none' %}]") == "[]"


def test_push_outputs_nothing_where_it_stands() -> None:
    assert render("a{% push 'x' %}b{% end %}c") == "ac"


def test_pushed_content_is_escaped_once() -> None:
    source = "{% stack 'x' %}{% push 'x' %}<i>{{ v }}</i>{% end %}"
    assert render(source, v="<b>") == "<i>&lt;b&gt;</i>"


def test_the_stack_name_may_be_an_expression() -> None:
    source = "{% stack 'js' %}{% push kind %}s{% endpush %}"
    assert render(source, kind="js") == "s"


def test_pushes_from_blocks_and_includes_reach_the_layout(tmp_path: Path) -> None:
    env = files(tmp_path, LAYOUT)
    assert env.get_template("page.html").render() == EXPECTED


def test_streaming_holds_chunks_from_the_stack_to_the_end(tmp_path: Path) -> None:
    env = files(tmp_path, LAYOUT)
    chunks = list(env.get_template("page.html").render_stream())
    assert "".join(chunks) == EXPECTED
    assert chunks[0] == "<head>"  # what comes before the first stack still streams
    assert len(chunks) == 2


def test_async_streaming_fills_stacks(tmp_path: Path) -> None:
    env = files(tmp_path, LAYOUT)

    async def collect() -> str:
        return "".join([c async for c in env.get_template("page.html").render_stream_async()])

    assert asyncio.run(collect()) == EXPECTED


def test_a_stack_inside_a_block_is_filled_by_render_block() -> None:
    t = Environment().from_string("{% block b %}{% stack 'x' %}{% push 'x' %}p{% end %}{% end %}")
    assert t.render_block("b") == "p"


def test_a_def_may_push() -> None:
    source = (
        "{% def icon() %}{% push 'css' %}.i{}{% end %}<i>{% end %}{{ icon() }}{% stack 'css' %}"
    )
    assert render(source) == "<i>.i{}"


def test_each_render_starts_with_empty_stacks() -> None:
    t = Environment().from_string("{% push 'x' %}{{ n }}{% end %}{% stack 'x' %}")
    assert [t.render(n=1), t.render(n=2)] == ["1", "2"]


def test_concurrent_renders_keep_their_own_stacks() -> None:
    t = Environment().from_string("{% stack 'x' %}{% push 'x' %}{{ n }}{% end %}")
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        results[n] = [t.render(n=n) for _ in range(200)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(values == [str(n)] * 200 for n, values in results.items())


def test_output_data_cannot_forge_a_stack_placeholder() -> None:
    source = "{% stack 'x' %}{{ v }}{% push 'x' %}P{% end %}"
    forged = Markup("\x000:0\x00")  # the token of a placeholder is random
    assert render(source, v=forged) == "P" + forged


def test_a_def_inside_push_is_k_tpl_004() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        render("{% push 'x' %}{% def f() %}{% end %}{% end %}")
    assert info.value.code is ErrorCode.DEFINITION_NOT_TOPLEVEL
