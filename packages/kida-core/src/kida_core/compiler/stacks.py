"""Handlers of the render-wide stacks: ``provide`` values and ``push``/``stack`` content.

Both live in the render's shared state (``RenderContext.shared()``), reached
through the ``_rc`` local, so includes, parents, imported defs and slot
bodies rendered inside see the same stacks.
"""

from __future__ import annotations

import ast

import kida_core.nodes as n
from kida_core.compiler.emitter import Emitter, Handlers
from kida_core.compiler.pyast import call, const, expr_stmt, load

HANDLERS = Handlers()


def _rc_method(name: str, *args: ast.expr) -> ast.expr:
    """``_rc.<name>(*args)``."""
    return call(ast.Attribute(load("_rc"), name, ast.Load()), *args)


def _stack_name(name: n.Expr, em: Emitter) -> ast.expr:
    """A stack name as text: a literal as is, any other expression through ``str``."""
    if isinstance(name, n.Const):
        return const(str(name.value))
    return call("_s", em.expr(name))


@HANDLERS.statement(n.Provide)
def _provide(node: n.Provide, em: Emitter) -> list[ast.stmt]:
    # The value is pushed for the body only: popped even when the body fails.
    key = const(node.key)
    stmts = [
        *em.line_marker(node.lineno),
        expr_stmt(_rc_method("provide", key, em.expr(node.value))),
    ]
    body = em.scoped_body(node.body)
    pop = expr_stmt(_rc_method("unprovide", key))
    stmts.append(ast.Try(body, [], [], [pop]))
    return stmts


@HANDLERS.statement(n.Push)
def _push(node: n.Push, em: Emitter) -> list[ast.stmt]:
    setup, value = em.buffered(node.body)
    name = _stack_name(node.name, em)
    return [*setup, *em.line_marker(node.lineno), expr_stmt(_rc_method("push", name, value))]


@HANDLERS.statement(n.Stack)
def _stack(node: n.Stack, em: Emitter) -> list[ast.stmt]:
    # A placeholder now; the render fills it once every push has happened.
    name = _stack_name(node.name, em)
    return [*em.line_marker(node.lineno), em.emit(_rc_method("stack", name))]
