"""A Kida AST kept pickled until it is needed.

The Environment hands the bytecode cache a :class:`TreeBlob` instead of the
AST itself. Loading a cached template then unpickles only bytes; the node
classes are imported and the tree rebuilt the first time introspection asks
for it, so a warm-cache start pays nothing for the AST.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kida_core.nodes import TemplateNode


class TreeBlob:
    """A pickled ``TemplateNode`` that unpickles on first :meth:`load`."""

    __slots__ = ("_data", "_tree")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._tree: TemplateNode | None = None

    @classmethod
    def of(cls, tree: TemplateNode) -> TreeBlob:
        """Wrap ``tree`` (pickled now, so the blob is immutable)."""
        blob = cls(pickle.dumps(tree, pickle.HIGHEST_PROTOCOL))
        blob._tree = tree
        return blob

    def load(self) -> TemplateNode:
        """The tree (unpickled once; concurrent first calls build equal trees)."""
        if self._tree is None:
            self._tree = pickle.loads(self._data)
        return self._tree

    def __reduce__(self) -> tuple[type[TreeBlob], tuple[bytes]]:
        return TreeBlob, (self._data,)

    def __repr__(self) -> str:
        return f"<TreeBlob {len(self._data)} bytes>"
