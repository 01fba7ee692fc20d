"""What every Kida-vs-Jinja2 comparison shares: Jinja2's setup and one check of all render modes.

Jinja2 runs with its defaults (one trailing newline dropped, as Kida does) and
autoescape on unless a case says otherwise. markupsafe writes an escaped ``"``
as ``&#34;`` where Kida writes ``&quot;``: :func:`jinja_text` reads it as Kida's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

import jinja2


def jinja_environment(**options: Any) -> jinja2.Environment:
    """A Jinja2 Environment with autoescape on (unless ``options`` say otherwise)."""
    return jinja2.Environment(**{"autoescape": True, **options})


def jinja_text(text: str) -> str:
    """Jinja2's output with markupsafe's ``&#34;`` spelled as Kida's ``&quot;``."""
    return text.replace("&#34;", "&quot;")


Context = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def assert_renders(template: Any, context: Context, expected: str, *, label: str = "") -> None:
    """``render``, ``render_stream`` and ``render_async`` of ``template`` all give ``expected``.

    ``context`` may be a function making a fresh context for each render (for
    cases whose data is a one-shot iterator).
    """

    def fresh() -> Mapping[str, Any]:
        return context() if callable(context) else context

    got = template.render(**fresh())
    assert got == expected, f"{label}: render differs from Jinja2"
    streamed = "".join(template.render_stream(**fresh()))
    assert streamed == expected, f"{label}: render_stream differs from render"
    rendered_async = asyncio.run(template.render_async(**fresh()))
    assert rendered_async == expected, f"{label}: render_async differs from render"
