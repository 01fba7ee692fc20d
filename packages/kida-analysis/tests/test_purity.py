"""Purity and cache scope."""

from __future__ import annotations

import pytest

from kida_core.metadata import AnalysisConfig
from kida_core.protocols import AnalysisContext


def block(analyze, body: str, others=None, context=None):
    return analyze("{% block b %}" + body + "{% end %}", others, context).blocks["b"]


@pytest.mark.parametrize(
    ("body", "purity"),
    [
        ("{{ site.title | upper | truncate(20) }}", "pure"),
        ("{{ page.tags | sort | join(', ') }}{{ page.date | date('%Y') }}", "pure"),
        ("{{ range(3) | list }}{{ len(site.pages) }}{{ sorted(site.tags) }}", "pure"),
        ("{{ site.quotes | random }}", "impure"),
        ("{{ site.items | shuffle }}", "impure"),
        ("{{ site.title | my_filter }}", "impure"),
        ("{{ now() }}", "impure"),
        ("{{ consume('theme') }}{{ hx_request() }}", "impure"),
        ("{{ user.get_name() }}", "unknown"),
        ("{{ (a or b)() }}", "unknown"),
        ("{% set f = site.fn %}{{ f() }}", "unknown"),
        ("{% for x in items %}{{ await x }}{% end %}", "unknown"),
        ("{{ user.get_name() }}{{ site.items | random }}", "impure"),
        ("{% filter upper %}{{ site.name }}{% end %}{% capture c | trim %}x{% end %}", "pure"),
        ("{% filter my_filter %}x{% end %}", "impure"),
        ("{{ x is divisibleby 3 }}", "pure"),
        ("{% trans %}Hello{% endtrans %}", "impure"),
        ("{% trans n=site.count %}{{ n }} pages{% endtrans %}", "impure"),
    ],
)
def test_block_purity(analyze, body: str, purity: str) -> None:
    assert block(analyze, body).is_pure == purity


def test_context_marks_filters_and_globals_pure(analyze) -> None:
    context = AnalysisContext(
        pure_filters=frozenset({"my_filter"}),
        pure_globals=frozenset({"format_date"}),
        global_names=frozenset({"format_date", "today"}),
        config=AnalysisConfig(extra_pure_functions=frozenset({"slugify"})),
    )
    body = "{{ site.t | my_filter }}{{ format_date(page.d) }}{{ slugify(page.t) }}"
    pure = block(analyze, body, context=context)
    assert pure.is_pure == "pure"
    assert pure.depends_on == frozenset({"site.t", "page.d", "page.t", "slugify"})
    assert block(analyze, "{{ today() }}", context=context).is_pure == "impure"


def test_extra_impure_filters(analyze) -> None:
    context = AnalysisContext(config=AnalysisConfig(extra_impure_filters=frozenset({"upper"})))
    assert block(analyze, "{{ site.t | upper }}", context=context).is_pure == "impure"


def test_defs_are_as_pure_as_their_bodies(analyze) -> None:
    meta = analyze(
        "{% def tip() %}{{ site.tips | random }}{% end %}"
        "{% def card(x) %}<div>{{ x | title }}{% slot %}{{ caller() }}"
        "{{ has_slot('a') }}</div>{% end %}"
        "{% def wrapper() %}{{ tip() }}{% end %}"
        "{% block pure %}{{ card(site.name) }}{% call card(site.x) %}y{% end %}{% end %}"
        "{% block impure %}{{ wrapper() }}{% end %}"
    )
    assert meta.blocks["pure"].is_pure == "pure"
    assert meta.blocks["impure"].is_pure == "impure"
    assert meta.blocks["impure"].cache_scope == "none"
    assert not meta.blocks["impure"].is_cacheable()


def test_purity_follows_includes_imports_and_super(site) -> None:
    layout = site(
        {
            "base.html": "{% block b %}{{ site.quotes | shuffle }}{% end %}",
            "child.html": '{% extends "base.html" %}{% block b %}{{ super() }}{% end %}',
            "lib.html": "{% def roll() %}{{ dice | random }}{% end %}",
            "user.html": (
                '{% from "lib.html" import roll %}{% block r %}{{ roll() }}{% end %}'
                '{% block i %}{% include "base.html" without context %}{% end %}'
            ),
        }
    )
    assert layout.analyze("child.html").blocks["b"].is_pure == "impure"
    blocks = layout.analyze("user.html").blocks
    assert blocks["r"].is_pure == "impure"
    assert blocks["r"].depends_on == frozenset()
    assert blocks["i"].is_pure == "impure"


@pytest.mark.parametrize(
    ("body", "scope"),
    [
        ("static text", "site"),
        ("{{ site.title }}{{ config.theme }}{{ settings.x }}", "site"),
        ("{{ page.title }}", "page"),
        ("{{ site.title }}{{ post.body }}", "page"),
        ("{{ page.title }}{{ user.name }}", "page"),
        ("{{ user.name }}", "unknown"),
        ("{{ site.title }}{{ user.name }}", "unknown"),
        ("{{ page.title | random }}", "none"),
        ("{{ user.get_name() }}", "unknown"),
    ],
)
def test_cache_scope(analyze, body: str, scope: str) -> None:
    assert block(analyze, body).cache_scope == scope


def test_cache_scope_prefixes_are_configurable(analyze) -> None:
    config = AnalysisConfig(page_prefixes=frozenset({"request"}), site_prefixes=frozenset({"org"}))
    context = AnalysisContext(config=config)
    assert block(analyze, "{{ org.name }}", context=context).cache_scope == "site"
    assert block(analyze, "{{ request.path }}", context=context).cache_scope == "page"
    assert block(analyze, "{{ site.title }}", context=context).cache_scope == "unknown"


def test_cacheable_block_lists(analyze) -> None:
    meta = analyze(
        "{% block a %}{{ site.name }}{% end %}{% block b %}{{ page.title }}{% end %}"
        "{% block c %}{{ x | random }}{% end %}{% block d %}{{ u.m() }}{% end %}"
    )
    assert [b.name for b in meta.cacheable_blocks()] == ["a", "b"]
    assert [b.name for b in meta.site_cacheable_blocks()] == ["a"]
