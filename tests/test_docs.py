"""The documentation covers every error code, filter and test the engine has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_error_code_has_an_anchor_on_the_errors_page() -> None:
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', (DOCS / "errors.md").read_text()))
    missing = [code.value for code in ErrorCode if code.value.lower() not in anchors]
    assert missing == []


@pytest.mark.parametrize("registry", ["filters", "tests"])
def test_every_builtin_is_documented(registry: str) -> None:
    documented = set(re.findall(r"`([^`\s]+)`", (DOCS / "filters.md").read_text()))
    builtins = set(getattr(Environment(), registry))
    assert sorted(builtins - documented) == []
