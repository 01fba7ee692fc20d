"""Structural block hashes: equal for equal source structure, stable across runs.

The hash is the SHA-256 hex digest of a canonical text form of the block's
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


def canonical(value: object) -> str:
    """A deterministic text form of an AST value, ignoring source positions."""
    if isinstance(value, n.Node):
        return _node_text(value, _POSITION)
    if isinstance(value, tuple):
        return "(" + ",".join(canonical(item) for item in value) + ")"
    return repr(value)


def block_hash(node: n.Block | n.Region) -> str:
    """The structural hash of a block, fragment or region definition."""
    text = _node_text(node, _POSITION | {"name"})
    return hashlib.sha256(text.encode()).hexdigest()


def _node_text(node: n.Node, skip: frozenset[str]) -> str:
    fields = ",".join(
        f"{name}={canonical(getattr(node, name))}"
        for name in node.__dataclass_fields__
        if name not in skip
    )
    return f"{type(node).__name__}({fields})"
