"""HTML helpers: the ``xmlattr`` filter and escaping for contexts other than HTML text.

Autoescaping makes values safe in HTML text and quoted attribute values.
Inside a ``<script>`` string, a CSS value or a URL attribute that is not
enough; the helpers here cover those contexts:

* :func:`js_escape` -- text for a JavaScript string literal;
* :func:`css_escape` -- text for a CSS identifier or string;
* :func:`url_is_safe` / :func:`safe_url` -- refuse ``javascript:`` and other
  script-running URL schemes;
* :func:`format_html` -- a trusted HTML pattern with escaped arguments;
* :func:`strip_tags` -- text content of HTML, for display only.

:class:`SoftStr` is a lazy string: text computed only if a template uses it.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping

from kida_core.markup import Markup, escape, striptags
from kida_core.undefined import is_undefined

# Characters the HTML syntax forbids in an attribute name (plus controls).
_INVALID_ATTR_NAME = re.compile(r"[\s\"'<>/=\x00-\x1f\x7f]")
_EVENT_ATTR_NAME = re.compile(r"on[a-z]", re.IGNORECASE)


def xmlattr(
    d: Mapping[str, object],
    *,
    allow_events: bool = False,
    strip_events: bool = False,
    strict: bool = True,
) -> Markup:
    """Render ``d`` as ``key="value"`` pairs separated by single spaces.

    Pairs keep insertion order and there is no leading space. ``None`` and
    undefined values are skipped; every other value is HTML-escaped (``Markup``
    is kept as is). Names containing whitespace, quotes, ``<``, ``>``, ``/``,
    ``=`` or control characters raise ``ValueError`` when ``strict``, and are
    skipped otherwise. Event-handler names (``on*``) are written with a
    ``UserWarning`` unless ``allow_events`` (written silently) or
    ``strip_events`` (dropped) is set.
    """
    parts: list[str] = []
    for key, value in d.items():
        if value is None or is_undefined(value):
            continue
        name = str(key)
        if not name or _INVALID_ATTR_NAME.search(name):
            if strict:
                raise ValueError(f"Invalid HTML attribute name: {name!r}")
            continue
        if _EVENT_ATTR_NAME.match(name) and not allow_events:
            if strip_events:
                continue
            warnings.warn(
                f"xmlattr writes event-handler attribute {name!r}; "
                "make sure its value is not user-controlled",
                UserWarning,
                stacklevel=2,
            )
        parts.append(f'{escape(name)}="{escape(value)}"')
    return Markup(" ".join(parts))


class JSString(str):
    """Text already escaped by :func:`js_escape` (it is not escaped twice).

    The escaped form holds no character that HTML escaping changes, so
    autoescaping leaves it intact where it is written.
    """

    __slots__ = ()


# Characters that can end a JS string literal, start an escape or a template
# substitution, or close the surrounding <script>/attribute, plus line breaks
# (U+2028/U+2029 end a line in older JavaScript) and every control character.
_JS_ESCAPES: dict[int, str] = {
    code: f"\\u{code:04x}"
    for code in (
        *range(0x20),
        0x7F,
        0x2028,
        0x2029,
        *map(ord, "\\'\"`<>&=-;/$"),
    )
}


def js_escape(value: object) -> JSString:
    """``value`` as text safe inside a JavaScript string literal (any quote style).

    Quotes, backslash, backtick, ``$``, ``<``, ``>``, ``&``, ``=``, ``-``,
    ``;``, ``/``, control characters and U+2028/U+2029 become ``\\uXXXX``
    escapes, so the value can neither end the literal nor the ``<script>``
    element (``</script>``) or attribute around it. ``None`` is ``""``; a
    :class:`JSString` is returned unchanged.
    """
    if isinstance(value, JSString):
        return value
    text = "" if value is None else str(value)
    return JSString(text.translate(_JS_ESCAPES))


def _css_escape_char(code: int) -> str:
    return "\ufffd" if code == 0 else f"\\{code:x} "


_CSS_KEEP = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))
# Every ASCII character but letters, digits and "_" is escaped as "\HEX ".
_CSS_ESCAPES: dict[int, str] = {
    code: _css_escape_char(code) for code in range(0x80) if code not in _CSS_KEEP
}


def css_escape(value: object) -> str:
    """``value`` as text safe in a CSS identifier or quoted string.

    Every ASCII character other than letters, digits and ``_`` becomes a
    ``\\HEX `` escape (NUL becomes U+FFFD), as does a leading digit, so the
    value can open no function (``expression(``, ``url(``), end no string,
    declaration or rule, and close no ``<style>`` element. Other characters
    are kept. ``None`` is ``""``.
    """
    text = "" if value is None else str(value)
    escaped = text.translate(_CSS_ESCAPES)
    if escaped[:1].isdigit() and escaped[0].isascii():
        escaped = f"\\{ord(escaped[0]):x} {escaped[1:]}"
    return escaped


SAFE_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
"""The URL schemes :func:`url_is_safe` accepts by default."""

# Browsers drop tab and line breaks anywhere in a URL, and leading C0 controls
# and spaces, before reading the scheme.
_URL_IGNORED = str.maketrans("", "", "\t\n\r")
_URL_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))


def _scheme(url: str) -> str | None:
    """The text before the first ``:``, or None when ``/``, ``?`` or ``#`` comes first."""
    for index, char in enumerate(url):
        if char == ":":
            return url[:index]
        if char in "/?#":
            return None
    return None


def url_is_safe(url: object, *, schemes: frozenset[str] = SAFE_URL_SCHEMES) -> bool:
    """Whether ``url`` is relative or uses one of ``schemes`` (case-insensitive).

    ``javascript:``, ``vbscript:``, ``data:`` and every other scheme are
    refused, also when disguised with case, leading spaces or control
    characters, or tabs and line breaks inside the scheme; a scheme holding
    any other control character is refused too. ``None`` is not safe.
    """
    if url is None:
        return False
    scheme = _scheme(str(url).translate(_URL_IGNORED).lstrip(_URL_CONTROLS_AND_SPACE))
    if scheme is None:
        return True  # no scheme: a relative URL, a path, a query or a fragment
    scheme = scheme.lower()
    return scheme.isascii() and scheme.isprintable() and scheme in schemes


def safe_url(
    url: object, fallback: str = "#", *, schemes: frozenset[str] = SAFE_URL_SCHEMES
) -> str:
    """``url`` as a string when :func:`url_is_safe`, else ``fallback``.

    The result is still HTML-escaped when written, like any string.
    """
    return str(url) if url_is_safe(url, schemes=schemes) else fallback


def format_html(format_string: str, /, *args: object, **kwargs: object) -> Markup:
    """Fill the trusted HTML pattern ``format_string`` with escaped arguments.

    ``format_html("<a href='{}'>{}</a>", url, label)`` escapes ``url`` and
    ``label`` (``Markup`` arguments are kept); the pattern itself is trusted
    and must never come from users.
    """
    return Markup(format_string).format(*args, **kwargs)


def strip_tags(value: object) -> str:
    """The text content of ``value`` read as HTML, as a plain ``str``.

    Comments and tags are removed, whitespace collapses and entities are
    decoded, so the result is text to escape on output: for display only,
    not a sanitizer.
    """
    return striptags(value)


class SoftStr:
    """A lazy string: ``SoftStr(func)`` is the text ``func()`` returns, computed on first use.

    Pass it to a template instead of an expensive string: ``func`` runs only if
    the template uses the value, and at most once. Every use reads the value:
    ``str()``, ``len``, ``==`` and hashing (a ``SoftStr`` equals and hashes like
    its text), ``<``/``>`` comparisons, ``+`` with strings, ``format()``,
    ``in``, indexing and iteration. A result that is not a ``str`` is converted
    with ``str()``.

    It is plain text, not markup: it has no ``__html__``, so autoescaping
    escapes it like any string (a ``Markup`` result is kept as its text and
    escaped too). It is not a ``str`` subclass either; filters that convert
    their input with ``str()`` (``upper``, ``escape``, ``length``, ``tojson``,
    ``~``...) accept it, and ``value | string`` gives the plain text.

    Thread-safe: a lock makes concurrent first uses wait for one evaluation.
    If ``func`` raises, nothing is stored and the next use calls it again; in
    a template the error is reported like any other, with the template line.
    ``func`` reading the same ``SoftStr`` raises ``RuntimeError``.
    """

    __slots__ = ("_evaluating", "_func", "_lock", "_value")

    def __init__(self, func: Callable[[], object]) -> None:
        if not callable(func):
            raise TypeError(
                f"SoftStr needs a function returning the text, got {type(func).__name__}"
            )
        self._func = func
        self._lock = threading.RLock()
        self._evaluating = False
        self._value: str | None = None  # None until computed

    @property
    def evaluated(self) -> bool:
        """Whether the text has been computed."""
        return self._value is not None

    def _text(self) -> str:
        """The text, computing it on the first call."""
        value = self._value
        if value is not None:
            return value
        with self._lock:
            if self._value is None:
                if self._evaluating:
                    raise RuntimeError("SoftStr's function reads the SoftStr it computes")
                self._evaluating = True
                try:
                    result = self._func()
                finally:
                    self._evaluating = False
                # str.__str__ drops str subclasses such as Markup: the text stays plain.
                self._value = str.__str__(result) if isinstance(result, str) else str(result)
            return self._value

    def __str__(self) -> str:
        return self._text()

    def __repr__(self) -> str:
        # Never evaluates: error reports and debuggers show a pending value as such.
        value = self._value
        if value is None:
            return f"SoftStr(<pending {getattr(self._func, '__name__', '?')}>)"
        return f"SoftStr({value!r})"

    def __format__(self, format_spec: str) -> str:
        return format(self._text(), format_spec)

    def __len__(self) -> int:
        return len(self._text())

    def __bool__(self) -> bool:
        return bool(self._text())

    def __hash__(self) -> int:
        return hash(self._text())

    def __eq__(self, other: object) -> bool:
        text = _plain(other)
        return NotImplemented if text is None else self._text() == text

    def __lt__(self, other: object) -> bool:
        text = _plain(other)
        return NotImplemented if text is None else self._text() < text

    def __le__(self, other: object) -> bool:
        text = _plain(other)
        return NotImplemented if text is None else self._text() <= text

    def __gt__(self, other: object) -> bool:
        text = _plain(other)
        return NotImplemented if text is None else self._text() > text

    def __ge__(self, other: object) -> bool:
        text = _plain(other)
        return NotImplemented if text is None else self._text() >= text

    def __add__(self, other: object) -> str:
        # Plain text + Markup is Markup with this text escaped (Markup's reflected add).
        text = _plain(other)
        return NotImplemented if text is None else self._text() + text

    def __radd__(self, other: object) -> str:
        text = _plain(other)
        return NotImplemented if text is None else text + self._text()

    def __contains__(self, item: object) -> bool:
        text = _plain(item)
        if text is None:
            raise TypeError(f"'in <SoftStr>' requires a string, not {type(item).__name__}")
        return text in self._text()

    def __getitem__(self, index: int | slice) -> str:
        return self._text()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._text())


def _plain(other: object) -> str | None:
    """``other`` as text when it is a str (Markup kept) or a SoftStr, else None."""
    if isinstance(other, str):
        return other
    if isinstance(other, SoftStr):
        return other._text()
    return None
