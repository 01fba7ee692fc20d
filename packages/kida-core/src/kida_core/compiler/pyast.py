"""Tiny constructors for Python ``ast`` nodes used by the compiler."""

from __future__ import annotations

import ast
import sys
from typing import Any


def load(name: str) -> ast.Name:
    """``name`` in load context."""
    return ast.Name(id=name, ctx=ast.Load())


def store(name: str) -> ast.Name:
    """``name`` in store context."""
    return ast.Name(id=name, ctx=ast.Store())


def const(value: Any) -> ast.Constant:
    """A literal."""
    return ast.Constant(value=value)


def call(func: str | ast.expr, *args: ast.expr, **kwargs: ast.expr) -> ast.Call:
    """``func(*args, **kwargs)`` with a name or an expression as callee."""
    target = load(func) if isinstance(func, str) else func
    keywords = [ast.keyword(arg=k, value=v) for k, v in kwargs.items()]
    return ast.Call(func=target, args=list(args), keywords=keywords)


def assign(name: str, value: ast.expr) -> ast.Assign:
    """``name = value``."""
    return ast.Assign(targets=[store(name)], value=value)


def expr_stmt(value: ast.expr) -> ast.Expr:
    """An expression used as a statement."""
    return ast.Expr(value=value)


def is_(left: ast.expr, right: ast.expr) -> ast.Compare:
    """``left is right``."""
    return ast.Compare(left=left, ops=[ast.Is()], comparators=[right])


def is_not(left: ast.expr, right: ast.expr) -> ast.Compare:
    """``left is not right``."""
    return ast.Compare(left=left, ops=[ast.IsNot()], comparators=[right])


def locate(node: ast.AST, lineno: int, col: int) -> ast.AST:
    """Give ``node`` a template position (children inherit it later)."""
    if not hasattr(node, "lineno") or getattr(node, "lineno", None) is None:
        node.lineno = lineno  # type: ignore[attr-defined]
        node.col_offset = col  # type: ignore[attr-defined]
        node.end_lineno = lineno  # type: ignore[attr-defined]
        node.end_col_offset = col  # type: ignore[attr-defined]
    return node


def relocate(stmts: list[ast.stmt], lineno: int, col: int) -> list[ast.stmt]:
    """Locate every statement lacking a position at the template position."""
    for stmt in stmts:
        locate(stmt, lineno, col)
    return stmts


def nested_function(
    name: str, args: ast.arguments, body: list[ast.stmt], lineno: int, col: int
) -> ast.FunctionDef:
    """``def name(args): body`` nested in a generated function (defs, slots)."""
    fn = ast.FunctionDef(name=name, args=args, body=body, decorator_list=[], returns=None)
    if sys.version_info >= (3, 12):
        fn.type_params = []
    fn.lineno = lineno
    fn.col_offset = col
    return fn


def function(
    name: str, body: list[ast.stmt], *, is_async: bool = False, lineno: int = 1
) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """``def name(ctx, _blocks=None): body``."""
    args = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(arg="ctx"), ast.arg(arg="_blocks")],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[const(None)],
    )
    cls = ast.AsyncFunctionDef if is_async else ast.FunctionDef
    fn = cls(name=name, args=args, body=body or [ast.Pass()], decorator_list=[], returns=None)
    if sys.version_info >= (3, 12):
        fn.type_params = []
    fn.lineno = lineno
    fn.col_offset = 0
    return fn


_POSITION_FIELDS = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def fix_missing_locations(root: ast.AST) -> None:
    """``ast.fix_missing_locations`` without recursion.

    Long expression chains and ``elif`` runs generate deeply nested code that
    the recursive standard version cannot walk. A node lacking a position
    takes its parent's.
    """
    pending: list[tuple[ast.AST, tuple[int, int, int, int]]] = [(root, (1, 0, 1, 0))]
    while pending:
        node, inherited = pending.pop()
        position = list(inherited)
        for index, field in enumerate(_POSITION_FIELDS):
            if field not in node._attributes:
                continue
            value = getattr(node, field, None)
            if value is None:
                setattr(node, field, position[index])
            else:
                position[index] = value
        own = (position[0], position[1], position[2], position[3])
        pending.extend((child, own) for child in ast.iter_child_nodes(node))
