"""``self.<block>()``, ``{% block name scoped %}`` and ``{% block name required %}``."""

from __future__ import annotations

import asyncio

import pytest

from kida_core import Environment, TemplateRuntimeError, TemplateSyntaxError
from kida_core.errors import UndefinedError
from kida_loaders import DictLoader

BASE = (
    "<title>{% block title %}Site{% endblock %}</title>"
    "<h1>{{ self.title() }}</h1>{% block body %}{% endblock %}"
)
CHILD = (
    "{% extends 'base.html' %}{% block title %}Docs{% endblock %}"
    "{% block body %}[{{ self.title() }}]{% endblock %}"
)


def make_env(**templates: str) -> Environment:
    return Environment(
        loader=DictLoader({name.replace("_", "."): t for name, t in templates.items()})
    )


# -- self.<block>() ------------------------------------------------------------------------------


def test_self_renders_the_blocks_own_definition_in_the_base() -> None:
    env = make_env(base_html=BASE)
    assert env.get_template("base.html").render() == "<title>Site</title><h1>Site</h1>"


def test_self_renders_the_most_derived_definition() -> None:
    env = make_env(base_html=BASE, child_html=CHILD)
    assert env.get_template("child.html").render() == ("<title>Docs</title><h1>Docs</h1>[Docs]")


def test_self_agrees_across_render_modes() -> None:
    template = make_env(base_html=BASE, child_html=CHILD).get_template("child.html")
    expected = template.render()
    assert "".join(template.render_stream()) == expected
    assert asyncio.run(template.render_async()) == expected
    assert template.render_block("body") == "[Docs]"


def test_self_in_an_async_template() -> None:
    child = (
        "{% extends 'base.html' %}{% block title %}{{ await name() }}{% endblock %}"
        "{% block body %}[{{ self.title() }}]{% endblock %}"
    )
    template = make_env(base_html=BASE, child_html=child).get_template("child.html")

    async def name() -> str:
        return "Async"

    async def collect() -> str:
        return "".join([chunk async for chunk in template.render_stream_async(name=name)])

    assert asyncio.run(collect()) == "<title>Async</title><h1>Async</h1>[Async]"


def test_self_output_is_not_escaped_again() -> None:
    source = "{% block b %}<i>{{ '<' }}</i>{% endblock %}{{ self.b() }}"
    assert Environment().from_string(source).render() == "<i>&lt;</i><i>&lt;</i>"


def test_self_with_an_unknown_block_lists_the_available_blocks() -> None:
    template = Environment().from_string(
        "{% block a %}{% end %}{% block b %}{% end %}{{ self.c() }}"
    )
    with pytest.raises(TemplateRuntimeError) as info:
        template.render()
    assert "self.c(): this template has no block 'c' (available blocks: a, b)" in str(info.value)


def test_a_bound_name_self_is_an_ordinary_variable() -> None:
    source = "{% for self in items %}{{ self.upper() }}{% endfor %}"
    assert Environment().from_string(source).render(items=["a"]) == "A"


# -- scoped blocks ------------------------------------------------------------------------------


def test_a_scoped_block_in_a_loop_sees_the_loop_variables() -> None:
    source = (
        "{% for x in xs %}{% block row scoped %}{{ x }}{{ loop.index }};{% endblock %}{% endfor %}"
    )
    assert Environment().from_string(source).render(xs=["a", "b"]) == "a1;b2;"


def test_a_block_in_a_loop_without_scoped_does_not_see_them() -> None:
    source = "{% for x in xs %}{% block row %}{{ x }}{% endblock %}{% endfor %}"
    with pytest.raises(UndefinedError):
        Environment().from_string(source).render(xs=["a"])


def test_an_override_of_a_scoped_block_sees_the_loop_variables() -> None:
    env = make_env(
        list_html="{% for x in xs %}{% block row scoped %}{{ x }}{% endblock %}{% endfor %}",
        page_html="{% extends 'list.html' %}{% block row %}<{{ x|upper }}>{% endblock %}",
    )
    template = env.get_template("page.html")
    assert template.render(xs=["a", "b"]) == "<A><B>"
    assert "".join(template.render_stream(xs=["a", "b"])) == "<A><B>"


# -- required blocks --------------------------------------------------------------------------


def test_a_required_block_overridden_by_a_child_renders_the_override() -> None:
    env = make_env(
        layout_html="<main>{% block content required %}{# fill #} {% endblock %}</main>",
        page_html="{% extends 'layout.html' %}{% block content %}Hi{% endblock %}",
    )
    assert env.get_template("page.html").render() == "<main>Hi</main>"


@pytest.mark.parametrize("mode", ["render", "render_stream", "render_block"])
def test_rendering_a_required_block_nobody_overrides_is_an_error(mode: str) -> None:
    env = make_env(
        layout_html="{% block content required %}{% endblock %}",
        page_html="{% extends 'layout.html' %}",
    )
    template = env.get_template("page.html")
    with pytest.raises(TemplateRuntimeError) as info:
        if mode == "render_block":
            template.render_block("content")
        else:
            "".join(getattr(template, mode)())
    assert "Required block 'content' not found" in str(info.value)
    assert "layout.html" in str(info.value)


def test_a_required_block_may_hold_only_whitespace_and_comments() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().from_string("{% block b required %}text{% endblock %}")
    assert "required blocks can only contain comments or whitespace" in str(info.value)


def test_scoped_and_required_combine() -> None:
    env = make_env(
        rows_html="{% for r in rows %}{% block row scoped required %}{% endblock %}{% endfor %}",
        page_html="{% extends 'rows.html' %}{% block row %}{{ r * 2 }}{% endblock %}",
    )
    assert env.get_template("page.html").render(rows=[1, 2]) == "24"
