"""Compilation of filter expressions: a call of the filter, or inline Python.

While a template's environment still holds the built-in function under a
filter's name (see :func:`kida_core.filters.inlinable_filters`), and no runtime
guard or profiling needs to see each call, the common shapes of some filters
compile to the Python they amount to::

    {{ name | upper }}           ->  v.upper() if _type(v) is _text else _f_upper(v)
    {{ users | map(attribute="name") }}
                                 ->  _map_lookup(v, ("name",), _getattr)
                                     if _type(v) in _sequence_types else _f_map(v, ...)

Each form first tests the value's exact type and calls the filter function
for anything else, so a value the fast branch does not cover (``None``,
``Markup``, subclasses, generators...) gets the filter's own result, warnings
and errors. The fast branch runs only on inputs where it provably computes
what the filter computes, and it cannot raise: the lookups of ``map`` run in a
runtime helper whose errors are reported as the filter's. Arguments must be literals;
any other argument shape compiles to the plain call.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import kida_core.nodes as n
from kida_core.compiler.emitter import Emitter, Handlers
from kida_core.compiler.expressions import (
    UNDEFINED_SAFE_FILTERS,
    apply_filter,
    bind_once,
    safe_expr,
)
from kida_core.compiler.pyast import call, const, is_, load

#: Arguments of a filter bound to its parameter names (literals only).
Arguments = dict[str, Any]
#: Builds the inline form of a filter from its value and literal arguments, or
#: returns None when this argument shape is not inlined.
Inliner = Callable[["_Form", Arguments], ast.expr | None]

_ABSENT = object()
HANDLERS = Handlers()


@HANDLERS.expression(n.Filter)
def _filter(node: n.Filter, em: Emitter) -> ast.expr:
    func = em.state.filter_global(node.name, node)
    value = (
        safe_expr(node.value, em) if node.name in UNDEFINED_SAFE_FILTERS else em.expr(node.value)
    )
    inlined = inline_filter(node, func, value, em)
    if inlined is not None:
        return inlined
    return apply_filter(func, value, node, em, optional=node.optional)


class _Form:
    """One filter application being inlined: its value (read once) and fallback call."""

    def __init__(self, node: n.Filter, func: str, value: ast.expr, em: Emitter) -> None:
        self.node = node
        self.func = func
        self.value = value
        self.em = em
        self.temp = em.state.temp("fv")

    def guarded(
        self, test: Callable[[ast.expr], ast.expr], fast: Callable[[ast.expr], ast.expr]
    ) -> ast.expr:
        """``fast(v) if test(v) else filter(v, args...)``, evaluating the value once.

        ``test`` receives the expression of the value's first read.
        """
        temp = self.temp

        def use(first: ast.expr) -> ast.expr:
            fallback = apply_filter(self.func, load(temp), self.node, self.em)
            return ast.IfExp(test(first), fast(load(temp)), fallback)

        return bind_once(temp, self.value, use, self.em)

    def type_in(self, types: str) -> Callable[[ast.expr], ast.expr]:
        """The test ``_type(v) in <types>`` (a frozenset helper of exact types)."""
        return lambda value: ast.Compare(call("_type", value), [ast.In()], [load(types)])


def _is_text(value: ast.expr) -> ast.expr:
    return is_(call("_type", value), load("_text"))


def _method(value: ast.expr, name: str, *args: Any) -> ast.expr:
    """``value.name(args...)`` with literal arguments."""
    func = ast.Attribute(value, name, ast.Load())
    return ast.Call(func, [const(a) for a in args], [])


def _and(*values: ast.expr) -> ast.expr:
    return ast.BoolOp(ast.And(), list(values))


def _case(name: str) -> Inliner:
    """``upper``/``lower``: the ``str`` method on plain strings."""

    def inline(form: _Form, args: Arguments) -> ast.expr | None:
        return form.guarded(_is_text, lambda v: _method(v, name))

    return inline


def _trim(form: _Form, args: Arguments) -> ast.expr | None:
    chars = args.get("chars")
    if chars is not None and type(chars) is not str:
        return None
    extra = () if chars is None else (chars,)
    return form.guarded(_is_text, lambda v: _method(v, "strip", *extra))


def _capitalize(form: _Form, args: Arguments) -> ast.expr | None:
    return form.guarded(_is_text, lambda v: _method(v, "capitalize"))


def _center(form: _Form, args: Arguments) -> ast.expr | None:
    width = args.get("width", 80)
    if type(width) is not int:
        return None
    return form.guarded(_is_text, lambda v: _method(v, "center", width))


def _wordcount(form: _Form, args: Arguments) -> ast.expr | None:
    return form.guarded(_is_text, lambda v: call("_len", _method(v, "split")))


def _replace(form: _Form, args: Arguments) -> ast.expr | None:
    old, new, count = args.get("old", _ABSENT), args.get("new", _ABSENT), args.get("count", -1)
    if type(old) is not str or type(new) is not str or type(count) is not int:
        return None
    extra = () if count == -1 else (count,)
    return form.guarded(_is_text, lambda v: _method(v, "replace", old, new, *extra))


def _string(form: _Form, args: Arguments) -> ast.expr | None:
    return form.guarded(_is_text, lambda v: v)


def _escape(form: _Form, args: Arguments) -> ast.expr | None:
    return form.guarded(_is_text, lambda v: call("_Markup", call("_html_escape", v)))


def _length(form: _Form, args: Arguments) -> ast.expr | None:
    return form.guarded(form.type_in("_sized_types"), lambda v: call("_len", v))


def _list(form: _Form, args: Arguments) -> ast.expr | None:
    return form.guarded(form.type_in("_sized_types"), lambda v: call("_list", v))


def _end(index: int) -> Inliner:
    """``first``/``last``: an index into a non-empty list, tuple or string."""

    def inline(form: _Form, args: Arguments) -> ast.expr | None:
        def test(value: ast.expr) -> ast.expr:
            return _and(form.type_in("_sequence_types")(value), load(form.temp))

        return form.guarded(test, lambda v: ast.Subscript(v, const(index), ast.Load()))

    return inline


def _default(form: _Form, args: Arguments) -> ast.expr | None:
    fallback, boolean = args.get("default_value", ""), args.get("boolean", False)
    if boolean:  # a falsy test calls ``__bool__``, which may fail: left to the filter
        return None
    temp = form.temp

    def use(first: ast.expr) -> ast.expr:
        missing = ast.BoolOp(
            ast.Or(), [is_(first, const(None)), call("_isinstance", load(temp), load("_Undefined"))]
        )
        return ast.IfExp(missing, const(fallback), load(temp))

    return bind_once(temp, form.value, use, form.em)


def _lookup_path(attribute: Any) -> tuple[Any, ...] | None:
    """The lookups of ``map(attribute=...)``: ``"a.b"`` -> ``("a", "b")``; None if not inlined.

    Digit segments of a dotted path index sequences only at run time, so they
    are left to the filter.
    """
    if type(attribute) is int:
        return (attribute,)
    if type(attribute) is not str:
        return None
    parts = tuple(attribute.split("."))
    if any(part.isdigit() for part in parts):
        return None
    return parts


def _map(form: _Form, args: Arguments) -> ast.expr | None:
    if "attribute" not in args or not form.em.state.inline_lookups:
        return None
    path = _lookup_path(args["attribute"])
    if path is None:
        return None
    lookup = load("_getitem" if type(args["attribute"]) is int else "_getattr")

    def fast(value: ast.expr) -> ast.expr:
        return call("_map_lookup", value, const(path), lookup)

    return form.guarded(form.type_in("_sequence_types"), fast)


def _all_text(form: _Form) -> Callable[[ast.expr], ast.expr]:
    """The test: a list or tuple of plain strings."""
    return lambda value: _and(
        form.type_in("_list_types")(value), call("_all_text", load(form.temp))
    )


def _join(form: _Form, args: Arguments) -> ast.expr | None:
    separator = args.get("separator", "")
    if type(separator) is not str or args.get("attribute") is not None:
        return None

    def fast(value: ast.expr) -> ast.expr:
        join = ast.Attribute(const(separator), "join", ast.Load())
        return ast.Call(join, [value], [])

    return form.guarded(_all_text(form), fast)


def _sort(form: _Form, args: Arguments) -> ast.expr | None:
    reverse, case_sensitive = args.get("reverse", False), args.get("case_sensitive", False)
    if type(reverse) not in (bool, int) or args.get("attribute") is not None:
        return None
    key = const(None) if case_sensitive else load("_text_lower")

    def fast(value: ast.expr) -> ast.expr:
        return call("_sorted", value, key=key, reverse=const(reverse))

    return form.guarded(_all_text(form), fast)


class _Spec(NamedTuple):
    """The parameters of a filter after its value (in order) and its inliner."""

    params: Sequence[str]
    inline: Inliner
    #: False: the parameters are keyword-only (``map``'s positional arguments
    #: name a filter, a shape not inlined).
    positional: bool = True


INLINERS: dict[str, _Spec] = {
    "upper": _Spec((), _case("upper")),
    "lower": _Spec((), _case("lower")),
    "capitalize": _Spec((), _capitalize),
    "center": _Spec(("width",), _center),
    "wordcount": _Spec((), _wordcount),
    "trim": _Spec(("chars",), _trim),
    "strip": _Spec(("chars",), _trim),
    "replace": _Spec(("old", "new", "count"), _replace),
    "string": _Spec((), _string),
    "escape": _Spec((), _escape),
    "e": _Spec((), _escape),
    "length": _Spec((), _length),
    "count": _Spec((), _length),
    "list": _Spec((), _list),
    "first": _Spec((), _end(0)),
    "last": _Spec((), _end(-1)),
    "default": _Spec(("default_value", "boolean"), _default),
    "d": _Spec(("default_value", "boolean"), _default),
    "map": _Spec(("attribute",), _map, positional=False),
    "join": _Spec(("separator", "attribute"), _join),
    "sort": _Spec(("reverse", "case_sensitive", "attribute"), _sort),
}


def _literal_arguments(node: n.Filter, spec: _Spec) -> Arguments | None:
    """The literal arguments of ``node`` by parameter name (None: not that shape)."""
    positional = len(spec.params) if spec.positional else 0
    if len(node.args) > positional or node.dyn_args is not None or node.dyn_kwargs is not None:
        return None
    values: Arguments = {}
    for param, arg in zip(spec.params, node.args, strict=False):
        if not isinstance(arg, n.Const):
            return None
        values[param] = arg.value
    for keyword in node.kwargs:
        if (
            not isinstance(keyword.value, n.Const)
            or keyword.name not in spec.params
            or keyword.name in values
        ):
            return None
        values[keyword.name] = keyword.value.value
    return values


def inline_filter(node: n.Filter, func: str, value: ast.expr, em: Emitter) -> ast.expr | None:
    """The inline form of ``node`` (compiled ``value``), or None to call the filter."""
    if node.optional or node.name not in em.state.inline_filters:
        return None
    spec = INLINERS[node.name]
    args = _literal_arguments(node, spec)
    if args is None:
        return None
    return spec.inline(_Form(node, func, value, em), args)
