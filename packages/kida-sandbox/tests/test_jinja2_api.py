"""The Jinja2-style API under the sandbox: bound globals, finalize, expressions, overlays."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import pass_context, pass_environment
from kida_core.errors import SecurityError
from kida_core.runtime.passing import TemplateContext
from kida_sandbox import SandboxedEnvironment, SandboxPolicy


@pass_context
def whoami(context: TemplateContext) -> str:
    return f"I am {context['user']}"


def test_pass_context_global_is_callable_under_the_sandbox() -> None:
    env = SandboxedEnvironment(globals={"whoami": whoami})
    assert env.from_string("{{ whoami() }}").render(user="ann") == "I am ann"


def test_pass_context_global_is_callable_when_calls_are_restricted() -> None:
    env = SandboxedEnvironment(
        globals={"whoami": whoami}, sandbox_policy=SandboxPolicy(allow_calling=frozenset())
    )
    with pytest.raises(SecurityError):
        env.from_string("{{ whoami() }}").render(user="ann")


def test_bound_global_does_not_make_context_functions_callable() -> None:
    def leak() -> str:
        return "leaked"

    env = SandboxedEnvironment(globals={"whoami": whoami})
    with pytest.raises(SecurityError):
        env.from_string("{{ leak() }}").render(leak=leak)


def test_finalize_runs_under_the_sandbox() -> None:
    @pass_environment
    def mark(environment: Any, value: Any) -> str:
        return f"[{value}]"

    env = SandboxedEnvironment(finalize=mark)
    assert env.from_string("{{ 1 }}{{ 'a' }}").render() == "[1][a]"


def test_compile_expression_goes_through_the_guard() -> None:
    env = SandboxedEnvironment()
    with pytest.raises(SecurityError):
        env.compile_expression("value.__class__")(value=1)


def test_compile_expression_range_is_bounded() -> None:
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_range=10))
    with pytest.raises(SecurityError):
        env.compile_expression("range(100) | list")()


def test_overlay_keeps_the_policy() -> None:
    policy = SandboxPolicy(max_range=10)
    overlay = SandboxedEnvironment(sandbox_policy=policy).overlay(autoescape=False)
    assert isinstance(overlay, SandboxedEnvironment)
    assert overlay.sandbox_policy is policy
    with pytest.raises(SecurityError):
        overlay.from_string("{{ range(100) | list }}").render()


def test_overlay_cannot_change_the_policy() -> None:
    with pytest.raises(ValueError, match="sandbox_policy"):
        SandboxedEnvironment().overlay(sandbox_policy=SandboxPolicy())
