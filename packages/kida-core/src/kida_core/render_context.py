"""Per-render state, held in a ContextVar.

Generated code fetches the active :class:`RenderContext` once per render and
updates ``line`` before statements that can fail, so error messages can point
at the template line without ever writing into the user's context dict.
Each thread and each asyncio task sees its own context.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar, Token
from types import MappingProxyType
from typing import Any

from kida_core.errors import ErrorCode, TemplateRuntimeError
from kida_core.settings import DEFAULT_MAX_EXTENDS_DEPTH, DEFAULT_MAX_INCLUDE_DEPTH

_current: ContextVar[RenderContext | None] = ContextVar("kida_render_context", default=None)


_EMPTY: Mapping[str, Any] = MappingProxyType({})


class RenderShared:
    """What every context of one render shares: provided values and content stacks.

    Created on the render's first context the first time it forks (or uses
    one of them), so includes, parents and imports read and write the same
    stacks as the page.
    """

    __slots__ = ("providers", "pushed", "stacks", "token")

    def __init__(self) -> None:
        #: ``{% provide %}`` key → values, innermost last.
        self.providers: dict[str, list[Any]] = {}
        #: Content stack name → the pushed content, in render order.
        self.pushed: dict[str, list[str]] = {}
        #: The stack name of each placeholder, by index (empty: no ``{% stack %}`` yet).
        self.stacks: list[str] = []
        #: Makes this render's placeholders unguessable to the data it outputs.
        self.token = ""

    def placeholder(self, name: str) -> str:
        """Text standing where ``{% stack name %}`` is, replaced by :meth:`fill`."""
        if not self.token:
            # os.urandom: as unguessable as secrets, without importing it (cold start).
            self.token = str(int.from_bytes(os.urandom(8), "big"))
        self.stacks.append(name)
        return _placeholder(self.token, len(self.stacks) - 1)

    def fill(self, output: str) -> str:
        """``output`` with every stack placeholder replaced by what was pushed to it."""
        for index, name in enumerate(self.stacks):
            pushed = "".join(self.pushed.get(name, ()))
            output = output.replace(_placeholder(self.token, index), pushed)
        return output


def _placeholder(token: str, index: int) -> str:
    # Control characters and digits: escaping, case filters and HTML leave it intact.
    return f"\x00{token}:{index}\x00"


class RenderContext:
    """Mutable state of one render (one per render call, never shared).

    Construction is on every render's hot path, so unset fields fall back to
    class-level defaults and the containers are copy-on-write: code never
    mutates ``template_stack``/``component_stack`` in place, it rebinds them.
    """

    template_name: str | None = None
    filename: str | None = None
    source: str | None = None
    line: int = 0
    include_depth: int = 0
    max_include_depth: int = DEFAULT_MAX_INCLUDE_DEPTH
    extends_depth: int = 0
    max_extends_depth: int = DEFAULT_MAX_EXTENDS_DEPTH
    template_stack: Sequence[tuple[str | None, int]] = ()
    component_stack: Sequence[tuple[str | None, int, str]] = ()
    cached_blocks: Mapping[str, str] = _EMPTY
    cached_block_names: frozenset[str] = frozenset()
    cache_stats: dict[str, int] | None = None
    _meta: Mapping[str, Any] = _EMPTY
    #: Provided values and content stacks (None until first needed).
    _shared: RenderShared | None = None
    #: Templates already loaded by this render, keyed by (name, caller): an
    #: include in a loop is looked up once per render (set by Template).
    _loaded: dict[tuple[object, str | None], Any] | None = None
    #: Templates on the current import path, outermost first (cycle detection);
    #: a constructor keyword like the other fields.
    import_stack: Sequence[str | None] = ()
    #: Templates on the current extends path (cycle detection).
    _extends_chain: tuple[str | None, ...] = ()
    #: The translations catalog active when the render started
    #: (``Environment.use_translations``; None: the Environment's own).
    translations: Any = None
    #: The contexts of the includes made from this one, by the line of the include,
    #: each with the key of what it was made for (the including code, the target,
    #: the template): an include in a loop reuses its context (see
    #: :meth:`include_context`). Never copied to a child.
    _includes: dict[int, tuple[tuple[Any, ...], RenderContext]] | None = None

    def __init__(
        self,
        template_name: str | None = None,
        filename: str | None = None,
        source: str | None = None,
        **fields: Any,
    ) -> None:
        self.template_name = template_name
        self.filename = filename
        self.source = source
        for key, value in fields.items():
            if not hasattr(RenderContext, key):
                raise TypeError(f"RenderContext has no field {key!r}")
            setattr(self, key, value)

    def __repr__(self) -> str:
        return (
            f"RenderContext(template_name={self.template_name!r}, line={self.line}, "
            f"include_depth={self.include_depth}, extends_depth={self.extends_depth})"
        )

    def check_include_depth(self, name: str | None) -> None:
        """Raise K-RUN-006 when including ``name`` would exceed the limit."""
        self._check_depth(
            "include", name, self.include_depth, self.max_include_depth, ErrorCode.INCLUDE_DEPTH
        )

    def check_extends_depth(self, name: str | None) -> None:
        """Raise when extending ``name`` would exceed the extends limit."""
        self._check_depth(
            "extends", name, self.extends_depth, self.max_extends_depth, ErrorCode.CIRCULAR_IMPORT
        )

    def _check_depth(
        self, kind: str, name: str | None, depth: int, limit: int, code: ErrorCode
    ) -> None:
        if depth >= limit:
            raise TemplateRuntimeError(
                f"Maximum {kind} depth exceeded ({limit}) while processing {name!r}",
                template_name=self.template_name,
                lineno=self.line,
                suggestion=f"Look for an {kind} cycle, or raise max_{kind}_depth.",
                code=code,
            )

    def _clone(self) -> RenderContext:
        """A copy of this context writing to the same provided values and stacks.

        Copies the instance dict (cheap: it only holds what differs from the
        class defaults) instead of going through ``__init__``; this context's
        own include contexts stay with it.
        """
        self.shared()
        child = RenderContext.__new__(RenderContext)
        state = child.__dict__
        state.update(self.__dict__)
        if "_includes" in state:
            del state["_includes"]
        return child

    def _fork(self, template_name: str | None, source: str | None) -> RenderContext:
        """A child sharing this render's meta, providers and loaded templates."""
        child = self._clone()
        state = child.__dict__
        state["template_name"] = template_name
        state["filename"] = None
        state["source"] = source
        state["line"] = 0
        state["template_stack"] = (*self.template_stack, (self.template_name, self.line))
        return child

    def child_context(
        self, template_name: str | None = None, *, source: str | None = None
    ) -> RenderContext:
        """A context for an include/embed: depth + 1, stacks copied.

        Without ``template_name`` the child keeps this context's name.
        """
        if template_name is None:
            template_name = self.template_name
        if self.include_depth >= self.max_include_depth:  # the check, without a call per include
            self.check_include_depth(template_name)
        child = self._fork(template_name, source)
        child.include_depth += 1
        return child

    def include_context(
        self, key: tuple[Any, ...], template_name: str | None, source: str | None, line: int
    ) -> RenderContext:
        """The context to render an include on ``line`` in, for the include ``key``.

        What :meth:`child_context` gives, made once per include site and key
        (a tuple that is equal for includes of the same template by the same
        code): the next such include there (in a loop) gets the same context
        back with what the included template may have changed on it (its line
        and metadata) reset, so it starts exactly like a new child.
        """
        self.line = line
        includes = self._includes
        if includes is None:
            includes = self._includes = {}
        known = includes.get(line)
        if known is not None and known[0] == key:
            return known[1].restart(self)
        child = self.child_context(template_name, source=source)
        includes[line] = (key, child)
        return child

    def restart(self, parent: RenderContext) -> RenderContext:
        """This include context, made by ``parent``, as it was when it was made."""
        self.line = 0
        self._meta = parent._meta
        return self

    def child_context_for_extends(
        self, parent_name: str | None, *, source: str | None = None
    ) -> RenderContext:
        """A context for rendering a parent template: extends depth + 1."""
        self.check_extends_depth(parent_name)
        child = self._fork(parent_name, source)
        child.extends_depth += 1
        return child

    def child_context_through_extends(
        self,
        hops: tuple[tuple[str | None, int], ...],
        target_name: str | None,
        *,
        source: str | None = None,
    ) -> RenderContext:
        """A context for rendering ``target_name`` at the end of several extends at once.

        ``hops`` are ``(template, line of its extends)`` from this context's
        template on; the result is what :meth:`child_context_for_extends` would
        give after each of them (the caller checks the depth and cycles first).
        """
        child = self._clone()
        state = child.__dict__
        state["template_name"] = target_name
        state["filename"] = None
        state["source"] = source
        state["line"] = 0
        state["template_stack"] = (*self.template_stack, *hops)
        state["extends_depth"] = self.extends_depth + len(hops)
        state["_extends_chain"] = (*self._extends_chain, *(name for name, _ in hops))
        return child

    def get_meta(self, key: str, default: Any = None) -> Any:
        """Framework metadata (HTMX headers, CSRF token, ...)."""
        return self._meta.get(key, default)

    def set_meta(self, key: str, value: Any) -> None:
        """Set framework metadata, visible to this render and its children."""
        if self._meta is _EMPTY:
            self._meta = {}
        self._meta[key] = value  # type: ignore[index]

    def shared(self) -> RenderShared:
        """The provided values and content stacks of this render."""
        shared = self._shared
        if shared is None:
            shared = self._shared = RenderShared()
        return shared

    def provide(self, key: str, value: Any) -> None:
        """Push ``value`` on the provider stack of ``key``."""
        self.shared().providers.setdefault(key, []).append(value)

    def unprovide(self, key: str) -> None:
        """Pop the innermost provided value of ``key``."""
        stack = self.shared().providers.get(key)
        if stack:
            stack.pop()

    def consume(self, key: str, default: Any = None) -> Any:
        """The innermost provided value of ``key``, or ``default``."""
        if self._shared is None:
            return default
        stack = self._shared.providers.get(key)
        return stack[-1] if stack else default

    def push(self, name: str, content: str) -> None:
        """Append ``content`` to the content stack ``name``."""
        self.shared().pushed.setdefault(name, []).append(content)

    def stack(self, name: str) -> str:
        """The placeholder of ``{% stack name %}``, filled when the render ends."""
        return self.shared().placeholder(name)

    def fill_stacks(self, output: str) -> str:
        """``output`` with the stack placeholders filled (unchanged when there are none)."""
        shared = self._shared
        if shared is None or not shared.stacks:
            return output
        return shared.fill(output)


def get_render_context() -> RenderContext | None:
    """The active render context, or None outside a render."""
    return _current.get()


def get_render_context_required() -> RenderContext:
    """The active render context; raises K-RUN-017 outside a render."""
    ctx = _current.get()
    if ctx is None:
        raise TemplateRuntimeError(
            "No active render context: this API is only available while a template renders",
            suggestion="Call it from inside a render, or wrap the call in render_context().",
            code=ErrorCode.NOT_IN_RENDER_CONTEXT,
        )
    return ctx


def set_render_context(ctx: RenderContext | None) -> Token[RenderContext | None]:
    """Install ``ctx`` as the active context; returns the token to reset it."""
    return _current.set(ctx)


def reset_render_context(token: Token[RenderContext | None]) -> None:
    """Restore the context active before :func:`set_render_context`."""
    _current.reset(token)


def _new_context(
    template_name: str | None,
    filename: str | None,
    source: str | None,
    cached_blocks: dict[str, str] | None,
    cache_stats: dict[str, int] | None,
    parent_meta: dict[str, Any] | None,
    max_extends_depth: int,
    max_include_depth: int,
) -> RenderContext:
    outer = _current.get()
    meta: Mapping[str, Any] = dict(parent_meta) if parent_meta is not None else _EMPTY
    if parent_meta is None and outer is not None and outer._meta:
        meta = dict(outer._meta)
    blocks: Mapping[str, str] = cached_blocks or _EMPTY
    return RenderContext(
        template_name=template_name,
        filename=filename,
        source=source,
        max_include_depth=max_include_depth,
        max_extends_depth=max_extends_depth,
        cached_blocks=blocks,
        cached_block_names=frozenset(blocks),
        cache_stats=cache_stats,
        _meta=meta,
    )


@contextmanager
def render_context(
    template_name: str | None = None,
    filename: str | None = None,
    source: str | None = None,
    cached_blocks: dict[str, str] | None = None,
    cache_stats: dict[str, int] | None = None,
    parent_meta: dict[str, Any] | None = None,
    max_extends_depth: int = DEFAULT_MAX_EXTENDS_DEPTH,
    max_include_depth: int = DEFAULT_MAX_INCLUDE_DEPTH,
) -> Iterator[RenderContext]:
    """Run a block of code with a fresh render context.

    A render started inside an outer context inherits its metadata, so a
    framework can ``set_meta`` before calling ``template.render``.
    """
    ctx = _new_context(
        template_name,
        filename,
        source,
        cached_blocks,
        cache_stats,
        parent_meta,
        max_extends_depth,
        max_include_depth,
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@asynccontextmanager
async def async_render_context(
    template_name: str | None = None,
    filename: str | None = None,
    source: str | None = None,
    cached_blocks: dict[str, str] | None = None,
    cache_stats: dict[str, int] | None = None,
    parent_meta: dict[str, Any] | None = None,
    max_extends_depth: int = DEFAULT_MAX_EXTENDS_DEPTH,
    max_include_depth: int = DEFAULT_MAX_INCLUDE_DEPTH,
) -> AsyncIterator[RenderContext]:
    """Async counterpart of :func:`render_context` (same arguments)."""
    with render_context(
        template_name,
        filename,
        source,
        cached_blocks,
        cache_stats,
        parent_meta,
        max_extends_depth,
        max_include_depth,
    ) as ctx:
        yield ctx
