"""``Template.dependencies()``: the template names a template references literally."""

from __future__ import annotations

from kida_core import Environment


def test_dependencies_lists_every_literal_reference() -> None:
    source = (
        '{% extends "base.html" %}'
        '{% from "forms.html" import field %}'
        '{% import "macros.html" as m %}'
        '{% block content %}{% include ["a.html", "b.html"] %}{% endblock %}'
    )
    template = Environment().from_string(source)
    assert template.dependencies() == {
        "base.html",
        "forms.html",
        "macros.html",
        "a.html",
        "b.html",
    }


def test_dependencies_skips_dynamic_targets() -> None:
    template = Environment().from_string('{% include name %}{% include "x.html" %}')
    assert template.dependencies() == {"x.html"}


def test_dependencies_keeps_relative_names_as_written() -> None:
    template = Environment().from_string('{% include "./card.html" ignore missing %}')
    assert template.dependencies() == {"./card.html"}


def test_dependencies_is_empty_without_a_preserved_ast() -> None:
    template = Environment(preserve_ast=False).from_string('{% include "x.html" %}')
    assert template.dependencies() == frozenset()
