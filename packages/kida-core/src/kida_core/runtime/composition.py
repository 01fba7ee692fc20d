"""Templates using other templates at render time: extends, include, import.

One :class:`Composer` per compiled template binds the Environment's runtime
services and the template's own name; the generated code calls its bound methods.
Each nested render runs under a child :class:`RenderContext`, so include
depth, extends depth and the template stack are tracked per render.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from kida_core.errors import (
    ErrorCode,
    SecurityError,
    TemplateNotFoundError,
    TemplateRuntimeError,
    TemplatesNotFoundError,
)
from kida_core.markup import Markup
from kida_core.render_context import RenderContext, _current
from kida_core.runtime.blocks import Blocks, is_coroutine_function, register_chains
from kida_core.runtime.inheritance import Hops, fits, note_skipped, passage

if TYPE_CHECKING:
    from kida_core.runtime.services import RuntimeServices
    from kida_core.template import RenderFunc, Template

Context = dict[str, Any]


class TemplateModule:
    """What ``{% import "x.html" as x %}`` binds: the target's top-level names."""

    __slots__ = ("_names", "_template_name")

    def __init__(self, template_name: str | None, names: Mapping[str, Any]) -> None:
        self._template_name = template_name
        self._names = dict(names)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._names[name]
        except KeyError:
            raise AttributeError(name) from None

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __dir__(self) -> list[str]:
        return sorted(self._names)

    def __repr__(self) -> str:
        return f"<TemplateModule {self._template_name!r}: {', '.join(sorted(self._names))}>"


class RenderedModule(TemplateModule):
    """``Template.module``/``make_module()``: the top-level names plus the rendered output.

    ``str(module)`` is the output; ``module.__html__()`` the same as Markup,
    so ``{{ module }}`` inserts it unescaped.
    """

    __slots__ = ("_body",)

    def __init__(self, template_name: str | None, names: Mapping[str, Any], body: str) -> None:
        super().__init__(template_name, names)
        self._body = body

    def __str__(self) -> str:
        return self._body

    def __html__(self) -> Markup:
        return Markup(self._body)


class TemplateBase:
    """Base class of ``Template``: the runtime recognises a template object passed as
    an include/extends/import target without importing the template module."""

    __slots__ = ()


def _current_context() -> RenderContext:
    rc = _current.get()
    return rc if rc is not None else RenderContext()


@contextmanager
def _nested(child: RenderContext) -> Iterator[RenderContext]:
    token = _current.set(child)
    try:
        yield child
    finally:
        _current.reset(token)


class Composer:
    """extends/include/import for one compiled template."""

    __slots__ = ("_link", "_name", "_profiling", "_services")

    def __init__(self, services: RuntimeServices, template_name: str | None) -> None:
        self._services = services
        self._name = template_name
        self._profiling = services.profiling
        #: The parent last extended by name and the template that name loaded:
        #: reused while the Environment would still load that template for it.
        #: Replaced as a whole (an immutable pair), so renders in other threads
        #: see either the old pair or the new one.
        self._link: tuple[str, Template] | None = None

    # -- loading ------------------------------------------------------------------

    def _load(self, target: Any, line: int, rc: RenderContext | None = None) -> Template:
        if isinstance(target, TemplateBase):
            template = cast("Template", target)
            if template._env_ref() is not self._services.environment_ref():
                self._services.environment(self._name)  # K-RUN-014 once it is gone
                if self._services.guard is not None:
                    # A template of another (unguarded) environment would run unchecked
                    # on names the guarded template bound.
                    raise SecurityError(
                        f"Template {template.name or '<string>'!r} belongs to another "
                        "Environment and cannot be included, extended or imported from a "
                        "guarded one",
                        code=ErrorCode.BLOCKED_TYPE,
                        suggestion="Pass the template's name and load it through this "
                        "environment's loader instead of passing the Template object.",
                    )
            return template
        if rc is None:
            rc = _current_context()
        loaded = rc._loaded
        if loaded is None:
            loaded = rc._loaded = {}
        key = (tuple(target) if isinstance(target, list) else target, self._name)
        found = loaded.get(key)
        if found is None:
            found = loaded[key] = self._load_uncached(target, line)
        return found

    def _load_uncached(self, target: Any, line: int) -> Template:
        load = self._services.load
        caller = (self._name, line)
        if isinstance(target, list | tuple):
            for candidate in target:
                try:
                    return load(str(candidate), caller)
                except TemplateNotFoundError:
                    continue
            raise TemplatesNotFoundError(
                list(target),
                f"None of the templates {list(map(str, target))!r} exist "
                f"(requested by {self._name or '<template>'}:{line})",
            )
        return load(str(target), caller)

    # -- include -------------------------------------------------------------------

    def _include_target(
        self, target: Any, ignore_missing: bool, line: int, *, reuse: bool = False
    ) -> tuple[Template, RenderContext] | None:
        """The template to include and the context to render it in (None: missing and
        ignored). With ``reuse`` the context is the include site's (see
        ``RenderContext.include_context``), else a new child."""
        rc = _current_context()
        try:
            template = self._load(target, line, rc)
        except TemplateNotFoundError:
            if ignore_missing:
                return None
            raise
        if reuse:
            key = (self, target if type(target) is str else None, template)
            child = rc.include_context(key, template.name, template._source, line)
        else:
            rc.line = line
            child = rc.child_context(template.name, source=template._source)
        if self._profiling:
            acc = _accumulator()
            if acc is not None:
                acc.record_include(template.name or "<string>")
        return template, child

    def include(
        self, target: Any, ctx: Context, ignore_missing: bool, with_context: bool, line: int
    ) -> str:
        """``{% include %}`` in a buffered render.

        An include this code already made from this line in this render (in a
        loop, say) takes the shortest path: the template it loaded, its reused
        context and the render function called directly.
        """
        rc = _current.get()
        includes = rc._includes if rc is not None else None
        known = includes.get(line) if includes is not None else None
        if known is not None and not self._profiling:
            key = known[0]
            if key[0] is self and type(target) is str and key[1] == target:
                render: RenderFunc | None = key[2]._render_func
                if render is not None:
                    assert rc is not None
                    rc.line = line
                    child = known[1]
                    child.line = 0  # what RenderContext.restart does, without the call
                    child._meta = rc._meta
                    token = _current.set(child)
                    try:
                        return render(ctx if with_context else {}, None)
                    finally:
                        _current.reset(token)
        found = self._include_target(target, ignore_missing, line, reuse=True)
        if found is None:
            return ""
        template, child = found
        token = _current.set(child)
        try:
            return template._render_function()(ctx if with_context else {}, None)
        finally:
            _current.reset(token)

    def _known_site(self, target: Any, line: int) -> tuple[Template, RenderContext] | None:
        """The template and reused context of the include this code last made from
        ``line`` in this render, when ``target`` names it again (what :meth:`include`
        checks inline); None: load it as usual."""
        rc = _current.get()
        includes = rc._includes if rc is not None else None
        known = includes.get(line) if includes is not None else None
        if known is None or self._profiling:
            return None
        key = known[0]
        if key[0] is not self or type(target) is not str or key[1] != target:
            return None
        assert rc is not None
        rc.line = line
        return key[2], known[1].restart(rc)

    def include_stream(
        self, target: Any, ctx: Context, ignore_missing: bool, with_context: bool, line: int
    ) -> Iterator[str]:
        """``{% include %}`` in a streamed render (a known site skips the loading)."""
        found = self._known_site(target, line) or self._include_target(
            target, ignore_missing, line, reuse=True
        )
        if found is None:
            return
        template, child = found
        token = _current.set(child)
        try:
            yield from template._stream_function()(ctx if with_context else {}, None)
        finally:
            _current.reset(token)

    async def include_astream(
        self, target: Any, ctx: Context, ignore_missing: bool, with_context: bool, line: int
    ) -> AsyncIterator[str]:
        """``{% include %}`` in an async-streamed render (a known site skips the loading)."""
        found = self._known_site(target, line) or self._include_target(
            target, ignore_missing, line, reuse=True
        )
        if found is None:
            return
        template, child = found
        token = _current.set(child)
        try:
            async for chunk in template._astream_function()(ctx if with_context else {}, None):
                yield chunk
        finally:
            _current.reset(token)

    # -- embed: an include with block overrides ------------------------------------

    def embed(self, target: Any, ctx: Context, blocks: Blocks, line: int) -> str:
        """``{% embed %}`` in a buffered render: the target with ``blocks`` overriding its own."""
        found = self._include_target(target, False, line)
        assert found is not None  # not ignore_missing: a missing target raised
        template, child = found
        with _nested(child):
            return template._render_function()(ctx, blocks)

    def embed_stream(self, target: Any, ctx: Context, blocks: Blocks, line: int) -> Iterator[str]:
        """``{% embed %}`` in a streamed render."""
        found = self._include_target(target, False, line)
        assert found is not None
        template, child = found
        with _nested(child):
            yield from template._stream_function()(ctx, blocks)

    async def embed_astream(
        self, target: Any, ctx: Context, blocks: Blocks, line: int
    ) -> AsyncIterator[str]:
        """``{% embed %}`` in an async-streamed render."""
        found = self._include_target(target, False, line)
        assert found is not None
        template, child = found
        with _nested(child):
            async for chunk in template._astream_function()(ctx, blocks):
                yield chunk

    def _refuse_cycle(
        self, kind: str, chain: tuple[str | None, ...], target: str | None, line: int, hint: str
    ) -> None:
        """Raise ``CIRCULAR_IMPORT`` when ``target`` is already in ``chain``."""
        if target is not None and target in chain:
            cycle = " → ".join(str(name) for name in (*chain, target))
            raise TemplateRuntimeError(
                f"Circular {kind} detected: {cycle}",
                template_name=self._name,
                lineno=line,
                suggestion=hint,
                code=ErrorCode.CIRCULAR_IMPORT,
            )

    # -- extends --------------------------------------------------------------------

    def parent(self, target: Any, line: int) -> Template:
        """The template ``{% extends target %}`` renders, loaded once per name.

        A name's template is remembered and reused while the Environment's
        cache still holds it (with ``auto_reload``: while the loader's
        ``source_version`` of it is unchanged), so an edited parent is picked up
        on the next render without loading it on every one.
        """
        link = self._link
        if (
            link is not None
            and link[0] == target
            and self._services.environment(self._name).is_current(link[1])
        ):
            return link[1]
        template = self._load(target, line)
        if type(target) is str:
            self._link = (target, template)
        return template

    def _parent(
        self, target: Any, line: int, blocks: Blocks, *, sync: bool
    ) -> tuple[Template, RenderContext, Hops]:
        """The template to render for ``{% extends target %}``, the context to render
        it in, and the extends-only parents gone through on the way.

        Extends-only parents are gone through at once: their blocks are
        registered in ``blocks`` and the first template that runs code is returned.
        """
        template = self.parent(target, line)
        rc = _current_context()
        rc.line = line
        chain = (*rc._extends_chain, self._name)
        self._refuse_cycle(
            "extends",
            chain,
            template.name,
            line,
            "A template cannot extend itself, directly or through its parents.",
        )
        if template._extends_only:
            known = passage(template)
            if known is not None and (known.sync or not sync) and fits(known, rc, chain, 1):
                register_chains(blocks, known.blocks)
                start = known.target
                hops = ((rc.template_name, line), *known.hops)
                child = rc.child_context_through_extends(hops, start.name, source=start._source)
                return start, child, known.hops
        child = rc.child_context_for_extends(template.name, source=template._source)
        child._extends_chain = chain
        return template, child, ()

    def extends(self, target: Any, ctx: Context, blocks: Blocks, line: int) -> str:
        """Render the parent with this template's blocks registered."""
        template, child, skipped = self._parent(target, line, blocks, sync=True)
        token = _current.set(child)
        try:
            return template._render_function()(ctx, blocks)
        except Exception as exc:
            note_skipped(exc, sys._getframe(1), skipped)
            raise
        finally:
            _current.reset(token)

    def extends_stream(self, target: Any, ctx: Context, blocks: Blocks, line: int) -> Iterator[str]:
        """Stream the parent with this template's blocks registered."""
        template, child, skipped = self._parent(target, line, blocks, sync=True)
        with _nested(child):
            try:
                yield from template._stream_function()(ctx, blocks)
            except Exception as exc:
                note_skipped(exc, sys._getframe(1), skipped)
                raise

    async def extends_astream(
        self, target: Any, ctx: Context, blocks: Blocks, line: int
    ) -> AsyncIterator[str]:
        """Async-stream the parent with this template's blocks registered."""
        template, child, skipped = self._parent(target, line, blocks, sync=False)
        with _nested(child):
            try:
                async for chunk in template._astream_function()(ctx, blocks):
                    yield chunk
            except Exception as exc:
                note_skipped(exc, sys._getframe(1), skipped)
                raise

    # -- import -----------------------------------------------------------------------

    def import_module(
        self, target: Any, ctx: Context, with_context: bool, line: int
    ) -> TemplateModule:
        """``{% import %}``: run the target's top-level setup and expose what it binds."""
        template = self._load(target, line)
        rc = _current_context()
        chain = (*rc.import_stack, self._name)
        self._refuse_cycle(
            "import",
            chain,
            template.name,
            line,
            "Move the shared defs into a third template both can import.",
        )
        child = rc.child_context(template.name, source=template._source)
        child.import_stack = chain
        names: Mapping[str, Any] = {}
        setup = template._globals_setup
        if setup is not None and is_coroutine_function(setup):
            raise TemplateRuntimeError(
                f"Cannot import from {template.name!r}: its top level uses await",
                lineno=line,
                suggestion="Move the awaited values into the importing template.",
                code=ErrorCode.RUNTIME_ERROR,
            )
        with _nested(child):
            if setup is not None:
                names = setup(dict(ctx) if with_context else {})
        return TemplateModule(template.name, names)

    @staticmethod
    def import_name(module: TemplateModule, name: str, line: int) -> Any:
        """``{% from x import name %}``: one name of an imported template."""
        if name in module:
            return getattr(module, name)
        available = ", ".join(dir(module)) or "none"
        raise TemplateRuntimeError(
            f"{module._template_name!r} does not define '{name}' (it defines: {available})",
            lineno=line,
            suggestion="Check the spelling, or define it at the top level of that template.",
            code=ErrorCode.MACRO_NOT_FOUND,
        )


def _accumulator() -> Any:
    from kida_core.render_accumulator import get_accumulator

    return get_accumulator()
