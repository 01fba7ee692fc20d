"""A ``SoftStr`` in a sandboxed template is text: printed escaped, its function out of reach."""

from __future__ import annotations

import pytest

from kida_core.errors import SecurityError
from kida_core.utils.html import SoftStr
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

SCRIPT = "<script>alert(1)</script>"


def test_a_soft_str_renders_escaped_through_filters() -> None:
    template = SandboxedEnvironment().from_string("{{ s }}|{{ s | upper }}|{{ s | length }}")
    assert template.render(s=SoftStr(lambda: SCRIPT)) == (
        "&lt;script&gt;alert(1)&lt;/script&gt;|&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;|25"
    )


@pytest.mark.parametrize("source", ["{{ s._func() }}", "{{ s._func }}", "{{ s.__class__ }}"])
def test_the_function_behind_a_soft_str_is_out_of_reach(source: str) -> None:
    with pytest.raises(SecurityError, match="blocked"):
        SandboxedEnvironment().from_string(source).render(s=SoftStr(lambda: "x"))


def test_a_soft_str_counts_toward_the_output_limit() -> None:
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_output_size=100))
    with pytest.raises(SecurityError, match="K-SEC-005"):
        env.from_string("{{ s }}").render(s=SoftStr(lambda: "x" * 1000))
