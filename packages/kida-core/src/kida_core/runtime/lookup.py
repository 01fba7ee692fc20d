"""Attribute and item lookup with Kida's semantics.

``a.b`` on a ``dict`` looks the key up first, then the attribute; on any
other object the attribute first, then the item. ``a[k]`` looks the item up
first, then (for string keys) the attribute. A miss raises ``UndefinedError``
in strict mode (for ``a[k]``, an ``UndefinedItemError``, which is also a
``TemplateRuntimeError``); the lenient and "safe" variants return :data:`UNDEFINED`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any

from kida_core.errors import UndefinedError, UndefinedItemError
from kida_core.undefined import UNDEFINED, Undefined

_MISS = UNDEFINED


def _public_names(obj: Any) -> list[str]:
    """Names worth suggesting for a miss on ``obj``."""
    names: list[str] = []
    if isinstance(obj, Mapping):
        names.extend(str(k) for k in obj)
    with contextlib.suppress(Exception):  # a broken __dir__ must not mask the miss
        names.extend(n for n in dir(obj) if not n.startswith("_"))
    return names


def _owner(obj: Any) -> str:
    return "dict" if isinstance(obj, dict) else f"{type(obj).__name__} object"


def attribute_miss(obj: Any, name: str) -> UndefinedError:
    """The error for a missing ``obj.name``."""
    kind = "key" if isinstance(obj, Mapping) else "attribute"
    return UndefinedError(name, kind=kind, available_names=_public_names(obj), owner=_owner(obj))


def item_miss(obj: Any, key: Any) -> UndefinedItemError:
    """The error for a missing ``obj[key]`` (also a ``TemplateRuntimeError``)."""
    label = key if isinstance(key, str) else repr(key)
    return UndefinedItemError(label, available_names=_public_names(obj), owner=_owner(obj))


def lookup_attr(obj: Any, name: str) -> Any:
    """``obj.name``, or :data:`UNDEFINED` when neither attribute nor item exists."""
    if type(obj) is dict:
        value = obj.get(name, _MISS)
        if value is not _MISS:
            return value
        return getattr(obj, name, _MISS)
    if isinstance(obj, Undefined):
        return _MISS
    try:
        return getattr(obj, name)
    except AttributeError:
        pass
    try:
        return obj[name]
    except (TypeError, LookupError, AttributeError):
        return _MISS


def lookup_item(obj: Any, key: Any) -> Any:
    """``obj[key]``, or :data:`UNDEFINED` when neither item nor attribute exists."""
    if isinstance(obj, Undefined):
        return _MISS
    try:
        return obj[key]
    except (LookupError, TypeError):
        if isinstance(key, str):
            return getattr(obj, key, _MISS)
        return _MISS


def getattr_strict(obj: Any, name: str) -> Any:
    """``obj.name`` that raises ``UndefinedError`` on a miss.

    Written out in full (no delegation) because every ``a.b`` in a template
    calls it: one Python call on the hit paths for dicts and objects alike.
    """
    if type(obj) is dict:
        try:
            return obj[name]
        except KeyError:
            value = getattr(obj, name, _MISS)
    else:
        try:
            return getattr(obj, name)
        except AttributeError:
            pass
        try:
            value = obj[name]
        except (TypeError, LookupError, AttributeError):
            value = _MISS
    if value is _MISS:
        raise attribute_miss(obj, name)
    return value


def getitem_strict(obj: Any, key: Any) -> Any:
    """``obj[key]`` that raises ``UndefinedError`` on a miss."""
    try:
        return obj[key]
    except (LookupError, TypeError) as exc:
        if isinstance(key, str):
            value = getattr(obj, key, _MISS)
            if value is not _MISS:
                return value
        if isinstance(exc, TypeError) and not isinstance(obj, Undefined):
            raise
        raise item_miss(obj, key) from None


def strict_lookup(
    lenient: Callable[[Any, Any], Any], miss: Callable[[Any, Any], UndefinedError]
) -> Callable[[Any, Any], Any]:
    """A strict lookup made of a lenient one (a runtime guard's) that gives UNDEFINED on a miss.

    ``miss`` is :func:`attribute_miss` or :func:`item_miss`; a lookup on an undefined
    receiver gives UNDEFINED as in the core's strict lookups.
    """

    def lookup_strict(obj: Any, key: Any) -> Any:
        value = lenient(obj, key)
        if value is _MISS and not isinstance(obj, Undefined):
            raise miss(obj, key)
        return value

    return lookup_strict


def optional_miss(obj: Any, key: Any) -> bool:
    """True when ``obj?.key`` / ``obj?[key]`` short-circuits to None.

    That is when ``obj`` is None or undefined, or a mapping without ``key``.
    A ``dict`` subclass with ``__missing__`` may still answer an absent key: it
    is asked, and only a ``LookupError`` short-circuits.
    """
    if obj is None or isinstance(obj, Undefined):
        return True
    if not isinstance(obj, Mapping) or key in obj:
        return False
    if not hasattr(type(obj), "__missing__"):
        return True
    try:
        obj[key]
    except LookupError:
        return True
    return False
