"""Dependencies of Jinja2 macros, call blocks with arguments, ``self`` and scoped blocks."""

from __future__ import annotations

from kida_core.protocols import AnalysisContext


def deps(analyze, source: str, others: dict[str, str] | None = None) -> frozenset[str]:
    return analyze(source, others, AnalysisContext()).all_dependencies()


def test_a_macro_body_reads_count_where_it_is_called(analyze) -> None:
    source = (
        "{% macro field(name, value=default_value) %}"
        "<input class='{{ theme }}' name='{{ name }}' value='{{ value }}'>{% endmacro %}"
        "{{ field('q') }}"
    )
    assert deps(analyze, source) == frozenset({"theme", "default_value"})


def test_varargs_kwargs_and_caller_are_bound_by_a_macro(analyze) -> None:
    source = (
        "{% macro m() %}{{ varargs }}{{ kwargs }}{{ caller() }}{% endmacro %}"
        "{% call m(1) %}{{ body_text }}{% endcall %}"
    )
    assert deps(analyze, source) == frozenset({"body_text"})


def test_the_parameters_of_a_call_block_are_local_to_its_body(analyze) -> None:
    source = (
        "{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}"
        "{% call(item) each(items) %}{{ item.name }}{{ suffix }}{% endcall %}"
    )
    assert deps(analyze, source) == frozenset({"items", "suffix"})


def test_an_imported_macro_contributes_its_reads(analyze) -> None:
    forms = "{% macro field(name) %}{{ theme }}{{ name }}{% endmacro %}"
    source = "{% from 'forms.html' import field with context %}{{ field('q') }}"
    assert deps(analyze, source, {"forms.html": forms}) == frozenset({"theme"})


def test_macro_metadata_lists_its_reads(site) -> None:
    defs = site(
        {"t.html": "{% macro m(a) %}{{ a }}{{ varargs }}{{ user.name }}{% endmacro %}"}
    ).defs("t.html")
    assert defs["m"].depends_on == frozenset({"user.name"})


def test_self_block_calls_are_not_context_reads(analyze) -> None:
    assert deps(analyze, "{% block title %}{{ page.title }}{% end %}{{ self.title() }}") == (
        frozenset({"page.title"})
    )


def test_a_scoped_block_reads_loop_variables_locally(analyze) -> None:
    source = "{% for row in rows %}{% block r scoped %}{{ row.id }}{% end %}{% end %}"
    meta = analyze(source)
    assert meta.all_dependencies() == frozenset({"rows"})
    assert meta.blocks["r"].depends_on == frozenset()


def test_a_macro_inside_a_loop_reads_the_loop_variable_locally(analyze) -> None:
    source = (
        "{% for item in items %}{% macro row() %}{{ item.name }}{{ title }}{% endmacro %}"
        "{{ row() }}{% endfor %}"
    )
    assert deps(analyze, source) == frozenset({"items", "title"})


def test_a_macro_inside_an_if_is_a_template_level_name(analyze) -> None:
    source = "{% if wide %}{% macro cell() %}{{ width }}{% endmacro %}{% endif %}{{ cell() }}"
    assert deps(analyze, source) == frozenset({"wide", "width"})
