"""Built-in template globals (``range``, ``dict``, ``hx_*`` helpers, ...)."""

from __future__ import annotations

from typing import Any

from kida_core.render_context import get_render_context

PYTHON_BUILTINS: dict[str, Any] = {
    "range": range,
    "dict": dict,
    "list": list,
    "set": set,
    "tuple": tuple,
    "len": len,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "abs": abs,
    "min": min,
    "max": max,
    "sum": sum,
    "sorted": sorted,
    "reversed": reversed,
    "enumerate": enumerate,
    "zip": zip,
    "map": map,
    "filter": filter,
}


def consume(key: str, default: Any = None) -> Any:
    """The innermost value provided for ``key`` in this render, or ``default``."""
    ctx = get_render_context()
    return default if ctx is None else ctx.consume(key, default)


def _meta(key: str, default: Any = None) -> Any:
    ctx = get_render_context()
    return default if ctx is None else ctx.get_meta(key, default)


def hx_request() -> bool:
    """True when the render was marked as an HTMX request (meta ``hx_request``)."""
    return bool(_meta("hx_request", False))


def hx_target() -> str | None:
    """The HTMX target id of the request (meta ``hx_target``)."""
    return _meta("hx_target")  # type: ignore[no-any-return]


def hx_trigger() -> str | None:
    """The id of the element that triggered the request (meta ``hx_trigger``)."""
    return _meta("hx_trigger")  # type: ignore[no-any-return]


def hx_boosted() -> bool:
    """True for a boosted HTMX request (meta ``hx_boosted``)."""
    return bool(_meta("hx_boosted", False))


def csrf_token() -> str:
    """The CSRF token a framework stored in meta ``csrf_token`` ("" when none)."""
    return str(_meta("csrf_token", "") or "")


HTMX_GLOBALS: dict[str, Any] = {
    "hx_request": hx_request,
    "hx_target": hx_target,
    "hx_trigger": hx_trigger,
    "hx_boosted": hx_boosted,
    "csrf_token": csrf_token,
}


def default_globals(*, htmx: bool) -> dict[str, Any]:
    """The globals every Environment starts with."""
    result: dict[str, Any] = {**PYTHON_BUILTINS, "consume": consume}
    if htmx:
        result.update(HTMX_GLOBALS)
    return result
