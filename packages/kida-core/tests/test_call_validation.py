"""Environment(validate_calls=True): def call sites checked at compile time (K-CMP-001)."""

from __future__ import annotations

import pytest

from kida_core import Environment, ErrorCode, TemplateSyntaxError

DEFS = '{% def card(title, tone="info") %}[{{ title }}|{{ tone }}]{% end %}\n'


def compile_checked(source: str) -> None:
    Environment(validate_calls=True).from_string(source, name="page.html")


def error_for(source: str) -> TemplateSyntaxError:
    with pytest.raises(TemplateSyntaxError) as info:
        compile_checked(source)
    assert info.value.code is ErrorCode.COMPONENT_CALL_SIGNATURE
    return info.value


def test_matching_calls_compile() -> None:
    compile_checked(DEFS + '{{ card("a") }}{{ card("a", "b") }}{{ card(title="a", tone="b") }}')


def test_unknown_keyword_is_reported_with_a_suggestion() -> None:
    error = error_for(DEFS + '{{ card(titel="a") }}')
    assert "unknown parameter 'titel'" in str(error)
    assert "did you mean 'title'?" in (error.suggestion or "")
    assert (error.lineno, error.col_offset) == (2, 3)


def test_too_many_positional_arguments() -> None:
    assert "3 positional arguments for 2 parameters" in str(error_for(DEFS + "{{ card(1, 2, 3) }}"))


def test_a_parameter_given_twice() -> None:
    assert "given twice" in str(error_for(DEFS + '{{ card("a", title="b") }}'))


def test_missing_required_parameter() -> None:
    assert "missing required parameter(s): title" in str(error_for(DEFS + "{{ card() }}"))


def test_call_blocks_are_checked_too() -> None:
    assert "unknown parameter" in str(error_for(DEFS + '{% call card(name="x") %}body{% end %}'))


def test_varargs_and_kwargs_accept_extra_arguments() -> None:
    compile_checked("{% def f(a, *rest, **attrs) %}{% end %}{{ f(1, 2, 3, x=1) }}")


def test_splat_calls_are_not_checked_for_missing_parameters() -> None:
    compile_checked(DEFS + "{{ card(**options) }}")


def test_imported_defs_are_checked_against_their_signature() -> None:
    from kida_loaders import DictLoader

    env = Environment(
        validate_calls=True,
        loader=DictLoader(
            {
                "components.html": DEFS,
                "page.html": '{% from "components.html" import card as c %}{{ c(x=1) }}',
            }
        ),
    )
    with pytest.raises(TemplateSyntaxError, match="unknown parameter 'x'"):
        env.get_template("page.html")


def test_rebound_names_are_not_checked() -> None:
    compile_checked(DEFS + "{% set card = other %}{{ card(anything=1) }}")


def test_validation_is_off_by_default() -> None:
    Environment().from_string(DEFS + '{{ card(titel="a") }}')
