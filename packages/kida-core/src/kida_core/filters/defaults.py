"""Default, validation and debugging filters."""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping, Sized
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from kida_core.decorators import pure
from kida_core.errors import RequiredValueError
from kida_core.undefined import is_undefined


@functools.cache
def _type_names() -> tuple[tuple[type | tuple[type, ...], str], ...]:
    """The ``typeof`` table, built on first use (it imports ``datetime``).

    Checked in order, so subclasses (bool before int, datetime before date) come first.
    """
    from datetime import date, datetime

    return (*_TYPE_NAMES_BASE, (datetime, "datetime"), (date, "date"))


_TYPE_NAMES_BASE: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (Decimal, "decimal"),
    (str, "str"),
    ((bytes, bytearray), "bytes"),
    (list, "list"),
    (tuple, "tuple"),
    ((set, frozenset), "set"),
    (Mapping, "dict"),
    (PurePath, "path"),
)


@pure
def default(value: Any, default_value: Any = "", boolean: bool = False) -> Any:
    """``default_value`` if ``value`` is undefined or ``None`` (or falsy when ``boolean``)."""
    if value is None or is_undefined(value) or (boolean and not value):
        return default_value
    return value


def require(value: Any, message: str | None = None, field_name: str | None = None) -> Any:
    """Return ``value``, or raise ``RequiredValueError`` when it is ``None`` or undefined."""
    if value is None or is_undefined(value):
        raise RequiredValueError(field_name or "value", message)
    return value


def typeof(value: Any) -> str:
    """Normalised type name: ``none bool int float decimal str bytes list tuple set dict
    path datetime date undefined``, else the class name (``Markup`` counts as ``str``)."""
    if value is None:
        return "none"
    if is_undefined(value):
        return "undefined"
    for types, name in _type_names():
        if isinstance(value, types):
            return name
    return type(value).__name__


def pprint(value: Any) -> str:
    """Pretty-print with ``pprint.pformat``."""
    import pprint  # deferred: a debugging filter

    return pprint.pformat(value)


def _none_flag(item: Any) -> str:
    """Marker for a ``None`` item, or for the ``None`` fields of a mapping/object item."""
    if item is None:
        return "  <-- None"
    fields = item if isinstance(item, Mapping) else getattr(item, "__dict__", {})
    names = [str(key) for key, field in fields.items() if field is None]
    return f"  <-- None fields: {', '.join(names)}" if names else ""


def debug(value: Any, label: str | None = None, max_items: int = 5) -> Any:
    """Print type, length and the first ``max_items`` items to stderr; return ``value``.

    ``None`` items and ``None`` fields of mapping/object items (or of the value
    itself) are flagged. Iterators are not consumed.
    """
    header = f"[kida debug{f' {label}' if label else ''}] type={typeof(value)}"
    if isinstance(value, Sized) and not isinstance(value, str):
        header += f" len={len(value)}"
    lines = [header]
    if isinstance(value, Mapping):
        entries = [(f"{key!r}:", item) for key, item in value.items()]
    elif isinstance(value, list | tuple | set | frozenset):
        entries = [(f"[{index}]", item) for index, item in enumerate(value)]
    else:
        entries = [("value:", value)]
    lines += [f"  {name} {item!r}{_none_flag(item)}" for name, item in entries[:max_items]]
    if len(entries) > max_items:
        lines.append(f"  ... and {len(entries) - max_items} more")
    print("\n".join(lines), file=sys.stderr)
    return value
