"""Differential cases for defs written straight to output (``{{ d(...) }}``).

A def called as a whole ``{{ }}`` output writes its text into the caller's
buffer instead of returning Markup; these cases check the text is the same
as Jinja2's macros give wherever such a call stands (loops, branches, filter
blocks, other defs' bodies, next to text) and where it must not (the name
rebound, the def used as a value).
"""

from __future__ import annotations

from kida_core_differential_corpus import Case

ITEMS = [{"name": "a<b", "price": 3}, {"name": "c&d", "price": 0}, {"name": "e", "price": 7}]

CASES: tuple[Case, ...] = (
    Case(
        "def_output_in_loop_with_text_around",
        '{% def row(item, mark="-") %}<li>{{ mark }}{{ item.name }}</li>{% end %}'
        "{% for item in items %}[{{ row(item, mark=loop.index) }}]{{ item.price }};{% end %}",
        {"items": ITEMS},
        jinja_source='{% macro row(item, mark="-") %}<li>{{ mark }}{{ item.name }}</li>'
        "{% endmacro %}{% for item in items %}[{{ row(item, mark=loop.index) }}]"
        "{{ item.price }};{% endfor %}",
    ),
    Case(
        "def_output_default_argument",
        "{% def tag(text, cls=none) %}<b{% if cls %} class={{ cls }}{% end %}>{{ text }}</b>"
        '{% end %}{{ tag("x<") }}{{ tag("y", cls="k") }}',
        jinja_source="{% macro tag(text, cls=none) %}<b{% if cls %} class={{ cls }}{% endif %}>"
        '{{ text }}</b>{% endmacro %}{{ tag("x<") }}{{ tag("y", cls="k") }}',
    ),
    Case(
        "def_output_inside_another_def",
        "{% def inner(x) %}({{ x }}){% end %}{% def outer(xs) %}{% for x in xs %}"
        "{{ inner(x) }}{% end %}!{% end %}{{ outer(items | map(attribute='name')) }}",
        {"items": ITEMS},
        jinja_source="{% macro inner(x) %}({{ x }}){% endmacro %}{% macro outer(xs) %}"
        "{% for x in xs %}{{ inner(x) }}{% endfor %}!{% endmacro %}"
        "{{ outer(items | map(attribute='name')) }}",
    ),
    Case(
        "def_output_inside_filter_block",
        '{% def greet(n) %}hello {{ n }}{% end %}{% filter upper %}{{ greet("ann") }}|'
        "{% end %}{{ greet('bob') }}",
        jinja_source="{% macro greet(n) %}hello {{ n }}{% endmacro %}{% filter upper %}"
        "{{ greet(\"ann\") }}|{% endfilter %}{{ greet('bob') }}",
    ),
    Case(
        "def_output_in_branches",
        "{% def d(v) %}<{{ v }}>{% end %}{% if flag %}{{ d(1) }}{% else %}{{ d(2) }}{% end %}"
        "{% for i in [3, 4] %}{% if i > 3 %}{{ d(i) }}{% end %}{% end %}",
        {"flag": False},
        jinja_source="{% macro d(v) %}<{{ v }}>{% endmacro %}{% if flag %}{{ d(1) }}{% else %}"
        "{{ d(2) }}{% endif %}{% for i in [3, 4] %}{% if i > 3 %}{{ d(i) }}{% endif %}"
        "{% endfor %}",
    ),
    Case(
        "def_output_and_def_as_value",
        "{% def d(v) %}<i>{{ v }}</i>{% end %}{% set saved = d('&') %}{{ d('a') }}"
        "{{ saved }}{{ saved | length }}{{ d('b') | upper }}",
        jinja_source="{% macro d(v) %}<i>{{ v }}</i>{% endmacro %}{% set saved = d('&') %}"
        "{{ d('a') }}{{ saved }}{{ saved | length }}{{ d('b') | upper }}",
    ),
    Case(
        "def_output_name_rebound_later",
        "{% def d() %}def{% end %}{{ d() }}{% set d = 'text' %}{{ d }}",
        jinja_source="{% macro d() %}def{% endmacro %}{{ d() }}{% set d = 'text' %}{{ d }}",
    ),
    Case(
        "def_output_of_a_def_defined_later",
        "{% def a() %}[{{ d() }}]{% end %}{% def d() %}x{% end %}{{ a() }}{{ d() }}",
        jinja_source="{% macro a() %}[{{ d() }}]{% endmacro %}{% macro d() %}x{% endmacro %}"
        "{{ a() }}{{ d() }}",
    ),
    Case(
        "def_output_in_block",
        "{% block body %}{% def d(v) %}<{{ v }}>{% end %}{% for i in [1, 2] %}{{ d(i) }}"
        "{% end %}{% end %}",
        jinja_source="{% block body %}{% macro d(v) %}<{{ v }}>{% endmacro %}"
        "{% for i in [1, 2] %}{{ d(i) }}{% endfor %}{% endblock %}",
    ),
    Case(
        "def_output_recursive",
        "{% def tree(node) %}{{ node.name }}{% if node.kids %}({% for kid in node.kids %}"
        "{{ tree(kid) }}{% end %}){% end %}{% end %}{{ tree(root) }}",
        {
            "root": {
                "name": "r",
                "kids": [
                    {"name": "a", "kids": [{"name": "b", "kids": []}]},
                    {"name": "c", "kids": []},
                ],
            }
        },
        jinja_source="{% macro tree(node) %}{{ node.name }}{% if node.kids %}("
        "{% for kid in node.kids %}{{ tree(kid) }}{% endfor %}){% endif %}{% endmacro %}"
        "{{ tree(root) }}",
    ),
)
