"""Defs, slots and error boundaries at render time."""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Hashable
from types import FunctionType
from typing import TYPE_CHECKING, Any

from kida_core.errors import ErrorCode, SecurityError, TemplateRuntimeError, TemplateSyntaxError
from kida_core.markup import Markup
from kida_core.render_context import RenderContext, _current
from kida_core.runtime.trust import is_trusted, trusted

if TYPE_CHECKING:
    from kida_core.runtime.services import RuntimeServices
    from kida_core.template import ErrorDict

#: A slot body; keyword arguments are the values a scoped slot passes up.
SlotRender = Callable[..., str]
_EMPTY = Markup("")
#: The keyword through which ``{% call %}`` hands a def its slots. It is not an
#: identifier, so a template cannot write it as a keyword argument; ``**``
#: expansion can still deliver it, which :func:`check_slots` refuses.
SLOTS_KEYWORD = "<slots>"
#: The keyword through which a ``{{ d(...) }}`` output hands the def its caller's
#: append, so the def writes its output there instead of returning it (not an
#: identifier either; :func:`refuse_into` refuses anything else passed with ``**``).
INTO_KEYWORD = "<into>"
#: The type of what generated code passes as ``INTO_KEYWORD``: a list's bound ``append``.
APPEND_TYPE: type = type([].append)
#: Logger of the errors that ``{% try %}`` boundaries catch (see ErrorBoundary).
ERROR_LOGGER = "kida_core.errors"


class Slots:
    """The slot contents a ``{% call %}`` passes to a def.

    ``caller`` is the body of a ``{% call(a, b) f() %}`` with parameters: then
    ``caller(x, y)`` inside the def calls it with arguments.
    """

    __slots__ = ("_slots", "caller")

    def __init__(
        self, slots: dict[str, SlotRender], caller: Callable[..., Markup] | None = None
    ) -> None:
        self._slots = slots
        self.caller = caller

    @trusted
    def render(self, name: str = "default", /, **lets: Any) -> Markup:
        """The rendered content of slot ``name`` ("" when the caller gave none).

        ``lets`` are the scoped-slot values the caller's ``let:`` names receive.
        """
        body = self._slots.get(name)
        return Markup(body(**lets)) if body is not None else _EMPTY

    @trusted
    def has(self, name: str = "default") -> bool:
        """True when the caller provided content for slot ``name``."""
        return name in self._slots


#: What ``caller()`` and ``has_slot()`` read in a def called without ``{% call %}``.
_NO_SLOTS = Slots({})


def check_slots(value: object) -> None:
    """Refuse a slots argument that is not a genuine :class:`Slots` (one ``{% call %}`` made).

    Generated defs run this whenever their slots parameter is set, so a value
    smuggled in with ``**{"<slots>": ...}`` never reaches ``caller()`` or
    ``{% slot %}``.
    """
    if type(value) is not Slots:
        raise TemplateRuntimeError(
            f"Slot content can only be passed with {{% call %}}, not as the keyword "
            f"argument {SLOTS_KEYWORD!r}",
            suggestion="Fill the def's slots with {% call name(...) %}…{% end %}.",
            code=ErrorCode.COMPONENT_CALL_SIGNATURE,
        )


def takes_into(value: object) -> bool:
    """Whether ``value`` is a def that writes into an append passed as ``INTO_KEYWORD``.

    Only generated code has a keyword-only parameter of that name: it is no identifier.
    """
    return type(value) is FunctionType and INTO_KEYWORD in (value.__kwdefaults__ or ())


def refuse_into(value: object) -> None:
    """Refuse a value passed as a def's output keyword that is no buffer's append.

    Generated defs call this when the keyword holds anything but a list's
    ``append``: only a ``{{ d(...) }}`` output passes it, and a value smuggled
    in with ``**{"<into>": ...}`` must never be called with the def's output.
    """
    raise TemplateRuntimeError(
        f"A def's output target cannot be passed as the keyword argument {INTO_KEYWORD!r} "
        f"(got {type(value).__name__})",
        suggestion="Call the def without that keyword; its output is its return value.",
        code=ErrorCode.COMPONENT_CALL_SIGNATURE,
    )


def render_slot(caller: Slots | None, name: str, /, **lets: Any) -> Markup:
    """``{% slot name %}`` inside a def (``lets``: a scoped slot's values)."""
    return caller.render(name, **lets) if caller is not None else _EMPTY


def recursion_checked(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` behind a forwarding call that the interpreter checks for recursion depth.

    The compiler rebinds every def to this on interpreters whose default-filling
    calls skip the recursion check (see ``kida_core.compiler.interpreter``), so a
    def calling itself without end raises ``RecursionError`` instead of growing the
    stack until memory runs out. The forwarder is trusted when ``func`` is.
    """

    @functools.wraps(func)
    def forward_def(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return trusted(forward_def) if is_trusted(func) else forward_def


def make_caller(caller: Slots | None) -> Callable[..., Markup]:
    """``caller()`` / ``caller("name")`` inside a def (a method core marks trusted).

    After ``{% call(a, b) f() %}`` it is the parameterised body: ``caller(x, y)``.
    """
    if caller is not None and caller.caller is not None:
        return caller.caller
    return (caller if caller is not None else _NO_SLOTS).render


def make_has_slot(caller: Slots | None) -> Callable[..., bool]:
    """``has_slot()`` / ``has_slot("name")`` inside a def (a method core marks trusted)."""
    return (caller if caller is not None else _NO_SLOTS).has


class ErrorBoundary:
    """What ``{% fallback err %}`` binds for an error raised in the try body.

    Every caught error, located in its template, is passed to the
    Environment's ``on_error`` hook when one is set. With ``redact`` (a
    runtime guard asks for it: template authors are untrusted) the bound
    ``message`` is only "<type> in <template> line <n>", because the full
    report quotes source lines of any template on the way and names files;
    that report is logged on the ``kida_core.errors`` logger instead.
    """

    __slots__ = ("_on_error", "_redact")

    def __init__(self, on_error: Callable[[BaseException], None] | None, *, redact: bool) -> None:
        self._on_error = on_error
        self._redact = redact

    def __call__(self, exc: BaseException) -> ErrorDict:
        from kida_core.runtime.enhance import enhance_error

        rc = _current.get() or RenderContext()
        located = enhance_error(exc, rc) if isinstance(exc, Exception) else exc
        if located is not exc and located.__cause__ is None:
            located.__cause__ = exc
        template: str | None = getattr(located, "template_name", None)
        line: int | None = getattr(located, "lineno", None)
        kind = type(exc).__name__
        if self._redact:
            import logging  # deferred: only redacting environments log

            message = f"{kind} in {template or '<template>'}" + (f" line {line}" if line else "")
            logging.getLogger(ERROR_LOGGER).warning(
                "Error caught by {%% try %%} in %s: %s", template or "<template>", located
            )
        else:
            message = str(exc)
        if self._on_error is not None:
            self._on_error(located)
        return {"message": message, "type": kind, "template": template, "line": line}


def reraise_syntax_errors(exc: BaseException) -> None:
    """Error boundaries catch render errors, never syntax errors or security violations.

    A ``{% try %}`` that swallowed a ``SecurityError`` would let a sandboxed
    template probe the policy and carry on.
    """
    if isinstance(exc, TemplateSyntaxError | SecurityError):
        raise exc


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_ttl(ttl: object) -> float:
    """Seconds from ``30``, ``0.5``, ``"30s"``, ``"5m"``, ``"2h"`` or ``"1d"``."""
    if isinstance(ttl, int | float) and not isinstance(ttl, bool):
        return float(ttl)
    match = _DURATION.match(str(ttl))
    if match is None:
        raise ValueError(f"invalid cache ttl {ttl!r}: use seconds or a duration like '5m'")
    return float(match.group(1)) * _UNITS[match.group(2)]


class FragmentCache:
    """``{% cache %}`` storage: the Environment's fragment LRU with expiry.

    Once the Environment is garbage collected nothing is read or stored.
    """

    __slots__ = ("_services",)

    def __init__(self, services: RuntimeServices) -> None:
        self._services = services

    def get(self, key: Hashable) -> str | None:
        """A fresh cached fragment, or None."""
        services = self._services
        if services.environment_ref() is None:
            return None
        entry = services.fragments.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            services.fragments.pop(key, entry)
            return None
        return value  # type: ignore[no-any-return]

    def set(self, key: Hashable, value: str, ttl: object) -> str:
        """Store ``value`` for ``ttl`` (default: ``fragment_ttl``); returns it.

        A value longer than ``fragment_cache_entry_max_chars`` is returned
        without being stored.
        """
        services = self._services
        if services.environment_ref() is not None:
            limits = services.limits
            seconds = limits.fragment_ttl if ttl is None else parse_ttl(ttl)
            entry_limit = limits.fragment_cache_entry_max_chars
            if entry_limit < 0 or len(value) <= entry_limit:
                services.fragments.set(key, (time.monotonic() + seconds, value))
        return value
