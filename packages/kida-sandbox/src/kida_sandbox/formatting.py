"""Safe string formatting: ``str.format`` fields walk the policy, widths are capped."""

from __future__ import annotations

import _string  # type: ignore[import-not-found]  # str.format's own field parser
import re
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kida_core.markup import Markup, escape

if TYPE_CHECKING:
    from kida_sandbox.guard import SandboxGuard

__all__ = ["SafeFormatter", "percent_only", "percent_sizes", "spec_sizes"]

#: ``[[fill]align][sign][z][#][0][width][grouping][.precision]`` of a format spec.
_SPEC_SIZES = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")
#: One ``%`` conversion: mapping key, flags, width, precision.
_PERCENT = re.compile(r"%(\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.DOTALL)

#: A ``%``-style conversion as the ``format`` filter recognises it.
_PERCENT_STYLE = re.compile(r"%(?:\(\w+\))?[-#0+]*\d*(?:\.\d+)?[sdiouxXeEfFgGcr]")
_FIELD = re.compile(r"\{[^{}]*\}")


def percent_only(pattern: str) -> bool:
    """True for a ``%``-style pattern without ``{}`` fields (the ``format`` filter refuses it)."""
    return _PERCENT_STYLE.search(pattern) is not None and _FIELD.search(pattern) is None


def spec_sizes(spec: str) -> tuple[int, int]:
    """``(width, precision)`` of a ``format()`` spec (0 when absent)."""
    match = _SPEC_SIZES.match(spec)
    if match is None:  # pragma: no cover - the pattern matches every string
        return 0, 0
    width, precision = match.groups()
    return int(width or 0), int(precision or 0)


def percent_sizes(template: str | bytes, args: Any) -> list[int]:
    """Every width and precision a ``template % args`` would use (``*`` read from ``args``)."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    positional = list(args) if isinstance(args, tuple) else [args]
    sizes: list[int] = []
    for match in _PERCENT.finditer(text):
        key, width, precision, conversion = match.groups()
        if conversion == "%":
            continue
        for part in (width, precision):
            if part == "*":
                value = positional.pop(0) if positional else 0
                sizes.append(abs(value) if isinstance(value, int) else 0)
            elif part:
                sizes.append(int(part))
        if key is None and positional:
            positional.pop(0)
    return sizes


class SafeFormatter(string.Formatter):
    """``str.format`` whose fields resolve ``.attr``/``[key]`` through the sandbox.

    ``escape=True`` gives ``Markup.format`` semantics: every substituted value is
    escaped unless it is safe (``__html_format__``/``__html__``).
    """

    def __init__(self, guard: SandboxGuard, *, escape: bool = False) -> None:
        super().__init__()
        self._guard = guard
        self._escape = escape

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

    def format_field(self, value: Any, format_spec: str) -> str:
        self._guard.check_sizes(spec_sizes(format_spec), "format width/precision")
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

    def render(self, pattern: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> str:
        """``pattern.format(*args, **kwargs)``, kept as Markup when escaping."""
        result = self.vformat(pattern, args, kwargs)
        return Markup(result) if self._escape else result
