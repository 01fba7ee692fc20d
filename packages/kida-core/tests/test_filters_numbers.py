"""Number and conversion filters."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from decimal import Decimal

import pytest

from kida_core.decorators import is_pure
from kida_core.errors import CoercionWarning
from kida_core.filters import DEFAULT_FILTERS
from kida_core.filters import numbers as f


@pytest.fixture
def no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# abs


def test_abs() -> None:
    assert f.abs_filter(-3) == 3
    assert f.abs_filter(-2.5) == 2.5


def test_abs_non_number_raises() -> None:
    with pytest.raises(TypeError):
        f.abs_filter("x")


# int


def test_int_from_string(no_warnings: None) -> None:
    assert f.int_filter("42") == 42


def test_int_from_float_string(no_warnings: None) -> None:
    assert f.int_filter("4.7") == 4


def test_int_from_float_truncates(no_warnings: None) -> None:
    assert f.int_filter(-3.9) == -3


def test_int_strips_whitespace(no_warnings: None) -> None:
    assert f.int_filter(" 7 ") == 7


def test_int_large_string_is_exact(no_warnings: None) -> None:
    assert f.int_filter("12345678901234567890123") == 12345678901234567890123


def test_int_invalid_warns_and_returns_default() -> None:
    with pytest.warns(CoercionWarning, match="abc"):
        assert f.int_filter("abc") == 0


def test_int_custom_default() -> None:
    with pytest.warns(CoercionWarning):
        assert f.int_filter("abc", 5) == 5


def test_int_none_warns() -> None:
    with pytest.warns(CoercionWarning):
        assert f.int_filter(None) == 0


def test_int_nan_string_warns() -> None:
    with pytest.warns(CoercionWarning):
        assert f.int_filter("nan") == 0


def test_int_strict_raises() -> None:
    with pytest.raises(ValueError, match="abc"):
        f.int_filter("abc", strict=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e3", 1000),
        ("1.5e3", 1500),
        ("-4.9", -4),
        (".5e1", 5),
        ("1_000", 1000),
        ("12345678901234567890.7", 12345678901234567890),
        ("5e-999999999999", 0),
        ("0e999999999999", 0),
        ("9e4299", 9 * 10**4299),
    ],
)
def test_int_decimal_and_exponent_forms(text: str, expected: int, no_warnings: None) -> None:
    assert f.int_filter(text) == expected


@pytest.mark.parametrize(
    "text", ["1e4300", "1e1000000", "1e2000000", "1" * 4301, "1" * 1_000_000, "1__0", "1e", "."]
)
def test_int_huge_or_malformed_gives_default(text: str) -> None:
    with pytest.warns(CoercionWarning):
        assert f.int_filter(text, -1) == -1


def test_int_huge_decimal_value_gives_default() -> None:
    with pytest.warns(CoercionWarning):
        assert f.int_filter(Decimal("1e100000")) == 0


def test_int_base(no_warnings: None) -> None:
    assert f.int_filter("0x1A", 0, 16) == 26
    assert f.int_filter("0b101", 0, 0) == 5
    assert f.int_filter("1.5e3", 0, 16) == 1500  # decimal fallback, as in Jinja2


def test_int_long_fraction_is_fast(no_warnings: None) -> None:
    # A quadratic conversion of a million digits would take minutes.
    assert f.int_filter("0." + "0" * 1_000_000 + "1") == 0
    assert f.int_filter("7." + "9" * 1_000_000) == 7


def test_int_in_template_with_exponent() -> None:
    from kida_core import Environment

    env = Environment()
    assert env.from_string("{{ '1e3' | int }}").render() == "1000"
    with pytest.warns(CoercionWarning):
        assert env.from_string("{{ page | int(1) }}").render(page="1e2000000") == "1"


# float


def test_float_from_string(no_warnings: None) -> None:
    assert f.float_filter("2.5") == 2.5


def test_float_from_int(no_warnings: None) -> None:
    assert f.float_filter(3) == 3.0


def test_float_invalid_warns_and_returns_zero() -> None:
    with pytest.warns(CoercionWarning):
        result = f.float_filter("abc")
    assert result == 0.0
    assert isinstance(result, float)


def test_float_custom_default() -> None:
    with pytest.warns(CoercionWarning):
        assert f.float_filter([], 1.5) == 1.5


def test_float_strict_raises() -> None:
    with pytest.raises(ValueError):
        f.float_filter("abc", strict=True)


# round


def test_round_half_up(no_warnings: None) -> None:
    assert f.round_filter(2.5) == 3.0
    assert f.round_filter(3.5) == 4.0


def test_round_negative_half_away_from_zero(no_warnings: None) -> None:
    assert f.round_filter(-2.5) == -3.0


def test_round_precision_uses_written_digits(no_warnings: None) -> None:
    assert f.round_filter(2.675, 2) == 2.68


def test_round_returns_float(no_warnings: None) -> None:
    assert isinstance(f.round_filter(3), float)


def test_round_ceil(no_warnings: None) -> None:
    assert f.round_filter(1.21, 1, "ceil") == 1.3
    assert f.round_filter(-1.29, 1, "ceil") == -1.2


def test_round_floor(no_warnings: None) -> None:
    assert f.round_filter(1.29, 1, "floor") == 1.2


def test_round_negative_precision(no_warnings: None) -> None:
    assert f.round_filter(1250, -2) == 1300.0


def test_round_numeric_string(no_warnings: None) -> None:
    assert f.round_filter("1.26", 1) == 1.3


def test_round_huge_number(no_warnings: None) -> None:
    assert f.round_filter(1e30, 2) == 1e30


def test_round_bad_method() -> None:
    with pytest.raises(ValueError, match="method"):
        f.round_filter(1.5, 0, "banker")


def test_round_non_numeric_passes_through_with_warning() -> None:
    with pytest.warns(CoercionWarning):
        assert f.round_filter("abc") == "abc"


def test_round_strict_raises() -> None:
    with pytest.raises(ValueError):
        f.round_filter("abc", strict=True)


# decimal


def test_decimal_default_places(no_warnings: None) -> None:
    assert f.decimal(42) == "42.00"


def test_decimal_half_up(no_warnings: None) -> None:
    assert f.decimal(1.5, 0) == "2"
    assert f.decimal(0.125) == "0.13"


def test_decimal_decimal_input(no_warnings: None) -> None:
    assert f.decimal(Decimal("1.005")) == "1.01"


def test_decimal_string_input(no_warnings: None) -> None:
    assert f.decimal("3.14159", 3) == "3.142"


def test_decimal_no_negative_zero(no_warnings: None) -> None:
    assert f.decimal(-0.001) == "0.00"


def test_decimal_non_numeric_passes_through() -> None:
    with pytest.warns(CoercionWarning):
        assert f.decimal("n/a") == "n/a"


def test_decimal_none_passes_through() -> None:
    with pytest.warns(CoercionWarning):
        assert f.decimal(None) is None


def test_decimal_infinity_passes_through() -> None:
    with pytest.warns(CoercionWarning):
        assert f.decimal(float("inf")) == float("inf")


def test_decimal_strict_raises() -> None:
    with pytest.raises(ValueError):
        f.decimal("n/a", strict=True)


# format_number / commas


def test_format_number_places(no_warnings: None) -> None:
    assert f.format_number(1234.5, 2) == "1,234.50"


def test_format_number_default(no_warnings: None) -> None:
    assert f.format_number(1234567.5) == "1,234,568"


def test_format_number_negative(no_warnings: None) -> None:
    assert f.format_number(-9876.543, 1) == "-9,876.5"


def test_format_number_invalid_returns_original() -> None:
    with pytest.warns(CoercionWarning):
        assert f.format_number("abc") == "abc"


def test_format_number_strict_raises() -> None:
    with pytest.raises(ValueError):
        f.format_number("abc", strict=True)


def test_commas(no_warnings: None) -> None:
    assert f.commas(1234567) == "1,234,567"


def test_commas_small(no_warnings: None) -> None:
    assert f.commas(999) == "999"


# filesizeformat


def test_filesizeformat_bytes() -> None:
    assert f.filesizeformat(300) == "300 Bytes"


def test_filesizeformat_one_byte() -> None:
    assert f.filesizeformat(1) == "1 Byte"


def test_filesizeformat_decimal_units() -> None:
    assert f.filesizeformat(1024) == "1.0 kB"
    assert f.filesizeformat(1_500_000) == "1.5 MB"
    assert f.filesizeformat(2 * 10**9) == "2.0 GB"


def test_filesizeformat_binary_units() -> None:
    assert f.filesizeformat(1000, binary=True) == "1000 Bytes"
    assert f.filesizeformat(1024, binary=True) == "1.0 KiB"
    assert f.filesizeformat(3 * 1024**3, binary=True) == "3.0 GiB"


def test_filesizeformat_largest_unit() -> None:
    assert f.filesizeformat(10**27) == "1000.0 YB"


def test_filesizeformat_numeric_string() -> None:
    assert f.filesizeformat("2000") == "2.0 kB"


# registration


@pytest.mark.parametrize("name", ["int", "float"])
def test_conversions_are_pure(name: str) -> None:
    assert is_pure(DEFAULT_FILTERS[name])


@pytest.mark.parametrize(
    "name", ["abs", "round", "decimal", "format_number", "commas", "filesizeformat"]
)
def test_other_number_filters_not_marked_pure(name: str) -> None:
    assert not is_pure(DEFAULT_FILTERS[name])
