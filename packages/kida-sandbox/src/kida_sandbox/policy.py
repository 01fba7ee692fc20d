"""What a sandboxed template may touch: :class:`SandboxPolicy` and the built-in rules."""

from __future__ import annotations

import builtins
import functools
import operator
import types
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "ALWAYS_ALLOWED_METHODS",
    "BLOCKED_NAMES",
    "BLOCKED_TYPES",
    "MUTATING_METHODS",
    "REFLECTION_CALLABLES",
    "SAFE_CONSTRUCTORS",
    "SandboxPolicy",
]

BLOCKED_NAMES: frozenset[str] = frozenset(
    {
        # type / class walking
        "mro", "subclasses",
        # generators, coroutines, async generators
        "gi_frame", "gi_code", "gi_yieldfrom", "gi_running", "gi_suspended",
        "cr_frame", "cr_code", "cr_await", "cr_origin", "cr_running", "cr_suspended",
        "ag_frame", "ag_code", "ag_await", "ag_running", "ag_suspended",
        # frames and tracebacks
        "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "f_trace", "f_lasti",
        "tb_frame", "tb_next", "tb_lasti",
        # code objects
        "co_code", "co_consts", "co_names", "co_varnames", "co_filename",
        # closures and legacy function/method internals
        "cell_contents", "func_globals", "func_code", "func_closure", "func_defaults",
        "func_dict", "im_func", "im_self", "im_class",
    }
)  # fmt: skip
"""Non-underscore attribute names that are never readable (every ``_name`` is blocked too)."""

MUTATING_METHODS: frozenset[str] = frozenset(
    {
        "append", "extend", "insert", "pop", "remove", "sort", "reverse", "clear",
        "update", "add", "discard", "setdefault", "popitem",
        "difference_update", "intersection_update", "symmetric_difference_update",
        "appendleft", "extendleft", "popleft", "rotate",
    }
)  # fmt: skip
"""Methods of built-in mutable containers refused unless ``allow_mutating_methods``."""

ALWAYS_ALLOWED_METHODS: frozenset[str] = frozenset(
    {
        "items", "keys", "values", "get", "copy", "count", "index",
        "union", "intersection", "difference", "issubset", "issuperset",
        "symmetric_difference", "startswith", "endswith", "strip", "lstrip", "rstrip",
        "split", "rsplit", "join", "replace", "lower", "upper", "title", "capitalize",
        "format", "encode", "decode", "find", "rfind", "removeprefix", "removesuffix",
    }
)  # fmt: skip
"""Read-only collection and string methods readable even under ``allowed_attributes``."""

BLOCKED_TYPES: tuple[type, ...] = (
    types.ModuleType,
    type,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    types.FrameType,
    types.TracebackType,
    types.GeneratorType,
    types.CoroutineType,
    types.AsyncGeneratorType,
    types.CellType,
    types.MappingProxyType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.MethodWrapperType,
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
    types.ClassMethodDescriptorType,
    property,
    staticmethod,
    classmethod,
    super,
    functools.partial,
    operator.attrgetter,
    operator.itemgetter,
    operator.methodcaller,
)
"""Receivers whose attributes and items are never readable (K-SEC-002)."""

REFLECTION_CALLABLES: frozenset[Any] = frozenset(
    {
        builtins.getattr, builtins.setattr, builtins.delattr, builtins.hasattr,
        builtins.eval, builtins.exec, builtins.compile, builtins.open,
        builtins.__import__, builtins.globals, builtins.locals, builtins.vars,
        builtins.dir, builtins.type, builtins.object, builtins.super, builtins.input,
        builtins.breakpoint, builtins.memoryview, builtins.classmethod,
        builtins.staticmethod, builtins.property, operator.attrgetter,
        operator.methodcaller,
    }
)  # fmt: skip
"""Callables that are never callable from a template, wherever they come from (K-SEC-004)."""

SAFE_CONSTRUCTORS: frozenset[type] = frozenset(
    {dict, list, tuple, set, frozenset, str, int, float, bool}
)
"""Built-in types a template may call to build a value."""


@dataclass(frozen=True, slots=True)
class SandboxPolicy:
    """The rules a :class:`~kida_sandbox.SandboxedEnvironment` enforces at render time.

    Size limits raise ``K-SEC-003`` (RANGE_LIMIT). Widen a policy with
    :meth:`allowing_methods` and :meth:`allowing_callables`, which return a new policy.
    """

    #: If set, only these attribute names (plus :data:`ALWAYS_ALLOWED_METHODS`) are readable.
    allowed_attributes: frozenset[str] | None = None
    #: Names refused on top of :data:`BLOCKED_NAMES` and every ``_``-prefixed name.
    blocked_attributes: frozenset[str] = frozenset()
    #: Receiver types refused on top of :data:`BLOCKED_TYPES` (``isinstance`` match).
    blocked_types: frozenset[type] = frozenset()
    #: Let ``__import__`` be called when a host hands it to templates (modules stay opaque).
    allow_import: bool = False
    #: Allow :data:`MUTATING_METHODS` on lists, dicts, sets, bytearrays and deques.
    allow_mutating_methods: bool = False
    #: If set, only callables whose ``type(f).__name__`` is listed may be called (this
    #: replaces the default trust rules; reflection callables stay blocked).
    allow_calling: frozenset[str] | None = None
    #: Let the ``match`` test compile patterns the template supplies (a pattern such as
    #: ``(a+)+b`` can backtrack for minutes; refused with K-SEC-004 otherwise).
    allow_regex: bool = False
    #: Maximum characters one render (or stream) may produce (K-SEC-005).
    max_output_size: int | None = None
    #: Maximum length of ``range()`` and ``a..b``.
    max_range: int = 10_000
    #: Maximum length of ``seq * n``, and of any width/precision in ``%``/``format``
    #: formatting, ``ljust``/``rjust``/``center``/``zfill``, the size arguments of the
    #: ``center``/``indent``/``batch``/``slice``/``tojson`` filters and the digits
    #: ``round``/``decimal``/``format_number`` write.
    max_repetition: int = 100_000
    #: Maximum number of decimal digits an integer ``*`` or ``**`` may produce.
    max_int_digits: int = 4_300
    #: Maximum iterations of one ``for`` loop, comprehension or ``while`` loop.
    max_loop_iterations: int = 100_000
    #: Maximum length of a str/bytes/list/tuple built by ``~``, ``+``, ``%``, ``format``,
    #: ``sum`` or a growing method (``replace``, ``join``, ``expandtabs``, ``translate``,
    #: ``to_bytes``), and of any value converted to text (with ``max_output_size``
    #: when that is smaller).
    max_sequence_length: int = 1_000_000
    #: ``(class, name)`` pairs readable on instances of ``class`` despite the rules above.
    allowed_methods: frozenset[tuple[type, str]] = frozenset()
    #: Callables a template may call although they come from the context.
    safe_callables: frozenset[Callable[..., Any]] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        for cls, name in self.allowed_methods:
            if not isinstance(cls, type) or (name.startswith("__") and name.endswith("__")):
                raise ValueError(f"cannot allow {name!r} on {cls!r}: dunders stay blocked")
        forbidden = [f for f in self.safe_callables if _is_reflection(f, self.allow_import)]
        if forbidden:
            raise ValueError(f"reflection callables cannot be marked safe: {forbidden!r}")

    def allowing_methods(self, cls: type, *names: str) -> SandboxPolicy:
        """A copy that also lets templates read (and call) ``names`` on instances of ``cls``.

        Use it for mutating methods (``allowing_methods(list, "append")``), names
        outside ``allowed_attributes`` or a ``_private`` attribute; dunders are refused.
        """
        pairs = frozenset((cls, name) for name in names)
        return replace(self, allowed_methods=self.allowed_methods | pairs)

    def allowing_callables(self, *funcs: Callable[..., Any]) -> SandboxPolicy:
        """A copy that lets templates call ``funcs`` (functions or classes) from the context."""
        return replace(self, safe_callables=self.safe_callables | frozenset(funcs))


def _is_reflection(func: object, allow_import: bool) -> bool:
    """True for a callable that must never be called from a template."""
    try:
        blocked = func in REFLECTION_CALLABLES
    except TypeError:  # unhashable callable
        return False
    return blocked and not (allow_import and func is builtins.__import__)
