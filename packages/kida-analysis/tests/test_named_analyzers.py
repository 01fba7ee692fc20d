"""The one-question analyzers and helpers under the original engine's names."""

from __future__ import annotations

import pytest

from kida_analysis import (
    BlockAnalyzer,
    DependencyWalker,
    PurityAnalyzer,
    classify_role,
    infer_cache_scope,
)
from kida_core.metadata import AnalysisConfig
from kida_core.parser import parse

LAYOUT = "<html>{% block content %}{% endblock %}<footer>{{ site.title }}</footer></html>"
PAGE = '{% extends "base.html" %}{% block content %}<main>{{ page.title }}</main>{% endblock %}'


def _resolve(name: str, caller: str | None) -> object:
    return parse(LAYOUT, name=name) if name == "base.html" else None


def test_block_analyzer_reports_each_block() -> None:
    meta = BlockAnalyzer().analyze(parse(PAGE, name="page.html"), "page.html")
    block = meta.blocks["content"]
    assert (block.depends_on, block.cache_scope, block.inferred_role) == (
        {"page.title"},
        "page",
        "content",
    )


def test_block_analyzer_uses_its_config() -> None:
    config = AnalysisConfig(site_prefixes=frozenset({"page"}))
    meta = BlockAnalyzer(config).analyze(parse(PAGE, name="page.html"), "page.html")
    assert meta.blocks["content"].cache_scope == "site"


def test_block_analyzer_follows_extends_through_its_resolver() -> None:
    meta = BlockAnalyzer(resolve=_resolve).analyze(parse(PAGE, name="page.html"), "page.html")
    assert meta.extends == "base.html"
    assert meta.top_level_depends_on == {"site.title"}


def test_dependency_walker_collects_every_read_path() -> None:
    source = "{% if user.admin %}{{ site.name }}{% else %}{{ page.title | upper }}{% endif %}"
    assert DependencyWalker().analyze(parse(source)) == {"user.admin", "site.name", "page.title"}


def test_dependency_walker_reads_through_the_extends_chain() -> None:
    tree = parse(PAGE, name="page.html")
    assert DependencyWalker(resolve=_resolve).analyze(tree, "page.html") == {
        "page.title",
        "site.title",
    }


@pytest.mark.parametrize(
    ("source", "purity"),
    [
        ("{{ page.title | upper }}", "pure"),
        ("{{ items | random }}", "impure"),
        ("{{ user.get_name() }}", "unknown"),
    ],
)
def test_purity_analyzer(source: str, purity: str) -> None:
    assert PurityAnalyzer().analyze(parse(source)) == purity


def test_purity_analyzer_uses_its_config() -> None:
    config = AnalysisConfig(extra_impure_filters=frozenset({"upper"}))
    assert PurityAnalyzer(config).analyze(parse("{{ x | upper }}")) == "impure"


@pytest.mark.parametrize(
    ("name", "found", "role"),
    [
        ("sidebar", (), "sidebar"),
        ("anything", ("nav",), "navigation"),
        ("content", ("footer",), "footer"),
        ("header", ("blink",), "header"),
        ("misc", (), "unknown"),
    ],
)
def test_classify_role(name: str, found: tuple[str, ...], role: str) -> None:
    assert classify_role(name, found) == role


@pytest.mark.parametrize(
    ("paths", "purity", "scope"),
    [
        ((), "pure", "site"),
        (("site.title", "config.lang"), "pure", "site"),
        (("page.title", "site.title"), "pure", "page"),
        (("user.name",), "pure", "unknown"),
        (("site.title",), "impure", "none"),
    ],
)
def test_infer_cache_scope(paths: tuple[str, ...], purity: str, scope: str) -> None:
    assert infer_cache_scope(paths, purity) == scope  # type: ignore[arg-type]


def test_infer_cache_scope_uses_the_config_prefixes() -> None:
    config = AnalysisConfig(page_prefixes=frozenset({"user"}))
    assert infer_cache_scope(["user.name"], "pure", config) == "page"
