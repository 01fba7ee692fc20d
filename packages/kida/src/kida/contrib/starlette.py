"""Starlette and FastAPI integration: ``KidaTemplates``, Kida's ``Jinja2Templates``.

>>> templates = KidaTemplates(directory="templates")  # doctest: +SKIP
>>> async def page(request):  # doctest: +SKIP
...     return templates.TemplateResponse(request, "page.html", {"title": "Home"})

Every template rendered through it sees ``request`` and ``url_for(name,
**path_params)``, the context processors' values, and the HTMX request headers
as render metadata (``hx_request()`` and friends). With ``translations=``, each
response renders in its request's language. Starlette is imported only when a
response is built, so this module imports without it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, overload

from kida.contrib._framework import check_translations_factory, missing_framework
from kida.contrib._htmx import htmx_meta, render_part, request_render_context, stream_part_async
from kida_core.decorators import pass_context
from kida_core.environment import Environment
from kida_core.errors import ErrorCode, TemplateRuntimeError
from kida_core.template import Template
from kida_loaders import FileSystemLoader

if TYPE_CHECKING:
    from starlette.background import BackgroundTask
    from starlette.datastructures import URL
    from starlette.requests import Request

    from kida.contrib._starlette_responses import (
        KidaStreamingTemplateResponse,
        KidaTemplateResponse,
    )

__all__ = ["KidaTemplates"]

StrPath = str | os.PathLike[str]
ContextProcessor = Callable[["Request"], Mapping[str, Any]]
#: ``translations(request)``: the gettext translations for a request (None: the Environment's).
TranslationsFactory = Callable[["Request"], Any]


@pass_context
def url_for(context: Mapping[str, Any], name: str, /, **path_params: Any) -> URL:
    """The URL of route ``name`` (``request.url_for``), for the request being rendered."""
    request = context.get("request")
    if request is None:
        raise TemplateRuntimeError(
            f"url_for({name!r}) needs the request, and this render has no 'request' variable",
            suggestion="Render through KidaTemplates.TemplateResponse(request, ...), "
            "or pass request=request to render().",
            code=ErrorCode.RUNTIME_ERROR,
        )
    return request.url_for(name, **path_params)  # type: ignore[no-any-return]


class KidaTemplates:
    """Render Kida templates as Starlette responses (Starlette's ``Jinja2Templates`` API).

    Give either ``directory`` (one folder or a sequence of folders searched in
    order; ``env_kwargs`` configure the Environment) or a ready ``env``.
    ``context_processors`` are ``processor(request) -> dict`` callables whose
    values are added to every response's context, over the caller's.
    ``translations(request)`` returns the gettext translations of a request
    (chosen from its ``Accept-Language`` header, a cookie, a path parameter,
    ...) or None for the Environment's own; every response of a request
    renders inside ``env.use_translations(...)`` with them, so requests served
    at the same time each get their language (streams keep it too).
    """

    def __init__(
        self,
        directory: StrPath | Sequence[StrPath] | None = None,
        *,
        env: Environment | None = None,
        context_processors: Sequence[ContextProcessor] | None = None,
        translations: TranslationsFactory | None = None,
        **env_kwargs: Any,
    ) -> None:
        check_translations_factory(translations, "translations(request)")
        if env is not None:
            if directory is not None or env_kwargs:
                raise ValueError(
                    "Pass either 'directory' (with Environment options) or a configured "
                    "'env', not both"
                )
            self.env = env
        elif directory is not None:
            self.env = Environment(loader=FileSystemLoader(directory), **env_kwargs)
        else:
            raise ValueError("Either 'directory' or 'env' must be provided")
        self._context_processors: list[ContextProcessor] = list(context_processors or ())
        self.translations = translations
        self.env.globals.setdefault("url_for", url_for)

    @property
    def context_processors(self) -> list[ContextProcessor]:
        """The context processors, applied in order (append to add one)."""
        return self._context_processors

    def get_template(self, name: str) -> Template:
        """The Kida template ``name`` (for ``render_block``, ``render_stream_async``, ...)."""
        return self.env.get_template(name)

    @overload
    def TemplateResponse(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        *,
        block_name: str | None = None,
    ) -> KidaTemplateResponse: ...

    @overload
    def TemplateResponse(
        self,
        name: str,
        context: Mapping[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        *,
        block_name: str | None = None,
    ) -> KidaTemplateResponse: ...

    def TemplateResponse(self, *args: Any, **kwargs: Any) -> KidaTemplateResponse:
        """Render template ``name`` into an HTML response.

        The context is ``request``, then ``context`` (never mutated), then each
        context processor's values. ``block_name`` renders only that block (an
        HTMX partial). A sync template renders here; an async one when the
        response is sent. The older call ``TemplateResponse(name, {"request":
        request, ...})`` still works and warns (``DeprecationWarning``).
        """
        from_legacy = bool(args) and isinstance(args[0], str)
        if from_legacy or (not args and "request" not in kwargs):
            warnings.warn(
                "TemplateResponse(name, context) is deprecated: pass the request first, "
                "TemplateResponse(request, name, context)",
                DeprecationWarning,
                stacklevel=2,
            )
            args, kwargs = _legacy_arguments(*args, **kwargs)
        return self._template_response(*args, **kwargs)

    def StreamingTemplateResponse(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        *,
        block_name: str | None = None,
    ) -> KidaStreamingTemplateResponse:
        """Like :meth:`TemplateResponse`, but the body is streamed as it renders.

        Works for sync and async templates (``render_stream_async``). Status and
        headers go out before the first chunk: a render error ends the stream.
        """
        streaming_response = _responses()[1]
        template = self.get_template(name)
        ctx = self._context(request, context)
        with self._request_scope(request, name):
            chunks = stream_part_async(template, ctx, block_name)  # takes meta and language now
        return streaming_response(
            template, ctx, chunks, status_code, headers, media_type, background
        )

    def _template_response(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
        *,
        block_name: str | None = None,
    ) -> KidaTemplateResponse:
        response = _responses()[0]
        template = self.get_template(name)
        ctx = self._context(request, context)
        content: str | AsyncIterator[str]
        with self._request_scope(request, name):
            if template.is_async:
                content = stream_part_async(template, ctx, block_name)
            else:
                content = render_part(template, ctx, block_name)
        return response(template, ctx, content, status_code, headers, media_type, background)

    @contextmanager
    def _request_scope(self, request: Request, name: str) -> Iterator[None]:
        """The request's HTMX metadata and translations, for renders started inside."""
        translations = None if self.translations is None else self.translations(request)
        with request_render_context(name, htmx_meta(request.headers)):
            if translations is None:
                yield
            else:
                with self.env.use_translations(translations):
                    yield

    def _context(self, request: Request, context: Mapping[str, Any] | None) -> dict[str, Any]:
        """``request``, then the caller's context, then the context processors' values."""
        ctx: dict[str, Any] = {"request": request, **(context or {})}
        for processor in self._context_processors:
            ctx.update(processor(request))
        return ctx


def _legacy_arguments(
    name: str, context: Mapping[str, Any] | None = None, *rest: Any, **options: Any
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments of ``TemplateResponse(name, context, ...)`` in the current order."""
    request = (context or {}).get("request")
    if request is None:
        raise ValueError('context must include a "request" key')
    return (request, name, context, *rest), options


def _responses() -> tuple[type[KidaTemplateResponse], type[KidaStreamingTemplateResponse]]:
    """The response classes (importing them imports Starlette)."""
    try:
        from kida.contrib._starlette_responses import (
            KidaStreamingTemplateResponse,
            KidaTemplateResponse,
        )
    except ImportError as exc:
        raise missing_framework("Starlette", "starlette") from exc
    return KidaTemplateResponse, KidaStreamingTemplateResponse
