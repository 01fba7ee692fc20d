"""The documentation covers every error code, filter and test the engine has."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode
from kida_core.errors.codes import DOCS_URL, ERRORS_DOCS_URL

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _site_url() -> str:
    """The ``site_url`` of mkdocs.yml (one top-level line, read without a YAML parser)."""
    match = re.search(r"^site_url:\s*(\S+)\s*$", (ROOT / "mkdocs.yml").read_text(), re.MULTILINE)
    assert match is not None, "mkdocs.yml has no site_url"
    return match.group(1)


def test_error_links_point_at_the_errors_page_of_the_built_site() -> None:
    assert _site_url() + "errors/" == ERRORS_DOCS_URL
    assert ErrorCode.UNDEFINED_VARIABLE.docs_url == _site_url() + "errors/#k-run-001"


@pytest.mark.parametrize(
    "pyproject", sorted((ROOT / "packages").glob("*/pyproject.toml")), ids=lambda p: p.parent.name
)
def test_every_package_names_the_documentation_site(pyproject: Path) -> None:
    urls = tomllib.loads(pyproject.read_text())["project"]["urls"]
    assert urls["Documentation"] == DOCS_URL == _site_url()


def test_every_error_code_has_an_anchor_on_the_errors_page() -> None:
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', (DOCS / "errors.md").read_text()))
    missing = [code.value for code in ErrorCode if code.value.lower() not in anchors]
    assert missing == []


@pytest.mark.parametrize("registry", ["filters", "tests"])
def test_every_builtin_is_documented(registry: str) -> None:
    documented = set(re.findall(r"`([^`\s]+)`", (DOCS / "filters.md").read_text()))
    builtins = set(getattr(Environment(), registry))
    assert sorted(builtins - documented) == []
