"""Value-to-text helpers bound as locals in generated render functions."""

from __future__ import annotations

from typing import Any

from kida_core.markup import _ESCAPE_TABLE, Markup, html_escape

_str = str
_int = int
_float = float


def escape_output(value: Any) -> str:
    """``{{ value }}`` under HTML autoescape: None → "", Markup kept, rest escaped.

    The plain-``str`` case (the hot one) is inlined rather than delegated.
    """
    cls = type(value)
    if cls is _str:
        if (
            "&" in value
            or "<" in value
            or ">" in value
            or '"' in value
            or "'" in value
            or "\x00" in value
        ):
            return value.translate(_ESCAPE_TABLE)  # type: ignore[no-any-return]
        return value  # type: ignore[no-any-return]
    if cls is _int or cls is _float:
        return _str(value)
    if value is None:
        return ""
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()  # type: ignore[no-any-return]
    return html_escape(_str(value))


def str_output(value: Any) -> str:
    """``{{ value }}`` without autoescape: None → "", everything else ``str()``."""
    if type(value) is _str:
        return value
    if value is None:
        return ""
    return _str(value)


def concat(*parts: Any) -> str:
    """The ``~`` operator: stringify and join; None renders as "".

    If any part is Markup, the result is Markup and the plain parts are
    escaped, so ``~`` never smuggles unescaped text past autoescape.
    """
    if any(hasattr(p, "__html__") for p in parts):
        return Markup("").join(p if p is not None else "" for p in parts)
    return "".join(str_output(p) for p in parts)


def add(left: Any, right: Any) -> Any:
    """The ``+`` operator: numeric add, falling back to string concatenation."""
    try:
        return left + right
    except TypeError:
        if isinstance(left, str) or isinstance(right, str):
            return concat(left, right)
        raise


def range_literal(start: int, stop: int, step: int | None, inclusive: bool) -> range:
    """``a..b`` (inclusive), ``a...b`` (exclusive), optional ``by step``."""
    if step is None:
        step = 1 if stop >= start else -1
    if inclusive:
        stop = stop + 1 if step > 0 else stop - 1
    return range(start, stop, step)


def markup_join(chunks: list[str]) -> Markup:
    """Join a captured, already-escaped buffer into Markup."""
    return Markup("".join(chunks))
