"""Template objects handed to a sandboxed template through the context."""

from __future__ import annotations

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode, SecurityError
from kida_sandbox import SandboxedEnvironment

TRUSTED = "{{ payload.upper() }}"


@pytest.fixture
def sandbox() -> SandboxedEnvironment:
    return SandboxedEnvironment()


@pytest.mark.parametrize(
    "source",
    [
        "{% include partial %}",
        "{% extends partial %}",
        "{% import partial as p %}done",
    ],
    ids=["include", "extends", "import"],
)
def test_a_template_of_a_plain_environment_is_refused(
    sandbox: SandboxedEnvironment, source: str
) -> None:
    foreign = Environment().from_string(TRUSTED, name="trusted.html")
    page = sandbox.from_string(source, name="evil.html")
    with pytest.raises(SecurityError) as info:
        page.render(partial=foreign, payload="x")
    assert info.value.code is ErrorCode.BLOCKED_TYPE
    assert "trusted.html" in str(info.value)


def test_a_template_of_another_sandbox_is_refused(sandbox: SandboxedEnvironment) -> None:
    foreign = SandboxedEnvironment().from_string(TRUSTED, name="other.html")
    page = sandbox.from_string("{% include partial %}", name="evil.html")
    with pytest.raises(SecurityError):
        page.render(partial=foreign, payload="x")


def test_a_template_of_the_same_sandbox_is_included(sandbox: SandboxedEnvironment) -> None:
    own = sandbox.from_string(TRUSTED, name="own.html")
    page = sandbox.from_string("[{% include partial %}]", name="page.html")
    assert page.render(partial=own, payload="x") == "[X]"


def test_a_plain_environment_includes_templates_of_other_environments() -> None:
    foreign = Environment().from_string(TRUSTED, name="trusted.html")
    page = Environment().from_string("[{% include partial %}]", name="page.html")
    assert page.render(partial=foreign, payload="x") == "[X]"
