"""Composition helpers against a stub Environment, and plugin discovery."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

import pytest

import kida_analysis
from kida_analysis import Analyzer
from kida_core.errors import TemplateNotFoundError, TemplateSyntaxError
from kida_core.metadata import TemplateStructureManifest
from kida_core.parser import parse
from kida_core.plugins import get_plugin
from kida_core.protocols import TemplateAnalyzer

SOURCES = {
    "base.html": "{% block title %}{% end %}{% block content %}{% end %}",
    "page.html": '{% extends "base.html" %}{% block content %}{{ page.body }}{% end %}',
    "broken.html": "{% if %}",
}


class StubTemplate:
    def __init__(self, name: str) -> None:
        self.name = name
        self._manifest = StubEnv().get_template_structure(name)

    def list_blocks(self) -> list[str]:
        assert self._manifest is not None
        return list(self._manifest.block_names)


class StubEnv:
    """What the helpers use of an Environment."""

    def _resolve(self, name: str, caller: str | None):
        return parse(SOURCES[name], name=name) if name in SOURCES else None

    def get_template(self, name: str) -> StubTemplate:
        if name not in SOURCES:
            raise TemplateNotFoundError(f"{name} not found")
        if name == "broken.html":
            raise TemplateSyntaxError("bad if", 1, name)
        return StubTemplate(name)

    def get_template_structure(self, name: str) -> TemplateStructureManifest | None:
        if name not in SOURCES:
            raise TemplateNotFoundError(f"{name} not found")
        return Analyzer().structure(parse(SOURCES[name], name=name), name, resolve=self._resolve)


def test_validate_block_exists_includes_inherited_blocks() -> None:
    env = StubEnv()
    assert kida_analysis.validate_block_exists(env, "page.html", "content")
    assert kida_analysis.validate_block_exists(env, "page.html", "title")
    assert not kida_analysis.validate_block_exists(env, "page.html", "sidebar")
    assert not kida_analysis.validate_block_exists(env, "missing.html", "content")
    assert not kida_analysis.validate_block_exists(env, "broken.html", "content")


def test_validate_template_block() -> None:
    template = StubEnv().get_template("page.html")
    assert kida_analysis.validate_template_block(template, "title")
    assert not kida_analysis.validate_template_block(template, "nav")


def test_get_structure() -> None:
    manifest = kida_analysis.get_structure(StubEnv(), "page.html")
    assert manifest is not None
    assert manifest.block_names == ("title", "content")  # the parent's blocks first
    assert manifest.extends == "base.html"
    assert manifest.dependencies == frozenset({"page.body"})
    assert set(manifest.block_hashes) == {"content", "title"}
    assert kida_analysis.get_structure(StubEnv(), "missing.html") is None


def test_kida_composition_reexports_the_helpers() -> None:
    import kida.composition

    for name in kida.composition.__all__:
        assert getattr(kida.composition, name) is getattr(kida_analysis, name)


def test_entry_point_discovery() -> None:
    plugin = get_plugin("kida.analysis", "default")
    assert plugin is Analyzer
    assert isinstance(Analyzer(), TemplateAnalyzer)


def test_distribution_metadata() -> None:
    assert kida_analysis.__version__ == metadata.version("kida-analysis")
    assert any(req.startswith("kida-core") for req in metadata.requires("kida-analysis") or [])


def test_analyzer_without_resolver_or_context() -> None:
    meta = Analyzer().analyze(parse(SOURCES["page.html"]), None)
    assert list(meta.blocks) == ["content"]
    assert meta.blocks["content"].depends_on == frozenset({"page.body"})


@pytest.mark.parametrize("name", ["page.html", "base.html"])
def test_analyzer_is_reentrant(name: str) -> None:
    analyzer = Analyzer()
    ast = parse(SOURCES[name], name=name)
    assert analyzer.analyze(ast, name) == analyzer.analyze(ast, name)


def test_one_analyzer_shared_between_threads() -> None:
    analyzer = Analyzer()
    env = StubEnv()
    ast = parse(SOURCES["page.html"], name="page.html")

    def run(_: int) -> object:
        return analyzer.analyze(ast, "page.html", resolve=env._resolve)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(run, range(64)))
    assert all(result == results[0] for result in results)
