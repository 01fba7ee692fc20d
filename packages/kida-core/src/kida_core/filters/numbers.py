"""Number and conversion filters.

Rounding is decimal half-up on the number as written (``2.675`` → ``2.68``),
not binary float rounding. Lenient conversions emit ``CoercionWarning``.
"""

from __future__ import annotations

import re
import warnings
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Decimal,
    InvalidOperation,
    localcontext,
)
from typing import Any

from kida_core.decorators import pure
from kida_core.errors import CoercionWarning

_ROUNDING_MODES = {"common": ROUND_HALF_UP, "ceil": ROUND_CEILING, "floor": ROUND_FLOOR}
_DECIMAL_UNITS = ("kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")
_BINARY_UNITS = ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")
_CONVERSION_ERRORS = (TypeError, ValueError, ArithmeticError)
#: ``int`` gives its default for results longer than this many digits (Python's
#: own limit for int/str conversion), so a short exponent cannot allocate a huge number.
_MAX_INT_DIGITS = 4300
_INT_LIMIT = 10**_MAX_INT_DIGITS
_DECIMAL_TEXT = re.compile(r"([+-]?)([\d_]*)(?:\.([\d_]*))?(?:[eE]([+-]?\d+))?")


def _coercion_warning(message: str) -> None:
    warnings.warn(message, CoercionWarning, stacklevel=3)


def _to_decimal(value: Any) -> Decimal:
    """A number or numeric string as a finite ``Decimal``; else ``ValueError``."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(int(value))
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"{type(value).__name__} value {value!r} is not a number")
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _quantize(number: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round ``number`` to ``places`` decimals without hitting the context precision."""
    with localcontext() as ctx:
        ctx.prec = max(28, number.adjusted() + places + 2)
        result = number.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    return abs(result) if result.is_zero() else result


def abs_filter(value: Any) -> Any:
    """Absolute value."""
    return abs(value)


@pure
def int_filter(value: Any, default: int = 0, base: int = 10, *, strict: bool = False) -> int:
    """Convert to ``int``: ``"42"``, ``"4.2"``, ``"1e3"`` and floats truncate toward zero.

    Strings are read in ``base`` first (``'0x1A' | int(0, 16)``; base 0 honours
    ``0x``/``0o``/``0b`` prefixes), then as a decimal number with an optional
    fraction and exponent. Conversion is linear in the input length; a result
    of more than 4300 digits counts as a failure. Failure returns ``default``
    with a ``CoercionWarning``, or raises ``ValueError`` when ``strict``.
    """
    try:
        result = _to_int(value, base)
    except _CONVERSION_ERRORS:
        result = None
    if result is not None:
        return result
    if strict:
        raise ValueError(f"Cannot convert {value!r} to int")
    _coercion_warning(f"int: cannot convert {value!r}; using {default!r}")
    return default


def _to_int(value: Any, base: int) -> int | None:
    """``value`` as a bounded int; None (or a conversion error) when it is not one."""
    if isinstance(value, str):
        text = value.strip()
        # Non power-of-two bases convert in quadratic time: longer texts cannot
        # fit the digit bound anyway and take the linear decimal scan instead.
        if len(text) > 2 * _MAX_INT_DIGITS:
            return _truncate_decimal_text(text)
        try:
            number = int(text, base)
        except ValueError:
            return _truncate_decimal_text(text)
    elif isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() >= _MAX_INT_DIGITS:
            return None
        number = int(value)
    else:
        number = int(value)
    return number if -_INT_LIMIT < number < _INT_LIMIT else None


def _digit_run(text: str) -> bool:
    """Digits with single underscores between them (or nothing), as Python accepts."""
    return not text.startswith("_") and not text.endswith("_") and "__" not in text


def _truncate_decimal_text(text: str) -> int | None:
    """``[+-]digits[.digits][e[+-]digits]`` truncated toward zero, in linear time.

    None when ``text`` has another form or the result exceeds the digit bound.
    """
    match = _DECIMAL_TEXT.fullmatch(text)
    if match is None:
        return None
    sign, whole, fraction, exponent = match.groups()
    fraction = fraction or ""
    if not (whole or fraction) or not (_digit_run(whole) and _digit_run(fraction)):
        return None
    whole = whole.replace("_", "")
    mantissa = whole + fraction.replace("_", "")
    significant = mantissa.lstrip("0")
    if not significant:
        return 0
    # Position of the decimal point within ``significant``.
    point = len(whole) - (len(mantissa) - len(significant))
    if exponent is not None:
        if len(exponent.lstrip("+-").lstrip("0")) > 9:  # |exponent| of a billion or more
            return 0 if exponent.startswith("-") else None
        point += int(exponent)
    if point <= 0:
        return 0
    if point > _MAX_INT_DIGITS:
        return None
    magnitude = int(significant[:point].ljust(point, "0"))
    return -magnitude if sign == "-" else magnitude


@pure
def float_filter(value: Any, default: float = 0.0, strict: bool = False) -> float:
    """Convert to ``float``; failure returns ``default`` with a ``CoercionWarning``.

    ``strict=True`` raises ``ValueError`` instead.
    """
    try:
        return float(value.strip() if isinstance(value, str) else value)
    except _CONVERSION_ERRORS as exc:
        if strict:
            raise ValueError(f"Cannot convert {value!r} to float") from exc
        _coercion_warning(f"float: cannot convert {value!r}; using {default!r}")
        return default


def _number_or_passthrough(value: Any, strict: bool, filter_name: str) -> Decimal | None:
    """``value`` as ``Decimal``; ``None`` (after a ``CoercionWarning``) when invalid and lenient."""
    try:
        return _to_decimal(value)
    except ValueError:
        if strict:
            raise
        _coercion_warning(f"{filter_name}: {value!r} is not a number; returned unchanged")
        return None


def round_filter(
    value: Any, precision: int = 0, method: str = "common", *, strict: bool = False
) -> Any:
    """Round to ``precision`` decimals: ``common`` (half-up), ``ceil`` or ``floor``; a float.

    Numeric strings are accepted. Other values are returned unchanged with a
    ``CoercionWarning`` (``strict=True`` raises ``ValueError``).
    """
    if method not in _ROUNDING_MODES:
        raise ValueError(f"round method must be 'common', 'ceil' or 'floor', got {method!r}")
    number = _number_or_passthrough(value, strict, "round")
    if number is None:
        return value
    return float(_quantize(number, int(precision), _ROUNDING_MODES[method]))


def decimal(value: Any, places: int = 2, *, strict: bool = False) -> Any:
    """Fixed-point string with ``places`` decimals, half-up (``42`` → ``"42.00"``).

    Non-numeric input is returned unchanged with a ``CoercionWarning``
    (``strict=True`` raises ``ValueError``).
    """
    number = _number_or_passthrough(value, strict, "decimal")
    if number is None:
        return value
    return f"{_quantize(number, int(places)):f}"


def format_number(value: Any, decimal_places: int = 0, *, strict: bool = False) -> Any:
    """Thousands separators with ``decimal_places`` decimals (``1234.5, 2`` → ``"1,234.50"``).

    Invalid input is returned unchanged with a ``CoercionWarning``
    (``strict=True`` raises ``ValueError``).
    """
    number = _number_or_passthrough(value, strict, "format_number")
    if number is None:
        return value
    places = max(int(decimal_places), 0)
    return f"{_quantize(number, places):,.{places}f}"


def commas(value: Any) -> Any:
    """Thousands separators, no decimals (``format_number`` with 0 places)."""
    return format_number(value, 0)


def filesizeformat(value: Any, binary: bool = False) -> str:
    """Human-readable size: ``kB MB GB ...`` (powers of 1000) or ``KiB MiB ...`` (1024)."""
    size = float(value)
    base = 1024 if binary else 1000
    if abs(size) < base:
        count = int(size)
        return "1 Byte" if count == 1 else f"{count} Bytes"
    units = _BINARY_UNITS if binary else _DECIMAL_UNITS
    power = 1
    while power < len(units) and abs(size) >= base ** (power + 1):
        power += 1
    return f"{size / base**power:.1f} {units[power - 1]}"
