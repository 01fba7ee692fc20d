"""Cached code of templates with inlined built-in filters is keyed by those filters.

Kida compiles some built-in filters to inline Python while the Environment
holds the built-in function; code cached that way must never be loaded by an
Environment that overrides the filter, or that looks attributes up its own way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kida import Environment, FileSystemLoader
from kida_cache import BytecodeCache


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "page.html").write_text("{{ name | upper }} {{ users | map(attribute='name') | join }}")
    return root


def _env(templates: Path, cache: Path, cls: type[Environment] = Environment) -> Environment:
    return cls(loader=FileSystemLoader(templates), bytecode_cache=BytecodeCache(cache))


USERS = [{"name": "a"}, {"name": "b"}]


def test_an_overriding_filter_is_not_served_inlined_cached_code(
    templates: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert _env(templates, cache).render("page.html", name="ada", users=USERS) == "ADA ab"
    overriding = _env(templates, cache)
    overriding.add_filter("upper", lambda value: f"[{value}]")
    assert overriding.render("page.html", name="ada", users=USERS) == "[ada] ab"


def test_an_environment_with_its_own_lookups_is_not_served_inlined_cached_code(
    templates: Path, tmp_path: Path
) -> None:
    class Shouting(Environment):
        def getattr(self, obj: Any, name: str) -> Any:
            return str(super().getattr(obj, name)).upper()

    cache = tmp_path / "cache"
    assert _env(templates, cache).render("page.html", name="ada", users=USERS) == "ADA ab"
    assert _env(templates, cache, Shouting).render("page.html", name="ada", users=USERS) == (
        "ADA AB"
    )


def test_default_environments_share_the_cached_code(templates: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _env(templates, cache).render("page.html", name="ada", users=USERS)
    second = _env(templates, cache)
    compiled: list[str | None] = []
    original = second._compile_source

    def counting(source: str, name: str | None, *args: Any) -> Any:
        compiled.append(name)
        return original(source, name, *args)

    second._compile_source = counting  # type: ignore[method-assign]
    assert second.render("page.html", name="ada", users=USERS) == "ADA ab"
    assert compiled == []
