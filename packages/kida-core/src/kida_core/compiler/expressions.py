"""Compilation of Kida expressions to Python ``ast.expr`` nodes."""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable
from typing import Any

import kida_core.nodes as n
from kida_core.compiler.emitter import Emitter, Handlers
from kida_core.compiler.pyast import call, const, is_, is_not, load, locate, store
from kida_core.compiler.scope import Binding
from kida_core.errors import ErrorCode, TemplateSyntaxError
from kida_core.symbols import DESTRUCTURING

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


HANDLERS = Handlers()


def super_call(em: Emitter) -> ast.expr | None:
    """``super()`` inside a block: the parent definition's output (None outside blocks)."""
    if em.block is None:
        return None
    definition = ast.Subscript(load("_block_defs"), const(em.block), ast.Load())
    args = (load("_blocks"), const(em.block), definition, load("ctx"))
    if em.is_async:
        return ast.Await(call("_asuper", *args))
    return call("_super", *args)


def self_call(node: n.Call, em: Emitter) -> ast.expr | None:
    """``self.name()``: the most derived definition of block ``name`` (None: not that form)."""
    func = node.func
    if not (
        isinstance(func, n.Getattr)
        and isinstance(func.obj, n.Name)
        and func.obj.name == "self"
        and not func.optional
        and not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
        and em.state.lookup("self") is None
    ):
        return None
    args = (load("_blocks"), const(func.attr), load("ctx"))
    if em.is_async:
        return ast.Await(call("_aself_block", *args))
    return call("_self_block", *args)


def safe_expr(node: n.Expr, em: Emitter) -> ast.expr:
    """Compile ``node`` so a missing name/attribute/key yields ``_U``, never raises."""
    if isinstance(node, n.Name):
        result: ast.expr = name_value(node, em, checked=False)
    elif isinstance(node, n.Getattr | n.Getitem):
        key: ast.expr
        if isinstance(node, n.Getattr):
            key, helper = const(node.attr), "_getattr_safe"
        else:
            key, helper = em.expr(node.key), "_getitem_safe"
        if node.optional:  # `obj?.key ?? x`: a miss on any receiver falls through to `x`
            result = _optional_link(node.obj, key, lambda o: call(helper, o, key), em)
        else:
            result = call(helper, safe_expr(node.obj, em), key)
    else:
        return em.expr(node)
    locate(result, node.lineno, node.col_offset)
    return result


# -- names --------------------------------------------------------------


def name_value(node: n.Name, em: Emitter, *, checked: bool = True) -> ast.expr:
    """Load a template name; strict mode checks it is defined."""
    st = em.state
    binding = st.lookup(node.name)
    if binding is None:
        if node.name in st.static_context:
            return static_value(st.static_context[node.name], em)
        binding = st.root_binding(node.name)
        st.note_root_read(node.name, node.lineno)
    if binding.kind == "inline_loop":
        raise AssertionError("inline loop variable used as a value")  # pragma: no cover
    st.name_refs.setdefault(node.lineno, {})[node.name] = binding.pyname
    ref = load(binding.pyname)
    root = binding.kind == "root"
    if root:
        binding.reads += 1
    if not checked or binding.checked or not st.strict:
        return ref
    if root:
        if node.name in st.defined and st.function_scope() is None:
            return ref  # an earlier read in this function would have raised
        st.root_checks.append(node.name)
    check = ast.IfExp(
        is_not(load(binding.pyname), load("_U")),
        ref,
        call("_K_undef", load("ctx"), const(node.name)),
    )
    if root and st.runs_once():
        binding.site = check
    return check


#: Filters whose input may be undefined without raising (compiled like ``is defined``).
UNDEFINED_SAFE_FILTERS = frozenset({"default", "d"})


def first_read_name(expr: n.Expr) -> str | None:
    """The name ``expr`` reads (strictly) before anything else, if any.

    ``site``, ``site.name``, ``site["k"].x`` and ``site.name | title`` all read
    ``site`` first and unconditionally; optional lookups and the filters that
    accept undefined values do not.
    """
    while True:
        if isinstance(expr, n.Getattr | n.Getitem) and not expr.optional:
            expr = expr.obj
        elif (
            isinstance(expr, n.Filter)
            and not expr.optional
            and expr.name not in UNDEFINED_SAFE_FILTERS
        ):
            expr = expr.value
        else:
            return expr.name if isinstance(expr, n.Name) else None


def static_value(value: Any, em: Emitter) -> ast.expr:
    """A compile-time value: a constant, or a precomputed ``_pc_N`` global."""
    if type(value) in _LITERAL_TYPES:  # exact: Markup must stay a precomputed value
        return const(value)
    return load(em.state.precompute(value))


# -- literals and containers ----------------------------------------------


@HANDLERS.expression(n.Const)
def _const(node: n.Const, em: Emitter) -> ast.expr:
    return const(node.value)


@HANDLERS.expression(n.Name)
def _name(node: n.Name, em: Emitter) -> ast.expr:
    return name_value(node, em)


@HANDLERS.expression(n.TupleExpr)
def _tuple(node: n.TupleExpr, em: Emitter) -> ast.expr:
    return ast.Tuple([em.expr(i) for i in node.items], ast.Load())


@HANDLERS.expression(n.ListExpr)
def _list(node: n.ListExpr, em: Emitter) -> ast.expr:
    return ast.List([em.expr(i) for i in node.items], ast.Load())


@HANDLERS.expression(n.DictExpr)
def _dict(node: n.DictExpr, em: Emitter) -> ast.expr:
    return ast.Dict([em.expr(k) for k in node.keys], [em.expr(v) for v in node.values])


@HANDLERS.expression(n.ListComp)
def _listcomp(node: n.ListComp, em: Emitter) -> ast.expr:
    em.in_comprehension_iterable += 1
    try:
        iterable = guard_iterable(em.expr(node.iter), em)
    finally:
        em.in_comprehension_iterable -= 1
    st = em.state
    st.push_scope()
    try:
        target = bind_target(node.target, "loop", em)
        ifs = [em.expr(node.cond)] if node.cond is not None else []
        elt = em.expr(node.elt)
    finally:
        st.pop_scope()
    gen = ast.comprehension(target, iterable, ifs, 0)
    return ast.ListComp(elt, [gen])


@HANDLERS.expression(n.RangeExpr)
def _range(node: n.RangeExpr, em: Emitter) -> ast.expr:
    step = em.expr(node.step) if node.step is not None else const(None)
    return call(
        "_range_literal",
        em.expr(node.start),
        em.expr(node.stop),
        step,
        const(node.inclusive),
    )


# -- postfix chains (attribute, item, call) with optional chaining ------------


@HANDLERS.expression(n.Getattr, n.Getitem, n.Call)
def _postfix(node: n.Expr, em: Emitter) -> ast.expr:
    return chain(node, _identity, em)


def chain(node: n.Expr, k: Continuation, em: Emitter) -> ast.expr:
    """Compile a postfix chain; ``k`` wraps the rest of the chain.

    An optional link (``?.``/``?[``) evaluates its object into a temp and
    yields None — skipping the whole remainder ``k`` — when it short-circuits.
    """
    if isinstance(node, n.Getattr):
        inline = _inline_loop_attr(node, em)
        if inline is not None:
            return k(inline)
        return _link(node.obj, const(node.attr), node.optional, "_getattr", k, em)
    if isinstance(node, n.Getitem):
        return _link(node.obj, em.expr(node.key), node.optional, "_getitem", k, em)
    if isinstance(node, n.Call):
        if isinstance(node.func, n.Name) and node.func.name == "super" and not node.args:
            parent = super_call(em)
            if parent is not None:
                return k(parent)
        block = self_call(node, em)
        if block is not None:
            return k(block)
        cycle = _inline_loop_cycle(node, em)
        if cycle is not None:
            return k(cycle)
        args, keywords = call_args(node.args, node.kwargs, node.dyn_args, node.dyn_kwargs, em)
        if em.options.guarded:
            return chain(
                node.func,
                lambda f: k(ast.Call(load("_call"), [f, *args], keywords)),
                em,
            )
        return chain(node.func, lambda f: k(ast.Call(f, args, keywords)), em)
    return k(em.expr(node))


def _link(
    obj: n.Expr, key: ast.expr, optional: bool, helper: str, k: Continuation, em: Emitter
) -> ast.expr:
    if not optional:
        return chain(obj, lambda o: k(call(helper, o, key)), em)
    return _optional_link(obj, key, lambda o: k(call(helper, o, key)), em)


def _optional_link(
    obj: n.Expr, key: ast.expr, use: Callable[[ast.expr], ast.expr], em: Emitter
) -> ast.expr:
    """``None`` when ``obj?.key`` short-circuits, else ``use(obj)`` (obj evaluated once)."""
    temp = em.state.temp("opt")
    return bind_once(
        temp,
        safe_expr(obj, em),
        lambda target: ast.IfExp(call("_optional_miss", target, key), const(None), use(load(temp))),
        em,
    )


def bind_once(
    temp: str, value: ast.expr, use: Callable[[ast.expr], ast.expr], em: Emitter
) -> ast.expr:
    """``use(temp := value)``, where ``use`` reads ``temp`` again after its first argument.

    Python forbids ``:=`` in comprehension iterables; there the temporary is
    the parameter of a lambda called at once: ``(lambda temp: use(temp))(value)``.
    """
    if not em.in_comprehension_iterable:
        return use(ast.NamedExpr(store(temp), value))
    params = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(temp)],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )
    function = ast.Lambda(params, use(load(temp)))
    return ast.Call(function, [value], [])


def _inline_loop_attr(node: n.Getattr, em: Emitter) -> ast.expr | None:
    """``loop.index`` & co. as arithmetic on the loop counter (inline loops)."""
    if not (isinstance(node.obj, n.Name) and node.obj.name == "loop"):
        return None
    binding = em.state.lookup("loop")
    if binding is None or binding.kind != "inline_loop":
        return None
    return inline_loop_property(binding, node.attr)


def _inline_loop_cycle(node: n.Call, em: Emitter) -> ast.expr | None:
    """``loop.cycle(a, b)`` as ``(a, b)[i % 2]`` (inline loops)."""
    if not isinstance(node.func, n.Getattr) or not is_inline_cycle(node.func, node):
        return None
    binding = em.state.lookup("loop")
    if binding is None or binding.kind != "inline_loop":
        return None
    values = ast.Tuple([em.expr(a) for a in node.args], ast.Load())
    index = ast.BinOp(load(binding.counter or ""), ast.Mod(), const(len(node.args)))
    return ast.Subscript(values, index, ast.Load())


@HANDLERS.expression(n.Slice)
def _slice(node: n.Slice, em: Emitter) -> ast.expr:
    parts = [em.expr(p) if p is not None else const(None) for p in (node.start, node.stop)]
    step = em.expr(node.step) if node.step is not None else const(None)
    return call("_slice", *parts, step)


def call_args(
    args: tuple[n.Expr, ...],
    kwargs: tuple[n.Keyword, ...],
    dyn_args: n.Expr | None,
    dyn_kwargs: n.Expr | None,
    em: Emitter,
) -> tuple[list[ast.expr], list[ast.keyword]]:
    """Positional and keyword argument lists, with ``*``/``**`` splats."""
    pos: list[ast.expr] = [em.expr(a) for a in args]
    if dyn_args is not None:
        pos.append(ast.Starred(em.expr(dyn_args), ast.Load()))
    kws = [ast.keyword(kw.name, em.expr(kw.value)) for kw in kwargs]
    if dyn_kwargs is not None:
        kws.append(ast.keyword(None, em.expr(dyn_kwargs)))
    return pos, kws


# -- filters and tests ------------------------------------------------------


def apply_filter(
    func: str,
    value: ast.expr,
    spec: n.Filter | n.FilterCall,
    em: Emitter,
    *,
    optional: bool = False,
) -> ast.expr:
    """``func(value, args...)``; optional filters skip (yield None) on None."""
    args, keywords = call_args(spec.args, spec.kwargs, spec.dyn_args, spec.dyn_kwargs, em)
    first = em.state.passed_arguments(em.state.filters.get(spec.name))
    if not optional:
        return ast.Call(load(func), [*first, value, *args], keywords)
    temp = em.state.temp("fv")
    return bind_once(
        temp,
        value,
        lambda target: ast.IfExp(
            is_(target, const(None)),
            const(None),
            ast.Call(load(func), [*first, load(temp), *args], keywords),
        ),
        em,
    )


@HANDLERS.expression(n.Test)
def _test(node: n.Test, em: Emitter) -> ast.expr:
    if node.name in ("defined", "undefined"):
        value = safe_expr(node.value, em)
        defined = node.name == "defined"
        op = is_not if defined != node.negated else is_
        return op(value, load("_U"))
    func = em.state.test_global(node.name, node)
    args, keywords = call_args(node.args, node.kwargs, None, None, em)
    first = em.state.passed_arguments(em.state.tests.get(node.name))
    result: ast.expr = ast.Call(load(func), [*first, em.expr(node.value), *args], keywords)
    if node.negated:
        result = ast.UnaryOp(ast.Not(), result)
    return result


# -- operators ------------------------------------------------------------------


@HANDLERS.expression(n.BinOp)
def _binop(node: n.BinOp, em: Emitter) -> ast.expr:
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
        and not em.in_comprehension_iterable
        and any(link.op != "~" for link in links)
    ):
        links.reverse()
        return _flat_chain(links, first, em)
    spine: list[n.BinOp] = []
    left_node: n.Expr = node
    while isinstance(left_node, n.BinOp) and left_node.op != "~":
        spine.append(left_node)
        left_node = left_node.left
    if not spine:
        return _concat(node, em)
    result = em.expr(left_node)
    for link in reversed(spine):
        result = _binop_link(link, result, em.expr(link.right), em)
        if link is not node:  # ``expr`` locates the outermost node itself
            locate(result, link.lineno, link.col_offset)
    return result


def _flat_chain(links: list[n.BinOp], first: n.Expr, em: Emitter) -> ast.expr:
    """A long chain as ``(t := a, t := t + b, t := _concat(t, c, d), ...)[-1]``.

    ``links`` run from the innermost (``first``'s parent) outwards. Same
    evaluation order and results as the nested form (a run of ``~`` links
    is one ``_concat``), but Python's compiler sees a flat tuple instead of
    one nesting level per operand.
    """
    temp = em.state.temp("acc")
    steps: list[ast.expr] = [ast.NamedExpr(store(temp), em.expr(first))]
    index = 0
    while index < len(links):
        link = links[index]
        value: ast.expr
        if link.op == "~":
            parts: list[n.Expr] = []
            while index < len(links) and links[index].op == "~":
                parts.extend(_concat_parts(links[index].right))
                index += 1
            value = call("_concat", load(temp), *(em.expr(p) for p in parts))
        else:
            value = _binop_link(link, load(temp), em.expr(link.right), em)
            index += 1
        step = ast.NamedExpr(store(temp), value)
        locate(step, link.lineno, link.col_offset)
        steps.append(step)
    items = ast.Tuple(steps, ast.Load())
    return ast.Subscript(items, const(-1), ast.Load())


def _binop_link(node: n.BinOp, left: ast.expr, right: ast.expr, em: Emitter) -> ast.expr:
    """``left <op> right`` for one link of a binary chain."""
    if node.op == "+":
        if _is_numeric_literal(node.left) and _is_numeric_literal(node.right):
            return ast.BinOp(left, ast.Add(), right)
        return call("_add", left, right)
    if em.options.guarded and node.op in _GUARDED_BINOPS:
        return call(_GUARDED_BINOPS[node.op], left, right)
    return ast.BinOp(left, _BINOPS[node.op](), right)


def _concat(node: n.BinOp, em: Emitter) -> ast.expr:
    """``a ~ b ~ c`` as one ``_concat(a, b, c)`` call."""
    return call("_concat", *(em.expr(p) for p in _concat_parts(node)))


def guard_iterable(iterable: ast.expr, em: Emitter) -> ast.expr:
    """A loop iterable, counted against the guard's iteration budget when guarded."""
    return call("_iter", iterable) if em.options.guarded else iterable


@HANDLERS.expression(n.UnaryOp)
def _unary(node: n.UnaryOp, em: Emitter) -> ast.expr:
    ops: dict[str, ast.unaryop] = {"-": ast.USub(), "+": ast.UAdd(), "not": ast.Not()}
    return ast.UnaryOp(ops[node.op], em.expr(node.operand))


@HANDLERS.expression(n.BoolOp)
def _boolop(node: n.BoolOp, em: Emitter) -> ast.expr:
    op: ast.boolop = ast.And() if node.op == "and" else ast.Or()
    return ast.BoolOp(op, [em.expr(v) for v in node.values])


@HANDLERS.expression(n.Compare)
def _compare(node: n.Compare, em: Emitter) -> ast.expr:
    return ast.Compare(
        em.expr(node.left),
        [_CMPOPS[op]() for op in node.ops],
        [em.expr(c) for c in node.comparators],
    )


@HANDLERS.expression(n.CondExpr)
def _condexpr(node: n.CondExpr, em: Emitter) -> ast.expr:
    orelse = em.expr(node.orelse) if node.orelse is not None else const("")
    return ast.IfExp(em.expr(node.test), em.expr(node.body), orelse)


@HANDLERS.expression(n.NullCoalesce)
def _coalesce(node: n.NullCoalesce, em: Emitter) -> ast.expr:
    temp = em.state.temp("nc")
    left = safe_expr(node.left, em)
    right = em.expr(node.right)
    return bind_once(
        temp,
        left,
        lambda target: ast.IfExp(
            ast.BoolOp(ast.And(), [is_not(target, const(None)), is_not(load(temp), load("_U"))]),
            load(temp),
            right,
        ),
        em,
    )


@HANDLERS.expression(n.Await)
def _await(node: n.Await, em: Emitter) -> ast.expr:
    if not em.is_async:
        raise em.state.error(
            "await is only allowed in the body of a template or block, not inside a def, "
            "slot, call or recursive loop",
            node,
            ErrorCode.UNSUPPORTED_SYNTAX,
        )
    return ast.Await(em.expr(node.value))


# -- binding targets -------------------------------------------------------------


def bind_target(target: n.Expr, kind: str, em: Emitter) -> ast.expr:
    """Bind a ``Name``/``TupleExpr`` target in the current scope; returns the store."""
    if isinstance(target, n.Name):
        pyname = em.state.bind(target.name, kind)  # type: ignore[arg-type]
        return store(pyname)
    if isinstance(target, DESTRUCTURING):
        return ast.Tuple([bind_target(t, kind, em) for t in target.items], ast.Store())
    raise TemplateSyntaxError(
        f"Cannot assign to {type(target).__name__}: only names and tuples of names",
        lineno=target.lineno,
        name=em.state.name,
        filename=em.state.filename,
        source=em.state.source,
        col_offset=target.col_offset,
        code=ErrorCode.INVALID_EXPRESSION,
    )


INLINE_LOOP_ATTRS = frozenset(
    {"index", "index0", "first", "last", "length", "revindex", "revindex0", "depth", "depth0"}
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
        "index": ast.BinOp(i, ast.Add(), one),
        "first": ast.Compare(i, [ast.Eq()], [const(0)]),
        "length": length,
        "last": ast.Compare(i, [ast.Eq()], [ast.BinOp(length, ast.Sub(), one)]),
        "revindex": ast.BinOp(length, ast.Sub(), i),
        "revindex0": ast.BinOp(ast.BinOp(length, ast.Sub(), i), ast.Sub(), one),
        # An inline loop is never a nested level of a recursive loop.
        "depth": one,
        "depth0": const(0),
    }
    return table[attr]


def suggest(name: str, candidates: list[str]) -> str | None:
    """The closest candidate to ``name`` (difflib, cutoff 0.6), if any."""
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None
