"""Every kind of bad cache file is a logged miss, is removed, and is overwritten by the next set."""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import pickle
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

import pytest

from kida_cache import BytecodeCache, hash_source
from kida_cache.record import MAGIC, decode, frame
from kida_core.nodes import TemplateNode

NAME = "pages/index.html"
SOURCE_HASH = hash_source("<h1>{{ title }}</h1>")
PRECOMPUTED: list[Any] = ["<b>static</b>", 42]
MISS = (None, None, None)


def u32(n: int) -> bytes:
    return struct.pack("<I", n)


def checksummed(body: bytes) -> bytes:
    """A record whose checksum matches ``body``, whatever the body holds."""
    return MAGIC + hashlib.sha256(body).digest() + body


def valid(code: CodeType) -> bytes:
    return frame(marshal.dumps(code), pickle.dumps(PRECOMPUTED), b"")


def flip(data: bytes, offset: int) -> bytes:
    damaged = bytearray(data)
    damaged[offset] ^= 0x10
    return bytes(damaged)


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
    caplog.set_level(logging.DEBUG, logger="kida.bytecode_cache")
    return caplog


def assert_bad_file_handled(
    cache: BytecodeCache, entry: Path, code: CodeType, debug_log: pytest.LogCaptureFixture
) -> None:
    assert cache.get(NAME, SOURCE_HASH) == MISS
    assert any(
        record.name == "kida.bytecode_cache"
        and record.levelno == logging.DEBUG
        and str(entry) in record.message
        for record in debug_log.records
    )
    assert not os.path.lexists(entry)
    cache.set(NAME, SOURCE_HASH, code, precomputed=PRECOMPUTED)
    assert cache.get(NAME, SOURCE_HASH) == (code, None, PRECOMPUTED)
    decode(entry.read_bytes())


#: Damage the checksum catches: marshal and pickle never see these bytes.
DAMAGED: dict[str, Callable[[CodeType], bytes]] = {
    "zero-length": lambda code: b"",
    "garbage": lambda code: b"\x9f\x13 not a cache record \x00\xff" * 8,
    "unknown-version": lambda code: b"\x07KDA" + valid(code)[4:],
    "magic-only": lambda code: MAGIC,
    "truncated-digest": lambda code: valid(code)[:20],
    "truncated-body": lambda code: valid(code)[:-7],
    "trailing-garbage": lambda code: valid(code) + b"\x00garbage",
    "flipped-digest-bit": lambda code: flip(valid(code), 10),
    "flipped-code-bit": lambda code: flip(valid(code), 60),
    "flipped-precomputed-bit": lambda code: flip(valid(code), -3),
    "zeroed-body": lambda code: valid(code)[:36] + bytes(len(valid(code)) - 36),
}

#: Formats written before checksums: they cannot be verified, so they are never loaded.
UNVERIFIABLE: dict[str, Callable[[CodeType], bytes]] = {
    "legacy-raw-marshal": lambda code: marshal.dumps(code),
    "v2": lambda code: b"\x00KDA" + u32(len(marshal.dumps(code))) + marshal.dumps(code),
    "v3": lambda code: (
        b"\x01KDA"
        + u32(len(marshal.dumps(code)))
        + marshal.dumps(code)
        + u32(len(pickle.dumps(PRECOMPUTED)))
        + pickle.dumps(PRECOMPUTED)
    ),
    "v4": lambda code: (
        b"\x02KDA" + u32(len(marshal.dumps(code))) + marshal.dumps(code) + u32(0) + u32(2) + b"[]"
    ),
}

#: Checksums that match but contents that do not (what a faulty writer could produce).
MALFORMED: dict[str, Callable[[CodeType], bytes]] = {
    "empty-body": lambda code: checksummed(b""),
    "truncated-code-length": lambda code: checksummed(b"\x01"),
    "code-length-beyond-body": lambda code: checksummed(u32(10**6) + marshal.dumps(code)),
    "garbage-code": lambda code: frame(b"\xe3 not marshal data", b"", b""),
    "not-a-code-object": lambda code: frame(marshal.dumps({"code": 1}), b"", b""),
    "other-python-marshal": lambda code: frame(other_python_marshal(code), b"", b""),
    "missing-precomputed-length": lambda code: checksummed(
        u32(len(marshal.dumps(code))) + marshal.dumps(code)
    ),
    "precomputed-length-beyond-body": lambda code: checksummed(
        u32(len(marshal.dumps(code))) + marshal.dumps(code) + u32(10**6) + b"\x80"
    ),
    "truncated-precomputed": lambda code: frame(
        marshal.dumps(code), pickle.dumps(PRECOMPUTED)[:-3], b""
    ),
    "unpicklable-precomputed": lambda code: frame(
        marshal.dumps(code), b"\x80\x05garbage that is not a pickle", b""
    ),
    "precomputed-not-a-list": lambda code: frame(marshal.dumps(code), pickle.dumps({"a": 1}), b""),
}

BAD_FILES = {**DAMAGED, **UNVERIFIABLE, **MALFORMED}


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


@pytest.mark.parametrize("make_bad", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_record_is_rejected_before_unmarshalling(
    code: CodeType, make_bad: Callable[[CodeType], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(data: bytes) -> Any:
        raise AssertionError("unverified bytes reached marshal")

    monkeypatch.setattr(marshal, "loads", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)

    with pytest.raises(ValueError, match=r"checksum|truncated|not a checksummed"):
        decode(make_bad(code))


@pytest.mark.parametrize("make_old", UNVERIFIABLE.values(), ids=UNVERIFIABLE.keys())
def test_unverifiable_old_format_is_rewritten_in_the_current_one(
    cache: BytecodeCache, entry: Path, code: CodeType, make_old: Callable[[CodeType], bytes]
) -> None:
    entry.write_bytes(make_old(code))

    assert cache.get(NAME, SOURCE_HASH) == MISS
    cache.set(NAME, SOURCE_HASH, code)

    assert entry.read_bytes().startswith(MAGIC)
    assert cache.get(NAME, SOURCE_HASH) == (code, None, None)


def test_directory_at_entry_path_is_a_logged_miss_and_is_overwritten(
    cache: BytecodeCache, entry: Path, code: CodeType, debug_log: pytest.LogCaptureFixture
) -> None:
    # Unreadable even for root, unlike chmod 000.
    entry.unlink()
    entry.mkdir()

    assert_bad_file_handled(cache, entry, code, debug_log)


def test_symlink_at_entry_path_is_not_followed(
    cache: BytecodeCache,
    entry: Path,
    code: CodeType,
    tmp_path: Path,
    debug_log: pytest.LogCaptureFixture,
) -> None:
    outside = tmp_path / "outside.pyc"
    outside.write_bytes(entry.read_bytes())  # a valid record: only the symlink makes it bad
    old = 1_000_000_000
    os.utime(outside, (old, old))
    entry.unlink()
    entry.symlink_to(outside)

    assert_bad_file_handled(cache, entry, code, debug_log)

    assert not entry.is_symlink()
    assert outside.exists()  # the link was removed, not its target
    assert outside.stat().st_mtime == old  # a hit would have touched it


def test_dangling_symlink_at_entry_path_is_a_logged_miss(
    cache: BytecodeCache,
    entry: Path,
    code: CodeType,
    tmp_path: Path,
    debug_log: pytest.LogCaptureFixture,
) -> None:
    entry.unlink()
    entry.symlink_to(tmp_path / "nowhere")

    assert_bad_file_handled(cache, entry, code, debug_log)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_fifo_at_entry_path_is_a_logged_miss_and_is_overwritten(
    cache: BytecodeCache, entry: Path, code: CodeType, debug_log: pytest.LogCaptureFixture
) -> None:
    entry.unlink()
    os.mkfifo(entry)
    # Opening a FIFO that has no writer blocks unless O_NONBLOCK is asked for: read in a
    # thread, and if it hangs, open the write end so that it returns, then fail.
    results: list[object] = []
    reader = threading.Thread(target=lambda: results.append(cache.get(NAME, SOURCE_HASH)))
    reader.start()
    reader.join(timeout=30)
    if reader.is_alive():
        os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
        reader.join()
        pytest.fail("reading a FIFO at the entry path blocked")

    assert results == [MISS]
    assert_bad_file_handled(cache, entry, code, debug_log)


def test_unpicklable_ast_is_a_hit_without_ast(
    cache: BytecodeCache, entry: Path, code: CodeType, debug_log: pytest.LogCaptureFixture
) -> None:
    entry.write_bytes(
        frame(marshal.dumps(code), pickle.dumps(PRECOMPUTED), b"\x80\x05broken ast pickle")
    )

    assert cache.get(NAME, SOURCE_HASH) == (code, None, PRECOMPUTED)
    assert any(str(entry) in record.message for record in debug_log.records)
    assert not entry.exists()  # the next compile rewrites it whole


def test_unpicklable_ast_file_is_replaced_by_next_set(
    cache: BytecodeCache, entry: Path, code: CodeType, tree: TemplateNode
) -> None:
    entry.write_bytes(frame(marshal.dumps(code), b"", b"\x80\x05broken ast pickle"))
    cache.get(NAME, SOURCE_HASH)

    cache.set(NAME, SOURCE_HASH, code, ast=tree)

    assert cache.get(NAME, SOURCE_HASH) == (code, tree, None)


def test_ast_section_returns_whatever_the_environment_stored(
    cache: BytecodeCache, entry: Path, code: CodeType
) -> None:
    """The cache is opaque to the AST: the Environment stores a lazy TreeBlob there."""
    entry.write_bytes(frame(marshal.dumps(code), b"", pickle.dumps(["opaque", "tree"])))

    assert cache.get(NAME, SOURCE_HASH) == (code, ["opaque", "tree"], None)
