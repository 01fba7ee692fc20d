"""The on-disk record format of cached templates.

All integers are little-endian ``uint32``.

======  ===========  ======================================================
format  magic        layout after the magic
======  ===========  ======================================================
legacy  (none)       the whole file is ``marshal.dumps(code)``
v2      ``\\x00KDA``  ``code_len`` · code · optional ``pickle(ast)`` to EOF
v3      ``\\x01KDA``  ``code_len`` · code · ``pc_len`` · ``pickle(precomputed)``
                     (absent when ``pc_len == 0``) · optional ``pickle(ast)``
v4      ``\\x02KDA``  v3 up to the precomputed values · ``warn_len`` · JSON
                     compiler warnings · optional ``pickle(ast)``
======  ===========  ======================================================

The writer emits v3 when there are precomputed values and v2 otherwise; the
reader accepts all four (the v4 warnings section is skipped). Marshalled code
starts with ``0xe3`` or ``0x63``, so the framed magics are unambiguous.
"""

from __future__ import annotations

import marshal
import pickle
import struct
from types import CodeType
from typing import Any, NamedTuple

__all__ = ["MAGIC_V2", "MAGIC_V3", "MAGIC_V4", "Record", "RecordError", "decode", "encode"]

MAGIC_V2 = b"\x00KDA"
MAGIC_V3 = b"\x01KDA"
MAGIC_V4 = b"\x02KDA"

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
    """Serialize a compiled template as a v3 record, or v2 without precomputed values."""
    code_data = marshal.dumps(code)
    ast_data = b"" if ast is None else pickle.dumps(ast, pickle.HIGHEST_PROTOCOL)
    if not precomputed:
        return b"".join((MAGIC_V2, _UINT32.pack(len(code_data)), code_data, ast_data))
    pc_data = pickle.dumps(list(precomputed), pickle.HIGHEST_PROTOCOL)
    return b"".join(
        (
            MAGIC_V3,
            _UINT32.pack(len(code_data)),
            code_data,
            _UINT32.pack(len(pc_data)),
            pc_data,
            ast_data,
        )
    )


def decode(data: bytes) -> Record:
    """Parse a record of any format; raise :class:`RecordError` when it is unusable.

    The precomputed values are unpickled here (code is useless without them);
    the AST is left for :meth:`Record.load_ast`.
    """
    if not data:
        raise RecordError("empty record")
    if data[1:4] != b"KDA":
        return Record(_load_code(data), None, b"")
    version = data[0]
    if version > MAGIC_V4[0]:
        raise RecordError(f"unknown record version {version}")
    reader = _Reader(data, 4)
    code = _load_code(reader.section())
    precomputed = None
    if version >= MAGIC_V3[0]:
        pc_data = reader.section()
        precomputed = _load_precomputed(pc_data) if pc_data else None
    if version == MAGIC_V4[0]:
        reader.section()
    return Record(code, precomputed, reader.rest())


def _load_code(data: bytes) -> CodeType:
    try:
        code = marshal.loads(data)
    except Exception as exc:
        raise RecordError(f"bad marshal data: {exc!r}") from exc
    if not isinstance(code, CodeType):
        raise RecordError(f"marshal data holds {type(code).__name__}, not a code object")
    return code


def _load_precomputed(data: bytes) -> list[Any]:
    try:
        values = pickle.loads(data)
    except Exception as exc:
        raise RecordError(f"unpicklable precomputed values: {exc!r}") from exc
    if not isinstance(values, list):
        raise RecordError(f"precomputed section holds {type(values).__name__}, not a list")
    return values


class _Reader:
    """Length-prefixed sections of a framed record, checked against truncation."""

    __slots__ = ("_data", "_pos")

    def __init__(self, data: bytes, pos: int) -> None:
        self._data = data
        self._pos = pos

    def section(self) -> bytes:
        (length,) = _UINT32.unpack(self._take(_UINT32.size))
        return self._take(length)

    def rest(self) -> bytes:
        return self._data[self._pos :]

    def _take(self, size: int) -> bytes:
        end = self._pos + size
        if end > len(self._data):
            raise RecordError(f"truncated record: needs {end} bytes, has {len(self._data)}")
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk
