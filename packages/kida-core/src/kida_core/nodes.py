"""Immutable Kida AST nodes.

Every node is a frozen, slotted, keyword-only dataclass carrying the 1-based
``lineno`` and 0-based ``col_offset`` of the source token that starts it.
Expressions and statements share the ``Node`` base; the parser produces them,
the compiler consumes them and never mutates them.

Child collections are always tuples so nodes stay hashable and shareable
between threads.

Scoping is declared on the classes, not derived by each consumer: a node
class says which of its fields hold the names it binds (``binds`` where the
node stands, ``binds_inside`` in the scope it opens), which fields are
evaluated inside that scope (``inside``), the kind of scope (``opens``), the
names the scope binds implicitly (``implicit``), and whether the node is a
hoisted definition (``hoisted``) or part of the template setup (``setup``).
:mod:`kida_core.symbols` answers every scoping question from these.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import MISSING, dataclass, fields
from types import FunctionType, MemberDescriptorType
from typing import ClassVar, Literal, ParamSpec, TypeVar, cast


class ScopeKind(enum.Enum):
    """The kind of scope a node opens for the fields listed in its ``inside``."""

    #: A nested block: its bindings end with it.
    BLOCK = "block"
    #: An ``if``/``elif``/``else`` body (each body is a scope of its own).
    BRANCH = "branch"
    #: A loop body: the target and ``loop`` are rebound on every iteration.
    LOOP = "loop"
    #: A def/region/slot body, compiled as a Python function of its own.
    FUNCTION = "function"


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """Base of every node: its source position, and its scoping declarations.

    A binding field holds a target expression (``Name``/tuple of names), a
    name string, a tuple of names or ``(name, alias)`` pairs, or nodes that
    declare their own ``binds`` (``Assign``, ``Param``).
    """

    #: The scope this node opens, or None.
    opens: ClassVar[ScopeKind | None] = None
    #: Fields holding names bound in the scope the node stands in.
    binds: ClassVar[tuple[str, ...]] = ()
    #: Fields holding names bound in the scope the node opens.
    binds_inside: ClassVar[tuple[str, ...]] = ()
    #: Binding fields holding ``case`` patterns: ``_`` binds nothing, only
    #: tuples destructure, any other expression is a value compared.
    patterns: ClassVar[tuple[str, ...]] = ()
    #: Names the opened scope binds without a field (``loop``, ``caller``).
    implicit: ClassVar[tuple[str, ...]] = ()
    #: Fields evaluated inside the opened scope, in source order; the other
    #: fields are evaluated in the enclosing scope.
    inside: ClassVar[tuple[str, ...]] = ()
    #: A definition collected from anywhere in the template before compiling.
    hoisted: ClassVar[bool] = False
    #: At the top level, run by the template setup (before blocks and fragments).
    setup: ClassVar[bool] = False

    lineno: int
    col_offset: int = 0

    def __init_subclass__(cls) -> None:
        # No zero-argument ``super()``: ``slots=True`` replaces the class, so its
        # ``__class__`` cell would name the discarded one; ``object``'s does nothing.
        _IMPLICIT_NAMES.update(cls.implicit)


#: Every name some node class declares in its ``implicit`` (collected as classes are defined).
_IMPLICIT_NAMES: set[str] = set()


def implicit_names() -> frozenset[str]:
    """Every name some node class binds implicitly (``loop``, ``caller``, ``has_slot``)."""
    return frozenset(_IMPLICIT_NAMES)


# --------------------------------------------------------------------------
# Expressions
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Expr(Node):
    """Base of every expression node."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Const(Expr):
    """A literal: ``'s'``, ``1``, ``1.5``, ``true``, ``none``."""

    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Name(Expr):
    """A variable reference (also a binding target in ``set``/``for``)."""

    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TupleExpr(Expr):
    """``(a, b)``, ``a, b`` in targets, ``()``."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ListExpr(Expr):
    """``[a, b]``."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DictExpr(Expr):
    """``{k: v, ...}``; keys are expressions."""

    keys: tuple[Expr, ...]
    values: tuple[Expr, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ListComp(Expr):
    """``[elt for target in iter if cond]`` (exactly one ``for``)."""

    opens = ScopeKind.BLOCK
    binds_inside = ("target",)
    inside = ("elt", "cond")

    elt: Expr
    target: Expr
    iter: Expr
    cond: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RangeExpr(Expr):
    """``a..b`` (inclusive), ``a...b`` (exclusive), optional ``by step``."""

    start: Expr
    stop: Expr
    inclusive: bool
    step: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Getattr(Expr):
    """``obj.attr`` or, with ``optional``, ``obj?.attr``."""

    obj: Expr
    attr: str
    optional: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Getitem(Expr):
    """``obj[key]`` or, with ``optional``, ``obj?[key]``; key may be a ``Slice``."""

    obj: Expr
    key: Expr
    optional: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Slice(Expr):
    """``start:stop:step`` inside a subscript; any part may be absent."""

    start: Expr | None = None
    stop: Expr | None = None
    step: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Keyword(Node):
    """``name=value`` argument of a call, filter or test."""

    name: str
    value: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class Call(Expr):
    """``func(args, k=v, *dyn_args, **dyn_kwargs)``."""

    func: Expr
    args: tuple[Expr, ...] = ()
    kwargs: tuple[Keyword, ...] = ()
    dyn_args: Expr | None = None
    dyn_kwargs: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FilterCall(Node):
    """A filter reference with its arguments, without the value it applies to.

    Used by statement forms that filter a rendered body (``{% filter %}``,
    ``{% capture name | f %}``).
    """

    name: str
    args: tuple[Expr, ...] = ()
    kwargs: tuple[Keyword, ...] = ()
    dyn_args: Expr | None = None
    dyn_kwargs: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Filter(Expr):
    """``value | name(args)``; ``optional`` marks ``?|`` / ``?|>`` (skip on None).

    ``pipeline`` records that the ``|>`` spelling was used (same semantics).
    """

    value: Expr
    name: str
    args: tuple[Expr, ...] = ()
    kwargs: tuple[Keyword, ...] = ()
    dyn_args: Expr | None = None
    dyn_kwargs: Expr | None = None
    optional: bool = False
    pipeline: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Test(Expr):
    """``value is name(args)`` / ``value is not name``."""

    __test__ = False  # not a pytest test class

    value: Expr
    name: str
    args: tuple[Expr, ...] = ()
    kwargs: tuple[Keyword, ...] = ()
    negated: bool = False


BinOperator = Literal["+", "-", "*", "/", "//", "%", "**", "~"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BinOp(Expr):
    """Arithmetic and ``~`` concatenation."""

    op: BinOperator
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class UnaryOp(Expr):
    """``-x``, ``+x``, ``not x``."""

    op: Literal["-", "+", "not"]
    operand: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class BoolOp(Expr):
    """``a and b and c`` / ``a or b`` (returns an operand, as in Python)."""

    op: Literal["and", "or"]
    values: tuple[Expr, ...]


CompareOperator = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Compare(Expr):
    """A comparison chain ``a < b <= c``.

    ``is``/``is not`` appear here only with ``true``/``false``/``none``
    right-hand sides; every other ``is name`` is a :class:`Test`.
    """

    left: Expr
    ops: tuple[CompareOperator, ...]
    comparators: tuple[Expr, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CondExpr(Expr):
    """``body if test else orelse``; ``orelse`` None means ``""`` when false."""

    test: Expr
    body: Expr
    orelse: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NullCoalesce(Expr):
    """``left ?? right``: ``right`` when ``left`` is None or undefined."""

    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class Await(Expr):
    """``await value`` (async templates only)."""

    value: Expr


# --------------------------------------------------------------------------
# Statements
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Stmt(Node):
    """Base of every statement node."""


Body = tuple[Node, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateNode(Node):
    """The root: the whole template body."""

    body: Body
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Data(Stmt):
    """Literal text (also the body of ``{% raw %}``)."""

    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Output(Stmt):
    """``{{ expr }}``."""

    expr: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class If(Stmt):
    """``if``/``elif``/``else`` (``unless`` is parsed to ``If(not c)``)."""

    opens = ScopeKind.BRANCH
    inside = ("body", "elifs", "else_")

    test: Expr
    body: Body
    elifs: tuple[tuple[Expr, Body], ...] = ()
    else_: Body = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class For(Stmt):
    """``{% for target in iter if test [recursive] %}body{% else/empty %}else_{% end %}``.

    A ``recursive`` loop renders its body again when the body calls ``loop(items)``.
    """

    opens = ScopeKind.LOOP
    binds_inside = ("target",)
    implicit = ("loop",)
    inside = ("test", "body")

    target: Expr
    iter: Expr
    body: Body
    else_: Body = ()
    test: Expr | None = None
    is_async: bool = False
    recursive: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class While(Stmt):
    """``{% while test %}body{% end %}``."""

    opens = ScopeKind.LOOP
    inside = ("body",)

    test: Expr
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Break(Stmt):
    """``{% break %}``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Continue(Stmt):
    """``{% continue %}``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Assign(Node):
    """One ``target = value`` of a ``set``/``let``/``export``.

    ``target`` is a :class:`Name` or a :class:`TupleExpr` of names;
    ``coalesce`` marks ``??=`` (assign only when undefined or None).
    """

    binds = ("target",)

    target: Expr
    value: Expr
    coalesce: bool = False


SetScope = Literal["set", "let", "export"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Set(Stmt):
    """``{% set|let|export a = 1, b = 2 %}`` (``promote`` parses as export)."""

    binds = ("assignments",)
    setup = True

    scope: SetScope
    assignments: tuple[Assign, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Capture(Stmt):
    """``{% capture name | f %}body{% end %}`` and ``{% set name %}body{% end %}``."""

    opens = ScopeKind.BLOCK
    binds = ("name",)
    inside = ("body",)
    setup = True

    name: str
    body: Body
    filters: tuple[FilterCall, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class NamespaceSet(Stmt):
    """``{% set ns.attr = value %}``: write an attribute of a ``namespace()`` object.

    ``namespace`` is the ``Name`` of the object (a read, not a binding).
    """

    setup = True

    namespace: Expr
    attr: str
    value: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class NamespaceCapture(Stmt):
    """``{% set ns.attr | f %}body{% endset %}``: the rendered body into a namespace attribute."""

    opens = ScopeKind.BLOCK
    inside = ("body",)
    setup = True

    body: Body
    filters: tuple[FilterCall, ...] = ()
    namespace: Expr
    attr: str


@dataclass(frozen=True, slots=True, kw_only=True)
class With(Stmt):
    """Assignment form: ``{% with a = 1, b = x %}body{% end %}`` (always renders)."""

    opens = ScopeKind.BLOCK
    binds_inside = ("assignments",)
    inside = ("body",)

    assignments: tuple[Assign, ...]
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class WithCond(Stmt):
    """Conditional form: ``{% with expr as n %}`` / ``{% with a, b as x, y %}``.

    Renders ``body`` when every value is truthy, binding ``targets`` (``("it",)``
    when no ``as``); otherwise renders ``else_``.
    """

    opens = ScopeKind.BLOCK
    binds_inside = ("targets",)
    inside = ("body",)

    values: tuple[Expr, ...]
    targets: tuple[str, ...]
    body: Body
    else_: Body = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MatchCase(Node):
    """``{% case pattern if guard %}body``.

    ``pattern`` semantics: ``Name('_')`` wildcard; other bare ``Name`` capture;
    ``TupleExpr`` destructures; anything else compares with ``==``.
    """

    opens = ScopeKind.BLOCK
    binds_inside = ("pattern",)
    patterns = ("pattern",)
    inside = ("guard", "body")

    pattern: Expr
    body: Body
    guard: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Match(Stmt):
    """``{% match subject %}`` cases ``{% end %}``; ``subject`` None = valueless match."""

    subject: Expr | None
    cases: tuple[MatchCase, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FilterBlock(Stmt):
    """``{% filter f(args) %}body{% end %}``: filters applied left to right."""

    opens = ScopeKind.BLOCK
    inside = ("body",)

    filters: tuple[FilterCall, ...]
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Spaceless(Stmt):
    """``{% spaceless %}body{% end %}``: drop whitespace between tags."""

    opens = ScopeKind.BLOCK
    inside = ("body",)

    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Autoescape(Stmt):
    """``{% autoescape expr %}body{% end %}``: HTML escaping on or off for ``body``.

    A constant ``enabled`` switches escaping at compile time; any other
    expression is evaluated when the tag renders. Blocks inside keep the
    template's own setting (they render on their own).
    """

    opens = ScopeKind.BLOCK
    inside = ("body",)

    enabled: Expr
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Flush(Stmt):
    """``{% flush %}``: a chunk boundary in streaming modes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TransVar(Node):
    """``name=expr`` binding of a ``{% trans %}`` tag, usable as ``{{ name }}`` in its body."""

    name: str
    expr: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class Trans(Stmt):
    """``{% trans [context] name=expr... %}singular[{% plural %}plural]{% endtrans %}``.

    ``singular`` and ``plural`` are the message ids as looked up in the
    catalog: the body's text with each ``{{ name }}`` written as
    ``%(name)s``. ``count_expr`` selects the plural form (the ``count``
    binding's expression, or the one chosen by ``{% plural name %}``);
    ``context`` is the message context (``pgettext``), if the tag gives one.
    """

    singular: str
    plural: str | None = None
    variables: tuple[TransVar, ...] = ()
    count_expr: Expr | None = None
    context: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Extends(Stmt):
    """``{% extends "base.html" %}`` (any expression as the target)."""

    hoisted = True

    template: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class Include(Stmt):
    """``{% include target [ignore missing] [with|without context] %}``.

    ``template`` may evaluate to a list of candidates (first existing wins).
    """

    template: Expr
    with_context: bool = True
    ignore_missing: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class EmbedBlock(Node):
    """``{% block name %}body{% end %}`` inside ``{% embed %}``: a local block override."""

    opens = ScopeKind.FUNCTION
    inside = ("body",)

    name: str
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Embed(Stmt):
    """``{% embed target [with|without context] %}{% block b %}…{% end %}{% end %}``.

    An include whose ``blocks`` override the embedded template's blocks for
    this one rendering; their bodies render in the embedding scope.
    """

    template: Expr
    blocks: tuple[EmbedBlock, ...] = ()
    with_context: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Import(Stmt):
    """``{% import "forms.html" as forms [with context] %}``."""

    binds = ("target",)
    hoisted = True
    setup = True

    template: Expr
    target: str
    with_context: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FromImport(Stmt):
    """``{% from "forms.html" import field, button as btn [with context] %}``."""

    binds = ("names",)
    hoisted = True
    setup = True

    template: Expr
    names: tuple[tuple[str, str | None], ...]
    with_context: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockModifier(Node):
    """``name=literal`` on a block/fragment tag (metadata only, no runtime effect)."""

    name: str
    value: str | int | float | bool | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Block(Stmt):
    """``{% block name [modifiers] [if cond] %}body{% end %}``.

    ``fragment`` marks ``{% fragment %}``: skipped by a full render, produced
    only by ``render_block``. ``scoped`` passes the names bound where the block
    stands (loop variables) to every definition of the block; ``required``
    makes rendering this definition an error (a descendant must override it).
    """

    opens = ScopeKind.FUNCTION
    inside = ("body",)
    hoisted = True

    name: str
    body: Body
    condition: Expr | None = None
    modifiers: tuple[BlockModifier, ...] = ()
    fragment: bool = False
    scoped: bool = False
    required: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Param(Node):
    """One ``{% def %}``/``{% region %}`` parameter: ``name: annotation = default``."""

    binds = ("name",)

    name: str
    annotation: str | None = None
    default: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Def(Stmt):
    """``{% def name(a, b: str = "x", *args, **kwargs) %}body{% end %}``."""

    opens = ScopeKind.FUNCTION
    binds = ("name",)
    binds_inside = ("params", "vararg", "kwarg")
    implicit: ClassVar[tuple[str, ...]] = ("caller", "has_slot")
    inside = ("body",)
    hoisted = True
    setup = True

    name: str
    params: tuple[Param, ...]
    body: Body
    vararg: str | None = None
    kwarg: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Macro(Def):
    """``{% macro name(a, b=1) %}body{% end %}``: Jinja2's macro, a def with its calling rules.

    Arguments may be left out (they are undefined); the body binds ``varargs``,
    ``kwargs`` and ``caller`` implicitly, and the macro accepts extra
    positional/keyword arguments or a ``{% call %}`` body only when the body
    reads them.
    """

    implicit = ("varargs", "kwargs", "caller")


@dataclass(frozen=True, slots=True, kw_only=True)
class Region(Stmt):
    """``{% region name(params) %}body{% end %}``: a block and a callable at once."""

    opens = ScopeKind.FUNCTION
    binds = ("name",)
    binds_inside = ("params",)
    implicit = ("caller", "has_slot")
    inside = ("body",)
    hoisted = True
    setup = True

    name: str
    params: tuple[Param, ...]
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotContent(Node):
    """``{% slot name [let:a, let:b] %}body{% end %}`` inside ``{% call %}``: slot content.

    ``lets`` are the scoped-slot names the def passes up, local to ``body``.
    """

    opens = ScopeKind.FUNCTION
    binds_inside = ("lets",)
    inside = ("body",)

    name: str
    body: Body
    lets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CallBlock(Stmt):
    """``{% call f(args) %}default body {% slot name %}…{% end %}{% end %}``.

    ``body`` is the default slot's content (everything outside ``slot`` tags),
    unless the default slot is scoped: then it is among ``slots``. ``params``
    are the caller's parameters of ``{% call(a, b) f() %}`` (None without
    parentheses): the body is then a macro that ``caller(x, y)`` calls.
    """

    opens = ScopeKind.FUNCTION
    binds_inside = ("params",)
    inside = ("body",)

    call: Call
    body: Body
    slots: tuple[SlotContent, ...] = ()
    params: tuple[Param, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot(Stmt):
    """``{% slot %}`` / ``{% slot name %}`` inside a def: render the caller's slot.

    A scoped slot ``{% slot name let:a=x %}default{% end %}`` passes ``lets``
    (name, value) up to the caller's slot body and renders ``default`` when
    the caller gave no content for it.
    """

    name: str = "default"
    lets: tuple[tuple[str, Expr], ...] = ()
    default: Body = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Yield(Slot):
    """``{% yield [name] %}`` inside a def: render the enclosing def's caller slot.

    Unlike ``{% slot %}`` it may stand inside a nested ``{% call %}`` body, where
    it forwards the outer def's slot content into the inner call.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class Globals(Stmt):
    """``{% globals %}…{% end %}`` / ``{% imports %}…{% end %}``: setup run before fragments."""

    hoisted = True
    setup = True

    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Try(Stmt):
    """``{% try %}body{% fallback [name] %}fallback{% end %}``: an error boundary."""

    opens = ScopeKind.BLOCK
    binds_inside = ("error_name",)
    inside = ("fallback",)

    body: Body
    fallback: Body
    error_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Cache(Stmt):
    """``{% cache key [, ttl=expr] [, depends=expr] %}body{% end %}``: a fragment cache."""

    opens = ScopeKind.BLOCK
    inside = ("body",)

    key: Expr
    body: Body
    ttl: Expr | None = None
    depends: Expr | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Provide(Stmt):
    """``{% provide key = value %}body{% end %}``: ``consume("key")`` sees ``value`` in the body."""

    opens = ScopeKind.BLOCK
    inside = ("body",)

    key: str
    value: Expr
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Push(Stmt):
    """``{% push "name" %}body{% end %}``: append the rendered body to a content stack."""

    opens = ScopeKind.BLOCK
    inside = ("body",)

    name: Expr
    body: Body


@dataclass(frozen=True, slots=True, kw_only=True)
class Stack(Stmt):
    """``{% stack "name" %}``: everything pushed to ``name`` during the render."""

    name: Expr


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateDecl(Stmt):
    """``{% template page: Page, site %}``: declared context names (no runtime code)."""

    hoisted = True

    names: tuple[tuple[str, str | None], ...]


def _slot_setter(cls: type[Node], name: str) -> Callable[[Node, object], None]:
    """The ``__set__`` of the slot that stores field ``name`` of ``cls``."""
    for klass in cls.__mro__:
        slot = klass.__dict__.get(name)
        if isinstance(slot, MemberDescriptorType):
            return slot.__set__
    raise AssertionError(f"{cls.__name__}.{name} has no slot")


def _constructors(cls: type[Node]) -> tuple[FunctionType, FunctionType]:
    """An ``__init__`` for ``cls`` and a builder function, both storing through slots.

    The ``__init__`` a frozen dataclass generates calls ``object.__setattr__``
    per field, a generic attribute lookup each time; the slot's own ``__set__``
    stores directly. Both functions take the dataclass's keyword-only
    arguments with its defaults; the builder also allocates the instance, so a
    call skips the class call (which packs keyword arguments into a dict).
    The class stays frozen: its ``__setattr__`` still refuses assignment.
    """
    params: list[str] = []
    stores: list[str] = []
    namespace: dict[str, object] = {"_cls": cls, "_new": object.__new__}
    for field in fields(cls):
        name = field.name
        if field.default is MISSING:
            params.append(name)
        else:
            namespace[f"_default_{name}"] = field.default
            params.append(f"{name}=_default_{name}")
        namespace[f"_set_{name}"] = _slot_setter(cls, name)
        stores.append(f"    _set_{name}(self, {name})")
    signature = ", ".join(params)
    body = "\n".join(stores)
    source = (
        f"def __init__(self, *, {signature}):\n{body}\n\n"
        f"def build(*, {signature}):\n    self = _new(_cls)\n{body}\n    return self\n"
    )
    exec(source, namespace)  # the same code generation ``dataclass`` itself does
    init, build = namespace["__init__"], namespace["build"]
    assert isinstance(init, FunctionType) and isinstance(build, FunctionType)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    for function in (init, build):
        function.__module__ = cls.__module__
        function.__annotations__ = cls.__init__.__annotations__
    return init, build


_BUILDERS: dict[type[Node], Callable[..., Node]] = {}


def _install_constructors(namespace: dict[str, object]) -> None:
    """Give every node class in ``namespace`` its slot-storing ``__init__`` and builder.

    The module's names, not ``Node.__subclasses__()``, list the classes in use:
    ``slots=True`` replaced each decorated class with a new one.
    """
    for value in list(namespace.values()):
        if isinstance(value, type) and issubclass(value, Node):
            value.__init__, _BUILDERS[value] = _constructors(value)  # type: ignore[method-assign]


_install_constructors(globals())

_P = ParamSpec("_P")
_N = TypeVar("_N", bound=Node)


def builder(cls: Callable[_P, _N]) -> Callable[_P, _N]:
    """A function that builds ``cls`` nodes from the class's keyword arguments, faster.

    ``builder(Name)(name="x", lineno=1)`` equals ``Name(name="x", lineno=1)``;
    the parser's hot paths build nodes this way.
    """
    return cast(Callable[_P, _N], _BUILDERS[cast(type[Node], cls)])


_FIELD_NAMES: dict[type[Node], tuple[str, ...]] = {}


def field_names(cls: type[Node]) -> tuple[str, ...]:
    """The fields of a node class, in order (its class-level declarations excluded)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


#: Field annotations that never hold a node (positions, names, flags, operators).
_LEAF_ANNOTATIONS = frozenset(
    {
        "int",
        "str",
        "bool",
        "str | None",
        "str | int | float | bool | None",
        "tuple[str, ...]",
        "tuple[tuple[str, str | None], ...]",
        "BinOperator",
        "tuple[CompareOperator, ...]",
        "SetScope",
    }
)
_CHILD_FIELDS: dict[type[Node], tuple[str, ...]] = {}


def child_field_names(cls: type[Node]) -> tuple[str, ...]:
    """The fields of a node class that may hold nodes, in order."""
    names = _CHILD_FIELDS.get(cls)
    if names is None:
        names = _CHILD_FIELDS[cls] = tuple(
            f.name
            for f in fields(cls)
            if f.type not in _LEAF_ANNOTATIONS and not str(f.type).startswith("Literal[")
        )
    return names


def iter_child_nodes(node: Node) -> list[Node]:
    """Direct children of ``node``: fields holding nodes, or (nested) tuples of them."""
    found: list[Node] = []
    names = _CHILD_FIELDS.get(type(node))
    if names is None:
        names = child_field_names(type(node))
    for name in names:
        value = getattr(node, name)
        if isinstance(value, Node):
            found.append(value)
        elif isinstance(value, tuple):
            _collect(value, found)
    return found


def nodes_in(value: object) -> list[Node]:
    """The nodes in a field value: the node itself, or those in a (nested) tuple."""
    if isinstance(value, Node):
        return [value]
    found: list[Node] = []
    if isinstance(value, tuple):
        _collect(value, found)
    return found


def _collect(items: tuple[object, ...], found: list[Node]) -> None:
    """Append the nodes in ``items`` (and in tuples nested in it) to ``found``, in order."""
    for item in items:
        if isinstance(item, Node):
            found.append(item)
        elif isinstance(item, tuple):
            _collect(item, found)


def walk(node: Node) -> Iterator[Node]:
    """``node`` and all its descendants, depth first (parents before children, in order).

    Iterative: long operator and filter chains make trees deeper than
    Python's recursion limit.
    """
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(reversed(iter_child_nodes(current)))
