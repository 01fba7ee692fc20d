"""Differential corpus of the built-in filters Kida compiles inline.

Every case is valid in Kida and Jinja2 and renders the same text in both. The
filters are ``upper``, ``lower``, ``trim``, ``replace``, ``string``, ``escape``/``e``,
``length``/``count``, ``first``, ``last``, ``list``, ``default``/``d``,
``map(attribute=...)``, ``join`` and ``sort`` with literal arguments (the shapes
compiled inline), over plain strings and the values the inline code hands back
to the filter: ``Markup``, numbers, tuples, dicts, generators and objects.
Kept out, as documented differences: ``default`` on ``None`` (Kida replaces
it), printing ``None``, and ``last`` after ``map`` (Jinja2's ``map`` is lazy).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kida_core_differential_corpus import USERS, Case
from markupsafe import Markup

_cases: list[Case] = []


def case(id: str, source: str, **context: Any) -> None:
    """Register a case (context given as keyword arguments)."""
    _cases.append(Case(id, source, dict(context)))


@dataclass(frozen=True)
class Generator:
    """Stands for a generator over ``items``, made afresh for each render."""

    items: tuple[Any, ...]

    def make(self) -> Iterator[Any]:
        return (item for item in self.items)


def context_of(case: Case) -> dict[str, Any]:
    """The render context of ``case``, with fresh generators."""
    return {
        key: value.make() if isinstance(value, Generator) else value
        for key, value in case.context.items()
    }


LETTERS = Generator(("b", "A", "c"))


PEOPLE = [
    {"name": "ada", "email": "ada@example.com", "tags": ["math", "code"], "nick": "A"},
    {"name": "Alan", "email": "alan@example.com", "tags": ["logic"]},
    {"name": "grace <h>", "email": "grace@example.com", "tags": []},
]

case("upper_text", "{{ 'Hello <b>' | upper }}")
case("upper_markup", "{{ m | upper }}", m=Markup("<i>it</i> & so"))
case("upper_number", "{{ 42 | upper }}")
case("lower_text_in_loop", "{% for p in people %}{{ p.name | lower }};{% endfor %}", people=PEOPLE)
case("trim_text", "[{{ '  padded  ' | trim }}]")
case("trim_chars", "[{{ 'xxhixx' | trim('x') }}]")
case("trim_tabs", "[{{ s | trim }}]", s="\t tabbed \n")
case("trim_markup", "[{{ m | trim }}]", m=Markup("  <b>x</b>  "))
case("replace_text", "{{ 'banana' | replace('a', 'o') }}")
case("replace_count", "{{ 'banana' | replace('a', 'o', 2) }}")
case("replace_to_markup_chars", "{{ 'a-b' | replace('-', '<&>') }}")
case("replace_markup_value", "{{ m | replace('b', 'i') }}", m=Markup("<b>bold</b>"))
case("replace_number", "{{ 1001 | replace('0', '9') }}")
case(
    "replace_chain_upper",
    "{% for p in people %}{{ p.email | replace('@', ' at ') | upper }}|{% endfor %}",
    people=PEOPLE,
)
case("string_text", "{{ 'a<b' | string }}")
case("string_number", "{{ 3.5 | string }}")
case("string_markup", "{{ m | string }}", m=Markup("<br>"))
case("escape_text", "{% autoescape false %}{{ '<a> & b' | escape }}{% endautoescape %}")
case("escape_markup", "{{ m | e }}", m=Markup("<b>kept</b>"))
case("escape_number", "{{ 3 | e }}")
case("length_list", "{{ people | length }}", people=PEOPLE)
case("length_text", "{{ 'héllo' | length }}")
case("length_dict", "{{ d | length }}", d={"a": 1, "b": 2})
case("length_tuple", "{{ t | count }}", t=(1, 2, 3))
case("length_empty", "{{ [] | length }}")
case("length_after_select", "{{ users | selectattr('active') | list | length }}", users=USERS)
case("first_list", "{{ people | map(attribute='name') | first }}", people=PEOPLE)
case("first_text", "{{ 'xyz' | first }}")
case("first_tuple", "{{ t | first }}", t=("<a>", "b"))
case("first_generator", "{{ g | first }}", g=LETTERS)
case("last_list", "{{ words | last }}", words=["a", "b", "<c>"])
case("last_text", "{{ 'xyz' | last }}")
case("list_text", "{{ 'abc' | list | join(',') }}")
case("list_tuple", "{{ t | list | length }}", t=(1, 2))
case("list_dict", "{{ d | list | sort | join(',') }}", d={"b": 1, "a": 2})
case("default_missing", "{{ missing | default('fallback <x>') }}")
case("default_defined", "{{ 'set' | default('fallback') }}")
case("default_empty_text", "[{{ '' | default('fallback') }}]")
case("default_zero", "{{ 0 | d(7) }}")
case("default_false_flag", "{{ '' | default('x', false) }}")
case(
    "default_missing_key",
    "{% for p in people %}{{ p.nick | default('-') }}{% endfor %}",
    people=PEOPLE,
)
case("map_attribute_dicts", "{{ people | map(attribute='name') | join(', ') }}", people=PEOPLE)
case("map_attribute_objects", "{{ users | map(attribute='name') | join('; ') }}", users=USERS)
case("map_attribute_dotted", "{{ users | map(attribute='address.city') | join(',') }}", users=USERS)
case("map_attribute_index", "{{ rows | map(attribute=0) | join(',') }}", rows=[[1, 2], [3, 4]])
case("map_attribute_tuple", "{{ t | map(attribute='name') | join(',') }}", t=tuple(PEOPLE))
case(
    "map_attribute_sort_join",
    "{{ people | map(attribute='name') | sort | join(', ') }}",
    people=PEOPLE,
)
case(
    "map_attribute_list_length",
    "{{ people | map(attribute='tags') | map('length') | sum }}",
    people=PEOPLE,
)
case("join_plain", "{{ ['a', 'b<'] | join(' & ') }}")
case("join_default_separator", "{{ ['x', 'y'] | join }}")
case("join_numbers", "{{ [1, 2, 3] | join('+') }}")
case("join_markup_items", "{{ items | join(', ') }}", items=[Markup("<b>b</b>"), "<i>"])
case("join_markup_separator", "{{ ['<a>', 'b'] | join(sep) }}", sep=Markup("<br>"))
case("join_tuple", "{{ t | join('-') }}", t=("a", "b"))
case("join_generator", "{{ g | join('/') }}", g=LETTERS)
case(
    "join_tags_in_loop",
    "{% for p in people %}[{{ p.tags | join('/') }}]{% endfor %}",
    people=PEOPLE,
)
case("sort_default_case_insensitive", "{{ ['b', 'A', 'c', 'a'] | sort | join }}")
case("sort_reverse", "{{ ['b', 'A', 'c'] | sort(reverse=true) | join }}")
case("sort_case_sensitive", "{{ ['b', 'A', 'c', 'a'] | sort(case_sensitive=true) | join }}")
case("sort_positional_flags", "{{ ['b', 'A', 'c', 'a'] | sort(true, true) | join }}")
case("sort_numbers", "{{ [3, 1, 2] | sort | join(',') }}")
case("sort_tuple", "{{ t | sort | join(',') }}", t=("b", "a"))
case("sort_generator", "{{ g | sort | join(',') }}", g=LETTERS)
case("sort_markup_items", "{{ items | sort | join(',') }}", items=[Markup("<b>"), "<a>"])
case(
    "sort_attribute",
    "{{ users | sort(attribute='age') | map(attribute='name') | join(',') }}",
    users=USERS,
)
case(
    "sort_attribute_reverse",
    "{{ people | sort(attribute='name', reverse=true) | map(attribute='email') | join(',') }}",
    people=PEOPLE,
)
case(
    "chain_in_set",
    "{% set names = people | map(attribute='name') | sort %}"
    "{{ names | length }}:{{ names | first }}",
    people=PEOPLE,
)
case(
    "chain_in_condition",
    "{% if people | map(attribute='name') | join | length > 5 %}long{% endif %}",
    people=PEOPLE,
)
case(
    "chain_in_for_iterable",
    "{% for n in people | map(attribute='name') | sort %}{{ n | upper }} {% endfor %}",
    people=PEOPLE,
)

CASES: tuple[Case, ...] = tuple(_cases)
