"""``{% embed %}``: an include whose blocks the embedding template overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from kida_core import Environment, ErrorCode, TemplateRuntimeError, TemplateSyntaxError
from kida_loaders import FileSystemLoader

CARD = "<div>{% block title %}Default{% end %}|{% block body %}B{% end %}|{{ who }}</div>"


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    (tmp_path / "card.html").write_text(CARD)
    (tmp_path / "framed.html").write_text("[{% block inner %}i{% end %}]")
    (tmp_path / "wrap.html").write_text("{% embed 'framed.html' %}{% end %}")
    (tmp_path / "self.html").write_text("{% embed 'self.html' %}{% end %}")
    return Environment(loader=FileSystemLoader(tmp_path))


def test_embed_overrides_a_block_and_keeps_the_others(env: Environment) -> None:
    source = "{% embed 'card.html' %}{% block title %}T{% end %}{% end %}"
    assert env.from_string(source, name="page.html").render(who="w") == "<div>T|B|w</div>"


def test_embed_without_overrides_is_an_include(env: Environment) -> None:
    assert env.from_string("{% embed 'card.html' %}{% end %}", name="page.html").render(
        who="w"
    ) == ("<div>Default|B|w</div>")


def test_embed_block_body_sees_the_loop_variable(env: Environment) -> None:
    source = (
        "{% for x in xs %}{% embed 'card.html' %}{% block body %}{{ x }}{% end %}{% end %}{% end %}"
    )
    assert (
        env.from_string(source, name="page.html").render(xs=[1, 2], who="")
        == "<div>Default|1|</div><div>Default|2|</div>"
    )


def test_embed_with_endembed(env: Environment) -> None:
    source = "{% embed 'card.html' %}{% block title %}T{% endblock %}{% endembed %}"
    assert env.from_string(source, name="page.html").render(who="") == "<div>T|B|</div>"


def test_embed_without_context_hides_the_callers_variables(env: Environment) -> None:
    source = "{% embed 'framed.html' without context %}{% block inner %}{{ v }}{% end %}{% end %}"
    assert env.from_string(source, name="page.html").render(v="x") == "[x]"


def test_embed_overrides_do_not_leak_into_the_embedding_templates_blocks(
    env: Environment,
) -> None:
    source = (
        "{% embed 'framed.html' %}{% block inner %}o{% end %}{% end %}{% block inner %}p{% end %}"
    )
    assert env.from_string(source, name="page.html").render() == "[o]p"


def test_embed_in_stream_mode(env: Environment) -> None:
    source = "{% embed 'card.html' %}{% block title %}S{% end %}{% end %}"
    assert (
        "".join(env.from_string(source, name="page.html").render_stream(who="s"))
        == "<div>S|B|s</div>"
    )


async def test_embed_in_async_render(env: Environment) -> None:
    source = "{% embed 'card.html' %}{% block title %}A{% end %}{% end %}"
    assert (
        await env.from_string(source, name="page.html").render_async(who="a") == "<div>A|B|a</div>"
    )


def test_embed_inside_a_block_used_by_render_block(env: Environment) -> None:
    source = (
        "{% block main %}{% embed 'framed.html' %}{% block inner %}m{% end %}{% end %}{% end %}"
    )
    assert env.from_string(source, name="page.html").render_block("main") == "[m]"


def test_embed_nested_in_an_embedded_template(env: Environment) -> None:
    assert env.get_template("wrap.html").render() == "[i]"


def test_embed_counts_toward_the_include_depth(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("self.html").render()
    assert info.value.code is ErrorCode.INCLUDE_DEPTH


def test_embed_content_other_than_blocks_is_a_syntax_error(env: Environment) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string("{% embed 'card.html' %}text{% end %}", name="page.html")
    assert "only {% block name %}" in info.value.message


def test_embed_overriding_a_block_twice_is_a_syntax_error(env: Environment) -> None:
    source = "{% embed 'card.html' %}{% block t %}1{% end %}{% block t %}2{% end %}{% end %}"
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string(source, name="page.html")
    assert "overridden twice" in info.value.message


def test_embed_target_is_a_dependency(env: Environment) -> None:
    assert env.from_string("{% embed 'card.html' %}{% end %}", name="page.html").dependencies() == {
        "card.html"
    }
