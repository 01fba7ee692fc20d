"""Compilation of composition statements: blocks, includes, imports, defs, slots,
error boundaries and fragment caches."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import kida_core.nodes as n
from kida_core.compiler.interpreter import default_filling_calls_check_recursion
from kida_core.compiler.pyast import (
    assign,
    call,
    const,
    expr_stmt,
    is_not,
    load,
    locate,
    nested_function,
    store,
)
from kida_core.compiler.scope import Binding, Scope
from kida_core.compiler.statements import AYIELD, DISCARD, StatementCompiler
from kida_core.errors import ErrorCode
from kida_core.runtime.components import SLOTS_KEYWORD

_RESERVED_PARAMS = frozenset({"ctx", "_blocks", "buf", "caller", "has_slot"})


class CompositionCompiler(StatementCompiler):
    """Mixin: statements that involve other templates, blocks or callables."""

    #: The block whose body is being compiled (for ``super()``), if any.
    _current_block: str | None
    #: Compile profiling hooks (``Environment(enable_profiling=True)``).
    _profiling: bool

    # -- sub-streams ------------------------------------------------------------

    def emit_stream(self, render: ast.expr, stream: ast.expr, astream: ast.expr) -> list[ast.stmt]:
        """Emit another render's output: append it, ``yield from`` it, or ``async for`` it."""
        target = self._out[-1]
        if target == DISCARD:
            return []
        if target is None:
            self._yielded = True
            return [expr_stmt(ast.YieldFrom(value=stream))]
        if target == AYIELD:
            self._yielded = True
            chunk = self.state.temp("chunk")
            return [
                ast.AsyncFor(
                    target=store(chunk),
                    iter=astream,
                    body=[expr_stmt(ast.Yield(value=load(chunk)))],
                    orelse=[],
                )
            ]
        return [expr_stmt(call(target, render))]

    def scope_context(self) -> ast.expr:
        """``ctx`` plus every template name bound at this point (for includes)."""
        names: dict[str, str] = {}
        for scope in self.state.scopes:
            for name, binding in scope.names.items():
                if binding.kind != "inline_loop":
                    names[name] = binding.pyname
        if not names:
            return load("ctx")
        mapping = ast.Dict(keys=[const(k) for k in names], values=[load(v) for v in names.values()])
        return call("_scope_context", load("ctx"), mapping)

    # -- blocks ---------------------------------------------------------------------

    def _block(self, node: n.Block) -> list[ast.stmt]:
        if node.fragment:
            return []
        name = const(node.name)
        args = (load("_blocks"), name, load("ctx"))
        return [
            *self.line_marker(node.lineno),
            *self.emit_stream(
                call("_render_block", *args),
                call("_stream_block", *args),
                call("_astream_block", *args),
            ),
        ]

    def _region(self, node: n.Region) -> list[ast.stmt]:
        stmts = self.define_callable(node.name, node.params, None, None, node.body, node)
        return [*stmts, *self._block(n.Block(name=node.name, body=(), lineno=node.lineno))]

    def super_call(self) -> ast.expr | None:
        """``super()`` inside a block: the parent definition's output."""
        if self._current_block is None:
            return None
        definition = ast.Subscript(
            value=load("_block_defs"), slice=const(self._current_block), ctx=ast.Load()
        )
        args = (load("_blocks"), const(self._current_block), definition, load("ctx"))
        if self._async_function:
            return ast.Await(value=call("_asuper", *args))
        return call("_super", *args)

    # -- other templates ----------------------------------------------------------------

    def _include(self, node: n.Include) -> list[ast.stmt]:
        args = (
            self.expr(node.template),
            self.scope_context() if node.with_context else ast.Dict(keys=[], values=[]),
            const(node.ignore_missing),
            const(node.with_context),
            const(node.lineno),
        )
        return [
            *self.line_marker(node.lineno),
            *self.emit_stream(
                call("_include", *args),
                call("_include_stream", *args),
                call("_include_astream", *args),
            ),
        ]

    def _module(self, template: n.Expr, with_context: bool, lineno: int) -> ast.expr:
        context = self.scope_context() if with_context else ast.Dict(keys=[], values=[])
        return call("_import", self.expr(template), context, const(with_context), const(lineno))

    def _import(self, node: n.Import) -> list[ast.stmt]:
        value = self._module(node.template, node.with_context, node.lineno)
        target = n.Name(name=node.target, lineno=node.lineno, col_offset=node.col_offset)
        return [
            *self.line_marker(node.lineno),
            *self.assign_value("let", target, None, node.lineno, value),
        ]

    def _from_import(self, node: n.FromImport) -> list[ast.stmt]:
        module = self.state.temp("module")
        stmts = [
            *self.line_marker(node.lineno),
            assign(module, self._module(node.template, node.with_context, node.lineno)),
        ]
        for name, alias in node.names:
            value = call("_import_name", load(module), const(name), const(node.lineno))
            target = n.Name(name=alias or name, lineno=node.lineno, col_offset=node.col_offset)
            stmts.extend(self.assign_value("let", target, None, node.lineno, value))
        return stmts

    # -- defs, calls and slots --------------------------------------------------------

    @contextmanager
    def _function_scope(self, out: str) -> Iterator[Scope]:
        """Compile a nested Python function's body: own scope and output, fresh line state."""
        st = self.state
        st.push_scope(function=True)
        self._out.append(out)
        last_line, self._last_line = self._last_line, None
        write_through, self._write_through = self._write_through, False
        is_async, self._async_function = self._async_function, False
        try:
            yield st.scopes[-1]
        finally:
            self._out.pop()
            st.pop_scope()
            self._last_line = last_line
            self._write_through = write_through
            self._async_function = is_async

    def _def(self, node: n.Def) -> list[ast.stmt]:
        return self.define_callable(
            node.name, node.params, node.vararg, node.kwarg, node.body, node
        )

    def define_callable(
        self,
        name: str,
        params: tuple[n.Param, ...],
        vararg: str | None,
        kwarg: str | None,
        body_nodes: tuple[n.Node, ...],
        node: n.Node,
    ) -> list[ast.stmt]:
        """A def/region: a nested Python function bound as a template-level name."""
        st = self.state
        for param in (*(p.name for p in params), vararg, kwarg):
            if param is not None and (param in _RESERVED_PARAMS or param.startswith(("_", "l_"))):
                raise st.error(
                    f"Parameter name '{param}' is reserved in {{% def %}}",
                    node,
                    ErrorCode.COMPONENT_CALL_SIGNATURE,
                    "Rename the parameter.",
                )
        defaults = [self.expr(p.default) for p in params if p.default is not None]
        with self._function_scope("_append") as scope:
            for param in (*(p.name for p in params), vararg, kwarg):
                if param is not None:
                    scope.names[param] = Binding(param, "param")
            scope.names["caller"] = Binding("_caller_fn", "param")
            scope.names["has_slot"] = Binding("_has_slot_fn", "param")
            inner = self.body(body_nodes)
        prologue: list[ast.stmt] = []
        if scope.nonlocals:
            prologue.append(ast.Nonlocal(names=sorted(scope.nonlocals)))
        prologue.append(
            ast.If(
                test=is_not(load(SLOTS_KEYWORD), const(None)),
                body=[expr_stmt(call("_check_slots", load(SLOTS_KEYWORD)))],
                orelse=[],
            )
        )
        defaulted = [p for p in params if p.default is not None]
        for spec, default in zip(defaulted, defaults, strict=True):
            prologue.append(
                ast.If(
                    test=ast.Compare(
                        left=load(spec.name), ops=[ast.Is()], comparators=[load("_NODEFAULT")]
                    ),
                    body=[assign(spec.name, default)],
                    orelse=[],
                )
            )
        used = {x.id for stmt in inner for x in ast.walk(stmt) if isinstance(x, ast.Name)}
        if "_caller_fn" in used:
            prologue.append(assign("_caller_fn", call("_make_caller", load(SLOTS_KEYWORD))))
        if "_has_slot_fn" in used:
            prologue.append(assign("_has_slot_fn", call("_make_has_slot", load(SLOTS_KEYWORD))))
        prologue.extend(self.new_buffer("_buf", "_append"))
        result = call(
            "_Markup",
            call(ast.Attribute(value=const(""), attr="join", ctx=ast.Load()), load("_buf")),
        )
        args = ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg=p.name) for p in params],
            vararg=ast.arg(arg=vararg) if vararg else None,
            kwonlyargs=[ast.arg(arg=SLOTS_KEYWORD)],
            kw_defaults=[const(None)],
            kwarg=ast.arg(arg=kwarg) if kwarg else None,
            defaults=[load("_NODEFAULT") for p in params if p.default is not None],
        )
        roots: list[tuple[str, str]] = []
        target = self.bind_assignment(
            "let", n.Name(name=name, lineno=node.lineno), node.lineno, roots
        )
        assert isinstance(target, ast.Name)
        body = [*prologue, *inner, ast.Return(value=result)]
        function = nested_function(target.id, args, body, node.lineno, node.col_offset)
        wrappers: list[ast.stmt] = []
        # Both wrappers forward through a call the interpreter checks for recursion.
        if self._profiling:
            wrappers.append(assign(target.id, call("_K_counted_def", const(name), load(target.id))))
        elif not default_filling_calls_check_recursion():
            wrappers.append(assign(target.id, call("_K_recursion_checked", load(target.id))))
        for stmt in wrappers:
            locate(stmt, node.lineno, node.col_offset)
        return [function, *wrappers, *self.write_through(roots)]

    def _slot(self, node: n.Slot) -> list[ast.stmt]:
        if self.state.function_scope() is None:
            raise self.state.error(
                "{% slot %} placeholders are only allowed inside a {% def %}",
                node,
                ErrorCode.UNEXPECTED_TOKEN,
                "Use {% slot name %}…{% end %} inside {% call %} to fill a slot.",
            )
        return [self.emit(call("_render_slot", load(SLOTS_KEYWORD), const(node.name)))]

    def _call_block(self, node: n.CallBlock) -> list[ast.stmt]:
        st = self.state
        stmts = self.line_marker(node.lineno)
        slots: dict[str, str] = {}
        for slot_name, body in (("default", node.body), *((s.name, s.body) for s in node.slots)):
            if slot_name == "default" and not body:
                continue
            function = st.temp(f"slot_{slot_name}_")
            stmts.append(self.slot_function(function, body, node))
            slots[slot_name] = function
        compiled = self.expr(node.call)
        if not isinstance(compiled, ast.Call):
            raise st.error(
                "{% call %} needs a call such as card(...)", node, ErrorCode.INVALID_EXPRESSION
            )
        caller = call(
            "_Slots",
            ast.Dict(keys=[const(k) for k in slots], values=[load(v) for v in slots.values()]),
        )
        compiled.keywords.append(ast.keyword(arg=SLOTS_KEYWORD, value=caller))
        stmts.append(self.emit(call("_e", compiled)))
        return stmts

    def slot_function(self, name: str, body: tuple[n.Node, ...], node: n.Node) -> ast.stmt:
        """The caller-side body of a slot: renders in the caller's scope when called."""
        with self._function_scope("_sapp") as scope:
            inner = self.body(body)
        nonlocals = scope.nonlocals
        prologue: list[ast.stmt] = [ast.Nonlocal(names=sorted(nonlocals))] if nonlocals else []
        prologue.extend(self.new_buffer("_sbuf", "_sapp"))
        joined = call(ast.Attribute(value=const(""), attr="join", ctx=ast.Load()), load("_sbuf"))
        no_args = ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])
        statements = [*prologue, *inner, ast.Return(value=joined)]
        return nested_function(name, no_args, statements, node.lineno, node.col_offset)

    # -- setup sections, error boundaries, fragment caches -------------------------------

    def _globals(self, node: n.Globals) -> list[ast.stmt]:
        self._out.append(DISCARD)
        try:
            return self.body(node.body)
        finally:
            self._out.pop()

    def _try(self, node: n.Try) -> list[ast.stmt]:
        st = self.state
        setup, joined = self.buffered(node.body, markup=False)
        error = st.temp("exc")
        st.push_scope()
        try:
            handler: list[ast.stmt] = [expr_stmt(call("_reraise_syntax_errors", load(error)))]
            # Also unbound: building the ErrorDict reports the error to the application.
            report = call("_error_dict", load(error))
            if node.error_name is not None:
                handler.append(assign(st.bind(node.error_name, "with"), report))
            else:
                handler.append(expr_stmt(report))
            self._last_line = None
            handler.extend(self.body(node.fallback))
        finally:
            st.pop_scope()
        self._last_line = None
        body = [stmt for stmt in setup]
        return [
            ast.Try(
                body=body,
                handlers=[
                    ast.ExceptHandler(
                        type=load("_Exception"), name=error, body=handler or [ast.Pass()]
                    )
                ],
                orelse=[self.emit(joined)],
                finalbody=[],
            )
        ]

    def _cache(self, node: n.Cache) -> list[ast.stmt]:
        st = self.state
        key_name = st.temp("ckey")
        value_name = st.temp("cval")
        depends = self.expr(node.depends) if node.depends is not None else const(None)
        owner = (const(st.source_identity()), const(st.name), const(node.lineno))
        key = ast.Tuple(elts=[*owner, self.expr(node.key), depends], ctx=ast.Load())
        ttl = self.expr(node.ttl) if node.ttl is not None else const(None)
        setup, joined = self.buffered(node.body, markup=False)
        fill = [*setup, assign(value_name, call("_fragment_set", load(key_name), joined, ttl))]
        return [
            *self.line_marker(node.lineno),
            assign(key_name, key),
            assign(value_name, call("_fragment_get", load(key_name))),
            ast.If(
                test=ast.Compare(left=load(value_name), ops=[ast.Is()], comparators=[const(None)]),
                body=fill,
                orelse=[],
            ),
            self.emit(load(value_name)),
        ]

    def _extends_marker(self, node: n.Extends) -> list[ast.stmt]:
        # The parent is rendered after the body (see the Compiler's main function).
        return []

    _composition_dispatch: ClassVar[dict[str, Callable[[Any, Any], list[ast.stmt]]]] = {
        "Extends": _extends_marker,
        "Block": _block,
        "Region": _region,
        "Include": _include,
        "Import": _import,
        "FromImport": _from_import,
        "Def": _def,
        "Slot": _slot,
        "CallBlock": _call_block,
        "Globals": _globals,
        "Try": _try,
        "Cache": _cache,
    }
