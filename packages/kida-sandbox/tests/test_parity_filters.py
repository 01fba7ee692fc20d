"""The Jinja2-parity filters under the sandbox: names given to ``map`` and ``select``,
``%``-style ``format``, ``urlize`` and the policies."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core.errors import SecurityError
from kida_sandbox import SandboxedEnvironment


def _render(source: str, **context: Any) -> str:
    return SandboxedEnvironment().from_string(source).render(**context)


def test_map_by_filter_name_works() -> None:
    assert _render("{{ ['1', '2'] | map('int') | sum }}") == "3"


def test_map_by_user_filter_name_works() -> None:
    env = SandboxedEnvironment()
    env.add_filter("double", lambda value: value * 2)
    assert env.from_string("{{ [1, 2] | map('double') | join(',') }}").render() == "2,4"


def test_map_method_fallback_works_for_safe_methods() -> None:
    assert _render("{{ ['a-b'] | map('split', '-') | first | join }}") == "ab"


@pytest.mark.parametrize("name", ["mro", "__class__", "__subclasses__", "__init__"])
def test_map_method_fallback_refuses_unsafe_names(name: str) -> None:
    with pytest.raises(SecurityError):
        _render(f"{{{{ [cls] | map('{name}') | list }}}}", cls=int)


def test_map_attribute_refuses_unsafe_names() -> None:
    with pytest.raises(SecurityError):
        _render("{{ [1] | map(attribute='__class__') | list }}")


def test_select_by_test_name_works() -> None:
    assert _render("{{ [1, 2, 3] | select('gt', 1) | join }}") == "23"


def test_percent_format_works() -> None:
    assert _render("{{ '%s=%d' | format('a', 1) }}") == "a=1"


def test_percent_format_width_is_limited() -> None:
    with pytest.raises(SecurityError):
        _render("{{ '%999999999s' | format('x') }}")


def test_urlize_links_in_the_sandbox() -> None:
    assert _render("{{ 'see www.a.com' | urlize }}") == (
        'see <a href="https://www.a.com" rel="noopener">www.a.com</a>'
    )


def test_truncate_reads_the_leeway_policy() -> None:
    env = SandboxedEnvironment()
    env.policies["truncate.leeway"] = 5
    assert env.from_string("{{ 'hello world!' | truncate(11) }}").render() == "hello world!"


def test_items_refuses_reading_items_of_a_class() -> None:
    with pytest.raises(SecurityError):
        _render("{{ cls | items | list }}", cls=dict)
