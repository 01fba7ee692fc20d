"""Jinja2 macros under the sandbox: calling them is trusted, their arguments still checked."""

from __future__ import annotations

import pytest

from kida_core.errors import SecurityError, TemplateRuntimeError
from kida_sandbox import SandboxedEnvironment


def test_macros_and_their_callers_are_callable() -> None:
    source = (
        "{% macro m(a) %}{{ a }}{{ varargs|length }}{{ caller() }}{% endmacro %}"
        "{% call m(1, 2) %}body{% endcall %}"
        "{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}"
        "{% call(x) each([1, 2]) %}<{{ x }}>{% endcall %}"
    )
    assert SandboxedEnvironment().from_string(source).render() == "11body<1><2>"


def test_a_macro_argument_is_still_guarded() -> None:
    source = "{% macro m(obj) %}{{ obj.__class__ }}{% endmacro %}{{ m(1) }}"
    with pytest.raises(SecurityError):
        SandboxedEnvironment().from_string(source).render()


def test_a_macro_default_is_still_guarded() -> None:
    source = "{% macro m(n=range(10 ** 9)|list) %}{{ n|length }}{% endmacro %}{{ m() }}"
    with pytest.raises(SecurityError):
        SandboxedEnvironment().from_string(source).render()


def test_a_def_output_target_cannot_be_smuggled_in_under_the_sandbox() -> None:
    # Under a guard a def never takes its caller's output target: the keyword is unknown.
    received: list[str] = []
    source = '{% def d() %}x{% end %}{{ d() }}{{ d(**{"<into>": sink}) }}'
    with pytest.raises(TemplateRuntimeError, match="unexpected keyword argument '<into>'"):
        SandboxedEnvironment().from_string(source).render(sink=received.append)
    assert received == []
