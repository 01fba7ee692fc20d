"""Caches are found by name through the ``kida.bytecode_caches`` entry-point group."""

from __future__ import annotations

import marshal
import pickle
import sqlite3
from importlib import metadata
from pathlib import Path
from types import CodeType

import pytest
from kida_cache_sqlite import SqliteBytecodeCache

import kida.bytecode_cache
import kida_cache
from kida_cache import BytecodeCache, hash_source
from kida_core.nodes import TemplateNode
from kida_core.plugins import get_plugin
from kida_core.protocols import BytecodeCacheProtocol

NAME = "pages/index.html"
SOURCE_HASH = hash_source("<h1>{{ title }}</h1>")
PRECOMPUTED = ["<b>static</b>", 42]
GROUP = "kida.bytecode_caches"


def test_version_matches_distribution_metadata() -> None:
    assert kida_cache.__version__ == metadata.version("kida-cache")


def test_depends_only_on_core() -> None:
    assert metadata.requires("kida-cache") == ["kida-core<0.2,>=0.1"]


def test_filesystem_cache_resolves_by_name() -> None:
    assert get_plugin(GROUP, "filesystem") is BytecodeCache


def test_third_party_sqlite_cache_resolves_by_name() -> None:
    assert get_plugin(GROUP, "sqlite") is SqliteBytecodeCache


def test_kida_shim_reexports_the_cache() -> None:
    assert kida.bytecode_cache.BytecodeCache is BytecodeCache
    assert kida.bytecode_cache.hash_source is hash_source


@pytest.mark.parametrize("cls", [BytecodeCache, SqliteBytecodeCache])
def test_caches_satisfy_the_protocol(cls: type, tmp_path: Path) -> None:
    assert isinstance(cls(tmp_path / "cache"), BytecodeCacheProtocol)


def test_sqlite_round_trip(code: CodeType, tree: TemplateNode) -> None:
    cache = SqliteBytecodeCache()

    cache.set(NAME, SOURCE_HASH, code, ast=tree, precomputed=PRECOMPUTED)

    assert cache.get(NAME, SOURCE_HASH) == (code, tree, PRECOMPUTED)
    assert cache.get(NAME, SOURCE_HASH, context_hash="ctx") == (None, None, None)


def test_sqlite_file_is_shared_between_instances(tmp_path: Path, code: CodeType) -> None:
    SqliteBytecodeCache(tmp_path / "kida.db").set(NAME, SOURCE_HASH, code, context_hash="ctx")

    reopened = SqliteBytecodeCache(tmp_path / "kida.db")
    assert reopened.get(NAME, SOURCE_HASH, context_hash="ctx") == (code, None, None)


def test_sqlite_corrupt_row_is_a_miss_and_is_replaced(tmp_path: Path, code: CodeType) -> None:
    path = tmp_path / "kida.db"
    cache = SqliteBytecodeCache(path)
    cache.set(NAME, SOURCE_HASH, code, precomputed=PRECOMPUTED)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE kida_bytecode_v2 SET code = ?", (marshal.dumps(code)[:-5],))

    assert cache.get(NAME, SOURCE_HASH) == (None, None, None)
    assert cache.stats()["file_count"] == 0
    cache.set(NAME, SOURCE_HASH, code, precomputed=PRECOMPUTED)
    assert cache.get(NAME, SOURCE_HASH) == (code, None, PRECOMPUTED)


@pytest.mark.parametrize("column", ["code", "precomputed", "ast"])
def test_sqlite_flipped_bit_is_a_miss_before_unmarshalling(
    tmp_path: Path,
    code: CodeType,
    tree: TemplateNode,
    column: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "kida.db"
    cache = SqliteBytecodeCache(path)
    cache.set(NAME, SOURCE_HASH, code, ast=tree, precomputed=PRECOMPUTED)
    with sqlite3.connect(path) as db:
        (blob,) = db.execute(f"SELECT {column} FROM kida_bytecode_v2").fetchone()
        damaged = bytearray(blob)
        damaged[len(damaged) // 2] ^= 0x04
        db.execute(f"UPDATE kida_bytecode_v2 SET {column} = ?", (bytes(damaged),))

    def refuse(data: bytes) -> object:
        raise AssertionError("unverified bytes reached marshal or pickle")

    with monkeypatch.context() as patched:
        patched.setattr(marshal, "loads", refuse)
        patched.setattr(pickle, "loads", refuse)
        assert cache.get(NAME, SOURCE_HASH) == (None, None, None)
    assert cache.stats()["file_count"] == 0


class _FailsToUnpickle:
    """Pickles fine; unpickling calls ``int("not a number")``, which raises."""

    def __reduce__(self) -> tuple[type[int], tuple[str]]:
        return int, ("not a number",)


def test_sqlite_unpicklable_ast_is_a_hit_without_ast(tmp_path: Path, code: CodeType) -> None:
    cache = SqliteBytecodeCache(tmp_path / "kida.db")
    cache.set(NAME, SOURCE_HASH, code, ast=_FailsToUnpickle())

    assert cache.get(NAME, SOURCE_HASH) == (code, None, None)


def test_sqlite_maintenance(code: CodeType) -> None:
    cache = SqliteBytecodeCache()
    cache.set("a.html", SOURCE_HASH, code)
    cache.set("b.html", SOURCE_HASH, code, precomputed=PRECOMPUTED)

    assert cache.stats()["file_count"] == 2
    assert cache.stats()["total_bytes"] > 2 * len(marshal.dumps(code))
    assert cache.cleanup(max_age_days=1) == 0
    assert cache.clear(current_version_only=True) == 2
    assert cache.stats() == {"file_count": 0, "total_bytes": 0}
