"""Tiny constructors for Python ``ast`` nodes used by the compiler.

Nodes are built with positional fields: markedly cheaper than keywords.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from typing import Any

#: The context markers, shared by every node (they hold nothing).
_LOAD = ast.Load()
_STORE = ast.Store()
#: The identity operators, shared likewise.
_IS = ast.Is()
_IS_NOT = ast.IsNot()


def load(name: str) -> ast.Name:
    """``name`` in load context."""
    return ast.Name(name, _LOAD)


def store(name: str) -> ast.Name:
    """``name`` in store context."""
    return ast.Name(name, _STORE)


def const(value: Any) -> ast.Constant:
    """A literal."""
    return ast.Constant(value)


def call(func: str | ast.expr, *args: ast.expr, **kwargs: ast.expr) -> ast.Call:
    """``func(*args, **kwargs)`` with a name or an expression as callee."""
    target = ast.Name(func, _LOAD) if isinstance(func, str) else func
    keywords = [ast.keyword(k, v) for k, v in kwargs.items()] if kwargs else []
    return ast.Call(target, list(args), keywords)


def assign(name: str, value: ast.expr) -> ast.Assign:
    """``name = value``."""
    return ast.Assign([ast.Name(name, _STORE)], value)


def expr_stmt(value: ast.expr) -> ast.Expr:
    """An expression used as a statement."""
    return ast.Expr(value)


def is_(left: ast.expr, right: ast.expr) -> ast.Compare:
    """``left is right``."""
    return ast.Compare(left, [_IS], [right])


def is_not(left: ast.expr, right: ast.expr) -> ast.Compare:
    """``left is not right``."""
    return ast.Compare(left, [_IS_NOT], [right])


def locate(node: ast.AST, lineno: int, col: int) -> ast.AST:
    """Give ``node`` a template position (children inherit it in :func:`finish`).

    Only starts are set: Python takes a missing end as the start, and only
    starts reach tracebacks and error columns.
    """
    if getattr(node, "lineno", None) is None:
        node.lineno = lineno  # type: ignore[attr-defined]
        node.col_offset = col  # type: ignore[attr-defined]
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
    name: str,
    body: list[ast.stmt],
    *,
    is_async: bool = False,
    lineno: int = 1,
    helpers: Sequence[str] = (),
    takes_blocks: bool = True,
) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """``def name(ctx, _blocks, local, ...): body``, parameters without default values.

    Each local of ``helpers`` (``_e``, ``_f_upper``...) is a parameter standing for a
    module global (``runtime.namespace.parameter_global``: ``_K_escape``,
    ``_F_upper``...): the runtime sets the defaults (None for ``_blocks``, the global
    for each helper) once after the module ran (``runtime.namespace.bind_parameters``),
    so every call reads them as fast as locals (callers only ever pass ``ctx`` and
    ``_blocks``).
    """
    params = [ast.arg("ctx"), *((ast.arg("_blocks"),) if takes_blocks else ())]
    params.extend(ast.arg(local) for local in helpers)
    args = ast.arguments([], params, None, [], [], None, [])
    cls = ast.AsyncFunctionDef if is_async else ast.FunctionDef
    fn = cls(name=name, args=args, body=body or [ast.Pass()], decorator_list=[], returns=None)
    if sys.version_info >= (3, 12):
        fn.type_params = []
    fn.lineno = lineno
    fn.col_offset = 0
    return fn


def _node_types(root: type[ast.AST]) -> list[type[ast.AST]]:
    """``root`` and every node class derived from it."""
    found, pending = [], [root]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


#: Fields that never hold a node needing a position: ``ctx`` and the operator
#: fields hold position-less marker nodes, the others identifiers or numbers.
_SKIPPED_FIELDS = frozenset(
    {"ctx", "kind", "type_comment", "op", "ops", "id", "attr", "arg", "conversion", "is_async"}
    | {"simple", "level", "module", "asname"}
)
#: Per node type: (the fields that may hold nodes, whether it carries a position).
_SHAPES: dict[type[ast.AST], tuple[tuple[str, ...], bool]] = {
    cls: (
        () if cls is ast.Constant else tuple(f for f in cls._fields if f not in _SKIPPED_FIELDS),
        "lineno" in cls._attributes,
    )
    for cls in _node_types(ast.AST)
}


def finish(stmts: Sequence[ast.AST], lineno: int, col: int) -> set[str]:
    """Give every node under ``stmts`` a position; return every name they read or write.

    A node without a position takes its nearest positioned ancestor's (the
    ancestors of ``stmts`` are at ``lineno``/``col``). One pass without
    recursion: long expression chains nest deeper than Python's recursion limit.
    Names and constants, most of the nodes, are handled without being queued.
    """
    names: set[str] = set()
    pending: list[tuple[ast.AST, int, int]] = [(stmt, lineno, col) for stmt in reversed(stmts)]
    pop, push, add = pending.pop, pending.append, names.add
    shapes = _SHAPES
    name_type, constant_type, list_type = ast.Name, ast.Constant, list
    while pending:
        node, line, column = pop()
        fields, positioned = shapes[type(node)]
        attrs = node.__dict__
        if positioned:
            own = attrs.get("lineno")
            if own is None:
                node.lineno = line  # type: ignore[attr-defined]
                node.col_offset = column  # type: ignore[attr-defined]
            else:
                line, column = own, attrs["col_offset"]
        for field in fields:
            value = attrs.get(field)
            if value is None:
                continue
            for child in value if type(value) is list_type else (value,):
                kind = type(child)
                if kind is name_type or kind is constant_type:
                    if "lineno" not in child.__dict__:
                        child.lineno = line
                        child.col_offset = column
                    if kind is name_type:
                        add(child.id)
                elif kind in shapes:
                    push((child, line, column))
    return names


def names_in(stmts: Sequence[ast.AST]) -> set[str]:
    """Every name ``stmts`` read or write, as :func:`finish` returns them; positions untouched.

    Walks only the fields that may hold nodes (``ast.walk`` visits every field).
    """
    names: set[str] = set()
    pending = list(stmts)
    pop, push, add = pending.pop, pending.append, names.add
    shapes = _SHAPES
    name_type, list_type = ast.Name, list
    while pending:
        node = pop()
        attrs = node.__dict__
        for field in shapes[type(node)][0]:
            value = attrs.get(field)
            if value is None:
                continue
            for child in value if type(value) is list_type else (value,):
                kind = type(child)
                if kind is name_type:
                    add(child.id)
                elif kind in shapes:
                    push(child)
    return names


def finish_function(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.stmt:
    """Position ``fn``'s signature (its body is finished already); returns ``fn``."""
    args = fn.args
    if fn.decorator_list or args.defaults or args.kw_defaults or args.kwonlyargs:
        finish([args, *fn.decorator_list], fn.lineno, fn.col_offset)
        return fn
    # The generated functions' usual signature: plain parameters, positioned here
    # as finish would position them, without its walk.
    line, column = fn.lineno, fn.col_offset
    params = [*args.posonlyargs, *args.args]
    if args.vararg is not None:
        params.append(args.vararg)
    if args.kwarg is not None:
        params.append(args.kwarg)
    for param in params:
        if param.annotation is not None:
            finish([args], line, column)
            return fn
    for param in params:
        if param.__dict__.get("lineno") is None:
            param.lineno = line
            param.col_offset = column
    return fn
