"""Per-function compiler state: where output goes, the last line recorded, flags.

One :class:`Emitter` exists for every generated Python function (render and
block functions, and the nested functions of defs and slots). Node handlers
take ``(node, emitter)``; they reach the compilation-wide
:class:`~kida_core.compiler.state.CompilerState` (scopes, temps, warnings)
through ``emitter.state`` and dispatch child nodes through ``emitter.expr``,
``emitter.stmt`` and ``emitter.body``, which look the handler up in the
:class:`Handlers` table the emitter was created with.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import kida_core.nodes as n
from kida_core.compiler.pyast import assign, call, const, expr_stmt, load, locate, relocate, store
from kida_core.markup import html_escape
from kida_core.runtime.components import INTO_KEYWORD
from kida_core.runtime.output import str_output
from kida_core.settings import CompileOptions

if TYPE_CHECKING:
    from kida_core.compiler.state import CompilerState

# -- output targets --------------------------------------------------------------------


class Output(enum.Enum):
    """What happens to a chunk of output."""

    #: Passed to the append callable of a buffer (``OutputTarget.local``).
    APPEND = "append"
    #: Yielded by a sync generator (``render_stream``).
    YIELD = "yield"
    #: Yielded by an async generator (``render_stream_async``).
    AYIELD = "ayield"
    #: Dropped (a child template's top level, ``{% globals %}``, setup functions).
    DISCARD = "discard"


@dataclass(frozen=True, slots=True)
class OutputTarget:
    """Where emitted output goes; APPEND targets name their append local."""

    kind: Output
    local: str = ""

    @property
    def streams(self) -> bool:
        """True when output is yielded (the function is a generator)."""
        return self.kind is Output.YIELD or self.kind is Output.AYIELD


def append_to(local: str) -> OutputTarget:
    """The target appending to a buffer through the callable held by ``local``."""
    return OutputTarget(Output.APPEND, local)


#: ``render``'s buffer (and a def's): ``_append = buf.append``.
APPEND = append_to("_append")
YIELD = OutputTarget(Output.YIELD)
AYIELD = OutputTarget(Output.AYIELD)
DISCARD = OutputTarget(Output.DISCARD)

# -- handler tables ----------------------------------------------------------------------

StatementHandler = Callable[[Any, "Emitter"], list[ast.stmt]]
ExpressionHandler = Callable[[Any, "Emitter"], ast.expr]
S = TypeVar("S", bound=Callable[..., list[ast.stmt]])
E = TypeVar("E", bound=Callable[..., ast.expr])
H = TypeVar("H")


class Handlers:
    """Node type → handler, filled by the ``statement``/``expression`` decorators."""

    def __init__(self) -> None:
        self.statements: dict[type[n.Node], StatementHandler] = {}
        self.expressions: dict[type[n.Node], ExpressionHandler] = {}

    def statement(self, *types: type[n.Node]) -> Callable[[S], S]:
        """Register the decorated function as the handler of statement ``types``."""

        def register(handler: S) -> S:
            entry: StatementHandler = handler
            _add(self.statements, types, entry)
            return handler

        return register

    def expression(self, *types: type[n.Node]) -> Callable[[E], E]:
        """Register the decorated function as the handler of expression ``types``."""

        def register(handler: E) -> E:
            entry: ExpressionHandler = handler
            _add(self.expressions, types, entry)
            return handler

        return register

    @classmethod
    def combine(cls, *tables: Handlers) -> Handlers:
        """One table holding every handler of ``tables``; a node type handled twice fails."""
        combined = cls()
        for table in tables:
            for node_type, statement in table.statements.items():
                _add(combined.statements, (node_type,), statement)
            for node_type, expression in table.expressions.items():
                _add(combined.expressions, (node_type,), expression)
        return combined


def _add(table: dict[type[n.Node], H], types: tuple[type[n.Node], ...], handler: H) -> None:
    """Map each of ``types`` to ``handler``; a type already mapped fails."""
    for node_type in types:
        if node_type in table:
            raise ValueError(f"{node_type.__name__} has two handlers")
        table[node_type] = handler


def _is_call_of(expr: ast.Call, helper: str) -> bool:
    """Whether ``expr`` calls the helper bound to the local ``helper``."""
    return isinstance(expr.func, ast.Name) and expr.func.id == helper


# -- the emitter ---------------------------------------------------------------------------

Part = str | ast.expr
NOT_CONSTANT = object()


class Emitter:
    """The state of one generated Python function while its body is compiled."""

    __slots__ = (
        "_expressions",
        "_handlers",
        "_statements",
        "_targets",
        "block",
        "in_comprehension_iterable",
        "is_async",
        "last_line",
        "options",
        "state",
        "write_through",
        "yielded",
    )

    def __init__(
        self,
        state: CompilerState,
        handlers: Handlers,
        options: CompileOptions,
        target: OutputTarget,
        *,
        is_async: bool = False,
        block: str | None = None,
        write_through: bool = False,
    ) -> None:
        self.state = state
        self.options = options
        self._handlers = handlers
        self._statements = handlers.statements
        self._expressions = handlers.expressions
        self._targets = [target]
        #: The line the last ``_rc.line = N`` recorded on every path here (None: unknown).
        self.last_line: int | None = None
        #: True once the function yields (a generator that never does gets a dead ``yield``).
        self.yielded = False
        #: True in an async generator body (``await``/``async for`` allowed).
        self.is_async = is_async
        #: The block whose body is compiled (for ``super()``), if any.
        self.block = block
        #: Template-level assignments also update ``ctx`` (block functions read them).
        self.write_through = write_through
        #: > 0 while compiling a comprehension iterable, where Python forbids ``:=``.
        self.in_comprehension_iterable = 0

    def nested(self, target: OutputTarget, *, write_through: bool = False) -> Emitter:
        """The emitter of a nested function (def, slot): sync, own output, no line known.

        ``write_through`` keeps this function's: the body of a recursive loop
        assigns the same template-level names its surroundings would.
        """
        return Emitter(
            self.state,
            self._handlers,
            self.options,
            target,
            block=self.block,
            write_through=write_through and self.write_through,
        )

    # -- output targets ------------------------------------------------------------------

    @property
    def target(self) -> OutputTarget:
        """Where output emitted now goes."""
        return self._targets[-1]

    @contextmanager
    def output(self, target: OutputTarget) -> Iterator[None]:
        """Send the output of the body compiled inside the ``with`` to ``target``."""
        self._targets.append(target)
        try:
            yield
        finally:
            self._targets.pop()

    def emit(self, value: ast.expr) -> ast.stmt:
        """Append ``value`` to the buffer, or yield it when streaming."""
        target = self._targets[-1]
        if target.streams:
            self.yielded = True
            return expr_stmt(ast.Yield(value))
        if target.kind is Output.DISCARD:
            return ast.Pass()
        return expr_stmt(call(target.local, value))

    def emit_stream(self, render: ast.expr, stream: ast.expr, astream: ast.expr) -> list[ast.stmt]:
        """Emit another render's output: append it, ``yield from`` it, or ``async for`` it."""
        target = self._targets[-1]
        if target.kind is Output.DISCARD:
            return []
        if target.kind is Output.YIELD:
            self.yielded = True
            return [expr_stmt(ast.YieldFrom(stream))]
        if target.kind is Output.AYIELD:
            self.yielded = True
            chunk = self.state.temp("chunk")
            return [ast.AsyncFor(store(chunk), astream, [expr_stmt(ast.Yield(load(chunk)))], [])]
        return [expr_stmt(call(target.local, render))]

    def new_buffer(self, buf: str, app: str) -> list[ast.stmt]:
        """``app = (buf := []).append``: a fresh output buffer and its append.

        Under a runtime guard the buffer comes from the ``_buffer`` helper,
        which counts appended characters when the guard limits output; a
        plain environment keeps the list literal.
        """
        guarded = self.options.guarded
        value = call("_buffer") if guarded else ast.List([], ast.Load())
        return [assign(app, ast.Attribute(ast.NamedExpr(store(buf), value), "append", ast.Load()))]

    def buffered(
        self, nodes: Sequence[n.Node], *, markup: bool = True
    ) -> tuple[list[ast.stmt], ast.expr]:
        """Render ``nodes`` into a private buffer; returns (stmts, joined value).

        The joined value is Markup under autoescape when ``markup`` is true.
        """
        buf = self.state.temp("cbuf")
        app = self.state.temp("capp")
        # The buffered part may fail and be skipped (try) or be served from a
        # cache: the line it recorded last is not known afterwards.
        with self.line_scope(), self.output(append_to(app)):
            inner = self.scoped_body(nodes)
        setup: list[ast.stmt] = [*self.new_buffer(buf, app), *inner]
        joiner = "_markup_join" if self.state.autoescape and markup else "_join"
        return setup, call(joiner, load(buf))

    # -- line tracking -------------------------------------------------------------------

    def line_marker(self, lineno: int) -> list[ast.stmt]:
        """``_rc.line = lineno`` unless that line is already recorded on every path here."""
        if self.last_line == lineno:
            return []
        self.last_line = lineno
        target = ast.Attribute(load("_rc"), "line", ast.Store())
        stmt = ast.Assign([target], const(lineno))
        return relocate([stmt], lineno, 0)

    @contextmanager
    def line_scope(self, known: int | None = None, *, fresh: bool = False) -> Iterator[None]:
        """Compile code that runs conditionally or repeatedly (a branch, a loop body).

        Afterwards the last recorded line is ``known`` (None: unknown), since
        the code may or may not have run. With ``fresh`` the code inside also
        starts from ``known`` (a loop body is entered from its own end, too).
        """
        if fresh:
            self.last_line = known
        try:
            yield
        finally:
            self.last_line = known

    # -- dispatch ------------------------------------------------------------------------

    def expr(self, node: n.Expr) -> ast.expr:
        """Compile an expression (strict lookups)."""
        result = self._expressions[type(node)](node, self)
        locate(result, node.lineno, node.col_offset)
        return result

    def stmt(self, node: n.Node) -> list[ast.stmt]:
        """Compile one statement node."""
        checks_before = len(self.state.root_checks)
        stmts = self._statements[type(node)](node, self)
        # An if's first test and a loop's iterable run before anything else in them.
        if isinstance(node, n.If):
            self.state.note_defined(node.test, checks_before)
        elif isinstance(node, n.For) and not node.recursive:
            self.state.note_defined(node.iter, checks_before)
        return relocate(stmts, node.lineno, node.col_offset)

    def body(self, nodes: Sequence[n.Node]) -> list[ast.stmt]:
        """Compile a statement sequence, coalescing adjacent text and outputs.

        A run of text and ``{{ }}`` outputs becomes one append (an f-string);
        one line marker precedes the run, at its first dynamic output.
        """
        out: list[ast.stmt] = []
        parts: list[Part] = []
        run_line = 0
        marked = False
        discard = self._targets[-1].kind is Output.DISCARD
        for node in nodes:
            if discard and isinstance(node, n.Data | n.Output | n.Block | n.Include):
                continue
            if isinstance(node, n.Output) and (direct := self.def_output(node)) is not None:
                out.extend(self.flush_parts(parts, run_line))
                parts, marked = [], False
                out.extend(self.line_marker(node.lineno))
                out.extend(relocate([direct], node.lineno, node.col_offset))
                continue
            if (
                not discard
                and isinstance(node, n.If)
                and (choice := self.if_part(node)) is not None
            ):
                if not parts:
                    run_line = node.lineno
                if not marked:
                    out.extend(self.line_marker(node.lineno))
                    marked = True
                parts.append(choice)
                continue
            if isinstance(node, n.Data | n.Output):
                if isinstance(node, n.Data):
                    part: Part = node.value
                else:
                    checks_before = len(self.state.root_checks)
                    part = self.output_part(node)
                    self.state.note_defined(node.expr, checks_before)
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

    def if_part(self, node: n.If) -> ast.expr | None:
        """An ``if`` of text and outputs on one line as one conditional value, or None.

        ``class="{% if a %}on{% else %}off{% end %}"`` joins the run of text around
        it as ``{'on' if a else 'off'}``: no statement, no line marker after it.
        The branches' text must stay on the ``if``'s line (the line recorded for
        the run is then right inside them too) and hold no def call, which may
        write into the buffer itself.
        """
        if not self.options.fstring_coalescing or len(node.elifs) >= _IF_PART_ELIFS:
            return None
        branches = [(node.test, node.body), *node.elifs]
        bodies = [body for _, body in branches]
        bodies.append(node.else_)
        line = node.lineno
        if any(test.lineno != line for test, _ in branches) or not all(
            _inline_text(item, line) for body in bodies for item in body
        ):
            return None
        checks_before = len(self.state.root_checks)
        tests = [self.expr(test) for test, _ in branches]
        values = [self._branch_value(body) for body in bodies]
        self.state.note_defined(node.test, checks_before)
        result = values.pop()
        for test, value in zip(reversed(tests), reversed(values), strict=True):
            result = ast.IfExp(test, value, result)
        locate(result, line, node.col_offset)
        return result

    def _branch_value(self, body: n.Body) -> ast.expr:
        """The text of an ``if`` branch of text and outputs, as one expression."""
        parts: list[Part] = []
        self.state.push_scope(branch=True)
        try:
            for item in body:
                if isinstance(item, n.Data):
                    parts.append(item.value)
                else:
                    assert isinstance(item, n.Output)  # see _inline_text
                    parts.append(self.output_part(item))
        finally:
            self.state.pop_scope()
        merged = _merged(parts)
        if not merged:
            return const("")
        if len(merged) == 1:
            return const(merged[0]) if isinstance(merged[0], str) else merged[0]
        return ast.JoinedStr(
            [const(p) if isinstance(p, str) else ast.FormattedValue(p, -1, None) for p in merged]
        )

    def scoped_body(self, nodes: Sequence[n.Node], *, branch: bool = False) -> list[ast.stmt]:
        """Compile a nested block in its own scope (``branch``: an if/else body)."""
        self.state.push_scope(branch=branch)
        try:
            stmts = self.body(nodes)
        finally:
            self.state.pop_scope()
        return stmts or [ast.Pass()]

    # -- text and outputs ----------------------------------------------------------------

    def output_part(self, node: n.Output) -> Part:
        """Text of a constant output, or the escaping expression of a dynamic one."""
        finalize = self.options.finalize
        value = NOT_CONSTANT if finalize else self.constant_value(node.expr)
        if value is not NOT_CONSTANT:
            text = str_output(value)
            return html_escape(text) if self.state.autoescape else text
        expr = self.expr(node.expr)
        if finalize:  # the Environment's function sees each value before it is converted
            expr = call("_finalize", load("ctx"), expr)
        elif isinstance(expr, ast.Call) and _is_call_of(expr, "_super"):
            # ``{{ super() }}``: the parent's text is output as it is, never escaped, so
            # it need not become Markup and pass the converter first.
            expr.func = load("_super_text")
            return expr
        converted = call("_e" if self.state.autoescape else "_s", expr)
        # At the output's own line: the run of text it joins may start lines earlier, and an
        # error raised while converting the value (its __str__) is reported at this line.
        locate(converted, node.lineno, node.col_offset)
        return converted

    def def_output(self, node: n.Output) -> ast.stmt | None:
        """``{{ d(...) }}`` of a def that writes into its caller's buffer: the call, passed
        this output's append (None for any other output).

        The def's output is Markup, appended as it is, so writing it straight into the
        buffer gives the same text without building and converting a Markup. The
        name's binding says whether it surely holds such a def (``def_writes_into``,
        see ``composition._writes_into``) or may (``into_flag``: an imported name,
        checked once when imported); ``super`` and ``**`` arguments keep their usual
        call.
        """
        target = self._targets[-1]
        expr = node.expr
        if (
            target.kind is not Output.APPEND
            or self.options.finalize
            or not isinstance(expr, n.Call)
            or not isinstance(expr.func, n.Name)
            or expr.func.name == "super"
            or expr.dyn_kwargs is not None
        ):
            return None
        binding = self.state.lookup(expr.func.name)
        if binding is None or not (binding.def_writes_into or binding.into_flag):
            return None
        compiled = self.expr(expr)
        assert isinstance(compiled, ast.Call)
        if binding.into_flag is None:
            compiled.keywords.append(ast.keyword(INTO_KEYWORD, load(target.local)))
            return expr_stmt(compiled)
        # The same call without the append, sharing its (positioned) callee and
        # arguments: the two calls are alternatives, and nothing changes either later.
        plain = ast.Call(compiled.func, compiled.args, list(compiled.keywords))
        plain.lineno = compiled.lineno
        plain.col_offset = compiled.col_offset
        compiled.keywords.append(ast.keyword(INTO_KEYWORD, load(target.local)))
        converted = call("_e" if self.state.autoescape else "_s", plain)
        locate(converted, node.lineno, node.col_offset)
        return ast.If(load(binding.into_flag), [expr_stmt(compiled)], [self.emit(converted)])

    def constant_value(self, expr: n.Expr) -> Any:
        """The compile-time value of a literal or a literal ``static_context`` name."""
        if isinstance(expr, n.Const):
            return expr.value
        st = self.state
        if isinstance(expr, n.Name) and st.lookup(expr.name) is None:
            value = st.static_context.get(expr.name, NOT_CONSTANT)
            if type(value) in (str, int, float, bool, type(None)):  # not Markup: it has __html__
                return value
        return NOT_CONSTANT

    def flush_parts(self, parts: list[Part], lineno: int) -> list[ast.stmt]:
        """Emit pending text/outputs, coalesced into one f-string when possible."""
        merged = _merged(parts)
        if not merged:
            return []
        if len(merged) == 1 or not self.options.fstring_coalescing:
            values = [const(p) if isinstance(p, str) else p for p in merged]
            return relocate([self.emit(v) for v in values], lineno, 0)
        joined = ast.JoinedStr(
            [const(p) if isinstance(p, str) else ast.FormattedValue(p, -1, None) for p in merged]
        )
        return relocate([self.emit(joined)], lineno, 0)


def _merged(parts: list[Part]) -> list[Part]:
    """``parts`` with adjacent texts joined and empty texts dropped."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged


#: An ``if`` with this many ``elif`` tests or more stays a statement: each one nests
#: a conditional expression, and Python's compiler recurses once per nesting.
_IF_PART_ELIFS = 8


def _inline_text(node: n.Node, line: int) -> bool:
    """Whether ``node`` is text or an output (not a def call) that stays on ``line``."""
    if isinstance(node, n.Data):
        return node.lineno == line and "\n" not in node.value
    return (
        isinstance(node, n.Output)
        and node.lineno == line
        and not (isinstance(node.expr, n.Call) and isinstance(node.expr.func, n.Name))
    )
