"""Compilation of Kida expressions to Python ``ast.expr`` nodes."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import kida_core.nodes as n
from kida_core.compiler.pyast import call, const, is_, is_not, load, locate, store
from kida_core.compiler.scope import Binding
from kida_core.errors import ErrorCode, TemplateSyntaxError
from kida_core.symbols import DESTRUCTURING

if TYPE_CHECKING:
    from kida_core.compiler.state import CompilerState

_BINOPS: dict[str, type[ast.operator]] = {
    "-": ast.Sub,
    "*": ast.Mult,
    "/": ast.Div,
    "//": ast.FloorDiv,
    "%": ast.Mod,
    "**": ast.Pow,
}
_CMPOPS: dict[str, type[ast.cmpop]] = {
    "==": ast.Eq,
    "!=": ast.NotEq,
    "<": ast.Lt,
    "<=": ast.LtE,
    ">": ast.Gt,
    ">=": ast.GtE,
    "in": ast.In,
    "not in": ast.NotIn,
    "is": ast.Is,
    "is not": ast.IsNot,
}
#: Operators a runtime guard checks (repetition, exponent and %-format sizes).
_GUARDED_BINOPS = {"*": "_mul", "**": "_pow", "%": "_mod"}
#: Filters whose input may be undefined without raising (compiled like ``is defined``).
_UNDEFINED_SAFE_FILTERS = frozenset({"default", "d"})
_LITERAL_TYPES = (str, int, float, bool, type(None))
#: Binary chains with more links compile to a flat sequence of steps.
_FLAT_CHAIN_LINKS = 64

Continuation = Callable[[ast.expr], ast.expr]


def _identity(expr: ast.expr) -> ast.expr:
    return expr


def _concat_parts(node: n.Expr) -> list[n.Expr]:
    """The operands of a ``~`` tree, left to right (``node`` itself when not ``~``)."""
    parts: list[n.Expr] = []
    pending: list[n.Expr] = [node]
    while pending:  # depth first, left to right, without recursion
        item = pending.pop()
        if isinstance(item, n.BinOp) and item.op == "~":
            pending.append(item.right)
            pending.append(item.left)
        else:
            parts.append(item)
    return parts


def _is_numeric_literal(node: n.Expr) -> bool:
    return (
        isinstance(node, n.Const)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    )


class ExpressionCompiler:
    """Mixin: ``expr(node)`` turns a Kida expression into a Python expression."""

    state: CompilerState
    #: True while compiling an async generator body (``await``/``async for`` allowed).
    _async_function: bool
    #: Route calls, ``* ** %`` and loop iterables through guard helpers (a
    #: runtime guard such as the sandbox is installed); False costs nothing.
    _guarded: bool
    #: > 0 while compiling a comprehension iterable, where Python forbids ``:=``.
    _in_comprehension_iterable: int = 0

    def super_call(self) -> ast.expr | None:
        """``super()`` when compiling a block body (see the composition compiler)."""
        return None

    # -- entry points -----------------------------------------------------

    def expr(self, node: n.Expr) -> ast.expr:
        """Compile ``node`` with strict lookups."""
        handler = self._expr_dispatch[type(node).__name__]
        result: ast.expr = handler(self, node)
        locate(result, node.lineno, node.col_offset)
        return result

    def safe_expr(self, node: n.Expr) -> ast.expr:
        """Compile ``node`` so a missing name/attribute/key yields ``_U``, never raises."""
        if isinstance(node, n.Name):
            result: ast.expr = self.name_value(node, checked=False)
        elif isinstance(node, n.Getattr) and not node.optional:
            result = call("_getattr_safe", self.safe_expr(node.obj), const(node.attr))
        elif isinstance(node, n.Getitem) and not node.optional:
            result = call("_getitem_safe", self.safe_expr(node.obj), self.expr(node.key))
        else:
            return self.expr(node)
        locate(result, node.lineno, node.col_offset)
        return result

    # -- names --------------------------------------------------------------

    def name_value(self, node: n.Name, *, checked: bool = True) -> ast.expr:
        """Load a template name; strict mode checks it is defined."""
        st = self.state
        binding = st.lookup(node.name)
        if binding is None:
            if node.name in st.static_context:
                return self.static_value(st.static_context[node.name])
            binding = st.root_binding(node.name)
            st.note_root_read(node.name, node.lineno)
        if binding.kind == "inline_loop":
            raise AssertionError("inline loop variable used as a value")  # pragma: no cover
        st.name_refs.setdefault(node.lineno, {})[node.name] = binding.pyname
        ref = load(binding.pyname)
        if not checked or binding.checked or not st.strict:
            return ref
        return ast.IfExp(
            test=is_not(load(binding.pyname), load("_U")),
            body=ref,
            orelse=call("_undef", load("ctx"), const(node.name)),
        )

    def static_value(self, value: Any) -> ast.expr:
        """A compile-time value: a constant, or a precomputed ``_pc_N`` global."""
        if type(value) in _LITERAL_TYPES:  # exact: Markup must stay a precomputed value
            return const(value)
        return load(self.state.precompute(value))

    # -- literals and containers ----------------------------------------------

    def _const(self, node: n.Const) -> ast.expr:
        return const(node.value)

    def _name(self, node: n.Name) -> ast.expr:
        return self.name_value(node)

    def _tuple(self, node: n.TupleExpr) -> ast.expr:
        return ast.Tuple(elts=[self.expr(i) for i in node.items], ctx=ast.Load())

    def _list(self, node: n.ListExpr) -> ast.expr:
        return ast.List(elts=[self.expr(i) for i in node.items], ctx=ast.Load())

    def _dict(self, node: n.DictExpr) -> ast.expr:
        return ast.Dict(
            keys=[self.expr(k) for k in node.keys], values=[self.expr(v) for v in node.values]
        )

    def _listcomp(self, node: n.ListComp) -> ast.expr:
        self._in_comprehension_iterable += 1
        try:
            iterable = self.guard_iterable(self.expr(node.iter))
        finally:
            self._in_comprehension_iterable -= 1
        st = self.state
        st.push_scope()
        try:
            target = self.bind_target(node.target, "loop")
            ifs = [self.expr(node.cond)] if node.cond is not None else []
            elt = self.expr(node.elt)
        finally:
            st.pop_scope()
        gen = ast.comprehension(target=target, iter=iterable, ifs=ifs, is_async=0)
        return ast.ListComp(elt=elt, generators=[gen])

    def _range(self, node: n.RangeExpr) -> ast.expr:
        step = self.expr(node.step) if node.step is not None else const(None)
        return call(
            "_range_literal",
            self.expr(node.start),
            self.expr(node.stop),
            step,
            const(node.inclusive),
        )

    # -- postfix chains (attribute, item, call) with optional chaining ------------

    def _postfix(self, node: n.Expr) -> ast.expr:
        return self.chain(node, _identity)

    def chain(self, node: n.Expr, k: Continuation) -> ast.expr:
        """Compile a postfix chain; ``k`` wraps the rest of the chain.

        An optional link (``?.``/``?[``) evaluates its object into a temp and
        yields None — skipping the whole remainder ``k`` — when it short-circuits.
        """
        if isinstance(node, n.Getattr):
            inline = self._inline_loop_attr(node)
            if inline is not None:
                return k(inline)
            return self._link(node.obj, const(node.attr), node.optional, "_getattr", k)
        if isinstance(node, n.Getitem):
            return self._link(node.obj, self.expr(node.key), node.optional, "_getitem", k)
        if isinstance(node, n.Call):
            if isinstance(node.func, n.Name) and node.func.name == "super" and not node.args:
                parent = self.super_call()
                if parent is not None:
                    return k(parent)
            cycle = self._inline_loop_cycle(node)
            if cycle is not None:
                return k(cycle)
            args, keywords = self.call_args(node.args, node.kwargs, node.dyn_args, node.dyn_kwargs)
            if self._guarded:
                return self.chain(
                    node.func,
                    lambda f: k(ast.Call(func=load("_call"), args=[f, *args], keywords=keywords)),
                )
            return self.chain(
                node.func, lambda f: k(ast.Call(func=f, args=args, keywords=keywords))
            )
        return k(self.expr(node))

    def _link(
        self, obj: n.Expr, key: ast.expr, optional: bool, helper: str, k: Continuation
    ) -> ast.expr:
        if not optional:
            return self.chain(obj, lambda o: k(call(helper, o, key)))
        temp = self.state.temp("opt")
        return self.bind_once(
            temp,
            self.safe_expr(obj),
            lambda target: ast.IfExp(
                test=call("_optional_miss", target, key),
                body=const(None),
                orelse=k(call(helper, load(temp), key)),
            ),
        )

    def bind_once(
        self, temp: str, value: ast.expr, use: Callable[[ast.expr], ast.expr]
    ) -> ast.expr:
        """``use(temp := value)``, where ``use`` reads ``temp`` again after its first argument.

        Python forbids ``:=`` in comprehension iterables; there the temporary is
        the parameter of a lambda called at once: ``(lambda temp: use(temp))(value)``.
        """
        if not self._in_comprehension_iterable:
            return use(ast.NamedExpr(target=store(temp), value=value))
        params = ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg=temp)],
            kwonlyargs=[],
            kw_defaults=[],
            defaults=[],
        )
        function = ast.Lambda(args=params, body=use(load(temp)))
        return ast.Call(func=function, args=[value], keywords=[])

    def _inline_loop_attr(self, node: n.Getattr) -> ast.expr | None:
        """``loop.index`` & co. as arithmetic on the loop counter (inline loops)."""
        if not (isinstance(node.obj, n.Name) and node.obj.name == "loop"):
            return None
        binding = self.state.lookup("loop")
        if binding is None or binding.kind != "inline_loop":
            return None
        return inline_loop_property(binding, node.attr)

    def _inline_loop_cycle(self, node: n.Call) -> ast.expr | None:
        """``loop.cycle(a, b)`` as ``(a, b)[i % 2]`` (inline loops)."""
        if not isinstance(node.func, n.Getattr) or not is_inline_cycle(node.func, node):
            return None
        binding = self.state.lookup("loop")
        if binding is None or binding.kind != "inline_loop":
            return None
        values = ast.Tuple(elts=[self.expr(a) for a in node.args], ctx=ast.Load())
        index = ast.BinOp(
            left=load(binding.counter or ""), op=ast.Mod(), right=const(len(node.args))
        )
        return ast.Subscript(value=values, slice=index, ctx=ast.Load())

    def _slice(self, node: n.Slice) -> ast.expr:
        parts = [self.expr(p) if p is not None else const(None) for p in (node.start, node.stop)]
        step = self.expr(node.step) if node.step is not None else const(None)
        return call("_slice", *parts, step)

    def call_args(
        self,
        args: tuple[n.Expr, ...],
        kwargs: tuple[n.Keyword, ...],
        dyn_args: n.Expr | None,
        dyn_kwargs: n.Expr | None,
    ) -> tuple[list[ast.expr], list[ast.keyword]]:
        """Positional and keyword argument lists, with ``*``/``**`` splats."""
        pos: list[ast.expr] = [self.expr(a) for a in args]
        if dyn_args is not None:
            pos.append(ast.Starred(value=self.expr(dyn_args), ctx=ast.Load()))
        kws = [ast.keyword(arg=kw.name, value=self.expr(kw.value)) for kw in kwargs]
        if dyn_kwargs is not None:
            kws.append(ast.keyword(arg=None, value=self.expr(dyn_kwargs)))
        return pos, kws

    # -- filters and tests ------------------------------------------------------

    def _filter(self, node: n.Filter) -> ast.expr:
        func = self.state.filter_global(node.name, node)
        value = (
            self.safe_expr(node.value)
            if node.name in _UNDEFINED_SAFE_FILTERS
            else self.expr(node.value)
        )
        return self.apply_filter(func, value, node, optional=node.optional)

    def apply_filter(
        self,
        func: str,
        value: ast.expr,
        spec: n.Filter | n.FilterCall,
        *,
        optional: bool = False,
    ) -> ast.expr:
        """``func(value, args...)``; optional filters skip (yield None) on None."""
        args, keywords = self.call_args(spec.args, spec.kwargs, spec.dyn_args, spec.dyn_kwargs)
        if not optional:
            return ast.Call(func=load(func), args=[value, *args], keywords=keywords)
        temp = self.state.temp("fv")
        return self.bind_once(
            temp,
            value,
            lambda target: ast.IfExp(
                test=is_(target, const(None)),
                body=const(None),
                orelse=ast.Call(func=load(func), args=[load(temp), *args], keywords=keywords),
            ),
        )

    def _test(self, node: n.Test) -> ast.expr:
        if node.name in ("defined", "undefined"):
            value = self.safe_expr(node.value)
            defined = node.name == "defined"
            op = is_not if defined != node.negated else is_
            return op(value, load("_U"))
        func = self.state.test_global(node.name, node)
        args, keywords = self.call_args(node.args, node.kwargs, None, None)
        result: ast.expr = ast.Call(
            func=load(func), args=[self.expr(node.value), *args], keywords=keywords
        )
        if node.negated:
            result = ast.UnaryOp(op=ast.Not(), operand=result)
        return result

    # -- operators ------------------------------------------------------------------

    def _binop(self, node: n.BinOp) -> ast.expr:
        # A chain ``a + b ~ c * d ...`` is a left-deep tree: long ones become
        # flat steps, the others are compiled walking the spine in a loop, so
        # the compiler's recursion does not grow with the chain length.
        links: list[n.BinOp] = []
        first: n.Expr = node
        while isinstance(first, n.BinOp):
            links.append(first)
            first = first.left
        if (
            len(links) > _FLAT_CHAIN_LINKS
            and not self._in_comprehension_iterable
            and any(link.op != "~" for link in links)
        ):
            links.reverse()
            return self._flat_chain(links, first)
        spine: list[n.BinOp] = []
        left_node: n.Expr = node
        while isinstance(left_node, n.BinOp) and left_node.op != "~":
            spine.append(left_node)
            left_node = left_node.left
        if not spine:
            return self._concat(node)
        result = self.expr(left_node)
        for link in reversed(spine):
            result = self._binop_link(link, result, self.expr(link.right))
            if link is not node:  # ``expr`` locates the outermost node itself
                locate(result, link.lineno, link.col_offset)
        return result

    def _flat_chain(self, links: list[n.BinOp], first: n.Expr) -> ast.expr:
        """A long chain as ``(t := a, t := t + b, t := _concat(t, c, d), ...)[-1]``.

        ``links`` run from the innermost (``first``'s parent) outwards. Same
        evaluation order and results as the nested form (a run of ``~`` links
        is one ``_concat``), but Python's compiler sees a flat tuple instead of
        one nesting level per operand.
        """
        temp = self.state.temp("acc")
        steps: list[ast.expr] = [ast.NamedExpr(target=store(temp), value=self.expr(first))]
        index = 0
        while index < len(links):
            link = links[index]
            value: ast.expr
            if link.op == "~":
                parts: list[n.Expr] = []
                while index < len(links) and links[index].op == "~":
                    parts.extend(_concat_parts(links[index].right))
                    index += 1
                value = call("_concat", load(temp), *(self.expr(p) for p in parts))
            else:
                value = self._binop_link(link, load(temp), self.expr(link.right))
                index += 1
            step = ast.NamedExpr(target=store(temp), value=value)
            locate(step, link.lineno, link.col_offset)
            steps.append(step)
        items = ast.Tuple(elts=steps, ctx=ast.Load())
        return ast.Subscript(value=items, slice=const(-1), ctx=ast.Load())

    def _binop_link(self, node: n.BinOp, left: ast.expr, right: ast.expr) -> ast.expr:
        """``left <op> right`` for one link of a binary chain."""
        if node.op == "+":
            if _is_numeric_literal(node.left) and _is_numeric_literal(node.right):
                return ast.BinOp(left=left, op=ast.Add(), right=right)
            return call("_add", left, right)
        if self._guarded and node.op in _GUARDED_BINOPS:
            return call(_GUARDED_BINOPS[node.op], left, right)
        return ast.BinOp(left=left, op=_BINOPS[node.op](), right=right)

    def _concat(self, node: n.BinOp) -> ast.expr:
        """``a ~ b ~ c`` as one ``_concat(a, b, c)`` call."""
        return call("_concat", *(self.expr(p) for p in _concat_parts(node)))

    def guard_iterable(self, iterable: ast.expr) -> ast.expr:
        """A loop iterable, counted against the guard's iteration budget when guarded."""
        return call("_iter", iterable) if self._guarded else iterable

    def _unary(self, node: n.UnaryOp) -> ast.expr:
        ops: dict[str, ast.unaryop] = {"-": ast.USub(), "+": ast.UAdd(), "not": ast.Not()}
        return ast.UnaryOp(op=ops[node.op], operand=self.expr(node.operand))

    def _boolop(self, node: n.BoolOp) -> ast.expr:
        op: ast.boolop = ast.And() if node.op == "and" else ast.Or()
        return ast.BoolOp(op=op, values=[self.expr(v) for v in node.values])

    def _compare(self, node: n.Compare) -> ast.expr:
        return ast.Compare(
            left=self.expr(node.left),
            ops=[_CMPOPS[op]() for op in node.ops],
            comparators=[self.expr(c) for c in node.comparators],
        )

    def _condexpr(self, node: n.CondExpr) -> ast.expr:
        orelse = self.expr(node.orelse) if node.orelse is not None else const("")
        return ast.IfExp(test=self.expr(node.test), body=self.expr(node.body), orelse=orelse)

    def _coalesce(self, node: n.NullCoalesce) -> ast.expr:
        temp = self.state.temp("nc")
        left = self.safe_expr(node.left)
        right = self.expr(node.right)
        return self.bind_once(
            temp,
            left,
            lambda target: ast.IfExp(
                test=ast.BoolOp(
                    op=ast.And(),
                    values=[is_not(target, const(None)), is_not(load(temp), load("_U"))],
                ),
                body=load(temp),
                orelse=right,
            ),
        )

    def _await(self, node: n.Await) -> ast.expr:
        if not self._async_function:
            raise self.state.error(
                "await is only allowed in the body of a template or block, not inside a def, "
                "slot or call",
                node,
                ErrorCode.UNSUPPORTED_SYNTAX,
            )
        return ast.Await(value=self.expr(node.value))

    # -- binding targets -------------------------------------------------------------

    def bind_target(self, target: n.Expr, kind: str) -> ast.expr:
        """Bind a ``Name``/``TupleExpr`` target in the current scope; returns the store."""
        if isinstance(target, n.Name):
            pyname = self.state.bind(target.name, kind)  # type: ignore[arg-type]
            return store(pyname)
        if isinstance(target, DESTRUCTURING):
            return ast.Tuple(
                elts=[self.bind_target(t, kind) for t in target.items], ctx=ast.Store()
            )
        raise TemplateSyntaxError(
            f"Cannot assign to {type(target).__name__}: only names and tuples of names",
            lineno=target.lineno,
            name=self.state.name,
            filename=self.state.filename,
            source=self.state.source,
            col_offset=target.col_offset,
            code=ErrorCode.INVALID_EXPRESSION,
        )

    _expr_dispatch: ClassVar[dict[str, Callable[[Any, Any], ast.expr]]] = {
        "Const": _const,
        "Name": _name,
        "TupleExpr": _tuple,
        "ListExpr": _list,
        "DictExpr": _dict,
        "ListComp": _listcomp,
        "RangeExpr": _range,
        "Getattr": _postfix,
        "Getitem": _postfix,
        "Call": _postfix,
        "Slice": _slice,
        "Filter": _filter,
        "Test": _test,
        "BinOp": _binop,
        "UnaryOp": _unary,
        "BoolOp": _boolop,
        "Compare": _compare,
        "CondExpr": _condexpr,
        "NullCoalesce": _coalesce,
        "Await": _await,
    }


INLINE_LOOP_ATTRS = frozenset(
    {"index", "index0", "first", "last", "length", "revindex", "revindex0"}
)
LENGTH_LOOP_ATTRS = frozenset({"last", "length", "revindex", "revindex0"})


def is_inline_cycle(getattr_node: n.Node | None, call_node: n.Node | None) -> bool:
    """True for ``loop.cycle(a, b, ...)`` with plain positional arguments."""
    return (
        isinstance(getattr_node, n.Getattr)
        and getattr_node.attr == "cycle"
        and not getattr_node.optional
        and isinstance(getattr_node.obj, n.Name)
        and getattr_node.obj.name == "loop"
        and isinstance(call_node, n.Call)
        and call_node.func is getattr_node
        and bool(call_node.args)
        and not call_node.kwargs
        and call_node.dyn_args is None
        and call_node.dyn_kwargs is None
    )


def inline_loop_property(binding: Binding, attr: str) -> ast.expr:
    """``loop.<attr>`` as an expression over the counter ``i`` and length ``n``."""
    i = load(binding.counter or "")
    length = load(binding.length or "")
    one = const(1)
    table: dict[str, ast.expr] = {
        "index0": i,
        "index": ast.BinOp(left=i, op=ast.Add(), right=one),
        "first": ast.Compare(left=i, ops=[ast.Eq()], comparators=[const(0)]),
        "length": length,
        "last": ast.Compare(
            left=i, ops=[ast.Eq()], comparators=[ast.BinOp(left=length, op=ast.Sub(), right=one)]
        ),
        "revindex": ast.BinOp(left=length, op=ast.Sub(), right=i),
        "revindex0": ast.BinOp(
            left=ast.BinOp(left=length, op=ast.Sub(), right=i), op=ast.Sub(), right=one
        ),
    }
    return table[attr]


def suggest(name: str, candidates: list[str]) -> str | None:
    """The closest candidate to ``name`` (difflib, cutoff 0.6), if any."""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None
