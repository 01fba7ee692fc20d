"""Shared context objects for the sandbox tests: harmless data plus dangerous gadgets."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from kida_core.markup import Markup


@dataclass
class User:
    """A typical model object handed to templates."""

    name: str
    age: int = 30

    def greet(self) -> str:
        return f"hi {self.name}"


@dataclass
class Post:
    title: str
    author: User


def plain_function() -> str:
    return "called"


@dataclass
class SideEffects:
    """What the gadgets of one context did; an escape must leave it untouched."""

    calls: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=lambda: ["user"])

    def untouched(self) -> bool:
        return self.calls == [] and self.roles == ["user"]


class Account:
    """An application object with marked methods, a classmethod and a lax ``__getitem__``."""

    def __init__(self, effects: SideEffects) -> None:
        self.name = "acct"
        self._effects = effects

    def delete(self) -> str:
        self._effects.calls.append("delete")
        return "deleted"

    delete.alters_data = True  # type: ignore[attr-defined]

    def drop(self) -> str:
        self._effects.calls.append("drop")
        return "dropped"

    drop.unsafe_callable = True  # type: ignore[attr-defined]

    def apply(self, func: Any, *args: Any) -> Any:
        """A public method that calls what it is given (as some application helpers do)."""
        return func(*args)

    @classmethod
    def create(cls) -> Account:
        raise AssertionError("a template reached a classmethod")

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


def _registry(effects: SideEffects) -> type:
    """A class whose classmethod ``items`` has a side effect (no filter may call it)."""

    class Registry:
        @classmethod
        def items(cls) -> list[tuple[str, str]]:
            effects.calls.append("Registry.items")
            return []

    return Registry


def _gen() -> Iterator[int]:
    yield 1


async def _agen() -> AsyncIterator[int]:
    yield 1


def _traceback() -> Any:
    try:
        raise ValueError("x")
    except ValueError as exc:
        return exc.__traceback__


def make_context(effects: SideEffects | None = None) -> dict[str, Any]:
    """A fresh context: data the templates may use and gadgets they must not exploit.

    ``system`` records its calls and ``roles`` must keep its one item: both in ``effects``.
    """
    effects = SideEffects() if effects is None else effects
    ann = User("ann")

    def system(command: str = "") -> int:
        effects.calls.append(command)
        return 0

    return {
        "x": "s",
        "n": 7,
        "items": [3, 1, 2],
        "d": {"a": 1, "b": 2},
        "s": {1, 2},
        "user": ann,
        "users": [ann, User("bob", 40)],
        "post": Post("Hello", ann),
        "fn": lambda: 1,
        "plain_fn": plain_function,
        "cls": User,
        "os_mod": os,
        "gen": _gen(),
        "agen": _agen(),
        "tb": _traceback(),
        "frame": sys._getframe(),
        "partial": functools.partial(os.getcwd),
        "getattr": getattr,
        "eval": eval,
        "exec": exec,
        "imp": __import__,
        "type": type,
        "vars": vars,
        "Markup": Markup,
        "system": system,
        "roles": effects.roles,
        "account": Account(effects),
        "registry": _registry(effects),
        "py_map": map,
        "py_sorted": sorted,
        "reduce": functools.reduce,
    }


@pytest.fixture
def effects() -> SideEffects:
    return SideEffects()


@pytest.fixture
def ctx(effects: SideEffects) -> dict[str, Any]:
    return make_context(effects)


@pytest.fixture
def fresh_context() -> Callable[[], tuple[SideEffects, dict[str, Any]]]:
    """A new ``(effects, context)`` pair per call, for tests that render many examples."""

    def fresh() -> tuple[SideEffects, dict[str, Any]]:
        effects = SideEffects()
        return effects, make_context(effects)

    return fresh
