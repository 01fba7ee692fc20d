"""Record formats, file naming and the maintenance methods of the file-system cache."""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import struct
import sys
import time
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

import kida_core
from kida_cache import ABI, BytecodeCache, hash_source
from kida_cache.record import MAGIC
from kida_core.compiler import CODEGEN_VERSION
from kida_core.nodes import TemplateNode

NAME = "pages/index.html"
SOURCE_HASH = hash_source("<h1>{{ title }}</h1>")
PRECOMPUTED: list[Any] = ["<b>static</b>", 42, ("a", "b")]
DAY = 86400


def u32(n: int) -> bytes:
    return struct.pack("<I", n)


def entry_file(cache: BytecodeCache) -> Path:
    (path,) = cache.directory.glob("__kida_*")
    return path


def entry_size(cache: BytecodeCache, name: str) -> int:
    (path,) = cache.directory.glob(f"*_{name}_*")
    return path.stat().st_size


def render(code: CodeType) -> str:
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    result = namespace["render"]({"name": "Kida"})
    assert isinstance(result, str)
    return result


def test_hash_source_is_sha256_hex_of_utf8() -> None:
    assert hash_source("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()


def test_round_trip_code_ast_and_precomputed(
    cache: BytecodeCache, code: CodeType, tree: TemplateNode
) -> None:
    cache.set(NAME, SOURCE_HASH, code, ast=tree, precomputed=PRECOMPUTED)

    got_code, got_ast, got_pc = cache.get(NAME, SOURCE_HASH)

    assert got_code == code
    assert got_ast == tree
    assert got_pc == PRECOMPUTED
    assert got_code is not None and render(got_code) == "Hello Kida"


def test_kida_ast_nodes_pickle(tree: TemplateNode) -> None:
    assert pickle.loads(pickle.dumps(tree, pickle.HIGHEST_PROTOCOL)) == tree


def test_code_only_round_trip(cache: BytecodeCache, code: CodeType) -> None:
    cache.set(NAME, SOURCE_HASH, code)

    assert cache.get(NAME, SOURCE_HASH) == (code, None, None)


def test_unknown_entry_is_a_miss(cache: BytecodeCache) -> None:
    assert cache.get(NAME, SOURCE_HASH) == (None, None, None)


def test_set_replaces_previous_entry(cache: BytecodeCache, code: CodeType) -> None:
    cache.set(NAME, SOURCE_HASH, compile("x = 1", "<old>", "exec"))
    cache.set(NAME, SOURCE_HASH, code)

    assert cache.get(NAME, SOURCE_HASH)[0] == code


def sections(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """``(digest, code, precomputed, ast)`` of a record, split by hand."""
    assert data[:4] == MAGIC
    digest, body = data[4:36], data[36:]
    (code_len,) = struct.unpack("<I", body[:4])
    code_data, rest = body[4 : 4 + code_len], body[4 + code_len :]
    (pc_len,) = struct.unpack("<I", rest[:4])
    return digest, code_data, rest[4 : 4 + pc_len], rest[4 + pc_len :]


def test_writes_checksummed_record_with_ast(
    cache: BytecodeCache, code: CodeType, tree: TemplateNode
) -> None:
    cache.set(NAME, SOURCE_HASH, code, ast=tree, precomputed=[])

    data = entry_file(cache).read_bytes()
    digest, code_data, pc_data, ast_data = sections(data)
    assert digest == hashlib.sha256(data[36:]).digest()
    assert code_data == marshal.dumps(code)
    assert pc_data == b""
    assert pickle.loads(ast_data) == tree


def test_writes_checksummed_record_with_precomputed(cache: BytecodeCache, code: CodeType) -> None:
    cache.set(NAME, SOURCE_HASH, code, precomputed=PRECOMPUTED)

    data = entry_file(cache).read_bytes()
    digest, _, pc_data, ast_data = sections(data)
    assert digest == hashlib.sha256(data[36:]).digest()
    assert pickle.loads(pc_data) == PRECOMPUTED
    assert ast_data == b""


def test_unpicklable_ast_is_left_out_on_write(cache: BytecodeCache, code: CodeType) -> None:
    unpicklable: Any = lambda: None  # noqa: E731

    cache.set(NAME, SOURCE_HASH, code, ast=unpicklable, precomputed=PRECOMPUTED)

    assert cache.get(NAME, SOURCE_HASH) == (code, None, PRECOMPUTED)


def test_unpicklable_precomputed_is_not_cached(cache: BytecodeCache, code: CodeType) -> None:
    cache.set(NAME, SOURCE_HASH, code, precomputed=[lambda: None])

    assert cache.get(NAME, SOURCE_HASH) == (None, None, None)


def test_abi_names_python_core_and_codegen_versions() -> None:
    core = kida_core.__version__.replace(".", "_")
    python = f"py{sys.version_info.major}{sys.version_info.minor}"

    assert f"{python}_kida{core}_cg{CODEGEN_VERSION}" == ABI


def test_file_name_follows_default_pattern(cache: BytecodeCache, code: CodeType) -> None:
    cache.set("base.html", SOURCE_HASH, code)

    assert entry_file(cache).name == f"__kida_{ABI}_base.html_{SOURCE_HASH[:16]}.pyc"


def test_file_name_replaces_path_separators(cache: BytecodeCache, code: CodeType) -> None:
    cache.set("a/b:c.html", SOURCE_HASH, code)
    cache.set("x\\y z?.html", SOURCE_HASH, code)

    names = {path.name for path in cache.directory.iterdir()}
    first, second = hash_source("a/b:c.html")[:8], hash_source("x\\y z?.html")[:8]
    assert names == {
        f"__kida_{ABI}_a_b_c.html-{first}_{SOURCE_HASH[:16]}.pyc",
        f"__kida_{ABI}_x_y_z_.html-{second}_{SOURCE_HASH[:16]}.pyc",
    }


def test_names_that_differ_only_in_replaced_characters_get_distinct_files(
    cache: BytecodeCache, code: CodeType
) -> None:
    cache.set("a/b.html", SOURCE_HASH, code)
    cache.set("a_b.html", SOURCE_HASH, code)

    assert len(list(cache.directory.iterdir())) == 2


def test_long_names_are_capped_and_kept_distinct(cache: BytecodeCache, code: CodeType) -> None:
    long_a, long_b = "d/" * 100 + "a.html", "d/" * 100 + "b.html"
    other = compile("x = 2", "<other>", "exec")

    cache.set(long_a, SOURCE_HASH, code)
    cache.set(long_b, SOURCE_HASH, other)

    assert all(len(path.name) < 150 for path in cache.directory.iterdir())
    assert cache.get(long_a, SOURCE_HASH)[0] == code
    assert cache.get(long_b, SOURCE_HASH)[0] == other


def test_context_hash_extends_the_key(cache: BytecodeCache, code: CodeType) -> None:
    context_hash = hash_source("static context")

    cache.set(NAME, SOURCE_HASH, code, context_hash=context_hash)

    assert entry_file(cache).name.endswith(f"_{SOURCE_HASH[:16]}_{context_hash[:16]}.pyc")
    assert cache.get(NAME, SOURCE_HASH, context_hash=context_hash)[0] == code
    assert cache.get(NAME, SOURCE_HASH) == (None, None, None)
    assert cache.get(NAME, SOURCE_HASH, context_hash=hash_source("other")) == (None, None, None)


def test_custom_pattern(tmp_path: Path, code: CodeType) -> None:
    cache = BytecodeCache(tmp_path, pattern="{name}-{hash}-{version}.kbc")

    cache.set("page.html", SOURCE_HASH, code)

    assert [p.name for p in tmp_path.iterdir()] == [f"page.html-{SOURCE_HASH[:16]}-{ABI}.kbc"]
    assert cache.stats()["file_count"] == 1
    assert cache.clear() == 1


def test_pattern_must_name_every_field(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lacks name, hash"):
        BytecodeCache(tmp_path, pattern="{version}.pyc")


def test_pattern_must_have_no_other_fields(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid cache file pattern"):
        BytecodeCache(tmp_path, pattern="{version}_{name}_{hash}_{user}.pyc")


def test_directory_is_created(tmp_path: Path) -> None:
    cache = BytecodeCache(str(tmp_path / "a" / "b"))

    assert cache.directory == tmp_path / "a" / "b"
    assert cache.directory.is_dir()
    assert str(tmp_path / "a" / "b") in repr(cache)


def test_clear_removes_every_cache_file(cache: BytecodeCache, code: CodeType) -> None:
    cache.set("a.html", SOURCE_HASH, code)
    cache.set("b.html", SOURCE_HASH, code)
    (cache.directory / "__kida_py27_kida0_1_0_cg1_old.html_0123456789abcdef.pyc").write_bytes(b"")
    (cache.directory / "unrelated.txt").write_text("keep")

    assert cache.clear() == 3
    assert [p.name for p in cache.directory.iterdir()] == ["unrelated.txt"]


def test_clear_current_version_only_keeps_other_pythons(
    cache: BytecodeCache, code: CodeType
) -> None:
    other_python = cache.directory / "__kida_py27_kida0_1_0_cg1_old.html_0123456789abcdef.pyc"
    other_python.write_bytes(b"")
    cache.set("a.html", SOURCE_HASH, code)

    assert cache.clear(current_version_only=True) == 1
    assert [p.name for p in cache.directory.iterdir()] == [other_python.name]


def test_cleanup_removes_only_old_files(cache: BytecodeCache, code: CodeType) -> None:
    cache.set("old.html", SOURCE_HASH, code)
    cache.set("new.html", SOURCE_HASH, code)
    old = next(cache.directory.glob("*old.html*"))
    forty_days_ago = time.time() - 40 * DAY
    os.utime(old, (forty_days_ago, forty_days_ago))

    assert cache.cleanup(max_age_days=30) == 1
    assert not old.exists()
    assert cache.get("new.html", SOURCE_HASH)[0] == code


def test_cleanup_removes_stale_temporary_files(cache: BytecodeCache) -> None:
    stray = cache.directory / ".kida-tmp-crashed.tmp"
    stray.write_bytes(b"partial")
    two_days_ago = time.time() - 2 * DAY
    os.utime(stray, (two_days_ago, two_days_ago))

    assert cache.cleanup(max_age_days=1) == 1
    assert not stray.exists()


def test_stats_counts_only_cache_files(cache: BytecodeCache, code: CodeType) -> None:
    cache.set("a.html", SOURCE_HASH, code)
    cache.set("b.html", SOURCE_HASH, code, precomputed=PRECOMPUTED)
    (cache.directory / "unrelated.txt").write_text("ignored")
    (cache.directory / ".kida-tmp-inflight.tmp").write_bytes(b"ignored")

    sizes = [p.stat().st_size for p in cache.directory.glob("__kida_*")]
    assert cache.stats() == {"file_count": 2, "total_bytes": sum(sizes)}


def test_stats_of_empty_cache(cache: BytecodeCache) -> None:
    assert cache.stats() == {"file_count": 0, "total_bytes": 0}


def planted_link(cache: BytecodeCache, tmp_path: Path) -> tuple[Path, Path]:
    """A symlink named like a cache file, pointing to an old file outside the directory."""
    outside = tmp_path / "precious.pyc"
    outside.write_bytes(b"x" * 5000)
    forty_days_ago = time.time() - 40 * DAY
    os.utime(outside, (forty_days_ago, forty_days_ago))
    link = cache.directory / f"__kida_{ABI}_linked.html_0123456789abcdef.pyc"
    link.symlink_to(outside)
    return link, outside


def test_stats_does_not_follow_symlinks(
    cache: BytecodeCache, code: CodeType, tmp_path: Path
) -> None:
    cache.set("a.html", SOURCE_HASH, code)
    planted_link(cache, tmp_path)

    assert cache.stats() == {"file_count": 1, "total_bytes": entry_size(cache, "a.html")}


def test_cleanup_removes_an_old_symlink_never_its_target(
    cache: BytecodeCache, tmp_path: Path
) -> None:
    link, outside = planted_link(cache, tmp_path)
    forty_days_ago = time.time() - 40 * DAY
    os.utime(link, (forty_days_ago, forty_days_ago), follow_symlinks=False)

    assert cache.cleanup(max_age_days=30) == 1
    assert not link.is_symlink()
    assert outside.read_bytes() == b"x" * 5000


def test_cleanup_judges_a_symlink_by_its_own_age(cache: BytecodeCache, tmp_path: Path) -> None:
    link, outside = planted_link(cache, tmp_path)  # the link is new, its target old

    assert cache.cleanup(max_age_days=30) == 0
    assert link.is_symlink() and outside.exists()


def test_clear_removes_symlinks_not_targets_and_leaves_directories(
    cache: BytecodeCache, code: CodeType, tmp_path: Path
) -> None:
    cache.set("a.html", SOURCE_HASH, code)
    link, outside = planted_link(cache, tmp_path)
    subdirectory = cache.directory / f"__kida_{ABI}_dir.html_0123456789abcdef.pyc"
    subdirectory.mkdir()
    (subdirectory / "__kida_inner.pyc").write_bytes(b"keep")

    assert cache.clear() == 2

    assert not link.is_symlink()
    assert outside.exists()
    assert (subdirectory / "__kida_inner.pyc").read_bytes() == b"keep"


def make_old(path: Path) -> None:
    forty_days_ago = time.time() - 40 * DAY
    os.utime(path, (forty_days_ago, forty_days_ago))


def store_two_old_entries(cache: BytecodeCache, code: CodeType) -> None:
    """Entries for ``a.html`` and ``b.html``, both past a 30-day cleanup."""
    cache.set("a.html", SOURCE_HASH, code)
    cache.set("b.html", SOURCE_HASH, code)
    for path in cache.directory.glob("__kida_*"):
        make_old(path)


def test_cleanup_goes_on_past_an_entry_it_cannot_remove(
    cache: BytecodeCache, code: CodeType, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_two_old_entries(cache, code)
    stuck = next(cache.directory.glob("*_a.html_*"))
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self == stuck:
            raise PermissionError(13, "Permission denied", str(self))
        real_unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)

    assert cache.cleanup(max_age_days=30) == 1
    assert stuck.exists()
    assert not list(cache.directory.glob("*_b.html_*"))


class _UnreadableEntry:
    """A directory entry whose ``stat`` fails, like one removed or locked meanwhile."""

    def __init__(self, entry: os.DirEntry[str]) -> None:
        self.name = entry.name
        self.path = entry.path

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        raise PermissionError(13, "Permission denied", self.path)


def test_cleanup_goes_on_past_an_entry_it_cannot_stat(
    cache: BytecodeCache, code: CodeType, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_two_old_entries(cache, code)
    real_scandir = os.scandir

    class Scan:
        def __init__(self, path: Path) -> None:
            self._scan = real_scandir(path)

        def __enter__(self) -> list[Any]:
            with self._scan as scan:
                return [_UnreadableEntry(e) if "_a.html_" in e.name else e for e in scan]

        def __exit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(os, "scandir", Scan)

    assert cache.cleanup(max_age_days=30) == 1
    monkeypatch.undo()
    assert [p.name for p in cache.directory.glob("__kida_*")] == [
        next(cache.directory.glob("*_a.html_*")).name
    ]
