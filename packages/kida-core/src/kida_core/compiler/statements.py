"""Statement handlers: conditionals, assignments, ``with``, ``match`` and
output-transforming blocks (filter, spaceless)."""

from __future__ import annotations

import ast
from collections.abc import Callable

import kida_core.nodes as n
from kida_core.compiler.emitter import NOT_CONSTANT, Emitter, Handlers
from kida_core.compiler.expressions import apply_filter, bind_target, name_value, safe_expr
from kida_core.compiler.pyast import assign, call, const, is_, load, store
from kida_core.symbols import DESTRUCTURING

#: ``elif`` branches compiled as one nested chain; longer runs are split.
_ELIF_RUN = 100

HANDLERS = Handlers()


# -- conditionals ----------------------------------------------------------------------


def _branch_macros(node: n.If) -> list[str]:
    """Names of the macros defined in the branches of ``node`` (through nested ifs)."""
    names: list[str] = []
    pending: list[n.Node] = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, n.Macro):
            names.append(current.name)
        elif isinstance(current, n.If):
            bodies = [current.body, *(body for _, body in current.elifs), current.else_]
            pending.extend(child for body in bodies for child in body)
    return list(dict.fromkeys(names))


def _bind_branch_macros(node: n.If, em: Emitter) -> list[ast.stmt]:
    """Bind the macros an ``if`` may define in the loop/with/def body holding it.

    Like Jinja2, a macro defined in a branch is visible after the ``if``, in
    the enclosing scope (the template level binds it as ``let`` does). Each
    name gets a local of that scope, holding its current value (or undefined)
    until a branch redefines it, so each pass through a loop body starts over.
    """
    st = em.state
    if st.scopes[-1].is_branch or len(st.scopes) == 1:
        return []
    stmts: list[ast.stmt] = []
    for name in _branch_macros(node):
        current = name_value(n.Name(name=name, lineno=node.lineno), em, checked=False)
        pyname = st.bind(name, "block")
        st.scopes[-1].names[name].checked = False
        stmts.append(assign(pyname, current))
    return stmts


@HANDLERS.statement(n.If)
def _if(node: n.If, em: Emitter) -> list[ast.stmt]:
    marker = [*em.line_marker(node.lineno), *_bind_branch_macros(node, em)]
    branches = [(node.test, node.body), *node.elifs]
    # Every branch starts from the line recorded before the tests. The line is still
    # known after the ``if`` when every way through it ends on the same one (an
    # ``if``/``else`` of text on one line needs no second marker after it).
    start = em.last_line
    ends: set[int | None] = set() if node.else_ else {start}

    def branch(body: n.Body) -> list[ast.stmt]:
        em.last_line = start
        stmts = em.scoped_body(body, branch=True)
        ends.add(em.last_line)
        return stmts

    with em.line_scope():
        orelse: list[ast.stmt] = branch(node.else_) if node.else_ else []
        if len(branches) > _ELIF_RUN:
            stmts = _long_if(branches, orelse, branch, em)
        else:
            for test, body in reversed(branches):
                stmt = ast.If(em.expr(test), branch(body), orelse)
                orelse = [stmt]
            stmts = orelse
    if len(ends) == 1:
        em.last_line = ends.pop()
    return [*marker, *stmts]


def _long_if(
    branches: list[tuple[n.Expr, n.Body]],
    orelse: list[ast.stmt],
    branch: Callable[[n.Body], list[ast.stmt]],
    em: Emitter,
) -> list[ast.stmt]:
    """A long ``elif`` run as consecutive chains of at most ``_ELIF_RUN`` tests.

    One nested ``orelse`` per branch would make Python's compiler recurse
    once per branch; a flag carries "no branch taken yet" to the next chain.
    ``branch`` compiles a branch's body.
    """
    compiled = [(em.expr(test), branch(body)) for test, body in reversed(branches)]
    compiled.reverse()
    pending = em.state.temp("pending")
    out: list[ast.stmt] = [assign(pending, const(False))]
    starts = range(0, len(compiled), _ELIF_RUN)
    for start in starts:
        last = start == starts[-1]
        chain: list[ast.stmt] = orelse if last else [assign(pending, const(True))]
        for test, body in reversed(compiled[start : start + _ELIF_RUN]):
            chain = [ast.If(test, body, chain)]
        if start == 0:
            out.extend(chain)
        else:
            reset = assign(pending, const(False))
            out.append(ast.If(load(pending), [reset, *chain], []))
    return out


# -- variables ----------------------------------------------------------------------


@HANDLERS.statement(n.Set)
def _set(node: n.Set, em: Emitter) -> list[ast.stmt]:
    stmts = em.line_marker(node.lineno)
    for item in node.assignments:
        stmts.extend(assign_value(node.scope, item.target, item, node.lineno, em))
    return stmts


def assign_value(
    scope: str,
    target: n.Expr,
    item: n.Assign | None,
    lineno: int,
    em: Emitter,
    value: ast.expr | None = None,
) -> list[ast.stmt]:
    """Assign ``item.value`` (or a compiled ``value``) to ``target`` per ``scope``."""
    if value is None and item is not None:
        value = em.expr(item.value)
    assert value is not None
    if item is not None and item.coalesce and isinstance(target, n.Name):
        current = safe_expr(target, em)
        value = ast.IfExp(
            ast.BoolOp(
                ast.Or(), [is_(current, const(None)), is_(safe_expr(target, em), load("_U"))]
            ),
            value,
            safe_expr(target, em),
        )
    roots: list[tuple[str, str]] = []
    store_target = bind_assignment(scope, target, lineno, roots, em)
    return [ast.Assign([store_target], value), *write_through(roots, em)]


def write_through(roots: list[tuple[str, str]], em: Emitter) -> list[ast.stmt]:
    """``ctx[name] = local`` for template-level names, when blocks read them from ctx."""
    if not em.write_through:
        return []
    return [
        ast.Assign([ast.Subscript(load("ctx"), const(name), ast.Store())], load(pyname))
        for name, pyname in roots
    ]


def bind_assignment(
    scope: str, target: n.Expr, lineno: int, roots: list[tuple[str, str]], em: Emitter
) -> ast.expr:
    """The store target for a set/let/export, binding names in the right scope.

    Template-level names assigned are appended to ``roots``.
    """
    st = em.state
    if isinstance(target, DESTRUCTURING):
        elts = [bind_assignment(scope, t, lineno, roots, em) for t in target.items]
        return ast.Tuple(elts, ast.Store())
    if not isinstance(target, n.Name):
        return bind_target(target, "block", em)
    if scope == "set" and not st.at_root:
        return store(st.bind_block_set(target.name, lineno))
    pyname = st.bind_export(target.name) if scope == "export" else None
    if pyname is None:
        pyname = st.bind_root(target.name, definite=st.at_root)
    if pyname is None:
        return store(st.bind(target.name, "block"))
    roots.append((target.name, pyname))
    return store(pyname)


@HANDLERS.statement(n.Capture)
def _capture(node: n.Capture, em: Emitter) -> list[ast.stmt]:
    setup, value = em.buffered(node.body)
    for spec in node.filters:
        value = apply_filter(em.state.filter_global(spec.name, spec), value, spec, em)
    target = n.Name(name=node.name, lineno=node.lineno, col_offset=node.col_offset)
    # Bound like ``let``: template-wide even from inside a loop or an ``if``
    # (local to the def/region/slot whose body holds it).
    return [*setup, *assign_value("let", target, None, node.lineno, em, value)]


@HANDLERS.statement(n.With)
def _with(node: n.With, em: Emitter) -> list[ast.stmt]:
    stmts = em.line_marker(node.lineno)
    values = [em.expr(a.value) for a in node.assignments]
    em.state.push_scope()
    try:
        for item, value in zip(node.assignments, values, strict=True):
            stmts.append(ast.Assign([bind_target(item.target, "with", em)], value))
        with em.line_scope():
            stmts.extend(em.body(node.body))
    finally:
        em.state.pop_scope()
    return stmts


@HANDLERS.statement(n.WithCond)
def _with_cond(node: n.WithCond, em: Emitter) -> list[ast.stmt]:
    stmts = em.line_marker(node.lineno)
    temps = [em.state.temp("w") for _ in node.values]
    for temp, value in zip(temps, node.values, strict=True):
        stmts.append(assign(temp, em.expr(value)))
    with em.line_scope():
        em.state.push_scope()
        try:
            body: list[ast.stmt] = []
            if len(node.targets) == 1 and len(temps) > 1:
                pyname = em.state.bind(node.targets[0], "with")
                body.append(assign(pyname, ast.Tuple([load(t) for t in temps], ast.Load())))
            elif len(temps) == 1 and len(node.targets) > 1:
                # ``{% with pair as a, b %}``: the one value unpacks into the names.
                names: list[ast.expr] = [store(em.state.bind(t, "with")) for t in node.targets]
                unpack = ast.Tuple(names, ast.Store())
                body.append(ast.Assign([unpack], load(temps[0])))
            else:
                for name, temp in zip(node.targets, temps, strict=False):
                    body.append(assign(em.state.bind(name, "with"), load(temp)))
            body.extend(em.body(node.body))
        finally:
            em.state.pop_scope()
        orelse = em.scoped_body(node.else_) if node.else_ else []
    test = ast.BoolOp(ast.And(), [load(t) for t in temps]) if len(temps) > 1 else load(temps[0])
    stmts.append(ast.If(test, body or [ast.Pass()], orelse))
    return stmts


# -- match ------------------------------------------------------------------------


@HANDLERS.statement(n.Match)
def _match(node: n.Match, em: Emitter) -> list[ast.stmt]:
    stmts = em.line_marker(node.lineno)
    subject = None
    if node.subject is not None:
        subject = em.state.temp("subj")
        stmts.append(assign(subject, em.expr(node.subject)))
    done = em.state.temp("matched")
    stmts.append(assign(done, const(False)))
    for case in node.cases:
        em.state.push_scope()
        try:
            with em.line_scope():
                test, binds = _pattern(case.pattern, load(subject) if subject else None, em)
                inner: list[ast.stmt] = list(binds)
                body = [assign(done, const(True)), *em.body(case.body)]
                if case.guard is not None:
                    inner.append(ast.If(em.expr(case.guard), body, []))
                else:
                    inner.extend(body)
        finally:
            em.state.pop_scope()
        guard_free = ast.UnaryOp(ast.Not(), load(done))
        full_test = ast.BoolOp(ast.And(), [guard_free, test]) if test is not None else guard_free
        stmts.append(ast.If(full_test, inner, []))
    return stmts


def _pattern(
    pattern: n.Expr, subject: ast.expr | None, em: Emitter
) -> tuple[ast.expr | None, list[ast.stmt]]:
    """(test, binding statements) for a case pattern; test None = always matches."""
    if subject is None or (isinstance(pattern, n.Name) and pattern.name == "_"):
        return None, []
    if isinstance(pattern, n.Name):
        return None, [assign(em.state.bind(pattern.name, "with"), subject)]
    if isinstance(pattern, n.TupleExpr):
        tests: list[ast.expr] = [
            call("_is_sequence", subject),
            ast.Compare(call("_len", subject), [ast.Eq()], [const(len(pattern.items))]),
        ]
        binds: list[ast.stmt] = []
        for index, item in enumerate(pattern.items):
            element = ast.Subscript(subject, const(index), ast.Load())
            test, sub_binds = _pattern(item, element, em)
            if test is not None:
                tests.append(test)
            binds.extend(sub_binds)
        return ast.BoolOp(ast.And(), tests), binds
    return ast.Compare(subject, [ast.Eq()], [em.expr(pattern)]), []


# -- output-transforming blocks ---------------------------------------------------------


@HANDLERS.statement(n.FilterBlock)
def _filter_block(node: n.FilterBlock, em: Emitter) -> list[ast.stmt]:
    setup, value = em.buffered(node.body)
    for spec in node.filters:
        value = apply_filter(em.state.filter_global(spec.name, spec), value, spec, em)
    return [*setup, *em.line_marker(node.lineno), em.emit(call("_s", value))]


@HANDLERS.statement(n.Spaceless)
def _spaceless(node: n.Spaceless, em: Emitter) -> list[ast.stmt]:
    setup, value = em.buffered(node.body)
    return [*setup, em.emit(call("_spaceless", value))]


@HANDLERS.statement(n.Autoescape)
def _autoescape(node: n.Autoescape, em: Emitter) -> list[ast.stmt]:
    """The body with escaping switched (both ways when the value is known only at render)."""
    value = em.constant_value(node.enabled)
    if value is not NOT_CONSTANT:
        return _escaping_body(node.body, bool(value), em, branch=False)
    marker = em.line_marker(node.lineno)
    with em.line_scope():
        on = _escaping_body(node.body, True, em, branch=True)
        off = _escaping_body(node.body, False, em, branch=True)
    return [*marker, ast.If(em.expr(node.enabled), on, off)]


def _escaping_body(body: n.Body, enabled: bool, em: Emitter, *, branch: bool) -> list[ast.stmt]:
    """``body`` compiled in its own scope with HTML escaping ``enabled``."""
    state = em.state
    outer, state.autoescape = state.autoescape, enabled
    try:
        return em.scoped_body(body, branch=branch)
    finally:
        state.autoescape = outer


@HANDLERS.statement(n.Flush, n.TemplateDecl)
def _nothing(node: n.Node, em: Emitter) -> list[ast.stmt]:
    return []


@HANDLERS.statement(n.Output, n.Data)
def _output(node: n.Output, em: Emitter) -> list[ast.stmt]:
    return em.body([node])
