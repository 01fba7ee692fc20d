"""Recursive loops at render time: the callable ``loop`` of ``{% for … recursive %}``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kida_core.errors import ErrorCode, TemplateRuntimeError
from kida_core.loop import LoopContext
from kida_core.runtime.trust import trusted

__all__ = ["MAX_LOOP_RECURSION", "RecursiveLoopContext"]

#: How deep ``loop(...)`` calls may nest: well inside Python's own recursion limit.
MAX_LOOP_RECURSION = 100

#: Renders the loop body over an iterable at a nesting level (a function the compiler generates).
Recurse = Callable[[Any, int], str]


class RecursiveLoopContext(LoopContext):
    """``loop`` of a ``recursive`` loop: ``loop(items)`` renders the loop again over ``items``.

    Instances carry the trust mark (hence a ``__dict__``): a runtime guard lets
    templates call them like the template's own defs.
    """

    def __init__(self, items: Sequence[Any], depth0: int, recurse: Recurse) -> None:
        super().__init__(items, depth0)
        self._recurse = recurse
        trusted(self)

    def __call__(self, iterable: Any) -> str:
        """The loop body rendered over ``iterable`` one level deeper (Markup under autoescape)."""
        if self.depth0 + 1 >= MAX_LOOP_RECURSION:
            raise TemplateRuntimeError(
                f"Recursive loop nested more than {MAX_LOOP_RECURSION} levels deep",
                suggestion="Stop the recursion where the data ends, e.g. "
                "{% if item.children %}{{ loop(item.children) }}{% end %}, "
                "or check for a cycle in the data.",
                code=ErrorCode.RUNTIME_ERROR,
            )
        return self._recurse(iterable, self.depth0 + 1)
