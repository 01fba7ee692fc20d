"""Differential corpus: loop helpers, recursive loops, ``namespace()``, ``cycler()``/``joiner()``.

Every case renders identically in Jinja2 and Kida (``test_parity_loops.py``) and in
every Kida render mode (``test_render_parity.py``). Printing ``None`` is avoided
(Jinja2 prints ``None``, Kida prints nothing), so ``cycler.reset()`` is called with
``{% set _ = c.reset() %}``.
"""

from __future__ import annotations

from kida_core_differential_corpus import Case

SITEMAP = [
    {
        "title": "Home",
        "url": "/",
        "children": [
            {"title": "Docs", "url": "/docs", "children": [
                {"title": "Install & run", "url": "/docs/install", "children": []},
                {"title": "<API>", "url": "/docs/api", "children": []},
            ]},
            {"title": "Blog", "url": "/blog", "children": []},
        ],
    },
    {"title": "About", "url": "/about", "children": []},
]  # fmt: skip

FORM = [
    {"name": "email", "error": "required"},
    {"name": "name", "error": None},
    {"name": "age", "error": "not a number"},
]

PAIRS = [("a", [("b", [("c", [])])]), ("d", [])]

ITEMS = [1, 1, 2, 3, 3, 1]

CASES: tuple[Case, ...] = (
    # -- loop.changed / loop.depth ------------------------------------------------------
    Case(
        "changed_single_value",
        "{% for x in items %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}",
        {"items": ITEMS},
    ),
    Case(
        "changed_several_values",
        "{% for a, b in pairs %}{{ loop.changed(a, b) }} {% endfor %}",
        {"pairs": [(1, 2), (1, 2), (1, 3), (2, 3)]},
    ),
    Case(
        "changed_without_values",
        "{% for x in items %}{{ loop.changed() }} {% endfor %}",
        {"items": [1, 2, 3]},
    ),
    Case(
        "changed_group_headers",
        "{% for p in posts %}{% if loop.changed(p.year) %}<h2>{{ p.year }}</h2>{% endif %}"
        "<p>{{ p.title }}</p>{% endfor %}",
        {
            "posts": [
                {"year": 2024, "title": "A"},
                {"year": 2024, "title": "B"},
                {"year": 2023, "title": "C"},
            ]
        },
    ),
    Case(
        "changed_is_per_loop",
        "{% for row in rows %}{% for x in row %}{{ loop.changed(x) }},{% endfor %};{% endfor %}",
        {"rows": [[1, 1], [1, 2]]},
    ),
    Case(
        "depth_in_a_plain_loop",
        "{% for x in items %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}",
        {"items": [1, 2]},
    ),
    Case(
        "depth_with_a_loop_object",
        "{% for x in items %}{{ loop.depth }}{{ loop.previtem }}{% endfor %}",
        {"items": [1, 2]},
    ),
    Case(
        "depth_of_a_nested_plain_loop",
        "{% for x in items %}{% for y in items %}{{ loop.depth }}{% endfor %}{% endfor %}",
        {"items": [1, 2]},
    ),
    Case(
        "every_loop_attribute",
        "{% for x in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
        "{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}"
        "{{ loop.cycle('a', 'b') }}{{ loop.depth }}{{ loop.depth0 }}|{% endfor %}",
        {"items": ["x", "y", "z"]},
    ),
    Case(
        "previtem_and_nextitem",
        "{% for x in items %}{% if not loop.first %}{{ loop.previtem }}{% endif %}<{{ x }}>"
        "{% if not loop.last %}{{ loop.nextitem }}{% endif %} {% endfor %}",
        {"items": ["a", "b", "c"]},
    ),
    # -- recursive loops -------------------------------------------------------------------
    Case(
        "recursive_sitemap",
        '<ul>{% for page in sitemap recursive %}<li><a href="{{ page.url }}">{{ page.title }}</a>'
        "{% if page.children %}<ul>{{ loop(page.children) }}</ul>{% endif %}</li>"
        "{% endfor %}</ul>",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_menu_with_depth",
        "{% for page in sitemap recursive %}{{ '-' * loop.depth0 }}{{ page.title }}"
        "({{ loop.depth }}){{ loop(page.children) }}{% endfor %}",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_index_and_length_per_level",
        "{% for page in sitemap recursive %}[{{ loop.index }}/{{ loop.length }}"
        "{{ loop(page.children) }}]{% endfor %}",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_else_runs_on_every_level",
        "{% for page in sitemap recursive %}({{ page.title }}{{ loop(page.children) }})"
        "{% else %}.{% endfor %}",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_with_a_filter",
        "{% for page in sitemap if page.title != 'Blog' recursive %}{{ page.title }};"
        "{{ loop(page.children) }}{% endfor %}",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_tuple_target",
        "{% for name, children in pairs recursive %}{{ name }}({{ loop(children) }}){% endfor %}",
        {"pairs": PAIRS},
    ),
    Case(
        "recursive_output_is_not_escaped_twice",
        "{% for page in sitemap recursive %}<b>{{ page.title }}</b>{{ loop(page.children) }}"
        "{% endfor %}",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_loop_kept_under_another_name",
        "{% for page in sitemap recursive %}{% set outer = loop %}"
        "{% for child in page.children %}<{{ outer([child]) }}>{% endfor %}"
        "{{ page.title }}{{ loop.depth }}{% endfor %}",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_changed_per_level",
        "{% for name, children in pairs recursive %}{{ loop.changed(loop.depth) }}"
        "{{ loop(children) }}{% endfor %}",
        {"pairs": PAIRS},
    ),
    Case(
        "recursive_bounded_by_depth",
        "{% for x in items recursive %}{% if loop.depth < 3 %}{{ loop([x]) }}{% endif %}"
        "{{ loop.depth }}{% endfor %}",
        {"items": [1, 2]},
    ),
    Case(
        "recursive_in_a_block",
        "{% block nav %}{% for page in sitemap recursive %}{{ page.title }}/"
        "{{ loop(page.children) }}{% endfor %}{% endblock %}",
        {"sitemap": SITEMAP},
    ),
    Case(
        "recursive_marker_without_a_call",
        "{% for x in items recursive %}{{ loop.index }}{{ loop.depth }}{% endfor %}",
        {"items": [1, 2]},
    ),
    # -- namespace() ---------------------------------------------------------------------------
    Case(
        "namespace_form_counter",
        "{% set ns = namespace(errors=0, fields=0) %}"
        "{% for field in form %}{% set ns.fields = ns.fields + 1 %}"
        "{% if field.error %}{% set ns.errors = ns.errors + 1 %}{% endif %}{% endfor %}"
        "{{ ns.errors }} of {{ ns.fields }} fields need attention",
        {"form": FORM},
    ),
    Case(
        "namespace_found_flag",
        "{% set ns = namespace(found=false) %}{% for x in items %}"
        "{% if x == 3 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}",
        {"items": ITEMS},
    ),
    Case(
        "namespace_from_a_mapping",
        '{% set ns = namespace({"a": 1}, b=2) %}{{ ns.a }}{{ ns.b }}',
    ),
    Case(
        "namespace_new_attribute",
        "{% set ns = namespace() %}{% set ns.total = 5 %}{{ ns.total }}",
    ),
    Case(
        "namespace_write_in_nested_loops",
        "{% set ns = namespace(n=0) %}{% for row in rows %}{% for x in row %}"
        "{% set ns.n = ns.n + x %}{% endfor %}{% endfor %}{{ ns.n }}",
        {"rows": [[1, 2], [3]]},
    ),
    Case(
        "namespace_block_set",
        "{% set ns = namespace() %}{% set ns.html %}<b>{{ word }}</b>{% endset %}{{ ns.html }}",
        {"word": "<hi>"},
    ),
    Case(
        "namespace_block_set_with_filter",
        "{% set ns = namespace() %}{% set ns.text | upper %}a{{ word }}{% endset %}{{ ns.text }}",
        {"word": "b"},
    ),
    Case(
        "namespace_last_item_tracker",
        "{% set ns = namespace(last=none) %}{% for x in items %}"
        "{% if ns.last is not none and ns.last != x %}|{% endif %}{{ x }}"
        "{% set ns.last = x %}{% endfor %}",
        {"items": ITEMS},
    ),
    Case(
        "namespace_written_in_a_recursive_loop",
        "{% set ns = namespace(count=0) %}{% for page in sitemap recursive %}"
        "{% set ns.count = ns.count + 1 %}{{ loop(page.children) }}{% endfor %}{{ ns.count }}",
        {"sitemap": SITEMAP},
    ),
    # -- cycler() / joiner() ------------------------------------------------------------------
    Case(
        "cycler_next",
        '{% set row = cycler("odd", "even") %}{% for x in items %}'
        '<tr class="{{ row.next() }}">{% endfor %}',
        {"items": [1, 2, 3]},
    ),
    Case(
        "cycler_current_and_reset",
        "{% set c = cycler(1, 2, 3) %}{{ c.current }}{{ c.next() }}{{ c.next() }}"
        "{{ c.current }}{% set _ = c.reset() %}{{ c.current }}{{ c.next() }}",
    ),
    Case(
        "cycler_shared_by_two_loops",
        "{% set c = cycler('a', 'b') %}{% for x in [1, 2, 3] %}{{ c.next() }}{% endfor %}"
        "{% for x in [1] %}{{ c.next() }}{% endfor %}",
    ),
    Case(
        "joiner_default_separator",
        "{% set comma = joiner() %}{% for x in items %}{{ comma() }}{{ x }}{% endfor %}",
        {"items": ["a", "b", "c"]},
    ),
    Case(
        "joiner_separator_is_escaped",
        '{% set sep = joiner(" <|> ") %}{% for x in items %}{{ sep() }}{{ x }}{% endfor %}',
        {"items": ["a", "b"]},
    ),
    Case(
        "joiner_skipping_items",
        '{% set pipe = joiner("|") %}{% for x in items %}{% if x > 1 %}{{ pipe() }}{{ x }}'
        "{% endif %}{% endfor %}",
        {"items": ITEMS},
    ),
)
