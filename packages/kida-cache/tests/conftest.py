"""Fixtures: a cache in a temporary directory, a real code object, a real Kida AST and a
compile counter."""

from __future__ import annotations

from pathlib import Path
from types import CodeType
from typing import Any

import pytest

from kida_cache import BytecodeCache
from kida_core import Environment
from kida_core.nodes import TemplateNode
from kida_core.parser import parse


@pytest.fixture
def cache(tmp_path: Path) -> BytecodeCache:
    return BytecodeCache(tmp_path / "cache")


@pytest.fixture
def code() -> CodeType:
    """A module defining ``render(ctx)``, standing in for a compiled template."""
    return compile("def render(ctx):\n    return 'Hello ' + ctx['name']\n", "<template>", "exec")


@pytest.fixture
def tree() -> TemplateNode:
    source = "<h1>{{ title | upper }}</h1>{% for item in items %}<li>{{ item }}</li>{% end %}"
    return parse(source, name="pages/index.html")


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Names passed to ``Environment._compile_source`` (one entry per real compilation)."""
    calls: list[str | None] = []
    original = Environment._compile_source

    def spy(self: Environment, source: str, name: str | None, *args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "_compile_source", spy)
    return calls
