"""Value-to-text helpers bound as locals in generated render functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kida_core.errors import ErrorCode, SecurityError
from kida_core.markup import _ESCAPE_TABLE, Markup, html_escape

_str = str
_int = int
_float = float
_bool = bool
_list_append = list.append


def make_escape_output(check: Callable[[Any], object] | None = None) -> Callable[[Any], str]:
    """The ``{{ value }}`` converter under HTML autoescape (see ``escape_output``).

    ``check`` (a runtime guard's size check) is called before the conversion of every
    value that is not a ``str``, ``int``, ``float``, ``bool``, ``None`` or ``Markup``:
    the text of those is never longer than the value itself. Checking in the converter
    keeps one Python call per ``{{ }}`` in guarded templates too.
    """

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
        if cls is Markup:
            return value  # type: ignore[no-any-return]
        if cls is _int or cls is _float:
            return _str(value)
        if value is None:
            return ""
        if check is not None and cls is not _bool:
            check(value)
        html = getattr(value, "__html__", None)
        if html is not None:
            return html()  # type: ignore[no-any-return]
        return html_escape(_str(value))

    return escape_output


def make_str_output(check: Callable[[Any], object] | None = None) -> Callable[[Any], str]:
    """The ``{{ value }}`` converter without autoescape (see ``str_output``); ``check``
    as for :func:`make_escape_output`."""

    def str_output(value: Any) -> str:
        """``{{ value }}`` without autoescape: None → "", everything else ``str()``."""
        cls = type(value)
        if cls is _str:
            return value  # type: ignore[no-any-return]
        if value is None:
            return ""
        if (
            check is not None
            and cls is not _int
            and cls is not _float
            and cls is not _bool
            and cls is not Markup
        ):
            check(value)
        return _str(value)

    return str_output


escape_output = make_escape_output()
str_output = make_str_output()


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


def make_range_literal(make_range: Callable[..., range]) -> Callable[..., range]:
    """:func:`range_literal` building its range with ``make_range`` (a runtime guard's)."""

    def guarded_range_literal(start: int, stop: int, step: int | None, inclusive: bool) -> range:
        plain = range_literal(start, stop, step, inclusive)
        return make_range(plain.start, plain.stop, plain.step)

    return guarded_range_literal


def markup_join(chunks: list[str]) -> Markup:
    """Join a captured, already-escaped buffer into Markup."""
    return Markup("".join(chunks))


def output_limit_error(template_name: str | None, limit: int) -> SecurityError:
    """K-SEC-005: the output of ``template_name`` grew past ``limit`` characters."""
    return SecurityError(
        f"Output of {template_name or '<string>'!r} exceeds the limit of {limit} characters",
        code=ErrorCode.OUTPUT_LIMIT,
        suggestion="Render less, or raise the policy's max_output_size.",
    )


class BoundedBuffer(list[str]):
    """An output buffer that counts characters as they are appended.

    Templates compiled for a runtime guard create every buffer (the render
    buffer, captures, def and slot bodies, cache bodies, blocks) through the
    ``_K_buffer`` helper. When the guard sets ``max_output_size`` that helper
    makes one of these, so a buffer fails on the append that crosses the
    limit instead of after the whole string has been built.
    """

    __slots__ = ("_limit", "_size", "_template_name")

    def __init__(self, limit: int, template_name: str | None) -> None:
        super().__init__()
        self._limit = limit
        self._template_name = template_name
        self._size = 0

    def append(self, chunk: str, /) -> None:
        """Add ``chunk``; K-SEC-005 when the buffer would exceed the limit."""
        size = self._size + len(chunk)
        if size > self._limit:
            raise output_limit_error(self._template_name, self._limit)
        self._size = size
        _list_append(self, chunk)
