"""Generated functions bind their helpers, filters and tests once, when their module runs."""

from __future__ import annotations

from kida import Environment


def _shouting_env(mark: str) -> Environment:
    env = Environment()
    env.filters["shout"] = lambda value: f"{value}{mark}"
    env.filters["upper"] = lambda value: f"UP({value})"
    return env


SOURCE = "{{ x | shout }} {{ x | upper }}{% block b %}[{{ x | shout }}]{% end %}"


def test_overridden_builtin_filter_is_used_in_every_render_mode() -> None:
    template = _shouting_env("!").from_string(SOURCE)
    assert template.render(x="a") == "a! UP(a)[a!]"
    assert "".join(template.render_stream(x="a")) == "a! UP(a)[a!]"
    assert template.render_block("b", x="a") == "[a!]"


def test_each_environment_binds_its_own_filters_to_the_same_source() -> None:
    first = _shouting_env("!").from_string(SOURCE)
    second = _shouting_env("?").from_string(SOURCE)
    assert first.render(x="a") == "a! UP(a)[a!]"
    assert second.render(x="a") == "a? UP(a)[a?]"
    assert "".join(second.render_stream(x="b")) == "b? UP(b)[b?]"
