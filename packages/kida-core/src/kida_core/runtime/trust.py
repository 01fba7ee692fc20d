"""Trusted callables: code a runtime guard lets templates call without its checks.

Kida trusts the defs a template defines and the callables core hands to them
(``caller()``, ``has_slot()``, the wrappers put around defs). A host marks its
own functions with :func:`trusted`. A guard asks :func:`is_trusted`.

The mark is an attribute whose name starts with ``_``: templates can neither
read nor set it, and only Python code can create the marked object. Like every
function attribute, ``functools.wraps`` copies it onto a wrapper.
"""

from __future__ import annotations

from types import FunctionType, MappingProxyType, MethodType
from typing import Any, TypeVar

__all__ = ["TEMPLATE_MARK", "TRUSTED_MARK", "is_trusted", "trusted"]

F = TypeVar("F")

TRUSTED_MARK = "__kida_trusted__"
"""The attribute :func:`trusted` sets on a callable."""

TEMPLATE_MARK = "__kida_template__"
"""A global of every module compiled from a template: functions seeing it are template code."""


def trusted(func: F) -> F:
    """Mark ``func`` (a function, class or callable object) as safe for templates to call.

    A runtime guard calls a trusted callable without checking it or its arguments,
    as it calls the template's own defs. Marking a function trusts its bound
    methods too; marking a class trusts calling the class (not its instances or
    subclasses). Returns ``func``; raises ``TypeError`` for an object without
    attributes of its own (a built-in function).
    """
    try:
        setattr(func, TRUSTED_MARK, True)
    except (AttributeError, TypeError):
        raise TypeError(
            f"cannot mark {func!r} as trusted: it has no attributes of its own; "
            "wrap it in a Python function and mark that"
        ) from None
    return func


def is_trusted(func: object) -> bool:
    """True for a function compiled from a template and for a callable marked :func:`trusted`.

    Only the object's own attributes count (a bound method: its function's), never
    a class-level fallback such as ``__getattr__``.
    """
    cls = type(func)
    if cls is MethodType:
        func = func.__func__  # type: ignore[attr-defined]
        cls = type(func)
    if cls is FunctionType:
        return TEMPLATE_MARK in func.__globals__ or func.__dict__.get(TRUSTED_MARK) is True  # type: ignore[attr-defined]
    if not cls.__dictoffset__:  # no attributes of its own (a built-in function, __slots__)
        return False
    try:
        attributes: Any = object.__getattribute__(func, "__dict__")
    except AttributeError:
        return False
    kind = type(attributes)
    return (kind is dict or kind is MappingProxyType) and attributes.get(TRUSTED_MARK) is True
