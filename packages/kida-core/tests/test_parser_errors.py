"""Parser errors: every code the parser raises, with location and suggestion."""

from __future__ import annotations

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode, ParseError, TemplateSyntaxError
from kida_core.parser import parse
from kida_core.parser.expressions import MAX_FILTER_CHAIN


def error(source: str) -> ParseError:
    """The ParseError raised while parsing ``source`` as ``page.html``."""
    with pytest.raises(ParseError) as info:
        parse(source, name="page.html", filename="templates/page.html")
    return info.value


def where(exc: TemplateSyntaxError) -> tuple[str, int | None, int | None]:
    """(code value, line, column) of an error."""
    assert exc.code is not None
    return exc.code.value, exc.lineno, exc.col_offset


# -- identity and formatting ----------------------------------------------------


def test_errors_carry_template_name_filename_and_source() -> None:
    exc = error("{% endfor %}")
    assert (exc.name, exc.filename) == ("page.html", "templates/page.html")
    assert exc.source == "{% endfor %}"


def test_error_message_shows_code_location_snippet_and_suggestion() -> None:
    rendered = str(error("ok\n{% for x in xs %}\n{{ x }}"))
    assert rendered.startswith("Kida Syntax Error [K-PAR-002]")
    assert "templates/page.html:2:1" in rendered
    assert "{% for x in xs %}" in rendered
    assert "Suggestion: add {% end %} or {% endfor %}" in rendered


def test_lexer_errors_surface_through_parse() -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        parse("{{ x", name="page.html")
    assert info.value.code is ErrorCode.UNCLOSED_VARIABLE


# -- K-PAR-001 unexpected token / tag ----------------------------------------------


def test_unknown_tag_suggests_the_closest_tag() -> None:
    exc = error("{% fore x in y %}")
    assert where(exc) == ("K-PAR-001", 1, 3)
    assert exc.suggestion == "did you mean {% for %}?"


def test_misspelled_closer_suggests_the_real_one() -> None:
    exc = error("{% if a %}{% endfi %}")
    assert where(exc) == ("K-PAR-001", 1, 13)
    assert exc.suggestion == "did you mean {% endif %}?"


def test_mismatched_closer_names_the_expected_one() -> None:
    exc = error("{% if a %}\n  {% for x in y %}\n  {% endif %}")
    assert where(exc) == ("K-PAR-001", 3, 5)
    assert "expected {% end %} or {% endfor %}" in exc.message
    assert "line 2" in exc.message
    assert exc.suggestion == "add {% end %} or {% endfor %} before {% endif %}"


@pytest.mark.parametrize("closer", ["end", "endif", "endfor", "endset", "endraw"])
def test_stray_closer(closer: str) -> None:
    exc = error("text {% " + closer + " %}")
    assert where(exc) == ("K-PAR-001", 1, 8)
    assert "no open block" in exc.message


@pytest.mark.parametrize(
    ("source", "home"),
    [
        ("{% elif a %}", "{% if %}"),
        ("{% else %}", "{% if %}"),
        ("{% empty %}", "{% for %}"),
        ("{% case 1 %}", "{% match %}"),
        ("{% while a %}{% else %}{% end %}", "{% for %}"),
        ("{% if a %}{% else %}{% elif b %}{% end %}", "before {% else %}"),
    ],
)
def test_stray_continuation(source: str, home: str) -> None:
    exc = error(source)
    assert exc.code is ErrorCode.UNEXPECTED_TOKEN
    assert exc.suggestion is not None and home in exc.suggestion


@pytest.mark.parametrize(
    ("tag", "hint"),
    [
        ("{% fill header %}", "{% slot"),
        ("{% do items.append(1) %}", "{% set _ = expr %}"),
    ],
)
def test_jinja2_tags_get_migration_hints(tag: str, hint: str) -> None:
    exc = error(tag)
    assert where(exc) == ("K-PAR-001", 1, 3)
    assert exc.suggestion is not None and hint in exc.suggestion


@pytest.mark.parametrize("tag", ["break", "continue"])
def test_break_and_continue_outside_a_loop(tag: str) -> None:
    exc = error("{% if a %}{% " + tag + " %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 10)
    assert exc.suggestion is not None and "{% for %}" in exc.suggestion


def test_break_in_for_else_is_outside_the_loop() -> None:
    assert (
        error("{% for x in y %}{% else %}{% break %}{% end %}").code is ErrorCode.UNEXPECTED_TOKEN
    )


def test_else_if_suggests_elif() -> None:
    exc = error("{% if a %}{% else if b %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 18)
    assert exc.suggestion == "use {% elif condition %}"


def test_extra_tokens_in_output_tag() -> None:
    exc = error("{{ a b }}")
    assert where(exc) == ("K-PAR-001", 1, 5)
    assert "'b'" in exc.message


def test_missing_tag_name() -> None:
    assert where(error("{% %}")) == ("K-PAR-001", 1, 3)


def test_for_without_in() -> None:
    exc = error("{% for x of y %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 9)


def test_for_iterable_cannot_be_a_ternary() -> None:
    exc = error("{% for x in a if b else c %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 19)


def test_literal_target_is_refused() -> None:
    exc = error("{% set x, 1 = pair %}")
    assert where(exc) == ("K-PAR-001", 1, 10)
    assert "expected a variable name to assign to" in exc.message


def test_let_has_no_block_form() -> None:
    exc = error("{% let x %}y{% end %}")
    assert "expected '='" in exc.message


def test_match_needs_a_case() -> None:
    exc = error("{% match x %}\n{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 0)


def test_match_rejects_content_before_the_first_case() -> None:
    exc = error("{% match x %}\n  oops {% case 1 %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 13)


def test_async_must_be_followed_by_for() -> None:
    exc = error("{% async x %}")
    assert where(exc) == ("K-PAR-001", 1, 9)


# -- K-PAR-002 unclosed block ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "suggestion"),
    [
        ("{% for x in xs %}", "add {% end %} or {% endfor %}"),
        ("{% if a %}{% else %}", "add {% end %} or {% endif %}"),
        ("{% unless a %}", "add {% end %} or {% endunless %}"),
        ("{% while a %}", "add {% end %} or {% endwhile %}"),
        ("{% set x %}", "add {% end %} or {% endset %}"),
        ("{% capture x %}", "add {% end %} or {% endcapture %}"),
        ("{% with a = 1 %}", "add {% end %} or {% endwith %}"),
        ("{% match x %}{% case 1 %}", "add {% end %} or {% endmatch %}"),
        ("{% filter upper %}", "add {% end %} or {% endfilter %}"),
        ("{% spaceless %}", "add {% end %} or {% endspaceless %}"),
    ],
)
def test_unclosed_block_names_opening_tag_and_line(source: str, suggestion: str) -> None:
    exc = error("line 1\n  " + source + "\nmore text")
    assert where(exc) == ("K-PAR-002", 2, 2)
    assert "line 2" in exc.message
    assert exc.suggestion == suggestion


def test_unclosed_inner_block_is_reported_not_the_outer() -> None:
    exc = error("{% if a %}\n{% for x in y %}\n{% end %}")
    assert "{% if %}" in exc.message and exc.lineno == 1


# -- K-PAR-003 invalid expression -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("{{ }}", 3, "expected an expression"),
        ("{{ a + }}", 7, "expected an expression"),
        ("{{ f(a=1, a=2) }}", 10, "duplicate keyword argument 'a'"),
        ("{{ f(a=1, 2) }}", 10, "positional argument follows keyword argument"),
        ("{{ f(*a, b) }}", 9, "positional argument follows *args"),
        ("{{ f(**a, **b) }}", 10, "only one **kwargs"),
        ("{{ [x for x in y for z in x] }}", 17, "exactly one 'for'"),
        ("{{ [await x for x in y] }}", 4, "'await' is not allowed"),
        ("{{ {1, 2} }}", 5, "set literals"),
        ("{{ (x for x in y) }}", 6, "generator expressions"),
        ("{{ a. }}", 6, "attribute name"),
        ("{{ (a }}", 3, "'('"),
        ("{{ [1, 2 }}", 3, "'['"),
        ("{% set a, b ??= c %}", 12, "'??='"),
        ("{% match %}{% case 1 %}{% end %}", 19, "'_' patterns"),
        ("{% with a, b %}{% end %}", 0, "need names"),
        ("{% with a, b as x %}{% end %}", 0, "2 value(s) to 1 name(s)"),
        ("{{ x is odd(*a) }}", 13, "*args"),
    ],
)
def test_invalid_expressions(source: str, column: int, fragment: str) -> None:
    with pytest.raises(TemplateSyntaxError) as info:
        parse(source)
    exc = info.value
    assert exc.code in (
        ErrorCode.INVALID_EXPRESSION,
        ErrorCode.INVALID_TEST,
        ErrorCode.UNCLOSED_VARIABLE,
    )
    assert exc.col_offset == column
    assert fragment in exc.message


def test_await_in_comprehension_has_a_suggestion() -> None:
    exc = error("{{ [await x for x in y] }}")
    assert exc.code is ErrorCode.INVALID_EXPRESSION
    assert exc.suggestion is not None and "await" in exc.suggestion


# -- K-PAR-004 invalid filter --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column"),
    [
        ("{{ x | f |> g }}", 9),
        ("{{ x |> f | g }}", 10),
        ("{{ x ?|> f | g }}", 11),
        ("{{ x | f ?|> g }}", 9),
        ("{{ x ?| f |> g }}", 10),
    ],
)
def test_mixing_filter_styles(source: str, column: int) -> None:
    exc = error(source)
    assert where(exc) == ("K-PAR-004", 1, column)
    assert "cannot mix" in exc.message
    assert exc.suggestion is not None and "parenthesise" in exc.suggestion


def test_filter_chain_longer_than_the_limit() -> None:
    exc = error("{{ x" + " | f" * (MAX_FILTER_CHAIN + 1) + " }}")
    assert exc.code is ErrorCode.INVALID_FILTER
    assert exc.col_offset == 5 + 4 * MAX_FILTER_CHAIN


def test_filter_needs_a_name() -> None:
    assert where(error("{{ x | 3 }}")) == ("K-PAR-004", 1, 7)


def test_filter_block_needs_a_filter_name() -> None:
    assert where(error("{% filter %}x{% end %}")) == ("K-PAR-004", 1, 10)


# -- K-PAR-005 invalid test -------------------------------------------------------------------


def test_is_needs_a_test_name() -> None:
    exc = error("{{ x is 3 }}")
    assert where(exc) == ("K-PAR-005", 1, 8)
    assert exc.suggestion is not None


# -- K-PAR-007 unsupported syntax -----------------------------------------------------------------


def test_yield_outside_a_def_is_a_syntax_error() -> None:
    exc = error("{% call f() %}{% yield %}{% end %}")
    assert where(exc)[1:] == (1, 14)
    assert "outside a {% def %}" in exc.message


def test_let_cannot_assign_an_attribute() -> None:
    exc = error("{% let ns.total = 1 %}")
    assert where(exc) == ("K-PAR-007", 1, 9)
    assert exc.suggestion is not None and "{% set ns.attr = … %}" in exc.suggestion


def test_an_attribute_cannot_be_assigned_inside_a_tuple() -> None:
    exc = error("{% set a, ns.total = 1, 2 %}")
    assert where(exc) == ("K-PAR-007", 1, 12)
    assert "cannot assign to an attribute here" in exc.message


def test_an_attribute_assignment_needs_an_equals_sign() -> None:
    exc = error("{% set ns.total ??= 1 %}")
    assert where(exc)[1:] == (1, 16)
    assert exc.suggestion == "an attribute takes one plain assignment: {% set ns.total = value %}"


def test_recursive_goes_after_the_loop_filter() -> None:
    exc = error("{% for x in xs recursive if x %}{% end %}")
    assert where(exc)[1:] == (1, 25)
    assert exc.suggestion == "write {% for item in items if condition recursive %}"


def test_an_async_loop_cannot_be_recursive() -> None:
    exc = error("{% async for x in xs recursive %}{% end %}")
    assert where(exc) == ("K-PAR-007", 1, 21)


# -- block and fragment -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column", "suggestion"),
    [
        ("{% block main-content %}{% end %}", 9, "use underscores: {% block main_content %}"),
        ("{% block col-2 %}{% end %}", 9, "use underscores: {% block col_2 %}"),
        ("{% fragment a-b-c %}{% end %}", 12, "use underscores: {% fragment a_b_c %}"),
        ("{% block nav- %}{% end %}", 9, "use underscores: {% block nav_ %}"),
    ],
)
def test_hyphen_in_block_name(source: str, column: int, suggestion: str) -> None:
    exc = error(source)
    assert where(exc) == ("K-PAR-006", 1, column)
    assert "cannot contain '-'" in exc.message
    assert exc.suggestion == suggestion


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("{% block b mode=x %}{% end %}", 16, "not an expression"),
        ("{% block b n=1 + 2 %}{% end %}", 13, "not an expression"),
        ('{% block b s="a" ~ "b" %}{% end %}', 13, "not an expression"),
        ("{% block b v=-x %}{% end %}", 13, "not an expression"),
        ("{% block b tags=[1, 2] %}{% end %}", 16, "not a collection"),
        ('{% fragment f opts={"a": 1} %}{% end %}', 19, "not a collection"),
        ("{% block b pair=(1, 2) %}{% end %}", 16, "not a collection"),
    ],
)
def test_block_modifier_values_must_be_literals(source: str, column: int, fragment: str) -> None:
    exc = error(source)
    assert where(exc) == ("K-PAR-007", 1, column)
    assert fragment in exc.message
    assert exc.suggestion is not None and "literal" in exc.suggestion


def test_duplicate_block_modifier() -> None:
    exc = error("{% block b rows=1 cols=2 rows=3 %}{% end %}")
    assert where(exc) == ("K-PAR-007", 1, 25)
    assert "duplicate block modifier 'rows'" in exc.message
    assert exc.suggestion == "give each modifier once"


def test_block_modifiers_after_the_condition() -> None:
    exc = error('{% block b if show mode="x" %}{% end %}')
    assert where(exc) == ("K-PAR-007", 1, 19)
    assert exc.suggestion == "write {% block b key=value if condition %}"


def test_block_needs_a_name() -> None:
    for source, column in (("{% block %}", 9), ("{% block if x %}", 9), ("{% block 'a' %}", 9)):
        exc = error(source)
        assert where(exc) == ("K-PAR-001", 1, column)
        assert "expected a block name" in exc.message


def test_endblock_with_a_different_name() -> None:
    exc = error("{% block content %}\nx\n{% endblock sidebar %}")
    assert where(exc) == ("K-PAR-001", 3, 12)
    assert "does not match {% block content %} from line 1" in exc.message
    assert exc.suggestion == "write {% endblock content %} or {% end %}"


def test_endfragment_with_a_different_name() -> None:
    exc = error("{% fragment a %}{% endfragment b %}")
    assert where(exc) == ("K-PAR-001", 1, 31)
    assert exc.suggestion == "write {% endfragment a %} or {% end %}"


def test_end_does_not_take_a_block_name() -> None:
    exc = error("{% block a %}{% end a %}")
    assert where(exc) == ("K-PAR-001", 1, 20)


def test_a_block_inside_a_call_inside_a_loop_is_refused_by_the_compiler() -> None:
    # Blocks may stand in loops; inside a {% call %} body they still may not.
    with pytest.raises(TemplateSyntaxError) as info:
        Environment().from_string(
            "{% for x in xs %}{% call f() %}{% block b %}{% end %}{% end %}{% end %}"
        )
    assert "cannot be defined inside a def, macro or call" in info.value.message


@pytest.mark.parametrize(
    ("source", "suggestion"),
    [
        ("{% block b %}", "add {% end %} or {% endblock %}"),
        ("{% fragment f %}", "add {% end %} or {% endfragment %}"),
        ("{% globals %}", "add {% end %} or {% endglobals %}"),
        ("{% imports %}", "add {% end %} or {% endimports %}"),
        ("{% def f() %}", "add {% end %} or {% enddef %}"),
        ("{% region r() %}", "add {% end %} or {% endregion %}"),
        ("{% call f() %}", "add {% end %} or {% endcall %}"),
        ("{% try %}", "add {% end %} or {% endtry %}"),
        ("{% try %}{% fallback %}", "add {% end %} or {% endtry %}"),
        ("{% cache k %}", "add {% end %} or {% endcache %}"),
    ],
)
def test_unclosed_composition_blocks(source: str, suggestion: str) -> None:
    exc = error("line 1\n  " + source + "\nmore text")
    assert where(exc) == ("K-PAR-002", 2, 2)
    assert exc.suggestion == suggestion


def test_unclosed_slot_content() -> None:
    exc = error("{% call f() %}\n{% slot a %}x")
    assert where(exc) == ("K-PAR-002", 2, 0)
    assert exc.suggestion == "add {% end %}"


# -- definition placement (K-TPL-004) --------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column", "inside"),
    [
        ("{% for x in y %}{% def f() %}{% end %}{% end %}", 16, "for"),
        ("{% if a %}{% region r() %}{% end %}{% end %}", 10, "if"),
        ("{% call f() %}{% def g() %}{% end %}{% end %}", 14, "call"),
        ("{% globals %}{% if a %}{% def g() %}{% end %}{% end %}{% end %}", 23, "if"),
        ("{% block b %}{% with a = 1 %}{% def g() %}{% end %}{% end %}{% end %}", 29, "with"),
        ("{% def f() %}{% if a %}{% def g() %}{% end %}{% end %}{% end %}", 23, "if"),
        ("{% capture c %}{% region r() %}{% end %}{% end %}", 15, "capture"),
    ],
)
def test_definitions_in_control_flow_or_scoped_constructs(
    source: str, column: int, inside: str
) -> None:
    exc = error(source)
    assert where(exc) == ("K-TPL-004", 1, column)
    assert exc.code is ErrorCode.DEFINITION_NOT_TOPLEVEL
    assert f"cannot be defined inside {{% {inside} %}}" in exc.message
    assert exc.suggestion is not None and f"out of the {{% {inside} %}}" in exc.suggestion


@pytest.mark.parametrize(
    "source",
    [
        "{% block b %}{% def f() %}{% end %}{% end %}",
        "{% fragment b %}{% region r() %}{% end %}{% end %}",
        "{% def f() %}{% def g() %}{% end %}{% end %}",
        "{% region r() %}{% def g() %}{% end %}{% end %}",
        "{% block b %}{% def f() %}{% region r() %}{% end %}{% end %}{% end %}",
    ],
)
def test_definitions_in_blocks_and_defs_parse(source: str) -> None:
    assert parse(source).body


@pytest.mark.parametrize("tag", ["globals", "imports"])
def test_setup_sections_must_be_at_top_level(tag: str) -> None:
    exc = error("{% block b %}\n{% " + tag + " %}{% end %}{% end %}")
    assert where(exc) == ("K-TPL-004", 2, 0)
    assert exc.suggestion == f"move the {{% {tag} %}} section to the top level"


# -- def / region parameters (K-PAR-003) -----------------------------------------------


@pytest.mark.parametrize(
    ("params", "column", "fragment"),
    [
        ("a, b, a", 15, "duplicate parameter 'a'"),
        ("a, *a", 13, "duplicate parameter 'a'"),
        ("a=1, b", 14, "parameter 'b' without a default follows one with a default"),
        ("**kw, a", 15, "**kwargs must be the last parameter"),
        ("**kw, *a", 15, "**kwargs must be the last parameter"),
        ("**kw, **k2", 15, "**kwargs must be the last parameter"),
        ("*a, *b", 13, "only one *args parameter is allowed"),
        ("*a, b", 13, "parameters after *args are not supported"),
        ("a b", 11, "expected ')'"),
        ("a: , b", 12, "expected a type after ':'"),
    ],
)
def test_bad_def_parameters(params: str, column: int, fragment: str) -> None:
    exc = error("{% def f(" + params + ") %}{% end %}")
    assert exc.code is ErrorCode.INVALID_EXPRESSION or fragment.startswith("expected a type")
    assert (exc.lineno, exc.col_offset) == (1, column)
    assert fragment in exc.message


def test_non_default_after_default_suggests_a_fix() -> None:
    exc = error("{% def f(a, b=1, c) %}{% end %}")
    assert where(exc) == ("K-PAR-003", 1, 17)
    assert exc.suggestion == "give 'c' a default or move it before 'b'"


def test_def_needs_parentheses() -> None:
    exc = error("{% def card %}{% end %}")
    assert where(exc) == ("K-PAR-003", 1, 12)
    assert exc.suggestion == "write {% def card() %}, even without parameters"


@pytest.mark.parametrize(("tag", "column"), [("def", 7), ("region", 10)])
def test_definition_needs_a_name(tag: str, column: int) -> None:
    exc = error("{% " + tag + " (a) %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, column)
    assert f"a name for the {{% {tag} %}}" in exc.message


@pytest.mark.parametrize(("params", "column"), [("a, *rest", 15), ("**attrs", 12)])
def test_region_rejects_variadic_parameters(params: str, column: int) -> None:
    exc = error("{% region r(" + params + ") %}{% end %}")
    assert where(exc) == ("K-PAR-007", 1, column)
    assert "does not accept" in exc.message
    assert exc.suggestion == "declare every parameter by name, or use a {% def %}"


# -- call / slot -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column"),
    [
        ("{% call panel %}{% end %}", 8),
        ("{% call forms.panel %}{% end %}", 8),
        ("{% call panel() | upper %}{% end %}", 8),
        ('{% call "panel" %}{% end %}', 8),
    ],
)
def test_call_needs_a_function_call(source: str, column: int) -> None:
    exc = error(source)
    assert where(exc) == ("K-PAR-001", 1, column)
    assert "needs a function call" in exc.message
    assert exc.suggestion == "write {% call name(args) %}…{% end %}"


def test_slot_filled_twice() -> None:
    exc = error("{% call f() %}{% slot a %}1{% end %}\n{% slot a %}2{% end %}{% end %}")
    assert where(exc) == ("K-PAR-001", 2, 0)
    assert "slot 'a' is filled twice" in exc.message
    assert exc.suggestion == "merge the two {% slot a %} bodies"


def test_default_slot_filled_twice() -> None:
    exc = error("{% call f() %}loose{% slot %}D{% end %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 19)
    assert "default slot is filled twice" in exc.message
    assert exc.suggestion == "move the loose content into {% slot default %}"


def test_slot_outside_def_and_call() -> None:
    exc = error("x\n{% if a %}{% slot header %}{% end %}")
    assert where(exc) == ("K-PAR-001", 2, 10)
    assert "outside a {% def %} or {% call %}" in exc.message
    assert exc.suggestion is not None and "inside {% call %}" in exc.suggestion


def test_slot_content_nested_in_a_call_body() -> None:
    exc = error("{% call f() %}{% if a %}{% slot x %}{% end %}{% end %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 24)
    assert "directly inside {% call %}" in exc.message
    assert exc.suggestion == "move the {% slot x %} out of the {% if %}"


def test_scoped_slot_on_the_def_side_needs_a_value() -> None:
    exc = error("{% def t() %}{% slot row let:item %}{% end %}{% end %}")
    assert where(exc)[1:] == (1, 34)
    assert "expected '=' after let:item" in exc.message


def test_scoped_slot_name_given_twice_is_a_syntax_error() -> None:
    exc = error("{% call t() %}{% slot row let:a, let:a %}{% end %}{% end %}")
    assert "duplicate scoped-slot name 'a'" in exc.message


def test_slot_name_must_be_a_name() -> None:
    exc = error('{% def f() %}{% slot "x" %}{% end %}')
    assert where(exc) == ("K-PAR-001", 1, 21)


@pytest.mark.parametrize(
    "source",
    [
        "{% for x in y %}{% call f() %}{% break %}{% end %}{% end %}",
        "{% for x in y %}{% call f() %}{% slot a %}{% continue %}{% end %}{% end %}{% end %}",
    ],
)
def test_break_cannot_leave_a_call_body(source: str) -> None:
    exc = error(source)
    assert exc.code is ErrorCode.UNEXPECTED_TOKEN
    assert "outside a loop" in exc.message


# -- try / fallback --------------------------------------------------------------------


def test_try_without_fallback() -> None:
    exc = error("a\n  {% try %}x{% end %}")
    assert where(exc) == ("K-PAR-001", 2, 2)
    assert "{% try %} needs a {% fallback %}" in exc.message
    assert exc.suggestion is not None and "add {% fallback %}" in exc.suggestion


@pytest.mark.parametrize(
    ("source", "column"),
    [("{% fallback %}", 3), ("{% if a %}{% fallback %}{% end %}", 13)],
)
def test_fallback_outside_try(source: str, column: int) -> None:
    exc = error(source)
    assert where(exc) == ("K-PAR-001", 1, column)
    assert exc.suggestion is not None and "only valid inside {% try %}" in exc.suggestion


def test_second_fallback() -> None:
    exc = error("{% try %}a{% fallback %}b{% fallback %}c{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 28)


def test_fallback_error_name_must_be_a_name() -> None:
    exc = error("{% try %}a{% fallback 'e' %}b{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 22)


# -- cache -----------------------------------------------------------------------------


def test_cache_unknown_option() -> None:
    exc = error("{% cache k, timeout=5 %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 12)
    assert "unknown {% cache %} option 'timeout'" in exc.message
    assert exc.suggestion == "{% cache %} accepts ttl=… and depends=…"


def test_cache_duplicate_option() -> None:
    exc = error("{% cache k, ttl=5, ttl=6 %}{% end %}")
    assert where(exc) == ("K-PAR-003", 1, 19)


def test_cache_composite_key_needs_parentheses() -> None:
    exc = error("{% cache a, b %}{% end %}")
    assert where(exc) == ("K-PAR-001", 1, 12)
    assert exc.suggestion is not None and "{% cache (a, b) %}" in exc.suggestion


def test_cache_option_without_comma() -> None:
    exc = error('{% cache k ttl="5m" %}{% end %}')
    assert where(exc) == ("K-PAR-001", 1, 11)
    assert exc.suggestion == "write {% cache key, ttl=… %}"


# -- await where synchronous code evaluates it -------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{% def g(a=await x) %}{{ a }}{% end %}",
        "{% region r(p=1, q=await x) %}{% end %}",
        "{% block b if await x %}B{% end %}",
        "{% fragment f if ready and await x %}F{% end %}",
    ],
)
def test_await_in_defaults_and_block_conditions(source: str) -> None:
    exc = error(source)
    assert exc.code is ErrorCode.INVALID_EXPRESSION
    assert "'await' is not allowed" in exc.message
    assert exc.suggestion is not None and "await" in exc.suggestion
