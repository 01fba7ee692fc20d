"""Differential corpus for the Jinja2-parity filters and tests.

Each case renders byte for byte like Jinja2 3.1 (same context, autoescape on).
Cases stay clear of the documented differences listed in
``kida_core_differential_corpus.py`` (printing ``None``, ``round`` on ``.5`` ties,
``truncate`` inside Jinja2's default leeway unless ``leeway`` is passed...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kida_core_differential_corpus import Case
from markupsafe import Markup


@dataclass(frozen=True)
class Item:
    """An object with attributes for attribute-driven filters."""

    name: str
    size: int
    kind: str | None


ITEMS = [Item("b", 2, "x"), Item("a", 3, "y"), Item("C", 1, "x"), Item("d", 5, None)]
ROWS = [
    {"name": "ann", "team": {"id": 1}, "tags": ["x", "y"], "score": 3},
    {"name": "Bob", "team": {"id": 2}, "tags": ["z"], "score": 7},
    {"name": "cid", "team": {"id": 1}, "tags": ["w"], "score": 5},
]
LONG_TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor."

_cases: list[Case] = []


def case(id: str, source: str, **context: Any) -> None:
    """Register a case (context given as keyword arguments)."""
    _cases.append(Case(id, source, dict(context)))


# --- map / select / reject / selectattr / rejectattr --------------------------------------
case("map_filter_int", "{{ ['1', '22', 'x'] | map('int') | join(',') }}")
case("map_filter_trim", "{{ [' a ', 'b  '] | map('trim') | join('|') }}")
case("map_filter_round_arg", "{{ [1.26, 2.71] | map('round', 1) | join(' ') }}")
case("map_filter_upper", "{{ ['a', 'b'] | map('upper') | join }}")
case("map_filter_kwargs", "{{ ['abc'] | map('truncate', length=5, end='!') | join }}")
case("map_attribute", "{{ items | map(attribute='name') | join(',') }}", items=ITEMS)
case("map_attribute_dotted", "{{ rows | map(attribute='team.id') | join(',') }}", rows=ROWS)
case("map_attribute_index", "{{ rows | map(attribute='tags.0') | join(',') }}", rows=ROWS)
case(
    "map_attribute_default",
    "{{ items | map(attribute='kind', default='?') | join(',') }}",
    items=ITEMS,
)
case(
    "map_attribute_default_missing_key",
    "{{ rows | map(attribute='nick', default='-') | join(',') }}",
    rows=ROWS,
)
case("select_test_odd", "{{ [1, 2, 3, 4, 5] | select('odd') | join(',') }}")
case("select_test_gt", "{{ [1, 2, 3, 4] | select('gt', 2) | join(',') }}")
case("select_test_symbol", "{{ [1, 2, 3, 2] | select('==', 2) | list }}")
case("select_truthy", "{{ [0, 1, '', 'a', none] | select | list }}")
case("reject_test_divisibleby", "{{ range(10) | reject('divisibleby', 3) | join(',') }}")
case("reject_test_in", "{{ ['a', 'b', 'c'] | reject('in', ['b']) | join(',') }}")
case(
    "selectattr_gt",
    "{{ items | selectattr('size', 'gt', 1) | map(attribute='name') | join }}",
    items=ITEMS,
)
case(
    "selectattr_truthy",
    "{{ items | selectattr('kind') | map(attribute='name') | join }}",
    items=ITEMS,
)
case(
    "selectattr_dotted",
    "{{ rows | selectattr('team.id', 'eq', 1) | map(attribute='name') | join(',') }}",
    rows=ROWS,
)
case(
    "rejectattr_none",
    "{{ items | rejectattr('kind', 'none') | map(attribute='name') | join }}",
    items=ITEMS,
)
case(
    "rejectattr_equalto",
    "{{ items | rejectattr('kind', 'equalto', 'x') | map(attribute='name') | join }}",
    items=ITEMS,
)

# --- wordwrap ----------------------------------------------------------------------------
case("wordwrap_default", "{{ text | wordwrap }}", text=LONG_TEXT + " " + LONG_TEXT)
case("wordwrap_width", "{{ text | wordwrap(20) }}", text=LONG_TEXT)
case("wordwrap_wrapstring", "{{ text | wordwrap(20, wrapstring='<br>') }}", text=LONG_TEXT)
case("wordwrap_long_words", "{{ 'aaaaaaaaaaaaaaaaaaaaaaaa bb' | wordwrap(10) }}")
case("wordwrap_keep_long_words", "{{ 'aaaaaaaaaaaaaaaaaaaaaaaa bb' | wordwrap(10, False) }}")
case("wordwrap_hyphens", "{{ 'one-two-three-four-five' | wordwrap(9) }}")
case(
    "wordwrap_no_hyphen_breaks",
    "{{ 'one-two-three-four-five' | wordwrap(9, break_on_hyphens=False) }}",
)
case("wordwrap_paragraphs", "{{ 'first line\nsecond line here' | wordwrap(8) }}")

# --- urlize ------------------------------------------------------------------------------
case("urlize_http", "{{ 'see http://example.com/a?b=1&c=2 now' | urlize }}")
case("urlize_https_trailing_dot", "{{ 'Go to https://example.org.' | urlize }}")
case("urlize_www", "{{ 'visit www.example.com, then' | urlize }}")
case("urlize_email", "{{ 'mail bob@example.com please' | urlize }}")
case("urlize_parens", "{{ '(http://example.com/x) and (see http://a.com/b_(c))' | urlize }}")
case("urlize_escapes_text", "{{ '<b> http://x.com/<y> & more' | urlize }}")
case("urlize_trim_limit", "{{ 'http://example.com/a/very/long/path' | urlize(20) }}")
case(
    "urlize_nofollow_target", "{{ 'http://example.com' | urlize(nofollow=True, target='_blank') }}"
)
case("urlize_rel", "{{ 'http://example.com' | urlize(rel='me') }}")
case(
    "urlize_extra_schemes",
    "{{ 'ftp://x.org and tel:123' | urlize(extra_schemes=['tel:', 'ftp:']) }}",
)
case("urlize_plain_domain", "{{ 'example.com and example.org/x' | urlize }}")
case("urlize_markup_input", "{{ text | urlize }}", text=Markup("<i>http://x.com</i>"))
case("urlize_quotes", "{{ '\"http://example.com\"' | urlize }}")
case("urlize_mailto", "{{ 'mailto:bob@example.com' | urlize }}")

# --- forceescape, items ------------------------------------------------------------------
case("forceescape_markup", "{{ text | forceescape }}", text=Markup("<b>x</b>"))
case("forceescape_plain", "{{ '<a>' | forceescape }}")
case("items_dict", "{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %}", d={"a": 1, "b": 2})

# --- groupby -----------------------------------------------------------------------------
case(
    "groupby_unpack",
    "{% for key, group in rows | groupby('team.id') %}{{ key }}:"
    "{{ group | map(attribute='name') | join(',') }};{% endfor %}",
    rows=ROWS,
)
case(
    "groupby_attrs",
    "{% for g in items | groupby('size') %}{{ g.grouper }}={{ g.list | length }} {% endfor %}",
    items=ITEMS,
)
case(
    "groupby_default",
    "{% for k, g in rows | groupby('nick', default='anon') %}{{ k }}:{{ g | length }}{% endfor %}",
    rows=ROWS,
)

# --- strings -----------------------------------------------------------------------------
case("indent_default", "{{ 'a\nb\n\nc' | indent }}")
case("indent_first_blank", "{{ 'a\nb\n\nc' | indent(2, true, true) }}")
case("indent_string_width", "{{ 'a\nb' | indent('> ') }}")
case("format_percent", "{{ '%s-%d' | format('a', 3) }}")
case("format_percent_kwargs", "{{ '%(x)s!' | format(x=1) }}")
case("format_percent_float", "{{ '%.2f' | format(3.14159) }}")
case("trim_chars", "{{ 'xxhixx' | trim('x') }}")
case("replace_count", "{{ 'aaaa' | replace('a', 'b', 2) }}")
case("replace_markup", "{{ text | replace('x', '<y>') }}", text=Markup("<b>x</b>"))
case("truncate_leeway_zero", "{{ 'foo bar baz qux' | truncate(9, leeway=0) }}")
case("truncate_leeway_kept", "{{ 'foo bar baz qux' | truncate(12, leeway=5) }}")
case("truncate_killwords", "{{ 'foo bar baz qux' | truncate(9, True, leeway=0) }}")
case("truncate_end", "{{ text | truncate(30, end=' [more]', leeway=0) }}", text=LONG_TEXT)
case("reverse_string", "{{ 'abc' | reverse }}")
case("reverse_list", "{{ [1, 2, 3] | reverse | join }}")
case("title_apostrophe", '{{ "it\'s a (small) world-wide test" | title }}')
case("striptags_whitespace", "{{ '<p>a  <b>b</b>\n\n c</p>' | striptags }}")
case("urlencode_dict", "{{ {'a b': 'c&d', 'e': 1} | urlencode }}")
case("urlencode_string", "{{ 'a b/c?d' | urlencode }}")

# --- numbers -----------------------------------------------------------------------------
case("int_hex_base", "{{ '0x1A' | int(0, 16) }}")
case("int_base_zero", "{{ '0b101' | int(0, 0) }}")
case("int_float_string", "{{ '3.9' | int }}")
case("int_default", "{{ 'abc' | int(7) }}")
case("float_default", "{{ 'abc' | float(1.5) }}")
case("round_ceil", "{{ 2.1 | round(0, 'ceil') }}")
case("round_floor", "{{ 2.19 | round(1, 'floor') }}")
case("round_common", "{{ 2.71828 | round(2) }}")
case("filesizeformat_decimal", "{{ 1500000 | filesizeformat }}")
case("filesizeformat_binary", "{{ 1500000 | filesizeformat(true) }}")
case("filesizeformat_bytes", "{{ 300 | filesizeformat }}")

# --- aggregate / sort ----------------------------------------------------------------------
case("sum_attribute", "{{ items | sum(attribute='size') }}", items=ITEMS)
case("sum_dotted", "{{ rows | sum(attribute='team.id') }}", rows=ROWS)
case("min_attribute", "{{ (items | min(attribute='size')).name }}", items=ITEMS)
case("max_case_sensitive", "{{ ['a', 'B', 'c'] | max(case_sensitive=true) }}")
case("min_case_insensitive", "{{ ['b', 'A', 'c'] | min }}")
case("unique_case", "{{ ['a', 'A', 'b'] | unique | join }}")
case("unique_case_sensitive", "{{ ['a', 'A', 'b'] | unique(true) | join }}")
case(
    "unique_attribute",
    "{{ items | unique(attribute='kind') | map(attribute='name') | join }}",
    items=ITEMS,
)
case(
    "sort_attribute_list",
    "{{ rows | sort(attribute='team.id,name') | map(attribute='name') | join }}",
    rows=ROWS,
)
case("sort_reverse_case", "{{ ['b', 'A', 'c'] | sort(reverse=true) | join }}")
case("sort_case_sensitive", "{{ ['b', 'A', 'c'] | sort(case_sensitive=true) | join }}")
case("dictsort_default", "{{ {'b': 1, 'A': 2, 'c': 0} | dictsort }}")
case(
    "dictsort_value_reverse", "{{ {'b': 1, 'a': 2, 'c': 0} | dictsort(by='value', reverse=true) }}"
)
case("dictsort_case_sensitive", "{{ {'b': 1, 'A': 2} | dictsort(true) }}")
case("batch_fill", "{{ [1, 2, 3, 4, 5] | batch(2, 0) | list }}")
case("batch_plain", "{{ [1, 2, 3, 4, 5] | batch(3) | list }}")
case("slice_distribution", "{{ [1, 2, 3, 4, 5, 6, 7] | slice(3) | list }}")
case("slice_fill", "{{ [1, 2, 3, 4, 5, 6, 7] | slice(3, 0) | list }}")

# --- tests ---------------------------------------------------------------------------------
case("test_boolean", "{{ true is boolean }} {{ 1 is boolean }}")
case("test_integer", "{{ 1 is integer }} {{ true is integer }} {{ 1.0 is integer }}")
case("test_float", "{{ 1.0 is float }} {{ 1 is float }}")
case("test_escaped", "{{ text is escaped }} {{ 'x' is escaped }}", text=Markup("x"))
case("test_filter", "{{ 'upper' is filter }} {{ 'nope' is filter }}")
case("test_test", "{{ 'odd' is test }} {{ 'nope' is test }}")
case(
    "test_comparisons",
    "{{ 2 is eq 2 }}{{ 2 is ne 2 }}{{ 1 is lt 2 }}{{ 2 is le 2 }}{{ 3 is gt 2 }}{{ 2 is ge 3 }}",
)
case("test_comparison_aliases", "{{ 2 is equalto 2 }}{{ 3 is greaterthan 2 }}{{ 1 is lessthan 2 }}")
case("test_in_sameas", "{{ 1 is in [1, 2] }} {{ none is sameas none }}")
case("test_kinds", "{{ [] is iterable }} {{ {} is mapping }} {{ 1 is callable }}")
case("test_case", "{{ 'abc' is lower }} {{ 'ABC' is upper }}")

CASES: tuple[Case, ...] = tuple(_cases)
