"""Fixtures: a cache in a temporary directory, a real code object and a real Kida AST."""

from __future__ import annotations

from pathlib import Path
from types import CodeType

import pytest

from kida_cache import BytecodeCache
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
