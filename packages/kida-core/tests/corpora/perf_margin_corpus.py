"""Differential corpus of the second round of render speed-ups (issue 14).

Every case renders the same text in Kida and Jinja2: ``capitalize``, ``center``
and ``wordcount`` (compiled inline for plain strings) over strings, ``Markup``
and numbers, ``striptags``/``truncate``/``title`` on the inputs their faster
paths take, and one-line ``if``/``elif``/``else`` runs of text and outputs
(compiled to conditional expressions inside the surrounding f-string).
Kida sources use explicit ``{% endif %}`` closers so both engines read them.
"""

from __future__ import annotations

from typing import Any

from kida_core_differential_corpus import Case
from markupsafe import Markup

_cases: list[Case] = []


def case(id: str, source: str, **context: Any) -> None:
    """Register a case (context given as keyword arguments)."""
    _cases.append(Case(id, source, dict(context)))


ITEMS = [
    {"name": "widget <a>", "stock": True, "price": 3},
    {"name": "gadget & co", "stock": False, "price": 0},
    {"name": "thing's", "stock": 2, "price": None},
]

case("capitalize_text", "{{ 'hELLO <b> world' | capitalize }}")
case("capitalize_markup", "{{ m | capitalize }}", m=Markup("<i>IT</i> &amp; so"))
case("capitalize_number", "{{ 42 | capitalize }}")
case("capitalize_after_lower", "{{ '  MIXED case ' | trim | lower | capitalize }}")
case("center_default_width", "[{{ 'mid' | center }}]")
case("center_width", "[{{ 'a<b' | center(9) }}]")
case("center_markup", "[{{ m | center(12) }}]", m=Markup("<b>x</b>"))
case("center_number", "[{{ 7 | center(5) }}]")
case("center_width_keyword", "[{{ 'ab' | center(width=6) }}]")
case("wordcount_text", "{{ 'one two  three\tfour\nfive' | wordcount }}")
case("wordcount_empty", "{{ '' | wordcount }}")
case("wordcount_number", "{{ 12345 | wordcount }}")
case("striptags_plain", "{{ '<p><b>fast</b> shipping</p>' | striptags }}")
case("striptags_entities", "{{ '<p>a &amp; b &lt;c&gt;</p>' | striptags }}")
case("striptags_comment", "{{ 'x <!-- hidden <b> --> y' | striptags }}")
case("striptags_markup", "{{ m | striptags }}", m=Markup("<i>a</i> &amp; <b>b</b>"))
case("truncate_long", "{{ 'A very fine product crafted with care' | truncate(20, leeway=0) }}")
case("truncate_short", "{{ 'short' | truncate(20) }}")
case("truncate_markup", "{{ m | truncate(9, leeway=0) }}", m=Markup("<b>bold</b> and &amp; more"))
case("title_words", "{{ 'blue, green, red' | title }}")
case("title_markup", "{{ m | title }}", m=Markup("<i>big</i> deal"))
case("filters_heavy_row", "{{ tags | sort | join(', ') | title }}", tags=["sale", "Red", "blue"])
case(
    "if_else_in_attribute",
    '{% for i in items %}<li class="{% if i.stock %}in{% else %}out{% endif %}">'
    "{{ i.name }}</li>{% endfor %}",
    items=ITEMS,
)
case(
    "if_elif_else_outputs",
    "{% for i in items %}<{% if i.price %}{{ i.price }} EUR{% elif i.stock %}ask "
    "{{ i.name }}{% else %}-{% endif %}>{% endfor %}",
    items=ITEMS,
)
case(
    "if_without_else",
    "{% for i in items %}[{% if i.stock %}{{ i.name }}{% endif %}]{% endfor %}",
    items=ITEMS,
)
case(
    "if_markup_branch",
    "{% if on %}{{ m }}{% else %}{{ t }}{% endif %}",
    on=True,
    m=Markup("<b>b</b>"),
    t="<t>",
)
case(
    "if_escaped_branch",
    "{% if on %}{{ m }}{% else %}{{ t }}{% endif %}",
    on=False,
    m=Markup("<b>b</b>"),
    t="<t>",
)
case(
    "if_filter_in_test",
    "{% if name | length > 3 %}long{% else %}short{% endif %}:{{ name }}",
    name="Ada",
)
case("if_empty_branches", "a{% if x %}{% else %}{% endif %}b", x=1)

CASES: tuple[Case, ...] = tuple(_cases)
