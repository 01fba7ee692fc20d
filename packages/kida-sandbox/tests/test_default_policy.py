"""``DEFAULT_POLICY``: the policy a SandboxedEnvironment enforces when given none."""

from __future__ import annotations

import pytest

from kida_sandbox import DEFAULT_POLICY, SandboxedEnvironment, SandboxPolicy, SecurityError


def test_default_policy_is_the_policy_of_a_plain_sandbox() -> None:
    assert SandboxedEnvironment().sandbox_policy is DEFAULT_POLICY
    assert SandboxPolicy() == DEFAULT_POLICY


def test_default_policy_refuses_private_attributes() -> None:
    env = SandboxedEnvironment(sandbox_policy=DEFAULT_POLICY)
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__ }}").render(x=1)
