"""The scope model: what each node binds, which scope it opens, what a subtree reads.

Every answer here is derived from the declarations on the node classes in
:mod:`kida_core.nodes` (``binds``, ``binds_inside``, ``patterns``,
``implicit``, ``inside``, ``opens``, ``hoisted``, ``setup``). The compiler,
partial evaluation and ``kida_analysis`` all ask this module, so they agree.

To add a tag that binds names: declare its binding fields (and the scope it
opens, the fields inside that scope, whether it is hoisted or part of the
setup) on its node class, and write its compile handler. Nothing here changes.

A node that opens a scope compiles each of its statement bodies in a scope
of its own (an ``else`` body too); a statement that opens none (``globals``)
leaves its body in the enclosing scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kida_core.nodes import (
    Assign,
    Expr,
    ListExpr,
    Name,
    Node,
    Param,
    ScopeKind,
    Set,
    TupleExpr,
    field_names,
    implicit_names,
    iter_child_nodes,
    nodes_in,
    walk,
)

__all__ = [
    "DESTRUCTURING",
    "ScopeKind",
    "ScopeParts",
    "binding_fields",
    "binding_reads",
    "binds_in_place",
    "bound_names",
    "escapes_scope",
    "free_names",
    "implicit_names",
    "inner_names",
    "is_target_field",
    "names_bindable_in",
    "pattern_parts",
    "scope_kind",
    "scope_parts",
    "single_binders",
    "target_names",
    "value_reads",
]


#: Target expressions that unpack a value into several names: ``a, b`` and ``[a, b]``.
DESTRUCTURING = (TupleExpr, ListExpr)


def scope_kind(node: Node) -> ScopeKind | None:
    """The kind of scope ``node`` opens, or None."""
    return node.opens


def binding_fields(node: Node) -> tuple[str, ...]:
    """The fields of ``node`` holding names it binds (where it stands, then inside)."""
    return (*node.binds, *node.binds_inside)


def is_target_field(node: Node, name: str) -> bool:
    """Whether field ``name`` of ``node`` holds a binding target or pattern expression.

    Such a field is a place to store into, not an expression to evaluate
    (except the values compared inside a pattern, see :func:`pattern_parts`).
    """
    return name in binding_fields(node) and isinstance(getattr(node, name), Expr)


def target_names(target: Expr) -> list[str]:
    """Names bound by an assignment or loop target (``a``, ``a, (b, c)``, ``[a, b]``)."""
    names: list[str] = []
    pending: list[Expr] = [target]
    while pending:
        current = pending.pop()
        if isinstance(current, Name):
            names.append(current.name)
        elif isinstance(current, DESTRUCTURING):
            pending.extend(reversed(current.items))
    return names


def pattern_parts(pattern: Expr) -> tuple[list[str], list[Expr]]:
    """A ``case`` pattern split into the names it captures and the values it compares.

    ``_`` is a wildcard, a bare name captures, a tuple destructures; any
    other expression is a value compared with ``==``.
    """
    captures: list[str] = []
    values: list[Expr] = []
    pending: list[Expr] = [pattern]
    while pending:
        current = pending.pop()
        if isinstance(current, Name):
            if current.name != "_":
                captures.append(current.name)
        elif isinstance(current, TupleExpr):
            pending.extend(reversed(current.items))
        else:
            values.append(current)
    return captures, values


def bound_names(node: Node) -> list[str]:
    """Names ``node`` binds in the scope it stands in (``set``, ``def`` name, imports)."""
    return _names(node, node.binds)


def inner_names(node: Node, *, implicit: bool = True) -> list[str]:
    """Names ``node`` binds in the scope it opens: loop targets, parameters...

    With ``implicit``, also the names the scope binds without a field (``loop``).
    """
    names = _names(node, node.binds_inside)
    return [*names, *node.implicit] if implicit else names


def _names(node: Node, names: Iterable[str]) -> list[str]:
    found: list[str] = []
    for name in names:
        value = getattr(node, name)
        if name in node.patterns and isinstance(value, Expr):
            found += pattern_parts(value)[0]
        else:
            found += _value_names(value)
    return found


def _value_names(value: object) -> Iterator[str]:
    """Names held by a binding field value (see :class:`~kida_core.nodes.Node`)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Expr):
        yield from target_names(value)
    elif isinstance(value, Node):
        yield from bound_names(value)
    elif isinstance(value, tuple):
        for item in value:
            if isinstance(item, tuple):  # an import's (name, alias) pair
                name, alias = item
                yield alias or name
            else:
                yield from _value_names(item)


def names_bindable_in(root: Node) -> frozenset[str]:
    """Every name some node under ``root`` binds, in any scope, plus :func:`implicit_names`."""
    names = set(implicit_names())
    for node in walk(root):
        if node.binds or node.binds_inside:
            names.update(bound_names(node), inner_names(node))
    return frozenset(names)


def single_binders(root: Node) -> dict[str, type[Node]]:
    """The names one node under ``root`` binds and nothing else does, in any scope,
    with the class of that node (implicit names like ``loop`` never qualify).

    Wherever such a name resolves to that node's binding, it holds what the node
    bound: no other statement, parameter or loop target can rebind it.
    """
    counts: dict[str, int] = dict.fromkeys(implicit_names(), 2)
    binders: dict[str, type[Node]] = {}
    for node in walk(root):
        if node.binds or node.binds_inside:
            for name in (*bound_names(node), *inner_names(node)):
                counts[name] = counts.get(name, 0) + 1
                binders[name] = type(node)
    return {name: binder for name, binder in binders.items() if counts[name] == 1}


def binds_in_place(node: Node) -> bool:
    """Whether ``node`` binds a name in the scope it stands in.

    Itself (``set``, ``capture``, ``def``...), or a statement nested in it
    without a scope of its own in between.
    """
    pending = [node]
    while pending:
        current = pending.pop()
        if bound_names(current):
            return True
        if current.opens is None:
            pending.extend(c for c in iter_child_nodes(current) if not isinstance(c, Expr))
    return False


def escapes_scope(node: Node) -> bool:
    """Whether ``node`` takes effect outside the place it stands in.

    Hoisted definitions (blocks, defs, imports...) and ``let``/``export``,
    which assign template-level names from any depth.
    """
    return node.hoisted or (isinstance(node, Set) and node.scope != "set")


# -- reads ------------------------------------------------------------------------------


@dataclass(slots=True)
class ScopeParts:
    """The children of a node by where they are evaluated relative to its scope."""

    #: Evaluated in the enclosing scope before the scope opens (a loop's iterable).
    before: list[Node] = field(default_factory=list)
    #: Evaluated inside the scope, in source order (a loop's filter and body).
    inside: list[Node] = field(default_factory=list)
    #: Evaluated in the enclosing scope after it (a loop's ``else``).
    after: list[Node] = field(default_factory=list)


def binding_reads(node: Node, name: str) -> list[Node]:
    """What field ``name`` of ``node``, a binding field, evaluates.

    Targets evaluate nothing; patterns their compared values, ``Assign`` its
    value (and its target for ``??=``), ``Param`` its default.
    """
    value = getattr(node, name)
    if isinstance(value, Expr):
        return list(pattern_parts(value)[1]) if name in node.patterns else []
    return [read for item in nodes_in(value) for read in value_reads(item)]


def value_reads(node: Node) -> list[Node]:
    """What an ``Assign`` evaluates (its value; its target too for ``??=``), or a ``Param``."""
    if isinstance(node, Assign):
        return [node.value, node.target] if node.coalesce else [node.value]
    if isinstance(node, Param) and node.default is not None:
        return [node.default]
    return []


def scope_parts(node: Node) -> ScopeParts:
    """The children ``node`` evaluates, split around the scope it opens.

    Binding fields contribute only what they evaluate (:func:`binding_reads`).
    Fields outside the scope that come before the first ``inside`` field go in
    ``before``, the later ones in ``after``; a node opening no scope has only
    ``before``.
    """
    parts = ScopeParts()
    names = field_names(type(node))
    inside = node.inside
    first = min((names.index(name) for name in inside), default=len(names))
    bindings = binding_fields(node)
    for index, name in enumerate(names):
        if name in inside:
            continue
        reads = (
            binding_reads(node, name) if name in bindings else list(nodes_in(getattr(node, name)))
        )
        (parts.before if index < first else parts.after).extend(reads)
    for name in inside:
        parts.inside.extend(nodes_in(getattr(node, name)))
    return parts


class _Marker:
    """A task of :func:`free_names` that enters or leaves a scope."""


_OPEN, _CLOSE = _Marker(), _Marker()


def free_names(root: Node) -> set[str]:
    """Names ``root`` reads from its surroundings: read before any binding visible there.

    Walked in source order with a stack of scopes (iteratively: expression
    chains nest deeper than Python's recursion limit). A name bound by a
    statement counts from that statement on, in the scope it stands in; each
    field inside a scope, and each body around it, is a scope of its own.
    """
    free: set[str] = set()
    scopes: list[set[str]] = [set()]
    pending: list[Node | _Marker | tuple[str, ...]] = [root]
    while pending:
        task = pending.pop()
        if task is _OPEN:
            scopes.append(set())
        elif task is _CLOSE:
            scopes.pop()
        elif isinstance(task, tuple):
            scopes[-1].update(task)
        elif isinstance(task, Name):
            if not any(task.name in scope for scope in scopes):
                free.add(task.name)
        elif isinstance(task, Node):
            parts = scope_parts(task)
            tasks: list[Node | _Marker | tuple[str, ...]]
            if task.opens is None:
                tasks = [*parts.before]
            else:
                inner = tuple(inner_names(task))
                tasks = [_OPEN, *parts.before, _CLOSE]
                for name in task.inside:
                    tasks += [_OPEN, inner, *nodes_in(getattr(task, name)), _CLOSE]
                tasks += [_OPEN, *parts.after, _CLOSE]
            tasks.append(tuple(bound_names(task)))
            pending.extend(reversed(tasks))
    return free
