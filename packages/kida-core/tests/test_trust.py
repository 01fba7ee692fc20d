"""The trusted-callable marker: what carries it and what does not."""

from __future__ import annotations

import functools
from typing import Any

import pytest

import kida_core
from kida_core import Environment
from kida_core.runtime.components import Slots, make_caller, make_has_slot, recursion_checked
from kida_core.runtime.profiling import counted_def
from kida_core.runtime.trust import is_trusted, trusted


def host_function() -> str:
    return "host"


def _compiled_def() -> Any:
    """A def compiled from a template, handed out through a context function."""
    captured: list[Any] = []
    Environment().from_string("{% def d() %}x{% end %}{{ keep(d) }}").render(keep=captured.append)
    return captured[0]


def test_core_exports_the_marker() -> None:
    assert kida_core.trusted is trusted


def test_a_plain_function_is_not_trusted() -> None:
    assert not is_trusted(host_function)


def test_marking_returns_the_function_trusted() -> None:
    def helper() -> None: ...

    assert trusted(helper) is helper
    assert is_trusted(helper)


def test_a_bound_method_is_trusted_when_its_function_is() -> None:
    class Service:
        @trusted
        def fetch(self) -> str:
            return "ok"

        def other(self) -> str:
            return "no"

    assert is_trusted(Service().fetch)
    assert not is_trusted(Service().other)


def test_a_marked_class_trusts_neither_instances_nor_subclasses() -> None:
    @trusted
    class Widget:
        def __call__(self) -> None: ...

    class Gadget(Widget):
        pass

    assert is_trusted(Widget)
    assert not is_trusted(Widget())
    assert not is_trusted(Gadget)


def test_a_marked_callable_object_is_trusted() -> None:
    partial = trusted(functools.partial(host_function))
    assert is_trusted(partial)
    assert not is_trusted(functools.partial(host_function))


def test_a_permissive_getattr_does_not_make_an_object_trusted() -> None:
    class Anything:
        def __getattr__(self, name: str) -> bool:
            return True

    assert not is_trusted(Anything())


def test_a_builtin_cannot_be_marked() -> None:
    with pytest.raises(TypeError, match="no attributes of its own"):
        trusted(len)


def test_wraps_copies_the_mark_onto_a_wrapper() -> None:
    @functools.wraps(trusted(lambda: None))
    def wrapper() -> None: ...

    assert is_trusted(wrapper)


def test_defs_compiled_from_templates_are_trusted() -> None:
    assert is_trusted(_compiled_def())


def test_caller_and_has_slot_are_trusted() -> None:
    slots = Slots({})
    assert is_trusted(make_caller(slots))
    assert is_trusted(make_has_slot(None))


@pytest.mark.parametrize(
    "wrap", [recursion_checked, functools.partial(counted_def, "d")], ids=["recursion", "profile"]
)
def test_def_wrappers_are_trusted_only_around_trusted_functions(wrap: Any) -> None:
    assert is_trusted(wrap(_compiled_def()))
    assert not is_trusted(wrap(host_function))
