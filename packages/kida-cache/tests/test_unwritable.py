"""A cache directory that cannot be created or written degrades to no caching, warning once."""

from __future__ import annotations

import warnings
from pathlib import Path
from types import CodeType

import pytest

from kida_cache import BytecodeCache, hash_source

SOURCE_HASH = hash_source("<p>{{ x }}</p>")


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A directory path that cannot exist: its parent is a regular file."""
    regular_file = tmp_path / "not-a-directory"
    regular_file.write_text("")
    return regular_file / "cache"


def test_construction_does_not_raise(blocked: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BytecodeCache(blocked)


def test_first_set_warns_once(blocked: Path, code: CodeType) -> None:
    cache = BytecodeCache(blocked)

    with pytest.warns(UserWarning, match="not writable") as caught:
        for name in ("a.html", "b.html", "a.html"):
            cache.set(name, SOURCE_HASH, code)

    assert len(caught) == 1
    assert str(blocked) in str(caught[0].message)
    assert caught[0].filename == __file__


def test_each_cache_instance_warns_once(blocked: Path, code: CodeType) -> None:
    with pytest.warns(UserWarning) as caught:
        for cache in (BytecodeCache(blocked), BytecodeCache(blocked)):
            cache.set("a.html", SOURCE_HASH, code)
            cache.set("a.html", SOURCE_HASH, code)

    assert len(caught) == 2


def test_get_misses(blocked: Path, code: CodeType) -> None:
    cache = BytecodeCache(blocked)
    with pytest.warns(UserWarning):
        cache.set("a.html", SOURCE_HASH, code)

    assert cache.get("a.html", SOURCE_HASH) == (None, None, None)


def test_maintenance_methods_report_nothing(blocked: Path) -> None:
    cache = BytecodeCache(blocked)

    assert cache.clear() == 0
    assert cache.cleanup(0) == 0
    assert cache.stats() == {"file_count": 0, "total_bytes": 0}


def test_directory_removed_after_construction(tmp_path: Path, code: CodeType) -> None:
    cache = BytecodeCache(tmp_path / "cache")
    cache.directory.rmdir()
    (tmp_path / "cache").write_text("now a file")

    with pytest.warns(UserWarning):
        cache.set("a.html", SOURCE_HASH, code)

    assert cache.get("a.html", SOURCE_HASH) == (None, None, None)
