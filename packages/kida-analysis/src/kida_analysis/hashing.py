"""Structural block hashes: equal for equal source structure, stable across runs.

The hash is the first 16 hex digits of the SHA-256 digest of a canonical text form of the block's
AST -- node type names and field values, without ``lineno``/``col_offset``
and without the block's own name -- so moving a block, reindenting the
template around it or renaming it keeps the hash, while any change to its
body, condition, modifiers, parameters or kind changes it.
"""

from __future__ import annotations

import hashlib

from kida_core import nodes as n

__all__ = ["block_hash", "canonical"]

_POSITION = frozenset({"lineno", "col_offset"})

HASH_LENGTH = 16
"""Hex digits kept of the digest (as in the original engine): short, still collision-safe."""


class _Value:
    """A value still to be written by :func:`_text` (as opposed to literal text)."""

    __slots__ = ("skip", "value")

    def __init__(self, value: object, skip: frozenset[str] = _POSITION) -> None:
        self.value = value
        self.skip = skip


def canonical(value: object) -> str:
    """A deterministic text form of an AST value, ignoring source positions."""
    return _text(_Value(value))


def block_hash(node: n.Block | n.Region) -> str:
    """The structural hash of a block, fragment or region definition."""
    text = _text(_Value(node, _POSITION | {"name"}))
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_LENGTH]


def _text(start: _Value) -> str:
    """The canonical text of ``start``: ``Type(field=...,...)``, ``(item,...)`` or ``repr``.

    Written with an explicit stack rather than recursion, because long
    operator and filter chains nest deeper than Python's recursion limit.
    The stack holds literal text and :class:`_Value` items, the next to write on top.
    """
    out: list[str] = []
    pending: list[str | _Value] = [start]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        value = item.value
        if isinstance(value, n.Node):
            names = [name for name in n.field_names(type(value)) if name not in item.skip]
            parts: list[str | _Value] = [f"{type(value).__name__}("]
            for index, name in enumerate(names):
                parts += [f"{',' if index else ''}{name}=", _Value(getattr(value, name))]
            pending += reversed([*parts, ")"])
        elif isinstance(value, tuple):
            parts = ["("]
            for index, element in enumerate(value):
                parts += [",", _Value(element)] if index else [_Value(element)]
            pending += reversed([*parts, ")"])
        else:
            out.append(repr(value))
    return "".join(out)
