"""Default, validation and debugging filters, plus registry completeness."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.decorators import is_pure
from kida_core.errors import ErrorCode, RequiredValueError
from kida_core.filters import BUILTIN_PURE_FILTERS, DEFAULT_FILTERS
from kida_core.filters import defaults as f
from kida_core.markup import Markup
from kida_core.undefined import UNDEFINED, Undefined

# default


def test_default_on_none() -> None:
    assert f.default(None, "x") == "x"


def test_default_on_undefined() -> None:
    assert f.default(UNDEFINED, "x") == "x"


def test_default_on_named_undefined() -> None:
    assert f.default(Undefined("user"), 3) == 3


def test_default_keeps_value() -> None:
    assert f.default("v", "x") == "v"


def test_default_keeps_falsy_value() -> None:
    assert f.default(0, "x") == 0
    assert f.default("", "x") == ""


def test_default_boolean_replaces_falsy() -> None:
    assert f.default(0, "x", boolean=True) == "x"
    assert f.default("", "x", True) == "x"


def test_default_boolean_keeps_truthy() -> None:
    assert f.default([1], "x", boolean=True) == [1]


def test_default_empty_string_fallback() -> None:
    assert f.default(None) == ""


def test_d_is_default_alias() -> None:
    assert DEFAULT_FILTERS["d"] is DEFAULT_FILTERS["default"] is f.default


def test_default_is_pure() -> None:
    assert is_pure(f.default)


# require


def test_require_returns_value() -> None:
    assert f.require(0) == 0


def test_require_none_raises() -> None:
    with pytest.raises(RequiredValueError) as info:
        f.require(None, field_name="email")
    assert info.value.field_name == "email"
    assert info.value.code is ErrorCode.REQUIRED_VALUE
    assert "email" in str(info.value)


def test_require_undefined_raises() -> None:
    with pytest.raises(RequiredValueError):
        f.require(UNDEFINED)


def test_require_custom_message() -> None:
    with pytest.raises(RequiredValueError, match="Need a title"):
        f.require(None, "Need a title")


def test_require_default_field_name() -> None:
    with pytest.raises(RequiredValueError) as info:
        f.require(None)
    assert info.value.field_name == "value"


# typeof


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (True, "bool"),
        (1, "int"),
        (1.5, "float"),
        (Decimal("1"), "decimal"),
        ("s", "str"),
        (Markup("<b>"), "str"),
        (b"x", "bytes"),
        ([], "list"),
        ((), "tuple"),
        ({1}, "set"),
        ({}, "dict"),
        (None, "none"),
        (UNDEFINED, "undefined"),
        (Path("a"), "path"),
        (datetime(2024, 1, 1), "datetime"),
        (date(2024, 1, 1), "date"),
    ],
)
def test_typeof(value: object, name: str) -> None:
    assert f.typeof(value) == name


def test_typeof_other_class_name() -> None:
    class Widget:
        pass

    assert f.typeof(Widget()) == "Widget"


# pprint


def test_pprint() -> None:
    assert f.pprint({"b": 1, "a": [1, 2]}) == "{'a': [1, 2], 'b': 1}"


def test_pprint_wraps_long_values() -> None:
    assert "\n" in f.pprint(list(range(40)))


# debug


def test_debug_returns_value_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    value = [1, 2]
    assert f.debug(value) is value
    assert capsys.readouterr().out == ""


def test_debug_prints_type_and_length(capsys: pytest.CaptureFixture[str]) -> None:
    f.debug([1, 2, 3], "nums")
    err = capsys.readouterr().err
    assert "nums" in err
    assert "type=list" in err
    assert "len=3" in err


def test_debug_limits_items(capsys: pytest.CaptureFixture[str]) -> None:
    f.debug(list(range(10)), max_items=2)
    err = capsys.readouterr().err
    assert "[1] 1" in err
    assert "[2]" not in err
    assert "8 more" in err


def test_debug_flags_none_items_and_fields(capsys: pytest.CaptureFixture[str]) -> None:
    f.debug([None, {"title": "a", "author": None}])
    err = capsys.readouterr().err
    assert "[0] None  <-- None" in err
    assert "None fields: author" in err


def test_debug_flags_none_in_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    f.debug({"a": 1, "b": None})
    err = capsys.readouterr().err
    assert "type=dict len=2" in err
    assert "'b': None  <-- None" in err


def test_debug_scalar(capsys: pytest.CaptureFixture[str]) -> None:
    f.debug("hi")
    assert "value: 'hi'" in capsys.readouterr().err


def test_debug_does_not_consume_iterators(capsys: pytest.CaptureFixture[str]) -> None:
    items = iter([1, 2])
    assert list(f.debug(items)) == [1, 2]


# registry completeness (every built-in filter and test is registered)

SPEC_FILTERS = [
    "upper", "lower", "capitalize", "title", "trim", "strip", "center", "indent", "truncate",
    "wordwrap", "wordcount", "replace", "format", "striptags", "urlencode", "slug", "pluralize",
    "string", "date", "escape", "e", "safe", "tojson", "xmlattr", "classes", "first", "last",
    "length", "count", "list", "join", "reverse", "sort", "dictsort", "unique", "groupby",
    "map", "select", "reject", "selectattr", "rejectattr", "batch", "slice", "take", "skip",
    "compact", "min", "max", "sum", "attr", "get", "random", "shuffle", "abs", "int", "float",
    "round", "decimal", "format_number", "commas", "filesizeformat", "default", "d", "require",
    "typeof", "pprint", "debug", "forceescape", "items", "urlize",
]  # fmt: skip

SPEC_TESTS = [
    "defined", "undefined", "none", "true", "false", "string", "number", "sequence", "mapping",
    "iterable", "callable", "odd", "even", "divisibleby", "eq", "equalto", "ne", "lt",
    "lessthan", "le", "gt", "greaterthan", "ge", "sameas", "in", "lower", "upper", "match",
    "hx_request", "hx_target", "hx_boosted", "boolean", "integer", "float", "escaped", "filter",
    "test",
]  # fmt: skip

SPEC_PURE = [
    "upper", "lower", "title", "capitalize", "swapcase", "trim", "strip", "lstrip", "rstrip",
    "escape", "e", "forceescape", "default", "d", "int", "float", "string", "str", "bool",
    "length", "count", "first", "last", "join", "center", "ljust", "rjust", "wordwrap",
    "indent", "urlencode",
]  # fmt: skip
# Not pure here although the spec lists it: ``truncate`` reads the environment's
# ``truncate.leeway`` policy at render time, so it must not be folded at compile time.


def test_every_spec_filter_is_registered() -> None:
    assert set(SPEC_FILTERS) <= set(DEFAULT_FILTERS)


def test_no_unexpected_filters_registered() -> None:
    assert set(DEFAULT_FILTERS) == set(SPEC_FILTERS)


def test_every_spec_test_is_registered() -> None:
    assert set(SPEC_TESTS) <= set(DEFAULT_TESTS)


def test_builtin_pure_set_matches_spec() -> None:
    assert set(SPEC_PURE) == BUILTIN_PURE_FILTERS


def test_registered_pure_filters_are_marked() -> None:
    for name in BUILTIN_PURE_FILTERS & set(DEFAULT_FILTERS):
        assert is_pure(DEFAULT_FILTERS[name]), name


def test_marked_filters_are_in_pure_set() -> None:
    marked = {name for name, func in DEFAULT_FILTERS.items() if is_pure(func)}
    assert marked <= BUILTIN_PURE_FILTERS


def test_random_and_shuffle_are_impure() -> None:
    assert not is_pure(DEFAULT_FILTERS["random"])
    assert not is_pure(DEFAULT_FILTERS["shuffle"])
