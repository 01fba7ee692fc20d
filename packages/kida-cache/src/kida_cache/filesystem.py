"""The file-system bytecode cache.

Security: cache files are trusted state. They are loaded with ``marshal`` and
``pickle``; their checksums catch damage, not tampering, so whoever can write
to the cache directory can run code in every process that renders templates.
Never point the cache at a directory other users can write to; the sandbox
does not protect against it.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import threading
import time
import warnings
from pathlib import Path
from types import CodeType
from typing import Any

import kida_cache.record as record
import kida_core
from kida_core.codegen import CODEGEN_VERSION
from kida_core.keys import hash_source
from kida_core.protocols import CacheEntry

__all__ = ["ABI", "BytecodeCache", "hash_source"]


PYTHON_TAG = f"py{sys.version_info.major}{sys.version_info.minor}"
ABI = f"{PYTHON_TAG}_kida{kida_core.__version__.replace('.', '_')}_cg{CODEGEN_VERSION}"
"""The ``{version}`` of file names: Python, kida-core and generated-code versions."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_MAX_NAME = 64
_TEMP_PREFIX = ".kida-tmp-"
_MISS: CacheEntry = (None, None, None)
# Never block on a FIFO and never follow a symlink planted at an entry's path
# (flags a platform lacks are 0; O_BINARY keeps Windows from translating bytes).
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
)


def _safe_name(name: str) -> str:
    """``name`` usable in a file name; long names are cut and tagged with their hash."""
    safe = _UNSAFE.sub("_", name)
    if safe != name:  # "a/b.html" and "a_b.html" must not share a file
        safe = f"{safe[: _MAX_NAME - 9]}-{hash_source(name)[:8]}"
    if len(safe) <= _MAX_NAME:
        return safe
    return f"{safe[: _MAX_NAME - 9]}-{hash_source(name)[:8]}"


def _encode(name: str, code: CodeType, ast: Any, precomputed: list[Any] | None) -> bytes | None:
    """The record to store (without the AST if that cannot be pickled), or ``None``."""
    for tree in (ast, None) if ast is not None else (None,):
        try:
            return record.encode(code, tree, precomputed)
        except Exception as exc:
            _debug("cannot serialize %s (AST included: %s): %r", name, tree is not None, exc)
    return None


class BytecodeCache:
    """Compiled templates stored as files in one directory.

    Each entry is one file named ``pattern.format(version=ABI, name=..., hash=...)``
    holding a framed record (see :mod:`kida_cache.record`). Writes go through a
    temporary file in the same directory and ``os.replace``, so any number of
    processes can share the directory. A changed source changes the file name;
    the old file is an orphan removed by :meth:`cleanup`.

    The cache is best-effort: :meth:`get` and :meth:`set` never raise. Every
    record carries a checksum verified before anything is unmarshalled; a file
    that fails it, or is not a regular file (a FIFO, a symlink, a directory),
    is a miss (logged at DEBUG on the ``kida.bytecode_cache`` logger,
    the name the original engine uses) and is deleted so
    the next :meth:`set` rewrites it. If the directory cannot be created or
    written, one ``UserWarning`` is emitted and :meth:`set` does nothing from
    then on.

    Files are trusted state (``marshal``/``pickle``; the checksum detects
    damage, not tampering): never use a directory other users can write to.
    """

    def __init__(
        self, directory: Path | str, pattern: str = "__kida_{version}_{name}_{hash}.pyc"
    ) -> None:
        missing = [f for f in ("version", "name", "hash") if f"{{{f}}}" not in pattern]
        if missing:
            raise ValueError(f"cache file pattern {pattern!r} lacks {', '.join(missing)}")
        try:
            pattern.format(version="", name="", hash="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"invalid cache file pattern {pattern!r}: {exc!r}") from None
        self._directory = Path(directory)
        self._pattern = pattern
        self._lock = threading.Lock()
        self._disabled = False
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _debug("cannot create bytecode cache directory %s: %r", self._directory, exc)

    @property
    def directory(self) -> Path:
        """The directory holding the cache files."""
        return self._directory

    def __repr__(self) -> str:
        return f"BytecodeCache({str(self._directory)!r}, pattern={self._pattern!r})"

    def get(self, name: str, source_hash: str, *, context_hash: str | None = None) -> CacheEntry:
        """Return ``(code, ast, precomputed)`` on a hit, ``(None, None, None)`` otherwise.

        ``ast`` is ``None`` when the entry has none or it cannot be unpickled;
        ``precomputed`` is ``None`` when the template has no precomputed values.
        """
        path = self._path(name, source_hash, context_hash)
        try:
            data = _read_regular_file(path)
        except FileNotFoundError:
            return _MISS
        except (OSError, record.RecordError) as exc:
            self._discard(path, f"unreadable: {exc!r}")
            return _MISS
        try:
            entry = record.decode(data)
        except record.RecordError as exc:
            self._discard(path, str(exc))
            return _MISS
        try:
            ast = entry.load_ast()
        except record.RecordError as exc:
            self._discard(path, f"{exc} (code still used)")
            ast = None
        _touch(path)  # in use: keep it out of cleanup()
        return entry.code, ast, entry.precomputed

    def set(
        self,
        name: str,
        source_hash: str,
        code: CodeType,
        *,
        context_hash: str | None = None,
        ast: Any = None,
        precomputed: list[Any] | None = None,
    ) -> None:
        """Store a compiled template, atomically replacing any previous entry.

        An AST that cannot be pickled is left out; any other failure only
        skips caching this template.
        """
        if self._disabled:
            return
        data = _encode(name, code, ast, precomputed)
        if data is None:
            return
        path = self._path(name, source_hash, context_hash)
        try:
            import tempfile  # deferred: writing is the rare path

            fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=self._directory)
        except OSError as exc:
            self._disable(exc)
            return
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
            os.replace(temp, path)
        except OSError as exc:
            _debug("cannot write bytecode cache file %s: %r", path, exc)
            with contextlib.suppress(OSError):
                os.unlink(temp)

    def clear(self, current_version_only: bool = False) -> int:
        """Delete cache files (only the running Python version's if asked); return the count."""
        version = f"{PYTHON_TAG}_*" if current_version_only else "*"
        return sum(self._remove(path) for path, _ in self._entries(self._glob(version)))

    def cleanup(self, max_age_days: int = 30) -> int:
        """Delete cache files (and stray temporary files) not modified for ``max_age_days``.

        Returns the number of files removed.
        """
        cutoff = time.time() - max_age_days * 86400
        patterns = (self._glob("*"), f"{_TEMP_PREFIX}*")
        return sum(
            self._remove(path) for path, info in self._entries(*patterns) if info.st_mtime < cutoff
        )

    def stats(self) -> dict[str, int]:
        """Return ``{"file_count": n, "total_bytes": b}`` over the cache files."""
        sizes = [
            info.st_size for _, info in self._entries(self._glob("*")) if stat.S_ISREG(info.st_mode)
        ]
        return {"file_count": len(sizes), "total_bytes": sum(sizes)}

    def _path(self, name: str, source_hash: str, context_hash: str | None) -> Path:
        key = source_hash[:16] if not context_hash else f"{source_hash[:16]}_{context_hash[:16]}"
        filename = self._pattern.format(
            version=ABI, name=_safe_name(name), hash=_UNSAFE.sub("_", key)
        )
        return self._directory / filename

    def _glob(self, version: str) -> str:
        """Shell pattern of the cache file names whose ``{version}`` matches ``version``."""
        import glob  # deferred: only maintenance needs it

        return glob.escape(self._pattern).format(version=version, name="*", hash="*")

    def _entries(self, *patterns: str) -> list[tuple[Path, os.stat_result]]:
        """Directory entries matching any of ``patterns``, with their ``lstat``.

        Symlinks are reported as themselves (never followed out of the
        directory) and sub-directories are left alone.
        """
        import fnmatch  # deferred: only maintenance needs it

        found = []
        try:
            with os.scandir(self._directory) as scan:
                for item in scan:
                    if not any(fnmatch.fnmatchcase(item.name, p) for p in patterns):
                        continue
                    try:
                        info = item.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if not stat.S_ISDIR(info.st_mode):
                        found.append((Path(item.path), info))
        except OSError:
            return []
        return found

    def _remove(self, path: Path) -> int:
        """Delete ``path``; return 1 if this call removed it, else 0."""
        try:
            path.unlink()
        except FileNotFoundError:
            return 0
        except OSError as exc:
            _debug("cannot remove bytecode cache file %s: %r", path, exc)
            return 0
        return 1

    def _discard(self, path: Path, reason: str) -> None:
        """Log a bad cache file and delete it (an empty directory in its place too)."""
        _debug("bad bytecode cache file %s: %s", path, reason)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            try:
                path.rmdir()
            except OSError as exc:
                _debug("cannot remove bytecode cache file %s: %r", path, exc)

    def _disable(self, exc: OSError) -> None:
        """Turn :meth:`set` into a no-op, warning once."""
        with self._lock:
            if self._disabled:
                return
            self._disabled = True
        warnings.warn(
            f"Kida bytecode cache directory {str(self._directory)!r} is not writable ({exc}); "
            "templates will be compiled without caching.",
            UserWarning,
            stacklevel=3,
        )


def _read_regular_file(path: Path) -> bytes:
    """The contents of the regular file at ``path``, read up to its size at open time.

    Raises ``OSError`` when it cannot be opened (``FileNotFoundError`` when
    absent, e.g. ``ELOOP`` for a symlink) and :class:`record.RecordError` when
    it is not a regular file. A file shorter than announced yields fewer
    bytes, which the record checksum rejects.
    """
    fd = os.open(path, _READ_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise record.RecordError(f"not a regular file ({stat.filemode(info.st_mode)})")
        chunks = []
        remaining = info.st_size
        while remaining > 0:
            chunk = os.read(fd, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _touch(path: Path) -> None:
    """Set ``path``'s modification time to now, without following a symlink."""
    with contextlib.suppress(OSError):
        if os.utime in os.supports_follow_symlinks:
            os.utime(path, follow_symlinks=False)
        else:
            os.utime(path)


def _debug(message: str, *args: object) -> None:
    """Log at DEBUG on ``kida.bytecode_cache`` (``logging`` is imported only when used)."""
    import logging

    logging.getLogger("kida.bytecode_cache").debug(message, *args)
