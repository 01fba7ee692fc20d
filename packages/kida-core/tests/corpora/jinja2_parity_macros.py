"""Differential corpus: macros, call blocks, imports with context, ``self`` and block flags.

Each case renders ``source`` (named ``page.html``) with the other ``templates``
available by name, in Jinja2 and in Kida, through a dictionary loader. Cases stay
on behaviour both engines share: undefined values are never printed (Kida's
undefined is strict), macros are called with the arguments their body reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kida_core_differential_corpus import Case


@dataclass(frozen=True)
class TemplatesCase(Case):
    """A case whose ``source`` can import, include or extend ``templates``."""

    templates: dict[str, str] = field(default_factory=dict)


FORMS = (
    '{% macro label(text, for_id) %}<label for="{{ for_id }}">{{ text }}</label>{% endmacro %}'
    "{% macro field(name, value='', type='text') %}"
    "<div class=\"field {{ theme }}\">{{ label(name|title, 'id_' ~ name) }}"
    '<input type="{{ type }}" name="{{ name }}" value="{{ value }}"'
    '{% for key, val in kwargs|dictsort %} {{ key }}="{{ val }}"{% endfor %}></div>'
    "{% endmacro %}"
    "{% macro fieldset(legend) %}<fieldset><legend>{{ legend }}</legend>"
    "{{ caller() }}</fieldset>{% endmacro %}"
)

BASE = (
    "<html><head><title>{% block title %}Site{% endblock %}</title></head>"
    "<body><h1>{{ self.title() }}</h1>{% block body %}{% endblock %}</body></html>"
)

CASES: tuple[TemplatesCase, ...] = (
    TemplatesCase(
        "macro_defaults",
        "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}"
        "{{ greet('Ann') }} {{ greet('Bob', 'Hi') }} {{ greet(greeting='Yo', name='Cy') }}",
    ),
    TemplatesCase(
        "macro_default_reads_earlier_argument",
        "{% macro span(start, stop=start + 10) %}{{ start }}-{{ stop }}{% endmacro %}"
        "{{ span(1) }} {{ span(1, 2) }}",
    ),
    TemplatesCase(
        "macro_closed_with_end",
        "{% macro m() %}x{% end %}{{ m() }}",
        jinja_source="{% macro m() %}x{% endmacro %}{{ m() }}",
    ),
    TemplatesCase(
        "macro_varargs",
        "{% macro tags() %}{% for t in varargs %}<{{ t }}>{% endfor %}{% endmacro %}"
        "{{ tags('a', 'b', 'c') }}",
    ),
    TemplatesCase(
        "macro_varargs_after_arguments",
        "{% macro row(first) %}{{ first }}:{{ varargs|join(',') }}{% endmacro %}{{ row(1, 2, 3) }}",
    ),
    TemplatesCase(
        "macro_kwargs",
        "{% macro attrs() %}{% for k, v in kwargs|dictsort %}{{ k }}={{ v }};{% endfor %}"
        "{% endmacro %}{{ attrs(id='x', cls='y') }}",
    ),
    TemplatesCase(
        "macro_attributes",
        "{% macro m(a, b) %}{{ varargs|length }}{% endmacro %}"
        "{{ m.name }}|{{ m.arguments|join(',') }}|{{ m.catch_varargs }}|{{ m.catch_kwargs }}"
        "|{{ m.caller }}",
    ),
    TemplatesCase(
        "macro_is_defined_for_a_missing_argument",
        "{% macro m(a) %}{% if a is defined %}{{ a }}{% else %}none{% endif %}{% endmacro %}"
        "{{ m() }} {{ m(1) }}",
    ),
    TemplatesCase(
        "macro_recursion",
        "{% macro tree(items) %}<ul>{% for i in items %}<li>{{ i.name }}"
        "{% if i.children %}{{ tree(i.children) }}{% endif %}</li>{% endfor %}</ul>{% endmacro %}"
        "{{ tree(nodes) }}",
        {"nodes": [{"name": "a", "children": [{"name": "b", "children": []}]}]},
    ),
    TemplatesCase(
        "macro_output_is_not_escaped_twice",
        "{% macro b(text) %}<b>{{ text }}</b>{% endmacro %}{{ b('<i>') }}",
    ),
    TemplatesCase(
        "macro_reads_template_context",
        "{% macro hello() %}Hi {{ user }}{% endmacro %}{{ hello() }}",
        {"user": "Ann"},
    ),
    TemplatesCase(
        "call_block_caller",
        "{% macro box() %}<div>{{ caller() }}</div>{% endmacro %}"
        "{% call box() %}inside {{ user }}{% endcall %}",
        {"user": "Ann"},
    ),
    TemplatesCase(
        "call_block_with_arguments",
        "{% macro list_users(users) %}<ul>{% for u in users %}<li>{{ caller(u, loop.index) }}"
        "</li>{% endfor %}</ul>{% endmacro %}"
        "{% call(user, n) list_users(people) %}{{ n }}. {{ user }}{% endcall %}",
        {"people": ["Ann", "Bob"]},
    ),
    TemplatesCase(
        "call_block_argument_defaults",
        "{% macro m() %}{{ caller(1) }}|{{ caller(1, 2) }}{% endmacro %}"
        "{% call(a, b=5) m() %}{{ a }}{{ b }}{% endcall %}",
    ),
    TemplatesCase(
        "call_block_caller_called_twice",
        "{% macro twice() %}{{ caller() }}{{ caller() }}{% endmacro %}"
        "{% call twice() %}<x>{% endcall %}",
    ),
    TemplatesCase(
        "nested_call_blocks",
        "{% macro outer() %}[{{ caller() }}]{% endmacro %}"
        "{% macro inner() %}({{ caller() }}){% endmacro %}"
        "{% call outer() %}{% call inner() %}core{% endcall %}{% endcall %}",
    ),
    TemplatesCase(
        "form_library_imported_with_context",
        '{% import "forms.html" as forms with context %}<form>{{ forms.field("user") }}'
        '{{ forms.field("password", type="password", required="required") }}</form>',
        {"theme": "dark"},
        templates={"forms.html": FORMS},
    ),
    TemplatesCase(
        "form_library_from_import_with_context",
        '{% from "forms.html" import field, fieldset with context %}'
        '{% call fieldset("Login") %}{{ field("email", type="email") }}{% endcall %}',
        {"theme": "light"},
        templates={"forms.html": FORMS},
    ),
    TemplatesCase(
        "from_import_alias_without_context",
        '{% from "forms.html" import label as lbl %}{{ lbl("Name", "n") }}',
        templates={"forms.html": FORMS},
    ),
    TemplatesCase(
        "self_block_in_base",
        "{% extends 'base.html' %}{% block title %}Docs{% endblock %}"
        "{% block body %}<p>{{ self.title() }}</p>{% endblock %}",
        templates={"base.html": BASE},
    ),
    TemplatesCase(
        "self_block_without_override",
        "{% extends 'base.html' %}{% block body %}body{% endblock %}",
        templates={"base.html": BASE},
    ),
    TemplatesCase(
        "self_block_in_single_template",
        "{% block a %}A{% endblock %}|{{ self.a() }}{{ self.a() }}",
    ),
    TemplatesCase(
        "scoped_block_in_loop",
        "{% for item in items %}{% block row scoped %}<{{ item }}:{{ loop.index }}>"
        "{% endblock %}{% endfor %}",
        {"items": ["a", "b"]},
    ),
    TemplatesCase(
        "scoped_block_sees_set_in_loop_and_outer_loop",
        "{% for i in [1, 2] %}{% for j in [3] %}{% set y = i * j %}"
        "{% block cell scoped %}({{ i }},{{ j }},{{ y }}){% endblock %}{% endfor %}{% endfor %}",
    ),
    TemplatesCase(
        "unscoped_block_in_loop_sees_top_level_set",
        "{% set x = 'top' %}{% for i in [1, 2] %}{% block b %}{{ x }}{% endblock %}{% endfor %}",
    ),
    TemplatesCase(
        "macro_renders_self_block",
        "{% macro again() %}[{{ self.t() }}]{% endmacro %}"
        "{% block t %}T{% endblock %}{{ again() }}",
    ),
    TemplatesCase(
        "call_body_in_kwargs",
        "{% macro m() %}{{ kwargs.caller() }}{% endmacro %}{% call m() %}body{% endcall %}",
    ),
    TemplatesCase(
        "scoped_block_overridden_by_child",
        "{% extends 'list.html' %}{% block row scoped %}[{{ item|upper }}]{% endblock %}",
        {"items": ["a", "b"]},
        templates={
            "list.html": "{% for item in items %}{% block row scoped %}{{ item }}{% endblock %}"
            "{% endfor %}"
        },
    ),
    TemplatesCase(
        "required_block_overridden",
        "{% extends 'layout.html' %}{% block content %}filled{% endblock %}",
        templates={
            "layout.html": "<main>{% block content required %}{# fill me #} {% endblock %}</main>"
        },
    ),
    TemplatesCase(
        "scoped_required_block_overridden",
        "{% extends 'rows.html' %}{% block row %}{{ r * 2 }}{% endblock %}",
        {"rows": [1, 2]},
        templates={
            "rows.html": "{% for r in rows %}{% block row scoped required %}{% endblock %}"
            "{% endfor %}"
        },
    ),
    TemplatesCase(
        "macro_in_included_template_sees_includer",
        "{% set title = 'T' %}{% include 'part.html' %}",
        templates={"part.html": "{% macro h() %}<h2>{{ title }}</h2>{% endmacro %}{{ h() }}"},
    ),
    TemplatesCase(
        "macro_inside_if_visible_after",
        "{% if compact %}{% macro row(x) %}{{ x }};{% endmacro %}"
        "{% else %}{% macro row(x) %}<li>{{ x }}</li>{% endmacro %}{% endif %}"
        "{% for x in items %}{{ row(x) }}{% endfor %}",
        {"compact": False, "items": ["a", "b"]},
    ),
    TemplatesCase(
        "macro_inside_false_if_undefined",
        "{% if false %}{% macro m() %}x{% endmacro %}{% endif %}{{ m is defined }}",
    ),
    TemplatesCase(
        "macro_inside_if_replaces_outer",
        "{% macro m() %}1{% endmacro %}{% if swap %}{% macro m() %}2{% endmacro %}{% endif %}"
        "{{ m() }}",
        {"swap": True},
    ),
    TemplatesCase(
        "macro_inside_for_per_iteration",
        "{% for i in [1, 2, 3] %}{% macro m(x) %}{{ x }}{{ i }}/{{ loop.index }}{% endmacro %}"
        "{{ m('#') }} {% endfor %}{{ m is defined }}",
    ),
    TemplatesCase(
        "macro_inside_for_reads_outer_before_redefining",
        "{% macro m() %}out{% endmacro %}{% for i in [1, 2] %}{{ m() }}"
        "{% macro m() %}in{{ i }}{% endmacro %}{{ m() }}{% endfor %}{{ m() }}",
    ),
    TemplatesCase(
        "macro_inside_if_inside_for_resets_each_iteration",
        "{% for i in [1, 2] %}{% if i == 1 %}{% macro m() %}a{{ i }}{% endmacro %}{% endif %}"
        "{{ m is defined }}{% endfor %}",
    ),
    TemplatesCase(
        "macro_inside_for_with_if_override",
        "{% for i in [1, 2] %}{% macro m() %}{{ i }}{% endmacro %}"
        "{% if i == 2 %}{% macro m() %}two{% endmacro %}{% endif %}{{ m() }}{% endfor %}",
    ),
    TemplatesCase(
        "macro_inside_if_with_caller",
        "{% if true %}{% macro box() %}[{{ caller() }}]{% endmacro %}{% endif %}"
        "{% call box() %}body{% endcall %}",
    ),
    TemplatesCase(
        "macro_inside_if_inside_macro",
        "{% macro outer(n) %}{% for i in range(n) %}{% if i is odd %}{% macro m() %}o{% endmacro %}"
        "{% else %}{% macro m() %}e{% endmacro %}{% endif %}{{ m() }}{% endfor %}{% endmacro %}"
        "{{ outer(3) }}",
    ),
    TemplatesCase(
        "macro_inside_if_sees_later_template_values",
        "{% set x = 5 %}{% if true %}{% macro m() %}{{ x }}{% endmacro %}{% endif %}"
        "{% set x = 6 %}{{ m() }}",
    ),
    TemplatesCase(
        "macro_inside_with_and_filter_stay_local",
        "{% with a = 1 %}{% macro m() %}{{ a }}{% endmacro %}{{ m() }}{% endwith %}"
        "{% filter upper %}{% macro n() %}f{% endmacro %}{{ n() }}{% endfilter %}"
        "{{ m is defined }}{{ n is defined }}",
    ),
    TemplatesCase(
        "macro_inside_if_in_block_of_child",
        "{% extends 'base.html' %}{% block body %}{% if true %}{% macro b() %}B{% endmacro %}"
        "{% endif %}{{ b() }}{% endblock %}",
        templates={"base.html": "<{% block body %}{% endblock %}>"},
    ),
    TemplatesCase(
        "recursive_macro_inside_for",
        "{% for start in [2, 1] %}{% macro down(n) %}{{ n }}{% if n %}{{ down(n - 1) }}{% endif %}"
        "{% endmacro %}{{ down(start) }},{% endfor %}",
    ),
    TemplatesCase(
        "bare_with_opens_a_scope",
        "{% with %}{% set y = 1 %}{{ y }}{% endwith %}{{ y is defined }}",
    ),
)
