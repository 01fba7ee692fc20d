"""Sandboxed replacements for the built-in filters that format, call or allocate by argument."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kida_core.decorators import pass_environment
from kida_core.filters import DEFAULT_FILTERS
from kida_sandbox.guard import SandboxGuard

__all__ = ["sandboxed_filters"]

Filter = Callable[..., Any]


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str) -> Any:
    """Argument ``name`` of a filter call, given positionally at ``index`` or by keyword."""
    return args[index] if len(args) > index else kwargs.get(name)


def sandboxed_filters(guard: SandboxGuard) -> dict[str, Filter]:
    """The filters a sandboxed environment registers over the built-in ones."""
    core = DEFAULT_FILTERS

    @pass_environment
    def map(env: Any, value: Any, *args: Any, attribute: str | int | None = None) -> list[Any]:
        """``map``; the ``map("method", ...)`` form calls through the call policy."""
        if attribute is None and args and isinstance(value, Iterable):
            method, *rest = args
            return [guard.call(env.getattr(item, method), *rest) for item in guard.iterate(value)]
        return core["map"](env, value, *args, attribute=attribute)  # type: ignore[no-any-return]

    def sized(name: str, index: int, param: str) -> Filter:
        def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
            size = _arg(args, kwargs, index, param)
            if isinstance(size, int):
                guard.check_sizes([size], f"{name} filter {param}")
            return core[name](value, *args, **kwargs)

        checked.__name__ = checked.__qualname__ = name
        return checked

    def indent(value: Any, *args: Any, **kwargs: Any) -> str:
        """``indent`` refusing results over ``max_sequence_length``."""
        width = _arg(args, kwargs, 0, "width")
        width = 4 if width is None else width
        unit = width if isinstance(width, int) else len(str(width))
        guard.check_sizes([unit], "indent filter width")
        guard.check_estimate(len(str(value)) + unit * (str(value).count("\n") + 1))
        return core["indent"](value, *args, **kwargs)  # type: ignore[no-any-return]

    @pass_environment
    def join(env: Any, value: Any, *args: Any, **kwargs: Any) -> str:
        """``join`` refusing results over ``max_sequence_length``."""
        separator = _arg(args, kwargs, 0, "separator")
        if separator and hasattr(value, "__len__"):
            guard.check_estimate(len(str(separator)) * len(value))
        return guard.check_length(core["join"](env, value, *args, **kwargs))  # type: ignore[no-any-return]

    def replace(value: Any, old: Any, new: Any, *args: Any, **kwargs: Any) -> str:
        """``replace`` refusing results over ``max_sequence_length``."""
        text, old_text, new_text = str(value), str(old), str(new)
        hits = text.count(old_text) if old_text else len(text) + 1
        guard.check_estimate(len(text) + hits * max(len(new_text) - len(old_text), 0))
        return core["replace"](value, old, new, *args, **kwargs)  # type: ignore[no-any-return]

    return {
        "format": guard.format_filter,
        "map": map,
        "indent": indent,
        "join": join,
        "replace": replace,
        "center": sized("center", 0, "width"),
        "batch": sized("batch", 0, "linecount"),
        "slice": sized("slice", 0, "slices"),
        "decimal": sized("decimal", 0, "places"),
        "format_number": sized("format_number", 0, "decimal_places"),
        "tojson": sized("tojson", 0, "indent"),
    }
