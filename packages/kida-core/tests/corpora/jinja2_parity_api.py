"""Differential corpus for the Jinja2 API: finalize, ``Template.module``, ``select_template``.

``FINALIZE_CASES`` render with :func:`finalize` as the Environment's ``finalize``
in both engines; ``MODULE_CASES`` compare ``str(template.make_module(context))``;
``SELECT_CASES`` render ``select_template(names)`` over :data:`TEMPLATES`
(a name list does not fit :class:`Case`, so they have their own small shape).

Left out: a literal ``{{ none }}`` under autoescape, which Jinja2 folds at
compile time without its ``finalize`` (Kida applies ``finalize`` to every output).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kida_core_differential_corpus import Case


def finalize(value: Any) -> Any:
    """``None`` shows as ``-``, booleans as ``yes``/``no``; other values pass unchanged."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


FINALIZE_CASES: tuple[Case, ...] = (
    Case("fin_none_variable", "[{{ missing_value }}]", {"missing_value": None}),
    Case("fin_bool", "{{ flag }}/{{ not flag }}", {"flag": True}),
    Case("fin_number_unchanged", "{{ n }}{{ 1 + 2 }}", {"n": 7}),
    Case("fin_text_untouched", "None True {{ 'None' }}"),
    Case("fin_in_loop", "{% for x in xs %}{{ x }},{% endfor %}", {"xs": [1, None, False]}),
    Case("fin_before_escape", "{{ s }}", {"s": "<b>"}),
    Case(
        "fin_in_block",
        "{% block b %}{{ v }}{% endblock %}",
        {"v": None},
    ),
    Case(
        "fin_filter_result",
        "{{ xs | first }}|{{ xs | last }}",
        {"xs": [None, True]},
    ),
    Case(
        "fin_conditional",
        "{{ a if a else none }}",
        {"a": 0},
    ),
)


MODULE_CASES: tuple[Case, ...] = (
    Case("mod_plain_text", "Hello"),
    Case("mod_with_variable", "Hello {{ who }}!", {"who": "Ann"}),
    Case(
        "mod_top_level_set",
        "{% set greeting = 'Hi' %}{{ greeting }} {{ who }}",
        {"who": "Bo"},
    ),
    Case(
        "mod_def_call",
        "{% def tag(x) %}<{{ x }}>{% end %}{{ tag('a') }}",
        jinja_source="{% macro tag(x) %}<{{ x }}>{% endmacro %}{{ tag('a') }}",
    ),
    Case("mod_loop", "{% for i in range(3) %}{{ i }}{% endfor %}"),
    Case("mod_escaped", "{{ s }}", {"s": "<i>"}),
)


@dataclass(frozen=True)
class SelectCase:
    """``select_template(names)`` rendered with ``context``."""

    id: str
    names: tuple[str, ...]
    context: dict[str, Any] = field(default_factory=dict)


TEMPLATES: dict[str, str] = {
    "page.html": "page {{ title }}",
    "fallback.html": "fallback",
    "user/profile.html": "profile of {{ name }}",
}


SELECT_CASES: tuple[SelectCase, ...] = (
    SelectCase("sel_first_exists", ("page.html", "fallback.html"), {"title": "T"}),
    SelectCase("sel_skips_missing", ("missing.html", "fallback.html")),
    SelectCase("sel_nested_name", ("user/missing.html", "user/profile.html"), {"name": "ann"}),
    SelectCase("sel_last_resort", ("a.html", "b.html", "page.html"), {"title": "x"}),
)
