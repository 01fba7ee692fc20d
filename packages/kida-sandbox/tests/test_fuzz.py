"""Hypothesis: random attribute chains and filter pipelines never reach a ``_`` name.

Every name the guard resolves on a real object is recorded (the ``getattr`` the guard
module calls, and core's unguarded lookup helpers, are wrapped); a render either succeeds or raises
SecurityError / UndefinedError / TemplateRuntimeError, and no recorded name starts
with ``_``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kida_core.errors import SecurityError, TemplateRuntimeError, UndefinedError
from kida_core.registry import Registry
from kida_core.runtime import lookup
from kida_sandbox import SandboxedEnvironment
from kida_sandbox import guard as guard_module


@dataclass
class Item:
    name: str
    age: int

    def greet(self) -> str:
        return "hi"


def helper() -> int:
    return 1


CONTEXT: dict[str, Any] = {
    "s": "text",
    "i": 42,
    "l": [1, 2],
    "d": {"name": "dict-name", "age": 3},
    "obj": Item("item", 5),
    "objs": [Item("a", 1), Item("b", 2)],
    "f": helper,
    "m": json,
    "c": Item,
}

REAL = [
    "name",
    "age",
    "upper",
    "items",
    "keys",
    "real",
    "title",
    "greet",
    "split",
    "get",
    "append",
    "format",
    "loads",
    "count",
]
PRIVATE = [
    "_x",
    "_name",
    "__class__",
    "__dict__",
    "__globals__",
    "__init__",
    "__mro__",
    "__subclasses__",
    "__self__",
    "__func__",
    "__code__",
    "__builtins__",
    "__reduce__",
    "__getattribute__",
    "__base__",
    "__module__",
    "__wrapped__",
]
BLOCKLISTED = [
    "mro",
    "gi_frame",
    "f_globals",
    "func_globals",
    "cell_contents",
    "tb_frame",
    "co_code",
    "f_back",
    "subclasses",
]
NAMES = st.sampled_from(REAL + PRIVATE + BLOCKLISTED)  # fmt: skip
BASES = st.sampled_from(sorted(CONTEXT))


@st.composite
def chains(draw: st.DrawFn) -> str:
    expr = draw(BASES)
    for _ in range(draw(st.integers(1, 4))):
        name = draw(NAMES)
        kind = draw(st.sampled_from(["attr", "item", "optional", "call"]))
        if kind == "attr":
            expr += f".{name}"
        elif kind == "item":
            expr += f"[{name!r}]"
        elif kind == "optional":
            expr += f"?.{name}"
        else:
            expr += f".{name}()"
    return "{{ " + expr + " }}"


@st.composite
def pipelines(draw: st.DrawFn) -> str:
    base = draw(BASES)
    name = draw(NAMES)
    path = ".".join(draw(st.lists(NAMES, min_size=1, max_size=2)))
    step = draw(
        st.sampled_from(
            [
                f"{base} | attr({name!r})",
                f"[{base}] | map(attribute={path!r}) | list",
                f"[{base}] | map({name!r}) | list",
                f"[{base}] | selectattr({name!r}) | list",
                f"[{base}, {base}] | sort(attribute={path!r})",
                f'"{{0.{path}}}" | format({base})',
                f'"{{0[{name}]}}" | format({base})',
                f'"{{0.{path}}}".format({base})',
                f'"{{x.{name}}}".format_map({{"x": {base}}})',
            ]
        )
    )
    return "{{ " + step + " }}"


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    names: list[str] = []

    def resolving_getattr(obj: Any, name: str, *default: Any) -> Any:
        if not isinstance(obj, Registry):  # the guard reading the globals registry itself
            names.append(name)
        return getattr(obj, name, *default)

    def record(func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(obj: Any, key: Any) -> Any:
            names.append(str(key))
            return func(obj, key)

        return wrapper

    monkeypatch.setattr(guard_module, "getattr", resolving_getattr, raising=False)
    for helper_name in ("getattr_strict", "lookup_attr", "getitem_strict", "lookup_item"):
        monkeypatch.setattr(lookup, helper_name, record(getattr(lookup, helper_name)))
    yield names


EXPECTED = (SecurityError, UndefinedError, TemplateRuntimeError)
FUZZ = settings(
    max_examples=int(os.environ.get("KIDA_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _render(source: str, names: list[str], *, strict: bool) -> None:
    names.clear()
    env = SandboxedEnvironment(strict_undefined=strict)
    with contextlib.suppress(*EXPECTED):
        env.from_string(source).render(**CONTEXT)
    reached = [n for n in names if n.startswith("_")]
    assert not reached, f"{source!r} reached {reached}"


@FUZZ
@given(source=chains(), strict=st.booleans())
def test_attribute_chains(recorded: list[str], source: str, strict: bool) -> None:
    _render(source, recorded, strict=strict)


@FUZZ
@given(source=pipelines(), strict=st.booleans())
def test_filter_pipelines(recorded: list[str], source: str, strict: bool) -> None:
    _render(source, recorded, strict=strict)


def test_instrumentation_sees_real_lookups(recorded: list[str]) -> None:
    SandboxedEnvironment().from_string("{{ obj.name }}{{ d['age'] }}").render(**CONTEXT)
    assert "name" in recorded
