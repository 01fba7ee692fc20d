"""Loop handlers: ``for`` (sync, async and recursive), ``while``, ``break`` and ``continue``."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import NamedTuple

import kida_core.nodes as n
from kida_core.compiler.emitter import Emitter, Handlers, Output, append_to
from kida_core.compiler.expressions import (
    INLINE_LOOP_ATTRS,
    LENGTH_LOOP_ATTRS,
    bind_target,
    guard_iterable,
    is_inline_cycle,
)
from kida_core.compiler.pyast import (
    assign,
    call,
    const,
    expr_stmt,
    load,
    nested_function,
    store,
)
from kida_core.compiler.scope import Binding
from kida_core.errors import ErrorCode

HANDLERS = Handlers()


def on_one_line(node: n.Node) -> bool:
    """Whether ``node`` and all its descendants start on ``node``'s line.

    Stops at the first descendant on another line (most multi-line nodes
    have one among their first children).
    """
    lineno = node.lineno
    pending = [node]
    while pending:  # no recursion: long expression chains make deep trees
        current = pending.pop()
        if current.lineno != lineno:
            return False
        pending.extend(n.iter_child_nodes(current))
    return True


class LoopUsage(NamedTuple):
    """How a loop body uses ``loop``."""

    #: "none", "inline" (properties as arithmetic) or "object" (a LoopContext).
    mode: str
    #: An inline property needs the length (``last``, ``revindex``...).
    needs_length: bool
    #: The ``loop(...)`` calls that recurse into this loop.
    calls: tuple[n.Call, ...]


def loop_usage(body: Sequence[n.Node], test: n.Expr | None) -> LoopUsage:
    """How a for body uses ``loop``.

    Nested ``for`` bodies rebind ``loop`` and are not searched; their iterable,
    ``if`` filter and ``else`` branch see this loop's ``loop`` (as in Jinja2).
    """
    mode = "none"
    needs_length = False
    calls: list[n.Call] = []
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
                if isinstance(parent, n.Call) and parent.func is node:
                    calls.append(parent)
            continue
        if isinstance(node, n.For):
            # Its iterable and filter run before it binds its own ``loop``, its
            # ``else`` branch after it has ended.
            pending.append((node.iter, node, parent))
            if node.test is not None:
                pending.append((node.test, node, parent))
            pending.extend((child, node, parent) for child in node.else_)
            continue
        if isinstance(node, n.Include) or (isinstance(node, n.Block) and node.scoped):
            mode = "object"  # the included template (scoped block) sees ``loop``
        children = n.iter_child_nodes(node)
        if children:  # a list, not a generator: most nodes are leaves or have few children
            pending += [(child, node, parent) for child in children]
    return LoopUsage(mode, needs_length, tuple(calls))


def _check_recursion(node: n.For, usage: LoopUsage, em: Emitter) -> None:
    """``loop(...)`` is only callable in a loop marked ``recursive``."""
    if usage.calls and not node.recursive:
        raise em.state.error(
            "loop() can only be called in a recursive loop",
            usage.calls[0],
            ErrorCode.UNSUPPORTED_SYNTAX,
            "Mark the loop recursive: {% for item in items recursive %}…"
            "{{ loop(item.children) }}…{% end %}",
        )


@HANDLERS.statement(n.For)
def _for(node: n.For, em: Emitter) -> list[ast.stmt]:
    usage = loop_usage(node.body, node.test)
    _check_recursion(node, usage, em)
    if node.is_async:
        return _async_for(node, usage, em)
    if node.recursive and usage.mode == "object":
        return _recursive_for(node, usage, em)
    stmts = em.line_marker(node.lineno)
    # With a filter and a ``loop`` object the iterable becomes the iterable
    # of a list comprehension (see below), where Python forbids ``:=``.
    in_comprehension = node.test is not None and usage.mode != "none"
    em.in_comprehension_iterable += in_comprehension
    try:
        iterable = guard_iterable(em.expr(node.iter), em)
    finally:
        em.in_comprehension_iterable -= in_comprehension
    return [*stmts, *_loop(node, usage, iterable, em)]


class _Recursion(NamedTuple):
    """What one level of a recursive loop function builds its ``loop`` from."""

    #: The generated function rendering one level (``loop(items)`` calls it).
    function: str
    #: Its parameter holding the nesting level.
    depth0: str
    #: The iteration budget shared by every level (guarded code), or None.
    budget: str | None


def _loop(
    node: n.For,
    usage: LoopUsage,
    iterable: ast.expr,
    em: Emitter,
    recursion: _Recursion | None = None,
) -> list[ast.stmt]:
    """The ``for`` statement (with its ``else``) over a compiled iterable."""
    st = em.state
    mode, needs_length = usage.mode, usage.needs_length
    stmts: list[ast.stmt] = []
    flag = st.temp("iterated") if node.else_ else None
    if flag:
        stmts.append(assign(flag, const(False)))
    st.push_scope()
    try:
        target = bind_target(node.target, "loop", em)
        test = em.expr(node.test) if node.test is not None else None
        if test is not None and mode != "none":
            target_load = _as_load(target)
            gen = ast.comprehension(target, iterable, [test], 0)
            iterable = ast.ListComp(target_load, [gen])
            test = None
        loop_head, for_target, for_iter = _loop_head(
            mode, needs_length, iterable, target, em, recursion
        )
        stmts.extend(loop_head)
        if recursion is not None and recursion.budget is not None:
            # Every level's items draw on one budget: recursion cannot multiply it.
            tick = store(st.temp("tick"))
            for_target = ast.Tuple([for_target, tick], ast.Store())
            for_iter = call("_zip", for_iter, load(recursion.budget))
        # Each iteration but the first starts where the previous one ended: only
        # a loop written on one line knows which line is recorded there.
        known = node.lineno if on_one_line(node) else None
        body: list[ast.stmt] = []
        if test is not None:
            body.append(ast.If(ast.UnaryOp(ast.Not(), test), [ast.Continue()], []))
        if flag:
            body.append(assign(flag, const(True)))
        with em.line_scope(known, fresh=True):
            body.extend(em.body(node.body))
    finally:
        st.pop_scope()
    stmts.append(ast.For(for_target, for_iter, body or [ast.Pass()], []))
    if flag:
        with em.line_scope():
            else_body = em.scoped_body(node.else_)
        stmts.append(ast.If(ast.UnaryOp(ast.Not(), load(flag)), else_body, []))
    return stmts


def _recursive_for(node: n.For, usage: LoopUsage, em: Emitter) -> list[ast.stmt]:
    """``{% for … recursive %}``: a nested function renders one level of the loop.

    ``loop(items)`` calls it one level deeper and gets its output (Markup under
    autoescape); the statement itself outputs the top level. The function
    shares the enclosing scope: names it assigns at the template level are
    ``nonlocal``, so ``let``/``export`` in the body behave as in any loop.
    """
    st = em.state
    stmts = em.line_marker(node.lineno)
    top = em.expr(node.iter)
    function, items, depth0 = st.temp("rloop"), st.temp("ritems"), st.temp("depth")
    budget = st.temp("budget") if em.options.guarded else None
    if budget is not None:
        stmts.append(assign(budget, call("_loop_budget")))
    buf, app = st.temp("rbuf"), st.temp("rapp")
    inner_em = em.nested(append_to(app), write_through=True)
    inner = _loop(
        node,
        usage,
        guard_iterable(load(items), em),
        inner_em,
        _Recursion(function, depth0, budget),
    )
    roots = {binding.pyname for binding in st.scopes[0].names.values()}
    assigned = sorted(
        {
            name.id
            for stmt in inner
            for name in ast.walk(stmt)
            if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store) and name.id in roots
        }
    )
    joiner = "_markup_join" if st.autoescape else "_join"
    body: list[ast.stmt] = [ast.Nonlocal(assigned)] if assigned else []
    body += [*em.new_buffer(buf, app), *inner, ast.Return(call(joiner, load(buf)))]
    params = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(items), ast.arg(depth0)],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )
    stmts.append(nested_function(function, params, body, node.lineno, node.col_offset))
    rendered = call(function, top, const(0))
    if em.target.kind is Output.DISCARD:  # no output, but the body's assignments happen
        stmts.append(expr_stmt(rendered))
    else:  # plain text, as every other chunk of output
        stmts.append(em.emit(call("_s", rendered)))
    return stmts


def _async_for(node: n.For, usage: LoopUsage, em: Emitter) -> list[ast.stmt]:
    """``{% async for %}``: ``async for`` with a forward-only AsyncLoopContext."""
    st = em.state
    if not em.is_async:
        raise st.error(
            "{% async for %} is only allowed in the body of a template or block, "
            "not inside a def, slot, call or recursive loop",
            node,
            ErrorCode.UNSUPPORTED_SYNTAX,
        )
    stmts = em.line_marker(node.lineno)
    iterable = em.expr(node.iter)
    if em.options.guarded:
        iterable = call("_aiter", iterable)
    mode = usage.mode
    flag = st.temp("iterated") if node.else_ else None
    if flag:
        stmts.append(assign(flag, const(False)))
    item = st.temp("item")
    loop = st.temp("aloop") if mode != "none" else None
    if loop:
        stmts.append(assign(loop, call("_AsyncLoopContext")))
    st.push_scope()
    try:
        body: list[ast.stmt] = [ast.Assign([bind_target(node.target, "loop", em)], load(item))]
        if loop:
            st.scopes[-1].names["loop"] = Binding(loop, "loop")
        if node.test is not None:
            body.append(ast.If(ast.UnaryOp(ast.Not(), em.expr(node.test)), [ast.Continue()], []))
        if loop:
            body.append(
                expr_stmt(
                    call(
                        ast.Attribute(load(loop), "advance", ast.Load()),
                        load(item),
                    )
                )
            )
        if flag:
            body.append(assign(flag, const(True)))
        with em.line_scope(fresh=True):
            body.extend(em.body(node.body))
    finally:
        st.pop_scope()
    stmts.append(ast.AsyncFor(store(item), iterable, body, []))
    if flag:
        else_body = em.scoped_body(node.else_)
        stmts.append(ast.If(ast.UnaryOp(ast.Not(), load(flag)), else_body, []))
    return stmts


def _loop_head(
    mode: str,
    needs_length: bool,
    iterable: ast.expr,
    target: ast.expr,
    em: Emitter,
    recursion: _Recursion | None = None,
) -> tuple[list[ast.stmt], ast.expr, ast.expr]:
    """Set-up statements, the ``for`` target and the ``for`` iterable for a loop."""
    st = em.state
    scope = st.scopes[-1].names
    if mode == "none":
        return [], target, iterable
    head: list[ast.stmt] = []
    if mode == "object":
        loop = st.temp("loop")
        scope["loop"] = Binding(loop, "loop")
        items = call("_materialize", iterable)
        context = (
            call("_LoopContext", items)
            if recursion is None
            else call(
                "_RecursiveLoopContext", items, load(recursion.depth0), load(recursion.function)
            )
        )
        head.append(assign(loop, context))
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
    both: ast.expr = ast.Tuple([store(counter), target], ast.Store())
    return head, both, call("_enumerate", iterable)


@HANDLERS.statement(n.While)
def _while(node: n.While, em: Emitter) -> list[ast.stmt]:
    marker = em.line_marker(node.lineno)
    with em.line_scope(fresh=True):
        em.state.repeating += 1
        try:
            test = em.expr(node.test)
        finally:
            em.state.repeating -= 1
        body = em.scoped_body(node.body)
    if em.options.guarded:  # for _ in _loop_budget(): if not test: break; body
        stop = ast.If(ast.UnaryOp(ast.Not(), test), [ast.Break()], [])
        budget = ast.For(store(em.state.temp("tick")), call("_loop_budget"), [stop, *body], [])
        return [*marker, budget]
    return [*marker, ast.While(test, body, [])]


@HANDLERS.statement(n.Break)
def _break(node: n.Break, em: Emitter) -> list[ast.stmt]:
    return [ast.Break()]


@HANDLERS.statement(n.Continue)
def _continue(node: n.Continue, em: Emitter) -> list[ast.stmt]:
    return [ast.Continue()]


def _as_load(target: ast.expr) -> ast.expr:
    """A store target rebuilt as a load expression."""
    if isinstance(target, ast.Tuple):
        return ast.Tuple([_as_load(e) for e in target.elts], ast.Load())
    assert isinstance(target, ast.Name)
    return load(target.id)
