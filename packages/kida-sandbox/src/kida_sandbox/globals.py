"""Checking versions of the built-in globals that call a function they are given.

Python's ``map``, ``filter``, ``sorted``, ``min`` and ``max`` call their function or
``key`` argument directly, so ``map(map, [system], [["id"]])`` would make the trusted
``map`` call a context function the template may not call itself. These versions check
the function when they are called (so nothing runs when it is refused) and route every
call they make through the guard's call policy, arguments and result included.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kida_sandbox.guard import SandboxGuard

__all__ = ["guarded_globals"]

#: ``min``/``max`` without ``default=`` (``None`` is a valid default, so a sentinel).
_NO_DEFAULT: Any = object()


def guarded_globals(guard: SandboxGuard) -> dict[str, Callable[..., Any]]:
    """The globals a sandboxed environment registers over the higher-order built-ins."""
    call = guard.call

    def checked(func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` after the call policy allowed it, each call of it guarded again."""
        guard.check_callable(func)
        return lambda *args: call(func, *args)

    def checked_optional(func: Callable[..., Any] | None) -> Callable[..., Any] | None:
        """:func:`checked`, keeping ``None`` (no key, or ``filter``'s truth test)."""
        return None if func is None else checked(func)

    def map(func: Callable[..., Any], iterable: Iterable[Any], /, *more: Iterable[Any]) -> Any:
        """``map`` calling ``func`` through the call policy."""
        return builtins.map(checked(func), iterable, *more)

    def filter(func: Callable[..., Any] | None, iterable: Iterable[Any], /) -> Iterator[Any]:
        """``filter`` calling ``func`` (unless ``None``) through the call policy."""
        return builtins.filter(checked_optional(func), iterable)

    def sorted(
        iterable: Iterable[Any], /, *, key: Callable[..., Any] | None = None, reverse: bool = False
    ) -> list[Any]:
        """``sorted`` calling ``key`` through the call policy."""
        return builtins.sorted(iterable, key=checked_optional(key), reverse=reverse)

    def extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
        """``min`` or ``max`` (``pick``) with a guarded ``key``."""

        def choose(
            *args: Any, key: Callable[..., Any] | None = None, default: Any = _NO_DEFAULT
        ) -> Any:
            if default is _NO_DEFAULT:
                return pick(*args, key=checked_optional(key))
            return pick(*args, key=checked_optional(key), default=default)

        choose.__name__ = choose.__qualname__ = pick.__name__
        choose.__doc__ = f"``{pick.__name__}`` calling ``key`` through the call policy."
        return choose

    return {
        "map": map,
        "filter": filter,
        "sorted": sorted,
        "min": extreme(builtins.min),
        "max": extreme(builtins.max),
    }
