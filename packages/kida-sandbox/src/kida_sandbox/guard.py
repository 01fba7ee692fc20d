"""The runtime guard: checking versions of the helpers generated code calls.

:class:`SandboxGuard` is the ``runtime_guard`` of a :class:`~kida_sandbox.SandboxedEnvironment`:
it has every hook of ``kida_core.protocols.RuntimeGuardHooks``, and core installs them
in each template's namespace.
"""

from __future__ import annotations

import builtins
import collections
import types
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from itertools import chain, islice, repeat
from typing import TYPE_CHECKING, Any, NoReturn

from kida_core.errors import ErrorCode, SecurityError
from kida_core.markup import Markup
from kida_core.runtime import lookup
from kida_core.runtime.output import add, concat
from kida_core.runtime.trust import TEMPLATE_MARK, is_trusted
from kida_core.undefined import UNDEFINED, Undefined
from kida_sandbox.errors import describe
from kida_sandbox.formatting import has_fields, percent_plan, safe_format
from kida_sandbox.policy import (
    ALWAYS_ALLOWED_METHODS,
    BLOCKED_NAMES,
    BLOCKED_TYPES,
    MUTATING_METHODS,
    NEVER_RETURNED,
    SAFE_CONSTRUCTORS,
    UNSAFE_MARKERS,
    SandboxPolicy,
    never_callable,
)
from kida_sandbox.sizes import STR, decimal_exponent, text_size

if TYPE_CHECKING:
    from kida_core.environment import Environment

__all__ = ["GuardedMethod", "SandboxGuard"]

_MISS: Any = UNDEFINED
_FunctionType = types.FunctionType
_MethodType = types.MethodType
_BuiltinType = types.BuiltinFunctionType
_ModuleType = types.ModuleType
#: Bound methods, refused as lookup or call results when bound to a class.
_BOUND = (_BuiltinType, _MethodType)
_BOUND_SET = frozenset(_BOUND)
_MUTABLE = (list, dict, set, bytearray, collections.deque)
#: Receivers whose growing methods are wrapped (``int`` for ``to_bytes``).
_GROWING = (str, bytes, bytearray, int)
#: Mutating methods (when allowed) that can double a container per call (``a.extend(a)``).
_EXTENDS = frozenset({"extend", "extendleft"})
_SEQUENCES = (str, bytes, bytearray, list, tuple)
#: Containers that cannot grow while a loop iterates them (lists can when mutation is on).
_FIXED_SIZE = frozenset(
    {tuple, dict, str, Markup, bytes, range, set, frozenset, type({}.keys()),
     type({}.values()), type({}.items())}
)  # fmt: skip
_LOG2_10 = 3.321928094887362
_LOG10_2 = 0.30102999566398120
_PLAIN, _DICT, _UNDEF, _BLOCKED = range(1, 5)  # truthy: ``kinds.get(cls) or ...``
_MAX_PLAIN_NAMES = 4096
_MUTATES, _GROWS = "mutates", "grows"
#: Mutating container methods, and string methods whose result can dwarf their receiver.
_SPECIAL_NAMES: dict[str, str] = {
    **dict.fromkeys(MUTATING_METHODS, _MUTATES),
    **dict.fromkeys(
        ("format", "format_map", "ljust", "rjust", "center", "zfill", "expandtabs", "replace",
         "join", "translate", "to_bytes"),
        _GROWS,
    ),
}  # fmt: skip


class GuardedMethod:
    """A bound string method wrapped with a size or formatting check (trusted to call)."""

    __slots__ = ("_call", "_name")

    def __init__(self, name: str, call: Callable[..., Any]) -> None:
        self._name = name
        self._call = call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<sandboxed method {self._name}>"


class SandboxGuard:
    """Enforces a :class:`SandboxPolicy` for one environment."""

    def __init__(self, env: Environment, policy: SandboxPolicy) -> None:
        self._env = env
        self.policy = policy
        self._blocked_names = BLOCKED_NAMES | policy.blocked_attributes
        self._blocked_types: tuple[type, ...] = (
            *BLOCKED_TYPES,
            GuardedMethod,
            *policy.blocked_types,
        )
        self._kinds: dict[type, int] = {}
        #: Types of values a lookup or call may hand to the template unexamined (hot path).
        self._plain_results: set[type] = set()
        #: Names already known to need no check beyond the receiver type (hot path).
        self._plain_names: set[str] = set()
        #: Value types that are never a callable worth checking when passed as an argument.
        self._plain = frozenset(
            t
            for t in (dict, list, tuple, str, int, float, bool, Markup)
            if not issubclass(t, self._blocked_types)
        )
        #: Owners whose built-in methods never call an argument (``list.sort`` takes ``key``).
        self._no_callback = self._plain - {list}
        self._allowlist = (
            None
            if policy.allowed_attributes is None
            else policy.allowed_attributes | ALWAYS_ALLOWED_METHODS
        )
        self._explicit: dict[str, tuple[type, ...]] = {}
        for cls, name in policy.allowed_methods:
            self._explicit[name] = (*self._explicit.get(name, ()), cls)
        self._fixed_size = _FIXED_SIZE if policy.allow_mutating_methods else _FIXED_SIZE | {list}
        self._max_int_bits = int(policy.max_int_digits * _LOG2_10)
        self._globals_snapshot: object = None
        self._global_ids: frozenset[int] = frozenset()
        # The lookup and call hooks are closures over the hot state (see _make_getattr).
        self.getattr_strict = self._make_getattr(strict=True)
        self.getattr = self._make_getattr(strict=False)
        self.getitem_strict = self._make_getitem(strict=True)
        self.getitem = self._make_getitem(strict=False)
        self.call = self._make_call()
        #: Converting a container to text is refused past this many characters.
        self._text_limit, self._text_limit_field = policy.max_sequence_length, "max_sequence_length"
        if policy.max_output_size is not None and policy.max_output_size < self._text_limit:
            self._text_limit, self._text_limit_field = policy.max_output_size, "max_output_size"

    # -- RuntimeGuard ----------------------------------------------------------------

    @property
    def max_output_size(self) -> int | None:
        """Maximum characters per render and per buffer in it (``None``: unlimited)."""
        return self.policy.max_output_size

    @property
    def redact_errors(self) -> bool:
        """Always: a ``{% fallback %}`` message must not quote template source to its author."""
        return True

    # -- errors ------------------------------------------------------------------------

    def _blocked_attribute(self, obj: Any, name: object, why: str) -> NoReturn:
        raise SecurityError(
            f"Access to attribute {name!r} of {describe(obj)} is blocked ({why})",
            code=ErrorCode.BLOCKED_ATTRIBUTE,
            suggestion="Pass the value you need in the context instead of reaching for it, "
            "or widen the policy with SandboxPolicy.allowing_methods(cls, name).",
        )

    def _blocked_type(self, obj: Any, name: object) -> NoReturn:
        raise SecurityError(
            f"Access to {name!r} on {describe(obj)} is blocked: "
            f"{type(obj).__name__} objects are opaque in the sandbox",
            code=ErrorCode.BLOCKED_TYPE,
            suggestion="Modules, classes, functions, frames, code and generator objects "
            "cannot be inspected from a sandboxed template.",
        )

    def _blocked_call(
        self,
        func: Any,
        why: str,
        suggestion: str = "Register it as a global or filter, or mark it safe with "
        "SandboxPolicy.allowing_callables(func).",
    ) -> NoReturn:
        raise SecurityError(
            f"Calling {describe(func) if not callable(func) else _callable_name(func)} "
            f"is blocked ({why})",
            code=ErrorCode.BLOCKED_CALLABLE,
            suggestion=suggestion,
        )

    def _opaque_value(self, value: Any, source: Any, key: object, *, called: bool) -> NoReturn:
        what = (
            f"Calling {_callable_name(source)}"
            if called
            else f"Looking up {key!r} on {describe(source)}"
        )
        raise SecurityError(
            f"{what} gave {describe(value)} ({value!r}): classes, generic aliases, unbound "
            "methods and methods bound to a class are never handed to a sandboxed template",
            code=ErrorCode.BLOCKED_TYPE,
            suggestion="Pass the values the template needs, not the classes or methods "
            "that make them.",
        )

    def _limit(self, what: str, size: int | str, limit: int, field: str) -> NoReturn:
        raise SecurityError(
            f"{what} of size {size} exceeds the sandbox limit of {limit} (SandboxPolicy.{field})",
            code=ErrorCode.RANGE_LIMIT,
            suggestion=f"Use smaller values, or raise SandboxPolicy.{field}.",
        )

    # -- attributes and items -----------------------------------------------------------

    def _kind(self, cls: type) -> int:
        """How receivers of type ``cls`` are treated (cached per type)."""
        kind = self._kinds.get(cls)
        if kind is None:
            if issubclass(cls, self._blocked_types):
                kind = _BLOCKED
            elif issubclass(cls, Undefined):
                kind = _UNDEF
            else:
                kind = _DICT if cls is dict else _PLAIN
            self._kinds[cls] = kind
        return kind

    def vet(self, value: Any, source: Any, key: object = None, *, called: bool = False) -> Any:
        """``value`` if a template may hold it: K-SEC-002 for a class, a generic alias, an
        unbound method or a method bound to a class, whatever lookup or call produced it.

        ``source`` and ``key`` name the receiver and key (or, when ``called``, the callee)
        for the error. Types found harmless are remembered so the hot paths can skip this.
        """
        cls = type(value)
        if issubclass(cls, NEVER_RETURNED) or (cls in _BOUND and isinstance(value.__self__, type)):
            self._opaque_value(value, source, key, called=called)
        if cls not in _BOUND and len(self._plain_results) < _MAX_PLAIN_NAMES:
            self._plain_results.add(cls)
        return value

    def _check_name(self, obj: Any, name: Any) -> None:
        """Refuse ``_`` names and blocklisted names unless explicitly allowed for ``obj``."""
        if type(name) is not str:
            raise TypeError(f"attribute name must be a string, not {type(name).__name__}")
        if name[:1] == "_" or name in self._blocked_names:
            allowed = self._explicit.get(name)
            if allowed is None or not isinstance(obj, allowed):
                why = "private name" if name[:1] == "_" else "unsafe internal"
                self._blocked_attribute(obj, name, why)

    def _attribute(self, obj: Any, name: str) -> Any:
        """``obj.name`` under the policy (template semantics); :data:`_MISS` if absent."""
        if type(name) is not str or name[:1] == "_" or name in self._blocked_names:
            self._check_name(obj, name)
        elif (
            name not in _SPECIAL_NAMES
            and (self._allowlist is None or name in self._allowlist)
            and len(self._plain_names) < _MAX_PLAIN_NAMES
        ):
            self._plain_names.add(name)
        kind = self._kind(type(obj))
        if kind is _DICT:
            value = obj.get(name, _MISS)
            if value is not _MISS:
                return self.vet(value, obj, name)
        elif kind is _BLOCKED:
            self._blocked_type(obj, name)
        elif kind is _UNDEF:
            return _MISS
        if self._allowlist is not None and name not in self._allowlist:
            allowed = self._explicit.get(name)
            if allowed is None or not isinstance(obj, allowed):
                self._blocked_attribute(obj, name, "not in allowed_attributes")
        special = _SPECIAL_NAMES.get(name)
        if (
            special is _MUTATES
            and not self.policy.allow_mutating_methods
            and isinstance(obj, _MUTABLE)
        ):
            allowed = self._explicit.get(name)
            if allowed is None or not isinstance(obj, allowed):
                self._blocked_attribute(obj, name, "mutating method")
        try:
            value = getattr(obj, name)
        except AttributeError:
            if kind is _DICT:
                return _MISS
            try:
                value = obj[name]
            except (TypeError, LookupError, AttributeError):
                return _MISS
            return self.vet(value, obj, name)
        if (special is _GROWS and isinstance(obj, _GROWING)) or (
            name in _EXTENDS and isinstance(obj, _MUTABLE)
        ):
            return self._wrap_method(obj, name, value)
        return self.vet(value, obj, name)

    def _make_getattr(self, strict: bool) -> Callable[[Any, str], Any]:
        """``obj.name`` under the policy; a miss raises ``UndefinedError`` when ``strict``
        and gives :data:`UNDEFINED` otherwise. Blocked access raises ``SecurityError``.

        A closure over the hot state: names seen to need no check skip straight to the
        lookup on plain receivers, and values of types seen to be harmless are returned
        without a closer look.
        """
        kinds_get, classify = self._kinds.get, self._kind
        plain_names, attribute = self._plain_names, self._attribute
        plain_results, vet, bound = self._plain_results, self.vet, _BOUND_SET
        # Fixed for the guard's lifetime (the blocked types are), and only ``dict`` itself
        # is of kind _DICT: dicts, the most common receivers, skip the per-type cache.
        dict_open = classify(dict) is _DICT

        def guarded_getattr(obj: Any, name: str) -> Any:
            cls = type(obj)
            if cls is dict and dict_open:
                kind = _DICT
                if name in plain_names:
                    value = obj.get(name, _MISS)
                    if value is not _MISS:
                        return value if type(value) in plain_results else vet(value, obj, name)
            elif (kind := kinds_get(cls) or classify(cls)) is _PLAIN and name in plain_names:
                try:
                    value = getattr(obj, name)
                except AttributeError:
                    pass
                else:
                    value_type = type(value)
                    if value_type in plain_results or (
                        value_type in bound and value.__self__ is obj  # obj is no class
                    ):
                        return value
                    return vet(value, obj, name)
            value = attribute(obj, name)
            if value is _MISS and strict and kind is not _UNDEF:
                raise lookup.attribute_miss(obj, name)
            return value

        return guarded_getattr

    def _make_getitem(self, strict: bool) -> Callable[[Any, Any], Any]:
        """``obj[key]`` (string keys fall back to the guarded attribute) under the policy.

        Every key is checked the same way, integers and slices included: the receiver
        must not be opaque and the item must not be a class, alias or unbound method.
        On an object that is not a mapping, a string key naming a private or blocked
        attribute is refused as that attribute would be (its ``__getitem__`` may well
        read attributes).
        """
        kinds_get, classify, attribute = self._kinds.get, self._kind, self._attribute
        blocked_type, plain_results, vet = self._blocked_type, self._plain_results, self.vet
        blocked_names, check_name = self._blocked_names, self._check_name

        def guarded_getitem(obj: Any, key: Any) -> Any:
            cls = type(obj)
            kind = kinds_get(cls) or classify(cls)
            if kind is _BLOCKED:
                blocked_type(obj, key)
            if kind is _UNDEF and not strict:
                return _MISS
            if (
                kind is _PLAIN
                and isinstance(key, str)
                and (key[:1] == "_" or key in blocked_names)
                and not isinstance(obj, Mapping)
            ):
                check_name(obj, str.__str__(key))
            try:
                value = obj[key]
            except (LookupError, TypeError) as exc:
                if isinstance(key, str):
                    value = attribute(obj, str.__str__(key))
                    if value is not _MISS or not strict:
                        return value
                elif not strict:
                    return _MISS
                if isinstance(exc, TypeError) and kind is not _UNDEF:
                    raise
                raise lookup.item_miss(obj, key) from None
            return value if type(value) in plain_results else vet(value, obj, key)

        return guarded_getitem

    # -- calls ----------------------------------------------------------------------------

    def _trusted_ids(self) -> frozenset[int]:
        """Identities of the environment's globals (recomputed when the registry changes)."""
        registry = self._env.globals
        snapshot = registry.snapshot() if hasattr(registry, "snapshot") else registry
        if snapshot is not self._globals_snapshot:
            self._global_ids = frozenset(id(v) for v in registry.values())
            self._globals_snapshot = snapshot
        return self._global_ids

    def _trusted_object(self, func: Any) -> bool:
        """A global, a callable the policy marks safe, or one marked ``trusted``."""
        if id(func) in self._trusted_ids():
            return True
        try:
            if func in self.policy.safe_callables:
                return True
        except TypeError:
            pass
        return is_trusted(func)

    def check_callable(self, func: Any) -> None:
        """Raise ``SecurityError`` (K-SEC-004/002) unless a template may call ``func``.

        Reflection, helpers that call their arguments unchecked and callables marked
        ``unsafe_callable``/``alters_data`` are refused first, whatever else trusts them.
        """
        why = never_callable(func, self.policy.allow_import)
        if why is not None:
            self._blocked_call(
                func,
                why,
                "Neither reflection nor helpers that call their arguments unchecked are "
                "available to templates; the sandbox's own map, filter, sorted, min and max "
                "globals check every call they make.",
            )
        marker = _unsafe_marker(func)
        if marker is not None:
            self._blocked_call(
                func,
                f"it is marked {marker} = True",
                "The application marked it as not callable from templates: call it in "
                "Python before rendering and pass the result in the context.",
            )
        allow_calling = self.policy.allow_calling
        if allow_calling is not None:
            if type(func).__name__ not in allow_calling:
                self._blocked_call(func, f"{type(func).__name__!r} is not in allow_calling")
            return
        cls = type(func)
        if cls is _FunctionType:
            # Template defs and the closures core hands them (caller()) carry the mark.
            if not is_trusted(func) and not self._trusted_object(func):
                self._blocked_call(func, "plain Python function from the context")
        elif cls is _MethodType or (cls is _BuiltinType and func.__self__ is not None):
            owner = func.__self__
            if cls is _BuiltinType and isinstance(owner, _ModuleType):
                if not self._trusted_object(func):
                    self._blocked_call(func, "built-in function from the context")
            elif self._kind(type(owner)) is _BLOCKED and not self._trusted_object(func):
                self._blocked_call(func, f"method bound to {describe(owner)}")
        elif isinstance(func, type):
            if (
                func not in SAFE_CONSTRUCTORS
                and func is not Markup
                and not self._trusted_object(func)
            ):
                self._blocked_call(func, "class from the context")
        elif (
            cls is not GuardedMethod
            and not isinstance(func, Undefined)
            and not self._trusted_object(func)
        ):
            self._blocked_call(func, f"callable {cls.__name__!r} object")

    def _make_call(self) -> Callable[..., Any]:
        """``func(*args, **kwargs)`` if the policy allows the callee and every callable
        argument; the result goes through :meth:`vet`.

        Kida defs, sandboxed string methods and methods of built-in values (which
        never call their arguments, and carry no unsafe marker) skip the checks.
        """
        check, plain, no_callback = self.check_callable, self._plain, self._no_callback
        plain_results, vet = self._plain_results, self.vet
        check_conversion = self.check_conversion
        default_rules = self.policy.allow_calling is None

        def guarded_call(func: Any, /, *args: Any, **kwargs: Any) -> Any:
            cls = type(func)
            if not (
                default_rules
                and (
                    (cls is _FunctionType and TEMPLATE_MARK in func.__globals__)
                    or cls is GuardedMethod
                    or (cls is _BuiltinType and type(func.__self__) in no_callback)
                )
            ):
                check(func)
                for arg in chain(args, kwargs.values()):
                    if callable(arg) and type(arg) not in plain:
                        check(arg)
                if func is str or func is Markup:  # a constructor passed in the context
                    check_conversion(args, kwargs, f"{func.__name__}()")
            result = func(*args, **kwargs)
            return result if type(result) in plain_results else vet(result, func, called=True)

        return guarded_call

    # -- operators and sizes ---------------------------------------------------------

    def _too_long(self, what: str, limit: int, field: str) -> NoReturn:
        raise SecurityError(
            f"{what} would be longer than the sandbox limit of {limit} characters "
            f"(SandboxPolicy.{field})",
            code=ErrorCode.OUTPUT_LIMIT if field == "max_output_size" else ErrorCode.RANGE_LIMIT,
            suggestion=f"Convert less data to text, or raise SandboxPolicy.{field}.",
        )

    def check_sizes(self, sizes: Iterable[int], what: str) -> None:
        """K-SEC-003 if any size (width, precision, count, digits) exceeds ``max_repetition``."""
        limit = self.policy.max_repetition
        for size in sizes:
            if size > limit:
                self._limit(what, size, limit, "max_repetition")

    def check_length(self, value: Any) -> Any:
        """``value``, or K-SEC-003 when it is a sequence longer than ``max_sequence_length``."""
        if isinstance(value, _SEQUENCES) and len(value) > self.policy.max_sequence_length:
            self._limit(
                f"{type(value).__name__} result",
                len(value),
                self.policy.max_sequence_length,
                "max_sequence_length",
            )
        return value

    def check_total(self, size: int, what: str) -> None:
        """K-SEC-003 if a result of ``size`` items would exceed ``max_sequence_length``."""
        limit = self.policy.max_sequence_length
        if size > limit:
            self._limit(what, size, limit, "max_sequence_length")

    def check_text(self, value: Any, what: str, mode: int = STR, indent: int = 0) -> int:
        """The estimated length of ``value`` as text (``str``, ``repr`` or ``tojson``).

        Refuses (before any text is built) when the estimate exceeds
        ``max_sequence_length``, or ``max_output_size`` when that is smaller.
        """
        if mode == STR and type(value) is str:
            return len(value)
        limit = self._text_limit
        size = text_size(value, limit, mode, indent)
        if size > limit:
            self._too_long(f"{what} ({describe(value)} as text)", limit, self._text_limit_field)
        return size

    def check_texts(self, values: Iterable[Any], what: str, extra: int = 0) -> None:
        """Refuse joining ``values`` and ``extra`` more characters past ``max_sequence_length``."""
        total, limit, check = extra, self.policy.max_sequence_length, self.check_text
        for value in values:
            # An existing str is its own text (what check_text returns for it).
            total += len(value) if type(value) is str else check(value, what)
            if total > limit:  # check_total, inlined for the per-item loop
                self._limit(what, total, limit, "max_sequence_length")

    def check_places(self, value: Any, places: Any, what: str) -> None:
        """Refuse rounding or fixed-point formatting ``value`` to ``places`` decimals when
        ``places`` (as ``int()`` reads it) or the digits written exceed ``max_repetition``."""
        try:
            count = int(places)
        except (TypeError, ValueError):
            return  # the filter reports the bad argument itself
        self.check_sizes((count, decimal_exponent(value) + max(count, 0)), f"{what} digits")

    def check_output(self, value: Any) -> None:
        """Size a ``{{ value }}`` that is not a flat value before it becomes text."""
        self.check_text(value, "output")

    def check_conversion(self, args: tuple[Any, ...], kwargs: dict[str, Any], what: str) -> None:
        """Size the value ``str(*args, **kwargs)`` or ``Markup(...)`` converts to text
        (a decode, with an encoding, turns bytes into text of their own length)."""
        if len(args) <= 1 and "encoding" not in kwargs and "errors" not in kwargs:
            value = args[0] if args else kwargs.get("object", kwargs.get("base", ""))
            self.check_text(value, what)

    def text(self, *args: Any, **kwargs: Any) -> str:
        """The ``str`` global: a container is sized before ``str()`` converts it."""
        self.check_conversion(args, kwargs, "str()")
        return str(*args, **kwargs)

    def mul(self, left: Any, right: Any) -> Any:
        """``left * right`` with sequence repetition and integer size capped."""
        if isinstance(left, int) and isinstance(right, int):
            bits = left.bit_length() + right.bit_length()
            if bits > self._max_int_bits:
                digits = int(bits * _LOG10_2)
                self._limit(
                    "integer product",
                    f"~10**{digits}",
                    self.policy.max_int_digits,
                    "max_int_digits",
                )
        elif isinstance(right, int) and isinstance(left, _SEQUENCES):
            self._check_repeat(left, right)
        elif isinstance(left, int) and isinstance(right, _SEQUENCES):
            self._check_repeat(right, left)
        return left * right

    def _check_repeat(self, seq: Any, count: int) -> None:
        size = len(seq) * count
        if size > self.policy.max_repetition:
            self._limit(
                f"{type(seq).__name__} repetition",
                size,
                self.policy.max_repetition,
                "max_repetition",
            )

    def pow(self, base: Any, exponent: Any) -> Any:
        """``base ** exponent`` refusing integer results longer than ``max_int_digits``."""
        if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
            digits = exponent * (abs(base).bit_length() - 1) * _LOG10_2
            if digits > self.policy.max_int_digits:
                self._limit(
                    "integer power",
                    f"~10**{int(digits)}",
                    self.policy.max_int_digits,
                    "max_int_digits",
                )
        return base**exponent

    def mod(self, left: Any, right: Any) -> Any:
        """``left % right``; for ``%``-formatting, the widths, precisions, printed numbers
        and the text of every ``%s``/``%r``/``%a`` argument are sized before it is built."""
        if isinstance(left, str | bytes):
            sizes, texts, numbers = percent_plan(left, right)
            self.check_sizes(sizes, "%-format width/precision")
            total = len(left) + sum(sizes) + numbers
            self.check_total(total, "%-format result")
            for value, mode in texts:
                total += self.check_text(value, "%-format argument", mode)
                self.check_total(total, "%-format result")
        return left % right

    def add(self, left: Any, right: Any) -> Any:
        """The ``+`` operator with the result length checked before it is built."""
        if isinstance(left, str) or isinstance(right, str):
            self.check_texts((left, right), "+ result")
        elif isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            self.check_total(len(left) + len(right), f"{type(left).__name__} + result")
        return self.check_length(add(left, right))

    def concat(self, *parts: Any) -> str:
        """The ``~`` operator with the result length checked before it is built."""
        self.check_texts(parts, "~ result")
        result: str = self.check_length(concat(*parts))
        return result

    def sum(self, iterable: Iterable[Any], /, start: Any = 0) -> Any:
        """``sum()``; a sum of lists or tuples is sized first and built in linear time."""
        if not isinstance(start, list | tuple):
            return builtins.sum(iterable, start)
        items = list(self.iterate(iterable))
        lengths = (len(item) for item in items if isinstance(item, _SEQUENCES))
        self.check_total(len(start) + builtins.sum(lengths), "sum of sequences")
        kind = type(start)
        if kind in (list, tuple) and all(type(item) is kind for item in items):
            return kind(chain(start, *items))
        return builtins.sum(items, start)

    # -- ranges and loops ------------------------------------------------------------

    def _check_range(self, value: builtins.range) -> builtins.range:
        try:
            size = len(value)
        except OverflowError:
            size = self.policy.max_range + 1
        if size > self.policy.max_range:
            self._limit("range", size, self.policy.max_range, "max_range")
        return value

    def range(self, *args: int) -> builtins.range:
        """``range()`` and ``a..b`` limited to ``max_range`` items (also the ``range`` global)."""
        return self._check_range(builtins.range(*args))

    def _too_many_iterations(self) -> SecurityError:
        limit = self.policy.max_loop_iterations
        return SecurityError(
            f"Loop ran more than {limit} iterations",
            code=ErrorCode.RANGE_LIMIT,
            suggestion="Iterate over less data, or raise SandboxPolicy.max_loop_iterations.",
        )

    def _overflow(self, iterator: Iterator[Any]) -> Iterator[Any]:
        for _ in iterator:
            raise self._too_many_iterations()
        yield from ()

    def iterate(self, iterable: Any) -> Iterable[Any]:
        """A ``for``/comprehension iterable capped at ``max_loop_iterations``."""
        limit = self.policy.max_loop_iterations
        if type(iterable) in self._fixed_size:
            if len(iterable) > limit:
                raise self._too_many_iterations()
            return iterable  # type: ignore[no-any-return]
        iterator = iter(iterable)
        return chain(islice(iterator, limit), self._overflow(iterator))

    async def aiterate(self, iterable: AsyncIterable[Any]) -> AsyncIterator[Any]:
        """An ``async for`` iterable capped at ``max_loop_iterations``."""
        limit = self.policy.max_loop_iterations
        count = 0
        async for item in iterable:
            count += 1
            if count > limit:
                raise self._too_many_iterations()
            yield item

    def _exhausted(self) -> Iterator[None]:
        yield from self._overflow(repeat(None, 1))

    def loop_budget(self) -> Iterator[None]:
        """The ticks a ``while`` loop may take; raises when they run out."""
        return chain(repeat(None, self.policy.max_loop_iterations), self._exhausted())

    # -- string methods and formatting ------------------------------------------------

    def _wrap_method(self, receiver: Any, name: str, method: Callable[..., Any]) -> GuardedMethod:
        if name in ("format", "format_map"):
            if not isinstance(receiver, str):
                return GuardedMethod(name, method)
            escape = isinstance(receiver, Markup)
            if name == "format":

                def format(*args: Any, **kwargs: Any) -> str:
                    return safe_format(self, receiver, args, kwargs, escape=escape)

                return GuardedMethod(name, format)
            return GuardedMethod(
                name, lambda mapping: safe_format(self, receiver, (), mapping, escape=escape)
            )
        if name in ("ljust", "rjust", "center", "zfill"):

            def pad(width: int, *args: Any) -> Any:
                self.check_sizes([width], f"{name} width")
                return method(width, *args)

            return GuardedMethod(name, pad)
        if name == "to_bytes":

            def to_bytes(*args: Any, **kwargs: Any) -> Any:
                length = args[0] if args else kwargs.get("length", 1)
                if isinstance(length, int):
                    self.check_total(length, "int.to_bytes length")
                return method(*args, **kwargs)

            return GuardedMethod(name, to_bytes)
        if name in _EXTENDS:

            def extend(items: Iterable[Any]) -> None:
                if not isinstance(items, Sized):
                    items = list(self.iterate(items))
                self.check_total(len(receiver) + len(items), f"{name} result")
                method(items)

            return GuardedMethod(name, extend)
        if name == "join":

            def join(items: Iterable[Any]) -> Any:
                items = list(self.iterate(items))
                separators = len(receiver) * max(len(items) - 1, 0)
                if isinstance(receiver, str):  # Markup.join turns any item into text
                    self.check_texts(items, "join result", separators)
                else:
                    lengths = (len(i) for i in items if isinstance(i, _SEQUENCES))
                    self.check_total(separators + sum(lengths), "join result")
                return method(items)

            return GuardedMethod(name, join)
        return GuardedMethod(name, self._estimating(receiver, name, method))

    def _estimating(
        self, receiver: Any, name: str, method: Callable[..., Any]
    ) -> Callable[..., Any]:
        """``replace``/``expandtabs``/``translate`` refusing results too long to allow."""

        def run(*args: Any, **kwargs: Any) -> Any:
            size = len(receiver)
            if name == "replace" and len(args) >= 2:
                old, new = args[0], args[1]
                hits = receiver.count(old) if len(old) else size + 1
                size += hits * max(len(new) - len(old), 0)
            elif name == "expandtabs":
                tabsize = args[0] if args else kwargs.get("tabsize", 8)
                self.check_sizes([tabsize], "expandtabs tab size")
                size += receiver.count("\t" if isinstance(receiver, str) else b"\t") * tabsize
            elif name == "translate" and args:
                size *= _longest_replacement(args[0])
            self.check_total(size, f"{name} result")
            return self.check_length(method(*args, **kwargs))

        return run

    def check_regex(self, what: str) -> None:
        """K-SEC-004 unless the policy lets templates run their own regular expressions."""
        if not self.policy.allow_regex:
            raise SecurityError(
                f"{what} runs a regular expression from the template, which is blocked "
                "unless SandboxPolicy.allow_regex (one pattern can backtrack for minutes)",
                code=ErrorCode.BLOCKED_CALLABLE,
                suggestion="Test with startswith/endswith/in, or set "
                "SandboxPolicy.allow_regex=True if pattern run time is acceptable.",
            )

    def format_filter(self, value: Any, *args: Any, **kwargs: Any) -> str:
        """The ``format`` filter: sandboxed field access, checked sizes, Markup-aware."""
        self.check_text(value, "format pattern")
        pattern = value if isinstance(value, str) else str(value)
        if not has_fields(pattern) and "%" in pattern:  # %-style, as the core filter
            if args and kwargs:
                raise TypeError(
                    "format with a %-style pattern takes positional or keyword arguments, not both"
                )
            result: str = self.mod(pattern, kwargs or args)
            return result
        return safe_format(self, pattern, args, kwargs, escape=isinstance(pattern, Markup))


def _unsafe_marker(func: Any) -> str | None:
    """The :data:`UNSAFE_MARKERS` attribute set truthy on ``func`` (a method: on its
    function), or ``None``. Plain functions without attributes answer from an empty dict."""
    if type(func) is _MethodType:
        func = func.__func__
    cls = type(func)
    if cls is _FunctionType:
        attributes = func.__dict__
        if attributes:  # most functions have none; trusted ones have core's mark
            for marker in UNSAFE_MARKERS:
                if attributes.get(marker):
                    return marker
        return None
    if cls is _BuiltinType or cls is GuardedMethod or isinstance(func, Undefined):
        return None  # no attributes of their own to mark
    return next((m for m in UNSAFE_MARKERS if getattr(func, m, False)), None)


def _callable_name(func: Any) -> str:
    """``function 'f'`` / ``class 'C'`` / ``'partial' object``: what a callee is."""
    if isinstance(func, type):
        return f"class {func.__qualname__!r}"
    name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    kind = type(func).__name__
    return f"{kind} {name!r}" if isinstance(name, str) else f"{kind!r} object"


def _longest_replacement(table: Any) -> int:
    """The longest text a ``translate`` table maps one character to (at least 1)."""
    if isinstance(table, dict):
        values: Iterable[Any] = table.values()
    elif isinstance(table, list | tuple):
        values = table
    else:
        return 1  # a str table maps to single characters; other mappings are host objects
    return max((len(v) for v in values if isinstance(v, str | bytes)), default=1) or 1
