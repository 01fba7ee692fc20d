"""Small runtime helpers of generated code that belong to no larger topic.

Sequences, scopes at includes and imports, regions rendered as blocks, the
strict-mode error for unknown names, and the core defaults of
the hooks a runtime guard can provide (code compiled for a guard calls them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from kida_core.errors import ErrorCode, TemplateRuntimeError, UndefinedError
from kida_core.markup import Markup
from kida_core.template_globals import Namespace
from kida_core.undefined import UNDEFINED

T = TypeVar("T")

_SPACES_BETWEEN_TAGS = re.compile(r">\s+<")

NODEFAULT: Any = object()
"""Default of def parameters whose default expression is evaluated at call time."""

#: Exact types the inline forms of built-in filters handle themselves (any
#: other value, subclasses included, is passed to the filter function).
LIST_TYPES = frozenset({list, tuple})
SEQUENCE_TYPES = frozenset({list, tuple, str})
SIZED_TYPES = frozenset({list, tuple, str, dict})


def map_lookup(
    items: Iterable[Any], path: tuple[Any, ...], lookup: Callable[[Any, Any], Any]
) -> list[Any]:
    """``items | map(attribute="a.b")`` inlined: ``[item.a.b for item in items]``.

    ``lookup`` is the template's attribute (or item) lookup, the one the
    filter's Environment lookups amount to. An error raised here is reported
    as the ``map`` filter's (see ``runtime/enhance.py``).
    """
    if len(path) == 1:
        key = path[0]
        return [lookup(item, key) for item in items]
    values = []
    for item in items:
        for key in path:
            item = lookup(item, key)
        values.append(item)
    return values


def all_text(items: Iterable[Any]) -> bool:
    """True when every item is exactly a ``str`` (no ``Markup``, nothing to escape)."""
    for item in items:  # noqa: SIM110 -- a plain loop: no generator to create and resume
        if type(item) is not str:
            return False
    return True


def materialize(value: Iterable[Any]) -> list[Any] | tuple[Any, ...]:
    """A sequence with a known length (lists and tuples are used as they are)."""
    if type(value) is list or type(value) is tuple:
        return value
    return list(value)


def spaceless(text: str) -> str:
    """Remove whitespace between HTML tags, keeping Markup-ness."""
    result = _SPACES_BETWEEN_TAGS.sub("><", text).strip()
    return Markup(result) if isinstance(text, Markup) else result


def is_sequence(value: object) -> bool:
    """True for lists and tuples (what a tuple pattern can match)."""
    return isinstance(value, list | tuple)


def scope_context(ctx: Mapping[str, Any], bound: Mapping[str, Any]) -> dict[str, Any]:
    """``ctx`` plus the template names bound at an include (unset ones skipped)."""
    merged = dict(ctx)
    for name, value in bound.items():
        if value is not UNDEFINED:
            merged[name] = value
    return merged


def exports(bound: Mapping[str, Any]) -> dict[str, Any]:
    """The names a template's setup bound (what ``{% import %}`` exposes)."""
    return {name: value for name, value in bound.items() if value is not UNDEFINED}


def call_region(ctx: Mapping[str, Any], name: str, params: tuple[str, ...]) -> str:
    """A region rendered as a block: its parameters come from ``ctx``."""
    region = ctx[name]
    return region(**{p: ctx[p] for p in params if p in ctx})  # type: ignore[no-any-return]


def make_call_region(
    call: Callable[..., Any],
) -> Callable[[Mapping[str, Any], str, tuple[str, ...]], Any]:
    """:func:`call_region` calling the region through ``call`` (a runtime guard's).

    The template may have rebound the region's name to any value.
    """

    def guarded_call_region(ctx: Mapping[str, Any], name: str, params: tuple[str, ...]) -> Any:
        return call(ctx[name], **{p: ctx[p] for p in params if p in ctx})

    return guarded_call_region


def make_undefined_variable(
    registry: Mapping[str, Any],
) -> Callable[[Mapping[str, Any], str], Any]:
    """The strict-mode error for a name neither ``ctx`` nor ``registry`` defines."""

    def undefined_variable(ctx: Mapping[str, Any], name: str) -> Any:
        raise UndefinedError(name, kind="variable", available_names=[*ctx, *registry])

    return undefined_variable


def make_strict_global(
    lookup: Callable[[str, Mapping[str, Any]], Any],
    undefined: Callable[[Mapping[str, Any], str], Any],
) -> Callable[[str, Mapping[str, Any]], Any]:
    """``strict_global(name, ctx)``: the global ``name`` found by ``lookup``, else the
    strict-mode error of ``undefined`` (for names read where they are used)."""

    def strict_global(name: str, ctx: Mapping[str, Any]) -> Any:
        value = lookup(name, ctx)
        if value is UNDEFINED:
            return undefined(ctx, name)
        return value

    return strict_global


def set_namespace_attr(target: Any, name: str, value: Any) -> None:
    """``{% set ns.name = value %}``: only a ``namespace()`` object takes attribute writes."""
    if not isinstance(target, Namespace):
        raise TemplateRuntimeError(
            f"cannot assign attribute on non-namespace object ({type(target).__name__})",
            suggestion="Create the object with namespace(): "
            "{% set ns = namespace(count=0) %}{% set ns.count = ns.count + 1 %}",
            code=ErrorCode.RUNTIME_ERROR,
        )
    Namespace.set_attribute(target, name, value)


def unchanged(value: T) -> T:
    """``value`` itself: a loop iterable when no guard counts iterations."""
    return value
