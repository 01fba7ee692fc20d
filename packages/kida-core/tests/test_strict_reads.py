"""Strict mode checks a template-level name where it is read; once a read at the top level of a
render has checked it, later reads in that render skip the check (the compiler drops it), so
every undefined name must still raise at the first read that actually runs."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment, UndefinedError


def render(source: str, **context: Any) -> str:
    env = Environment()
    return env.from_string(source, name="page.html").render(**context)


def undefined_line(source: str, **context: Any) -> int | None:
    env = Environment()
    template = env.from_string(source, name="page.html")
    with pytest.raises(UndefinedError) as info:
        template.render(**context)
    return info.value.lineno


def test_a_name_read_again_after_a_checked_read_renders_its_value() -> None:
    source = "{{ site.name }}\n{% if site.open %}open{% end %}\n{{ site.name | upper }}"
    assert render(source, site={"name": "kida", "open": True}) == "kida\nopen\nKIDA"


def test_an_undefined_name_raises_at_its_first_read() -> None:
    assert undefined_line("a\n{{ site.name }}\n{{ site.title }}") == 2


def test_a_read_inside_a_def_called_earlier_still_raises() -> None:
    source = "{% def show() %}{{ site }}{% end %}{{ show() }}\n{{ site }}"
    assert undefined_line(source) == 1


def test_a_read_caught_by_try_does_not_mark_the_name_defined() -> None:
    source = "{% try %}{{ site }}{% fallback %}-{% end %}\n{{ site }}"
    assert undefined_line(source) == 2


def test_a_read_in_a_loop_that_never_runs_does_not_mark_the_name_defined() -> None:
    source = "{% for item in items %}{{ site }}{% end %}\n{{ site }}"
    assert undefined_line(source, items=[]) == 2


def test_a_read_in_a_branch_not_taken_does_not_mark_the_name_defined() -> None:
    source = "{% if flag %}{{ site }}{% end %}\n{{ site }}"
    assert undefined_line(source, flag=False) == 2


def test_a_default_filter_read_does_not_mark_the_name_defined() -> None:
    source = "{{ site | default('none') }}\n{{ site }}"
    assert undefined_line(source) == 2


def test_an_optional_lookup_does_not_mark_the_name_defined() -> None:
    source = "{{ site?.name }}\n{{ site }}"
    assert undefined_line(source) == 2


def test_a_loop_iterable_read_marks_the_name_for_the_loop_body() -> None:
    source = "{% for item in items %}{{ items | length }}{% end %}"
    assert render(source, items=[1, 2]) == "22"
