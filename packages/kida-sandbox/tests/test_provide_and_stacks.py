"""provide/consume and push/stack under the sandbox: they work, and stay guarded."""

from __future__ import annotations

import pytest

from kida_core.errors import ErrorCode, SecurityError
from kida_sandbox import SandboxedEnvironment, SandboxPolicy


def test_provide_consume_push_and_stack_render_in_the_sandbox() -> None:
    source = (
        "{% stack 'js' %}{% provide theme = 'dark' %}"
        "{% push 'js' %}<s>{{ consume('theme') }}</s>{% end %}{% end %}"
    )
    assert SandboxedEnvironment().from_string(source).render() == "<s>dark</s>"


def test_calls_in_a_push_body_go_through_the_guard() -> None:
    source = "{% push 'js' %}{{ f() }}{% end %}{% stack 'js' %}"
    template = SandboxedEnvironment().from_string(source)
    with pytest.raises(SecurityError) as info:
        template.render(f=lambda: "x")
    assert info.value.code is ErrorCode.BLOCKED_CALLABLE


def test_filled_stacks_count_towards_the_output_limit() -> None:
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_output_size=100))
    source = "{% stack 'x' %}{% for i in range(3) %}{% push 'x' %}{{ 'y' * 40 }}{% end %}{% end %}"
    with pytest.raises(SecurityError) as info:
        env.from_string(source).render()
    assert info.value.code is ErrorCode.OUTPUT_LIMIT
