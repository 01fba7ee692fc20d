"""Filters Kida compiles inline elsewhere keep every check under the sandbox.

A sandboxed template is compiled for its guard, so built-in filters stay calls
to the (sandbox's) filter functions even in the literal-argument shapes that
compile to inline Python without a guard.
"""

from __future__ import annotations

import pytest

from kida_core.errors import ErrorCode, SecurityError
from kida_sandbox import SandboxedEnvironment, SandboxPolicy


class Account:
    """A model with a private attribute."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._password = "hunter2"


def _env(**policy: object) -> SandboxedEnvironment:
    return SandboxedEnvironment(sandbox_policy=SandboxPolicy(**policy))  # type: ignore[arg-type]


def test_map_attribute_with_a_literal_private_name_is_refused() -> None:
    template = _env().from_string("{{ accounts | map(attribute='_password') | join(',') }}")
    with pytest.raises(SecurityError):
        template.render(accounts=[Account("ada")])


def test_map_attribute_with_a_literal_public_name_renders() -> None:
    template = _env().from_string("{{ accounts | map(attribute='name') | sort | join(', ') }}")
    assert template.render(accounts=[Account("b"), Account("A")]) == "A, b"


def test_join_with_a_literal_separator_past_the_size_limit_is_refused() -> None:
    template = _env(max_sequence_length=10).from_string("{{ items | join(', ') }}")
    with pytest.raises(SecurityError) as info:
        template.render(items=["abcd", "efgh", "ijkl"])
    assert info.value.code is ErrorCode.RANGE_LIMIT


def test_replace_with_literal_arguments_past_the_size_limit_is_refused() -> None:
    template = _env(max_sequence_length=10).from_string("{{ value | replace('x', 'yyyy') }}")
    with pytest.raises(SecurityError) as info:
        template.render(value="xxxx")
    assert info.value.code is ErrorCode.RANGE_LIMIT
