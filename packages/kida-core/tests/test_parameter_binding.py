"""Generated functions get their helpers as parameter defaults once the module ran."""

from __future__ import annotations

import asyncio

from kida_core import Environment
from kida_core.markup import Markup
from kida_core.runtime.namespace import code_names
from kida_loaders import DictLoader


def shout(value: str) -> str:
    return value.upper() + "!"


def shouting_env(**settings: object) -> Environment:
    """An Environment with the ``shout`` filter."""
    env = Environment(**settings)  # type: ignore[arg-type]
    env.filters["shout"] = shout
    return env


def test_render_binds_blocks_to_none_and_each_helper_to_its_global() -> None:
    template = shouting_env().from_string("{{ name | shout }}")
    render = template._render_func
    assert render is not None
    parameters = render.__code__.co_varnames[1 : render.__code__.co_argcount]
    assert parameters[0] == "_blocks"
    assert render.__defaults__ is not None
    assert len(render.__defaults__) == len(parameters)
    assert render.__defaults__[0] is None
    assert render.__defaults__[parameters.index("_f_shout")] is shout
    assert template.render(name="hi") == "HI!"


def test_filters_read_only_through_parameters_are_bound() -> None:
    source = "{% for x in xs %}{{ x | shout }}{% if x | length is odd %}.{% end %}{% end %}"
    template = shouting_env().from_string(source)
    assert {"_F_shout", "_T_odd"} <= code_names(template._code).names
    assert template.render(xs=["a", "bb"]) == "A!.BB!"


def test_stream_and_async_functions_compiled_on_first_use_are_bound() -> None:
    env = shouting_env(autoescape=True)
    template = env.from_string("<p>{{ name | shout }}</p>{% block b %}{{ name }}{% end %}")
    assert "".join(template.render_stream(name="<a>")) == "<p>&lt;A&gt;!</p>&lt;a&gt;"
    assert asyncio.run(template.render_async(name="x")) == "<p>X!</p>x"


def test_blocks_of_a_child_template_are_bound() -> None:
    loader = DictLoader(
        {
            "base.html": "[{% block body %}{% end %}]",
            "child.html": "{% extends 'base.html' %}{% block body %}{{ x | upper }}{% end %}",
        }
    )
    env = Environment(loader=loader, autoescape=True)
    assert env.get_template("child.html").render(x=Markup("<b>")) == "[<B>]"
    assert env.get_template("child.html").render_block("body", x="b") == "B"


def test_compiled_expressions_are_bound() -> None:
    evaluate = shouting_env().compile_expression("word | shout")
    assert evaluate(word="yes") == "YES!"
