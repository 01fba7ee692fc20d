"""Statement tags through real rendering."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

from kida_core import Environment, Markup


def render(source: str, /, env: Environment | None = None, **context: Any) -> str:
    env = env or Environment()  # keep a strong reference: templates hold their env weakly
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MigrationWarning is covered in test_template_api
        template = env.from_string(source)
    return template.render(**context)


def letters() -> Iterator[str]:
    yield from "abc"


class Parcel:
    def __init__(self, state: str, eta: int | None) -> None:
        self.state = state
        self.eta = eta


# -- if / elif / else / unless ------------------------------------------------------------


def test_if_true_branch() -> None:
    assert render("{% if x %}yes{% end %}", x=1) == "yes"


def test_if_false_renders_nothing() -> None:
    assert render("[{% if x %}yes{% end %}]", x=0) == "[]"


def test_if_elif_else_picks_first_true_branch() -> None:
    source = "{% if n > 10 %}big{% elif n > 5 %}mid{% elif n > 0 %}small{% else %}zero{% end %}"
    assert [render(source, n=n) for n in (11, 6, 1, 0)] == ["big", "mid", "small", "zero"]


def test_if_uses_python_truthiness() -> None:
    source = "{% if v %}T{% else %}F{% endif %}"
    assert "".join(render(source, v=v) for v in ([], [0], "", " ", {}, 0.0)) == "FTFTFF"


def test_unless_renders_when_false() -> None:
    assert render("{% unless x %}empty{% else %}full{% end %}", x=[]) == "empty"


def test_unless_else_renders_when_true() -> None:
    assert render("{% unless x %}empty{% else %}full{% endunless %}", x=[1]) == "full"


# -- for ----------------------------------------------------------------------------


def test_for_iterates_sequence() -> None:
    assert render("{% for x in xs %}<{{ x }}>{% end %}", xs=[1, 2, 3]) == "<1><2><3>"


def test_for_with_tuple_target() -> None:
    assert render(
        "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", d={"a": 1, "b": 2}
    ) == ("a=1;b=2;")


def test_for_with_nested_tuple_target() -> None:
    assert render(
        "{% for i, (a, b) in rows %}{{ i }}{{ a }}{{ b }} {% end %}", rows=[(1, (2, 3))]
    ) == ("123 ")


def test_for_over_generator() -> None:
    assert render("{% for c in g %}{{ c }}{% end %}", g=letters()) == "abc"


def test_for_inline_filter_keeps_matching_items() -> None:
    assert render("{% for x in xs if x is odd %}{{ x }}{% end %}", xs=[1, 2, 3, 4, 5]) == "135"


def test_for_inline_filter_loop_index_counts_only_kept_items() -> None:
    source = "{% for x in xs if x > 1 %}{{ loop.index }}:{{ x }}/{{ loop.length }} {% end %}"
    assert render(source, xs=[1, 2, 3]) == "1:2/2 2:3/2 "


def test_for_inline_filter_loop_object_counts_only_kept_items() -> None:
    source = (
        "{% for x in xs if x %}{{ loop.index }}{{ loop.cycle('a', 'b') }}{{ loop.last }} {% end %}"
    )
    assert render(source, xs=[0, 7, 0, 8]) == "1aFalse 2bTrue "


def test_for_else_on_empty_iterable() -> None:
    assert render("{% for x in xs %}{{ x }}{% else %}none{% end %}", xs=[]) == "none"


def test_for_empty_is_synonym_of_else() -> None:
    assert render("{% for x in xs %}{{ x }}{% empty %}none{% end %}", xs=()) == "none"


def test_for_else_not_rendered_after_iterations() -> None:
    assert render("{% for x in xs %}{{ x }}{% else %}none{% end %}", xs=[1]) == "1"


def test_for_else_when_all_items_filtered_out() -> None:
    assert render("{% for x in xs if x > 5 %}{{ x }}{% else %}none{% end %}", xs=[1, 2]) == "none"


def test_for_empty_when_all_items_filtered_out_with_loop_usage() -> None:
    source = "{% for x in xs if x > 5 %}{{ loop.index }}{% empty %}none{% end %}"
    assert render(source, xs=[1, 2]) == "none"


def test_for_over_coalesced_missing_iterable() -> None:
    assert render("{% for x in maybe ?? [] %}{{ x }}{% else %}nothing{% end %}") == "nothing"


def test_break_stops_loop() -> None:
    assert render(
        "{% for x in xs %}{% if x == 3 %}{% break %}{% end %}{{ x }}{% end %}", xs=[1, 2, 3, 4]
    ) == ("12")


def test_continue_skips_iteration() -> None:
    source = "{% for x in xs %}{% if x is even %}{% continue %}{% end %}{{ x }}{% end %}"
    assert render(source, xs=[1, 2, 3, 4, 5]) == "135"


def test_nested_loop_inner_loop_shadows_outer() -> None:
    source = (
        "{% for a in xs %}{% for b in ys %}{{ loop.index }}{% end %}"
        "/{{ loop.index }}{{ loop.length }};{% end %}"
    )
    assert render(source, xs=["p", "q"], ys="abc") == "123/12;123/22;"


def test_nested_loop_object_mode_shadowing() -> None:
    source = (
        "{% for a in xs %}{% for b in ys %}{{ loop.cycle('x', 'y') }}{% end %}"
        "{{ loop.cycle('P', 'Q') }}{% end %}"
    )
    assert render(source, xs=[1, 2], ys=[1, 2, 3]) == "xyxPxyxQ"


def test_loop_variable_does_not_leak() -> None:
    assert render("{% for x in xs %}{% end %}{{ x ?? 'gone' }}", xs=[1]) == "gone"


def test_loop_variable_restores_outer_value() -> None:
    assert render("{{ x }}{% for x in xs %}{{ x }}{% end %}{{ x }}", x="o", xs=[1, 2]) == "o12o"


# -- loop properties ------------------------------------------------------------------


def test_loop_index_and_index0() -> None:
    assert render("{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }} {% end %}") == "10 21 32 "


def test_loop_first_and_last() -> None:
    source = (
        "{% for x in xs %}{% if loop.first %}[{% end %}{{ x }}{% if loop.last %}]{% end %}{% end %}"
    )
    assert render(source, xs=[1, 2, 3]) == "[123]"


def test_loop_length() -> None:
    assert render("{% for x in xs %}{{ loop.length }}{% end %}", xs=[1, 2, 3]) == "333"


def test_loop_revindex_and_revindex0() -> None:
    assert render(
        "{% for x in xs %}{{ loop.revindex }}{{ loop.revindex0 }} {% end %}", xs="abc"
    ) == ("32 21 10 ")


def test_loop_previtem_and_nextitem() -> None:
    source = "{% for x in xs %}({{ loop.previtem }}<{{ x }}>{{ loop.nextitem }}){% end %}"
    assert render(source, xs=[1, 2, 3]) == "(<1>2)(1<2>3)(2<3>)"


def test_loop_cycle() -> None:
    assert render("{% for x in xs %}{{ loop.cycle('odd', 'even') }} {% end %}", xs=range(3)) == (
        "odd even odd "
    )


def test_loop_length_properties_on_generator() -> None:
    source = "{% for x in g %}{{ loop.length }}{{ loop.revindex }}{{ loop.last }} {% end %}"
    assert render(source, g=letters()) == "33False 32False 31True "


def test_loop_object_passed_as_value() -> None:
    env = Environment()
    env.add_global("where", lambda loop: f"{loop.index}/{loop.length}")
    assert render("{% for x in xs %}{{ where(loop) }} {% end %}", env=env, xs="ab") == "1/2 2/2 "


def test_loop_mixes_inline_and_object_properties() -> None:
    source = (
        "{% for x in xs %}{{ loop.index }}{{ loop.previtem ?? '-' }}{{ loop.revindex }} {% end %}"
    )
    assert render(source, xs=[7, 8]) == "1-2 271 "


# -- while -----------------------------------------------------------------------------


def test_while_loops_until_condition_false() -> None:
    assert render("{% let i = 0 %}{% while i < 3 %}{{ i }}{% export i = i + 1 %}{% end %}") == "012"


def test_while_with_break() -> None:
    source = (
        "{% let i = 0 %}{% while true %}{{ i }}"
        "{% if i == 2 %}{% break %}{% end %}{% let i = i + 1 %}{% endwhile %}"
    )
    assert render(source) == "012"


def test_while_false_never_runs() -> None:
    assert render("[{% while false %}x{% end %}]") == "[]"


# -- set / let / export scoping --------------------------------------------------------------


def test_set_at_top_level_is_template_wide() -> None:
    assert render("{% set x = 1 %}{% if true %}{{ x }}{% end %}{{ x }}") == "11"


def test_set_inside_if_is_dropped_at_block_end() -> None:
    assert render("{% set x = 1 %}{% if true %}{% set x = 2 %}{{ x }}{% end %}{{ x }}") == "21"


def test_set_inside_for_is_dropped_at_block_end() -> None:
    assert render(
        "{% set x = 'outer' %}{% for i in xs %}{% set x = i %}{{ x }}{% end %}{{ x }}", xs=[1, 2]
    ) == ("12outer")


def test_set_inside_block_is_visible_in_nested_blocks() -> None:
    assert render("{% if true %}{% set x = 5 %}{% for i in [1] %}{{ x }}{% end %}{% end %}") == "5"


def test_new_set_inside_block_is_undefined_after_it() -> None:
    assert render("{% if true %}{% set y = 1 %}{% end %}{{ y is defined }}") == "False"


def test_set_inside_with_is_dropped_at_block_end() -> None:
    assert render("{% with a = 1 %}{% set y = a %}{% end %}{{ y ?? 'gone' }}") == "gone"


def test_let_inside_block_is_template_wide() -> None:
    assert render("{% if true %}{% let y = 2 %}{% end %}{{ y }}") == "2"


def test_let_inside_loop_keeps_last_value() -> None:
    assert render("{% for i in xs %}{% let last = i %}{% end %}{{ last }}", xs=[1, 2, 3]) == "3"


def test_export_accumulates_total_inside_loop() -> None:
    source = (
        "{% let total = 0 %}"
        "{% for item in items %}{% export total = total + item.price %}{% end %}"
        "{{ total }}"
    )
    assert render(source, items=[{"price": 3}, {"price": 4}]) == "7"


def test_export_from_nested_blocks_writes_outermost_scope() -> None:
    source = (
        "{% let count = 0 %}{% for x in xs %}{% if x %}"
        "{% export count = count + 1 %}{% end %}{% end %}{{ count }}"
    )
    assert render(source, xs=[1, 0, 2, 3]) == "3"


def test_export_creates_a_new_template_name() -> None:
    assert render("{% for x in xs %}{% export last = x %}{% end %}{{ last }}", xs=[1, 2]) == "2"


def test_promote_is_alias_of_export() -> None:
    assert render("{% if true %}{% promote p = 'up' %}{% end %}{{ p }}") == "up"


def test_set_multiple_targets() -> None:
    assert render("{% set a = 1, b = 2 %}{{ a }}{{ b }}") == "12"


def test_set_tuple_unpacking() -> None:
    assert render("{% set a, b = pair %}{{ b }}{{ a }}", pair=("x", "y")) == "yx"


def test_let_tuple_unpacking() -> None:
    assert render("{% let first, rest = xs[0], xs[1:] %}{{ first }}{{ rest }}", xs=[1, 2]) == "1[2]"


def test_export_multiple_targets() -> None:
    assert render("{% for x in [1] %}{% export a = 1, b = 2 %}{% end %}{{ a }}{{ b }}") == "12"


def test_coalescing_assignment_sets_undefined_name() -> None:
    assert render("{% set x ??= 'dflt' %}{{ x }}") == "dflt"


def test_coalescing_assignment_replaces_none() -> None:
    assert render("{% set x ??= 'dflt' %}{{ x }}", x=None) == "dflt"


def test_coalescing_assignment_keeps_falsy_values() -> None:
    source = "{% set a ??= 'd' %}{% set b ??= 'd' %}{% set c ??= 'd' %}[{{ a }}|{{ b }}|{{ c }}]"
    assert render(source, a=0, b="", c=False) == "[0||False]"


def test_coalescing_let_keeps_existing_value() -> None:
    assert render("{% let x ??= 'd' %}{{ x }}", x="given") == "given"


# -- capture ----------------------------------------------------------------------------


def test_capture_binds_rendered_body() -> None:
    assert (
        render("{% capture greeting %}Hi {{ name }}{% end %}[{{ greeting }}]", name="Bo")
        == "[Hi Bo]"
    )


def test_capture_with_filter() -> None:
    assert render("{% capture x | upper %}abc{% endcapture %}{{ x }}") == "ABC"


def test_capture_with_trim_filter() -> None:
    assert render("{% capture x | trim %}\n  padded  \n{% end %}[{{ x }}]") == "[padded]"


def test_captured_markup_is_not_escaped_twice() -> None:
    assert render("{% capture c %}<b>{{ v }}</b>{% end %}{{ c }}", v="<i>") == "<b>&lt;i&gt;</b>"


def test_captured_value_is_markup() -> None:
    env = Environment()
    env.add_global("kind", lambda v: type(v).__name__)
    assert render("{% capture c %}x{% end %}{{ kind(c) }}", env=env) == "Markup"


def test_set_block_form_is_capture_alias_with_endset() -> None:
    assert render("{% set body %}<p>{{ v }}</p>{% endset %}{{ body }}", v="&") == "<p>&amp;</p>"


def test_set_block_form_closes_with_end() -> None:
    assert render("{% set body %}text{% end %}[{{ body }}]") == "[text]"


def test_capture_inside_if_is_template_wide() -> None:
    assert render("{% if true %}{% capture c %}x{% end %}{{ c }}{% end %}{{ c ?? 'gone' }}") == "xx"


def test_capture_in_loop_is_read_inside_each_iteration() -> None:
    source = "{% for i in xs %}{% capture c %}<{{ i }}>{% end %}{{ c }}{% end %}"
    assert render(source, xs=[1, 2]) == "<1><2>"


LOOP_CAPTURE = (
    "{% capture c %}none{% end %}{% for i in xs %}{% capture c %}{{ i }}{% end %}{% end %}{{ c }}"
)


def test_capture_in_loop_keeps_the_last_value_after_the_loop() -> None:
    assert render(LOOP_CAPTURE, xs=[1, 2]) == "2"


def test_capture_in_loop_without_iterations_keeps_the_outer_value() -> None:
    assert render(LOOP_CAPTURE, xs=[]) == "none"


def test_capture_in_def_body_stays_local_to_the_def() -> None:
    source = "{% def f() %}{% capture c %}in{% end %}{{ c }}{% end %}{{ f() }}{{ c ?? 'out' }}"
    assert render(source) == "inout"


def test_capture_without_autoescape_is_plain_text() -> None:
    env = Environment(autoescape=False)
    assert render("{% capture c %}<b>{{ v }}</b>{% end %}{{ c }}", env=env, v="<i>") == "<b><i></b>"


# -- with -----------------------------------------------------------------------------


def test_with_assign_form_binds_names_locally() -> None:
    assert (
        render("{% with a = 1, b = x.y %}{{ a }}{{ b }}{% end %}{{ a ?? '-' }}", x={"y": 2})
        == "12-"
    )


def test_with_assign_form_always_renders_body() -> None:
    assert render("{% with a = none %}[{{ a }}]{% end %}") == "[]"


def test_with_conditional_binds_it_by_default() -> None:
    assert render("{% with user %}Hi {{ it }}{% end %}", user="Ada") == "Hi Ada"


def test_with_conditional_skips_falsy_value() -> None:
    assert render("[{% with user %}Hi {{ it }}{% end %}]", user="") == "[]"


def test_with_conditional_as_name() -> None:
    assert render("{% with user.name as n %}{{ n }}{% endwith %}", user={"name": "Bo"}) == "Bo"


def test_with_conditional_else_branch() -> None:
    assert (
        render("{% with items as xs %}{{ xs }}{% else %}no items{% end %}", items=[]) == "no items"
    )


def test_with_conditional_empty_branch() -> None:
    assert render("{% with items %}{{ it }}{% empty %}none{% end %}", items=None) == "none"


def test_with_conditional_multiple_values_all_truthy() -> None:
    assert render("{% with a, b as x, y %}{{ x }}+{{ y }}{% else %}no{% end %}", a=1, b=2) == "1+2"


def test_with_conditional_multiple_values_one_falsy() -> None:
    assert render("{% with a, b as x, y %}{{ x }}+{{ y }}{% else %}no{% end %}", a=1, b=0) == "no"


def test_with_binding_does_not_leak() -> None:
    assert render("{% with 'v' as n %}{{ n }}{% end %}{{ n ?? '-' }}") == "v-"


# -- match / case ------------------------------------------------------------------------


def test_match_literal_cases() -> None:
    source = "{% match x %}{% case 1 %}one{% case 'two' %}two{% case _ %}other{% end %}"
    assert [render(source, x=v) for v in (1, "two", 3.0)] == ["one", "two", "other"]


def test_match_capture_name_binds_subject() -> None:
    assert render("{% match x %}{% case n %}got {{ n }}{% end %}", x=5) == "got 5"


def test_match_capture_is_local_to_case() -> None:
    assert render("{% match x %}{% case n %}{{ n }}{% end %}{{ n ?? '-' }}", x=5) == "5-"


def test_match_guard_uses_captured_name() -> None:
    source = "{% match x %}{% case n if n > 5 %}big {{ n }}{% case n %}small {{ n }}{% end %}"
    assert render(source, x=7) + "|" + render(source, x=2) == "big 7|small 2"


def test_match_tuple_subject_and_patterns() -> None:
    source = (
        "{% match parcel.state, parcel.eta %}"
        "{% case 'queued', _ %}Waiting"
        "{% case 'moving', eta if eta %}Arrives {{ eta }}"
        "{% case _ %}Unknown{% end %}"
    )
    results = [
        render(source, parcel=Parcel(s, e))
        for s, e in [("queued", 1), ("moving", 3), ("moving", 0)]
    ]
    assert results == ["Waiting", "Arrives 3", "Unknown"]


def test_match_tuple_pattern_requires_same_length() -> None:
    source = "{% match xs %}{% case 1, y %}pair {{ y }}{% case _ %}other{% end %}"
    assert render(source, xs=[1, 9]) + "|" + render(source, xs=[1, 9, 3]) == "pair 9|other"


def test_match_tuple_pattern_does_not_match_string() -> None:
    assert render("{% match s %}{% case a, b %}pair{% case _ %}other{% end %}", s="ab") == "other"


def test_match_expression_pattern_is_equality() -> None:
    source = "{% match mode %}{% case cfg.live %}live{% case _ %}off{% end %}"
    assert render(source, mode="L", cfg={"live": "L"}) == "live"


def test_match_first_matching_case_wins() -> None:
    assert render("{% match 1 %}{% case 1 %}a{% case 1 %}b{% case _ %}c{% end %}") == "a"


def test_match_with_no_matching_case_renders_nothing() -> None:
    assert render("[{% match x %}{% case 1 %}one{% endmatch %}]", x=2) == "[]"


def test_valueless_match_behaves_like_if_chain() -> None:
    source = (
        "{% match %}{% case _ if a > 10 %}big{% case _ if a > 1 %}mid{% case _ %}small{% end %}"
    )
    assert [render(source, a=a) for a in (20, 5, 0)] == ["big", "mid", "small"]


# -- filter / spaceless / flush / template -----------------------------------------------


def test_filter_block_applies_filter_to_body() -> None:
    assert render("{% filter upper %}hello {{ name }}{% end %}", name="bo") == "HELLO BO"


def test_filter_block_with_arguments() -> None:
    assert render("{% filter truncate(9, killwords=true) %}a long sentence{% endfilter %}") == (
        "a long..."
    )


def test_filter_block_keeps_escaped_body_safe() -> None:
    assert render("{% filter trim %}  <b>{{ v }}</b>  {% end %}", v="<i>") == "<b>&lt;i&gt;</b>"


def test_spaceless_removes_whitespace_between_tags() -> None:
    source = "{% spaceless %}\n<ul>\n  <li> a </li>\n  <li>b</li>\n</ul>\n{% end %}"
    assert render(source) == "<ul><li> a </li><li>b</li></ul>"


def test_spaceless_keeps_output_escaping() -> None:
    assert render("{% spaceless %}<p>  {{ v }}  </p> <br>{% endspaceless %}", v="<x>") == (
        "<p>  &lt;x&gt;  </p><br>"
    )


def test_flush_has_no_effect_on_render_output() -> None:
    assert render("a{% flush %}b{{ x }}{% flush %}c", x=1) == "a" + "b1c"


def test_flush_has_no_effect_on_joined_stream() -> None:
    env = Environment()
    template = env.from_string("a{% flush %}b{% for i in xs %}{{ i }}{% flush %}{% end %}")
    assert "".join(template.render_stream(xs=[1, 2])) == "ab12"


def test_template_declaration_renders_nothing() -> None:
    assert render("{% template page: Page, site: Site %}Hello {{ page }}", page="P") == "Hello P"


def test_markup_value_in_loop_is_not_escaped() -> None:
    assert render("{% for m in ms %}{{ m }}{% end %}", ms=[Markup("<b>"), "<i>"]) == "<b>&lt;i&gt;"
