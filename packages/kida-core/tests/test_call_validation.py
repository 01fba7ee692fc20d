"""Environment(validate_calls=True): def call sites checked at compile time (K-CMP-001/002)."""

from __future__ import annotations

import warnings

import pytest

from kida_core import Environment, ErrorCode, TemplateSyntaxError
from kida_core.errors import ComponentWarning, TemplateWarning

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


# K-CMP-002: literal arguments against simple annotations

TYPED = (
    "{% def badge(label: str, count: int = 0, ratio: float = 1.0, note: str | None = none) %}"
    "{% end %}\n"
)


def type_warnings(source: str) -> list[TemplateWarning]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        template = Environment(validate_calls=True).from_string(source, name="page.html")
    recorded = [w for w in template.warnings if w.code is ErrorCode.COMPONENT_TYPE_MISMATCH]
    emitted = [w for w in caught if issubclass(w.category, ComponentWarning)]
    assert [str(w.message) for w in emitted] == [w.format_message() for w in recorded]
    return recorded


def test_literal_of_the_wrong_type_is_a_component_warning() -> None:
    [warning] = type_warnings(TYPED + "{{ badge(42) }}")
    assert "argument 'label' is int 42, but the parameter is annotated 'str'" in warning.message
    assert (warning.template_name, warning.lineno) == ("page.html", 2)
    assert "the def is on line 1" in (warning.suggestion or "")


def test_keyword_literals_are_checked() -> None:
    [warning] = type_warnings(TYPED + '{{ badge("x", count="3") }}')
    assert "argument 'count' is str '3'" in warning.message


def test_literals_that_fit_their_annotation_do_not_warn() -> None:
    assert type_warnings(TYPED + '{{ badge("x", 3, 2.5, "n") }}{{ badge("y", note=none) }}') == []


def test_an_int_literal_fits_a_float_parameter() -> None:
    assert type_warnings(TYPED + '{{ badge("x", ratio=2) }}') == []


def test_a_float_literal_does_not_fit_an_int_parameter() -> None:
    [warning] = type_warnings(TYPED + '{{ badge("x", count=2.5) }}')
    assert "argument 'count' is float 2.5" in warning.message


def test_none_does_not_fit_a_parameter_without_none_in_its_union() -> None:
    [warning] = type_warnings(TYPED + "{{ badge(none) }}")
    assert "argument 'label' is None" in warning.message


def test_variables_and_complex_annotations_are_not_checked() -> None:
    source = '{% def f(items: list[int], label: str) %}{% end %}{{ f("x", label=title) }}'
    assert type_warnings(source) == []


def test_type_warnings_need_validate_calls() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        template = Environment().from_string(TYPED + "{{ badge(42) }}")
    assert template.warnings == []
