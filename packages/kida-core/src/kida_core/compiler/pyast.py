"""Tiny constructors for Python ``ast`` nodes used by the compiler.

Nodes are built with positional fields: markedly cheaper than keywords.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Sequence
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


def _node_fields(cls: type[ast.AST]) -> tuple[str, ...]:
    """The fields of ``cls`` that may hold nodes."""
    if cls is ast.Constant:
        return ()
    return tuple(f for f in cls._fields if f not in _SKIPPED_FIELDS)


def _split_fields(cls: type[ast.AST]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``cls``'s node fields: (those holding one node, those holding a list)."""
    # The class signature ``Call(expr func, expr* args, keyword* keywords)`` marks lists.
    listed = set(re.findall(r"\w+\* (\w+)", cls.__doc__ or ""))
    fields = _node_fields(cls)
    return tuple(f for f in fields if f not in listed), tuple(f for f in fields if f in listed)


_ALL_TYPES = _node_types(ast.AST)
#: Per node type: its fields that may hold nodes.
_NODE_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {cls: _node_fields(cls) for cls in _ALL_TYPES}
#: Per node type carrying a position: (its fields holding one node, those holding a list).
_POSITIONED: dict[type[ast.AST], tuple[tuple[str, ...], tuple[str, ...]]] = {
    cls: _split_fields(cls) for cls in _ALL_TYPES if "lineno" in cls._attributes
}
#: Per node type without a position (``arguments``, ``comprehension``...): its node fields.
_LOOSE: dict[type[ast.AST], tuple[str, ...]] = {
    cls: _node_fields(cls) for cls in _ALL_TYPES if "lineno" not in cls._attributes
}


def _adopt(
    node: ast.AST,
    line: int,
    column: int,
    push: Callable[[ast.AST], None],
    add: Callable[[str], None],
) -> None:
    """Position the children of the position-less ``node`` at ``line``/``column``.

    Push those to walk, collect the names among them.
    """
    attrs = node.__dict__
    for field in _LOOSE[type(node)]:
        value: Any = attrs.get(field)
        for child in value if type(value) is list else (value,):
            if type(child) in _POSITIONED:
                if "lineno" not in child.__dict__:
                    child.lineno = line
                    child.col_offset = column
                if type(child) is ast.Name:
                    add(child.id)
                else:
                    push(child)
            elif type(child) in _LOOSE:
                _adopt(child, line, column, push, add)


def finish(stmts: Sequence[ast.AST], lineno: int, col: int) -> set[str]:
    """Give every node under ``stmts`` a position; return every name they read or write.

    A node without a position takes its nearest positioned ancestor's (the
    ancestors of ``stmts`` are at ``lineno``/``col``). One pass without
    recursion: long expression chains nest deeper than Python's recursion limit.
    A node is positioned when its parent is walked, so the walked ones always
    have their own; names and constants, most of the nodes, are not walked.
    """
    names: set[str] = set()
    pending: list[ast.AST] = []
    push, add = pending.append, names.add
    shapes, loose = _POSITIONED, _LOOSE
    for stmt in stmts:
        if type(stmt) in shapes:
            if "lineno" not in stmt.__dict__:
                stmt.lineno = lineno  # type: ignore[attr-defined]
                stmt.col_offset = col  # type: ignore[attr-defined]
            push(stmt)
        else:
            _adopt(stmt, lineno, col, push, add)
    pop = pending.pop
    name_type, constant_type = ast.Name, ast.Constant
    while pending:
        node = pop()
        attrs = node.__dict__
        line, column = attrs["lineno"], attrs["col_offset"]
        single, listed = shapes[type(node)]
        # The child handling is written out for both kinds of field: a shared
        # function would cost a call per node on the compiler's hottest loop.
        for field in single:
            child: Any = attrs.get(field)
            kind = type(child)
            if kind is name_type or kind is constant_type:
                if "lineno" not in child.__dict__:
                    child.lineno = line
                    child.col_offset = column
                if kind is name_type:
                    add(child.id)
            elif kind in shapes:
                if "lineno" not in child.__dict__:
                    child.lineno = line
                    child.col_offset = column
                push(child)
            elif kind in loose:
                _adopt(child, line, column, push, add)
        # Every generated node holds each of its list fields (compile() on 3.11
        # requires them; 3.12's new ``type_params`` is set where functions are built).
        for field in listed:
            for child in attrs[field]:
                kind = type(child)
                if kind is name_type or kind is constant_type:
                    if "lineno" not in child.__dict__:
                        child.lineno = line
                        child.col_offset = column
                    if kind is name_type:
                        add(child.id)
                elif kind in shapes:
                    if "lineno" not in child.__dict__:
                        child.lineno = line
                        child.col_offset = column
                    push(child)
                elif kind in loose:
                    _adopt(child, line, column, push, add)
    return names


def names_in(stmts: Sequence[ast.AST]) -> set[str]:
    """Every name ``stmts`` read or write, as :func:`finish` returns them; positions untouched.

    Walks only the fields that may hold nodes (``ast.walk`` visits every field).
    """
    names: set[str] = set()
    pending = list(stmts)
    pop, push, add = pending.pop, pending.append, names.add
    shapes = _NODE_FIELDS
    name_type, list_type = ast.Name, list
    while pending:
        node = pop()
        attrs = node.__dict__
        for field in shapes[type(node)]:
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
