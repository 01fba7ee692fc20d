"""Built-in template globals (``range``, ``dict``, ``namespace``, ``hx_*`` helpers, ...)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kida_core.errors import ErrorCode, TemplateRuntimeError
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


class Namespace:
    """``namespace(mapping, **attrs)``: an object whose attributes ``{% set ns.attr = v %}`` writes.

    Every attribute lookup on an instance reads the stored values, so no method
    of the class can shadow one. Templates write only through
    ``Namespace.set_attribute(ns, name, value)``, called on the class (the one
    attribute write templates can do).
    """

    __slots__ = ("__attrs",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "_Namespace__attrs", dict(*args, **kwargs))

    def __getattribute__(self, name: str) -> Any:
        if name in _NAMESPACE_INTERNALS:
            return object.__getattribute__(self, name)
        try:
            return object.__getattribute__(self, "_Namespace__attrs")[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("namespace attributes are set with {% set ns.attr = value %}")

    def set_attribute(self, name: str, value: Any) -> None:
        """Store ``value`` as attribute ``name`` (``{% set ns.name = value %}``)."""
        object.__getattribute__(self, "_Namespace__attrs")[name] = value

    def __dir__(self) -> list[str]:
        return list(object.__getattribute__(self, "_Namespace__attrs"))

    def __reduce__(self) -> tuple[type[Namespace], tuple[dict[str, Any]]]:
        return Namespace, (dict(object.__getattribute__(self, "_Namespace__attrs")),)

    def __repr__(self) -> str:
        return f"<Namespace {object.__getattribute__(self, '_Namespace__attrs')!r}>"


#: Names :class:`Namespace` resolves as a Python object, not as stored attributes.
_NAMESPACE_INTERNALS = frozenset({"__class__", "_Namespace__attrs", "__reduce__", "__reduce_ex__"})


class Cycler:
    """``cycler(*items)``: ``next()`` returns the items in turn, starting over after the last."""

    __slots__ = ("items", "pos")

    def __init__(self, *items: Any) -> None:
        if not items:
            raise TemplateRuntimeError(
                "cycler() needs at least one item",
                suggestion='Pass the values to cycle through: cycler("odd", "even").',
                code=ErrorCode.RUNTIME_ERROR,
            )
        self.items = items
        self.pos = 0

    @property
    def current(self) -> Any:
        """The item the next call of :meth:`next` returns."""
        return self.items[self.pos]

    def next(self) -> Any:
        """The current item; moves on to the next one."""
        value = self.items[self.pos]
        self.pos = (self.pos + 1) % len(self.items)
        return value

    def reset(self) -> None:
        """Start over at the first item."""
        self.pos = 0

    def __next__(self) -> Any:
        return self.next()

    def __iter__(self) -> Iterator[Any]:
        return self


class Joiner:
    """``joiner(sep=", ")``: calling it returns ``""`` the first time, then ``sep``.

    Instances are marked trusted (see ``kida_core.runtime.trust``), so a runtime
    guard lets templates call them.
    """

    def __init__(self, sep: str = ", ") -> None:
        self.sep = sep
        self.used = False
        setattr(self, _TRUSTED_MARK, True)

    def __call__(self) -> str:
        if not self.used:
            self.used = True
            return ""
        return self.sep


#: The trust mark of ``kida_core.runtime.trust`` (a layer above this module).
_TRUSTED_MARK = "__kida_trusted__"


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


JINJA2_GLOBALS: dict[str, Any] = {"namespace": Namespace, "cycler": Cycler, "joiner": Joiner}

HTMX_GLOBALS: dict[str, Any] = {
    "hx_request": hx_request,
    "hx_target": hx_target,
    "hx_trigger": hx_trigger,
    "hx_boosted": hx_boosted,
    "csrf_token": csrf_token,
}


def default_globals(*, htmx: bool) -> dict[str, Any]:
    """The globals every Environment starts with."""
    result: dict[str, Any] = {**PYTHON_BUILTINS, **JINJA2_GLOBALS, "consume": consume}
    if htmx:
        result.update(HTMX_GLOBALS)
    return result
