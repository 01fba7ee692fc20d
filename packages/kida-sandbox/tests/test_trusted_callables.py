"""The sandbox trusts callables by core's marker, and a template cannot obtain or forge one."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core.errors import ErrorCode, SecurityError, TemplateRuntimeError
from kida_core.protocols import RuntimeGuard, RuntimeGuardHooks
from kida_core.runtime.trust import TRUSTED_MARK, is_trusted, trusted
from kida_sandbox import SandboxedEnvironment


def unmarked() -> str:
    return "unmarked ran"


@trusted
def marked() -> str:
    return "marked ran"


@trusted
def apply(func: Any) -> Any:
    return func()


class Clock:
    def __call__(self) -> str:
        return "noon"


CLOCK = trusted(Clock())


class Service:
    @trusted
    def fetch(self) -> str:
        return "fetched"


def render(source: str, **context: Any) -> str:
    return SandboxedEnvironment().from_string(source).render(**context)


def refused(source: str, **context: Any) -> SecurityError:
    with pytest.raises(SecurityError) as info:
        render(source, **context)
    return info.value


def test_an_unmarked_function_from_the_context_is_refused() -> None:
    error = refused("{{ f() }}", f=unmarked)
    assert error.code is ErrorCode.BLOCKED_CALLABLE
    assert "plain Python function from the context" in error.message


def test_a_marked_function_from_the_host_is_called() -> None:
    assert render("{{ f() }}", f=marked) == "marked ran"


def test_a_marked_method_is_called() -> None:
    assert render("{{ service.fetch() }}", service=Service()) == "fetched"


def test_a_marked_function_may_be_passed_as_an_argument() -> None:
    assert render("{{ apply(f) }}", apply=apply, f=marked) == "marked ran"


def test_an_unmarked_function_may_not_be_passed_as_an_argument() -> None:
    assert refused("{{ apply(f) }}", apply=apply, f=unmarked).code is ErrorCode.BLOCKED_CALLABLE


def test_an_unsafe_marker_wins_over_trust() -> None:
    @trusted
    def purge() -> None:
        raise AssertionError("a function marked unsafe ran")

    purge.alters_data = True  # type: ignore[attr-defined]
    assert "alters_data" in refused("{{ purge() }}", purge=purge).message


def test_a_marked_callable_object_is_called() -> None:
    assert render("{{ clock() }}", clock=CLOCK) == "noon"


@pytest.mark.parametrize("lookup", ["clock.{}", "clock['{}']", "clock | attr('{}')"])
def test_a_template_cannot_read_the_mark(lookup: str) -> None:
    error = refused("{{ " + lookup.format(TRUSTED_MARK) + " }}", clock=CLOCK)
    assert error.code is ErrorCode.BLOCKED_ATTRIBUTE


def test_a_template_cannot_assign_the_mark() -> None:
    with pytest.raises(TemplateRuntimeError, match="non-namespace object"):
        render("{% set f." + TRUSTED_MARK + " = true %}", f=unmarked)
    assert not is_trusted(unmarked)


def test_a_namespace_attribute_named_like_the_mark_trusts_nothing() -> None:
    source = "{% set ns = namespace() %}{% set ns." + TRUSTED_MARK + " = true %}{{ ns() }}"
    error = refused(source)
    assert error.code is ErrorCode.BLOCKED_CALLABLE


def test_a_template_cannot_mark_a_function() -> None:
    error = refused("{{ trust(f)() }}", trust=trusted, f=unmarked)
    assert "marks callables as trusted" in error.message


def test_a_template_cannot_launder_a_function_through_a_def() -> None:
    source = "{% def call_it(g) %}{{ g() }}{% end %}{{ call_it(f) }}"
    assert refused(source, f=unmarked).code is ErrorCode.BLOCKED_CALLABLE


def test_the_sandbox_guard_has_every_hook() -> None:
    guard = SandboxedEnvironment().guard
    assert isinstance(guard, RuntimeGuard)
    hooks = [
        name
        for name in vars(RuntimeGuardHooks)
        if not name.startswith("_") and name != "patch_namespace"  # every helper hook
    ]
    assert all(callable(getattr(guard, name, None)) for name in hooks)
    assert not hasattr(guard, "patch_namespace")  # it needs no namespace surgery


def test_the_sandbox_installs_its_own_guard() -> None:
    env = SandboxedEnvironment()
    assert env.runtime_guard is env.guard
    with pytest.raises(ValueError, match="installs its own runtime guard"):
        SandboxedEnvironment(runtime_guard=env.guard)
