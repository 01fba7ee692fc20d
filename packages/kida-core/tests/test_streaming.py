"""``render_stream`` chunking and laziness; ``{% flush %}``."""

from __future__ import annotations

from collections.abc import Iterator

from kida_core import Environment, RenderedTemplate
from kida_loaders import DictLoader

ENV = Environment(
    loader=DictLoader(
        {
            "base.html": "<h>{% block a %}A{% end %}</h>{% for i in [1, 2] %}{{ i }}{% end %}",
            "child.html": "{% extends 'base.html' %}{% block a %}x{{ super() }}"
            "{% for j in [3, 4] %}{{ j }}{% end %}{% end %}",
            "inc.html": "I{% for i in [1, 2] %}{{ i }}{% end %}",
        }
    )
)


class PullRecorder:
    """A generator-backed iterable that logs each item as the template pulls it."""

    def __init__(self, items: list[str], log: list[str]) -> None:
        self._items = items
        self._log = log

    def __iter__(self) -> Iterator[str]:
        for item in self._items:
            self._log.append(f"pulled {item}")
            yield item


def test_multi_statement_template_yields_several_chunks() -> None:
    chunks = list(
        ENV.from_string("<ul>{% for x in xs %}<li>{{ x }}</li>{% end %}</ul>").render_stream(
            xs=[1, 2]
        )
    )
    assert len(chunks) > 1
    assert "".join(chunks) == "<ul><li>1</li><li>2</li></ul>"


def test_each_loop_iteration_is_its_own_chunk() -> None:
    chunks = list(
        ENV.from_string("{% for x in xs %}<li>{{ x }}</li>{% end %}").render_stream(xs=[1, 2, 3])
    )
    assert chunks == ["<li>1</li>", "<li>2</li>", "<li>3</li>"]


def test_chunks_split_at_statement_boundaries() -> None:
    template = ENV.from_string("{% for i in x %}a{% end %}{{ y }}{% set z = 1 %}b")
    assert list(template.render_stream(x=[1], y=2)) == ["a", "2", "b"]


def test_one_line_if_of_text_joins_the_chunk_around_it() -> None:
    template = ENV.from_string('<p class="{% if x %}on{% else %}off{% end %}">{{ y }}</p>')
    assert list(template.render_stream(x=False, y=2)) == ['<p class="off">2</p>']


def test_first_chunk_available_before_generator_is_pulled() -> None:
    log: list[str] = []
    template = ENV.from_string(
        "<header>{{ title }}</header>\n{% for x in rows %}<li>{{ x }}</li>{% end %}\n<footer/>"
    )
    stream = template.render_stream(title="T", rows=PullRecorder(["a", "b"], log))
    assert next(stream) == "<header>T</header>\n"
    assert log == []


def test_generator_consumed_only_as_stream_advances() -> None:
    log: list[str] = []
    template = ENV.from_string("<h>{% for x in rows %}<li>{{ x }}</li>{% end %}</h>")
    stream = template.render_stream(rows=PullRecorder(["a", "b"], log))
    for chunk in stream:
        log.append(f"got {chunk}")
    assert log[0] == "got <h>"
    assert log[-1] == "got </h>"
    assert "".join(e[4:] for e in log if e.startswith("got ")) == "<h><li>a</li><li>b</li></h>"


def test_stream_is_lazy_until_iterated() -> None:
    log: list[str] = []
    template = ENV.from_string("{% for x in rows %}{{ x }}{% end %}")
    stream = template.render_stream(rows=PullRecorder(["a"], log))
    assert log == []
    assert list(stream) == ["a"]
    assert log == ["pulled a"]


def test_inherited_template_streams_parent_and_blocks_in_chunks() -> None:
    chunks = list(ENV.get_template("child.html").render_stream())
    assert len(chunks) > 1
    assert "".join(chunks) == "<h>xA34</h>12"
    assert chunks[0] == "<h>"


def test_include_streams_included_chunks() -> None:
    chunks = list(ENV.from_string("a{% include 'inc.html' %}b").render_stream())
    assert chunks == ["a", "I", "1", "2", "b"]


def test_stream_equals_render_for_inheritance() -> None:
    child = ENV.get_template("child.html")
    assert "".join(child.render_stream()) == child.render()


def test_flush_has_no_effect_on_render_output() -> None:
    template = ENV.from_string("a{% flush %}b{{ v }}{% flush %}c")
    assert template.render(v=1) == "ab1c"


def test_flush_has_no_effect_on_joined_stream() -> None:
    template = ENV.from_string("a{% flush %}b{{ v }}{% flush %}c")
    assert "".join(template.render_stream(v=1)) == "ab1c"


def test_flush_forces_chunk_boundary() -> None:
    assert list(ENV.from_string("a{% flush %}b").render_stream()) == ["a", "b"]


def test_flush_inside_loop_keeps_output() -> None:
    template = ENV.from_string("{% for i in [1, 2] %}<{{ i }}>{% flush %}{% end %}")
    assert template.render() == "<1><2>"
    assert "".join(template.render_stream()) == "<1><2>"


def test_stream_with_empty_template_yields_nothing() -> None:
    assert "".join(ENV.from_string("").render_stream()) == ""


def test_rendered_template_iterates_stream_chunks() -> None:
    rendered = RenderedTemplate(ENV.from_string("{% for i in [1, 2] %}{{ i }}{% end %}"), {})
    assert list(rendered) == ["1", "2"]


def test_rendered_template_str_renders_fully() -> None:
    rendered = RenderedTemplate(ENV.from_string("Hi {{ name }}"), {"name": "Ada"})
    assert str(rendered) == "Hi Ada"


def test_rendered_template_can_be_iterated_twice() -> None:
    rendered = RenderedTemplate(ENV.from_string("{% for i in [1, 2] %}{{ i }}{% end %}"), {})
    assert list(rendered) == list(rendered) == ["1", "2"]
