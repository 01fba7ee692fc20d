"""Describing what the sandbox refused."""

from __future__ import annotations

from typing import Any

__all__ = ["describe"]


def describe(obj: Any) -> str:
    """``'str' object`` / ``class 'Foo'`` / ``module 'os'``: what a receiver is."""
    if isinstance(obj, type):
        return f"class {obj.__qualname__!r}"
    name = getattr(type(obj), "__qualname__", type(obj).__name__)
    if name == "module":
        return f"module {getattr(obj, '__name__', '?')!r}"
    return f"{name!r} object"
