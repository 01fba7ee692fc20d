"""``{% trans %}``: a call of the ``_trans`` helper (a constant under ``optimize_translations``)."""

from __future__ import annotations

import ast

import kida_core.nodes as n
from kida_core.compiler.emitter import Emitter, Handlers
from kida_core.compiler.pyast import assign, call, const, load
from kida_core.markup import html_escape

HANDLERS = Handlers()


@HANDLERS.statement(n.Trans)
def _trans(node: n.Trans, em: Emitter) -> list[ast.stmt]:
    options = em.options
    autoescape = em.state.autoescape
    if options.optimize_translations and not node.variables and node.plural is None:
        # The identity gettext was installed when this compiled: the message is the output.
        escape = autoescape and not options.i18n_trusted
        return [em.emit(const(html_escape(node.singular) if escape else node.singular))]
    stmts = em.line_marker(node.lineno)
    # Each binding is evaluated once, in order; the plural selector reuses its binding's value.
    values: dict[str, ast.expr] = {}
    count: ast.expr = const(None)
    for var in node.variables:
        temp = em.state.temp("tv")
        stmts.append(assign(temp, em.expr(var.expr)))
        values[var.name] = load(temp)
        if node.count_expr is not None and _same(var.expr, node.count_expr):
            count = load(temp)
    if node.count_expr is not None and isinstance(count, ast.Constant):
        temp = em.state.temp("tc")
        stmts.append(assign(temp, em.expr(node.count_expr)))
        count = load(temp)
    variables: ast.expr = (
        ast.Dict([const(name) for name in values], list(values.values())) if values else const(None)
    )
    output = call(
        "_trans",
        load("ctx"),
        const(autoescape),
        const(options.i18n_trusted),
        const(node.context),
        const(node.singular),
        const(node.plural),
        variables,
        count,
    )
    return [*stmts, em.emit(output)]


def _same(binding: n.Expr, selector: n.Expr) -> bool:
    """Whether the selector is that binding's expression (the same node or an equal one)."""
    return binding is selector or binding == selector
