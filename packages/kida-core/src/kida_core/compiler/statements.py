"""Compilation of Kida statements to Python ``ast.stmt`` lists."""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import kida_core.nodes as n
from kida_core.compiler.expressions import (
    INLINE_LOOP_ATTRS,
    LENGTH_LOOP_ATTRS,
    ExpressionCompiler,
    is_inline_cycle,
)
from kida_core.compiler.pyast import (
    assign,
    call,
    const,
    expr_stmt,
    is_,
    load,
    relocate,
    store,
)
from kida_core.compiler.scope import Binding
from kida_core.errors import ErrorCode
from kida_core.markup import html_escape
from kida_core.runtime.output import str_output
from kida_core.symbols import DESTRUCTURING

Part = str | ast.expr
_NOT_CONSTANT = object()
#: Output targets besides an append-local name: ``None`` yields (sync generator),
#: ``AYIELD`` yields in an async generator, ``DISCARD`` drops output (a child
#: template's top level, setup functions).
#: ``elif`` branches compiled as one nested chain; longer runs are split.
_ELIF_RUN = 100
AYIELD = "<ayield>"
DISCARD = "<discard>"


def subtree_lines(node: n.Node) -> set[int]:
    """Every source line a node and its descendants start on."""
    lines: set[int] = set()
    pending = [node]
    while pending:  # no recursion: long expression chains make deep trees
        current = pending.pop()
        lines.add(current.lineno)
        pending.extend(n.iter_child_nodes(current))
    return lines


def loop_usage(body: Sequence[n.Node], test: n.Expr | None) -> tuple[str, bool]:
    """How a for body uses ``loop``: ("none"|"inline"|"object", needs_length).

    Nested ``for`` bodies rebind ``loop`` and are not searched; their iterable,
    ``if`` filter and ``else`` branch see this loop's ``loop`` (as in Jinja2).
    """
    mode = "none"
    needs_length = False
    # (node, parent, grandparent); an explicit stack, as long expression
    # chains make trees deeper than Python's recursion limit allows.
    pending: list[tuple[n.Node, n.Node | None, n.Node | None]] = [
        (node, None, None) for node in (*body, *((test,) if test is not None else ()))
    ]
    while pending:
        node, parent, grandparent = pending.pop()
        if isinstance(node, n.Name) and node.name == "loop":
            if is_inline_cycle(parent, grandparent):
                if mode == "none":
                    mode = "inline"
            elif (
                isinstance(parent, n.Getattr)
                and parent.attr in INLINE_LOOP_ATTRS
                and not parent.optional
            ):
                if mode == "none":
                    mode = "inline"
                needs_length = needs_length or parent.attr in LENGTH_LOOP_ATTRS
            else:
                mode = "object"
            continue
        if isinstance(node, n.For):
            # Its iterable and filter run before it binds its own ``loop``, its
            # ``else`` branch after it has ended.
            pending.append((node.iter, node, parent))
            if node.test is not None:
                pending.append((node.test, node, parent))
            pending.extend((child, node, parent) for child in node.else_)
            continue
        if isinstance(node, n.Include):
            mode = "object"  # the included template sees ``loop``
        pending.extend((child, node, parent) for child in n.iter_child_nodes(node))
    return mode, needs_length


class StatementCompiler(ExpressionCompiler):
    """Mixin: statement handlers, output emission and line tracking."""

    #: Append-local per output level; None means "yield" (streaming).
    _out: list[str | None]
    _composition_dispatch: ClassVar[dict[str, Callable[[Any, Any], list[ast.stmt]]]]
    _last_line: int | None
    _yielded: bool
    #: Template-level assignments also update ``ctx`` (block functions read them).
    _write_through: bool
    fstring_coalescing: bool

    # -- output -----------------------------------------------------------------

    def emit(self, value: ast.expr) -> ast.stmt:
        """Append ``value`` to the buffer, or yield it when streaming."""
        target = self._out[-1]
        if target is None or target == AYIELD:
            self._yielded = True
            return expr_stmt(ast.Yield(value=value))
        if target == DISCARD:
            return ast.Pass()
        return expr_stmt(call(target, value))

    def line_marker(self, lineno: int) -> list[ast.stmt]:
        """``_rc.line = lineno`` unless the current line is already recorded."""
        if self._last_line == lineno:
            return []
        self._last_line = lineno
        target = ast.Attribute(value=load("_rc"), attr="line", ctx=ast.Store())
        stmt = ast.Assign(targets=[target], value=const(lineno))
        return relocate([stmt], lineno, 0)

    def output_part(self, node: n.Output) -> Part:
        """Text of a constant output, or the escaping expression of a dynamic one."""
        value = self.constant_value(node.expr)
        if value is not _NOT_CONSTANT:
            text = str_output(value)
            return html_escape(text) if self.state.autoescape else text
        return call("_e" if self.state.autoescape else "_s", self.expr(node.expr))

    def constant_value(self, expr: n.Expr) -> Any:
        """The compile-time value of a literal or a literal ``static_context`` name."""
        if isinstance(expr, n.Const):
            return expr.value
        st = self.state
        if isinstance(expr, n.Name) and st.lookup(expr.name) is None:
            value = st.static_context.get(expr.name, _NOT_CONSTANT)
            if type(value) in (str, int, float, bool, type(None)):  # not Markup: it has __html__
                return value
        return _NOT_CONSTANT

    def flush_parts(self, parts: list[Part], lineno: int) -> list[ast.stmt]:
        """Emit pending text/outputs, coalesced into one f-string when possible."""
        merged: list[Part] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            elif part != "":
                merged.append(part)
        if not merged:
            return []
        if len(merged) == 1 or not self.fstring_coalescing:
            values = [const(p) if isinstance(p, str) else p for p in merged]
            return relocate([self.emit(v) for v in values], lineno, 0)
        joined = ast.JoinedStr(
            values=[
                const(p)
                if isinstance(p, str)
                else ast.FormattedValue(value=p, conversion=-1, format_spec=None)
                for p in merged
            ]
        )
        return relocate([self.emit(joined)], lineno, 0)

    # -- bodies -----------------------------------------------------------------

    def body(self, nodes: Sequence[n.Node]) -> list[ast.stmt]:
        """Compile a statement sequence, coalescing adjacent text and outputs.

        A run of text and ``{{ }}`` outputs becomes one append (an f-string);
        one line marker precedes the run, at its first dynamic output.
        """
        out: list[ast.stmt] = []
        parts: list[Part] = []
        run_line = 0
        marked = False
        discard = self._out[-1] == DISCARD
        for node in nodes:
            if discard and isinstance(node, n.Data | n.Output | n.Block | n.Include):
                continue
            if isinstance(node, n.Data | n.Output):
                part = node.value if isinstance(node, n.Data) else self.output_part(node)
                if not parts:
                    run_line = node.lineno
                if not isinstance(part, str) and not marked:
                    out.extend(self.line_marker(node.lineno))
                    marked = True
                parts.append(part)
                continue
            out.extend(self.flush_parts(parts, run_line))
            parts, marked = [], False
            out.extend(self.stmt(node))
        out.extend(self.flush_parts(parts, run_line))
        return out

    def stmt(self, node: n.Node) -> list[ast.stmt]:
        """Compile one statement node (dict dispatch on the node type)."""
        kind = type(node).__name__
        handler = self._stmt_dispatch.get(kind) or self._composition_dispatch[kind]
        stmts: list[ast.stmt] = handler(self, node)
        return relocate(stmts, node.lineno, node.col_offset)

    def scoped_body(self, nodes: Sequence[n.Node], *, branch: bool = False) -> list[ast.stmt]:
        """Compile a nested block in its own scope (``branch``: an if/else body)."""
        self.state.push_scope(branch=branch)
        try:
            stmts = self.body(nodes)
        finally:
            self.state.pop_scope()
        return stmts or [ast.Pass()]

    def new_buffer(self, buf: str, app: str) -> list[ast.stmt]:
        """``buf = []; app = buf.append``: a fresh output buffer and its append.

        Under a runtime guard the buffer comes from the ``_buffer`` helper,
        which counts appended characters when the guard limits output; a
        plain environment keeps the list literal.
        """
        value = call("_buffer") if self._guarded else ast.List(elts=[], ctx=ast.Load())
        return [
            assign(buf, value),
            assign(app, ast.Attribute(value=load(buf), attr="append", ctx=ast.Load())),
        ]

    def buffered(
        self, nodes: Sequence[n.Node], *, markup: bool = True
    ) -> tuple[list[ast.stmt], ast.expr]:
        """Render ``nodes`` into a private buffer; returns (stmts, joined value).

        The joined value is Markup under autoescape when ``markup`` is true.
        """
        buf = self.state.temp("cbuf")
        app = self.state.temp("capp")
        self._out.append(app)
        last_line = self._last_line
        try:
            inner = self.scoped_body(nodes)
        finally:
            self._out.pop()
        self._last_line = last_line if last_line is None else None
        setup: list[ast.stmt] = [*self.new_buffer(buf, app), *inner]
        joiner = "_markup_join" if self.state.autoescape and markup else "_join"
        return setup, call(joiner, load(buf))

    # -- control flow -------------------------------------------------------------------

    def _if(self, node: n.If) -> list[ast.stmt]:
        marker = self.line_marker(node.lineno)
        branches = [(node.test, node.body), *node.elifs]
        orelse: list[ast.stmt] = self.scoped_body(node.else_, branch=True) if node.else_ else []
        if len(branches) > _ELIF_RUN:
            statements = self._long_if(branches, orelse)
            self._last_line = None
            return [*marker, *statements]
        for test, body in reversed(branches):
            stmt = ast.If(
                test=self.expr(test), body=self.scoped_body(body, branch=True), orelse=orelse
            )
            orelse = [stmt]
        self._last_line = None
        return [*marker, *orelse]

    def _long_if(
        self, branches: list[tuple[n.Expr, n.Body]], orelse: list[ast.stmt]
    ) -> list[ast.stmt]:
        """A long ``elif`` run as consecutive chains of at most ``_ELIF_RUN`` tests.

        One nested ``orelse`` per branch would make Python's compiler recurse
        once per branch; a flag carries "no branch taken yet" to the next chain.
        """
        compiled = [
            (self.expr(test), self.scoped_body(body, branch=True))
            for test, body in reversed(branches)
        ]
        compiled.reverse()
        pending = self.state.temp("pending")
        out: list[ast.stmt] = [assign(pending, const(False))]
        starts = range(0, len(compiled), _ELIF_RUN)
        for start in starts:
            last = start == starts[-1]
            chain: list[ast.stmt] = orelse if last else [assign(pending, const(True))]
            for test, body in reversed(compiled[start : start + _ELIF_RUN]):
                chain = [ast.If(test=test, body=body, orelse=chain)]
            if start == 0:
                out.extend(chain)
            else:
                reset = assign(pending, const(False))
                out.append(ast.If(test=load(pending), body=[reset, *chain], orelse=[]))
        return out

    def _for(self, node: n.For) -> list[ast.stmt]:
        st = self.state
        if node.is_async:
            return self._async_for(node)
        stmts = self.line_marker(node.lineno)
        mode, needs_length = loop_usage(node.body, node.test)
        # With a filter and a ``loop`` object the iterable becomes the iterable
        # of a list comprehension (see below), where Python forbids ``:=``.
        in_comprehension = node.test is not None and mode != "none"
        self._in_comprehension_iterable += in_comprehension
        try:
            iterable = self.guard_iterable(self.expr(node.iter))
        finally:
            self._in_comprehension_iterable -= in_comprehension
        flag = st.temp("iterated") if node.else_ else None
        if flag:
            stmts.append(assign(flag, const(False)))
        st.push_scope()
        try:
            target = self.bind_target(node.target, "loop")
            test = self.expr(node.test) if node.test is not None else None
            if test is not None and mode != "none":
                target_load = _as_load(target)
                gen = ast.comprehension(target=target, iter=iterable, ifs=[test], is_async=0)
                iterable = ast.ListComp(elt=target_load, generators=[gen])
                test = None
            loop_head, for_target, for_iter = self._loop_head(mode, needs_length, iterable, target)
            stmts.extend(loop_head)
            single_line = subtree_lines(node) == {node.lineno}
            self._last_line = node.lineno if single_line else None
            body: list[ast.stmt] = []
            if test is not None:
                body.append(
                    ast.If(
                        test=ast.UnaryOp(op=ast.Not(), operand=test),
                        body=[ast.Continue()],
                        orelse=[],
                    )
                )
            if flag:
                body.append(assign(flag, const(True)))
            body.extend(self.body(node.body))
        finally:
            st.pop_scope()
        stmts.append(
            ast.For(target=for_target, iter=for_iter, body=body or [ast.Pass()], orelse=[])
        )
        self._last_line = node.lineno if single_line else None
        if flag:
            else_body = self.scoped_body(node.else_)
            stmts.append(
                ast.If(
                    test=ast.UnaryOp(op=ast.Not(), operand=load(flag)), body=else_body, orelse=[]
                )
            )
            self._last_line = None
        return stmts

    def _async_for(self, node: n.For) -> list[ast.stmt]:
        """``{% async for %}``: ``async for`` with a forward-only AsyncLoopContext."""
        st = self.state
        if not self._async_function:
            raise st.error(
                "{% async for %} is only allowed in the body of a template or block, "
                "not inside a def, slot or call",
                node,
                ErrorCode.UNSUPPORTED_SYNTAX,
            )
        stmts = self.line_marker(node.lineno)
        iterable = self.expr(node.iter)
        if self._guarded:
            iterable = call("_aiter", iterable)
        mode, _ = loop_usage(node.body, node.test)
        flag = st.temp("iterated") if node.else_ else None
        if flag:
            stmts.append(assign(flag, const(False)))
        item = st.temp("item")
        loop = st.temp("aloop") if mode != "none" else None
        if loop:
            stmts.append(assign(loop, call("_AsyncLoopContext")))
        st.push_scope()
        try:
            body: list[ast.stmt] = [
                ast.Assign(targets=[self.bind_target(node.target, "loop")], value=load(item))
            ]
            if loop:
                st.scopes[-1].names["loop"] = Binding(loop, "loop")
            if node.test is not None:
                body.append(
                    ast.If(
                        test=ast.UnaryOp(op=ast.Not(), operand=self.expr(node.test)),
                        body=[ast.Continue()],
                        orelse=[],
                    )
                )
            if loop:
                body.append(
                    expr_stmt(
                        call(
                            ast.Attribute(value=load(loop), attr="advance", ctx=ast.Load()),
                            load(item),
                        )
                    )
                )
            if flag:
                body.append(assign(flag, const(True)))
            self._last_line = None
            body.extend(self.body(node.body))
        finally:
            st.pop_scope()
        stmts.append(ast.AsyncFor(target=store(item), iter=iterable, body=body, orelse=[]))
        self._last_line = None
        if flag:
            else_body = self.scoped_body(node.else_)
            stmts.append(
                ast.If(
                    test=ast.UnaryOp(op=ast.Not(), operand=load(flag)), body=else_body, orelse=[]
                )
            )
        return stmts

    def _loop_head(
        self, mode: str, needs_length: bool, iterable: ast.expr, target: ast.expr
    ) -> tuple[list[ast.stmt], ast.expr, ast.expr]:
        """Set-up statements, the ``for`` target and the ``for`` iterable for a loop."""
        st = self.state
        scope = st.scopes[-1].names
        if mode == "none":
            return [], target, iterable
        head: list[ast.stmt] = []
        if mode == "object":
            loop = st.temp("loop")
            scope["loop"] = Binding(loop, "loop")
            head.append(assign(loop, call("_LoopContext", call("_materialize", iterable))))
            return head, target, load(loop)
        counter = st.temp("i")
        length = None
        if needs_length:
            seq = st.temp("seq")
            length = st.temp("n")
            head = [
                assign(seq, call("_materialize", iterable)),
                assign(length, call("_len", load(seq))),
            ]
            iterable = load(seq)
        scope["loop"] = Binding("", "inline_loop", counter=counter, length=length)
        both: ast.expr = ast.Tuple(elts=[store(counter), target], ctx=ast.Store())
        return head, both, call("_enumerate", iterable)

    def _while(self, node: n.While) -> list[ast.stmt]:
        marker = self.line_marker(node.lineno)
        self._last_line = None
        test = self.expr(node.test)
        body = self.scoped_body(node.body)
        self._last_line = None
        if self._guarded:  # for _ in _loop_budget(): if not test: break; body
            stop = ast.If(
                test=ast.UnaryOp(op=ast.Not(), operand=test), body=[ast.Break()], orelse=[]
            )
            budget = ast.For(
                target=store(self.state.temp("tick")),
                iter=call("_loop_budget"),
                body=[stop, *body],
                orelse=[],
            )
            return [*marker, budget]
        return [*marker, ast.While(test=test, body=body, orelse=[])]

    def _break(self, node: n.Break) -> list[ast.stmt]:
        return [ast.Break()]

    def _continue(self, node: n.Continue) -> list[ast.stmt]:
        return [ast.Continue()]

    # -- variables ----------------------------------------------------------------------

    def _set(self, node: n.Set) -> list[ast.stmt]:
        stmts = self.line_marker(node.lineno)
        for item in node.assignments:
            stmts.extend(self.assign_value(node.scope, item.target, item, node.lineno))
        return stmts

    def assign_value(
        self,
        scope: str,
        target: n.Expr,
        item: n.Assign | None,
        lineno: int,
        value: ast.expr | None = None,
    ) -> list[ast.stmt]:
        """Assign ``item.value`` (or a compiled ``value``) to ``target`` per ``scope``."""
        if value is None and item is not None:
            value = self.expr(item.value)
        assert value is not None
        if item is not None and item.coalesce and isinstance(target, n.Name):
            current = self.safe_expr(target)
            value = ast.IfExp(
                test=ast.BoolOp(
                    op=ast.Or(),
                    values=[is_(current, const(None)), is_(self.safe_expr(target), load("_U"))],
                ),
                body=value,
                orelse=self.safe_expr(target),
            )
        roots: list[tuple[str, str]] = []
        store_target = self.bind_assignment(scope, target, lineno, roots)
        return [ast.Assign(targets=[store_target], value=value), *self.write_through(roots)]

    def write_through(self, roots: list[tuple[str, str]]) -> list[ast.stmt]:
        """``ctx[name] = local`` for template-level names, when blocks read them from ctx."""
        if not self._write_through:
            return []
        return [
            ast.Assign(
                targets=[ast.Subscript(value=load("ctx"), slice=const(name), ctx=ast.Store())],
                value=load(pyname),
            )
            for name, pyname in roots
        ]

    def bind_assignment(
        self, scope: str, target: n.Expr, lineno: int, roots: list[tuple[str, str]]
    ) -> ast.expr:
        """The store target for a set/let/export, binding names in the right scope.

        Template-level names assigned are appended to ``roots``.
        """
        st = self.state
        if isinstance(target, DESTRUCTURING):
            elts = [self.bind_assignment(scope, t, lineno, roots) for t in target.items]
            return ast.Tuple(elts=elts, ctx=ast.Store())
        if not isinstance(target, n.Name):
            return self.bind_target(target, "block")
        if scope == "set" and not st.at_root:
            return store(st.bind_block_set(target.name, lineno))
        pyname = st.bind_export(target.name) if scope == "export" else None
        if pyname is None:
            pyname = st.bind_root(target.name, definite=st.at_root)
        if pyname is None:
            return store(st.bind(target.name, "block"))
        roots.append((target.name, pyname))
        return store(pyname)

    def _capture(self, node: n.Capture) -> list[ast.stmt]:
        setup, value = self.buffered(node.body)
        for spec in node.filters:
            value = self.apply_filter(self.state.filter_global(spec.name, spec), value, spec)
        target = n.Name(name=node.name, lineno=node.lineno, col_offset=node.col_offset)
        return [*setup, *self.assign_value("set", target, None, node.lineno, value)]

    def _with(self, node: n.With) -> list[ast.stmt]:
        stmts = self.line_marker(node.lineno)
        values = [self.expr(a.value) for a in node.assignments]
        self.state.push_scope()
        try:
            for item, value in zip(node.assignments, values, strict=True):
                stmts.append(
                    ast.Assign(targets=[self.bind_target(item.target, "with")], value=value)
                )
            stmts.extend(self.body(node.body))
        finally:
            self.state.pop_scope()
        self._last_line = None
        return stmts

    def _with_cond(self, node: n.WithCond) -> list[ast.stmt]:
        stmts = self.line_marker(node.lineno)
        temps = [self.state.temp("w") for _ in node.values]
        for temp, value in zip(temps, node.values, strict=True):
            stmts.append(assign(temp, self.expr(value)))
        self.state.push_scope()
        try:
            body: list[ast.stmt] = []
            if len(node.targets) == 1 and len(temps) > 1:
                pyname = self.state.bind(node.targets[0], "with")
                body.append(
                    assign(pyname, ast.Tuple(elts=[load(t) for t in temps], ctx=ast.Load()))
                )
            else:
                for name, temp in zip(node.targets, temps, strict=False):
                    body.append(assign(self.state.bind(name, "with"), load(temp)))
            body.extend(self.body(node.body))
        finally:
            self.state.pop_scope()
        test = (
            ast.BoolOp(op=ast.And(), values=[load(t) for t in temps])
            if len(temps) > 1
            else load(temps[0])
        )
        orelse = self.scoped_body(node.else_) if node.else_ else []
        stmts.append(ast.If(test=test, body=body or [ast.Pass()], orelse=orelse))
        self._last_line = None
        return stmts

    # -- match ------------------------------------------------------------------------

    def _match(self, node: n.Match) -> list[ast.stmt]:
        stmts = self.line_marker(node.lineno)
        subject = None
        if node.subject is not None:
            subject = self.state.temp("subj")
            stmts.append(assign(subject, self.expr(node.subject)))
        done = self.state.temp("matched")
        stmts.append(assign(done, const(False)))
        for case in node.cases:
            self.state.push_scope()
            try:
                test, binds = self._pattern(case.pattern, load(subject) if subject else None)
                inner: list[ast.stmt] = list(binds)
                body = [assign(done, const(True)), *self.body(case.body)]
                if case.guard is not None:
                    inner.append(ast.If(test=self.expr(case.guard), body=body, orelse=[]))
                else:
                    inner.extend(body)
            finally:
                self.state.pop_scope()
            guard_free = ast.UnaryOp(op=ast.Not(), operand=load(done))
            full_test = (
                ast.BoolOp(op=ast.And(), values=[guard_free, test])
                if test is not None
                else guard_free
            )
            stmts.append(ast.If(test=full_test, body=inner, orelse=[]))
            self._last_line = None
        return stmts

    def _pattern(
        self, pattern: n.Expr, subject: ast.expr | None
    ) -> tuple[ast.expr | None, list[ast.stmt]]:
        """(test, binding statements) for a case pattern; test None = always matches."""
        if subject is None or (isinstance(pattern, n.Name) and pattern.name == "_"):
            return None, []
        if isinstance(pattern, n.Name):
            return None, [assign(self.state.bind(pattern.name, "with"), subject)]
        if isinstance(pattern, n.TupleExpr):
            tests: list[ast.expr] = [
                call("_is_sequence", subject),
                ast.Compare(
                    left=call("_len", subject),
                    ops=[ast.Eq()],
                    comparators=[const(len(pattern.items))],
                ),
            ]
            binds: list[ast.stmt] = []
            for index, item in enumerate(pattern.items):
                element = ast.Subscript(value=subject, slice=const(index), ctx=ast.Load())
                test, sub_binds = self._pattern(item, element)
                if test is not None:
                    tests.append(test)
                binds.extend(sub_binds)
            return ast.BoolOp(op=ast.And(), values=tests), binds
        return ast.Compare(left=subject, ops=[ast.Eq()], comparators=[self.expr(pattern)]), []

    # -- output-transforming blocks ---------------------------------------------------------

    def _filter_block(self, node: n.FilterBlock) -> list[ast.stmt]:
        setup, value = self.buffered(node.body)
        for spec in node.filters:
            value = self.apply_filter(self.state.filter_global(spec.name, spec), value, spec)
        return [*setup, *self.line_marker(node.lineno), self.emit(call("_s", value))]

    def _spaceless(self, node: n.Spaceless) -> list[ast.stmt]:
        setup, value = self.buffered(node.body)
        return [*setup, self.emit(call("_spaceless", value))]

    def _nothing(self, node: n.Node) -> list[ast.stmt]:
        return []

    def _output(self, node: n.Output) -> list[ast.stmt]:
        return self.body([node])

    _stmt_dispatch: ClassVar[dict[str, Callable[[Any, Any], list[ast.stmt]]]] = {
        "Output": _output,
        "Data": _output,
        "If": _if,
        "For": _for,
        "While": _while,
        "Break": _break,
        "Continue": _continue,
        "Set": _set,
        "Capture": _capture,
        "With": _with,
        "WithCond": _with_cond,
        "Match": _match,
        "FilterBlock": _filter_block,
        "Spaceless": _spaceless,
        "Flush": _nothing,
        "TemplateDecl": _nothing,
    }


def _as_load(target: ast.expr) -> ast.expr:
    """A store target rebuilt as a load expression."""
    if isinstance(target, ast.Tuple):
        return ast.Tuple(elts=[_as_load(e) for e in target.elts], ctx=ast.Load())
    assert isinstance(target, ast.Name)
    return load(target.id)
