"""Namespace attribute writes: ``{% set ns.attr = value %}`` and its block form."""

from __future__ import annotations

import ast

import kida_core.nodes as n
from kida_core.compiler.emitter import Emitter, Handlers
from kida_core.compiler.expressions import apply_filter
from kida_core.compiler.pyast import call, const, expr_stmt

HANDLERS = Handlers()


@HANDLERS.statement(n.NamespaceSet)
def _namespace_set(node: n.NamespaceSet, em: Emitter) -> list[ast.stmt]:
    stmts = em.line_marker(node.lineno)
    value = em.expr(node.value)
    stmts.append(expr_stmt(call("_ns_set", em.expr(node.namespace), const(node.attr), value)))
    return stmts


@HANDLERS.statement(n.NamespaceCapture)
def _namespace_capture(node: n.NamespaceCapture, em: Emitter) -> list[ast.stmt]:
    setup, value = em.buffered(node.body)
    for spec in node.filters:
        value = apply_filter(em.state.filter_global(spec.name, spec), value, spec, em)
    target = em.expr(node.namespace)
    return [
        *setup,
        *em.line_marker(node.lineno),
        expr_stmt(call("_ns_set", target, const(node.attr), value)),
    ]
