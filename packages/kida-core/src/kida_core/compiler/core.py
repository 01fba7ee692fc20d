"""The Compiler: Kida AST → Python ``ast.Module`` → code object.

The generated module defines two functions from one Kida AST:

* ``render(ctx, _blocks=None)`` — StringBuilder: ``buf = []``,
  ``_append = buf.append``, one ``''.join(buf)`` at the end;
* ``render_stream(ctx, _blocks=None)`` — a generator yielding each chunk.

Both start with a preamble that binds every helper they use as a local
(``LOAD_FAST`` in the hot path), fetches the render context once (``_rc``) and
reads each template-level name from ``ctx`` exactly once. Helpers live in the
exec namespace under ``_K_*`` names, filters under ``_F_*`` and tests under
``_T_*`` so the Template can bind only what the code uses.
"""

from __future__ import annotations

import ast
import dataclasses
import types
import warnings
from collections.abc import Callable, Collection, Mapping
from functools import partial
from types import MappingProxyType
from typing import Any

import kida_core.nodes as n
from kida_core.codegen import (
    ALL,
    ASTREAM,
    CODEGEN_VERSION,
    FACTS_NAME,
    FILTER_PREFIX,
    PRIMARY,
    SETUP,
    STREAM,
    TEST_PREFIX,
)
from kida_core.compiler.call_validation import validate as validate_calls
from kida_core.compiler.emitter import (
    APPEND,
    AYIELD,
    DISCARD,
    YIELD,
    Emitter,
    Output,
    OutputTarget,
)
from kida_core.compiler.inputs import CompileInputs, CompileSource
from kida_core.compiler.layout import TemplateLayout
from kida_core.compiler.partial_eval import partial_evaluate
from kida_core.compiler.pyast import (
    assign,
    call,
    const,
    expr_stmt,
    finish,
    finish_function,
    function,
    load,
)
from kida_core.compiler.state import CompilerState
from kida_core.compiler.visitor import VISITOR
from kida_core.errors import TemplateSyntaxError, TemplateWarning
from kida_core.filters import inlinable_filters
from kida_core.parser.core import NESTING_HINT
from kida_core.parser.record import ParseRecord
from kida_core.runtime.helpers import LOCALS
from kida_core.settings import CompileOptions

#: The membership operator, shared by every hoist (it holds nothing).
_IN = ast.In()

__all__ = ["CODEGEN_VERSION", "FILTER_PREFIX", "TEST_PREFIX", "Compiler", "DeferredParts"]

#: Compiles one deferred part of a template: its code and precomputed values.
DeferredParts = Callable[[str], tuple[types.CodeType, list[Any]]]

#: Per part: (function-name suffix, output target, main function) of what it holds.
_VARIANTS = {
    PRIMARY: ("", APPEND, "render"),
    STREAM: ("_stream", YIELD, "render_stream"),
    ASTREAM: ("_astream", AYIELD, "render_stream_async"),
}


class Compiler:
    """Compile a Kida ``TemplateNode`` into a code object ready for ``exec``.

    One compile at a time per instance; ``warnings`` and ``precomputed``
    describe the last compilation.
    """

    #: The options of the current (or last) compilation.
    options: CompileOptions

    def __init__(
        self,
        config: CompileOptions | CompileSource,
        inputs: CompileInputs | None = None,
        *,
        static_context: Mapping[str, Any] | None = None,
    ):
        """Configure the compiler from explicit values or from a :class:`CompileSource`.

        ``config`` is either the options of every compilation, or a source (an
        Environment) asked for each template's options when compiling it.
        ``inputs`` default to the source's (or the built-ins); ``static_context``
        adds to their static context.
        """
        self._source: CompileSource | None = None
        if isinstance(config, CompileOptions):
            self._configure(config)
        else:  # options are asked for per template name, when compiling
            self._source = config
            if inputs is None:
                inputs = config.compile_inputs()
        self._inputs = inputs if inputs is not None else CompileInputs()
        self._static_context = dict(self._inputs.static_context)
        if static_context:
            self._static_context.update(static_context)
        self._warnings: list[TemplateWarning] = []
        self._optimized: n.TemplateNode | None = None
        self._precomputed: list[Any] = []

    def _configure(self, options: CompileOptions) -> None:
        """Adopt ``options`` for the next compilation."""
        self.options = options

    @property
    def warnings(self) -> list[TemplateWarning]:
        """Compile-time warnings of the last compilation."""
        return list(self._warnings)

    @property
    def optimized_ast(self) -> n.TemplateNode | None:
        """The Kida AST after partial evaluation (the input when there is no static context)."""
        return self._optimized

    @property
    def precomputed(self) -> list[Any]:
        """Values the generated code reads as ``_pc_N`` globals."""
        return list(self._precomputed)

    def compile(
        self,
        node: n.TemplateNode,
        name: str | None = None,
        filename: str | None = None,
        *,
        source: str | None = None,
        parse_warnings: list[TemplateWarning] | None = None,
        parse_record: ParseRecord | None = None,
        part: str = ALL,
    ) -> types.CodeType:
        """Compile ``node``; raises ``TemplateSyntaxError`` for invalid templates.

        ``parse_warnings`` (from the parser) are stored in the code object
        together with the compiler's own, so a cached template reports the
        same warnings as a fresh compile. ``parse_record`` is the parser's
        record of ``node`` (see :meth:`compile_module`). ``part`` is ``ALL``
        (every function) or ``PRIMARY`` (the buffered functions;
        :meth:`deferred` compiles the others when first used).
        """
        try:
            module = self.compile_module(
                node, name, filename, source=source, parse_record=parse_record, part=part
            )
            self._warnings = [*(parse_warnings or ()), *self._warnings]
            module.body.extend(_warnings_table(self._warnings))
            with warnings.catch_warnings():
                # ``x is true`` compiles to an identity test CPython warns about.
                warnings.simplefilter("ignore", SyntaxWarning)
                return compile(module, filename or name or "<template>", "exec")
        except (RecursionError, SyntaxError) as exc:
            # Python's own limits (nesting of loops and blocks, recursion depth)
            # surface as a located template error, never as a Python error.
            raise _nesting_error(exc, node, name, filename, source) from None

    def compile_module(
        self,
        node: n.TemplateNode,
        name: str | None = None,
        filename: str | None = None,
        *,
        source: str | None = None,
        parse_record: ParseRecord | None = None,
        part: str = ALL,
    ) -> ast.Module:
        """Build the Python module (or ``part`` of it) for ``node`` without compiling it.

        ``parse_record`` is what the parser noted while building ``node``; the
        layout is read from it instead of walking the tree (unless the static
        context rewrites the tree, which the record then no longer describes).
        """
        self._start(name, filename, source)
        options, inputs = self.options, self._inputs
        if self._static_context:
            node = partial_evaluate(
                node,
                self._static_context,
                filters=inputs.filters,
                pure_filters=inputs.pure_filters,
                tests=inputs.tests,
                environment=inputs.environment,
            )
        self._optimized = node
        call_warnings: list[TemplateWarning] = []
        if options.validate_calls:
            resolve = inputs.resolve or _resolve_nothing
            call_warnings = validate_calls(node, name, source, resolve)
        module = self._build_module(node, part, parse_record)
        # Call-type warnings go last: a bytecode-cache hit recomputes them and
        # appends them after the stored ones, giving the same order.
        self._warnings = [*self.state.warnings, *call_warnings]
        self._precomputed = list(self.state.precomputed)
        return module

    def deferred(
        self, node: n.TemplateNode, name: str | None, filename: str | None, source: str | None
    ) -> DeferredParts:
        """Compiles the deferred parts of the ``PRIMARY`` module just compiled from ``node``.

        It holds the options, static context and a copy of the registries as
        they are now, so a part compiled later matches the primary module even
        if the registries change meanwhile.
        """
        optimized = self._optimized if self._optimized is not None else node
        return partial(
            _compile_deferred,
            self.options,
            self._inputs,
            _frozen(self._inputs.filters),
            _frozen(self._inputs.tests),
            self._static_context,
            (optimized, name, filename, source),
        )

    def _compile_part(
        self,
        node: n.TemplateNode,
        name: str | None,
        filename: str | None,
        source: str | None,
        part: str,
    ) -> tuple[types.CodeType, list[Any]]:
        """Compile the deferred ``part`` of the already optimized ``node``."""
        self._start(name, filename, source)
        try:
            module = self._build_module(node, part)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                code = compile(module, filename or name or "<template>", "exec")
        except (RecursionError, SyntaxError) as exc:
            raise _nesting_error(exc, node, name, filename, source) from None
        return code, list(self.state.precomputed)

    def _build_module(
        self, node: n.TemplateNode, part: str, record: ParseRecord | None = None
    ) -> ast.Module:
        """The functions of ``part`` and, unless it is a deferred part, the module's tables.

        ``record`` is the parser's record of ``node``, if any (see :class:`TemplateLayout`).
        """
        self.state.template = node
        layout = TemplateLayout.of(node, self.state, self._inputs.context_globals, record)
        layout.passes_context = layout.passes_context or self.options.finalize
        self._layout = layout
        variants = [
            variant
            for variant, present in (
                (PRIMARY, layout.has_sync_variant),
                (STREAM, layout.has_sync_variant),
                (ASTREAM, layout.has_async_variant),
            )
            if present
        ]
        deferred: tuple[str, ...] = ()
        if part == PRIMARY and layout.has_sync_variant:
            deferred = (*variants[1:], *((SETUP,) if layout.setup else ()))
            variants = variants[:1]
        elif part in (STREAM, ASTREAM):
            variants = [part]
        elif part == SETUP:
            variants = []
        tables_wanted = part in (ALL, PRIMARY)
        self._extends_only = False
        names: dict[str, dict[int, dict[str, str]]] = {}
        functions: list[ast.stmt] = []

        def add(
            fname: str,
            nodes: tuple[n.Node, ...],
            target: OutputTarget,
            kind: str,
            *,
            is_async: bool = False,
            block: str | None = None,
        ) -> None:
            is_async = is_async or target.kind is Output.AYIELD
            body, helpers = self._function_body(
                nodes, target, kind=kind, is_async=is_async, block=block
            )
            fn = function(fname, body, is_async=is_async, helpers=helpers)
            functions.append(finish_function(fn))
            names[fname] = self.state.name_refs

        suffixes = [(_VARIANTS[v][0], _VARIANTS[v][1]) for v in variants]
        for variant in variants:
            _, target, fname = _VARIANTS[variant]
            add(fname, node.body, target, kind="main")
        for block in layout.blocks:
            if block.required:
                continue  # its definition only raises (see _module_tables)
            for suffix, target in suffixes:
                add(
                    f"_block_{block.name}{suffix}",
                    block.body,
                    target,
                    kind="block",
                    block=block.name,
                )
            if block.condition is not None and tables_wanted:
                # Compiled like the block's last variant: ``super()`` there is
                # awaited when the block has an async stream.
                functions.append(self._condition_function(block, layout.has_async_variant))
        for region in layout.regions:
            if region in layout.nested_regions:
                # Defined where it stands, in a block or def: its block
                # functions define it again, reading what it needs from ctx.
                for suffix, target in suffixes:
                    add(f"_block_{region.name}{suffix}", (region,), target, kind="region")
            else:
                functions.extend(self._region_functions(region, [s for s, _ in suffixes]))
        if layout.setup and (part in (ALL, SETUP) or SETUP not in deferred):
            add(
                "_globals_setup",
                tuple(layout.setup),
                DISCARD,
                kind="setup",
                is_async=layout.is_async,
            )
        tables = self._module_tables(layout, deferred) if tables_wanted else []
        tables.append(_names_table(names))
        finish(tables, 1, 0)
        return ast.Module([*functions, *tables], [])

    def _start(self, name: str | None, filename: str | None, source: str | None) -> None:
        """Take the options for template ``name`` and start a fresh compilation state."""
        if self._source is not None:
            self._configure(self._source.compile_options(name))
        options, inputs = self.options, self._inputs
        self.state = CompilerState(
            name=name,
            filename=filename,
            source=source,
            strict=options.strict_undefined,
            autoescape=options.autoescape,
            filters=inputs.filters,
            tests=inputs.tests,
            static_context=self._static_context,
            jinja2_compat_warnings=options.jinja2_compat_warnings,
            # A guard must see every lookup and call, and profiling counts filter calls.
            inline_filters=(
                frozenset()
                if options.guarded or options.profiling
                else inlinable_filters(inputs.filters)
            ),
            inline_lookups=not inputs.custom_lookups,
        )

    def compile_expression(self, node: n.Expr, source: str) -> types.CodeType:
        """Compile one template expression into a module defining ``evaluate(ctx)``.

        ``evaluate`` returns the expression's value, read with template
        semantics (filters, tests, lookups and the runtime guard's hooks).
        """
        self._start(None, None, source)
        self._layout = TemplateLayout()
        self.state.reset_function()
        try:
            em = self._emitter(DISCARD, is_async=False, block=None, write_through=False)
            result: ast.stmt = ast.Return(em.expr(node))
            hoists = self._hoists()
            used = finish([*hoists, result], 1, 0)
            preamble: list[ast.stmt] = []
            if "_rc" in used:
                preamble.append(assign("_rc", call("_K_get_rc")))
            finish(preamble, 1, 0)
            evaluate = finish_function(
                function("evaluate", [*preamble, *hoists, result], helpers=_bound_helpers(used))
            )
            module = ast.Module([evaluate], [])
            self._warnings = list(self.state.warnings)
            self._precomputed = list(self.state.precomputed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                return compile(module, "<expression>", "exec")
        except (RecursionError, SyntaxError) as exc:
            output = n.Output(expr=node, lineno=node.lineno, col_offset=node.col_offset)
            root = n.TemplateNode(body=(output,), lineno=1, col_offset=0)
            raise _nesting_error(exc, root, None, None, source) from None

    def _emitter(
        self, target: OutputTarget, *, is_async: bool, block: str | None, write_through: bool
    ) -> Emitter:
        """The emitter of one top-level generated function."""
        return Emitter(
            self.state,
            VISITOR,
            self.options,
            target,
            is_async=is_async,
            block=block,
            write_through=write_through,
        )

    def _function_body(
        self,
        nodes: tuple[n.Node, ...],
        target: OutputTarget,
        *,
        kind: str,
        block: str | None = None,
        is_async: bool = False,
    ) -> tuple[list[ast.stmt], list[str]]:
        """The body of a top-level function, and the helpers it binds as parameters."""
        st = self.state
        layout = self._layout
        st.reset_function()
        child = kind == "main" and layout.extends is not None
        region = kind == "region"
        shared = kind in ("setup", "region") or (kind == "main" and layout.shares_context)
        em = self._emitter(target, is_async=is_async, block=block, write_through=shared)
        # A child template's own output is dropped; its parent renders instead.
        with em.output(DISCARD if child else target):
            body = em.body(nodes)
        if child:
            # Nothing but blocks and the extends: the runtime may skip this function.
            self._extends_only = not body
        tail: list[ast.stmt] = []
        if region:
            # The region's definition stored it in ctx (a copy): call it from there.
            assert isinstance(nodes[0], n.Region)
            tail = self._region_call(nodes[0], target.streams)
        if child:
            assert layout.extends is not None
            args = (
                em.expr(layout.extends.template),
                load("ctx"),
                load("_blocks"),
                const(layout.extends.lineno),
            )
            if target.kind is Output.APPEND:
                tail = [ast.Return(call("_extends", *args))]
            else:
                tail = em.emit_stream(
                    call("_extends", *args),
                    call("_extends_stream", *args),
                    call("_extends_astream", *args),
                )
        exports = [
            (name, binding.pyname)
            for name, binding in st.scopes[0].names.items()
            if binding.assigned
        ]
        inlined = self._inline_single_reads()
        own_output = target == APPEND and not child and not region
        # A body that is one appended string (or none) returns it: no buffer to build and join.
        single = _single_output(body) if own_output and not self.options.guarded else None
        if single is not None:
            body = [*body[:-1], single]
        # A traceback through the call to the parent names the line of the extends.
        tail_line = layout.extends.lineno if child and layout.extends is not None else 1
        for stmt in tail:
            stmt.lineno = tail_line
            stmt.col_offset = 0
        used = finish([*body, *tail], 1, 0)
        for local in [local for local in inlined if local in used]:
            # Also read where nothing counted it (an include's context): keep the local.
            site, former = inlined.pop(local)
            site.test, site.body, site.orelse = former
            used |= finish([site], site.lineno, site.col_offset)
        if inlined:
            # Error reports read those names from ``ctx`` (see ``runtime/enhance.py``).
            for refs in st.name_refs.values():
                for name, local in refs.items():
                    if local in inlined:
                        refs[name] = ""
        hoists = self._hoists(skip=inlined.keys())
        used |= finish(hoists, 1, 0)
        preamble: list[ast.stmt] = []
        if shared and kind in ("main", "region"):
            preamble.append(assign("ctx", call("_K_dict", load("ctx"))))
        if kind == "main" and layout.has_blocks:
            preamble.append(
                assign("_blocks", call("_K_register_blocks", load("_blocks"), load("_block_defs")))
            )
        if "_rc" in used:
            preamble.append(assign("_rc", call("_K_get_rc")))
        buffer = em.new_buffer("buf", "_append") if own_output and single is None else []
        used |= finish([*preamble, *buffer], 1, 0)
        preamble.extend(buffer)
        preamble.extend(hoists)
        if single is not None:
            tail = []
        elif own_output:
            tail = [ast.Return(call(ast.Attribute(const(""), "join", ast.Load()), load("buf")))]
        elif kind == "setup":
            exported = ast.Dict([const(k) for k, _ in exports], [load(v) for _, v in exports])
            tail = [ast.Return(call("_K_exports", exported))]
        elif target.streams and not em.yielded and not region:
            tail = [ast.If(const(False), [expr_stmt(ast.Yield(None))], [])]
        finish(tail, 1, 0)
        return [*preamble, *body, *tail], _bound_helpers(used)

    def _condition_function(self, block: n.Block, is_async: bool) -> ast.stmt:
        """``_block_<name>_cond(ctx)``: the full-render condition of a block."""
        assert block.condition is not None
        st = self.state
        st.reset_function()
        em = self._emitter(APPEND, is_async=is_async, block=block.name, write_through=False)
        test = em.expr(block.condition)
        hoists = self._hoists()
        result = ast.Return(call("_K_bool", test))
        for stmt in (*hoists, result):
            stmt.lineno = block.lineno
            stmt.col_offset = 0
        used = finish([*hoists, result], block.lineno, 0)
        body = [*hoists, result]
        fn = function(
            f"_block_{block.name}_cond",
            body,
            lineno=block.lineno,
            helpers=_bound_helpers(used),
            takes_blocks=False,
        )
        return finish_function(fn)

    @staticmethod
    def _region_call(region: n.Region, streams: bool) -> list[ast.stmt]:
        """Return (or yield) the region found in ``ctx``, called with parameters from ``ctx``."""
        params = ast.Tuple([const(p.name) for p in region.params], ast.Load())
        value = call("_K_call_region", load("ctx"), const(region.name), params)
        stmt = expr_stmt(ast.Yield(value)) if streams else ast.Return(value)
        stmt.lineno = region.lineno
        stmt.col_offset = 0
        return [stmt]

    def _region_functions(self, region: n.Region, suffixes: list[str]) -> list[ast.stmt]:
        """Block wrappers of a top-level region (which the setup stored in ``ctx``)."""
        out: list[ast.stmt] = []
        for suffix in suffixes:
            body = self._region_call(region, streams=suffix != "")
            finish(body, region.lineno, 0)
            fn = function(
                f"_block_{region.name}{suffix}",
                body,
                is_async=suffix == "_astream",
                lineno=region.lineno,
            )
            out.append(finish_function(fn))
        return out

    def _module_tables(self, layout: TemplateLayout, deferred: tuple[str, ...]) -> list[ast.stmt]:
        """``__kida_facts__``: one constant with what the Template reads of the module.

        Each block's row names where its functions are: ``""`` for this module,
        the part for a ``deferred`` one, None for a variant it does not have.
        The Template finds the functions by name (``runtime.macros.block_defs``).
        """
        sync, asynchronous = layout.has_sync_variant, layout.has_async_variant
        required = {block.name for block in layout.blocks if block.required}
        lazy = {_VARIANTS[part][0]: part for part in deferred if part in _VARIANTS}
        here = (lazy.get("", ""), lazy.get("_stream", ""))
        rows: list[tuple[Any, ...]] = []
        for name, condition, fragment in layout.block_entries():
            if name in required:
                rows.append((name,))
                continue
            rows.append(
                (
                    name,
                    here[0] if sync else None,
                    here[1] if sync else None,
                    lazy.get("_astream", "") if asynchronous else None,
                    "" if condition else None,
                    fragment,
                )
            )
        extends = layout.extends
        literal = (
            (extends.template.value, extends.lineno)
            if extends is not None and isinstance(extends.template, n.Const)
            else None
        )
        facts = (
            literal,
            literal is not None and self._extends_only,
            tuple(layout.block_names),
            tuple(layout.def_names),
            deferred,
            tuple(rows),
        )
        stmt = assign(FACTS_NAME, const(facts))
        stmt.lineno = 1
        stmt.col_offset = 0
        return [stmt]

    def _inline_single_reads(self) -> dict[str, tuple[ast.IfExp, tuple[Any, Any, Any]]]:
        """Read a template-level name where it is used when that is its only read and
        it runs at most once per call: ``ctx['x'] if 'x' in ctx else _K_strict_global('x',
        ctx)`` instead of a hoist plus ``l_x if l_x is not _U else _K_undef(ctx, 'x')``.

        Returns, per local no longer needed, the rewritten read and its former
        (test, value, fallback), to restore when the function uses the local anyway.
        """
        inlined: dict[str, tuple[ast.IfExp, tuple[Any, Any, Any]]] = {}
        for name, binding in self.state.scopes[0].names.items():
            site = binding.site
            if site is None or binding.reads != 1 or binding.assigned:
                continue
            inlined[binding.pyname] = (site, (site.test, site.body, site.orelse))
            site.test = ast.Compare(const(name), [_IN], [load("ctx")])
            site.body = ast.Subscript(load("ctx"), const(name), ast.Load())
            site.orelse = call("_K_strict_global", const(name), load("ctx"))
        return inlined

    def _hoists(self, skip: Collection[str] = ()) -> list[ast.stmt]:
        """Read each template-level name from ``ctx`` once, falling back to globals
        (except the locals in ``skip``)."""
        stmts: list[ast.stmt] = []
        for name, binding in self.state.scopes[0].names.items():
            if binding.pyname in skip:
                continue
            key = const(name)
            value = ast.IfExp(
                ast.Compare(key, [_IN], [load("ctx")]),
                ast.Subscript(load("ctx"), const(name), ast.Load()),
                call("_K_global", const(name), load("ctx")),
            )
            stmts.append(assign(binding.pyname, value))
        return stmts


def _compile_deferred(
    options: CompileOptions,
    inputs: CompileInputs,
    filters: Mapping[str, Any],
    tests: Mapping[str, Any],
    static_context: dict[str, Any],
    template: tuple[n.TemplateNode, str | None, str | None, str | None],
    part: str,
) -> tuple[types.CodeType, list[Any]]:
    """Compile ``part`` of ``template`` (optimized node, name, filename, source) with the
    registries ``filters`` and ``tests`` and the (merged) ``static_context`` captured when
    its primary part was compiled; the compiler is built on first use."""
    # The static context is given whole: the inputs' own may have changed since.
    frozen = dataclasses.replace(inputs, filters=filters, tests=tests, static_context=_NO_STATICS)
    compiler = Compiler(options, frozen, static_context=static_context)
    return compiler._compile_part(*template, part)


#: An empty static context.
_NO_STATICS: Mapping[str, Any] = MappingProxyType({})


def _frozen(registry: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of ``registry`` as it is now.

    A copy-on-write registry (the Environment's) hands out its current
    mapping, which it never changes again; any other mapping is copied.
    """
    snapshot = getattr(registry, "snapshot", None)
    return MappingProxyType(snapshot() if callable(snapshot) else dict(registry))


def _resolve_nothing(name: str, caller: str | None) -> None:
    """The resolver of compilations given none: no other template is known."""
    return None


def _names_table(names: dict[str, dict[int, dict[str, str]]]) -> ast.stmt:
    """``__kida_names__ = ((function, ((line, ((template name, local), ...)), ...)), ...)``.

    One constant (for errors: which local holds a template name at a line).
    """
    table = tuple(
        (function, tuple((line, tuple(names.items())) for line, names in lines.items()))
        for function, lines in names.items()
    )
    stmt = assign("__kida_names__", const(table))
    stmt.lineno = 1
    stmt.col_offset = 0
    return stmt


def _nesting_error(
    exc: RecursionError | SyntaxError,
    root: n.TemplateNode,
    name: str | None,
    filename: str | None,
    source: str | None,
) -> TemplateSyntaxError:
    """The template error for a failure of Python's compiler on generated code."""
    if isinstance(exc, SyntaxError) and "statically nested blocks" in str(exc.msg):
        message = (
            "too many {% for %}, {% while %}, {% try %} and similar blocks are nested "
            "inside one another"
        )
        hint: str | None = (
            "Python nests at most 20 loops and try blocks in one function; move the inner "
            "part into a {% def %} or an include"
        )
    elif isinstance(exc, RecursionError) or "too many" in str(exc.msg):
        message, hint = "the template nests too deeply to compile", NESTING_HINT
    else:  # generated code Python rejects: a compiler bug, reported in template terms
        message, hint = f"the template cannot be compiled: {exc.msg}", None
    lineno = exc.lineno if isinstance(exc, SyntaxError) and exc.lineno else _deepest_line(root)
    error = TemplateSyntaxError(message, lineno=lineno, name=name, filename=filename, source=source)
    error.suggestion = hint
    return error


def _deepest_line(root: n.Node) -> int:
    """The line of the most deeply nested node (found without recursion)."""
    best_depth, best_line = -1, root.lineno
    pending: list[tuple[n.Node, int]] = [(root, 0)]
    while pending:
        node, depth = pending.pop()
        if depth > best_depth:
            best_depth, best_line = depth, node.lineno
        pending.extend((child, depth + 1) for child in n.iter_child_nodes(node))
    return best_line


def _warnings_table(template_warnings: list[TemplateWarning]) -> list[ast.stmt]:
    """``__kida_warnings__ = ((code, message, template, line, suggestion), ...)``: one
    constant, left out when there are none."""
    if not template_warnings:
        return []
    rows = tuple(
        (w.code.value, w.message, w.template_name, w.lineno, w.suggestion)
        for w in template_warnings
    )
    stmt = assign("__kida_warnings__", const(rows))
    finish([stmt], 1, 0)
    return [stmt]


def _single_output(body: list[ast.stmt]) -> ast.Return | None:
    """``return text`` for a body that only records lines and appends one string
    (``return ''`` for an empty body), else None.

    Only an f-string or a string constant qualifies: the value must be a
    ``str`` exactly, as ``''.join(buf)`` would return.
    """
    if not body:
        empty = ast.Return(const(""))
        empty.lineno, empty.col_offset = 1, 0
        return empty
    last = body[-1]
    if not (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Name)
        and last.value.func.id == APPEND.local
    ):
        return None
    value = last.value.args[0]
    if not (
        isinstance(value, ast.JoinedStr)
        or (isinstance(value, ast.Constant) and type(value.value) is str)
    ):
        return None
    if not all(_is_line_marker(stmt) for stmt in body[:-1]):
        return None
    result = ast.Return(value)
    result.lineno = last.lineno
    result.col_offset = last.col_offset
    return result


def _is_line_marker(stmt: ast.stmt) -> bool:
    """Whether ``stmt`` is ``_rc.line = N``."""
    if not isinstance(stmt, ast.Assign):
        return False
    target = stmt.targets[0]
    return isinstance(target, ast.Attribute) and target.attr == "line"


def _bound_helpers(used: set[str]) -> list[str]:
    """The local of every helper, filter (``_f_``) and test (``_t_``) used.

    Helpers come in their table's order, then filters and tests by name.
    """
    helpers = sorted(used & _HELPER_LOCALS, key=_HELPER_ORDER.__getitem__)
    helpers.extend(sorted(name for name in used if name.startswith(("_f_", "_t_"))))
    return helpers


_HELPER_LOCALS = frozenset(LOCALS)
_HELPER_ORDER = {local: index for index, local in enumerate(LOCALS)}
