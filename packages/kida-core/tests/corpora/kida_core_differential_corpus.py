"""Differential corpus: templates whose Kida and Jinja2 renderings must be identical.

Every case is valid in both engines (Kida accepts the explicit ``endif``/``endfor``/
``endwith``/``endset``/``endfilter``/``endraw`` closers).  ``jinja_source`` is only set
where the Kida spelling is Kida-only (``{% end %}``, ``{% empty %}``, ``{% unless %}``).

Deliberately excluded (where Kida differs from Jinja2 on purpose): printing ``None``, undefined
variables outside ``default``/``defined``, dict keys shadowing methods, ``set`` inside
``if``/``for`` read after the block, macros, ``+`` mixing strings and numbers, the
``format`` filter (``{}`` vs ``%``), ``xmlattr`` (leading space), ``**`` chains and
unary minus on ``**`` (Jinja2 is left-assoc and binds ``-`` tighter), unparenthesised
``a * b | f`` (Kida filters bind looser than ``*``), ``round`` on ``.5`` ties (Jinja2
uses banker's rounding), ``truncate`` within Jinja2's default ``leeway`` of 5,
``wordcount`` on punctuation (Jinja2 counts ``\\w+``), ``min``/``max`` on strings
(Jinja2 is case-insensitive), the ``number`` test on bools and ``sequence`` on dicts.

A few ``markup_*`` cases probe Jinja2's Markup propagation (``~``, ``join``, ``upper``,
``{% filter %}`` over escaped content); they are not documented differences, so a
failure there is a compatibility finding, not a corpus bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Case:
    """One differential case; ``jinja_source`` overrides ``source`` for Jinja2."""

    id: str
    source: str
    context: dict[str, Any] = field(default_factory=dict)
    jinja_source: str | None = None

    @property
    def jinja(self) -> str:
        """The Jinja2 spelling of the template."""
        return self.source if self.jinja_source is None else self.jinja_source


@dataclass(frozen=True)
class Address:
    """Nested object for attribute chains."""

    city: str
    zip: str


@dataclass(frozen=True)
class User:
    """A plain object with attributes, a property and a method."""

    name: str
    age: int
    role: str
    active: bool
    address: Address
    tags: tuple[str, ...] = ()

    @property
    def initials(self) -> str:
        """First letters of each name part."""
        return "".join(part[0] for part in self.name.split())

    def greet(self, greeting: str = "Hello", punct: str = "!") -> str:
        """Method with positional/keyword arguments."""
        return f"{greeting}, {self.name}{punct}"


class HtmlThing:
    """Non-Markup object implementing ``__html__``."""

    def __html__(self) -> str:
        return "<em>trusted</em>"

    def __str__(self) -> str:
        return "<em>untrusted</em>"


USERS: list[User] = [
    User("Ada Lovelace", 36, "admin", True, Address("London", "N1"), ("math", "code")),
    User("Alan Turing", 41, "user", False, Address("Wilmslow", "SK9"), ("logic",)),
    User("Grace Hopper", 85, "admin", True, Address("Arlington", "22201"), ()),
    User("Linus Torvalds", 17, "guest", True, Address("Portland", "97201"), ("kernel",)),
]
PRODUCTS: list[dict[str, Any]] = [
    {"name": "Widget", "price": 3, "qty": 10, "tags": ["a", "b"], "active": True},
    {"name": "Gadget <pro>", "price": 12, "qty": 0, "tags": [], "active": False},
    {"name": "Doohickey & co", "price": 7, "qty": 4, "tags": ["c"], "active": True},
]
NUMS: list[int] = [5, 3, 8, 1, 9, 2, 7]
WORDS: list[str] = ["pear", "Apple", "banana", "apple", "Cherry"]
NESTED: dict[str, Any] = {
    "site": {"title": "Kida <docs>", "meta": {"lang": "en", "version": 3}},
    "rows": [[1, 2], [3, 4]],
    "owner": USERS[0],
}
SENTENCE = "The quick brown fox jumps over the lazy dog"

_cases: list[Case] = []


def case(id: str, source: str, jinja_source: str | None = None, **context: Any) -> None:
    """Register a case (context given as keyword arguments)."""
    _cases.append(Case(id, source, dict(context), jinja_source))


# --- text, whitespace control, comments, raw ---------------------------------------------
case("text_plain", "Hello world")
case("text_empty", "")
case("text_trailing_newline", "line one\nline two\n")
case("text_only_newlines", "\n\n\n")
case("text_braces", "a { b } c {x} }} %} #}")
case("text_unicode", "héllo ✓ 日本語 — ok\n")
case("text_tabs_crlf_free", "\tindented\n    spaced  \n")
case("ws_block_trim_both", "a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c")
case("ws_var_trim_both", "x   {{- name -}}   y", name="mid")
case("ws_var_trim_left", "x \n  {{- name }}  y", name="mid")
case("ws_var_trim_right", "x  {{ name -}} \n  y", name="mid")
case("ws_block_trim_left_only", "a \n {%- if true %} b {% endif %} c")
case("ws_block_trim_right_only", "a {% if true -%} \n b {%- endif %} c")
case(
    "ws_for_compact",
    "<ul>\n{%- for x in xs %}\n  <li>{{ x }}</li>\n{%- endfor %}\n</ul>\n",
    xs=[1, 2, 3],
)
case("ws_for_all_trimmed", "{%- for x in xs -%}\n  {{ x }}\n{%- endfor -%}\n", xs=["a", "b"])
case("ws_newlines_kept", "{% if true %}\nyes\n{% endif %}\nend\n")
case("ws_indented_loop", "  {% for x in xs %}\n  - {{ x }}\n  {% endfor %}\n", xs=[1, 2])
case("ws_comment_trim", "a  {#- note -#}  b")
case("ws_set_trim", "{%- set x = 1 -%}\n\n[{{ x }}]\n")
case("comment_simple", "a{# a comment #}b")
case("comment_multiline", "a{# line 1\nline 2\n#}b\n")
case("comment_with_tags", "{# {{ undefined_thing }} {% if %} #}ok")
case("raw_simple", "{% raw %}{{ not_parsed }}{% endraw %}")
case("raw_block_tags", "{% raw %}{% for x in y %}{{ x }}{% endfor %}{% endraw %}!")
case("raw_mixed", "{{ a }}{% raw %} {{ a }} {% endraw %}{{ a }}", a="<1>")

# --- literals ------------------------------------------------------------------------------
case("lit_int", "{{ 42 }}")
case("lit_negative", "{{ -7 }}")
case("lit_float", "{{ 3.25 }}")
case("lit_float_sum", "{{ 0.1 + 0.2 }}")
case("lit_str_single", "{{ 'single' }}")
case("lit_str_double_with_apos", '{{ "it\'s" }}')
case("lit_str_escape", r"{{ 'a\tb\\c' }}")
case("lit_bools", "{{ true }} {{ false }} {{ True }} {{ False }}")
case("lit_list", "{{ [1, 2, 3] }}")
case("lit_list_trailing_comma", "{{ [1, 2,] }}")
case("lit_tuple", "{{ (1, 2) }}")
case("lit_dict", "{{ {'a': 1, 'b': [2]} }}")
case("lit_dict_var_key", "{{ {k: 1} }}", k="key")
case("lit_empty_list", "{{ [] }}|{{ [] | length }}")
case("lit_nested", "{{ [[1, 2], {'x': (3,)}][1]['x'][0] }}")

# --- arithmetic ------------------------------------------------------------------------------
case("arith_add", "{{ 1 + 2 }}")
case("arith_sub", "{{ 10 - 4 - 3 }}")
case("arith_mul", "{{ 6 * 7 }}")
case("arith_truediv", "{{ 10 / 4 }}")
case("arith_truediv_exact", "{{ 10 / 2 }}")
case("arith_floordiv", "{{ 7 // 2 }}")
case("arith_floordiv_negative", "{{ -7 // 2 }}")
case("arith_floordiv_float", "{{ 7.5 // 2 }}")
case("arith_mod", "{{ 17 % 5 }}")
case("arith_mod_negative", "{{ -7 % 3 }}")
case("arith_pow", "{{ 2 ** 10 }}")
case("arith_pow_float", "{{ 4 ** 0.5 }}")
case("arith_precedence", "{{ 1 + 2 * 3 - 4 / 2 }}")
case("arith_parens", "{{ (1 + 2) * 3 }}")
case("arith_unary_plus_minus", "{{ -x + +y }}", x=3, y=5)
case("arith_vars", "{{ price * qty }}", price=2.5, qty=4)
case("arith_mixed_int_float", "{{ 3 + 0.5 }}")
case("arith_str_concat_plus", "{{ 'ab' + 'cd' }}")
case("arith_list_concat", "{{ ([1] + [2, 3]) | join(',') }}")
case("arith_str_repeat", "{{ 'ab' * 3 }}")

# --- comparisons, logic, membership ----------------------------------------------------
case("cmp_eq_ne", "{{ 1 == 1 }} {{ 1 != 1 }} {{ 'a' == 'a' }}")
case("cmp_lt_ge", "{{ 1 < 2 }} {{ 2 >= 3 }} {{ 2 <= 2 }} {{ 3 > 1 }}")
case("cmp_chain_true", "{{ 1 < x <= 5 }}", x=5)
case("cmp_chain_false", "{{ 3 > 2 > 2 }}")
case("cmp_strings", "{{ 'apple' < 'banana' }}")
case("cmp_in_list", "{{ 3 in xs }} {{ 4 in xs }}", xs=[1, 2, 3])
case("cmp_not_in", "{{ 'z' not in 'abc' }}")
case("cmp_in_string", "{{ 'ell' in 'hello' }}")
case("cmp_in_dict", "{{ 'a' in d }} {{ 'q' in d }}", d={"a": 1})
case("logic_and_or", "{{ true and false }} {{ true or false }}")
case("logic_or_operand", "{{ 0 or 'fallback' }}|{{ '' or [] or 'last' }}")
case("logic_and_operand", "{{ 'a' and 'b' }}|{{ 0 and 'b' }}")
case("logic_not", "{{ not x }} {{ not not x }}", x=[])
case("logic_not_in", "{{ not 1 in xs }}", xs=[2, 3])
case("logic_precedence", "{{ a and not b or c }}", a=True, b=True, c=False)
case("concat_tilde", "{{ 'a' ~ 1 ~ 2.5 ~ true }}")
case("concat_tilde_vars", "{{ first ~ ' ' ~ last }}", first="Ada", last="Lovelace")
case("concat_tilde_escapes", "{{ '<' ~ x ~ '&' }}", x="'")
case("concat_tilde_filter_precedence", "{{ 'a' ~ 'b' | upper }}")
case("ternary_else", "{{ 'yes' if flag else 'no' }}", flag=True)
case("ternary_else_false", "{{ 'yes' if flag else 'no' }}", flag=0)
case("ternary_nested", "{{ 'a' if n < 0 else 'b' if n == 0 else 'c' }}", n=0)
case("ternary_in_filter_arg", "{{ xs | join(', ' if sep else '-') }}", xs=[1, 2], sep=False)
case("ternary_without_else", "[{{ 'shown' if flag }}]", flag=False)

# --- attribute and item access, slicing, calls -----------------------------------------------
case("attr_object", "{{ user.name }} ({{ user.age }})", user=USERS[0])
case("attr_nested_object", "{{ user.address.city }} {{ user.address.zip }}", user=USERS[2])
case("attr_property", "{{ user.initials }}", user=USERS[1])
case("attr_dict_dot", "{{ site.title }}", site=NESTED["site"])
case("attr_dict_nested_dot", "{{ data.site.meta.lang }}-{{ data.site.meta.version }}", data=NESTED)
case("item_dict_subscript", "{{ data['site']['title'] }}", data=NESTED)
case("item_dict_var_key", "{{ d[k] }}", d={"x": "ex", "y": "why"}, k="y")
case("item_list_index", "{{ xs[0] }} {{ xs[2] }}", xs=NUMS)
case("item_list_negative", "{{ xs[-1] }}", xs=NUMS)
case("item_nested_lists", "{{ data.rows[1][0] }}", data=NESTED)
case(
    "item_mixed_chain",
    "{{ users[1].address.city }} {{ data.owner.tags[1] }}",
    users=USERS,
    data=NESTED,
)
case("slice_basic", "{{ xs[1:3] }}", xs=NUMS)
case("slice_open_start", "{{ xs[:2] }}", xs=NUMS)
case("slice_open_end", "{{ xs[-2:] }}", xs=NUMS)
case("slice_step", "{{ xs[::2] }}", xs=NUMS)
case("slice_reverse", "{{ xs[::-1] }}", xs=NUMS)
case("slice_string", "{{ 'hello world'[1:4] }}")
case("call_str_method", "{{ name.upper() }} {{ name.lower() }}", name="MiXeD")
case("call_split_join", "{{ 'a,b,c'.split(',') | join('|') }}")
case("call_obj_method", "{{ user.greet() }}", user=USERS[0])
case("call_obj_method_positional", "{{ user.greet('Hi', '?') }}", user=USERS[0])
case("call_obj_method_kwargs", "{{ user.greet(punct='.', greeting='Hey') }}", user=USERS[3])
case("call_dict_get", "{{ d.get('a') }} {{ d.get('zz', 'dflt') }}", d={"a": "A"})
case("call_str_strip_replace", "{{ '  x-y  '.strip().replace('-', '+') }}")
case("call_str_join_literal", "{{ ', '.join(xs) }}", xs=["a", "b"])
case("call_str_format_method", "{{ '{}-{}'.format(1, 2) }}")
case("call_range", "{{ range(3) | list }}|{{ range(1, 10, 3) | join(',') }}")
case("call_dict_global", "{{ dict(b=2, a=1) | dictsort }}")
case("call_context_function", "{{ fn(2, y=3) }}", fn=lambda x, y=0: x * 10 + y)

# --- string filters ----------------------------------------------------------------------------
case("f_upper", "{{ name | upper }}", name="ada <lovelace>")
case("f_lower", "{{ name | lower }}", name="ADA & CO")
case("f_capitalize", "{{ s | capitalize }}", s="hELLO wORLD")
case("f_title", "{{ s | title }}", s="hello big world")
case("f_trim", "[{{ s | trim }}]", s="  padded \n ")
case("f_trim_chars", "{{ 'xxhixx' | trim('x') }}")
case("f_center", "[{{ 'ab' | center(6) }}]")
case("f_center_default", "[{{ 'x' | center }}]")
case("f_indent", "{{ s | indent(2) }}", s="a\nb\n\nc")
case("f_indent_first", "{{ s | indent(3, true) }}", s="a\nb")
case("f_indent_kwargs", "{{ s | indent(width=1, first=true) }}", s="a\nb")
case("f_truncate_long", "{{ s | truncate(20) }}", s=SENTENCE)
case("f_truncate_killwords", "{{ s | truncate(20, true) }}", s=SENTENCE)
case("f_truncate_end", "{{ s | truncate(25, end='…') }}", s=SENTENCE)
case("f_truncate_short", "{{ 'short' | truncate(20) }}")
case("f_truncate_leeway0", "{{ 'abcdefghij klmno' | truncate(14, leeway=0) }}")
case("f_wordwrap", "{{ s | wordwrap(10) }}", s=SENTENCE)
case("f_wordwrap_long_word", "{{ 'abcdefghijklmnop qr' | wordwrap(5) }}")
case("f_wordcount", "{{ 'one two  three\nfour' | wordcount }}")
case("f_replace", "{{ 'Hello World' | replace('World', 'There') }}")
case("f_replace_count", "{{ 'aaaa' | replace('a', 'b', 2) }}")
case("f_replace_escaped_result", "{{ 'a-b' | replace('-', '<&>') }}")
case("f_striptags", "{{ '<p>Hello <b>World</b></p>' | striptags }}")
case("f_urlencode_str", "{{ 'a b' | urlencode }}")
case("f_urlencode_dict", "{{ {'q': 'a b', 'n': 1} | urlencode }}")
case("f_string", "{{ 42 | string ~ '!' }}")
case("f_chain_string", "{{ s | trim | lower | capitalize }}", s="  hELLO THERE ")
case("f_chain_with_args", "{{ s | replace('o', '0') | upper | truncate(15, true) }}", s=SENTENCE)

# --- escaping / safety filters -------------------------------------------------------------
case("f_escape", "{{ s | escape }}", s="<a href='x'>&</a>")
case("f_e_alias_no_double", "{{ s | e }}", s="<&>")
case("f_escape_twice", "{{ s | e | e }}", s="<i>")
case("f_safe", "{{ '<b>bold</b>' | safe }}")
case("f_safe_var", "{{ html | safe }}", html="<p class='x'>&amp;</p>")
case("f_tojson_dict", "{{ d | tojson }}", d={"a": "<b>", "b": [1, 2], "c": True})
case("f_tojson_str", '{{ "it\'s <b>&</b>" | tojson }}')
case(
    "f_tojson_list_in_script",
    "<script>var x = {{ xs | tojson }};</script>",
    xs=[1, "two", 3.5, False],
)

# --- collection filters -------------------------------------------------------------------
case("f_first_last", "{{ xs | first }} {{ xs | last }}", xs=NUMS)
case("f_first_str", "{{ 'hello' | first }}")
case(
    "f_length_count",
    "{{ xs | length }} {{ xs | count }} {{ 'abc' | length }} {{ d | length }}",
    xs=NUMS,
    d={"a": 1},
)
case("f_join", "{{ xs | join(', ') }}", xs=WORDS)
case("f_join_no_sep", "{{ [1, 2, 3] | join }}")
case("f_join_escapes_items", "{{ xs | join(' & ') }}", xs=["<a>", "b'c"])
case("f_reverse_list", "{{ xs | reverse | join(',') }}", xs=NUMS)
case("f_list_reverse", "{{ range(4) | list | reverse | join }}")
case("f_list_str", "{{ 'abc' | list }}")
case("f_sort_numbers", "{{ xs | sort | join(',') }}", xs=NUMS)
case("f_sort_reverse", "{{ xs | sort(reverse=true) | join(',') }}", xs=NUMS)
case("f_sort_case_insensitive", "{{ ['b', 'a', 'B'] | sort | join(',') }}")
case("f_sort_case_sensitive", "{{ ['b', 'a', 'B'] | sort(case_sensitive=true) | join(',') }}")
case(
    "f_sort_attribute",
    "{{ users | sort(attribute='age') | map(attribute='name') | join(', ') }}",
    users=USERS,
)
case(
    "f_sort_attribute_dotted",
    "{{ users | sort(attribute='address.city') | map(attribute='name') | join(', ') }}",
    users=USERS,
)
case(
    "f_dictsort",
    "{% for k, v in d | dictsort %}{{ k }}={{ v }};{% endfor %}",
    d={"b": 2, "a": 3, "C": 1},
)
case(
    "f_dictsort_by_value",
    "{% for k, v in d | dictsort(by='value') %}{{ k }};{% endfor %}",
    d={"b": 2, "a": 3, "c": 1},
)
case(
    "f_dictsort_reverse",
    "{% for k, v in d | dictsort(reverse=true) %}{{ k }};{% endfor %}",
    d={"b": 2, "a": 3, "c": 1},
)
case("f_unique", "{{ [3, 1, 3, 2, 1] | unique | join(',') }}")
case("f_unique_case_insensitive", "{{ words | unique | join(',') }}", words=WORDS)
case(
    "f_groupby",
    "{% for g in users | groupby('role') %}{{ g.grouper }}: "
    "{{ g.list | map(attribute='name') | join('/') }}\n{% endfor %}",
    users=USERS,
)
case("f_map_attribute", "{{ users | map(attribute='age') | join(',') }}", users=USERS)
case(
    "f_map_attribute_dict",
    "{{ products | map(attribute='name') | join(' | ') }}",
    products=PRODUCTS,
)
case("f_select_test", "{{ xs | select('odd') | join(',') }}", xs=NUMS)
case("f_select_truthy", "{{ [0, 1, '', 'a', [], [2]] | select | list | length }}")
case("f_select_test_arg", "{{ range(1, 13) | select('divisibleby', 3) | join(',') }}")
case("f_reject_test", "{{ xs | reject('even') | join(',') }}", xs=NUMS)
case(
    "f_selectattr_truthy",
    "{{ users | selectattr('active') | map(attribute='name') | join(', ') }}",
    users=USERS,
)
case(
    "f_selectattr_eq",
    "{{ users | selectattr('role', 'eq', 'admin') | map(attribute='name') | join(', ') }}",
    users=USERS,
)
case(
    "f_rejectattr",
    "{{ products | rejectattr('active') | map(attribute='name') | join(', ') }}",
    products=PRODUCTS,
)
case(
    "f_rejectattr_lt",
    "{{ users | rejectattr('age', 'lt', 40) | map(attribute='age') | join(',') }}",
    users=USERS,
)
case("f_batch", "{% for row in xs | batch(3) %}{{ row | join(',') }};{% endfor %}", xs=NUMS)
case(
    "f_batch_fill", "{% for row in xs | batch(3, 'x') %}{{ row | join(',') }};{% endfor %}", xs=NUMS
)
case("f_slice", "{% for col in xs | slice(3) %}[{{ col | join(',') }}]{% endfor %}", xs=NUMS)
case(
    "f_slice_fill", "{% for col in xs | slice(3, 0) %}[{{ col | join(',') }}]{% endfor %}", xs=NUMS
)
case("f_sum", "{{ xs | sum }}", xs=NUMS)
case("f_sum_attribute", "{{ products | sum(attribute='price') }}", products=PRODUCTS)
case("f_sum_start", "{{ [1, 2] | sum(start=10) }}")
case("f_min_max", "{{ xs | min }} {{ xs | max }}", xs=NUMS)
case(
    "f_min_max_attribute",
    "{{ (users | min(attribute='age')).name }} / {{ (users | max(attribute='age')).name }}",
    users=USERS,
)

# --- numeric / conversion / default filters --------------------------------------------------
case("f_abs", "{{ -5 | abs }} {{ x | abs }}", x=-2.5)
case("f_int_from_str", "{{ '42' | int + 1 }}")
case("f_int_from_float_str", "{{ '4.2' | int }}")
case("f_int_from_float", "{{ 3.9 | int }}")
case("f_int_invalid", "{{ 'abc' | int }}")
case("f_int_default", "{{ 'x' | int(7) }}")
case("f_float_from_str", "{{ '3.5' | float }}")
case("f_float_from_int", "{{ 3 | float }}")
case("f_round", "{{ 2.7 | round }} {{ 2.2 | round }}")
case("f_round_precision", "{{ 3.14159 | round(2) }}")
case("f_round_floor_ceil", "{{ 2.7 | round(method='floor') }} {{ 2.1 | round(0, 'ceil') }}")
case("f_default_missing_var", "{{ missing | default('fallback') }}")
case("f_d_alias", "{{ missing | d('dee') }}")
case("f_default_present", "{{ name | default('nope') }}", name="here")
case(
    "f_default_boolean",
    "{{ '' | default('empty', true) }}|{{ 0 | d('zero', true) }}|{{ '' | default('kept') }}",
)
case("f_default_missing_attr", "{{ user.nickname | default('n/a') }}", user=USERS[0])
case(
    "f_default_missing_key",
    "{{ d.missing | default('k') }}|{{ d['other'] | default('k2') }}",
    d={"a": 1},
)
case("f_default_escapes", "{{ missing | default('<none>') }}")

# --- tests ---------------------------------------------------------------------------------------
case("t_defined", "{{ x is defined }} {{ missing is defined }}", x=0)
case("t_undefined", "{{ missing is undefined }} {{ x is undefined }}", x="")
case("t_defined_attr", "{{ user.name is defined }} {{ user.nope is defined }}", user=USERS[0])
case(
    "t_defined_key",
    "{{ d.a is defined }} {{ d.b is defined }} {{ d['b'] is not defined }}",
    d={"a": None},
)
case("t_none", "{{ v is none }} {{ w is none }} {{ v is not none }}", v=None, w=0)
case("t_number", "{{ 1 is number }} {{ 1.5 is number }} {{ '1' is number }}")
case("t_string", "{{ 'a' is string }} {{ 1 is string }}")
case(
    "t_sequence",
    "{{ [1] is sequence }} {{ 'ab' is sequence }} {{ (1,) is sequence }} {{ 3 is sequence }}",
)
case("t_mapping", "{{ d is mapping }} {{ [1] is mapping }}", d={"a": 1})
case("t_iterable", "{{ [1] is iterable }} {{ 'x' is iterable }} {{ 5 is iterable }}")
case("t_callable", "{{ user.greet is callable }} {{ user.name is callable }}", user=USERS[0])
case("t_odd_even", "{{ 3 is odd }} {{ 3 is even }} {{ 4 is even }}")
case("t_divisibleby", "{{ 9 is divisibleby(3) }} {{ 10 is divisibleby 3 }}")
case("t_eq_ne", "{{ 2 is eq(2) }} {{ 2 is ne 2 }} {{ 'a' is eq 'a' }}")
case("t_lt_le_gt_ge", "{{ 1 is lt 2 }} {{ 2 is le 2 }} {{ 3 is gt 4 }} {{ 4 is ge 4 }}")
case("t_sameas", "{{ x is sameas false }} {{ y is sameas false }}", x=False, y=0)
case("t_in", "{{ 2 is in([1, 2]) }} {{ 'z' is in 'abc' }}")
case("t_in_bare_list_arg", "{{ 2 is in [1, 2] }}")
case("t_lower_upper", "{{ 'abc' is lower }} {{ 'ABC' is upper }} {{ 'aBc' is lower }}")
case("t_is_not", "{{ 3 is not odd }} {{ 'x' is not string }}")
case("t_true_false_identity", "{{ x is true }} {{ y is false }} {{ 1 is true }}", x=True, y=False)
case("t_in_if", "{% if n is divisibleby 5 %}fizz{% else %}{{ n }}{% endif %}", n=10)

# --- if -----------------------------------------------------------------------------------------
case("if_true", "{% if flag %}yes{% endif %}", flag=True)
case("if_false", "[{% if flag %}yes{% endif %}]", flag=False)
case("if_else", "{% if n > 5 %}big{% else %}small{% endif %}", n=3)
case(
    "if_elif_chain",
    "{% for n in [1, 5, 10] %}{% if n < 3 %}lo{% elif n < 8 %}mid{% else %}hi{% endif %} "
    "{% endfor %}",
)
case("if_nested", "{% if a %}A{% if b %}B{% else %}!B{% endif %}{% endif %}", a=True, b=False)
case(
    "if_truthiness",
    "{% if [] %}1{% endif %}{% if {} %}2{% endif %}{% if 0 %}3{% endif %}{% if '' %}4{% endif %}"
    "{% if [0] %}5{% endif %}",
)
case(
    "if_complex_condition",
    "{% if user.active and user.role in ['admin', 'owner'] and not user.age < 18 %}ok{% endif %}",
    user=USERS[0],
)
case("if_unified_end", "{% if x %}x{% else %}y{% end %}", "{% if x %}x{% else %}y{% endif %}", x=1)
case(
    "unless_kida",
    "{% unless x %}no{% else %}yes{% end %}",
    "{% if not x %}no{% else %}yes{% endif %}",
    x=0,
)

# --- for loops ----------------------------------------------------------------------------------
case("for_basic", "{% for x in xs %}{{ x }},{% endfor %}", xs=NUMS)
case("for_index", "{% for x in xs %}{{ loop.index }}:{{ x }} {% endfor %}", xs=["a", "b", "c"])
case("for_index0", "{% for x in xs %}{{ loop.index0 }}{% endfor %}", xs=["a", "b", "c"])
case(
    "for_first_last",
    "{% for x in xs %}{% if loop.first %}[{% endif %}{{ x }}{% if not loop.last %}, {% endif %}"
    "{% if loop.last %}]{% endif %}{% endfor %}",
    xs=[1, 2, 3],
)
case("for_length", "{% for x in xs %}{{ loop.length }}{% endfor %}", xs="abcd")
case(
    "for_revindex",
    "{% for x in xs %}{{ loop.revindex }}/{{ loop.revindex0 }} {% endfor %}",
    xs=[7, 8, 9],
)
case(
    "for_cycle",
    "{% for x in xs %}<tr class='{{ loop.cycle('odd', 'even') }}'>{{ x }}</tr>{% endfor %}",
    xs=[1, 2, 3],
)
case(
    "for_previtem_nextitem",
    "{% for x in xs %}{% if not loop.first %}{{ loop.previtem }}<{% endif %}{{ x }}"
    "{% if not loop.last %}>{{ loop.nextitem }}{% endif %}|{% endfor %}",
    xs=[1, 2, 3],
)
case("for_else_empty", "{% for x in xs %}{{ x }}{% else %}none{% endfor %}", xs=[])
case("for_else_nonempty", "{% for x in xs %}{{ x }}{% else %}none{% endfor %}", xs=[1])
case(
    "for_empty_kida",
    "{% for x in xs %}{{ x }}{% empty %}nothing{% end %}",
    "{% for x in xs %}{{ x }}{% else %}nothing{% endfor %}",
    xs=[],
)
case("for_inline_filter", "{% for x in xs if x > 4 %}{{ x }} {% endfor %}", xs=NUMS)
case(
    "for_inline_filter_loop_vars",
    "{% for x in xs if x is odd %}{{ loop.index }}/{{ loop.length }}={{ x }}{% if loop.last %}."
    "{% endif %} {% endfor %}",
    xs=NUMS,
)
case(
    "for_inline_filter_else",
    "{% for x in xs if x > 100 %}{{ x }}{% else %}none over 100{% endfor %}",
    xs=NUMS,
)
case(
    "for_nested",
    "{% for row in rows %}{% for c in row %}{{ c }}{% endfor %};{% endfor %}",
    rows=[[1, 2], [3], []],
)
case(
    "for_nested_loop_shadow",
    "{% for a in 'xy' %}{% for b in 'pq' %}{{ a }}{{ b }}{{ loop.index }} {% endfor %}"
    "{{ loop.index }}|{% endfor %}",
)
case(
    "for_dict_items",
    "{% for k, v in d.items() %}{{ k }}={{ v }}&{% endfor %}",
    d={"b": 1, "a": "<2>"},
)
case("for_dict_keys", "{% for k in d %}{{ k }}{% endfor %}", d={"z": 1, "y": 2})
case(
    "for_tuple_unpack_list",
    "{% for a, b in pairs %}{{ a }}-{{ b }} {% endfor %}",
    pairs=[(1, "x"), (2, "y")],
)
case("for_range", "{% for i in range(2, 12, 3) %}{{ i }} {% endfor %}")
case("for_string", "{% for ch in 'abc' %}[{{ ch }}]{% endfor %}")
case(
    "for_objects",
    "{% for u in users %}{{ loop.index }}. {{ u.name }} ({{ u.address.city }})\n{% endfor %}",
    users=USERS,
)
case(
    "for_loop_var_restored", "{% set x = 'outer' %}{% for x in [1, 2] %}{{ x }}{% endfor %}{{ x }}"
)
case(
    "for_over_filtered",
    "{% for p in products | selectattr('qty') %}{{ p.name }};{% endfor %}",
    products=PRODUCTS,
)
case(
    "for_unified_end",
    "{% for x in xs %}{{ x }}{% end %}",
    "{% for x in xs %}{{ x }}{% endfor %}",
    xs=[1, 2],
)

# --- with / set / capture / filter blocks -------------------------------------------------
case("with_single", "{% with a = 1 %}{{ a }}{% endwith %}")
case("with_multi", "{% with a = 1, b = x.name %}{{ a }}-{{ b }}{% endwith %}", x=USERS[1])
case("with_shadow_restored", "{% set v = 'out' %}{% with v = 'in' %}{{ v }}{% endwith %}{{ v }}")
case("with_uses_outer", "{% with total = price * 2 %}{{ total }}/{{ price }}{% endwith %}", price=4)
case("set_simple", "{% set x = 5 %}{{ x }}")
case(
    "set_expression",
    "{% set total = items | sum(attribute='price') %}Total: {{ total }}",
    items=PRODUCTS,
)
case("set_tuple_unpack", "{% set a, b = 1, 2 %}{{ a }}{{ b }}")
case("set_tuple_unpack_parenthesised", "{% set a, b = (1, 2) %}{{ b }}{{ a }}")
case("set_tuple_from_var", "{% set first, second = pair %}{{ second }}{{ first }}", pair=("x", "y"))
case("set_overwrite", "{% set x = 1 %}{{ x }}{% set x = x + 1 %}{{ x }}")
case(
    "set_used_in_loop",
    "{% set sep = ' | ' %}{% for x in xs %}{{ x }}{{ sep }}{% endfor %}",
    xs=[1, 2],
)
case("set_shadows_context", "{{ x }}{% set x = 'new' %}{{ x }}", x="old")
case("set_capture", "{% set greeting %}Hello {{ name }}!{% endset %}[{{ greeting }}]", name="Ada")
case("set_capture_escaped_once", "{% set body %}<i>{{ v }}</i>{% endset %}{{ body }}", v="<&>")
case("filter_block_upper", "{% filter upper %}hello {{ name }}{% endfilter %}", name="ada")
case("filter_block_trim", "[{% filter trim %}   padded   {% endfilter %}]")
case("filter_block_truncate", "{% filter truncate(12, true) %}{{ s }}{% endfilter %}", s=SENTENCE)
case("filter_block_replace_args", "{% filter replace('a', 'o') %}banana{% endfilter %}")
case(
    "filter_block_unified_end",
    "{% filter lower %}ABC{% end %}",
    "{% filter lower %}ABC{% endfilter %}",
)

# --- autoescape and Markup -----------------------------------------------------------------
case("ae_lt_gt_amp", "{{ s }}", s="<script>alert(1) && 2</script>")
case("ae_apostrophe", "<a title='{{ t }}'>x</a>", t="it's")
case("ae_object_attr", "{{ p.name }}", p=PRODUCTS[1])
case("ae_numbers_untouched", "{{ 1 < 2 }} {{ 3 }} {{ -1.5 }}")
case("ae_literal_string", "{{ '<b>&</b>' }}")
case("ae_list_repr", "{{ xs }}", xs=["<a>", "b&c"])
case("ae_loop_values", "{% for x in xs %}<li>{{ x }}</li>{% endfor %}", xs=["a<b", "c&d", "e'f"])
case("ae_template_text_untouched", "<p class='x'>&amp; {{ v }}</p>", v="&")
case("ae_already_escaped_text", "{{ s }}", s="&amp; &lt;")
case("ae_dict_value", "{{ d.k }}", d={"k": "1 > 0"})
case("markup_context_passthrough", "{{ m }}", m=Markup("<b>bold</b>"))
case("markup_html_protocol", "{{ t }}", t=HtmlThing())
case("markup_escape_filter_no_double", "{{ m | e }}", m=Markup("<i>&amp;</i>"))
case("markup_safe_in_loop", "{% for m in ms %}{{ m }}{% endfor %}", ms=[Markup("<br>"), "<br>"])
case("markup_attr_access", "{{ d.html }}", d={"html": Markup("<hr>")})
case("markup_length", "{{ m | length }}", m=Markup("<b>x</b>"))
case("markup_concat_tilde", "{{ m ~ '<' }}", m=Markup("<b>x</b>"))
case("markup_join_mixed", "{{ xs | join(', ') }}", xs=[Markup("<i>ok</i>"), "<no>"])
case("markup_upper", "{{ m | upper }}", m=Markup("<b>x</b>"))
case("markup_capture_then_filter", "{% set x %}<i>{{ v }}</i>{% endset %}{{ x | upper }}", v="<")
case("markup_filter_block_escaped_body", "{% filter upper %}<b>{{ v }}</b>{% endfilter %}", v="<x>")

# --- larger mixed templates --------------------------------------------------------------
case(
    "mix_user_table",
    "<table>\n{% for u in users | sort(attribute='name') %}"
    "  <tr class='{{ loop.cycle('odd', 'even') }}'>"
    "<td>{{ loop.index }}</td><td>{{ u.name | upper }}</td>"
    "<td>{{ u.tags | join(', ') | default('-', true) }}</td>"
    "<td>{% if u.active %}active{% else %}inactive{% endif %}</td></tr>\n"
    "{% else %}  <tr><td>none</td></tr>\n{% endfor %}</table>\n",
    users=USERS,
)
case(
    "mix_product_list",
    "{% set in_stock = products | selectattr('qty') | list %}"
    "{{ in_stock | length }} of {{ products | length }} in stock\n"
    "{% for p in in_stock %}- {{ p.name }}: {{ p.price * p.qty }} ("
    "{{ p.tags | join('/') or 'untagged' }})\n{% endfor %}",
    products=PRODUCTS,
)
case(
    "mix_nav",
    "<nav>{% for item in nav %}<a href='{{ item.url }}'"
    "{% if item.url == current %} class='active'{% endif %}>{{ item.label | title }}</a>"
    "{% if not loop.last %} | {% endif %}{% endfor %}</nav>",
    nav=[
        {"url": "/", "label": "home"},
        {"url": "/docs", "label": "the docs"},
        {"url": "/a&b", "label": "q & a"},
    ],
    current="/docs",
)
case(
    "mix_grouped_report",
    "{% for g in users | groupby('role') %}{{ g.grouper | capitalize }} ({{ g.list | length }}):"
    "{% for u in g.list %} {{ u.name.split()[0] }}{% if u.age >= 40 %}*{% endif %}{% endfor %}\n"
    "{% endfor %}",
    users=USERS,
)
case(
    "mix_whitespace_controlled_page",
    "<html>\n  {%- if title %}\n  <title>{{ title }}</title>\n  {%- endif %}\n"
    "  <body>\n    {%- for p in paragraphs %}\n    <p>{{ p | trim }}</p>\n    "
    "{%- endfor %}\n  </body>\n</html>\n",
    title="A & B",
    paragraphs=["  one ", "<two>"],
)

CASES: tuple[Case, ...] = tuple(_cases)
