"""Safe string formatting: ``str.format`` fields walk the policy, sizes are checked first."""

from __future__ import annotations

import _string  # type: ignore[import-not-found]  # str.format's own field parser
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kida_core.markup import Markup, escape
from kida_sandbox.sizes import REPR, STR

if TYPE_CHECKING:
    from kida_sandbox.guard import SandboxGuard

__all__ = ["SafeFormatter", "has_fields", "percent_plan", "safe_format", "spec_sizes"]

#: ``[[fill]align][sign][z][#][0][width][grouping][.precision]`` of a format spec; the
#: fill may be any character, a newline included.
_SPEC_SIZES = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?", re.DOTALL)
#: Decimal presentation types that write every digit of the number out.
_FIXED_POINT = frozenset("fF%")
#: ``%`` conversions that turn their argument into text (the others print a number).
_TEXT_CONVERSIONS = {"s": STR, "r": REPR, "a": REPR}
#: Longest ``%f`` of a float before its decimals (``1e308`` has 309 digits).
_FIXED_FLOAT_SIZE = 312

_FIELD = re.compile(r"\{[^{}]*\}")


def has_fields(pattern: str) -> bool:
    """True for a pattern with ``{}`` fields (the ``format`` filter then uses ``str.format``)."""
    return _FIELD.search(pattern) is not None


def spec_sizes(spec: str) -> tuple[int, int]:
    """``(width, precision)`` of a ``format()`` spec (0 when absent)."""
    match = _SPEC_SIZES.match(spec)
    if match is None:  # pragma: no cover - the pattern matches every string
        return 0, 0
    width, precision = match.groups()
    return int(width or 0), int(precision or 0)


def _digits(text: str, index: int) -> tuple[str, int]:
    """The run of ASCII digits at ``text[index:]`` and the index after it."""
    end = index
    while end < len(text) and "0" <= text[end] <= "9":
        end += 1
    return text[index:end], end


def _percent_fields(text: str) -> Iterator[tuple[str | None, str, str, str]]:
    """``(key, width, precision, conversion)`` of each ``%`` conversion, parsed as Python does.

    A mapping key runs to its balanced closing parenthesis (``%(a(b)c)s`` has key
    ``a(b)c``); ``width``/``precision`` are digits, ``*`` or empty. Parsing stops
    where Python's would raise.
    """
    index, end = 0, len(text)
    while True:
        index = text.find("%", index) + 1
        if index == 0 or index >= end:
            return
        key = None
        if text[index] == "(":
            depth, start = 1, index + 1
            index = start
            while depth and index < end:
                depth += {"(": 1, ")": -1}.get(text[index], 0)
                index += 1
            if depth:
                return
            key = text[start : index - 1]
        while index < end and text[index] in "-+ #0":
            index += 1
        if index < end and text[index] == "*":
            width, index = "*", index + 1
        else:
            width, index = _digits(text, index)
        precision = ""
        if index < end and text[index] == ".":
            if index + 1 < end and text[index + 1] == "*":
                precision, index = "*", index + 2
            else:
                precision, index = _digits(text, index + 1)
        if index < end and text[index] in "hlL":
            index += 1
        if index >= end:
            return
        yield key, width, precision, text[index]
        index += 1


def _number_size(value: Any, conversion: str) -> int:
    """Upper bound of the characters a numeric ``%`` conversion prints, precision aside."""
    if isinstance(value, int):
        return value.bit_length() // 3 + 2  # octal has the most digits
    if conversion in "fF":
        return _FIXED_FLOAT_SIZE
    return 32


def percent_plan(template: str | bytes, args: Any) -> tuple[list[int], list[tuple[Any, int]], int]:
    """What ``template % args`` would use: every width and precision (``*`` read from
    ``args``), each ``(value, mode)`` it converts to text with ``%s``/``%r``/``%a``, and
    an upper bound of the characters its numeric conversions print."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    positional = list(args) if isinstance(args, tuple) else [args]
    sizes: list[int] = []
    texts: list[tuple[Any, int]] = []
    numbers = 0
    for key, width, precision, conversion in _percent_fields(text):
        if conversion == "%":
            continue
        for part in (width, precision):
            if part == "*":
                value = positional.pop(0) if positional else 0
                sizes.append(abs(value) if isinstance(value, int) else 0)
            elif part:
                sizes.append(int(part))
        if key is not None:
            value = args.get(key) if isinstance(args, Mapping) else None
        else:
            value = positional.pop(0) if positional else None
        if conversion in _TEXT_CONVERSIONS:
            texts.append((value, _TEXT_CONVERSIONS[conversion]))
        else:
            numbers += _number_size(value, conversion)
    return sizes, texts, numbers


class SafeFormatter(string.Formatter):
    """One ``str.format`` call whose fields resolve ``.attr``/``[key]`` through the sandbox.

    Before a field is converted, its width and precision and the size of the value
    as text are checked; the characters produced so far are counted, so a pattern
    that repeats a large argument stops at the limit. ``escape=True`` gives
    ``Markup.format`` semantics: every substituted value is escaped unless it is
    safe (``__html_format__``/``__html__``). Use a new instance per call.
    """

    def __init__(self, guard: SandboxGuard, *, escape: bool = False) -> None:
        super().__init__()
        self._guard = guard
        self._escape = escape
        self._produced = 0

    def get_field(
        self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> tuple[Any, str]:
        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            if is_attr:
                obj = self._guard.getattr_strict(obj, key)
            else:
                obj = self._guard.getitem_strict(obj, key)
        return obj, str(first)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            self._guard.check_text(value, "format field", REPR if conversion in "ra" else STR)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        guard = self._guard
        width, precision = spec_sizes(format_spec)
        guard.check_sizes((width, precision), "format width/precision")
        if isinstance(value, Decimal) and format_spec[-1:] in _FIXED_POINT:
            # Leading digits of a large number, or leading zeros of a tiny one.
            digits = abs(value.adjusted()) + precision if value.is_finite() else 0
            guard.check_sizes((digits,), "formatted Decimal")
        guard.check_text(value, "format field")
        result = self._field_text(value, format_spec)
        self._produced += len(result)
        guard.check_total(self._produced, "formatted string")
        return result

    def _field_text(self, value: Any, format_spec: str) -> str:
        if not self._escape:
            return format(value, format_spec)
        html_format = getattr(value, "__html_format__", None)
        if html_format is not None:
            return str(html_format(format_spec))
        html = getattr(value, "__html__", None)
        if html is not None:
            if format_spec:
                raise ValueError(
                    f"cannot apply format spec {format_spec!r} to {type(value).__name__}: "
                    "it defines __html__ but not __html_format__"
                )
            return str(html())
        return str(escape(format(value, format_spec)))


def safe_format(
    guard: SandboxGuard,
    pattern: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    *,
    escape: bool = False,
) -> str:
    """``pattern.format(*args, **kwargs)`` under the sandbox, kept as Markup when escaping."""
    result = SafeFormatter(guard, escape=escape).vformat(pattern, args, kwargs)
    return Markup(result) if escape else result
