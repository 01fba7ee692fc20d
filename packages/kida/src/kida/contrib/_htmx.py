"""Per-request HTMX metadata and partial rendering, shared by the web framework adapters.

An adapter reads the HTMX request headers of the request it serves and renders
inside a render context carrying them as metadata, so the ``hx_request()``,
``hx_target()``, ``hx_trigger()`` and ``hx_boosted()`` template globals answer
for that request. Nothing per request is stored on the shared Environment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

from kida_core.render_context import RenderContext, render_context
from kida_core.template import Template

__all__ = [
    "HeaderLookup",
    "htmx_meta",
    "render_part",
    "request_render_context",
    "stream_part_async",
]


class HeaderLookup(Protocol):
    """Request headers: a case-insensitive ``get`` (Flask, Starlette and Django all have one)."""

    def get(self, key: str, /) -> str | None:
        """The value of header ``key``, or None when the request has none."""
        ...


def htmx_meta(headers: HeaderLookup) -> dict[str, Any]:
    """The render metadata an HTMX request carries; empty unless ``HX-Request`` is non-empty.

    ``hx_request`` and ``hx_boosted`` are True for the header value ``"true"``;
    ``hx_target`` and ``hx_trigger`` are the header values (None when absent).
    """
    flag = headers.get("HX-Request")
    if not flag:
        return {}
    return {
        "hx_request": flag == "true",
        "hx_target": headers.get("HX-Target"),
        "hx_trigger": headers.get("HX-Trigger"),
        "hx_boosted": headers.get("HX-Boosted") == "true",
    }


@contextmanager
def request_render_context(
    template_name: str | None, meta: Mapping[str, Any]
) -> Iterator[RenderContext]:
    """A render context for ``template_name`` with ``meta`` set (HTMX, CSRF, ...).

    Renders started inside it inherit the metadata. A stream takes the render
    context when it is created, so create it inside this block even though it
    is consumed later.
    """
    with render_context(template_name=template_name) as rc:
        for key, value in meta.items():
            rc.set_meta(key, value)
        yield rc


def render_part(template: Template, context: Mapping[str, Any], block_name: str | None) -> str:
    """The whole template, or only the block ``block_name`` of it (an HTMX partial)."""
    if block_name is None:
        return template.render(context)
    return template.render_block(block_name, context)


def stream_part_async(
    template: Template, context: Mapping[str, Any], block_name: str | None
) -> AsyncIterator[str]:
    """:func:`render_part` as an async stream (works for sync and async templates)."""
    if block_name is None:
        return template.render_stream_async(context)
    return template.render_block_stream_async(block_name, context)
