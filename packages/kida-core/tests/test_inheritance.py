"""Template inheritance: extends, blocks, super(), fragments."""

from __future__ import annotations

import pytest

from kida_core import Environment, ErrorCode, TemplateNotFoundError, TemplateRuntimeError
from kida_loaders import DictLoader

BASE = (
    "<html>{% block head %}<title>{% block title %}Base{% end %}</title>{% end %}"
    "|{% block body %}B{% end %}</html>"
)


def make_env(templates: dict[str, str], **options: object) -> Environment:
    return Environment(loader=DictLoader(templates), **options)  # type: ignore[arg-type]


def chain(depth: int) -> dict[str, str]:
    """``c0 → c1 → … → c{depth}``: ``depth`` extends hops, root ``c{depth}``."""
    templates = {f"c{i}.html": f"{{% extends 'c{i + 1}.html' %}}" for i in range(depth)}
    templates[f"c{depth}.html"] = "root"
    return templates


# -- extends and block overriding ------------------------------------------------------


def test_parent_renders_its_own_blocks() -> None:
    env = make_env({"base.html": BASE})
    assert env.get_template("base.html").render() == "<html><title>Base</title>|B</html>"


def test_child_block_replaces_parent_block() -> None:
    env = make_env(
        {"base.html": BASE, "child.html": "{% extends 'base.html' %}{% block body %}C{% end %}"}
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|C</html>"


def test_child_without_blocks_renders_parent_unchanged() -> None:
    env = make_env({"base.html": BASE, "child.html": "{% extends 'base.html' %}"})
    assert env.get_template("child.html").render() == "<html><title>Base</title>|B</html>"


def test_extends_with_explicit_endblock_closer() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "{% extends 'base.html' %}{% block body %}C{% endblock %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|C</html>"


def test_deepest_child_wins_across_three_levels() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "mid.html": "{% extends 'base.html' %}{% block body %}mid{% end %}",
            "leaf.html": "{% extends 'mid.html' %}{% block body %}leaf{% end %}",
        }
    )
    assert env.get_template("leaf.html").render() == "<html><title>Base</title>|leaf</html>"


def test_middle_override_survives_when_leaf_does_not_override() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "mid.html": "{% extends 'base.html' %}{% block title %}Mid{% end %}",
            "leaf.html": "{% extends 'mid.html' %}{% block body %}leaf{% end %}",
        }
    )
    assert env.get_template("leaf.html").render() == "<html><title>Mid</title>|leaf</html>"


def test_child_blocks_see_render_context() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "{% extends 'base.html' %}{% block body %}{{ user }}{% end %}",
        }
    )
    assert env.get_template("child.html").render(user="<Ada>") == (
        "<html><title>Base</title>|&lt;Ada&gt;</html>"
    )


def test_child_top_level_output_is_discarded() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "before {{ 1 + 1 }}{% extends 'base.html' %}between"
            "{% block body %}C{% end %}after {% for i in [1, 2] %}{{ i }}{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|C</html>"


def test_child_top_level_let_is_visible_in_its_blocks() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "{% extends 'base.html' %}{% let who = 'W' %}"
            "{% block body %}{{ who }}{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|W</html>"


def test_child_top_level_def_is_callable_from_its_blocks() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "{% extends 'base.html' %}{% def hi(n) %}hi {{ n }}{% end %}"
            "{% block body %}{{ hi('Bo') }}{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|hi Bo</html>"


def test_child_top_level_import_is_visible_in_its_blocks() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "macros.html": "{% def em(x) %}<em>{{ x }}</em>{% end %}",
            "child.html": "{% extends 'base.html' %}{% from 'macros.html' import em %}"
            "{% block body %}{{ em('x') }}{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|<em>x</em></html>"


def test_parent_top_level_def_is_callable_from_child_block() -> None:
    env = make_env(
        {
            "base.html": "{% def tag(x) %}[{{ x }}]{% end %}"
            "{% block body %}{{ tag('base') }}{% end %}",
            "child.html": "{% extends 'base.html' %}{% block body %}{{ tag('child') }}{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "[child]"


def test_extends_after_top_level_statements() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "{% let x = 3 %}{% extends 'base.html' %}"
            "{% block body %}{{ x * 2 }}{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|6</html>"


# -- dynamic extends ---------------------------------------------------------------------


def test_dynamic_extends_from_variable() -> None:
    env = make_env(
        {
            "light.html": "<light>{% block body %}{% end %}</light>",
            "dark.html": "<dark>{% block body %}{% end %}</dark>",
            "page.html": "{% extends layout %}{% block body %}P{% end %}",
        }
    )
    page = env.get_template("page.html")
    assert page.render(layout="light.html") == "<light>P</light>"
    assert page.render(layout="dark.html") == "<dark>P</dark>"


def test_dynamic_extends_from_expression() -> None:
    env = make_env(
        {
            "layouts/wide.html": "<wide>{% block body %}{% end %}</wide>",
            "page.html": "{% extends 'layouts/' ~ kind ~ '.html' %}{% block body %}P{% end %}",
        }
    )
    assert env.get_template("page.html").render(kind="wide") == "<wide>P</wide>"


def test_dynamic_extends_of_template_object() -> None:
    env = make_env({"base.html": BASE})
    child = env.from_string("{% extends parent %}{% block body %}T{% end %}")
    assert (
        child.render(parent=env.get_template("base.html")) == "<html><title>Base</title>|T</html>"
    )


def test_extends_from_string_template_to_loaded_parent() -> None:
    env = make_env({"base.html": BASE})
    child = env.from_string("{% extends 'base.html' %}{% block title %}S{% end %}")
    assert child.render() == "<html><title>S</title>|B</html>"


# -- nested and conditional blocks ------------------------------------------------------


def test_nested_block_overridden_inside_outer_block() -> None:
    env = make_env(
        {"base.html": BASE, "child.html": "{% extends 'base.html' %}{% block title %}T{% end %}"}
    )
    assert env.get_template("child.html").render() == "<html><title>T</title>|B</html>"


def test_outer_override_drops_parent_inner_block() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "{% extends 'base.html' %}{% block head %}<meta>{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><meta>|B</html>"


def test_inner_block_defined_in_child_override_can_be_overridden_by_grandchild() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "mid.html": "{% extends 'base.html' %}"
            "{% block body %}<main>{% block main %}m{% end %}</main>{% end %}",
            "leaf.html": "{% extends 'mid.html' %}{% block main %}leaf{% end %}",
        }
    )
    assert (
        env.get_template("leaf.html").render()
        == "<html><title>Base</title>|<main>leaf</main></html>"
    )


def test_block_inside_parent_conditional_renders_override_when_true() -> None:
    env = make_env(
        {
            "base.html": "{% if show %}{% block side %}S{% end %}{% else %}none{% end %}",
            "child.html": "{% extends 'base.html' %}{% block side %}child-S{% end %}",
        }
    )
    assert env.get_template("child.html").render(show=True) == "child-S"


def test_block_inside_parent_conditional_skipped_when_false() -> None:
    env = make_env(
        {
            "base.html": "{% if show %}{% block side %}S{% end %}{% else %}none{% end %}",
            "child.html": "{% extends 'base.html' %}{% block side %}child-S{% end %}",
        }
    )
    assert env.get_template("child.html").render(show=False) == "none"


def test_block_condition_false_skips_block() -> None:
    env = Environment()
    template = env.from_string("<{% block aside if show %}A{% end %}>")
    assert template.render(show=False) == "<>"


def test_block_condition_true_renders_block() -> None:
    env = Environment()
    template = env.from_string("<{% block aside if show %}A{% end %}>")
    assert template.render(show=True) == "<A>"


def test_block_condition_of_overriding_template_decides() -> None:
    env = make_env(
        {
            "base.html": "<{% block aside %}base{% end %}>",
            "child.html": "{% extends 'base.html' %}{% block aside if flag %}child{% end %}",
        }
    )
    child = env.get_template("child.html")
    assert child.render(flag=True) == "<child>"
    assert child.render(flag=False) == "<>"


def test_block_with_modifiers_renders_normally() -> None:
    env = Environment()
    template = env.from_string('{% block chart mode="live" rows=20 %}C{% end %}')
    assert template.render() == "C"


# -- fragments -----------------------------------------------------------------------------


def test_fragment_is_skipped_by_full_render() -> None:
    env = Environment()
    assert env.from_string("a{% fragment f %}F{% end %}b").render() == "ab"


def test_fragment_is_rendered_by_render_block() -> None:
    env = Environment()
    assert env.from_string("a{% fragment f %}F{{ x }}{% end %}b").render_block("f", x=1) == "F1"


def test_fragment_in_child_sees_parent_def() -> None:
    env = make_env(
        {
            "base.html": "{% def tag(x) %}[{{ x }}]{% end %}{% block body %}{% end %}",
            "child.html": "{% extends 'base.html' %}{% fragment row %}{{ tag(v) }}{% end %}",
        }
    )
    child = env.get_template("child.html")
    assert child.render(v=1) == ""
    assert child.render_block("row", v=1) == "[1]"


# -- super() --------------------------------------------------------------------------------


def test_super_renders_parent_definition() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "child.html": "{% extends 'base.html' %}{% block body %}<{{ super() }}>{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "<html><title>Base</title>|<B></html>"


def test_super_chains_through_three_levels() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "mid.html": "{% extends 'base.html' %}{% block title %}Mid-{{ super() }}{% end %}",
            "leaf.html": "{% extends 'mid.html' %}{% block title %}Leaf-{{ super() }}{% end %}",
        }
    )
    assert env.get_template("leaf.html").render() == "<html><title>Leaf-Mid-Base</title>|B</html>"


def test_super_skips_levels_that_do_not_override() -> None:
    env = make_env(
        {
            "base.html": BASE,
            "mid.html": "{% extends 'base.html' %}",
            "mid2.html": "{% extends 'mid.html' %}{% block body %}m2({{ super() }}){% end %}",
            "leaf.html": "{% extends 'mid2.html' %}{% block body %}leaf({{ super() }}){% end %}",
        }
    )
    assert env.get_template("leaf.html").render() == "<html><title>Base</title>|leaf(m2(B))</html>"


def test_super_through_five_levels() -> None:
    templates = {"t0.html": "{% block b %}0{% end %}"}
    for i in range(1, 5):
        templates[f"t{i}.html"] = (
            f"{{% extends 't{i - 1}.html' %}}{{% block b %}}{i}{{{{ super() }}}}{{% end %}}"
        )
    env = make_env(templates)
    assert env.get_template("t4.html").render() == "43210"


def test_super_output_is_not_escaped_again() -> None:
    env = make_env(
        {
            "base.html": "{% block b %}<b>{{ v }}</b>{% end %}",
            "child.html": "{% extends 'base.html' %}{% block b %}<i>{{ super() }}</i>{% end %}",
        }
    )
    assert env.get_template("child.html").render(v="&") == "<i><b>&amp;</b></i>"


def test_super_called_twice() -> None:
    env = make_env(
        {
            "base.html": "{% block b %}x{% end %}",
            "child.html": "{% extends 'base.html' %}"
            "{% block b %}{{ super() }}{{ super() }}{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "xx"


def test_super_in_parent_definition_sees_child_overridden_inner_block() -> None:
    env = make_env(
        {
            "base.html": "{% block outer %}<{% block inner %}i{% end %}>{% end %}",
            "child.html": "{% extends 'base.html' %}{% block outer %}[{{ super() }}]{% end %}"
            "{% block inner %}I{% end %}",
        }
    )
    assert env.get_template("child.html").render() == "[<I>]"


def test_super_without_parent_definition_raises_naming_block() -> None:
    env = Environment()
    with pytest.raises(TemplateRuntimeError, match="'x'"):
        env.from_string("{% block x %}{{ super() }}{% end %}").render()


def test_super_in_child_only_block_raises() -> None:
    env = make_env(
        {
            "base.html": "{% block a %}A{% end %}",
            "child.html": "{% extends 'base.html' %}"
            "{% block a %}{% block extra %}{{ super() }}{% end %}{% end %}",
        }
    )
    with pytest.raises(TemplateRuntimeError, match="extra"):
        env.get_template("child.html").render()


# -- errors and limits ---------------------------------------------------------------------


def test_self_extends_raises_circular_error() -> None:
    env = make_env({"self.html": "{% extends 'self.html' %}"})
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("self.html").render()
    assert info.value.code == ErrorCode.CIRCULAR_IMPORT
    assert "self.html → self.html" in str(info.value)


def test_two_template_extends_cycle_raises() -> None:
    env = make_env({"a.html": "{% extends 'b.html' %}", "b.html": "{% extends 'a.html' %}"})
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("a.html").render()
    assert "a.html → b.html → a.html" in str(info.value)


def test_extends_cycle_raises_in_stream_mode() -> None:
    env = make_env({"a.html": "{% extends 'b.html' %}", "b.html": "{% extends 'a.html' %}"})
    with pytest.raises(TemplateRuntimeError, match="Circular extends"):
        list(env.get_template("a.html").render_stream())


def test_extends_cycle_raises_in_render_block() -> None:
    env = make_env(
        {
            "a.html": "{% extends 'b.html' %}{% block x %}{% end %}",
            "b.html": "{% extends 'a.html' %}",
        }
    )
    with pytest.raises(TemplateRuntimeError, match="Circular extends"):
        env.get_template("a.html").render_block("x")


def test_missing_parent_raises_template_not_found_naming_child() -> None:
    env = make_env({"child.html": "line one\n{% extends 'nope.html' %}"})
    with pytest.raises(TemplateNotFoundError) as info:
        env.get_template("child.html").render()
    assert "nope.html" in str(info.value)
    assert "child.html:2" in str(info.value)


def test_default_extends_depth_allows_fifty_levels() -> None:
    env = make_env(chain(50))
    assert env.get_template("c0.html").render() == "root"


def test_default_extends_depth_rejects_fifty_one_levels() -> None:
    env = make_env(chain(51))
    with pytest.raises(TemplateRuntimeError, match=r"Maximum extends depth exceeded \(50\)"):
        env.get_template("c0.html").render()


def test_max_extends_depth_option_is_enforced() -> None:
    env = make_env(chain(5), max_extends_depth=3)
    with pytest.raises(TemplateRuntimeError, match=r"Maximum extends depth exceeded \(3\)"):
        env.get_template("c0.html").render()


def test_max_extends_depth_option_allows_chain_at_limit() -> None:
    env = make_env(chain(3), max_extends_depth=3)
    assert env.get_template("c0.html").render() == "root"
