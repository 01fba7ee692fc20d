"""Per-render state (``kida.render_context``); re-exported from ``kida_core``."""

from kida_core.render_context import (
    RenderContext,
    async_render_context,
    get_render_context,
    get_render_context_required,
    render_context,
    reset_render_context,
    set_render_context,
)

__all__ = [
    "RenderContext",
    "async_render_context",
    "get_render_context",
    "get_render_context_required",
    "render_context",
    "reset_render_context",
    "set_render_context",
]
