"""The ``loop`` variable of ``{% for %}`` and ``{% async for %}``.

The compiler inlines the common properties (``loop.index``, ``loop.first``,
``loop.depth``, ...) as arithmetic on the loop counter; a real ``LoopContext``
object is only built when a template uses ``loop`` in a way that needs one
(``cycle``, ``previtem``, ``changed``, passing ``loop`` around, calling it in
a ``recursive`` loop).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kida_core.errors import ErrorCode, TemplateRuntimeError

#: ``loop.changed()`` has not been called yet in this loop.
_NOTHING: Any = object()


class _Position:
    """What both loop kinds derive from the 0-based counter ``index0``."""

    __slots__ = ("_last_changed", "depth0")
    index0: int
    #: Nesting level in a recursive loop, 0 at the top (and in every other loop).
    depth0: int

    def __init__(self, depth0: int = 0) -> None:
        self.depth0 = depth0
        self._last_changed = _NOTHING

    @property
    def depth(self) -> int:
        """1-based nesting level in a recursive loop (1 in every other loop)."""
        return self.depth0 + 1

    @property
    def index(self) -> int:
        """1-based position."""
        return self.index0 + 1

    @property
    def first(self) -> bool:
        """True on the first iteration."""
        return self.index0 == 0

    def cycle(self, *values: Any) -> Any:
        """``values[index0 % len(values)]``; ``None`` when called without values."""
        if not values:
            return None
        return values[self.index0 % len(values)]

    def changed(self, *values: Any) -> bool:
        """True on the first call, then whenever ``values`` differ from the previous call's."""
        if self._last_changed is _NOTHING or self._last_changed != values:
            self._last_changed = values
            return True
        return False

    def __call__(self, iterable: Any) -> Any:
        """Only the ``loop`` of a ``recursive`` loop can be called."""
        raise TemplateRuntimeError(
            "loop() can only be called in a recursive loop",
            suggestion="Mark the loop recursive: {% for item in items recursive %}…"
            "{{ loop(item.children) }}…{% end %}",
            code=ErrorCode.RUNTIME_ERROR,
        )


class LoopContext(_Position):
    """Loop state over a materialised sequence; iterate it to advance."""

    __slots__ = ("_items", "index0", "length")

    def __init__(self, items: Sequence[Any], depth0: int = 0) -> None:
        super().__init__(depth0)
        self._items = items
        self.length = len(items)
        self.index0 = -1

    def __iter__(self) -> Iterator[Any]:
        for index0, item in enumerate(self._items):
            self.index0 = index0
            yield item

    @property
    def last(self) -> bool:
        """True on the last iteration."""
        return self.index0 == self.length - 1

    @property
    def revindex(self) -> int:
        """Iterations left, counting this one (1 on the last)."""
        return self.length - self.index0

    @property
    def revindex0(self) -> int:
        """Iterations left after this one (0 on the last)."""
        return self.length - self.index0 - 1

    @property
    def previtem(self) -> Any:
        """The previous item, None on the first iteration."""
        return self._items[self.index0 - 1] if self.index0 > 0 else None

    @property
    def nextitem(self) -> Any:
        """The next item, None on the last iteration."""
        nxt = self.index0 + 1
        return self._items[nxt] if nxt < self.length else None

    def __repr__(self) -> str:
        return f"<LoopContext {self.index}/{self.length}>"


def _length_dependent(prop: str) -> property:
    """A property that raises: async iterables have no known length."""

    def unavailable(self: AsyncLoopContext) -> Any:
        raise TemplateRuntimeError(
            f"loop.{prop} is not available in an async for loop: the length of an "
            "async iterable is unknown",
            suggestion="Collect the items into a list first, or use loop.index/loop.first.",
            code=ErrorCode.RUNTIME_ERROR,
        )

    return property(unavailable, doc="Unavailable in async loops: raises TemplateRuntimeError.")


class AsyncLoopContext(_Position):
    """Forward-only loop state for ``{% async for %}`` (no length)."""

    __slots__ = ("_current", "_previous", "index0")

    def __init__(self) -> None:
        super().__init__()
        self.index0 = -1
        self._previous: Any = None
        self._current: Any = None

    def advance(self, item: Any) -> None:
        """Move to the next item (called by generated code)."""
        self._previous = self._current if self.index0 >= 0 else None
        self._current = item
        self.index0 += 1

    @property
    def previtem(self) -> Any:
        """The previous item, None on the first iteration."""
        return self._previous

    last = _length_dependent("last")
    length = _length_dependent("length")
    revindex = _length_dependent("revindex")
    revindex0 = _length_dependent("revindex0")
    nextitem = _length_dependent("nextitem")
