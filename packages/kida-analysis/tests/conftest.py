"""Helpers: parse templates from a dict of sources and analyse them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kida_analysis import Analyzer
from kida_core.metadata import DefMetadata, TemplateMetadata, TemplateStructureManifest
from kida_core.nodes import TemplateNode
from kida_core.parser import parse
from kida_core.protocols import AnalysisContext


class Site:
    """Template sources parsed on demand; ``resolve`` records what was asked."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.requests: list[tuple[str, str | None]] = []

    def ast(self, name: str) -> TemplateNode:
        return parse(self.sources[name], name=name)

    def resolve(self, name: str, caller: str | None) -> TemplateNode | None:
        self.requests.append((name, caller))
        return self.ast(name) if name in self.sources else None

    def analyze(self, name: str, context: AnalysisContext | None = None) -> TemplateMetadata:
        return Analyzer().analyze(self.ast(name), name, resolve=self.resolve, context=context)

    def defs(self, name: str) -> dict[str, DefMetadata]:
        return Analyzer().def_metadata(self.ast(name), name)

    def structure(self, name: str) -> TemplateStructureManifest:
        return Analyzer().structure(self.ast(name), name, resolve=self.resolve)


@pytest.fixture
def site() -> Callable[[dict[str, str]], Site]:
    return Site


@pytest.fixture
def analyze() -> Callable[..., TemplateMetadata]:
    """Analyse one source (named ``t.html``) with optional other templates."""

    def run(
        source: str, others: dict[str, str] | None = None, context: AnalysisContext | None = None
    ) -> TemplateMetadata:
        return Site({"t.html": source, **(others or {})}).analyze("t.html", context)

    return run
