"""Every expression form, through real rendering."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from kida_core import Environment, Markup, UndefinedError


def render(source: str, /, env: Environment | None = None, **context: Any) -> str:
    env = env or Environment()  # keep a strong reference: templates hold their env weakly
    return env.from_string(source).render(**context)


def render_quiet(source: str, /, **context: Any) -> str:
    """Render a source that intentionally triggers a compile-time warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return render(source, **context)


class User:
    def __init__(self, name: str, active: bool = True) -> None:
        self.name = name
        self.active = active

    def greet(self, greeting: str, punct: str = "!") -> str:
        return f"{greeting}, {self.name}{punct}"


class Bag:
    """An object with attributes and item access."""

    colour = "red"

    def __getitem__(self, key: str) -> str:
        return f"item:{key}"


class Plain:
    """An object with no item access and a single attribute."""

    title = "T"


# -- literals --------------------------------------------------------------------


def test_string_literals_with_both_quotes() -> None:
    assert render("{{ 'single' }} {{ \"double\" }}") == "single double"


def test_string_literal_backslash_escapes() -> None:
    assert render(r"{{ 'a\tb' }}|{{ 'line\nnext' }}") == "a\tb|line\nnext"


def test_integer_and_float_literals() -> None:
    assert render("{{ 10 }} {{ 0.25 }}") == "10 0.25"


def test_bool_and_none_keywords_in_both_spellings() -> None:
    assert render("{{ true }}{{ True }}{{ false }}{{ False }}[{{ none }}{{ None }}]") == (
        "TrueTrueFalseFalse[]"
    )


def test_list_literal_with_trailing_comma() -> None:
    assert render("{{ [1, 2,] | length }}") == "2"


def test_tuple_literals() -> None:
    assert render("{{ (1, 2) | list }}|{{ () | length }}|{{ (5,) | first }}") == "[1, 2]|0|5"


def test_dict_literal_keys_are_expressions() -> None:
    assert render("{{ {k: 1, 'b': 2}[key] }}", k="a", key="a") == "1"


def test_dict_literal_bare_name_key_is_a_variable() -> None:
    assert render("{{ {name: 'v'} | list }}", name="real_key") == "[&#39;real_key&#39;]"


# -- arithmetic --------------------------------------------------------------------


def test_arithmetic_operators() -> None:
    assert render("{{ 7 - 2 }} {{ 3 * 4 }} {{ 7 / 2 }} {{ 7 // 2 }} {{ 7 % 3 }}") == (
        "5 12 3.5 3 1"
    )


def test_power_is_right_associative() -> None:
    assert render("{{ 2 ** 3 ** 2 }}") == "512"


def test_unary_minus_and_plus() -> None:
    assert render("{{ -x }} {{ +x }} {{ - -x }}", x=3) == "-3 3 3"


def test_multiplication_binds_tighter_than_addition() -> None:
    assert render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }}") == "7 9"


def test_plus_adds_numbers() -> None:
    assert render("{{ a + b }} {{ 1 + 2 }} {{ a + 0.5 }}", a=1, b=2) == "3 3 1.5"


def test_plus_concatenates_strings() -> None:
    assert render("{{ a + b }}", a="foo", b="bar") == "foobar"


def test_plus_falls_back_to_string_concat_for_mixed_variables() -> None:
    assert render("{{ s + n }}|{{ n + s }}", s="a", n=2) == "a2|2a"


def test_plus_falls_back_to_string_concat_with_numeric_literal_on_right() -> None:
    assert render("{{ s + 1 }}", s="item") == "item1"


def test_plus_falls_back_to_string_concat_with_numeric_literal_on_left() -> None:
    assert render("{{ 1 + s }}", s="st") == "1st"


def test_plus_falls_back_to_string_concat_for_literals() -> None:
    assert render("{{ 'page ' + 2 }}") == "page 2"


def test_plus_concatenation_result_is_escaped() -> None:
    assert render("{{ s + n }}", s="<", n=1) == "&lt;1"


# -- ~ concatenation -----------------------------------------------------------------


def test_tilde_stringifies_and_concatenates() -> None:
    assert render("{{ '/u/' ~ uid ~ '/edit' }}", uid=42) == "/u/42/edit"


def test_tilde_renders_none_as_empty() -> None:
    assert render("{{ 'a' ~ x ~ 'b' }}", x=None) == "ab"


def test_tilde_result_is_escaped_on_output() -> None:
    assert render("{{ a ~ b }}", a="<", b=">") == "&lt;&gt;"


def test_tilde_with_markup_escapes_the_plain_side() -> None:
    assert render("{{ m ~ s }}", m=Markup("<b>"), s="<i>") == "<b>&lt;i&gt;"


def test_tilde_with_markup_on_right_escapes_the_plain_left() -> None:
    assert render("{{ s ~ m }}", m=Markup("<b>"), s="<i>") == "&lt;i&gt;<b>"


def test_tilde_with_markup_keeps_none_empty() -> None:
    assert render("{{ m ~ x }}", m=Markup("<hr>"), x=None) == "<hr>"


# -- comparisons, boolean logic, membership --------------------------------------------


def test_comparison_operators() -> None:
    assert render(
        "{{ 1 == 1 }} {{ 1 != 1 }} {{ 1 < 2 }} {{ 2 <= 1 }} {{ 3 > 2 }} {{ 2 >= 3 }}"
    ) == ("True False True False True False")


def test_comparison_chains_like_python() -> None:
    assert render("{{ 1 < x < 3 }} {{ 1 < y < 3 }}", x=2, y=5) == "True False"


def test_and_or_return_operands() -> None:
    assert render("[{{ x and y }}] [{{ x or y }}] [{{ y and z }}]", x=0, y="b", z="c") == (
        "[0] [b] [c]"
    )


def test_not_negates() -> None:
    assert render("{{ not x }} {{ not y }}", x=0, y=[1]) == "True False"


def test_and_short_circuits_before_missing_name() -> None:
    assert render("[{{ x and missing }}]", x=False) == "[False]"


def test_or_short_circuits_before_missing_name() -> None:
    assert render("{{ x or missing }}", x="first") == "first"


def test_in_and_not_in() -> None:
    assert render(
        "{{ 'b' in 'abc' }} {{ 2 in xs }} {{ 5 not in xs }} {{ 'k' in d }}", xs=[1, 2], d={"k": 1}
    ) == ("True True True True")


def test_is_none_and_is_true_are_identity() -> None:
    assert render("{{ x is none }} {{ y is true }} {{ z is false }}", x=None, y=True, z=1) == (
        "True True False"
    )


# -- ternary ------------------------------------------------------------------------


def test_ternary_with_else() -> None:
    assert render("{{ 'yes' if ok else 'no' }}|{{ 'yes' if not ok else 'no' }}", ok=True) == (
        "yes|no"
    )


def test_ternary_without_else_yields_empty_when_false() -> None:
    assert render("[{{ 'shown' if flag }}]", flag=False) == "[]"


def test_ternary_without_else_yields_value_when_true() -> None:
    assert render("[{{ 'shown' if flag }}]", flag=True) == "[shown]"


def test_ternary_does_not_evaluate_the_other_branch() -> None:
    assert render("{{ 'safe' if ok else missing.attr }}", ok=True) == "safe"


# -- attribute and item lookup ------------------------------------------------------------


def test_attribute_on_dict_reads_key() -> None:
    assert render("{{ d.name }}", d={"name": "Ada"}) == "Ada"


def test_attribute_on_dict_prefers_key_over_method() -> None:
    assert render("{{ d.items }}", d={"items": "the value"}) == "the value"


def test_attribute_on_dict_falls_back_to_method() -> None:
    assert render("{{ d.keys() | list }}", d={"a": 1}) == "[&#39;a&#39;]"


def test_attribute_on_object() -> None:
    assert render("{{ u.name }}", u=User("Ada")) == "Ada"


def test_attribute_on_object_falls_back_to_item() -> None:
    assert render("{{ b.colour }} {{ b.size }}", b=Bag()) == "red item:size"


def test_subscript_with_string_key() -> None:
    assert render("{{ d['a b'] }}", d={"a b": 1}) == "1"


def test_subscript_with_variable_key() -> None:
    assert render("{{ d[k] }}", d={"x": "X"}, k="x") == "X"


def test_subscript_on_sequence_with_index() -> None:
    assert render("{{ xs[0] }} {{ xs[-1] }}", xs=[1, 2, 3]) == "1 3"


def test_subscript_falls_back_to_attribute() -> None:
    assert render("{{ u['name'] }}", u=User("Ada")) == "Ada"


def test_nested_attribute_and_item_chain() -> None:
    data = {"users": [{"profile": User("Bo")}]}
    assert render("{{ data.users[0].profile.name }}", data=data) == "Bo"


# -- slicing --------------------------------------------------------------------------


def test_slice_forms() -> None:
    assert (
        render(
            "{{ xs[1:3] }} {{ xs[:2] }} {{ xs[2:] }} {{ xs[::2] }} {{ xs[::-1] }}", xs=[1, 2, 3, 4]
        )
        == "[2, 3] [1, 2] [3, 4] [1, 3] [4, 3, 2, 1]"
    )


def test_slice_on_string() -> None:
    assert render("{{ s[1:-1] }}", s="<abc>") == "abc"


def test_slice_with_variable_bounds() -> None:
    assert render("{{ xs[a:b] | join(',') }}", xs=[1, 2, 3, 4], a=1, b=3) == "2,3"


# -- calls ----------------------------------------------------------------------------


def test_method_call() -> None:
    assert render("{{ s.upper() }} {{ s.replace('a', 'o') }}", s="banana") == "BANANA bonono"


def test_method_call_with_keyword_argument() -> None:
    assert render("{{ u.greet('Hi', punct='?') }}", u=User("Ada")) == "Hi, Ada?"


def test_call_of_context_function_with_kwargs() -> None:
    assert render("{{ f(1, b=2) }}", f=lambda a, b: a * 10 + b) == "12"


def test_call_with_star_args() -> None:
    assert render("{{ f(*args) }}", f=lambda *a: "-".join(map(str, a)), args=[1, 2, 3]) == "1-2-3"


def test_call_with_star_star_kwargs() -> None:
    def f(**kw: Any) -> str:
        return ",".join(f"{k}={v}" for k, v in sorted(kw.items()))

    assert render("{{ f(**opts) }}", f=f, opts={"b": 2, "a": 1}) == "a=1,b=2"


def test_call_with_positional_and_both_splats() -> None:
    def f(*a: Any, **kw: Any) -> str:
        return f"{a}|{sorted(kw.items())}"

    assert render("{{ f(0, *xs, k=1, **more) | safe }}", f=f, xs=[1], more={"z": 2}) == (
        "(0, 1)|[('k', 1), ('z', 2)]"
    )


# -- filters ----------------------------------------------------------------------------


def test_filter_without_arguments() -> None:
    assert render("{{ name | upper }}", name="ada") == "ADA"


def test_filter_with_positional_and_keyword_arguments() -> None:
    assert render(
        "{{ xs | join(', ') }} {{ s | truncate(5, end='~') }}", xs=[1, 2], s="abcdefgh"
    ) == ("1, 2 abcd~")


def test_filter_chain_is_left_associative() -> None:
    assert render("{{ s | lower | capitalize }}", s="hELLO") == "Hello"


def test_filter_binds_tighter_than_plus() -> None:
    assert render("{{ 'n=' + 5 | string }}") == "n=5"


def test_filter_applies_to_product() -> None:
    assert render("{{ 2 * 3 | string }}") == "6"


def test_filter_applies_after_unary_minus() -> None:
    assert render("{{ -3 | abs }}") == "3"


def test_pipeline_operator() -> None:
    assert render("{{ s |> upper |> replace('A', '4') }}", s="aBa") == "4B4"


def test_optional_filter_skips_none() -> None:
    assert render("[{{ x ?| upper }}]", x=None) == "[]"


def test_optional_filter_applies_to_value() -> None:
    assert render("{{ x ?| upper }}", x="a") == "A"


def test_optional_filter_does_not_skip_falsy_values() -> None:
    assert render("{{ z ?| string }}|{{ e ?| length }}|{{ f ?| string }}", z=0, e="", f=False) == (
        "0|0|False"
    )


def test_optional_filter_mixed_with_plain_filter() -> None:
    assert render("[{{ x ?| upper | default('-') }}]", x=None) == "[-]"


def test_safe_pipeline_stops_at_none() -> None:
    assert render("[{{ x ?|> upper ?|> lower }}]", x=None) == "[]"


def test_safe_pipeline_runs_every_step_on_values() -> None:
    assert render("{{ x ?|> upper ?|> replace('B', 'b') }}", x="abc") == "AbC"


def test_safe_pipeline_combined_with_coalesce() -> None:
    assert render("{{ (x ?|> upper) ?? 'fallback' }}", x=None) == "fallback"


def test_safe_pipeline_short_circuits_when_a_step_returns_none() -> None:
    env = Environment()
    env.add_filter("nothing", lambda v: None)
    env.add_filter("explode", lambda v: 1 / 0)
    assert render("[{{ x ?|> nothing ?|> explode }}]", env=env, x="a") == "[]"


# -- ?? null coalescing ----------------------------------------------------------------


def test_coalesce_replaces_none() -> None:
    assert render("{{ x ?? 'd' }}", x=None) == "d"


def test_coalesce_replaces_undefined_name() -> None:
    assert render("{{ missing ?? 'd' }}") == "d"


def test_coalesce_replaces_missing_attribute_chain() -> None:
    assert render("{{ user.profile.nick ?? 'anon' }}", user={"profile": {}}) == "anon"


def test_coalesce_on_missing_root_of_chain() -> None:
    assert render("{{ user.profile.nick ?? 'anon' }}") == "anon"


def test_coalesce_keeps_falsy_values() -> None:
    assert render(
        "{{ z ?? 'd' }}|{{ e ?? 'd' }}|{{ f ?? 'd' }}|{{ l ?? 'd' }}", z=0, e="", f=False, l=[]
    ) == ("0||False|[]")


def test_coalesce_is_right_associative() -> None:
    assert render("{{ a ?? b ?? 'c' }}", a=None) == "c"


def test_coalesce_does_not_evaluate_right_side_when_left_present() -> None:
    assert render("{{ x ?? missing.attr }}", x="here") == "here"


def test_coalesce_is_looser_than_filters() -> None:
    assert render_quiet("{{ x ?? [1, 2] | length }}") == "2"


def test_coalesce_right_operand_is_escaped() -> None:
    assert render("{{ x ?? '<none>' }}") == "&lt;none&gt;"


# -- ?. and ?[ optional chaining -----------------------------------------------------------


def test_optional_attribute_on_none_is_empty() -> None:
    assert render("[{{ a?.b }}]", a=None) == "[]"


def test_optional_attribute_on_undefined_is_empty() -> None:
    assert render("[{{ missing?.b }}]") == "[]"


def test_optional_item_on_none_and_undefined_is_empty() -> None:
    assert render("[{{ a?['k'] }}][{{ missing?['k'] }}]", a=None) == "[][]"


def test_optional_attribute_on_mapping_missing_key_is_empty() -> None:
    assert render("[{{ m?.x }}][{{ m?['x'] }}]", m={}) == "[][]"


def test_optional_attribute_on_present_value() -> None:
    assert render("{{ m?.x }} {{ u?.name }}", m={"x": 1}, u=User("Ada")) == "1 Ada"


def test_optional_chain_short_circuits_whole_remainder() -> None:
    assert render("[{{ a?.b.c }}]", a=None) == "[]"


def test_optional_chain_short_circuits_calls_too() -> None:
    assert render("[{{ a?.b.upper() }}]", a=None) == "[]"


def test_optional_chain_combines_with_coalesce() -> None:
    assert render("{{ page?.meta?.title ?? 'Untitled' }}", page={"meta": None}) == "Untitled"


def test_optional_attribute_on_object_missing_attribute_still_raises() -> None:
    with pytest.raises(UndefinedError) as info:
        render("{{ p?.nope }}", p=Plain())
    assert info.value.kind == "attribute"
    assert info.value.name == "nope"


def test_optional_item_out_of_range_on_sequence_still_raises() -> None:
    with pytest.raises(UndefinedError):
        render("{{ xs?[5] }}", xs=[1])


class Defaulting(dict[str, Any]):
    """A dict subclass that answers absent keys through ``__missing__``."""

    def __missing__(self, key: str) -> str:
        return f"missing:{key}"


class Refusing(dict[str, Any]):
    """A dict subclass whose ``__missing__`` raises ``KeyError``."""

    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def test_optional_attribute_miss_on_object_then_coalesce_gives_fallback() -> None:
    assert render("{{ p?.nope ?? 'fallback' }}", p=Plain()) == "fallback"


def test_optional_chain_miss_on_object_then_coalesce_gives_fallback() -> None:
    assert render("{{ p?.nope.deeper ?? 'fallback' }}", p=Plain()) == "fallback"


def test_optional_item_out_of_range_then_coalesce_gives_fallback() -> None:
    assert render("{{ xs?[5] ?? 'fallback' }}", xs=[1]) == "fallback"


def test_optional_attribute_on_dict_subclass_uses_missing() -> None:
    assert render("{{ d?.k ?? 'fallback' }}", d=Defaulting()) == "missing:k"


def test_optional_item_on_dict_subclass_uses_missing() -> None:
    assert render("{{ d?['k'] }}", d=Defaulting()) == "missing:k"


def test_optional_attribute_on_dict_subclass_whose_missing_raises_short_circuits() -> None:
    assert render("[{{ d?.k }}]{{ d?.k ?? 'fallback' }}", d=Refusing()) == "[]fallback"


# -- range literals -------------------------------------------------------------------


def test_inclusive_range() -> None:
    assert render("{{ 1..5 | list }}") == "[1, 2, 3, 4, 5]"


def test_exclusive_range() -> None:
    assert render("{{ 0...5 | list }}") == "[0, 1, 2, 3, 4]"


def test_range_with_step() -> None:
    assert render("{{ 0..20 by 5 | list }}") == "[0, 5, 10, 15, 20]"


def test_descending_range() -> None:
    assert render("{{ 5..1 | list }}") == "[5, 4, 3, 2, 1]"


def test_range_with_variable_bounds_in_loop() -> None:
    assert render("{% for i in a..b %}{{ i }}{% end %}", a=2, b=4) == "234"


# -- list comprehensions --------------------------------------------------------------------


def test_list_comprehension() -> None:
    assert render("{{ [x * 2 for x in xs] }}", xs=[1, 2, 3]) == "[2, 4, 6]"


def test_list_comprehension_with_condition() -> None:
    assert render("{{ [x for x in xs if x is odd] }}", xs=[1, 2, 3]) == "[1, 3]"


def test_list_comprehension_with_filter_in_element() -> None:
    users = [User("ann"), User("bob", active=False), User("cy")]
    assert render("{{ [u.name | upper for u in users if u.active] | join(',') }}", users=users) == (
        "ANN,CY"
    )


def test_list_comprehension_with_tuple_target() -> None:
    assert render("{{ [k ~ '=' ~ v for k, v in d.items()] | join('&') }}", d={"a": 1, "b": 2}) == (
        "a=1&amp;b=2"
    )


def test_list_comprehension_variable_does_not_leak() -> None:
    assert render("{{ [x for x in xs] | length }}{{ x ?? '-' }}", xs=[1]) == "1-"


# -- tests (is ...) ------------------------------------------------------------------------


def test_is_defined_and_undefined() -> None:
    assert render("{{ x is defined }} {{ y is defined }} {{ y is undefined }}", x=None) == (
        "True False True"
    )


def test_is_defined_on_missing_chain_never_raises() -> None:
    assert render("{{ a.b.c is defined }} {{ d.e[0].f is defined }}", d={}) == "False False"


def test_is_defined_on_present_chain() -> None:
    assert render("{{ a.b.c is defined }}", a={"b": {"c": None}}) == "True"


def test_is_not_defined() -> None:
    assert render("{{ a.b is not defined }}", a=Plain()) == "True"


def test_is_not_with_named_test() -> None:
    assert render("{{ 3 is not even }} {{ 4 is not even }}") == "True False"


def test_test_with_parenthesised_argument() -> None:
    assert render("{{ 9 is divisibleby(3) }} {{ 9 is divisibleby(4) }}") == "True False"


def test_test_with_bare_literal_argument() -> None:
    assert render("{{ 9 is divisibleby 3 }} {{ x is sameas false }}", x=False) == "True True"


def test_custom_test() -> None:
    env = Environment()
    env.add_test("long", lambda v, n=3: len(v) > n)
    assert render("{{ s is long }} {{ s is long(10) }}", env=env, s="abcde") == "True False"


def test_test_in_condition() -> None:
    assert render("{% if n is odd %}odd{% else %}even{% end %}", n=7) == "odd"


# -- ?. ?[ ?? ?| |> where Python forbids := (comprehension iterables) -----------------------

_OPTIONAL_CONTEXT: dict[str, Any] = {
    "page": {"users": [{"name": "ann"}, {"name": "bob"}]},
    "tags": None,
    "rows": [[1, 2], None],
    "nothing": None,
    "make": lambda: [3, 4],
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ [u.name for u in page?.users] | join(', ') }}", "ann, bob"),
        ("{{ [u.name for u in page?['users']] | join(', ') }}", "ann, bob"),
        ("{{ [u.name for u in nothing?.users ?? page.users] | join }}", "annbob"),
        ("{{ [t for t in tags ?? []] | length }}", "0"),
        ("{{ [t for t in tags ?? ['x', 'y']] | join }}", "xy"),
        ("{{ [t for t in make?.__call__()] | join }}", "34"),
        ("{{ [t for t in (page ?| attr('users'))] | length }}", "2"),
        ("{{ [t for t in page.users |> map(attribute='name')] | join }}", "annbob"),
        ("{{ [t for t in (nothing ?|> default([1])) ?? [7]] | join }}", "7"),
        ("{{ [t for t in page?.users?[0]?.name] | join('-') }}", "a-n-n"),
        ("{{ [[b for b in r ?? [0]] for r in rows] }}", "[[1, 2], [0]]"),
        ("{{ [[b for b in r ?? [0]] for r in rows ?? []] }}", "[[1, 2], [0]]"),
        ("{{ [u.name for u in page.users if u?.name ?? false] | join }}", "annbob"),
        ("{{ [u?.name ?? '-' for u in [nothing, page.users.0]] | join }}", "-ann"),
        ("{% set r = [u for u in page?.users] %}{{ r | length }}", "2"),
        ("{% let r = [1 for t in tags ?? [2]] %}{{ r }}", "[1]"),
        ("{% if [1 for t in tags ?? []] %}y{% else %}n{% end %}", "n"),
        ("{% for x in [t for t in tags ?? [1, 2]] %}{{ x }}{% end %}", "12"),
        ("{% for v in tags ?? [1, 2] if v %}{{ loop.index }}{{ v }}{% end %}", "1122"),
        ("{% for u in page?.users if u %}{{ loop.length }}{% end %}", "22"),
        ("{% for r in rows %}{{ [b for b in r ?? []] | length }}{% end %}", "20"),
        ("{% with w = [1 for t in tags ?? [2]] %}{{ w }}{% end %}", "[1]"),
        ("{% match [1 for t in tags ?? [2]] %}{% case [1] %}one{% end %}", "one"),
        ("{% def g(a=[t for t in tags ?? [5]]) %}{{ a }}{% end %}{{ g() }}", "[5]"),
        ("{% def g(a=tags ?? 3, b=page?.users) %}{{ a }}{{ b | length }}{% end %}{{ g() }}", "32"),
        (
            "{% def g(a=nothing ?| upper, b=page?['users'] |> length, "
            "c=[t for t in tags ?? [1]]) %}{{ a }}-{{ b }}-{{ c }}{% end %}{{ g() }}",
            "-2-[1]",
        ),
        ("{% region r(p=[t for t in nothing ?? [4]]) %}{{ p }}{% end %}{{ r() }}", "[4]"),
        ("{{ [v for v in [w for w in page?.users if w ?? 0] if v?.name] | length }}", "2"),
        ("{% for k in [[v for v in r ?? []] for z in [1]] %}{{ k }}{% end %}", "[]"),
    ],
)
def test_optional_operators_in_comprehension_iterables(source: str, expected: str) -> None:
    env = Environment(autoescape=False)
    assert env.from_string(source).render(**_OPTIONAL_CONTEXT) == expected
    streamed = "".join(env.from_string(source).render_stream(**_OPTIONAL_CONTEXT))
    assert streamed == expected


def test_optional_chain_in_comprehension_iterable_short_circuits() -> None:
    env = Environment(autoescape=False)
    source = "{{ [u for u in page?.users ?? ['none']] | join }}"
    assert env.from_string(source).render(page=None) == "none"
    assert env.from_string(source).render() == "none"
