"""Built-in filters, grouped by domain (one module per domain)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kida_core.filters import collections, defaults, escaping, numbers, strings, urlize
from kida_core.registry import Registry

DEFAULT_FILTERS: dict[str, Callable[..., Any]] = {
    # strings
    "upper": strings.upper,
    "lower": strings.lower,
    "capitalize": strings.capitalize,
    "title": strings.title,
    "trim": strings.trim,
    "strip": strings.trim,
    "center": strings.center,
    "indent": strings.indent,
    "truncate": strings.truncate,
    "wordwrap": strings.wordwrap,
    "wordcount": strings.wordcount,
    "replace": strings.replace,
    "format": strings.format,
    "striptags": strings.striptags_filter,
    "urlencode": strings.urlencode,
    "slug": strings.slug,
    "pluralize": strings.pluralize,
    "string": strings.string,
    "date": strings.date,
    "urlize": urlize.urlize,
    # escaping
    "escape": escaping.escape_filter,
    "e": escaping.escape_filter,
    "forceescape": escaping.forceescape,
    "safe": escaping.safe,
    "tojson": escaping.tojson,
    "xmlattr": escaping.xmlattr_filter,
    "classes": escaping.classes,
    # collections
    "first": collections.first,
    "last": collections.last,
    "length": collections.length,
    "count": collections.length,
    "list": collections.list_filter,
    "join": collections.join,
    "reverse": collections.reverse,
    "sort": collections.sort,
    "dictsort": collections.dictsort,
    "unique": collections.unique,
    "groupby": collections.groupby,
    "items": collections.items,
    "map": collections.map_filter,
    "select": collections.select,
    "reject": collections.reject,
    "selectattr": collections.selectattr,
    "rejectattr": collections.rejectattr,
    "batch": collections.batch,
    "slice": collections.slice_filter,
    "take": collections.take,
    "skip": collections.skip,
    "compact": collections.compact,
    "min": collections.min_filter,
    "max": collections.max_filter,
    "sum": collections.sum_filter,
    "attr": collections.attr,
    "get": collections.get,
    "random": collections.random,
    "shuffle": collections.shuffle,
    # numbers
    "abs": numbers.abs_filter,
    "int": numbers.int_filter,
    "float": numbers.float_filter,
    "round": numbers.round_filter,
    "decimal": numbers.decimal,
    "format_number": numbers.format_number,
    "commas": numbers.commas,
    "filesizeformat": numbers.filesizeformat,
    # defaults, validation, debugging
    "default": defaults.default,
    "d": defaults.default,
    "require": defaults.require,
    "typeof": defaults.typeof,
    "pprint": defaults.pprint,
    "debug": defaults.debug,
}

# Deterministic filters partial evaluation may run at compile time; names not
# registered as filters are harmless.
BUILTIN_PURE_FILTERS: frozenset[str] = frozenset(
    {
        "upper", "lower", "title", "capitalize", "swapcase", "trim", "strip", "lstrip",
        "rstrip", "escape", "e", "forceescape", "default", "d", "int", "float", "string",
        "str", "bool", "length", "count", "first", "last", "join", "center", "ljust",
        "rjust", "wordwrap", "indent", "urlencode",
    }
)  # fmt: skip

#: Built-in filters the compiler may replace by equivalent inline Python for
#: common argument shapes, while the registry still holds the built-in function.
INLINABLE_FILTERS: frozenset[str] = frozenset(
    {
        "upper", "lower", "capitalize", "center", "wordcount", "trim", "strip", "replace",
        "string", "escape", "e", "length", "count", "first", "last", "list", "default", "d",
        "map", "join", "sort",
    }
)  # fmt: skip


def inlinable_filters(filters: Mapping[str, Callable[..., Any]]) -> frozenset[str]:
    """The names of :data:`INLINABLE_FILTERS` that ``filters`` still maps to the built-in.

    Computed once per version of a :class:`~kida_core.registry.Registry`.
    """
    if isinstance(filters, Registry):
        return filters.derived(_inlinable)
    return _inlinable(filters)


def _inlinable(filters: Mapping[str, Callable[..., Any]]) -> frozenset[str]:
    """:func:`inlinable_filters`, computed."""
    return frozenset(
        name for name in INLINABLE_FILTERS if filters.get(name) is DEFAULT_FILTERS[name]
    )


__all__ = ["BUILTIN_PURE_FILTERS", "DEFAULT_FILTERS", "INLINABLE_FILTERS", "inlinable_filters"]
