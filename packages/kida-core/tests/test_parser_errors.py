"""Parser errors: every code the parser raises, with location and suggestion."""

from __future__ import annotations

import pytest

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
    assert "templates/page.html:2:0" in rendered
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
        ("{% macro button(label) %}", "{% def"),
        ("{% endmacro %}", "{% end %}"),
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


def test_tuple_value_needs_parentheses() -> None:
    exc = error("{% set x = 1, 2 %}")
    assert where(exc) == ("K-PAR-001", 1, 14)
    assert exc.suggestion == "wrap a tuple value in parentheses: (1, 2)"


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


@pytest.mark.parametrize(
    "tag",
    [
        "block",
        "fragment",
        "def",
        "call",
        "slot",
        "region",
        "globals",
        "imports",
        "try",
        "fallback",
        "cache",
        "embed",
        "provide",
        "push",
        "stack",
        "yield",
    ],
)
def test_composition_tags_are_not_supported_yet(tag: str) -> None:
    exc = error("{% " + tag + " x %}")
    assert where(exc) == ("K-PAR-007", 1, 3)
    assert "not supported yet" in exc.message


def test_namespace_is_rejected_with_a_let_export_hint() -> None:
    exc = error("{% set ns = namespace(total=0) %}")
    assert where(exc) == ("K-PAR-007", 1, 10)
    assert exc.suggestion is not None and "{% export" in exc.suggestion


def test_attribute_assignment_is_rejected_with_a_namespace_hint() -> None:
    exc = error("{% set ns.total = 1 %}")
    assert where(exc) == ("K-PAR-007", 1, 9)
    assert exc.suggestion is not None and "{% let" in exc.suggestion
