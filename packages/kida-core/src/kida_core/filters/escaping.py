"""Escaping and safety filters."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kida_core.decorators import pass_environment, pure
from kida_core.markup import Markup, escape, html_escape
from kida_core.utils.html import SoftStr, xmlattr

_JSON_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


@pure
def escape_filter(value: Any) -> Markup:
    """HTML-escape to ``Markup``; ``Markup`` input is returned unchanged, ``None`` gives ``""``."""
    return Markup("") if value is None else escape(value)


def safe(value: Any, reason: str | None = None) -> Markup:
    """Mark ``value`` as trusted ``Markup``; ``reason`` only documents why (for review)."""
    if isinstance(value, Markup):
        return value
    return Markup("" if value is None else str(value))


@pure
def forceescape(value: Any) -> Markup:
    """HTML-escape even ``Markup`` (its markup is shown as text); ``None`` gives ``""``."""
    if value is None:
        return Markup("")
    return escape(str(value))


@pass_environment
def tojson(
    env: Any,
    value: Any,
    indent: int | None = None,
    *,
    attr: bool = False,
    default: Callable[[Any], Any] | None = None,
) -> Markup:
    """Serialize to JSON safe inside ``<script>`` and HTML text.

    The ``json.dumps_function`` policy serializes (None: :func:`json.dumps`)
    with the ``json.dumps_kwargs`` policy and ``indent`` added when given.
    ``default`` converts values JSON cannot encode (``default=str`` for dates),
    as in :func:`json.dumps`; a :class:`~kida_core.utils.html.SoftStr` is
    written as its text. ``<``, ``>``, ``&`` and ``'`` are written as
    ``\\u003c``, ``\\u003e``, ``\\u0026`` and ``\\u0027``. ``attr=True``
    additionally entity-encodes the result (``"`` → ``&quot;``) for use inside
    a double-quoted HTML attribute.
    """
    dumps = env.policies["json.dumps_function"] or json.dumps
    options = dict(env.policies["json.dumps_kwargs"] or {})
    fallback = default if default is not None else options.get("default")

    def encode(obj: Any) -> Any:
        if isinstance(obj, SoftStr):
            return str(obj)
        if fallback is not None:
            return fallback(obj)
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")

    if indent is not None:
        options["indent"] = indent
    if dumps is json.dumps or fallback is not None:
        # A custom dumps function gets ``default`` only when one was asked for.
        options["default"] = encode
    text = dumps(value, **options).translate(_JSON_HTML_SAFE)
    return Markup(html_escape(text) if attr else text)


def xmlattr_filter(value: Mapping[str, Any]) -> Markup:
    """Render a mapping as HTML attributes, e.g. ``<a {{ attrs | xmlattr }}>``.

    See :func:`kida_core.utils.html.xmlattr`: no leading space, ``None`` skipped,
    invalid names raise ``ValueError``, ``on*`` names warn.
    """
    return xmlattr(value)


def _flatten(value: Any) -> Iterator[Any]:
    if isinstance(value, list | tuple):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


def classes(value: Any) -> str:
    """Join CSS class names with spaces, flattening nested lists and dropping falsy entries."""
    return " ".join(str(item) for item in _flatten(value) if item)
