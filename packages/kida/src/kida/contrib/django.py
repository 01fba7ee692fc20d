"""Kida as a Django template backend.

Configure it in ``settings.TEMPLATES`` (always give it a ``NAME``: the alias
Django derives from this module path is ``"django"``, which the built-in
engine already uses)::

    TEMPLATES = [{
        "BACKEND": "kida.contrib.django.KidaTemplates",
        "NAME": "kida",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,           # <app>/kida/ folders
        "OPTIONS": {
            "environment": "myproject.kida.environment",   # optional
            "context_processors": ["myproject.context.site"],
        },
    }]

With ``USE_I18N`` (Django's default) templates translate through Django:
``{% trans %}``, ``_()``, ``gettext()`` and friends call
``django.utils.translation``, so they speak the language Django activated for
the request (``LocaleMiddleware``, ``translation.override``).

This module imports without Django installed; the backend needs it when it is
used. ``engines["kida"].env`` is the Kida :class:`~kida.Environment`
(``add_global``, ``@env.filter()``, ...).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from kida.contrib._django_debug import error_debug
from kida_core.environment import Environment
from kida_core.errors import TemplateError, TemplateNotFoundError, TemplateSyntaxError
from kida_core.protocols import SearchPathLoader
from kida_core.render_context import render_context
from kida_core.runtime.i18n import GETTEXT_GLOBALS
from kida_core.template import Template
from kida_loaders import FileSystemLoader

#: Why Django could not be imported (None when it is installed).
_DJANGO_IMPORT_ERROR: ImportError | None = None

if TYPE_CHECKING:

    class _EngineBase:
        """What the backend uses of ``django.template.backends.base.BaseEngine``."""

        name: str
        dirs: list[str | PathLike[str]]
        app_dirs: bool

        def __init__(self, params: dict[str, Any]) -> None: ...

        @property
        def template_dirs(self) -> tuple[str | PathLike[str], ...]: ...

else:
    try:
        from django.template.backends.base import BaseEngine as _EngineBase
    except ImportError as exc:  # the module must import without Django
        _EngineBase = object
        _DJANGO_IMPORT_ERROR = exc

__all__ = ["KidaTemplate", "KidaTemplates", "render_block_to_string", "render_htmx"]

#: A Django context processor: ``processor(request) -> dict``.
ContextProcessor = Callable[[Any], Mapping[str, Any]]


def _require_django() -> None:
    """Raise a clear ImportError when Django is not installed."""
    if _DJANGO_IMPORT_ERROR is not None:
        raise ImportError(
            "kida.contrib.django needs Django; install it with `pip install django` "
            "(or the `kida[django]` extra)"
        ) from _DJANGO_IMPORT_ERROR


class KidaTemplates(_EngineBase):
    """The template backend (``"BACKEND": "kida.contrib.django.KidaTemplates"``).

    ``OPTIONS``: ``environment`` is the dotted path of a callable (or the
    callable) that builds the Kida Environment from the remaining options,
    ``kida.Environment`` by default; ``context_processors`` are dotted paths of
    ``processor(request) -> dict``; ``i18n`` (default True) installs Django's
    ``gettext``, ``ngettext``, ``pgettext`` and ``npgettext`` on the
    Environment when ``settings.USE_I18N`` is on and the ``environment``
    callable installed no translations of its own. Every other option is
    passed to the Environment, with ``loader`` (a ``FileSystemLoader`` over
    ``DIRS`` and the apps' ``kida/`` folders), ``autoescape=True`` and
    ``auto_reload=settings.DEBUG`` as defaults. Unknown top-level keys raise
    Django's ``ImproperlyConfigured``.
    """

    #: ``APP_DIRS`` searches ``<app>/kida/``: the apps' ``templates/`` folders hold
    #: Django-language templates (the admin's, for one) that Kida must not parse.
    app_dirname = "kida"

    def __init__(self, params: Mapping[str, Any]) -> None:
        _require_django()
        from django.conf import settings
        from django.utils.module_loading import import_string

        params = dict(params)
        options = dict(params.pop("OPTIONS", None) or {})
        # Django's settings always hold these; direct construction may omit them.
        params.setdefault("NAME", "kida")
        params.setdefault("DIRS", [])
        params.setdefault("APP_DIRS", False)
        super().__init__(params)
        self.context_processors: list[str] = list(options.pop("context_processors", []))
        i18n = options.pop("i18n", True)
        if not isinstance(i18n, bool):
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"The Kida backend's OPTIONS['i18n'] must be True or False, not {i18n!r}"
            )
        factory = options.pop("environment", "kida.Environment")
        if isinstance(factory, str):
            factory = import_string(factory)
        if "loader" not in options:
            options["loader"] = FileSystemLoader(self.template_dirs)
        options.setdefault("autoescape", True)
        options.setdefault("auto_reload", settings.DEBUG)
        self.env: Environment = factory(**options)
        #: Whether the templates translate through ``django.utils.translation``.
        self.django_translations = (
            i18n and settings.USE_I18N and not _has_own_translations(self.env)
        )
        if self.django_translations:
            _install_django_translations(self.env)

    @functools.cached_property
    def template_context_processors(self) -> list[ContextProcessor]:
        """The ``context_processors`` option, imported."""
        from django.utils.module_loading import import_string

        return [import_string(path) for path in self.context_processors]

    def get_template(self, template_name: str) -> KidaTemplate:
        """The template ``template_name``.

        Raises Django's ``TemplateDoesNotExist`` (listing the files tried) when
        no template has that name, so ``select_template`` and other engines
        can go on, and Django's ``TemplateSyntaxError`` when it does not parse.
        """
        from django.template import TemplateDoesNotExist

        try:
            template = self.env.get_template(template_name)
        except TemplateNotFoundError as exc:
            raise TemplateDoesNotExist(
                template_name, tried=self._tried(template_name), backend=self
            ) from exc
        except TemplateError as exc:
            _reraise(exc, self._source_of)
        return KidaTemplate(template, self)

    def from_string(self, template_code: str) -> KidaTemplate:
        """A template compiled from ``template_code``."""
        try:
            template = self.env.from_string(template_code)
        except TemplateError as exc:
            _reraise(exc, lambda name: (template_code, None))
        return KidaTemplate(template, self, source=template_code)

    def _tried(self, template_name: str) -> list[tuple[Any, str]]:
        """``(Origin, reason)`` for each file the loader looked at (Django's postmortem)."""
        from django.template.base import Origin

        loader = self.env.loader
        if not isinstance(loader, SearchPathLoader):
            return []  # Django then says the engine lists no tried templates
        origins = (
            Origin(name=str(Path(root, template_name)), template_name=template_name, loader=loader)
            for root in loader.search_paths
        )
        return [(origin, "Source does not exist") for origin in origins]

    def _source_of(self, template_name: str | None) -> tuple[str | None, str | None]:
        """``(source, filename)`` of a named template, for error pages."""
        loader = self.env.loader
        if template_name is None or loader is None:
            return None, None
        try:
            return loader.get_source(template_name)
        except (TemplateError, OSError):
            return None, None


class KidaTemplate:
    """A Kida template as Django sees it (what ``get_template`` returns).

    ``template`` is the Kida :class:`~kida.Template` (``render_block``,
    ``render_stream``, introspection). With a ``request``, renders add
    ``request``, ``csrf_input`` and ``csrf_token`` to the context, then what
    the backend's context processors return (they win over the caller's
    keys), and set the render-context metadata that Kida's ``hx_request()``,
    ``hx_target()``, ``hx_trigger()``, ``hx_boosted()`` and ``csrf_token()``
    globals read. The caller's context dict is never changed.
    """

    def __init__(
        self, template: Template, backend: KidaTemplates | None = None, *, source: str | None = None
    ) -> None:
        self.template = template
        self.backend = backend
        self._source = source

    @property
    def name(self) -> str | None:
        """The template name (None for ``from_string`` templates)."""
        return self.template.name

    @functools.cached_property
    def origin(self) -> Any:
        """A ``django.template.base.Origin``: the file and the template name."""
        _require_django()
        from django.template.base import Origin

        filename = self.template.filename or self.name or "<string>"
        return Origin(name=filename, template_name=self.name)

    def render(self, context: Mapping[str, Any] | None = None, request: Any = None) -> str:
        """The whole template, rendered."""
        ctx = self._context(context, request)
        self._announce(ctx)
        with _request_meta(request):
            try:
                return self.template.render(ctx)
            except TemplateError as exc:
                _reraise(exc, self._source_of)

    def render_block(
        self, block_name: str, context: Mapping[str, Any] | None = None, request: Any = None
    ) -> str:
        """One block (an HTMX partial), with the same context as :meth:`render`.

        A missing block raises Kida's ``BlockNotFoundError`` (also a ``KeyError``).
        """
        ctx = self._context(context, request)
        self._announce(ctx)
        with _request_meta(request):
            try:
                return self.template.render_block(block_name, ctx)
            except TemplateError as exc:
                _reraise(exc, self._source_of)

    def render_stream(
        self, context: Mapping[str, Any] | None = None, request: Any = None
    ) -> Iterator[str]:
        """The template as chunks, for ``StreamingHttpResponse``.

        The request's metadata and Django's active language are bound now (the
        stream renders in the context of this call, wherever it is consumed);
        an error met after the first chunk was sent can no longer change the
        response status.
        """
        ctx = self._context(context, request)
        self._announce(ctx)
        with _request_meta(request):
            try:
                chunks = self.template.render_stream(ctx)
            except TemplateError as exc:
                _reraise(exc, self._source_of)
        return self._located(chunks)

    def render_stream_async(
        self, context: Mapping[str, Any] | None = None, request: Any = None
    ) -> AsyncIterator[str]:
        """The template as an async iterator of chunks, for ``StreamingHttpResponse`` under ASGI.

        The only way to render templates that use ``async for`` or ``await``.
        Bound like :meth:`render_stream`.
        """
        ctx = self._context(context, request)
        self._announce(ctx)
        with _request_meta(request):
            try:
                chunks = self.template.render_stream_async(ctx)
            except TemplateError as exc:
                _reraise(exc, self._source_of)
        return self._located_async(self._in_language_async(chunks))

    def _in_language_async(self, chunks: AsyncIterator[str]) -> AsyncIterator[str]:
        """``chunks``, each pulled in Django's language active now (Django translations only).

        An async template's stream runs in the context of whoever consumes it,
        where another language may be active (a sync stream keeps the context
        of its creation by itself).
        """
        if self.backend is None or not self.backend.django_translations:
            return chunks
        from django.utils import translation

        return _each_in_language_async(chunks, translation.get_language())

    def _located(self, chunks: Iterator[str]) -> Iterator[str]:
        try:
            yield from chunks
        except TemplateError as exc:
            _reraise(exc, self._source_of)

    async def _located_async(self, chunks: AsyncIterator[str]) -> AsyncIterator[str]:
        try:
            async for chunk in chunks:
                yield chunk
        except TemplateError as exc:
            _reraise(exc, self._source_of)

    def _context(self, context: Mapping[str, Any] | None, request: Any) -> dict[str, Any]:
        """A new context dict: the caller's, the request's values, the processors'."""
        ctx = dict(context) if context is not None else {}
        if request is not None:
            from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy

            ctx["request"] = request
            ctx["csrf_input"] = csrf_input_lazy(request)
            ctx["csrf_token"] = csrf_token_lazy(request)
            if self.backend is not None:
                for processor in self.backend.template_context_processors:
                    ctx.update(processor(request))
        return ctx

    def _announce(self, ctx: dict[str, Any]) -> None:
        """Send Django's ``template_rendered`` test signal (``assertTemplateUsed``).

        Only test tooling listens (the test client records templates and
        contexts): a program that never loaded Django's test package has no
        receiver, and importing that package here would load it in production.
        """
        test_signals = sys.modules.get("django.test.signals")
        if test_signals is not None:
            test_signals.template_rendered.send(sender=self, template=self, context=ctx)

    def _source_of(self, template_name: str | None) -> tuple[str | None, str | None]:
        if self._source is not None and template_name in (None, self.name):
            return self._source, None
        if self.backend is None:
            return None, None
        return self.backend._source_of(template_name)


def _has_own_translations(env: Environment) -> bool:
    """Whether ``env`` translates with functions of its own (installed or an own ``_`` global).

    Only the gettext function counts: an Environment that merely switched
    ``newstyle_gettext`` on still gets Django's functions, in newstyle.
    """
    return env.globals.get("_") is not GETTEXT_GLOBALS["_"] or env.translations_installed


def _install_django_translations(env: Environment) -> None:
    """Translate through ``django.utils.translation`` (the language active at render time)."""
    from django.utils import translation

    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )


async def _each_in_language_async(
    chunks: AsyncIterator[str], language: str | None
) -> AsyncIterator[str]:
    """Pull each chunk with Django's language set to ``language`` (as when the stream began)."""
    from django.utils import translation

    while True:
        with translation.override(language):
            chunk = await anext(chunks, None)
        if chunk is None:
            return
        yield chunk


def _reraise(exc: TemplateError, lookup: Callable[[str | None], Any]) -> NoReturn:
    """Raise ``exc`` the way Django's error handling expects it.

    A syntax error becomes Django's ``TemplateSyntaxError`` (chained to the
    Kida error); other Kida errors are raised unchanged. Both carry
    ``template_debug`` when the error names a line, for the debug page.
    """
    info = error_debug(exc, lookup)
    if isinstance(exc, TemplateSyntaxError):
        from django.template import TemplateSyntaxError as DjangoTemplateSyntaxError

        new = DjangoTemplateSyntaxError(str(exc))
        new.template_debug = info
        raise new from exc
    if info is not None and not hasattr(exc, "template_debug"):
        exc.template_debug = info  # type: ignore[attr-defined]
    raise exc


@contextmanager
def _request_meta(request: Any) -> Iterator[None]:
    """Expose the request's HTMX headers and CSRF token to the render (no-op without one)."""
    if request is None:
        yield
        return
    from django.template.backends.utils import csrf_token_lazy

    with render_context() as rc:
        for key, value in _htmx_meta(request.headers).items():
            rc.set_meta(key, value)
        rc.set_meta("csrf_token", csrf_token_lazy(request))
        yield


def _htmx_meta(headers: Mapping[str, str]) -> dict[str, Any]:
    """Render-context metadata from HTMX request headers (empty when not an HTMX request).

    ``headers`` is looked up case-insensitively by the caller's mapping
    (Django's ``request.headers`` is).
    """
    value = headers.get("HX-Request")
    if not value:
        return {}
    return {
        "hx_request": value == "true",
        "hx_target": headers.get("HX-Target") or None,
        "hx_trigger": headers.get("HX-Trigger") or None,
        "hx_boosted": headers.get("HX-Boosted") == "true",
    }


def _get_kida_template(template_name: str | Sequence[str], using: str | None) -> KidaTemplate:
    """The Kida template for a name or a list of names, through Django's loader."""
    _require_django()
    from django.template import loader

    if isinstance(template_name, str):
        template = loader.get_template(template_name, using=using)
    else:
        template = loader.select_template(template_name, using=using)
    if not isinstance(template, KidaTemplate):
        raise TypeError(
            f"{template_name!r} was loaded by a non-Kida template engine "
            f"({type(template).__module__}.{type(template).__qualname__}); pass "
            "using=<the Kida engine's NAME>"
        )
    return template


def render_block_to_string(
    template_name: str | Sequence[str],
    block_name: str,
    context: Mapping[str, Any] | None = None,
    request: Any = None,
    using: str | None = None,
) -> str:
    """Render one block of a template found through Django's loaders.

    Like ``django.template.loader.render_to_string``: a list of names selects
    the first that exists; ``using`` names the engine.
    """
    return _get_kida_template(template_name, using).render_block(block_name, context, request)


def render_htmx(
    request: Any,
    template_name: str | Sequence[str],
    block_name: str,
    context: Mapping[str, Any] | None = None,
    *,
    using: str | None = None,
    status: int | None = None,
    content_type: str | None = None,
) -> Any:
    """An ``HttpResponse``: the block for an HTMX request, the whole page otherwise.

    Boosted requests (``hx-boost``) get the whole page, as they replace the
    body. The response carries ``Vary: HX-Request`` so caches keep both forms.
    """
    from django.http import HttpResponse
    from django.utils.cache import patch_vary_headers

    template = _get_kida_template(template_name, using)
    meta = _htmx_meta(request.headers)
    if meta.get("hx_request") and not meta["hx_boosted"]:
        content = template.render_block(block_name, context, request)
    else:
        content = template.render(context, request)
    response = HttpResponse(content, content_type=content_type, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
