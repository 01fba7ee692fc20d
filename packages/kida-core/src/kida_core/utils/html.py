"""HTML helpers backing the escaping filters."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

from kida_core.markup import Markup, escape
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
