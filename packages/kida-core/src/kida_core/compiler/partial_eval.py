"""Partial evaluation: simplify a Kida AST against a compile-time ``static_context``.

:func:`partial_evaluate` returns a new tree (the input is never mutated) in which

* free template names present in the static context become ``Const`` when their
  value is a literal (``str int float bool None``, exact types: ``Markup`` and
  ``int`` subclasses stay names, so the compiler stores them as ``_pc_N``);
  attribute/item lookups on static values fold when they resolve to a literal,
  with the runtime's lookup rules (dict key first, then attribute);
* operators, pure filters and a safe set of tests over constant operands are
  computed, unless that raises, warns, yields a non-literal (``Markup`` included)
  or would exceed the size cap — the runtime then reports the error with its
  source location;
* ``if``/``elif``, ``while``, ``for`` over an empty literal and ``with … as``
  over constants lose their dead branches, and adjacent ``Data`` nodes merge.

Scoping safety (the scope model of :mod:`kida_core.symbols`):

* A name is substituted only if nothing in the template can bind it: every
  name some node binds, in any scope (set/let/export, for, with, list
  comprehension, match captures, capture, def/region and their parameters,
  imports, ``fallback`` error names), counts as bound **anywhere** in the
  template, as do the names scopes bind implicitly (``loop``, ``caller``,
  ``has_slot``). Binding targets and patterns are never simplified.
* Code (a branch, or an operand of ``and``/``or``/``if else``/``??``) is only
  dropped when the compiler would not notice: nothing hoisted or escaping its
  scope (``block``/``def``/``region``/``globals``/``extends``/``import``/
  ``from … import``/``template``, ``let``/``export``), no unknown filter or test
  (their compile errors must survive, dead code or not; tests count as unknown
  without a ``tests`` registry), no ``{% slot %}`` and no ``await``/``async for``
  (they make the template async). Otherwise the construct is kept as it is,
  with its expressions simplified.
* The surviving branch is inlined into the enclosing body only when it holds
  nothing hoisted and none of its statements binds a name in the enclosing
  scope (a block-scoped ``set``/``capture`` would leak) — statements that open
  their own scope are not looked into. Otherwise it is kept as
  ``If(Const(True), body)``, which the compiler still emits cheaply with the
  right scoping.
* Operands the compiler evaluates leniently (filter/test values, the left of
  ``??``, the object of ``?.``) never become *more* lenient: a fold that would
  turn e.g. ``(a if false else b.c) | default`` into ``b.c | default`` is undone.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.decorators import is_pure, wants_context, wants_environment
from kida_core.nodes import (
    Assign,
    Await,
    BinOp,
    Body,
    BoolOp,
    Compare,
    CondExpr,
    Const,
    Data,
    DictExpr,
    Expr,
    Filter,
    FilterCall,
    For,
    Getattr,
    Getitem,
    If,
    Keyword,
    ListExpr,
    Name,
    Node,
    NullCoalesce,
    Slot,
    TemplateNode,
    Test,
    TupleExpr,
    UnaryOp,
    While,
    With,
    WithCond,
    walk,
)
from kida_core.runtime.lookup import lookup_attr, lookup_item, optional_miss
from kida_core.runtime.output import add, concat
from kida_core.symbols import binds_in_place, escapes_scope, names_bindable_in
from kida_core.undefined import is_undefined
from kida_core.visitor import NodeTransformer

if TYPE_CHECKING:
    from kida_core.compiler.inputs import TemplateLookups

#: Largest folded string (characters); larger results stay runtime expressions.
MAX_FOLDED_LENGTH = 10_000
#: Largest folded integer (bits): ~3 900 digits, under Python's ``str(int)`` limit.
MAX_FOLDED_INT_BITS = 13_000

_UNKNOWN: Any = object()
_LITERAL_TYPES = (str, int, float, bool, type(None))

_ALWAYS_TESTS = ("defined", "undefined")  # compiled inline, not through the registry

#: Built-in tests folded on known operands (only while the registered test is the
#: built-in one). ``sameas`` (identity of compile-time objects), ``match`` (regex
#: cost) and the HTMX tests (render-time state) are deliberately excluded.
SAFE_TESTS = frozenset(
    {
        "none", "true", "false", "string", "number", "sequence", "mapping", "iterable",
        "callable", "odd", "even", "divisibleby", "eq", "equalto", "==", "ne", "!=",
        "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "in",
        "lower", "upper",
    }
)  # fmt: skip

_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": add,
    "~": concat,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
_UNARY: dict[str, Callable[[Any], Any]] = {
    "-": operator.neg,
    "+": operator.pos,
    "not": operator.not_,
}
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
    "is": operator.is_,
    "is not": operator.is_not,
}


def partial_evaluate(
    root: TemplateNode,
    static_context: Mapping[str, Any],
    *,
    filters: Mapping[str, Callable[..., Any]],
    pure_filters: Collection[str],
    tests: Mapping[str, Callable[..., Any]] | None = None,
    environment: TemplateLookups | None = None,
) -> TemplateNode:
    """Return ``root`` simplified against ``static_context`` (see the module docstring).

    ``filters`` are the registered filters; a filter is evaluated at compile time
    when its name is in ``pure_filters`` or it is marked ``@pure``. ``tests`` are
    the registered tests: the tests of :data:`SAFE_TESTS` fold only when given and
    still the built-in functions (``defined``/``undefined`` always fold, they do
    not go through the registry).
    ``environment``, when given, is passed to ``@pass_environment`` filters (which
    are not folded otherwise) and its ``getattr``/``getitem`` hooks resolve the
    lookups, so an overriding environment (a sandbox) keeps its policy.
    Passes repeat until nothing changes, so the result is a fixed point.
    """
    while True:
        evaluator = _Evaluator(root, static_context, filters, pure_filters, tests, environment)
        result = evaluator.transform(root)
        assert isinstance(result, TemplateNode)
        if _equal(result, root):
            return result
        root = result


class _Evaluator(NodeTransformer):
    """One simplification pass over a tree.

    Bottom-up: each node is simplified once its operands and bodies are, so
    long operator and filter chains need no recursion.
    """

    def __init__(
        self,
        root: TemplateNode,
        static_context: Mapping[str, Any],
        filters: Mapping[str, Callable[..., Any]],
        pure_filters: Collection[str],
        tests: Mapping[str, Callable[..., Any]] | None,
        environment: TemplateLookups | None,
    ) -> None:
        self._static = static_context
        self._filters = filters
        self._pure = pure_filters
        self._tests = tests or {}
        self._env = environment
        self._getattr = environment.getattr if environment is not None else lookup_attr
        self._getitem = environment.getitem if environment is not None else lookup_item
        self._bound = names_bindable_in(root)

    # -- traversal ----------------------------------------------------------------------

    def generic_transform(self, node: Node) -> Node:
        """Expressions are folded when possible; other nodes are kept as rebuilt."""
        return self._fold(node) if isinstance(node, Expr) else node

    def transform_body(self, body: tuple[Node, ...]) -> tuple[Node, ...]:
        """Adjacent ``Data`` merged."""
        out: list[Node] = []
        for new in body:
            last = out[-1] if out else None
            if isinstance(new, Data) and isinstance(last, Data):
                out[-1] = replace(last, value=last.value + new.value)
            else:
                out.append(new)
        return body if len(out) == len(body) else tuple(out)

    # -- statements ---------------------------------------------------------------------

    def transform_If(self, node: If) -> list[Node]:
        test, body, elifs, else_ = node.test, node.body, node.elifs, node.else_
        branches = [(test, body), *elifs]
        kept: list[tuple[Expr, Body]] = []
        dropped: list[Node] = []
        chosen = else_
        for index, (branch_test, branch_body) in enumerate(branches):
            if not isinstance(branch_test, Const):
                kept.append((branch_test, branch_body))
            elif not branch_test.value:
                dropped.extend((branch_test, *branch_body))
            else:
                for later_test, later_body in branches[index + 1 :]:
                    dropped.extend((later_test, *later_body))
                dropped.extend((branch_test, *else_))
                chosen = branch_body
                break
        if not dropped or not self.droppable(dropped):
            return [node]
        if kept:
            (first_test, first_body), *rest = kept
            return [
                replace(node, test=first_test, body=first_body, elifs=tuple(rest), else_=chosen)
            ]
        return _inline(chosen, node)

    def transform_While(self, node: While) -> list[Node]:
        test, body = node.test, node.body
        if isinstance(test, Const) and not test.value and self.droppable(body):
            return []
        return [node]

    def transform_For(self, new: For) -> list[Node]:
        node = self.original
        empty = isinstance(new.iter, ListExpr | TupleExpr) and not new.iter.items
        dead = (*new.body, new.test) if new.test is not None else new.body
        if empty and not new.is_async and self.droppable(dead):
            return _inline(new.else_, node)
        return [new]

    def transform_WithCond(self, new: WithCond) -> list[Node]:
        node = self.original
        if not all(isinstance(v, Const) for v in new.values):
            return [new]
        if not all(v.value for v in new.values if isinstance(v, Const)):
            return _inline(new.else_, node) if self.droppable(new.body) else [new]
        if not self.droppable(new.else_):
            return [new]
        values: tuple[Expr, ...] = new.values
        if len(new.targets) == 1 and len(values) > 1:
            values = (TupleExpr(items=values, lineno=node.lineno, col_offset=node.col_offset),)
        assignments = tuple(
            Assign(
                target=Name(name=name, lineno=value.lineno, col_offset=value.col_offset),
                value=value,
                lineno=value.lineno,
                col_offset=value.col_offset,
            )
            for name, value in zip(new.targets, values, strict=False)
        )
        return [
            With(
                assignments=assignments,
                body=new.body,
                lineno=node.lineno,
                col_offset=node.col_offset,
            )
        ]

    def droppable(self, nodes: Iterable[Node]) -> bool:
        """Whether deleting ``nodes`` loses nothing the compiler would see.

        Beyond :func:`_hoists`, the compiler reports unknown filters/tests and
        misplaced ``{% slot %}`` even in dead code, and ``await``/``async for``
        anywhere make the template async: such code is kept.
        """
        nodes = tuple(nodes)
        if _hoists(nodes):
            return False
        for node in (inner for top in nodes for inner in walk(top)):
            if isinstance(node, Filter | FilterCall) and node.name not in self._filters:
                return False
            if isinstance(node, Test) and node.name not in (*self._tests, *_ALWAYS_TESTS):
                return False
            if isinstance(node, Await | Slot) or (isinstance(node, For) and node.is_async):
                return False
        return True

    # -- expressions ------------------------------------------------------------------------

    def _fold(self, new: Expr) -> Expr:
        """``new``, rebuilt from simplified operands, folded when possible."""
        node = self.original
        assert isinstance(node, Expr)
        slot = _lenient_operand(node)
        if slot is not None and _lenient_depth(getattr(new, slot)) > _lenient_depth(
            getattr(node, slot)
        ):
            new = replace(new, **{slot: getattr(node, slot)})
        if isinstance(new, Name | Getattr | Getitem):
            folded = self._lookup(new)
        elif isinstance(new, BinOp):
            folded = self._binop(new)
        elif isinstance(new, UnaryOp):
            folded = self._unary(new)
        elif isinstance(new, BoolOp):
            folded = self._boolop(new)
        elif isinstance(new, Compare):
            folded = self._compare(new)
        elif isinstance(new, CondExpr):
            folded = self._condexpr(new)
        elif isinstance(new, NullCoalesce):
            folded = self._coalesce(new)
        elif isinstance(new, Filter):
            folded = self._filter(new)
        elif isinstance(new, Test):
            folded = self._test(new)
        else:
            folded = None
        return new if folded is None else folded

    def known(self, node: Expr) -> Any:
        """The compile-time value of ``node``, or ``_UNKNOWN``.

        Covers constants, free static names, literal containers of known values and
        attribute/item lookups on known values (runtime lookup rules; a miss, an
        optional short-circuit or an exception gives ``_UNKNOWN``).
        """
        if isinstance(node, Const):
            return node.value
        if isinstance(node, Name):
            if node.name in self._bound:
                return _UNKNOWN
            value = self._static.get(node.name, _UNKNOWN)
            return _UNKNOWN if is_undefined(value) else value
        if isinstance(node, ListExpr | TupleExpr):
            items = [self.known(item) for item in node.items]
            if any(item is _UNKNOWN for item in items):
                return _UNKNOWN
            return items if isinstance(node, ListExpr) else tuple(items)
        if isinstance(node, DictExpr):
            keys = [self.known(k) for k in node.keys]
            values = [self.known(v) for v in node.values]
            if any(item is _UNKNOWN for item in (*keys, *values)):
                return _UNKNOWN
            try:
                return dict(zip(keys, values, strict=True))
            except TypeError:
                return _UNKNOWN
        if isinstance(node, Getattr | Getitem):
            return self._known_lookup(node)
        return _UNKNOWN

    def _known_lookup(self, node: Getattr | Getitem) -> Any:
        """The value of a lookup chain, link by link from its base (chains can be long)."""
        links: list[Getattr | Getitem] = []
        base: Expr = node
        while isinstance(base, Getattr | Getitem):
            links.append(base)
            base = base.obj
        value = self.known(base)
        for link in reversed(links):
            key = link.attr if isinstance(link, Getattr) else self.known(link.key)
            if value is not _UNKNOWN and key is not _UNKNOWN:
                value = self._lookup_link(link, value, key)
            else:
                value = _UNKNOWN
        return value

    def _lookup_link(self, link: Getattr | Getitem, obj: Any, key: Any) -> Any:
        """``obj.key`` / ``obj[key]`` as the runtime would look it up, or ``_UNKNOWN``."""
        try:
            if link.optional and optional_miss(obj, key):
                return _UNKNOWN
            value = (
                self._getattr(obj, key) if isinstance(link, Getattr) else self._getitem(obj, key)
            )
        except Exception:
            return _UNKNOWN
        return _UNKNOWN if is_undefined(value) else value

    def _lookup(self, node: Name | Getattr | Getitem) -> Expr | None:
        value = self.known(node)
        return _const(value, node) if _fits(value) else None

    def _binop(self, node: BinOp) -> Expr | None:
        left, right = node.left, node.right
        if not isinstance(left, Const) or not isinstance(right, Const):
            return None
        if _too_big(node.op, left.value, right.value):
            return None
        return _fold(node, _BINARY[node.op], left.value, right.value)

    def _unary(self, node: UnaryOp) -> Expr | None:
        if not isinstance(node.operand, Const):
            return None
        return _fold(node, _UNARY[node.op], node.operand.value)

    def _boolop(self, node: BoolOp) -> Expr | None:
        """Drop constants that do not decide the result; stop at one that does."""
        last = len(node.values) - 1
        kept: list[Expr] = []
        for index, value in enumerate(node.values):
            constant = isinstance(value, Const)
            decisive = isinstance(value, Const) and bool(value.value) == (node.op == "or")
            if constant and not decisive and index < last:
                continue
            kept.append(value)
            if decisive:
                if not self.droppable(node.values[index + 1 :]):
                    return None
                break
        if len(kept) == 1:
            return kept[0]
        return None if len(kept) == len(node.values) else replace(node, values=tuple(kept))

    def _compare(self, node: Compare) -> Expr | None:
        operands = (node.left, *node.comparators)
        if not all(isinstance(o, Const) for o in operands):
            return None
        values = [o.value for o in operands if isinstance(o, Const)]
        return _fold(node, _compare_chain, node.ops, values)

    def _condexpr(self, node: CondExpr) -> Expr | None:
        if not isinstance(node.test, Const):
            return None
        orelse = node.orelse if node.orelse is not None else _const("", node)
        chosen, dead = (node.body, orelse) if node.test.value else (orelse, node.body)
        return chosen if self.droppable((dead,)) else None

    def _coalesce(self, node: NullCoalesce) -> Expr | None:
        if not isinstance(node.left, Const):
            return None
        if node.left.value is None:
            return node.right
        return node.left if self.droppable((node.right,)) else None

    def _filter(self, node: Filter) -> Expr | None:
        func = self._filters.get(node.name)
        if (
            func is None
            or (wants_environment(func) and self._env is None)
            or wants_context(func)
            or not (node.name in self._pure or is_pure(func))
            or node.dyn_args is not None
            or node.dyn_kwargs is not None
        ):
            return None
        value = self.known(node.value)
        arguments = self._arguments(node.args, node.kwargs)
        if value is _UNKNOWN or arguments is None:
            return None
        if node.optional and value is None:
            return _const(None, node)
        args, kwargs = arguments
        if any(type(a) is int and abs(a) > MAX_FOLDED_LENGTH for a in (*args, *kwargs.values())):
            return None  # widths/counts that would build huge strings at compile time
        if wants_environment(func):
            args.insert(0, value)
            value = self._env
        result = _evaluate(func, value, *args, **kwargs)
        return _const(result, node) if _fits(result) else None

    def _test(self, node: Test) -> Expr | None:
        value = self.known(node.value)
        if value is _UNKNOWN:
            return None
        if node.name in _ALWAYS_TESTS:
            return _const((node.name == "defined") != node.negated, node)
        func = self._tests.get(node.name)
        if node.name not in SAFE_TESTS or func is None or func is not DEFAULT_TESTS[node.name]:
            return None
        arguments = self._arguments(node.args, node.kwargs)
        if arguments is None:
            return None
        result = _evaluate(func, value, *arguments[0], **arguments[1])
        if type(result) is not bool:
            return None
        return _const(result != node.negated, node)

    def _arguments(
        self, args: tuple[Expr, ...], kwargs: tuple[Keyword, ...]
    ) -> tuple[list[Any], dict[str, Any]] | None:
        """Known positional and keyword argument values, or None."""
        positional = [self.known(a) for a in args]
        named = {kw.name: self.known(kw.value) for kw in kwargs}
        if any(v is _UNKNOWN for v in (*positional, *named.values())):
            return None
        return positional, named


# -- helpers ------------------------------------------------------------------------------------


def _equal(first: Node, second: Node) -> bool:
    """``first == second`` for node trees, compared without recursion (trees can be deep)."""
    pending: list[tuple[object, object]] = [(first, second)]
    while pending:
        a, b = pending.pop()
        if a is b:
            continue
        if isinstance(a, Node):
            if type(a) is not type(b):
                return False
            pending.extend((getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
        elif isinstance(b, Node):
            return False
        elif isinstance(a, tuple) and isinstance(b, tuple):
            if len(a) != len(b):
                return False
            pending.extend(zip(a, b, strict=True))
        elif a != b:
            return False
    return True


def _lenient_operand(node: Expr) -> str | None:
    """The field the compiler may evaluate leniently (missing → undefined, no raise).

    Filter values (undefined-safe filters such as ``default``), test values
    (``defined``), the left of ``??`` and the object of ``?.``/``?[``.
    """
    if isinstance(node, Filter | Test):
        return "value"
    if isinstance(node, NullCoalesce):
        return "left"
    if isinstance(node, Getattr | Getitem) and node.optional:
        return "obj"
    return None


def _lenient_depth(node: Expr) -> int:
    """How many lookups of ``node`` a lenient evaluation covers.

    Folding ``(a if false else b.c) | default`` to ``b.c | default`` would turn a
    strict lookup (an error when ``b.c`` is missing) into a lenient one, so such
    a simplification is undone.
    """
    depth = 0
    while isinstance(node, Getattr | Getitem) and not node.optional:
        depth, node = depth + 1, node.obj
    return depth + isinstance(node, Name)


def _const(value: Any, at: Node) -> Const:
    return Const(value=value, lineno=at.lineno, col_offset=at.col_offset)


def _fits(value: object) -> bool:
    """A literal of an exact literal type within the size caps."""
    if type(value) not in _LITERAL_TYPES:
        return False
    if isinstance(value, str):
        return len(value) <= MAX_FOLDED_LENGTH
    if isinstance(value, int):
        return value.bit_length() <= MAX_FOLDED_INT_BITS
    return True


def _too_big(op: str, left: object, right: object) -> bool:
    """Whether ``left op right`` may exceed the caps (decided before computing)."""
    if op == "%":
        return isinstance(left, str)  # printf-style widths are unbounded
    if op == "*":
        if isinstance(left, str) and isinstance(right, int):
            return len(left) * right > MAX_FOLDED_LENGTH
        if isinstance(right, str) and isinstance(left, int):
            return len(right) * left > MAX_FOLDED_LENGTH
        if isinstance(left, int) and isinstance(right, int):
            return left.bit_length() + right.bit_length() > MAX_FOLDED_INT_BITS
    if op == "**" and isinstance(left, int) and isinstance(right, int):
        return abs(left) > 1 and left.bit_length() * right > MAX_FOLDED_INT_BITS
    return False


def _compare_chain(ops: tuple[str, ...], values: list[Any]) -> Any:
    """``a op1 b op2 c`` with Python's chaining and short-circuit."""
    result: Any = True
    for op, left, right in zip(ops, values, values[1:], strict=False):
        result = _COMPARE[op](left, right)
        if not result:
            return result
    return result


def _evaluate(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, or ``_UNKNOWN`` when it raises or warns.

    A warning (e.g. ``CoercionWarning``) must be emitted at render time, so such
    calls are left to the runtime. ``catch_warnings`` is process-global: a
    warning raised by another thread during the call may be swallowed.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = func(*args, **kwargs)
        except Exception:
            return _UNKNOWN
    return _UNKNOWN if caught else result


def _fold(at: Expr, func: Callable[..., Any], *args: Any) -> Const | None:
    result = _evaluate(func, *args)
    return _const(result, at) if _fits(result) else None


def _inline(body: Body, at: Node) -> list[Node]:
    """The chosen branch body in place of ``at``, or wrapped to keep its own scope."""
    if not _hoists(body) and not any(binds_in_place(node) for node in body):
        return list(body)
    test = Const(value=True, lineno=at.lineno, col_offset=at.col_offset)
    return [If(test=test, body=body, lineno=at.lineno, col_offset=at.col_offset)]


def _hoists(nodes: Iterable[Node]) -> bool:
    """Whether ``nodes`` hold a hoisted definition or a ``let``/``export``."""
    return any(escapes_scope(node) for top in nodes for node in walk(top))
