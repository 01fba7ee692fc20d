"""Diagnostics: template stacks through imported defs, compact formatting, subscript misses."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kida_core import Environment, TemplateRuntimeError, UndefinedError
from kida_core.errors import UndefinedItemError, format_template_stack
from kida_loaders import FileSystemLoader


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    (tmp_path / "macros.html").write_text("{% def ratio(a, b) %}\n{{ a / b }}\n{% end %}")
    (tmp_path / "page.html").write_text(
        "{% from 'macros.html' import ratio %}\n<p>\n{{ ratio(1, 0) }}\n</p>"
    )
    return Environment(loader=FileSystemLoader(tmp_path))


def page_error(env: Environment) -> TemplateRuntimeError:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("page.html").render()
    return info.value


# -- template stack --------------------------------------------------------------------------------


def test_error_inside_an_imported_def_lists_the_caller_in_the_template_stack(
    env: Environment,
) -> None:
    error = page_error(env)
    assert (error.template_name, error.lineno) == ("macros.html", 2)
    assert error.template_stack == [("page.html", 3)]


def test_a_def_called_in_its_own_template_adds_no_template_stack_entry() -> None:
    env = Environment()
    template = env.from_string("{% def f(a) %}\n{{ 1 / a }}\n{% end %}\n{{ f(0) }}", name="t")
    with pytest.raises(TemplateRuntimeError) as info:
        template.render()
    assert info.value.template_stack == []


def test_format_template_stack_lists_entries_outermost_first() -> None:
    assert format_template_stack([("page.html", 3), (None, 2)]) == (
        "Template stack:\n  • page.html:3\n  • <template>:2"
    )


def test_format_template_stack_of_an_empty_stack_is_empty() -> None:
    assert format_template_stack([]) == ""


# -- format_compact ----------------------------------------------------------------------------


def test_format_compact_keeps_the_template_stack_and_hint(env: Environment) -> None:
    compact = page_error(env).format_compact()
    assert "Template stack:\n  • page.html:3" in compact
    assert "Hint: The divisor is zero" in compact
    assert "Values:" not in compact


# -- UndefinedError kinds ----------------------------------------------------------------------


def test_undefined_error_of_kind_attribute() -> None:
    error = UndefinedError("emial", "a.html", 2, ["email"], kind="attribute")
    assert error.message == "Undefined attribute 'emial' in a.html:2"
    assert error.hint == "Did you mean 'email'?"


def test_undefined_error_of_kind_key_hints_optional_subscript() -> None:
    error = UndefinedError("k", kind="key")
    assert error.kind == "key"
    assert "{{ obj?['k'] }}" in error.format_compact()


# -- subscript misses --------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "name"), [("{{ d['k'] }}", "k"), ("{{ xs[100] }}", "100")])
def test_subscript_miss_is_both_undefined_and_runtime_error(source: str, name: str) -> None:
    template = Environment().from_string(source, name="t.html")
    with pytest.raises(UndefinedItemError) as info:
        template.render(d={}, xs=[1])
    error = info.value
    assert isinstance(error, UndefinedError)
    assert isinstance(error, TemplateRuntimeError)
    assert (error.kind, error.name, error.template_name, error.lineno) == ("key", name, "t.html", 1)


def test_subscript_miss_is_caught_as_template_runtime_error() -> None:
    template = Environment().from_string("{{ d['k'] }}")
    with pytest.raises(TemplateRuntimeError, match="Undefined key 'k' on dict"):
        template.render(d={})


def test_attribute_miss_stays_only_an_undefined_error() -> None:
    template = Environment().from_string("{{ d.k }}")
    with pytest.raises(UndefinedError) as info:
        template.render(d={})
    assert not isinstance(info.value, TemplateRuntimeError)


def test_subscript_miss_error_pickles() -> None:
    template = Environment().from_string("{{ d['k'] }}", name="t.html")
    with pytest.raises(UndefinedItemError) as info:
        template.render(d={})
    copy = pickle.loads(pickle.dumps(info.value))
    assert (type(copy), str(copy)) == (UndefinedItemError, str(info.value))


# -- key phrases of messages -----------------------------------------------------------------


def write(tmp_path: Path, files: dict[str, str]) -> Environment:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return Environment(loader=FileSystemLoader(tmp_path))


def test_include_recursion_says_maximum_include_depth_exceeded(tmp_path: Path) -> None:
    env = write(tmp_path, {"r.html": "{% include 'r.html' %}"})
    with pytest.raises(TemplateRuntimeError, match="Maximum include depth exceeded"):
        env.get_template("r.html").render()


def test_import_cycle_says_circular_import_detected(tmp_path: Path) -> None:
    env = write(
        tmp_path,
        {
            "a.html": "{% import 'b.html' as b %}{% def f() %}{% end %}",
            "b.html": "{% import 'a.html' as a %}{% def g() %}{% end %}",
        },
    )
    with pytest.raises(TemplateRuntimeError, match=r"Circular import detected: a\.html"):
        env.get_template("a.html").render()


def test_extends_cycle_says_circular_extends_detected(tmp_path: Path) -> None:
    env = write(tmp_path, {"a.html": "{% extends 'b.html' %}", "b.html": "{% extends 'a.html' %}"})
    with pytest.raises(TemplateRuntimeError, match="Circular extends detected"):
        env.get_template("a.html").render()


def test_missing_block_lists_available_blocks(tmp_path: Path) -> None:
    env = write(tmp_path, {"p.html": "{% block head %}{% end %}{% block body %}{% end %}"})
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template("p.html").render_block("bdy")
    assert "Available blocks: ['head', 'body']" in str(info.value)
