"""Shared context objects for the sandbox tests: harmless data plus dangerous gadgets."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
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


def _gen() -> Iterator[int]:
    yield 1


async def _agen() -> AsyncIterator[int]:
    yield 1


def _traceback() -> Any:
    try:
        raise ValueError("x")
    except ValueError as exc:
        return exc.__traceback__


def make_context() -> dict[str, Any]:
    """A fresh context: data the templates may use and gadgets they must not exploit."""
    ann = User("ann")
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
    }


@pytest.fixture
def ctx() -> dict[str, Any]:
    return make_context()
