"""What a sandboxed template may touch: :class:`SandboxPolicy` and the built-in rules."""

from __future__ import annotations

import bisect
import builtins
import functools
import heapq
import itertools
import operator
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from kida_core.runtime.trust import trusted

__all__ = [
    "ALWAYS_ALLOWED_METHODS",
    "BLOCKED_NAMES",
    "BLOCKED_TYPES",
    "DEFAULT_POLICY",
    "MUTATING_METHODS",
    "NEVER_RETURNED",
    "REFLECTION_CALLABLES",
    "SAFE_CONSTRUCTORS",
    "TYPE_ALIASES",
    "UNBOUND_METHODS",
    "UNCHECKED_CALLERS",
    "UNSAFE_MARKERS",
    "SandboxPolicy",
    "never_callable",
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

#: One value of each kind of ``typing`` alias: their classes are the alias types.
_TYPING_FORMS: tuple[Any, ...] = (
    typing.List,  # noqa: UP006
    typing.List[int],  # noqa: UP006
    typing.Union,
    typing.Union[int, str],  # noqa: UP007
    typing.Callable[[], int],
    typing.Literal[0],
    typing.Annotated[int, 0],
)

TYPE_ALIASES: tuple[type, ...] = tuple(
    dict.fromkeys([  # distinct, in a stable order
        types.GenericAlias,  # list[int], and list[0] reached through a subscript
        types.UnionType,  # int | str
        *(type(form) for form in _TYPING_FORMS),
        typing.TypeVar, typing.ParamSpec, typing.TypeVarTuple, typing.ForwardRef,
    ])
)  # fmt: skip
"""Generic aliases and typing forms: they forward attribute access to the class they alias."""

UNBOUND_METHODS: tuple[type, ...] = (
    types.MethodDescriptorType,  # list.append
    types.WrapperDescriptorType,  # object.__init__
    types.ClassMethodDescriptorType,  # dict.__dict__["fromkeys"]
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
    property,
    staticmethod,
    classmethod,
)
"""Methods and descriptors taken from a class: calling one acts on any receiver passed in."""

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
    types.MethodWrapperType,
    *TYPE_ALIASES,
    *UNBOUND_METHODS,
    super,
    functools.partial,
    operator.attrgetter,
    operator.itemgetter,
    operator.methodcaller,
)
"""Receivers whose attributes and items are never readable (K-SEC-002)."""

NEVER_RETURNED: tuple[type, ...] = (type, *TYPE_ALIASES, *UNBOUND_METHODS)
"""Values a lookup or call never hands to a template (K-SEC-002): classes, aliases of
classes and unbound methods (methods bound to a class are refused too)."""

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

UNCHECKED_CALLERS: frozenset[Any] = frozenset(
    {
        builtins.map, builtins.filter, builtins.sorted, builtins.min, builtins.max,
        builtins.iter, functools.reduce, functools.partial, functools.cmp_to_key,
        itertools.starmap, itertools.filterfalse, itertools.takewhile, itertools.dropwhile,
        itertools.accumulate, itertools.groupby, heapq.nsmallest, heapq.nlargest,
        heapq.merge, bisect.bisect_left, bisect.bisect_right, bisect.insort_left,
        bisect.insort_right, operator.call,
    }
)  # fmt: skip
"""Helpers that call a function they are given: a template calling one could make it call
an unchecked callable. Never callable (K-SEC-004); the sandbox's ``map``, ``filter``,
``sorted``, ``min`` and ``max`` globals are checking versions."""

UNSAFE_MARKERS: tuple[str, ...] = ("unsafe_callable", "alters_data")
"""Attributes that, set truthy on a function, method or callable, forbid calling it."""

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
        forbidden = [f for f in self.safe_callables if never_callable(f, self.allow_import)]
        if forbidden:
            raise ValueError(
                f"reflection callables and helpers that call their arguments "
                f"cannot be marked safe: {forbidden!r}"
            )

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


DEFAULT_POLICY: SandboxPolicy = SandboxPolicy()
"""The policy a :class:`~kida_sandbox.SandboxedEnvironment` enforces when given none."""


#: Why each never-callable object is refused, by identity: hashing never runs a callee's
#: ``__hash__`` or fails on an unhashable one, and the sets above keep the ids alive.
_NEVER_CALLABLE: dict[int, str] = {
    **{id(f): "it calls its arguments without the sandbox's checks" for f in UNCHECKED_CALLERS},
    **{id(f): "reflection is never allowed" for f in REFLECTION_CALLABLES},
    id(trusted): "it marks callables as trusted",
}


def never_callable(func: object, allow_import: bool) -> str | None:
    """Why ``func`` must never be called from a template (``None`` when it may be)."""
    why = _NEVER_CALLABLE.get(id(func))
    if why is None or (allow_import and func is builtins.__import__):
        return None
    return why
