"""Markers that change how the engine treats a registered function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def pure(func: F) -> F:
    """Mark a filter or global as deterministic and free of side effects.

    Pure filters may be evaluated at compile time when their inputs are known
    (``static_context``) and may be merged by f-string coalescing.
    """
    func._kida_pure = True  # type: ignore[attr-defined]
    return func


def pass_environment(func: F) -> F:
    """Make the engine call ``func(env, value, ...)`` with the active Environment."""
    func._kida_pass_env = True  # type: ignore[attr-defined]
    return func


def is_pure(func: object) -> bool:
    """Return True when ``func`` was marked with :func:`pure`."""
    return getattr(func, "_kida_pure", False) is True


def wants_environment(func: object) -> bool:
    """Return True when ``func`` was marked with :func:`pass_environment`."""
    return getattr(func, "_kida_pass_env", False) is True
