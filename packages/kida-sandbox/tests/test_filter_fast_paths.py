"""Filters' shortcuts for plain strings decide exactly as their full checks would.

``join`` over a list of plain strings and ``replace`` whose worst-case growth fits skip
the per-item sizing; at and just past ``max_sequence_length`` the outcome, and the error,
must be the ones the full checks give.
"""

from __future__ import annotations

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode, SecurityError
from kida_core.markup import Markup
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

LIMIT = 20


def _render(source: str, **context: object) -> str:
    env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(max_sequence_length=LIMIT))
    return env.from_string(source).render(**context)


@pytest.mark.parametrize(
    ("items", "separator"),
    [
        (["abcd"] * 4, ", "),  # 4 * 4 + 3 * 2 = 22 > 20
        (("a" * 21,), ""),
        (["a" * 10, "b" * 10], "-"),  # 21
    ],
)
def test_join_of_plain_strings_past_the_limit_is_refused(items: object, separator: str) -> None:
    with pytest.raises(SecurityError) as info:
        _render("{{ items | join(sep) }}", items=items, sep=separator)
    assert info.value.code is ErrorCode.RANGE_LIMIT
    assert "join filter result" in str(info.value)


@pytest.mark.parametrize(
    ("items", "separator"),
    [
        (["abcd"] * 4, ","),  # exactly 19
        (["a" * 10, "b" * 10], ""),  # exactly 20
        ([], ", "),
        (("x", Markup("<b>")), " & "),  # Markup items take the full path
    ],
)
def test_join_within_the_limit_renders_as_without_the_sandbox(
    items: object, separator: str
) -> None:
    source = "{{ items | join(sep) }}"
    plain = Environment().from_string(source).render(items=items, sep=separator)
    assert _render(source, items=items, sep=separator) == plain


def test_replace_refused_only_when_the_actual_hits_pass_the_limit() -> None:
    # Worst case (every character a hit) is 20 + 20 characters; the 2 hits give 12.
    assert _render('{{ value | replace("x", "yy") }}', value="xx........") == "yyyy........"
    with pytest.raises(SecurityError) as info:
        _render('{{ value | replace("x", "yyy") }}', value="xxxxxxxxx")  # 27 > 20
    assert "replace filter result" in str(info.value)
