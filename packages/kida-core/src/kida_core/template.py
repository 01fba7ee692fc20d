"""``Template``: a compiled template, immutable and safe to render from many threads."""

from __future__ import annotations

import contextlib
import contextvars
import types
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn, TypedDict, TypeVar

import kida_core.introspection as introspection
from kida_core.codegen import ASTREAM, FACTS_NAME, SETUP, STREAM
from kida_core.errors import BlockNotFoundError, ErrorCode, TemplateRuntimeError
from kida_core.render_context import RenderContext, _current
from kida_core.runtime.blocks import (
    BlockDef,
    Blocks,
    is_coroutine_function,
    override,
    register_blocks,
    register_chains,
)
from kida_core.runtime.composition import Composer, RenderedModule, TemplateBase
from kida_core.runtime.deferred import CompilePart, DeferredFunction, DeferredParts
from kida_core.runtime.enhance import enhance_error
from kida_core.runtime.i18n import ACTIVE
from kida_core.runtime.inheritance import Passage, passage
from kida_core.runtime.macros import block_defs
from kida_core.runtime.namespace import bind_parameters, build_namespace, code_names
from kida_core.runtime.output import output_limit_error
from kida_core.runtime.template_info import TemplateInfo
from kida_core.settings import DEFAULT_MAX_EXTENDS_DEPTH, DEFAULT_MAX_INCLUDE_DEPTH
from kida_core.tree_blob import TreeBlob

if TYPE_CHECKING:
    from kida_core.environment import Environment
    from kida_core.errors import TemplateWarning
    from kida_core.metadata import BlockMetadata, DefMetadata, TemplateMetadata
    from kida_core.nodes import TemplateNode

RenderFunc = Callable[..., str]
StreamFunc = Callable[..., Iterator[str]]
AsyncStreamFunc = Callable[..., AsyncIterator[str]]
SetupFunc = Callable[[dict[str, Any]], dict[str, Any]]
T = TypeVar("T")


_DEFAULT_LIMITS = (DEFAULT_MAX_EXTENDS_DEPTH, DEFAULT_MAX_INCLUDE_DEPTH)


class ErrorDict(TypedDict):
    """What ``{% fallback err %}`` binds: the error that ended the try body."""

    message: str
    type: str
    template: str | None
    line: int | None


class Template(TemplateBase):
    """A compiled template ready for rendering.

    Keeps its Environment alive, so ``Environment().get_template(n).render()``
    can still extend, include and import (the ``Environment → cache → Template
    → Environment`` cycle is the garbage collector's). Every render builds
    only local state, so one Template renders concurrently from any number of
    threads.
    """

    __slots__ = (
        "__weakref__",
        "_astream_func",
        "_block_defs",
        "_block_names",
        "_code",
        "_composer",
        "_def_names",
        "_env_ref",
        "_extends",
        "_extends_only",
        "_filename",
        "_globals",
        "_globals_setup",
        "_introspection",
        "_is_async",
        "_limits",
        "_max_output",
        "_name",
        "_optimized_ast",
        "_passage",
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
        optimized_ast: TemplateNode | TreeBlob | None = None,
        source: str | None = None,
        precomputed: list[Any] | None = None,
        *,
        warnings: tuple[TemplateWarning, ...] | list[TemplateWarning] = (),
        deferred: CompilePart | None = None,
    ) -> None:
        """``deferred`` compiles the parts ``code`` leaves out (``kida_core.runtime.deferred``)."""
        services = env.runtime_services()
        self._env_ref: Callable[[], Environment | None] = services.environment_ref
        limits = (services.limits.max_extends_depth, services.limits.max_include_depth)
        self._limits = _DEFAULT_LIMITS if limits == _DEFAULT_LIMITS else limits
        guard = services.guard
        self._max_output = guard.max_output_size if guard is not None else None
        self._code = code
        self._name = name
        self._filename = filename
        self._optimized_ast = optimized_ast
        self._source = source
        self._precomputed = tuple(precomputed or ())
        self._warnings = tuple(warnings)
        self._introspection: dict[str, Any] = {}
        self._globals: Mapping[str, Any] = {}
        self._composer = Composer(services, name)
        scan = code_names(code)
        namespace = build_namespace(
            services,
            code,
            TemplateInfo(name, filename, source),
            list(self._precomputed),
            self._composer,
            scan,
        )
        parts = None if deferred is None else DeferredParts(deferred, namespace, services)
        exec(code, namespace)
        bind_parameters(scan, namespace)
        recorded = namespace.get("__kida_warnings__", ())
        if not self._warnings and recorded:
            from kida_core.errors import TemplateWarning

            self._warnings = tuple(
                TemplateWarning(ErrorCode(code_value), message, template, lineno, suggestion)
                for code_value, message, template, lineno, suggestion in recorded
            )
        extends, extends_only, block_names, def_names, left_out, block_rows = namespace[FACTS_NAME]
        defs = block_defs(block_rows, name, namespace, None if parts is None else parts.stand_in)
        if services.profiling:
            from kida_core.runtime.profiling import timed_blocks

            defs = timed_blocks(defs)
        # What the generated functions read as ``_block_defs``.
        namespace["_block_defs"] = defs
        self._render_func: RenderFunc | None = namespace.get("render")
        self._stream_func: StreamFunc | None = namespace.get("render_stream")
        self._astream_func: AsyncStreamFunc | None = namespace.get("render_stream_async")
        self._is_async = self._render_func is None
        self._globals_setup: SetupFunc | None = namespace.get("_globals_setup")
        if parts is not None and STREAM in left_out:
            self._stream_func = parts.stand_in(STREAM, "render_stream")
        if parts is not None and ASTREAM in left_out:
            self._astream_func = parts.stand_in(ASTREAM, "render_stream_async")
        if parts is not None and SETUP in left_out:
            self._globals_setup = parts.stand_in(SETUP, "_globals_setup")
        self._block_defs: dict[str, BlockDef] = defs
        #: The literal parent ``(name, line of the extends)``, if any.
        self._extends: tuple[str, int] | None = extends
        #: Whether the render function only registers the blocks and extends that parent.
        self._extends_only: bool = extends_only
        #: Computed on first use (see ``runtime/inheritance.py``); replaced whole.
        self._passage: Passage | None = None
        self._block_names: tuple[str, ...] = block_names
        self._def_names: tuple[str, ...] = def_names

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
                f"The Environment of template {self._name or '<string>'!r} was detached and "
                "garbage collected",
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

        The template's own globals (``get_template(name, globals=...)``) lie
        under both. The caller's mapping is never copied unless something
        must be merged into it, and never mutated.
        """
        if args and (len(args) > 1 or not isinstance(args[0], Mapping)):
            raise TypeError(
                f"Template.{method}() takes at most one positional argument, a mapping "
                f"of context variables (got {len(args)} positional argument(s))"
            )
        ctx: Mapping[str, Any] = kwargs
        if args:
            ctx = {**args[0], **kwargs} if kwargs else args[0]
        if self._globals:
            return {**self._globals, **ctx}
        return ctx

    # -- globals and modules (the Jinja2 API) ---------------------------------------

    @property
    def globals(self) -> Mapping[str, Any]:
        """The globals this template sees: the Environment's, then its own (read-only)."""
        env = self._env_ref()
        shared = env.globals if env is not None else {}
        return types.MappingProxyType({**shared, **self._globals})

    def _add_globals(self, values: Mapping[str, Any]) -> None:
        """Merge ``values`` into this template's own globals (one atomic swap)."""
        self._globals = {**self._globals, **values}

    @property
    def module(self) -> RenderedModule:
        """:meth:`make_module` without variables, computed once."""
        memo = self._introspection
        if "module" not in memo:
            memo["module"] = self.make_module()
        return memo["module"]  # type: ignore[no-any-return]

    def make_module(
        self,
        vars: Mapping[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> RenderedModule:
        """Render the template and expose what it defines, like ``{% import %}`` does.

        The module's attributes are the top-level defs and assignments
        (``set``/``let``/``export``); ``str(module)`` is the rendered output.
        ``vars`` are the variables (with ``shared``, used without this
        template's own globals under them); ``locals`` add to them.
        """
        if self._is_async or (
            self._globals_setup is not None and is_coroutine_function(self._globals_setup)
        ):
            raise TemplateRuntimeError(
                f"Template {self._name or '<string>'!r} uses async constructs, so it "
                "cannot be made a module synchronously",
                template_name=self._name,
                suggestion="Render it with render_stream_async(), or move the awaited "
                "values into the template that uses it.",
                code=ErrorCode.RUNTIME_ERROR,
            )
        ctx: dict[str, Any] = {**(vars or {}), **(locals or {})}
        if not shared and self._globals:
            ctx = {**self._globals, **ctx}
        body = self._run(self._new_render_context(), self._render_function(), ctx, None)
        names: Mapping[str, Any] = {}
        if self._globals_setup is not None:
            names = self._run(self._new_render_context(), self._globals_setup, dict(ctx))
        return RenderedModule(self._name, names, body)

    def _new_render_context(self) -> RenderContext:
        # What RenderContext(name, filename, source) makes, without the call of
        # its constructor (which also takes and checks keyword fields): every
        # render pays for this.
        rc = RenderContext.__new__(RenderContext)
        rc.template_name = self._name
        rc.filename = self._filename
        rc.source = self._source
        if self._limits is not _DEFAULT_LIMITS:
            rc.max_extends_depth, rc.max_include_depth = self._limits
        outer = _current.get()
        if outer is not None and outer._meta:
            rc._meta = outer._meta
        translations = ACTIVE.get()
        if translations is not None:  # use_translations: kept by streams consumed later
            rc.translations = translations
        return rc

    def _start(
        self, blocks: Blocks | None, *, sync: bool
    ) -> tuple[Template, RenderContext, Blocks | None]:
        """Where a full render begins: this template, or past its extends-only parents.

        Returns the template whose function to call, the render context to
        call it in (as after each extends on the way) and the block table to
        pass (``blocks``, or a new one).
        """
        if self._extends_only:
            known = passage(self)
            if (
                known is not None
                and (known.sync or not sync)
                and len(known.hops) <= self._limits[0]
            ):
                if blocks is None:
                    blocks = dict(known.blocks)
                else:
                    register_chains(blocks, known.blocks)
                start = known.target
                rc = start._new_render_context()
                rc.filename = None
                rc.extends_depth = len(known.hops)
                rc.template_stack = known.hops
                rc._extends_chain = known.chain
                return start, rc, blocks
        return self, self._new_render_context(), blocks

    def _async_only(self, method: str) -> NoReturn:
        raise TemplateRuntimeError(
            f"Template {self._name or '<string>'!r} uses async constructs and cannot be "
            f"rendered with {method}()",
            template_name=self._name,
            suggestion="Use render_stream_async() (or await render_async()) instead.",
            code=ErrorCode.RUNTIME_ERROR,
        )

    # -- the generated functions, per mode ------------------------------------------

    def _render_function(self) -> RenderFunc:
        if self._render_func is None:
            self._async_only("render")
        return self._render_func

    def _stream_function(self) -> StreamFunc:
        if self._stream_func is None:
            self._async_only("render_stream")
        return self._stream_func

    def _astream_function(self) -> AsyncStreamFunc:
        if self._astream_func is not None:
            return self._astream_func
        stream = self._stream_function()

        async def wrapped(ctx: Mapping[str, Any], blocks: Any) -> AsyncIterator[str]:
            for chunk in stream(ctx, blocks):
                yield chunk

        return wrapped

    def _run(self, rc: RenderContext, func: Callable[..., T], *args: Any) -> T:
        """Call ``func`` with ``rc`` active; errors come out located."""
        token = _current.set(rc)
        try:
            result = func(*args)
            if rc._shared is not None and isinstance(result, str):
                result = rc.fill_stacks(result)  # type: ignore[assignment]
            if self._max_output is not None and isinstance(result, str):
                self._check_output_size(len(result))
            return result
        except Exception as exc:
            _raise_located(exc, rc)
        finally:
            _current.reset(token)

    # -- full renders ------------------------------------------------------------------

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render to a string; context from one optional mapping and/or keywords."""
        # Keywords alone are the context as they are (what _build_context returns).
        ctx = self._build_context(args, kwargs, "render") if args or self._globals else kwargs
        func = self._render_func
        if func is None:
            self._async_only("render")
        if self._extends_only:
            start, rc, blocks = self._start(None, sync=True)
            return self._run(rc, start._render_function(), ctx, blocks)
        return self._run(self._new_render_context(), func, ctx, None)

    def render_stream(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        """Render as a generator of chunks (same output as :meth:`render`)."""
        ctx = (
            self._build_context(args, kwargs, "render_stream") if args or self._globals else kwargs
        )
        func = self._stream_func
        if func is None:
            self._async_only("render_stream")
        if self._extends_only:
            start, rc, blocks = self._start(None, sync=True)
            return self._stream_chunks(start._stream_function(), ctx, blocks, rc)
        if type(func) is DeferredFunction:
            # Compiled by the first stream; later ones call the function itself, not
            # its stand-in (every thread stores the same function).
            func = self._stream_func = func.compiled()
        rc = self._new_render_context()
        run = contextvars.copy_context().run
        run(_current.set, rc)
        return self._stream(run, func(ctx, None), rc)

    def _check_output_size(self, size: int) -> None:
        """K-SEC-005 when output grows past the runtime guard's ``max_output_size``."""
        if self._max_output is not None and size > self._max_output:
            raise output_limit_error(self._name, self._max_output)

    def _stream_chunks(
        self, func: StreamFunc, ctx: Mapping[str, Any], blocks: Any, rc: RenderContext
    ) -> Iterator[str]:
        run = contextvars.copy_context().run
        run(_current.set, rc)
        return self._stream(run, func(ctx, blocks), rc)

    def _stream(
        self, run: Callable[..., Any], gen: Iterator[str], rc: RenderContext
    ) -> Iterator[str]:
        # Chunks go straight out until something needs the gate: an output limit
        # (from the first chunk on) or a {% stack %} placeholder.
        gate: _StreamGate | None = None
        while True:
            try:
                chunk = run(next, gen)
            except StopIteration:
                break
            except Exception as exc:
                _raise_located(exc, rc)
            if gate is None:
                shared = rc._shared
                if self._max_output is None and (shared is None or not shared.stacks):
                    yield chunk
                    continue
                gate = _StreamGate(self, rc)
            passed = gate.admit(chunk)
            if passed is not None:
                yield passed
        rest = gate.finish() if gate is not None else None
        if rest is not None:
            yield rest

    async def render_async(self, *args: Any, **kwargs: Any) -> str:
        """Render without blocking the event loop.

        Sync templates render in a worker thread; async templates (``async
        for``/``await``) are collected from :meth:`render_stream_async`.
        """
        if self._is_async:
            return "".join([chunk async for chunk in self.render_stream_async(*args, **kwargs)])
        import asyncio  # deferred: most programs never render asynchronously

        return await asyncio.to_thread(self.render, *args, **kwargs)

    def render_stream_async(self, *args: Any, **kwargs: Any) -> AsyncIterator[str]:
        """Async iterator of chunks.

        Native for async templates and for templates that extend or include
        others (so async children and async includes work); a plain sync
        template's stream is wrapped. The render context (and any framework
        metadata) is taken when this is called, not when iteration starts.
        """
        ctx = self._build_context(args, kwargs, "render_stream_async")
        start, rc, blocks = self._start(None, sync=False)
        if start._astream_func is None:
            return _aiter(self._stream_chunks(start._stream_function(), ctx, blocks, rc))
        return self._astream(start._astream_func, ctx, blocks, rc)

    async def _astream(
        self, func: AsyncStreamFunc, ctx: Mapping[str, Any], blocks: Any, rc: RenderContext
    ) -> AsyncIterator[str]:
        token = _current.set(rc)
        gate = _StreamGate(self, rc)
        try:
            async for chunk in func(ctx, blocks):
                passed = gate.admit(chunk)
                if passed is not None:
                    yield passed
            rest = gate.finish()
            if rest is not None:
                yield rest
        except Exception as exc:
            _raise_located(exc, rc)
        finally:
            with contextlib.suppress(ValueError):  # closed from another context
                _current.reset(token)

    # -- blocks and fragments -----------------------------------------------------------

    def _inheritance_chain(self) -> list[Template]:
        """``[self, parent, ..., root]`` through literal ``{% extends %}`` targets."""
        chain = [self]
        template = self
        while template._extends is not None:
            name, line = template._extends
            parent = self._env.get_template(name, caller=(template._name, line))
            if any(parent is seen for seen in chain):
                names = " → ".join(str(t.name) for t in (*chain, parent))
                raise TemplateRuntimeError(
                    f"Circular extends detected: {names}",
                    template_name=self._name,
                    code=ErrorCode.CIRCULAR_IMPORT,
                )
            chain.append(parent)
            template = parent
        return chain

    def list_blocks(self) -> list[str]:
        """Names usable with :meth:`render_block`, own and inherited, in source order."""
        names: dict[str, None] = {}
        for template in self._inheritance_chain():
            names.update(dict.fromkeys(template._block_names))
        return list(names)

    def list_defs(self) -> list[str]:
        """Top-level ``{% def %}`` names in source order."""
        return list(self._def_names)

    def _missing_block_error(self, block_name: str, available: list[str]) -> BlockNotFoundError:
        import difflib  # deferred: only this path needs it

        close = difflib.get_close_matches(block_name, available, n=1, cutoff=0.6)
        hint = f"Did you mean '{close[0]}'?" if close else None
        return BlockNotFoundError(
            f"Block '{block_name}' not found in {self._name or '<string>'!r} "
            f"or its parents. Available blocks: {available!r}",
            template_name=self._name,
            suggestion=hint,
        )

    def _fragment_scaffold(
        self, block_name: str, args: tuple[Any, ...], kwargs: dict[str, Any], method: str
    ) -> tuple[dict[str, Any], Blocks, RenderContext, list[SetupFunc]]:
        """Context, block map, render context and the setups to run for one block.

        The setups are the top-level lets/defs/imports of the whole extends
        chain, leaf to root, as a full render runs them before the block.
        """
        ctx = dict(self._build_context(args, kwargs, method))
        chain = self._inheritance_chain()
        blocks: Blocks = {}
        for template in chain:
            register_blocks(blocks, template._block_defs)
        if block_name not in blocks:
            raise self._missing_block_error(block_name, self.list_blocks())
        setups = [t._globals_setup for t in chain if t._globals_setup is not None]
        return ctx, blocks, self._new_render_context(), setups

    def render_block(self, block_name: str, *args: Any, **kwargs: Any) -> str:
        """Render one block, fragment or region (regions take their parameters as kwargs)."""
        ctx, blocks, rc, setups = self._fragment_scaffold(block_name, args, kwargs, "render_block")
        definition = blocks[block_name][0]
        if definition.render is None or any(map(is_coroutine_function, setups)):
            self._async_only("render_block")
        for setup in setups:
            self._run(rc, setup, ctx)
        return self._run(rc, definition.rendered, ctx, blocks)

    def render_block_stream_async(
        self, block_name: str, *args: Any, **kwargs: Any
    ) -> AsyncIterator[str]:
        """Async-stream one block (native where an async stream exists, wrapped otherwise)."""
        scaffold = self._fragment_scaffold(block_name, args, kwargs, "render_block_stream_async")
        return self._block_astream(block_name, *scaffold)

    async def _block_astream(
        self,
        block_name: str,
        ctx: dict[str, Any],
        blocks: Blocks,
        rc: RenderContext,
        setups: list[SetupFunc],
    ) -> AsyncIterator[str]:
        token = _current.set(rc)
        try:
            for setup in setups:
                result = setup(ctx)
                if is_coroutine_function(setup):
                    await result  # type: ignore[misc]
        except Exception as exc:
            _raise_located(exc, rc)
        finally:
            _current.reset(token)
        definition = blocks[block_name][0]
        if definition.astream is not None:
            async for chunk in self._astream(definition.astream, ctx, blocks, rc):
                yield chunk
        elif definition.stream is not None:
            for chunk in self._stream_chunks(definition.stream, ctx, blocks, rc):
                yield chunk
        else:
            yield self._run(rc, definition.rendered, ctx, blocks)

    def render_with_blocks(
        self, block_overrides: Mapping[str, str], *args: Any, **kwargs: Any
    ) -> str:
        """Full render with the named blocks replaced by trusted, pre-rendered HTML."""
        available = self.list_blocks()
        for name in block_overrides:
            if name not in available:
                raise self._missing_block_error(name, available)
        overrides: Blocks = {name: (override(html),) for name, html in block_overrides.items()}
        ctx = self._build_context(args, kwargs, "render_with_blocks")
        self._render_function()  # async templates cannot
        start, rc, blocks = self._start(overrides, sync=True)
        return self._run(rc, start._render_function(), ctx, blocks)

    # -- introspection (delegated to the kida-analysis plug-in) --------------------------

    def template_metadata(self) -> TemplateMetadata | None:
        """Blocks, extends and dependencies of this template; None without a preserved AST.

        Computed once per Template (reloading a template creates a new one).
        """
        memo = self._introspection
        if "metadata" not in memo:
            tree = self._tree()
            memo["metadata"] = (
                None
                if tree is None
                else introspection.analyzer().analyze(
                    tree,
                    self._name,
                    resolve=introspection.resolver(self._env_ref()),
                    context=introspection.context(self._env_ref()),
                )
            )
        return memo["metadata"]  # type: ignore[no-any-return]

    def block_metadata(self) -> dict[str, BlockMetadata]:
        """Per-block analysis (own and inherited blocks); ``{}`` without a preserved AST."""
        metadata = self.template_metadata()
        return dict(metadata.blocks) if metadata is not None else {}

    def depends_on(self) -> frozenset[str]:
        """Every context path the template may read (``page.title``), both branches counted."""
        metadata = self.template_metadata()
        return metadata.all_dependencies() if metadata is not None else frozenset()

    def required_context(self) -> frozenset[str]:
        """The top-level context names the template reads (globals excluded)."""
        return frozenset(path.partition(".")[0] for path in self.depends_on())

    def validate_context(self, context: Mapping[str, Any]) -> list[str]:
        """Sorted names the template needs that neither ``context`` nor the globals provide."""
        env = self._env_ref()
        known = env.globals if env is not None else {}
        return sorted(n for n in self.required_context() if n not in context and n not in known)

    def is_cacheable(self, block_name: str | None = None) -> bool:
        """Whether a block (or every block) is pure with a cacheable scope."""
        blocks = self.block_metadata()
        if block_name is not None:
            block = blocks.get(block_name)
            return block is not None and block.is_cacheable()
        return bool(blocks) and all(block.is_cacheable() for block in blocks.values())

    def def_metadata(self) -> dict[str, DefMetadata]:
        """Signature, slots and dependencies of every top-level ``{% def %}``.

        Computed once per Template; each call returns a new dict of the same
        (immutable) ``DefMetadata`` objects.
        """
        memo = self._introspection
        if "defs" not in memo:
            tree = self._tree()
            memo["defs"] = (
                {} if tree is None else introspection.analyzer().def_metadata(tree, self._name)
            )
        return dict(memo["defs"])

    def dependencies(self) -> frozenset[str]:
        """The template names this one references literally, as written.

        Covers ``extends``, every ``include`` candidate, ``import`` and
        ``from ... import``; dynamic targets are unknown statically and left
        out. Empty without a preserved AST.
        """
        tree = self._tree()
        if tree is None:
            return frozenset()
        # Imported here: the node classes load only once a tree is asked for, so a
        # template from the bytecode cache renders without them.
        from kida_core.references import template_references

        return frozenset(name for ref in template_references(tree) for name in ref.names)

    def _tree(self) -> TemplateNode | None:
        """The preserved Kida AST (unpickled on first use after a cache hit)."""
        tree = self._optimized_ast
        return tree.load() if isinstance(tree, TreeBlob) else tree

    def __repr__(self) -> str:
        return f"<Template {self._name or '<string>'!r}>"


class _StreamGate:
    """Where streamed chunks go: out at once (counted against the output limit) until
    the first ``{% stack %}``, then held until the render ends, because what a stack
    shows may still be pushed."""

    __slots__ = ("_emitted", "_held", "_rc", "_template")

    def __init__(self, template: Template, rc: RenderContext) -> None:
        self._template = template
        self._rc = rc
        self._emitted = 0
        self._held: list[str] | None = None

    def admit(self, chunk: str) -> str | None:
        """``chunk`` if it may be sent now, else None (it is held)."""
        if self._held is None:
            shared = self._rc._shared
            if shared is None or not shared.stacks:
                if self._template._max_output is not None:
                    self._emitted += len(chunk)
                    self._template._check_output_size(self._emitted)
                return chunk
            self._held = []
        self._held.append(chunk)
        return None

    def finish(self) -> str | None:
        """The held chunks with their stacks filled, or None when nothing was held."""
        if not self._held:
            return None
        chunk = self._rc.fill_stacks("".join(self._held))
        self._template._check_output_size(self._emitted + len(chunk))
        return chunk


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


async def _aiter(chunks: Iterator[str]) -> AsyncIterator[str]:
    """A sync chunk iterator as an async one."""
    for chunk in chunks:
        yield chunk


def _raise_located(exc: Exception, rc: RenderContext) -> NoReturn:
    """Re-raise ``exc`` with its template location (a new error chains the original)."""
    enhanced = enhance_error(exc, rc)
    if enhanced is exc:
        raise exc
    raise enhanced from exc
