"""FunctionLoader: a callable decides what each name loads."""

from __future__ import annotations

import pytest

from kida_core.errors import TemplateNotFoundError
from kida_loaders import FunctionLoader

TEMPLATES = {"a.html": "A"}


def lookup(name: str) -> str | None:
    return TEMPLATES.get(name)


def test_a_string_result_is_the_source_with_filename_function() -> None:
    assert FunctionLoader(lookup).get_source("a.html") == ("A", "<function>")


def test_a_tuple_result_is_used_as_given() -> None:
    loader = FunctionLoader(lambda name: (f"source of {name}", f"/virtual/{name}"))
    assert loader.get_source("x.html") == ("source of x.html", "/virtual/x.html")


def test_a_tuple_may_carry_no_filename() -> None:
    assert FunctionLoader(lambda name: ("S", None)).get_source("x") == ("S", None)


def test_none_means_not_found_and_names_the_function() -> None:
    with pytest.raises(TemplateNotFoundError, match=r"'x.html' not found: .*lookup returned None"):
        FunctionLoader(lookup).get_source("x.html")


def test_any_other_result_is_a_type_error() -> None:
    loader = FunctionLoader(lambda name: 42)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="returned int for 'x'; expected a source string"):
        loader.get_source("x")


def test_list_templates_is_always_empty() -> None:
    assert FunctionLoader(lookup).list_templates() == []


def test_has_no_change_detection() -> None:
    assert not hasattr(FunctionLoader(lookup), "source_version")


def test_repr_names_the_function() -> None:
    assert repr(FunctionLoader(lookup)) == f"FunctionLoader({__name__}.lookup)"
