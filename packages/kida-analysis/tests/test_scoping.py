"""The analysis scopes names as the core scope model does (``kida_core.symbols``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kida_analysis.dependencies import root
from kida_core.metadata import TemplateMetadata
from kida_core.parser import parse
from kida_core.symbols import free_names


@pytest.mark.parametrize(
    "source",
    [
        "{% for x in xs if x.on %}{{ x.name ~ loop.index }}{% else %}{{ x }}{% end %}",
        "{% with a = user.name %}{{ a }}{% end %}{{ a }}",
        "{% with user.name as n %}{{ n }}{% else %}{{ n }}{% end %}",
        "{% match p %}{% case (a, cfg.limit) %}{{ a }}{% case _ %}{{ b }}{% end %}",
        "{% try %}{{ risky }}{% fallback err %}{{ err ~ other }}{% end %}",
        "{{ [x.id for x in rows if x.id > floor] }}",
        "{{ a }}{% set a = b %}{{ a }}",
    ],
)
def test_context_reads_are_the_free_names(
    analyze: Callable[..., TemplateMetadata], source: str
) -> None:
    reads = {root(path) for path in analyze(source).all_dependencies()}
    assert reads == free_names(parse(source))


def test_a_block_inside_a_loop_reads_the_loop_variable_from_the_context(
    analyze: Callable[..., TemplateMetadata],
) -> None:
    meta = analyze("{% for item in items %}{% block row %}{{ item.name }}{% end %}{% end %}")
    assert meta.blocks["row"].depends_on == frozenset({"item.name"})
    assert meta.all_dependencies() == frozenset({"items", "item.name"})


def test_a_block_inside_a_with_reads_its_names_from_the_context(
    analyze: Callable[..., TemplateMetadata],
) -> None:
    meta = analyze("{% with a = b %}{% block main %}{{ a }}{% end %}{% end %}")
    assert meta.blocks["main"].depends_on == frozenset({"a"})


def test_a_scoped_block_inside_a_loop_sees_the_loop_variable(
    analyze: Callable[..., TemplateMetadata],
) -> None:
    source = (
        "{% for item in items %}{% block row scoped %}{{ item ~ loop.index }}{% end %}{% end %}"
    )
    assert analyze(source).blocks["row"].depends_on == frozenset()


def test_the_loop_still_binds_its_variable_after_a_block_inside_it(
    analyze: Callable[..., TemplateMetadata],
) -> None:
    source = "{% for item in items %}{% block row %}{{ x }}{% end %}{{ item }}{% end %}"
    assert analyze(source).all_dependencies() == frozenset({"items", "x"})
