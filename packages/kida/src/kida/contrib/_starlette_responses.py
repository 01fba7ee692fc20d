"""The Starlette responses ``kida.contrib.starlette`` returns (imports Starlette).

Imported only when a response is built, so ``kida.contrib.starlette`` imports
without Starlette.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from starlette.background import BackgroundTask
from starlette.responses import HTMLResponse, StreamingResponse
from starlette.types import Receive, Scope, Send

from kida_core.template import Template

__all__ = ["KidaStreamingTemplateResponse", "KidaTemplateResponse"]


async def _send_debug_info(
    scope: Scope, send: Send, template: Template, context: Mapping[str, Any]
) -> None:
    """Tell a test client which template and context made the response, when it asks."""
    if "http.response.debug" in scope.get("extensions", {}):
        await send(
            {"type": "http.response.debug", "info": {"template": template, "context": context}}
        )


class KidaTemplateResponse(HTMLResponse):
    """An HTML response rendered from a Kida template.

    ``template`` and ``context`` are what it was rendered with (Starlette's test
    client exposes them as ``response.template`` and ``response.context``).
    The body of an async template is collected when the response is sent, so
    a render error still becomes an error response.
    """

    def __init__(
        self,
        template: Template,
        context: dict[str, Any],
        content: str | AsyncIterator[str],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        self.template = template
        self.context = context
        self._pending = None if isinstance(content, str) else content
        body = content if isinstance(content, str) else None
        super().__init__(body, status_code, headers, media_type, background)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.body = self.render("".join([chunk async for chunk in pending]))
            if "content-length" in self.headers:
                self.headers["content-length"] = str(len(self.body))
        await _send_debug_info(scope, send, self.template, self.context)
        await super().__call__(scope, receive, send)


class KidaStreamingTemplateResponse(StreamingResponse):
    """A Kida template streamed chunk by chunk (``template`` and ``context`` as above).

    Headers and status are sent before the first chunk, so an error while
    rendering ends the stream early instead of changing the status.
    """

    def __init__(
        self,
        template: Template,
        context: dict[str, Any],
        chunks: AsyncIterator[str],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        self.template = template
        self.context = context
        super().__init__(chunks, status_code, headers, media_type or "text/html", background)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _send_debug_info(scope, send, self.template, self.context)
        await super().__call__(scope, receive, send)
