"""Size estimates taken before the sandbox lets a value become text or a big number.

A list holding 20 000 references to one 100 kB string costs little memory, but its
``str()`` is 2 GB. :func:`text_size` walks containers and adds up what each element
will print as, stopping as soon as the running total passes the caller's budget,
so the estimate itself costs at most about ``budget`` steps whatever the value.
"""

from __future__ import annotations

import json
import math
from collections import deque
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["JSON", "REPR", "STR", "decimal_exponent", "text_size"]

#: ``str(value)``: strings count as they are, container elements as their ``repr``.
STR = 0
#: ``repr(value)``: strings are quoted and escaped.
REPR = 1
#: The ``tojson`` filter: ``json.dumps`` plus its HTML-safe ``\\u00XX`` escapes.
JSON = 2

_LOG10_2 = 0.30102999566398120
#: Longest ``repr`` of a float (``-2.2250738585072014e-308``), bool or ``None``.
_SCALAR_SIZE = 24
#: What an object the estimate does not look inside is counted as (its ``repr`` is
#: produced by its own code, not multiplied by the template).
_OPAQUE_SIZE = 32
#: Characters ``tojson`` turns into six-character ``\\u00XX`` escapes.
_JSON_HTML = ("<", ">", "&", "'")
_DICT_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))
_CONTAINERS = (list, tuple, dict, set, frozenset, deque, *_DICT_VIEWS)
_PLAIN_CONTAINERS = (list, tuple, dict, set)


def _string_size(text: str, mode: int, room: int) -> int:
    """Characters ``text`` prints as in ``mode``; exact up to escapes of ``\\`` and quotes.

    ``room`` is what is left of the budget: a string longer than that is over it
    whatever its escapes, so its exact escaped length is not computed.
    """
    size = len(text)
    if mode == STR or size > room:
        return size
    if mode == REPR:
        if text.isprintable():
            return size + 2 + text.count("\\") + text.count("'")
        return len(repr(text))
    html = 5 * sum(text.count(char) for char in _JSON_HTML)
    if text.isascii() and text.isprintable():
        return size + 2 + text.count("\\") + text.count('"') + html
    return len(json.dumps(text)) + html


def _scalar_size(value: Any, mode: int, room: int) -> int | None:
    """Printed size of a non-container value, or ``None`` for a container."""
    if isinstance(value, str):
        return _string_size(value, mode, room)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value.bit_length() * _LOG10_2) + 2
    if value is None or isinstance(value, bool | float):
        return _SCALAR_SIZE
    if isinstance(value, bytes | bytearray):
        return 4 * len(value) + 14  # every byte may print as ``\\xNN``
    if isinstance(value, Decimal):
        return len(str(value))  # scientific notation: no longer than the stored digits
    if isinstance(value, _CONTAINERS):
        return None
    return _OPAQUE_SIZE


def text_size(value: Any, budget: int, mode: int = STR, indent: int = 0) -> int:
    """Characters ``value`` prints as (``str``/``repr``/``tojson``), counted up to ``budget``.

    The result is exact for strings and close for containers of plain values (each
    element's ``repr`` plus separators); the count stops at the first total over
    ``budget``, so compare the result with ``budget``. ``indent`` is the width of
    one ``tojson`` indentation level: every element then also pays a newline and
    its depth's indentation. A container met again inside itself counts as ``[...]``.
    """
    size = _scalar_size(value, mode, budget)
    if size is not None:
        return size
    child_mode = REPR if mode == STR else mode
    total = 0
    #: One frame per open container: its element iterator, depth and identity.
    frames: list[tuple[Iterator[Any], int, int]] = []
    open_ids: set[int] = set()
    item: Any = value
    depth = 0
    while True:
        size = _scalar_size(item, child_mode, budget - total)
        if size is not None:
            total += size
        elif id(item) in open_ids:
            total += 5
        else:
            count = len(item)
            total += 2 if type(item) in _PLAIN_CONTAINERS else len(type(item).__name__) + 32
            # Separators: ", " between elements, ": " after each key.
            total += count * (4 if isinstance(item, dict) else 2)
            if indent and count:
                total += count * (1 + (depth + 1) * indent) + 1 + depth * indent
            if isinstance(item, dict):
                elements: Iterator[Any] = (part for pair in item.items() for part in pair)
            else:
                elements = iter(item)
            frames.append((elements, depth + 1, id(item)))
            open_ids.add(id(item))
        if total > budget:
            return total
        while frames:
            elements, depth, ident = frames[-1]
            item = next(elements, frames)
            if item is not frames:
                break
            frames.pop()
            open_ids.discard(ident)
        else:
            return total


def decimal_exponent(value: Any) -> int:
    """Decimal exponent of a number or numeric string (``1e9`` → 9; 0 when unknown)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return int(value.bit_length() * _LOG10_2)
    if isinstance(value, float):
        return int(math.log10(abs(value))) if math.isfinite(value) and value else 0
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return 0
    if isinstance(value, Decimal) and value.is_finite() and value:
        return value.adjusted()
    return 0
