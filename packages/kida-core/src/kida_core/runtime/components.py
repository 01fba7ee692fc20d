"""Defs, slots and error boundaries at render time."""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from kida_core.errors import SecurityError, TemplateSyntaxError
from kida_core.markup import Markup
from kida_core.render_context import RenderContext, _current

if TYPE_CHECKING:
    from kida_core.environment import Environment
    from kida_core.template import ErrorDict

SlotRender = Callable[[], str]
_EMPTY = Markup("")


class Slots:
    """The slot contents a ``{% call %}`` passes to a def."""

    __slots__ = ("_slots",)

    def __init__(self, slots: dict[str, SlotRender]) -> None:
        self._slots = slots

    def render(self, name: str = "default") -> Markup:
        """The rendered content of slot ``name`` ("" when the caller gave none)."""
        body = self._slots.get(name)
        return Markup(body()) if body is not None else _EMPTY

    def has(self, name: str = "default") -> bool:
        """True when the caller provided content for slot ``name``."""
        return name in self._slots


def render_slot(caller: Slots | None, name: str) -> Markup:
    """``{% slot name %}`` inside a def."""
    return caller.render(name) if caller is not None else _EMPTY


def make_caller(caller: Slots | None) -> Callable[..., Markup]:
    """``caller()`` / ``caller("name")`` inside a def."""

    def call(name: str = "default") -> Markup:
        return render_slot(caller, name)

    return call


def make_has_slot(caller: Slots | None) -> Callable[..., bool]:
    """``has_slot()`` / ``has_slot("name")`` inside a def."""

    def has_slot(name: str = "default") -> bool:
        return caller is not None and caller.has(name)

    return has_slot


def error_dict(exc: BaseException) -> ErrorDict:
    """What ``{% fallback err %}`` binds for an error raised in the try body."""
    from kida_core.runtime.enhance import enhance_error

    rc = _current.get() or RenderContext()
    located = enhance_error(exc, rc) if isinstance(exc, Exception) else exc
    return {
        "message": str(exc),
        "type": type(exc).__name__,
        "template": getattr(located, "template_name", None),
        "line": getattr(located, "lineno", None),
    }


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
    """``{% cache %}`` storage: the Environment's fragment LRU with expiry."""

    __slots__ = ("_env_ref",)

    def __init__(self, env: Environment) -> None:
        self._env_ref: weakref.ref[Environment] = weakref.ref(env)

    def get(self, key: Hashable) -> str | None:
        """A fresh cached fragment, or None."""
        env = self._env_ref()
        if env is None:
            return None
        entry = env._fragments.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            env._fragments.pop(key)
            return None
        return value  # type: ignore[no-any-return]

    def set(self, key: Hashable, value: str, ttl: object) -> str:
        """Store ``value`` for ``ttl`` (default: ``fragment_ttl``); returns it."""
        env = self._env_ref()
        if env is not None:
            seconds = env.fragment_ttl if ttl is None else parse_ttl(ttl)
            env._fragments.set(key, (time.monotonic() + seconds, value))
        return value
