"""A third-party Kida bytecode cache: compiled templates in one SQLite table.

Registered as ``sqlite`` in the ``kida.bytecode_caches`` entry-point group, so
``Environment(bytecode_cache="sqlite:/path/to/cache.db")`` selects it without
any change to Kida. Every row carries a SHA-256 of its blobs, checked before
``marshal``/``pickle`` see them, so a damaged row is a miss, not a crash.
Rows are still trusted state (the digest detects damage, not tampering): keep
the database where only the application's user can write.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import pickle
import sqlite3
import struct
import sys
import threading
import time
from types import CodeType
from typing import Any

import kida_core
from kida_core.compiler import CODEGEN_VERSION
from kida_core.protocols import CacheEntry

__all__ = ["SqliteBytecodeCache"]

_log = logging.getLogger("kida_cache_sqlite")

_PYTHON_TAG = f"py{sys.version_info.major}{sys.version_info.minor}"
_ABI = f"{_PYTHON_TAG}_kida{kida_core.__version__}_cg{CODEGEN_VERSION}"

# The table of the layout before digests (``kida_bytecode``) is left alone and unused:
# its rows cannot be verified.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS kida_bytecode_v2 (
    abi TEXT NOT NULL,
    name TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    context_hash TEXT NOT NULL,
    code BLOB NOT NULL,
    precomputed BLOB,
    ast BLOB,
    digest BLOB NOT NULL,
    mtime REAL NOT NULL,
    PRIMARY KEY (abi, name, source_hash, context_hash)
)
"""
_KEY = "abi = ? AND name = ? AND source_hash = ? AND context_hash = ?"


class SqliteBytecodeCache:
    """Bytecode cache in a SQLite database (``":memory:"`` or a file path).

    Satisfies ``kida_core.protocols.BytecodeCacheProtocol``. One connection is
    shared by all threads behind a lock. :meth:`get` and :meth:`set` never
    raise: database errors and corrupt rows (a digest mismatch included) are
    misses, and corrupt rows are deleted; an AST that cannot be unpickled is
    returned as ``None``.
    """

    def __init__(self, path: str | os.PathLike[str] = ":memory:") -> None:
        self._path = os.fspath(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None)
        self._db.execute(_SCHEMA)

    def __repr__(self) -> str:
        return f"SqliteBytecodeCache({self._path!r})"

    def get(self, name: str, source_hash: str, *, context_hash: str | None = None) -> CacheEntry:
        """Return ``(code, ast, precomputed)`` on a hit, ``(None, None, None)`` otherwise."""
        key = (_ABI, name, source_hash, context_hash or "")
        try:
            with self._lock:
                row = self._db.execute(
                    f"SELECT code, precomputed, ast, digest FROM kida_bytecode_v2 WHERE {_KEY}",
                    key,
                ).fetchone()
        except sqlite3.Error as exc:
            _log.debug("cannot read %s: %r", name, exc)
            return None, None, None
        if row is None:
            return None, None, None
        code_data, pc_data, ast_data, digest = row
        if _digest(code_data, pc_data, ast_data) != digest:  # before marshal sees a byte
            self._delete(key, "digest mismatch")
            return None, None, None
        try:
            code = marshal.loads(code_data)
            precomputed = None if pc_data is None else pickle.loads(pc_data)
            if not isinstance(code, CodeType) or not isinstance(precomputed, list | None):
                raise TypeError("unexpected types in row")
        except Exception as exc:
            self._delete(key, f"corrupt row: {exc!r}")
            return None, None, None
        ast = None
        if ast_data is not None:
            try:
                ast = pickle.loads(ast_data)  # opaque: whatever the Environment stored
            except Exception as exc:
                self._delete(key, f"unusable AST (code still used): {exc!r}")
                ast = None
        return code, ast, precomputed

    def set(
        self,
        name: str,
        source_hash: str,
        code: CodeType,
        *,
        context_hash: str | None = None,
        ast: object | None = None,
        precomputed: list[Any] | None = None,
    ) -> None:
        """Store a compiled template, replacing any previous row for the same key."""
        try:
            code_data = marshal.dumps(code)
            pc_data = pickle.dumps(list(precomputed)) if precomputed else None
            ast_data = None if ast is None else pickle.dumps(ast)
            row = (
                _ABI,
                name,
                source_hash,
                context_hash or "",
                code_data,
                pc_data,
                ast_data,
                _digest(code_data, pc_data, ast_data),
                time.time(),
            )
            with self._lock:
                self._db.execute(
                    "INSERT OR REPLACE INTO kida_bytecode_v2 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
        except Exception as exc:
            _log.debug("cannot cache %s: %r", name, exc)

    def clear(self, current_version_only: bool = False) -> int:
        """Delete all rows (or only the running Python version's); return the count."""
        where = ("abi GLOB ?", (f"{_PYTHON_TAG}_*",)) if current_version_only else ("1", ())
        return self._delete_where(*where)

    def cleanup(self, max_age_days: int = 30) -> int:
        """Delete rows not written for ``max_age_days``; return the count."""
        return self._delete_where("mtime < ?", (time.time() - max_age_days * 86400,))

    def stats(self) -> dict[str, int]:
        """Return ``{"file_count": rows, "total_bytes": stored blob bytes}``."""
        with self._lock:
            count, total = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(length(code) + COALESCE(length(precomputed), 0)"
                " + COALESCE(length(ast), 0)), 0) FROM kida_bytecode_v2"
            ).fetchone()
        return {"file_count": count, "total_bytes": total}

    def _delete(self, key: tuple[str, str, str, str], reason: str) -> None:
        _log.debug("bad cache row for %s: %s", key[1], reason)
        self._delete_where(_KEY, key)

    def _delete_where(self, where: str, params: tuple[Any, ...]) -> int:
        try:
            with self._lock:
                return self._db.execute(
                    f"DELETE FROM kida_bytecode_v2 WHERE {where}", params
                ).rowcount
        except sqlite3.Error as exc:
            _log.debug("cannot delete cache rows: %r", exc)
            return 0


def _digest(code: bytes, precomputed: bytes | None, ast: bytes | None) -> bytes:
    """SHA-256 over the blobs, each length-prefixed (a NULL is marked as such)."""
    digest = hashlib.sha256()
    for blob in (code, precomputed, ast):
        if blob is None:
            digest.update(b"\x00")
        else:
            digest.update(b"\x01" + struct.pack("<Q", len(blob)))
            digest.update(blob)
    return digest.digest()
