"""String and text filters.

``Markup`` inputs: case, strip and centering filters keep ``Markup`` (the
operations cannot create markup). ``indent``, ``truncate``, ``wordwrap`` and
``replace`` say in their docstrings how they treat ``Markup``.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from kida_core.decorators import pass_environment, pure
from kida_core.markup import Markup, escape, striptags

#: Runs of word separators, kept by ``split`` (their case never changes).
_TITLE_SEPARATORS = re.compile(r"([\s\-(\[{<]+)")
#: A letter right after a character that is neither a letter nor a separator: the one
#: place where ``str.title`` (which starts a word after any non-letter) differs from
#: ``title`` on ASCII text (``12abc``, ``it's``).
_TITLE_MIDWORD_LETTER = re.compile(r"[^A-Za-z\s\-(\[{<][A-Za-z]")
_FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
_SLUG_SEPARATORS = re.compile(r"[^a-z0-9]+")


def soft_str(value: Any) -> str:
    """Return ``value`` unchanged when it is already a string (keeps ``Markup``), else ``str``."""
    return value if isinstance(value, str) else str(value)


def _keep_markup(source: Any, result: str) -> str:
    """Re-wrap ``result`` as ``Markup`` when ``source`` was ``Markup``."""
    return Markup(result) if isinstance(source, Markup) else result


@pure
def upper(value: Any) -> str:
    """Convert to upper case."""
    return soft_str(value).upper()


@pure
def lower(value: Any) -> str:
    """Convert to lower case."""
    return soft_str(value).lower()


@pure
def capitalize(value: Any) -> str:
    """Upper-case the first character and lower-case the rest."""
    return soft_str(value).capitalize()


@pure
def title(value: Any) -> str:
    """Title-case each word; apostrophes do not start a word (``they're`` → ``They're``)."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and (
        text.replace(" ", "").isalpha() or _TITLE_MIDWORD_LETTER.search(text) is None
    ):
        # On ASCII text ``str.title`` finds the same word starts unless a letter follows
        # a non-letter that is no separator (see _TITLE_MIDWORD_LETTER).
        result = text.title()
    else:
        parts = _TITLE_SEPARATORS.split(text)
        result = "".join([part[:1].upper() + part[1:].lower() for part in parts])
    return Markup(result) if isinstance(value, Markup) else result


@pure
def trim(value: Any, chars: str | None = None) -> str:
    """Strip whitespace (or ``chars``) from both ends."""
    return soft_str(value).strip(chars)


@pure
def center(value: Any, width: int = 80) -> str:
    """Center in a field of ``width`` characters."""
    return soft_str(value).center(width)


@pure
def indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Indent every line after the first by ``width`` spaces (or by the string ``width``).

    ``first=True`` also indents the first line; ``blank=True`` also indents
    empty lines (left untouched otherwise). ``Markup`` input stays ``Markup``;
    a string indent is escaped in that case.
    """
    prefix = " " * width if isinstance(width, int) else width
    if isinstance(value, Markup):
        prefix = str(escape(prefix))
    lines = str(value).split("\n")
    result = "\n".join(
        prefix + line if (line or blank) and (index or first) else line
        for index, line in enumerate(lines)
    )
    return _keep_markup(value, result)


def _truncate_text(text: str, length: int, killwords: bool, end: str, leeway: int) -> str:
    if len(text) <= length + leeway:
        return text
    kept = text[: max(length - len(end), 0)]
    if killwords:  # cut mid-word, keeping the character before the cut (even a space)
        return kept + end
    if " " in kept:
        kept = kept.rsplit(" ", 1)[0]
    return kept.strip() + end


@pass_environment
def truncate(
    env: Any,
    value: Any,
    length: int = 255,
    killwords: bool = False,
    end: str = "...",
    leeway: int | None = None,
) -> str:
    """Shorten to at most ``length`` characters, ending with ``end``.

    Text up to ``length + leeway`` characters is kept whole; ``leeway``
    defaults to the ``truncate.leeway`` policy (0). Cuts back to the last space
    and strips; ``killwords=True`` cuts at ``length - len(end)`` exactly,
    without stripping. ``Markup`` input is measured and cut on its visible
    text (entities count as one character and are never split); the result is
    the re-escaped text as ``Markup``, so tags are not preserved.
    """
    if leeway is None:
        leeway = env.policies["truncate.leeway"]
    if isinstance(value, Markup):
        import html  # deferred: only this path needs it

        text = html.unescape(str(value))
        return escape(_truncate_text(text, length, killwords, end, leeway))
    return _truncate_text(soft_str(value), length, killwords, end, leeway)


@pure
def wordwrap(
    value: Any,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    """Wrap each line of the text to ``width`` columns, joined by ``wrapstring`` (``\\n``).

    Existing line breaks are kept (as ``wrapstring``); tabs and other
    whitespace are left as they are. ``Markup`` input is wrapped on its visible
    text and re-escaped as ``Markup``.
    """
    import html  # deferred: only this path needs it
    import textwrap  # deferred: only wordwrap needs it

    is_markup = isinstance(value, Markup)
    text = html.unescape(str(value)) if is_markup else soft_str(value)
    joiner = "\n" if wrapstring is None else wrapstring
    wrapper = textwrap.TextWrapper(
        width=width,
        expand_tabs=False,
        replace_whitespace=False,
        break_long_words=break_long_words,
        break_on_hyphens=break_on_hyphens,
    )
    lines = [wrapper.wrap(line) for line in text.splitlines()]
    if is_markup:
        glue = escape(joiner)
        return glue.join(glue.join(escape(part) for part in parts) for parts in lines)
    return joiner.join(joiner.join(parts) for parts in lines)


def wordcount(value: Any) -> int:
    """Count whitespace-separated words."""
    return len(str(value).split())


def replace(value: Any, old: str, new: str, count: int | str = -1) -> str:
    """Replace ``old`` with ``new`` (at most ``count`` times; ``"1"`` is accepted).

    When ``value``, ``old`` or ``new`` is ``Markup`` the result is ``Markup``
    and every plain-string side is escaped first, so ``old`` matches the
    escaped text and ``new`` cannot inject markup. Otherwise plain ``str.replace``.
    """
    limit = int(count)
    if any(isinstance(part, Markup) for part in (value, old, new)):
        base = str(escape(value))
        return Markup(base.replace(str(escape(old)), str(escape(new)), limit))
    return soft_str(value).replace(str(old), str(new), limit)


def format(value: Any, *args: Any, **kwargs: Any) -> str:
    """Format ``value`` with the arguments; ``Markup`` patterns escape them.

    A pattern with ``{}`` fields uses ``str.format``; otherwise ``%``-style
    formatting with the positional arguments, or with the keyword arguments
    for ``%(name)s`` fields (``'%s-%d' | format('a', 3)``).
    """
    pattern = soft_str(value)
    if _FORMAT_FIELD.search(pattern) or "%" not in pattern:
        return pattern.format(*args, **kwargs)
    if args and kwargs:
        raise TypeError(
            "format with a %-style pattern takes positional or keyword arguments, not both"
        )
    return pattern % (kwargs or args)


def striptags_filter(value: Any) -> str:
    """Remove ``<...>`` tags for display; plain ``str``, not a sanitizer (autoescape re-escapes)."""
    return striptags(value)


@pure
def urlencode(value: Any) -> str:
    """Percent-encode a string (``/`` kept); mappings and pairs become a query string.

    In a query string spaces become ``+`` (form encoding, as Jinja2 does).
    """
    from urllib.parse import quote, quote_plus  # deferred: costly to import

    if isinstance(value, str):
        return quote(value, safe="/")
    if isinstance(value, Mapping):
        pairs: Iterable[Any] = value.items()
    elif isinstance(value, Iterable):
        pairs = value
    else:
        return quote(str(value), safe="/")
    return "&".join(f"{quote_plus(str(k))}={quote_plus(str(v))}" for k, v in pairs)


def slug(value: Any) -> str:
    """Lower-case ASCII slug: accents folded, other runs become ``-``; ``None`` → ``""``."""
    if value is None:
        return ""
    ascii_text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return _SLUG_SEPARATORS.sub("-", ascii_text.lower()).strip("-")


def pluralize(value: Any, suffix: str = "s") -> str:
    """Return ``""`` when ``value == 1`` else ``suffix``; ``"y,ies"`` gives singular,plural.

    ``None`` counts as "not one" (the plural suffix); numeric strings such as
    ``"1"`` or ``"2.5"`` are converted; spaces around the suffix parts are
    ignored (``" y , ies "``). Other values raise ``TypeError`` (convert with
    ``| int`` first).
    """
    if isinstance(value, str):
        value = _parse_number(value)
    if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
        raise TypeError(
            f"pluralize needs a number, got {type(value).__name__}. "
            "Hint: use value | int | pluralize"
        )
    singular, comma, plural = suffix.partition(",")
    if not comma:
        singular, plural = "", suffix
    elif "," in plural:
        raise ValueError(f"pluralize suffix takes at most one comma: {suffix!r}")
    return singular.strip() if value == 1 else plural.strip()


def _parse_number(text: str) -> Any:
    """``text`` as an int or float when it spells one, else ``text`` unchanged."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


@pure
def string(value: Any) -> str:
    """Convert to ``str`` (``Markup`` is kept so it is not escaped twice)."""
    return soft_str(value)


def date(value: Any, format: str = "%Y-%m-%d") -> str:
    """Format a datetime/date with ``strftime``.

    ``int``/``float`` are epoch seconds (UTC), ISO 8601 strings are parsed,
    ``None`` gives ``""``. Other types raise ``TypeError``.
    """
    if value is None:
        return ""
    from datetime import UTC, datetime  # deferred: only the date filter needs it
    from datetime import date as date_type

    if isinstance(value, date_type):
        return value.strftime(format)
    if not isinstance(value, bool) and isinstance(value, numbers.Real):
        return datetime.fromtimestamp(float(value), tz=UTC).strftime(format)
    if isinstance(value, str):
        return datetime.fromisoformat(value).strftime(format)
    raise TypeError(f"date expects a datetime, date, epoch number or ISO string, got {value!r}")
