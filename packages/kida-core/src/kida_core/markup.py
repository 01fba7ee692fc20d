"""HTML-safe strings and escaping.

:class:`Markup` is a ``str`` that is already safe to emit. Anything combined
with it (``+``, ``%``, ``format``, ``join``, ``replace``...) is escaped first,
so the result stays safe. Objects that define ``__html__`` are trusted: their
``__html__()`` output is used as-is.

Escaping maps ``& < > " '`` to ``&amp; &lt; &gt; &quot; &#39;`` and drops NUL
characters, in one ``str.translate`` pass.
"""

from __future__ import annotations

import operator
import re
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Self, SupportsIndex

__all__ = ["Markup", "escape", "html_escape", "striptags", "unescape"]

# A 256-entry list rather than the sparse dict from ``str.maketrans``: a miss in
# the dict raises (and swallows) a KeyError per character, which makes translate
# about twice as slow. Code points past 255 raise IndexError, which translate
# also treats as "leave unchanged".
_ESCAPE_TABLE: list[int | str | None] = list(range(256))
_ESCAPE_TABLE[ord("&")] = "&amp;"
_ESCAPE_TABLE[ord("<")] = "&lt;"
_ESCAPE_TABLE[ord(">")] = "&gt;"
_ESCAPE_TABLE[ord('"')] = "&quot;"
_ESCAPE_TABLE[ord("'")] = "&#39;"
_ESCAPE_TABLE[0] = None

_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")


def html_escape(value: object) -> str:
    """Return ``value`` as HTML-safe text (always a plain ``str``).

    Objects with ``__html__`` (including :class:`Markup`) are returned as
    ``str(value.__html__())`` without further escaping. Other values go through
    ``str()``; strings without any special character are returned untouched —
    the six ``in`` checks are much cheaper than ``translate`` on such strings.
    """
    if type(value) is str:
        text = value
    elif hasattr(value, "__html__"):
        return str(value.__html__())
    else:
        text = str(value)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text or "\x00" in text:
        return text.translate(_ESCAPE_TABLE)
    return text


def escape(value: object) -> Markup:
    """Return ``value`` as :class:`Markup`, escaping it unless it is already safe."""
    if isinstance(value, Markup):
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html_escape(value))


def _source_html(value: object) -> str:
    """``value`` as HTML source: its ``__html__()`` when defined, else ``str(value)``."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return str(value)


def striptags(value: object) -> str:
    """Treat ``value`` as HTML and return its text content as a plain ``str``.

    Comments and tags are removed, runs of whitespace collapse to one space and
    entities are decoded. For display only: this is not a sanitizer.
    """
    source = value if type(value) is str else _source_html(value)
    if "<!--" in source:
        source = _COMMENT_RE.sub("", source)
    text = " ".join(_TAG_RE.sub("", source).split())
    if "&" not in text:  # no entity to decode
        return text
    import html  # deferred: only text with entities needs it

    return html.unescape(text)


def unescape(value: object) -> str:
    """Decode HTML entities in ``value`` (its ``__html__()`` when defined) to a plain ``str``."""
    import html  # deferred: only this path needs it

    return html.unescape(_source_html(value))


class _EscapingArgument:
    """Wraps a ``%`` operand so that ``%s``/``%r`` produce escaped text.

    Numeric conversions (``%d``, ``%x``, ``%f``...) still see the number, and
    ``%(name)s`` lookups wrap the looked-up value the same way.
    """

    __slots__ = ("_escape", "_value")

    def __init__(self, value: Any, escape: Callable[[object], Markup]) -> None:
        self._value = value
        self._escape = escape

    def __getitem__(self, key: Any) -> _EscapingArgument:
        return _EscapingArgument(self._value[key], self._escape)

    def __str__(self) -> str:
        return str(self._escape(self._value))

    def __repr__(self) -> str:
        return str(self._escape(repr(self._value)))

    def __int__(self) -> int:
        return int(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __index__(self) -> int:
        return operator.index(self._value)


class _EscapingFormatter(string.Formatter):
    """``str.format`` engine that escapes every replacement field.

    A value's ``__html_format__(spec)`` output is trusted when defined; a value
    with only ``__html__`` is trusted too but cannot take a format spec (it would be applied
    to markup, not text), so that combination raises ``ValueError``.
    """

    def __init__(self, escape: Callable[[object], Markup]) -> None:
        super().__init__()
        self._escape = escape

    def format_field(self, value: Any, format_spec: str) -> str:
        if hasattr(value, "__html_format__"):
            return str(value.__html_format__(format_spec))
        if hasattr(value, "__html__"):
            if format_spec:
                raise ValueError(
                    f"cannot apply format spec {format_spec!r} to {type(value).__name__}: "
                    "it defines __html__ but not __html_format__"
                )
            return str(value.__html__())
        return str(self._escape(format(value, format_spec)))


def _markup_result(name: str) -> Callable[..., Any]:
    """A ``Markup`` method that calls ``str.<name>`` and wraps the result in Markup.

    Used for methods whose arguments never insert text (case changes, slicing,
    stripping a character set, padding with zeros...).
    """
    method = getattr(str, name)

    def wrapper(self: Markup, /, *args: Any, **kwargs: Any) -> Markup:
        return self.__class__(method(self, *args, **kwargs))

    wrapper.__name__ = name
    wrapper.__qualname__ = f"Markup.{name}"
    wrapper.__doc__ = f"Like :meth:`str.{name}`, returning :class:`Markup`."
    return wrapper


class Markup(str):
    """A string that is safe to insert into HTML without escaping.

    ``Markup(value)`` trusts ``value`` as-is (use :meth:`escape` for untrusted
    text). Operations mixing Markup with plain strings escape the plain side;
    string arguments of ``replace``, ``split``, ``partition``,
    ``removeprefix`` and the padding fill character are escaped too, because
    they are given as text and matched or inserted into markup. ``strip``-family
    arguments are character sets and are used unchanged. Case-changing methods
    work on the raw markup, so they may change entity names (``&amp;`` to
    ``&AMP;``); they never create new tags.
    """

    __slots__ = ()

    def __new__(
        cls, base: object = "", encoding: str | None = None, errors: str = "strict"
    ) -> Self:
        if type(base) is not str and hasattr(base, "__html__"):
            base = base.__html__()
        if encoding is None:
            return super().__new__(cls, base)
        if not isinstance(base, bytes | bytearray):
            raise TypeError(f"cannot decode {type(base).__name__} with an encoding")
        return super().__new__(cls, base, encoding, errors)

    def __html__(self) -> Self:
        return self

    def __markdown__(self) -> Self:
        return self

    @classmethod
    def escape(cls, value: object) -> Self:
        """Escape ``value`` (unless it is already safe) and return it as ``cls``."""
        result = escape(value)
        if not isinstance(result, cls):
            return cls(result)
        return result

    def __add__(self, other: object) -> Self:
        if isinstance(other, str) or hasattr(other, "__html__"):
            return self.__class__(str.__add__(self, self.escape(other)))
        return NotImplemented

    def __radd__(self, other: object) -> Self:
        if isinstance(other, str) or hasattr(other, "__html__"):
            return self.__class__(str.__add__(self.escape(other), self))
        return NotImplemented

    def __mul__(self, count: SupportsIndex) -> Self:
        return self.__class__(str.__mul__(self, count))

    __rmul__ = __mul__

    def __mod__(self, args: object) -> Self:
        if isinstance(args, tuple):
            wrapped: object = tuple(_EscapingArgument(arg, self.escape) for arg in args)
        else:
            wrapped = _EscapingArgument(args, self.escape)
        return self.__class__(str.__mod__(self, wrapped))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({str.__repr__(self)})"

    def join(self, iterable: Iterable[object]) -> Self:
        """Join the items, escaping each one that is not already safe."""
        return self.__class__(str.join(self, map(self.escape, iterable)))

    def format(self, /, *args: object, **kwargs: object) -> Self:
        """Like :meth:`str.format`, escaping every substituted value."""
        return self.__class__(_EscapingFormatter(self.escape).vformat(self, args, kwargs))

    def format_map(self, mapping: Mapping[str, object]) -> Self:  # type: ignore[override]
        """Like :meth:`str.format_map`, escaping every substituted value."""
        return self.__class__(_EscapingFormatter(self.escape).vformat(self, (), mapping))

    def replace(self, old: str, new: str, count: SupportsIndex = -1) -> Self:
        """Replace text ``old`` with text ``new``; both are escaped first."""
        return self.__class__(str.replace(self, self.escape(old), self.escape(new), count))

    def split(  # type: ignore[override]
        self, sep: str | None = None, maxsplit: SupportsIndex = -1
    ) -> list[Self]:
        """Like :meth:`str.split` (``sep`` escaped), returning Markup parts."""
        sep = None if sep is None else self.escape(sep)
        return [self.__class__(part) for part in str.split(self, sep, maxsplit)]

    def rsplit(  # type: ignore[override]
        self, sep: str | None = None, maxsplit: SupportsIndex = -1
    ) -> list[Self]:
        """Like :meth:`str.rsplit` (``sep`` escaped), returning Markup parts."""
        sep = None if sep is None else self.escape(sep)
        return [self.__class__(part) for part in str.rsplit(self, sep, maxsplit)]

    def splitlines(self, keepends: bool = False) -> list[Self]:  # type: ignore[override]
        """Like :meth:`str.splitlines`, returning Markup lines."""
        return [self.__class__(line) for line in str.splitlines(self, keepends)]

    def partition(self, sep: str) -> tuple[Self, Self, Self]:
        """Like :meth:`str.partition` (``sep`` escaped), returning Markup parts."""
        head, found, tail = str.partition(self, self.escape(sep))
        return self.__class__(head), self.__class__(found), self.__class__(tail)

    def rpartition(self, sep: str) -> tuple[Self, Self, Self]:
        """Like :meth:`str.rpartition` (``sep`` escaped), returning Markup parts."""
        head, found, tail = str.rpartition(self, self.escape(sep))
        return self.__class__(head), self.__class__(found), self.__class__(tail)

    def removeprefix(self, prefix: str) -> Self:
        """Like :meth:`str.removeprefix` with ``prefix`` escaped."""
        return self.__class__(str.removeprefix(self, self.escape(prefix)))

    def removesuffix(self, suffix: str) -> Self:
        """Like :meth:`str.removesuffix` with ``suffix`` escaped."""
        return self.__class__(str.removesuffix(self, self.escape(suffix)))

    def center(self, width: SupportsIndex, fillchar: str = " ") -> Self:
        """Like :meth:`str.center`; a fill character that needs escaping is rejected."""
        return self.__class__(str.center(self, width, self.escape(fillchar)))

    def ljust(self, width: SupportsIndex, fillchar: str = " ") -> Self:
        """Like :meth:`str.ljust`; a fill character that needs escaping is rejected."""
        return self.__class__(str.ljust(self, width, self.escape(fillchar)))

    def rjust(self, width: SupportsIndex, fillchar: str = " ") -> Self:
        """Like :meth:`str.rjust`; a fill character that needs escaping is rejected."""
        return self.__class__(str.rjust(self, width, self.escape(fillchar)))

    upper = _markup_result("upper")
    lower = _markup_result("lower")
    title = _markup_result("title")
    capitalize = _markup_result("capitalize")
    swapcase = _markup_result("swapcase")
    strip = _markup_result("strip")
    lstrip = _markup_result("lstrip")
    rstrip = _markup_result("rstrip")
    expandtabs = _markup_result("expandtabs")
    zfill = _markup_result("zfill")
    __getitem__ = _markup_result("__getitem__")

    def striptags(self) -> str:
        """Text content without comments and tags, whitespace collapsed, entities decoded.

        Returns a plain ``str``, not Markup: once entities are decoded,
        ``&lt;script&gt;`` reads ``<script>``, which is text to be escaped
        again on output, never trusted markup. Display only, not a sanitizer.
        """
        return striptags(self)

    def unescape(self) -> str:
        """Decode HTML entities, returning a plain ``str``."""
        import html  # deferred: only this path needs it

        return html.unescape(str(self))
