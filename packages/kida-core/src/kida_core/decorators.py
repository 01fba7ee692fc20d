"""Markers that change how the engine treats a registered function.

``pass_context``, ``pass_eval_context`` and ``pass_environment`` make the
engine pass one extra first argument to a filter, test, global or
``finalize`` function (a function carries at most one of them; the last
decorator applied wins).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: What a marked function receives first.
PassArg = Literal["context", "eval_context", "environment"]

_PASS_ATTR = "_kida_pass_arg"


def pure(func: F) -> F:
    """Mark a filter or global as deterministic and free of side effects.

    Pure filters may be evaluated at compile time when their inputs are known
    (``static_context``) and may be merged by f-string coalescing.
    """
    func._kida_pure = True  # type: ignore[attr-defined]
    return func


def pass_environment(func: F) -> F:
    """Make the engine call ``func(env, value, ...)`` with the active Environment."""
    setattr(func, _PASS_ATTR, "environment")
    return func


def pass_context(func: F) -> F:
    """Make the engine call ``func(context, value, ...)``.

    ``context`` is a read-only :class:`~kida_core.context.TemplateContext`: the
    template's variables at the call (render context plus top-level
    assignments) over the globals, with ``environment`` and ``name``.
    """
    setattr(func, _PASS_ATTR, "context")
    return func


def pass_eval_context(func: F) -> F:
    """Make the engine call ``func(eval_ctx, value, ...)``.

    ``eval_ctx`` is an :class:`~kida_core.context.EvalContext`: the
    ``environment`` and whether output is ``autoescape``-d where the call stands.
    """
    setattr(func, _PASS_ATTR, "eval_context")
    return func


def is_pure(func: object) -> bool:
    """Return True when ``func`` was marked with :func:`pure`."""
    return _mark(func, "_kida_pure") is True


def pass_arg(func: object) -> PassArg | None:
    """What ``func`` wants as its first argument, or None (only its own marks count)."""
    if not callable(func):
        return None
    value = _mark(func, _PASS_ATTR)
    return value if value in ("context", "eval_context", "environment") else None


def _mark(obj: object, name: str) -> object:
    """The mark ``name`` on ``obj``, or None.

    An object whose attribute lookup fails is unmarked: a proxy registered as a
    global (a web framework's ``request``) raises while nothing is bound to it.
    """
    try:
        return getattr(obj, name, None)
    except Exception:
        return None


def wants_environment(func: object) -> bool:
    """Return True when ``func`` was marked with :func:`pass_environment`."""
    return pass_arg(func) == "environment"


def wants_context(func: object) -> bool:
    """True when ``func`` takes the template context or the evaluation context first."""
    return pass_arg(func) in ("context", "eval_context")
