"""Every kind of bad cache file is a logged miss, is removed, and is overwritten by the next set."""

from __future__ import annotations

import logging
import marshal
import pickle
import struct
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

from kida_cache import BytecodeCache, hash_source
from kida_cache.record import MAGIC_V2, MAGIC_V3
from kida_core.nodes import TemplateNode

NAME = "pages/index.html"
SOURCE_HASH = hash_source("<h1>{{ title }}</h1>")
PRECOMPUTED: list[Any] = ["<b>static</b>", 42]
MISS = (None, None, None)


def u32(n: int) -> bytes:
    return struct.pack("<I", n)


def v2(code_data: bytes) -> bytes:
    return MAGIC_V2 + u32(len(code_data)) + code_data


def v3(code: CodeType, pc_data: bytes, pc_len: int | None = None) -> bytes:
    code_data = marshal.dumps(code)
    declared = len(pc_data) if pc_len is None else pc_len
    return MAGIC_V3 + u32(len(code_data)) + code_data + u32(declared) + pc_data


def other_python_marshal(code: CodeType) -> bytes:
    """A code object laid out as Python 3.10 did: an extra ``co_nlocals`` field in the header."""
    data = marshal.dumps(code)
    return data[:13] + u32(2) + data[13:]


@pytest.fixture
def entry(cache: BytecodeCache, code: CodeType) -> Path:
    """The file of a valid entry for ``(NAME, SOURCE_HASH)``, ready to be damaged."""
    cache.set(NAME, SOURCE_HASH, code)
    (path,) = cache.directory.glob("__kida_*")
    return path


@pytest.fixture
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="kida_cache")
    return caplog


def assert_bad_file_handled(
    cache: BytecodeCache, entry: Path, code: CodeType, debug_log: pytest.LogCaptureFixture
) -> None:
    assert cache.get(NAME, SOURCE_HASH) == MISS
    assert any(
        record.name == "kida_cache"
        and record.levelno == logging.DEBUG
        and str(entry) in record.message
        for record in debug_log.records
    )
    assert not entry.exists()
    cache.set(NAME, SOURCE_HASH, code, precomputed=PRECOMPUTED)
    assert cache.get(NAME, SOURCE_HASH) == (code, None, PRECOMPUTED)


BAD_FILES: dict[str, Callable[[CodeType], bytes]] = {
    "zero-length": lambda code: b"",
    "garbage": lambda code: b"\x9f\x13 not a cache record \x00\xff" * 8,
    "wrong-magic": lambda code: b"\x07KDA" + v2(marshal.dumps(code))[4:],
    "truncated-legacy-code": lambda code: marshal.dumps(code)[:-7],
    "truncated-framed-code": lambda code: v2(marshal.dumps(code))[:-7],
    "truncated-header": lambda code: MAGIC_V3 + b"\x01",
    "code-length-beyond-eof": lambda code: MAGIC_V2 + u32(10**6) + marshal.dumps(code),
    "not-a-code-object": lambda code: v2(marshal.dumps({"code": 1})),
    "other-python-marshal": other_python_marshal,
    "other-python-marshal-framed": lambda code: v2(other_python_marshal(code)),
    "truncated-precomputed": lambda code: v3(code, pickle.dumps(PRECOMPUTED)[:-3]),
    "precomputed-length-beyond-eof": lambda code: v3(code, pickle.dumps(PRECOMPUTED), 10**6),
    "unpicklable-precomputed": lambda code: v3(code, b"\x80\x05garbage that is not a pickle"),
    "precomputed-not-a-list": lambda code: v3(code, pickle.dumps({"a": 1})),
}


def test_other_python_marshal_is_rejected_by_marshal(code: CodeType) -> None:
    with pytest.raises((ValueError, EOFError, TypeError)):
        marshal.loads(other_python_marshal(code))


@pytest.mark.parametrize("make_bad", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_is_a_logged_miss_and_is_overwritten(
    cache: BytecodeCache,
    entry: Path,
    code: CodeType,
    debug_log: pytest.LogCaptureFixture,
    make_bad: Callable[[CodeType], bytes],
) -> None:
    entry.write_bytes(make_bad(code))

    assert_bad_file_handled(cache, entry, code, debug_log)


def test_unreadable_entry_is_a_logged_miss_and_is_overwritten(
    cache: BytecodeCache, entry: Path, code: CodeType, debug_log: pytest.LogCaptureFixture
) -> None:
    # A directory in place of the file: unreadable even for root, unlike chmod 000.
    entry.unlink()
    entry.mkdir()

    assert_bad_file_handled(cache, entry, code, debug_log)


def test_unpicklable_ast_is_a_hit_without_ast(
    cache: BytecodeCache, entry: Path, code: CodeType, debug_log: pytest.LogCaptureFixture
) -> None:
    entry.write_bytes(v3(code, pickle.dumps(PRECOMPUTED)) + b"\x80\x05broken ast pickle")

    assert cache.get(NAME, SOURCE_HASH) == (code, None, PRECOMPUTED)
    assert any(str(entry) in record.message for record in debug_log.records)
    assert not entry.exists()  # the next compile rewrites it whole


def test_unpicklable_ast_file_is_replaced_by_next_set(
    cache: BytecodeCache, entry: Path, code: CodeType, tree: TemplateNode
) -> None:
    entry.write_bytes(v2(marshal.dumps(code)) + b"\x80\x05broken ast pickle")
    cache.get(NAME, SOURCE_HASH)

    cache.set(NAME, SOURCE_HASH, code, ast=tree)

    assert cache.get(NAME, SOURCE_HASH) == (code, tree, None)


def test_ast_section_returns_whatever_the_environment_stored(
    cache: BytecodeCache, entry: Path, code: CodeType
) -> None:
    """The cache is opaque to the AST: the Environment stores a lazy TreeBlob there."""
    entry.write_bytes(v2(marshal.dumps(code)) + pickle.dumps(["opaque", "tree"]))

    assert cache.get(NAME, SOURCE_HASH) == (code, ["opaque", "tree"], None)
