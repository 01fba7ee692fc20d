"""Walking and rebuilding node trees without recursion.

Long operator and filter chains make trees deeper than Python's recursion
limit, so both classes keep an explicit stack instead of calling themselves.

* :class:`NodeVisitor` calls ``visit_<ClassName>`` (else :meth:`NodeVisitor.generic_visit`)
  on every node, parents first, in source order. A method returns what to
  walk next in place of the node's children: ``None`` for the children,
  or any sequence of nodes and callables (a callable runs when reached,
  e.g. to close a scope opened before the nodes it follows).
* :class:`NodeTransformer` rebuilds a tree bottom-up: ``transform_<ClassName>``
  (else :meth:`NodeTransformer.generic_transform`) receives a node whose
  children are already transformed (the node as it was is
  :attr:`NodeTransformer.original`), and returns its replacement; inside a
  tuple field a node may be replaced by a list of nodes (spliced in, so a
  statement can disappear or become several), and every rebuilt statement
  body then goes through :meth:`NodeTransformer.transform_body`. Binding
  targets and patterns (see :func:`kida_core.symbols.is_target_field`) are
  stores, not expressions: they are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from kida_core.nodes import Node, Stmt, field_names, iter_child_nodes, nodes_in
from kida_core.symbols import is_target_field

__all__ = ["NodeTransformer", "NodeVisitor", "Replacement", "VisitTask"]

#: What a visit method asks to walk next: nodes, and callables run in order.
VisitTask = Node | Callable[[], object]
#: What a transform method returns: one node, or several spliced into a tuple field.
Replacement = Node | list[Node]


class NodeVisitor:
    """Calls ``visit_<ClassName>`` on every node of a tree (see the module docstring)."""

    def visit(self, node: Node) -> None:
        """Walk ``node`` and everything its visit methods ask for."""
        pending: list[VisitTask] = [node]
        while pending:
            task = pending.pop()
            if isinstance(task, Node):
                pending.extend(reversed(list(self.dispatch(task))))
            else:
                task()

    def dispatch(self, node: Node) -> Iterable[Any]:
        """Run the visit method of ``node``; what to walk next."""
        method: Callable[[Node], Iterable[Any] | None] = getattr(
            self, f"visit_{type(node).__name__}", self.generic_visit
        )
        result = method(node)
        return iter_child_nodes(node) if result is None else result

    def generic_visit(self, node: Node) -> Iterable[Any] | None:
        """The visit of a node without a method of its own: its children."""
        return None


class NodeTransformer:
    """Rebuilds a tree bottom-up through ``transform_<ClassName>`` methods."""

    #: The node being transformed, as it was before its children were.
    original: Node

    def transform(self, root: Node) -> Replacement:
        """The replacement of ``root`` (nodes left unchanged are kept, not copied)."""
        done: dict[int, Replacement] = {}
        pending: list[tuple[Node, bool]] = [(root, False)]
        while pending:
            node, children_done = pending.pop()
            if id(node) in done:
                continue  # a subtree shared by several parents
            if not children_done:
                pending.append((node, True))
                pending.extend((child, False) for child in reversed(self._children(node)))
                continue
            changes: dict[str, Any] = {
                name: self._rebuilt(getattr(node, name), done) for name in self._fields(node)
            }
            rebuilt = node
            if any(value is not getattr(node, name) for name, value in changes.items()):
                rebuilt = replace(node, **changes)
            method: Callable[[Node], Replacement] = getattr(
                self, f"transform_{type(node).__name__}", self.generic_transform
            )
            self.original = node
            done[id(node)] = method(rebuilt)
        return done[id(root)]

    def generic_transform(self, node: Node) -> Replacement:
        """The transform of a node without a method of its own: the node itself."""
        return node

    def transform_body(self, body: tuple[Node, ...]) -> tuple[Node, ...]:
        """A statement body once its statements are transformed: itself by default."""
        return body

    @staticmethod
    def _fields(node: Node) -> list[str]:
        return [name for name in field_names(type(node)) if not is_target_field(node, name)]

    def _children(self, node: Node) -> list[Node]:
        return [child for name in self._fields(node) for child in nodes_in(getattr(node, name))]

    def _rebuilt(self, value: object, done: dict[int, Replacement]) -> object:
        """A field value with its nodes replaced (the same object when nothing changed)."""
        if isinstance(value, Node):
            return done.get(id(value), value)
        if not isinstance(value, tuple):
            return value
        items: list[object] = []
        for item in value:
            new = self._rebuilt(item, done)
            if isinstance(new, list):
                items.extend(new)
            else:
                items.append(new)
        rebuilt = value if _same(items, value) else tuple(items)
        if any(isinstance(item, Stmt) for item in value):
            return self.transform_body(rebuilt)  # type: ignore[arg-type]
        return rebuilt


def _same(items: list[object], value: tuple[object, ...]) -> bool:
    """Whether ``items`` are the elements of ``value``, by identity."""
    return len(items) == len(value) and all(a is b for a, b in zip(items, value, strict=True))
