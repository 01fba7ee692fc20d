"""The on-disk record format of cached templates.

A record is::

    MAGIC (4 B) · SHA-256 of the body (32 B) · body
    body = code_len · marshal(code) · pc_len · pickle(precomputed) · pickle(ast)

``code_len`` and ``pc_len`` are little-endian ``uint32``; the precomputed
section is empty when ``pc_len == 0`` and the AST runs to the end of the body
(empty when there is none). The digest is checked before ``marshal`` or
``pickle`` sees a byte, so a damaged, truncated or extended record is
rejected instead of crashing the process that loads it.

Records written before checksums existed (raw ``marshal``, and the framed
``\\x00KDA``/``\\x01KDA``/``\\x02KDA`` formats) cannot be verified: they are
rejected, which the cache treats as a miss and rewrites in this format.
"""

from __future__ import annotations

import marshal
import pickle
import struct
from types import CodeType
from typing import Any, NamedTuple

__all__ = ["MAGIC", "Record", "RecordError", "decode", "encode", "frame"]

MAGIC = b"\x03KDA"
"""Leading bytes of a checksummed record; earlier versions used ``\\x00``-``\\x02``."""

_DIGEST_SIZE = 32
_HEADER_SIZE = len(MAGIC) + _DIGEST_SIZE
_UINT32 = struct.Struct("<I")


class RecordError(ValueError):
    """A record (or a section of one) that cannot be used."""


class Record(NamedTuple):
    """A decoded record; the AST stays pickled until :meth:`load_ast`."""

    code: CodeType
    precomputed: list[Any] | None
    ast_data: bytes

    def load_ast(self) -> Any:
        """Unpickle the AST (``None`` when absent); raise :class:`RecordError` if unusable."""
        if not self.ast_data:
            return None
        try:
            ast = pickle.loads(self.ast_data)
        except Exception as exc:
            raise RecordError(f"unpicklable AST: {exc!r}") from exc
        return ast


def encode(code: CodeType, ast: Any = None, precomputed: list[Any] | None = None) -> bytes:
    """Serialize a compiled template as a checksummed record."""
    code_data = marshal.dumps(code)
    pc_data = pickle.dumps(list(precomputed), pickle.HIGHEST_PROTOCOL) if precomputed else b""
    ast_data = b"" if ast is None else pickle.dumps(ast, pickle.HIGHEST_PROTOCOL)
    return frame(code_data, pc_data, ast_data)


def frame(code_data: bytes, pc_data: bytes, ast_data: bytes) -> bytes:
    """A record holding already serialized sections, with its checksum."""
    body = b"".join(
        (_UINT32.pack(len(code_data)), code_data, _UINT32.pack(len(pc_data)), pc_data, ast_data)
    )
    return b"".join((MAGIC, _digest(body), body))


def decode(data: bytes) -> Record:
    """Verify and parse a record; raise :class:`RecordError` when it is unusable.

    The precomputed values are unpickled here (code is useless without them);
    the AST is left for :meth:`Record.load_ast`.
    """
    if data[:4] != MAGIC:
        if data[1:4] == MAGIC[1:] and data[0] < MAGIC[0]:
            raise RecordError(f"record version {data[0]} has no checksum")
        raise RecordError("not a checksummed Kida record")
    if len(data) < _HEADER_SIZE:
        raise RecordError(f"truncated record: {len(data)} bytes")
    body = memoryview(data)[_HEADER_SIZE:]
    if _digest(body) != data[len(MAGIC) : _HEADER_SIZE]:
        raise RecordError("checksum mismatch")
    # Verified from here on; the bounds checks only guard against a faulty writer.
    reader = _Reader(body)
    code = _load_code(reader.section())
    pc_data = reader.section()
    precomputed = _load_precomputed(pc_data) if pc_data else None
    return Record(code, precomputed, reader.rest())


def _digest(body: bytes | memoryview) -> bytes:
    import hashlib  # already loaded by hash_source whenever a cache is in use

    return hashlib.sha256(body).digest()


def _load_code(data: memoryview) -> CodeType:
    try:
        code = marshal.loads(data)
    except Exception as exc:
        raise RecordError(f"bad marshal data: {exc!r}") from exc
    if not isinstance(code, CodeType):
        raise RecordError(f"marshal data holds {type(code).__name__}, not a code object")
    return code


def _load_precomputed(data: memoryview) -> list[Any]:
    try:
        values = pickle.loads(data)
    except Exception as exc:
        raise RecordError(f"unpicklable precomputed values: {exc!r}") from exc
    if not isinstance(values, list):
        raise RecordError(f"precomputed section holds {type(values).__name__}, not a list")
    return values


class _Reader:
    """Length-prefixed sections of a record body, checked against overruns."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: memoryview) -> None:
        self._data = data
        self._pos = 0

    def section(self) -> memoryview:
        (length,) = _UINT32.unpack(self._take(_UINT32.size))
        return self._take(length)

    def rest(self) -> bytes:
        return bytes(self._data[self._pos :])

    def _take(self, size: int) -> memoryview:
        end = self._pos + size
        if end > len(self._data):
            raise RecordError(f"truncated record: needs {end} body bytes, has {len(self._data)}")
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk
