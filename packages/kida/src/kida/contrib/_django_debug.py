"""Django's ``template_debug`` description of a Kida error.

Django's technical 500 page reads ``exc.template_debug`` from whatever
exception reached it and shows the template name, the message and the source
lines around the failing line. This module builds that dictionary, in the
format Django's own template engine documents; it imports nothing from Django.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kida_core.errors import TemplateError

#: Lines shown on each side of the failing line (as Django's own engine shows).
CONTEXT_LINES = 10

#: ``lookup(template_name) -> (source, filename)``, ``(None, None)`` when unknown.
SourceLookup = Callable[[str | None], tuple[str | None, str | None]]


def template_debug(message: str, name: str, source: str | None, lineno: int) -> dict[str, Any]:
    """The ``template_debug`` dict for an error at ``lineno`` of ``source``.

    ``source_lines`` holds ``(lineno, text)`` pairs of up to ``CONTEXT_LINES``
    lines on each side; ``top``/``bottom`` are the slice bounds within the
    ``total`` lines. The whole failing line is the highlighted ``during`` part.
    """
    lines: list[tuple[int, str]] = []
    if source is not None:
        # Kida counts \r\n, \r and \n as one line break each.
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        lines = list(enumerate(text.split("\n"), start=1))
    total = len(lines)
    during = lines[lineno - 1][1] if 1 <= lineno <= total else ""
    top = max(0, lineno - CONTEXT_LINES - 1)
    bottom = min(total, lineno + CONTEXT_LINES)
    return {
        "name": name,
        "message": message,
        "source_lines": lines[top:bottom],
        "line": lineno,
        "before": "",
        "during": during,
        "after": "",
        "total": total,
        "top": top,
        "bottom": bottom,
    }


def error_debug(exc: TemplateError, lookup: SourceLookup) -> dict[str, Any] | None:
    """``template_debug`` for a located Kida error, or None when it names no line.

    Syntax errors carry their source; for runtime errors the source of the
    template the error names (an include's, when it failed there) is looked up.
    """
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        return None
    name: str | None = getattr(exc, "template_name", None)
    source: str | None = getattr(exc, "source", None)
    filename: str | None = getattr(exc, "filename", None)
    if source is None:
        source, found = lookup(name)
        filename = filename or found
    return template_debug(exc.message, filename or name or "<string>", source, lineno)
