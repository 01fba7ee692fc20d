"""``Template``: a compiled template, immutable and safe to render from many threads."""

from __future__ import annotations

import asyncio
import contextvars
import types
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TypedDict

from kida_core.errors import ErrorCode, TemplateRuntimeError, TemplateWarning
from kida_core.nodes import TemplateNode
from kida_core.render_context import RenderContext, _current
from kida_core.runtime.enhance import enhance_error
from kida_core.runtime.namespace import TemplateInfo, build_namespace

if TYPE_CHECKING:
    from kida_core.environment import Environment

RenderFunc = Callable[[Mapping[str, Any], Any], str]
StreamFunc = Callable[[Mapping[str, Any], Any], Iterator[str]]


class ErrorDict(TypedDict):
    """What ``{% fallback err %}`` binds: the error that ended the try body."""

    message: str
    type: str
    template: str | None
    line: int | None


class Template:
    """A compiled template ready for rendering.

    Holds its Environment through a weak reference (``Template → Environment
    → cache → Template`` would otherwise be a cycle). Every render builds only
    local state, so one Template renders concurrently from any number of
    threads.
    """

    __slots__ = (
        "__weakref__",
        "_code",
        "_env_ref",
        "_filename",
        "_is_async",
        "_name",
        "_optimized_ast",
        "_precomputed",
        "_render_func",
        "_source",
        "_stream_func",
        "_warnings",
    )

    def __init__(
        self,
        env: Environment,
        code: types.CodeType,
        name: str | None,
        filename: str | None,
        optimized_ast: TemplateNode | None = None,
        source: str | None = None,
        precomputed: list[Any] | None = None,
        *,
        warnings: tuple[TemplateWarning, ...] | list[TemplateWarning] = (),
    ) -> None:
        self._env_ref: weakref.ref[Environment] = weakref.ref(env)
        self._code = code
        self._name = name
        self._filename = filename
        self._optimized_ast = optimized_ast
        self._source = source
        self._precomputed = tuple(precomputed or ())
        self._warnings = tuple(warnings)
        namespace = build_namespace(
            env, code, TemplateInfo(name, filename, source), list(self._precomputed)
        )
        exec(code, namespace)
        self._render_func: RenderFunc = namespace["render"]
        self._stream_func: StreamFunc = namespace["render_stream"]
        self._is_async = "render_stream_async" in namespace

    # -- properties -------------------------------------------------------------

    @property
    def name(self) -> str | None:
        """Template name (None for anonymous ``from_string`` templates)."""
        return self._name

    @property
    def filename(self) -> str | None:
        """Source file path, when loaded from a file."""
        return self._filename

    @property
    def is_async(self) -> bool:
        """True if the template uses ``{% async for %}`` or ``await``."""
        return self._is_async

    @property
    def warnings(self) -> list[TemplateWarning]:
        """Compile-time warnings of this template."""
        return list(self._warnings)

    @property
    def _env(self) -> Environment:
        env = self._env_ref()
        if env is None:
            raise TemplateRuntimeError(
                f"The Environment of template {self._name or '<string>'!r} was garbage collected",
                template_name=self._name,
                suggestion="Keep the Environment alive while its templates render.",
                code=ErrorCode.ENV_GARBAGE_COLLECTED,
            )
        return env

    # -- rendering ----------------------------------------------------------------

    def _build_context(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], method: str
    ) -> Mapping[str, Any]:
        """Merge one optional positional mapping with keywords (keywords win).

        The caller's mapping is never copied unless keywords must be merged,
        and never mutated.
        """
        if not args:
            return kwargs
        if len(args) > 1 or not isinstance(args[0], Mapping):
            raise TypeError(
                f"Template.{method}() takes at most one positional argument, a mapping "
                f"of context variables (got {len(args)} positional argument(s))"
            )
        if kwargs:
            return {**args[0], **kwargs}
        return args[0]

    def _new_render_context(self) -> RenderContext:
        rc = RenderContext(self._name, self._filename, self._source)
        outer = _current.get()
        if outer is not None and outer._meta:
            rc._meta = outer._meta
        return rc

    def _async_only(self, method: str) -> NoReturn:
        raise TemplateRuntimeError(
            f"Template {self._name or '<string>'!r} uses async constructs and cannot be "
            f"rendered with {method}()",
            template_name=self._name,
            suggestion="Use render_stream_async() (or await render_async()) instead.",
            code=ErrorCode.RUNTIME_ERROR,
        )

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render to a string; context from one optional mapping and/or keywords."""
        ctx = self._build_context(args, kwargs, "render")
        if self._is_async:
            self._async_only("render")
        rc = self._new_render_context()
        token = _current.set(rc)
        try:
            return self._render_func(ctx, None)
        except Exception as exc:
            enhanced = enhance_error(exc, rc)
            if enhanced is exc:
                raise
            raise enhanced from exc
        finally:
            _current.reset(token)

    def render_stream(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        """Render as a generator of chunks (same output as :meth:`render`)."""
        ctx = self._build_context(args, kwargs, "render_stream")
        if self._is_async:
            self._async_only("render_stream")
        rc = self._new_render_context()
        run = contextvars.copy_context().run
        run(_current.set, rc)
        return self._stream(run, self._stream_func(ctx, None), rc)

    @staticmethod
    def _stream(run: Callable[..., Any], gen: Iterator[str], rc: RenderContext) -> Iterator[str]:
        while True:
            try:
                chunk = run(next, gen)
            except StopIteration:
                return
            except Exception as exc:
                enhanced = enhance_error(exc, rc)
                if enhanced is exc:
                    raise
                raise enhanced from exc
            yield chunk

    async def render_async(self, *args: Any, **kwargs: Any) -> str:
        """Render in a worker thread so the event loop is not blocked."""
        return await asyncio.to_thread(self.render, *args, **kwargs)

    async def render_stream_async(self, *args: Any, **kwargs: Any) -> AsyncIterator[str]:
        """Async generator of chunks (wraps the sync stream for sync templates)."""
        for chunk in self.render_stream(*args, **kwargs):
            yield chunk

    def __repr__(self) -> str:
        return f"<Template {self._name or '<string>'!r}>"


class RenderedTemplate:
    """A template bound to a context: ``str()`` renders, iteration streams."""

    __slots__ = ("_context", "_template")

    def __init__(self, template: Template, context: Mapping[str, Any]) -> None:
        self._template = template
        self._context = context

    def __str__(self) -> str:
        return self._template.render(self._context)

    def __iter__(self) -> Iterator[str]:
        return self._template.render_stream(self._context)
