"""Error codes, exceptions, snippets and warnings."""

from __future__ import annotations

import pickle
import warnings
from types import SimpleNamespace

import pytest

from kida_core.errors import (
    ERRORS_DOCS_URL,
    CoercionWarning,
    ComponentWarning,
    ErrorCode,
    KidaWarning,
    LexerError,
    MigrationWarning,
    NoneComparisonError,
    ParseError,
    PrecedenceWarning,
    RequiredValueError,
    SecurityError,
    SourceSnippet,
    TemplateError,
    TemplateNotFoundError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    TemplateWarning,
    UndefinedError,
    build_source_snippet,
)

CART = "\n".join(
    [
        "<ul>",
        "{% for item in items %}",
        "  <li>{{ item.name }}</li>",
        "{% end %}",
        "</ul>",
        "<p>Total: {{ totl }}</p>",
        "<footer></footer>",
    ]
)


# --- ErrorCode --------------------------------------------------------------


def test_error_code_has_every_member_of_the_spec() -> None:
    assert len(ErrorCode) == 64


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("UNCLOSED_TAG", "K-LEX-001"),
        ("TOKEN_LIMIT", "K-LEX-004"),
        ("UNCLOSED_BLOCK", "K-PAR-002"),
        ("UNSUPPORTED_SYNTAX", "K-PAR-007"),
        ("UNDEFINED_VARIABLE", "K-RUN-001"),
        ("MACRO_ITERATION", "K-RUN-013"),
        ("NOT_IN_RENDER_CONTEXT", "K-RUN-017"),
        ("TEMPLATE_ROOT_CONFIGURATION", "K-TPL-005"),
        ("OUTPUT_LIMIT", "K-SEC-005"),
        ("COMPONENT_TYPE_MISMATCH", "K-CMP-002"),
        ("JINJA2_SET_SCOPING", "K-WARN-002"),
        ("PRIVACY_DYNAMIC_TEMPLATE_NAME", "K-PRI-005"),
        ("CONTEXT_UNUSED", "K-CTX-002"),
        ("ESCAPE_TRUSTED_XMLATTR", "K-ESC-005"),
        ("A11Y_INPUT_LABEL", "K-A11Y-004"),
        ("TYPE_TYPO_SUGGESTION", "K-TYP-003"),
        ("FRAGILE_TEMPLATE_PATH", "K-PATH-001"),
        ("MODULARITY_PASS_THROUGH_COMPONENT", "K-MOD-103"),
    ],
)
def test_error_code_names_map_to_contract_values(name: str, value: str) -> None:
    assert ErrorCode[name].value == value


def test_error_code_values_are_unique() -> None:
    assert len({code.value for code in ErrorCode}) == len(ErrorCode)


def test_error_code_declaration_order_follows_the_original() -> None:
    members = list(ErrorCode)
    assert members[0] is ErrorCode.UNCLOSED_TAG
    assert members[4] is ErrorCode.UNEXPECTED_TOKEN
    assert members.index(ErrorCode.INVALID_IDENTIFIER) + 1 == members.index(
        ErrorCode.UNDEFINED_VARIABLE
    )
    assert members.index(ErrorCode.COMPONENT_TYPE_MISMATCH) + 1 == members.index(
        ErrorCode.ENV_GARBAGE_COLLECTED
    )
    assert members.index(ErrorCode.NOT_IN_RENDER_CONTEXT) + 1 == members.index(
        ErrorCode.UNSUPPORTED_SYNTAX
    )
    assert members[-1] is ErrorCode.MODULARITY_PASS_THROUGH_COMPONENT


@pytest.mark.parametrize(
    ("code", "category"),
    [
        (ErrorCode.UNCLOSED_TAG, "lexer"),
        (ErrorCode.UNSUPPORTED_SYNTAX, "parser"),
        (ErrorCode.NO_LOADER, "runtime"),
        (ErrorCode.CIRCULAR_IMPORT, "template"),
        (ErrorCode.BLOCKED_TYPE, "security"),
        (ErrorCode.COMPONENT_CALL_SIGNATURE, "component"),
        (ErrorCode.FILTER_PRECEDENCE, "warning"),
        (ErrorCode.PRIVACY_SECRET_LITERAL, "privacy"),
        (ErrorCode.CONTEXT_MISSING, "context"),
        (ErrorCode.ESCAPE_TRUSTED_JSON, "escape"),
        (ErrorCode.A11Y_IMG_ALT, "accessibility"),
        (ErrorCode.TYPE_UNUSED_DECLARATION, "type"),
        (ErrorCode.FRAGILE_TEMPLATE_PATH, "path"),
        (ErrorCode.MODULARITY_EXTRACTION_CANDIDATE, "modularity"),
    ],
)
def test_error_code_category_comes_from_the_prefix(code: ErrorCode, category: str) -> None:
    assert code.category == category


def test_error_code_docs_url_anchors_the_lowercased_value() -> None:
    assert (
        ErrorCode.UNDEFINED_VARIABLE.docs_url
        == "https://kida-project.github.io/kida/errors/#k-run-001"
    )
    assert ErrorCode.A11Y_IMG_ALT.docs_url == ERRORS_DOCS_URL + "#k-a11y-001"


# --- SourceSnippet ------------------------------------------------------------


def test_snippet_marks_the_error_line_and_draws_a_caret() -> None:
    snippet = SourceSnippet(((8, "  <dt>Email</dt>"), (9, "  <dd>{{ x }}</dd>")), 9, column=9)
    assert snippet.format() == "\n".join(
        [
            "   |",
            " 8 |   <dt>Email</dt>",
            ">9 |   <dd>{{ x }}</dd>",
            "   |          ^",
            "   |",
        ]
    )


def test_snippet_without_column_has_no_caret() -> None:
    assert "^" not in SourceSnippet(((1, "a"),), 1).format()


def test_snippet_gutter_widens_for_multi_digit_line_numbers() -> None:
    text = SourceSnippet(((9, "a"), (10, "b")), 10).format()
    assert text.splitlines() == ["    |", "  9 | a", ">10 | b", "    |"]


def test_build_source_snippet_takes_context_lines_around_the_error() -> None:
    snippet = build_source_snippet(CART, 4, context_lines=1)
    assert snippet.lines == ((3, "  <li>{{ item.name }}</li>"), (4, "{% end %}"), (5, "</ul>"))
    assert snippet.error_line == 4


def test_build_source_snippet_is_clamped_to_the_file() -> None:
    assert [n for n, _ in build_source_snippet(CART, 1).lines] == [1, 2, 3, 4]
    assert [n for n, _ in build_source_snippet(CART, 7).lines] == [4, 5, 6, 7]


def test_build_source_snippet_accepts_a_column() -> None:
    assert build_source_snippet(CART, 6, column=13).column == 13


# --- TemplateError --------------------------------------------------------------


def test_template_error_has_no_code_by_default() -> None:
    err = TemplateError("boom")
    assert err.code is None
    assert err.format_compact() == "boom"


def test_code_keyword_overrides_the_class_default() -> None:
    err = TemplateRuntimeError("boom", code=ErrorCode.INCLUDE_DEPTH)
    assert err.code is ErrorCode.INCLUDE_DEPTH
    assert TemplateRuntimeError("x").code is ErrorCode.RUNTIME_ERROR


def test_format_compact_has_code_header_and_docs_link() -> None:
    err = TemplateError("boom", code=ErrorCode.RUNTIME_ERROR)
    assert (
        err.format_compact()
        == "K-RUN-007: boom\nDocs: https://kida-project.github.io/kida/errors/#k-run-007"
    )


# --- TemplateSyntaxError / ParseError / LexerError ---------------------------------


def test_syntax_error_keeps_its_constructor_arguments() -> None:
    err = TemplateSyntaxError("bad", 4, "cart.html", "/t/cart.html", CART, 3)
    assert (err.message, err.lineno, err.name, err.filename, err.col_offset) == (
        "bad",
        4,
        "cart.html",
        "/t/cart.html",
        3,
    )
    assert err.source == CART
    assert err.code is ErrorCode.SYNTAX_ERROR


def test_syntax_error_str_points_at_file_line_and_column() -> None:
    err = TemplateSyntaxError(
        "Unclosed 'for' block", 2, "cart.html", None, CART, 3, code=ErrorCode.UNCLOSED_BLOCK
    )
    err.suggestion = "add {% end %} or {% endfor %}"
    assert str(err) == "\n".join(
        [
            "Kida Syntax Error [K-PAR-002]: Unclosed 'for' block",
            "  --> cart.html:2:4",
            "   |",
            ">2 | {% for item in items %}",
            "   |    ^",
            "   |",
            "Suggestion: add {% end %} or {% endfor %}",
        ]
    )


def test_syntax_error_without_source_shows_only_the_pointer() -> None:
    err = TemplateSyntaxError("bad", 7, "page.html")
    assert str(err) == "Kida Syntax Error [K-TPL-002]: bad\n  --> page.html:7"


def test_syntax_error_str_follows_a_late_lineno() -> None:
    err = TemplateSyntaxError("bad", name="page.html")
    err.lineno = 12
    assert "--> page.html:12" in str(err)


def test_parse_error_takes_its_location_from_the_token() -> None:
    token = SimpleNamespace(type="name", value="endmacro", lineno=4, col_offset=3)
    err = ParseError("Unknown tag 'endmacro'", token, CART, "cart.html", "use {% end %}")
    assert (err.token, err.lineno, err.col_offset) == (token, 4, 3)
    assert err.code is ErrorCode.UNEXPECTED_TOKEN
    assert isinstance(err, TemplateSyntaxError)


def test_parse_error_message_includes_the_suggestion() -> None:
    token = SimpleNamespace(lineno=4, col_offset=3)
    err = ParseError("Unknown tag", token, CART, "cart.html", "use {% end %}")
    assert str(err).endswith("Suggestion: use {% end %}")


def test_parse_error_accepts_a_specific_code() -> None:
    err = ParseError("x", SimpleNamespace(lineno=1, col_offset=0), code=ErrorCode.INVALID_FILTER)
    assert str(err).startswith("Kida Syntax Error [K-PAR-004]: x")


def test_lexer_error_is_a_template_syntax_error() -> None:
    err = LexerError("Unclosed '{{'", CART, 6, 13, code=ErrorCode.UNCLOSED_VARIABLE)
    assert isinstance(err, TemplateSyntaxError)
    assert isinstance(err, TemplateError)


def test_lexer_error_shows_location_caret_and_suggestion() -> None:
    err = LexerError("Unclosed '{{'", CART, 6, 13, "add '}}'", code=ErrorCode.UNCLOSED_VARIABLE)
    assert str(err).splitlines() == [
        "Kida Syntax Error [K-LEX-003]: Unclosed '{{'",
        "  --> <template>:6:14",
        "   |",
        ">6 | <p>Total: {{ totl }}</p>",
        "   |              ^",
        "   |",
        "Suggestion: add '}}'",
    ]


# --- TemplateRuntimeError ----------------------------------------------------


def test_runtime_error_defaults_to_empty_values_and_stacks() -> None:
    err = TemplateRuntimeError("boom")
    assert (err.values, err.template_stack, err.component_stack) == ({}, [], [])
    assert (err.expression, err.template_name, err.lineno, err.suggestion) == (None,) * 4
    assert err.source_snippet is None


def test_runtime_error_str_shows_every_section() -> None:
    err = TemplateRuntimeError(
        "unsupported operand type(s) for +: 'int' and 'str'",
        expression="count + label",
        values={"count": 3, "label": "items"},
        template_name="cart.html",
        lineno=6,
        suggestion="Convert with | string",
        template_stack=[("base.html", 3)],
        component_stack=[("page.html", 14, "summary_card")],
        code=ErrorCode.TYPE_ERROR,
    )
    assert str(err) == "\n".join(
        [
            "K-RUN-012: unsupported operand type(s) for +: 'int' and 'str'",
            "Location: cart.html:6",
            "Expression: count + label",
            "Values:",
            "  count = 3 (int)",
            "  label = 'items' (str)",
            "Template stack:",
            "  • base.html:3",
            "Component stack:",
            "  • page.html:14 → summary_card()",
            "Hint: Convert with | string",
            "Docs: https://kida-project.github.io/kida/errors/#k-run-012",
        ]
    )


def test_runtime_error_truncates_long_value_reprs() -> None:
    err = TemplateRuntimeError("boom", values={"blob": "x" * 500})
    line = next(line for line in str(err).splitlines() if line.startswith("  blob = "))
    assert line.endswith("... (str)")
    assert len(line) < 110


def test_runtime_error_survives_a_broken_repr() -> None:
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert "obj = <unrepresentable: RuntimeError> (Broken)" in str(
        TemplateRuntimeError("boom", values={"obj": Broken()})
    )


def test_runtime_error_str_reflects_location_set_later() -> None:
    err = TemplateRuntimeError("boom")
    assert "Location" not in str(err)
    err.template_name, err.lineno = "cart.html", 6
    assert "Location: cart.html:6" in str(err)


def test_with_location_fills_missing_location_and_snippet() -> None:
    err = TemplateRuntimeError("boom").with_location("cart.html", 6, CART)
    assert (err.template_name, err.lineno) == ("cart.html", 6)
    assert err.source_snippet == build_source_snippet(CART, 6)
    assert ">6 | <p>Total: {{ totl }}</p>" in str(err)


def test_with_location_never_overwrites_an_existing_location() -> None:
    err = TemplateRuntimeError("boom", template_name="partial.html", lineno=2)
    err.with_location("page.html", 40, CART)
    assert (err.template_name, err.lineno, err.source_snippet) == ("partial.html", 2, None)


def test_with_location_returns_the_same_exception() -> None:
    err = TemplateRuntimeError("boom")
    assert err.with_location(None, None, None) is err


def test_format_compact_of_runtime_error_keeps_location_snippet_stack_and_hint() -> None:
    err = TemplateRuntimeError(
        "boom",
        expression="a / b",
        values={"b": 0},
        suggestion="guard",
        template_stack=[("page.html", 4)],
    )
    err.with_location("calc.html", 1, "{{ a / b }}")
    assert err.format_compact() == "\n".join(
        [
            "K-RUN-007: boom",
            "Location: calc.html:1",
            "   |",
            ">1 | {{ a / b }}",
            "   |",
            "Template stack:",
            "  • page.html:4",
            "Hint: guard",
            "Docs: https://kida-project.github.io/kida/errors/#k-run-007",
        ]
    )


def test_required_value_error_has_a_default_message() -> None:
    err = RequiredValueError("user.email", template_name="a.html")
    assert err.field_name == "user.email"
    assert err.message == "Required value 'user.email' is None or missing"
    assert err.code is ErrorCode.REQUIRED_VALUE
    assert err.template_name == "a.html"


def test_required_value_error_accepts_a_custom_message() -> None:
    assert RequiredValueError("x", "x is needed").message == "x is needed"


def test_none_comparison_error_names_types_and_sort_attribute() -> None:
    err = NoneComparisonError(None, 3, "price")
    assert err.message == "Cannot compare NoneType with int when sorting by 'price'"
    assert err.values == {"left": None, "right": 3}
    assert err.code is ErrorCode.NONE_COMPARISON
    assert isinstance(err, TemplateRuntimeError)


def test_none_comparison_error_without_attribute() -> None:
    assert NoneComparisonError("a", None).message == "Cannot compare str with NoneType"


# --- UndefinedError ----------------------------------------------------------


def test_undefined_error_is_not_a_runtime_error() -> None:
    assert not issubclass(UndefinedError, TemplateRuntimeError)
    assert issubclass(UndefinedError, TemplateError)


def test_undefined_error_defaults() -> None:
    err = UndefinedError("totl")
    assert (err.name, err.template, err.lineno, err.kind) == (
        "totl",
        "<template>",
        None,
        "variable",
    )
    assert (err.available_names, err.template_stack, err.component_stack) == ([], [], [])
    assert err.code is ErrorCode.UNDEFINED_VARIABLE


def test_undefined_error_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="kind"):
        UndefinedError("x", kind="global")


def test_undefined_error_suggests_the_closest_available_name() -> None:
    err = UndefinedError("totl", "cart.html", 6, available_names=["items", "total", "tax"])
    assert err.suggestion == "total"


def test_undefined_error_has_no_suggestion_when_nothing_is_close() -> None:
    assert UndefinedError("zzz", available_names=["total"]).suggestion is None


def test_undefined_error_str_with_did_you_mean() -> None:
    err = UndefinedError("totl", "cart.html", 6, available_names=["total"])
    err.source_snippet = build_source_snippet(CART, 6, context_lines=1, column=13)
    assert str(err) == "\n".join(
        [
            "K-RUN-001: Undefined variable 'totl' in cart.html:6",
            "   |",
            " 5 | </ul>",
            ">6 | <p>Total: {{ totl }}</p>",
            "   |              ^",
            " 7 | <footer></footer>",
            "   |",
            "Hint: Did you mean 'total'?",
            "Docs: https://kida-project.github.io/kida/errors/#k-run-001",
        ]
    )


def test_undefined_attribute_names_the_owner() -> None:
    err = UndefinedError(
        "emial", "orders/detail.html", 9, ["email"], kind="attribute", owner="Customer object"
    )
    assert str(err).splitlines()[0] == (
        "K-RUN-001: Undefined attribute 'emial' on Customer object in orders/detail.html:9"
    )


def test_undefined_key_message() -> None:
    assert UndefinedError("id", "a.html", 2, kind="key").message == (
        "Undefined key 'id' in a.html:2"
    )


def test_undefined_variable_without_suggestion_hints_at_optional_idioms() -> None:
    hint = UndefinedError("user").hint
    assert "| default(" in hint
    assert '?? ""' in hint
    assert "is defined" in hint


def test_undefined_attribute_without_suggestion_hints_at_optional_chaining() -> None:
    assert "?.nickname" in UndefinedError("nickname", kind="attribute").hint


def test_undefined_declared_definition_points_at_the_declaration() -> None:
    err = UndefinedError("card", available_names=["cart"], declared_definitions={"card"})
    assert "{% def %}" in err.hint
    assert "Did you mean" not in err.hint
    assert "default" not in err.hint


def test_undefined_error_shows_stacks() -> None:
    err = UndefinedError("x", template_stack=[("a.html", 3)])
    assert "Template stack:\n  • a.html:3" in str(err)


def test_undefined_error_with_location_fills_template_line_and_snippet() -> None:
    err = UndefinedError("totl").with_location("cart.html", 6, CART)
    assert err.template == "cart.html"
    assert err.lineno == 6
    assert err.source_snippet is not None
    assert "Undefined variable 'totl' in cart.html:6" in str(err)


def test_undefined_error_template_is_settable() -> None:
    err = UndefinedError("x")
    err.template = "late.html"
    assert err.template_name == "late.html"
    assert "in late.html" in str(err)


def test_undefined_error_to_diagnostic() -> None:
    diag = UndefinedError("totl", "cart.html", 6, ["total"]).to_diagnostic()
    assert diag["code"] == "K-RUN-001"
    assert diag["name"] == "totl"
    assert diag["kind"] == "variable"
    assert diag["template"] == "cart.html"
    assert diag["lineno"] == 6
    assert diag["suggestion"] == "total"
    assert diag["docs_url"] == "https://kida-project.github.io/kida/errors/#k-run-001"


def test_undefined_error_format_compact_keeps_the_hint() -> None:
    err = UndefinedError("totl", "cart.html", 6, ["total"])
    assert err.format_compact() == (
        "K-RUN-001: Undefined variable 'totl' in cart.html:6\n"
        "Hint: Did you mean 'total'?\n"
        "Docs: https://kida-project.github.io/kida/errors/#k-run-001"
    )


# --- TemplateNotFoundError / SecurityError -----------------------------------


def test_template_not_found_error_keeps_the_message() -> None:
    err = TemplateNotFoundError("Template 'missing.html' not found in: templates/")
    assert str(err) == "Template 'missing.html' not found in: templates/"
    assert err.code is ErrorCode.TEMPLATE_NOT_FOUND


def test_security_error_str_adds_hint_and_docs() -> None:
    err = SecurityError(
        "Access to '__class__' is blocked",
        code=ErrorCode.BLOCKED_ATTRIBUTE,
        suggestion="expose a safe value instead",
    )
    assert str(err) == "\n".join(
        [
            "K-SEC-001: Access to '__class__' is blocked",
            "Hint: expose a safe value instead",
            "Docs: https://kida-project.github.io/kida/errors/#k-sec-001",
        ]
    )


def test_security_error_shows_the_template_location_once_filled() -> None:
    err = SecurityError("Access to '__class__' is blocked", code=ErrorCode.BLOCKED_ATTRIBUTE)
    err.with_location("evil.html", 2, "a\n{{ x.__class__ }}\n")
    text = str(err)
    assert "Location: evil.html:2" in text
    assert "{{ x.__class__ }}" in text
    assert (err.message, err.suggestion) == ("Access to '__class__' is blocked", err.suggestion)


# --- pickling ----------------------------------------------------------------------

PICKLE_CASES = [
    TemplateError("boom"),
    TemplateSyntaxError("bad", 2, "a.html", "a.html", CART, 1),
    ParseError("bad", SimpleNamespace(lineno=2, col_offset=1), CART, "a.html", "try this"),
    LexerError("bad", CART, 2, 1, "close it", code=ErrorCode.UNCLOSED_TAG),
    TemplateRuntimeError(
        "boom",
        expression="a + b",
        values={"a": 1},
        template_name="a.html",
        lineno=2,
        source_snippet=build_source_snippet(CART, 2),
        component_stack=[("p.html", 1, "card")],
        code=ErrorCode.TYPE_ERROR,
    ),
    RequiredValueError("email", lineno=3),
    NoneComparisonError(None, 1, "price"),
    UndefinedError("totl", "cart.html", 6, ["total"], kind="attribute", owner="Cart"),
    TemplateNotFoundError("missing.html"),
    SecurityError("blocked", code=ErrorCode.BLOCKED_TYPE, suggestion="no"),
]


@pytest.mark.parametrize("err", PICKLE_CASES, ids=lambda e: type(e).__name__)
def test_exceptions_survive_a_pickle_round_trip(err: TemplateError) -> None:
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is type(err)
    assert str(clone) == str(err)
    assert clone.code is err.code
    assert clone.__dict__.keys() == err.__dict__.keys()


# --- warnings ----------------------------------------------------------------


def test_warning_categories_form_the_spec_hierarchy() -> None:
    assert issubclass(KidaWarning, UserWarning)
    for category in (ComponentWarning, PrecedenceWarning, CoercionWarning, MigrationWarning):
        assert issubclass(category, KidaWarning)


def test_warning_categories_carry_their_codes() -> None:
    assert PrecedenceWarning.code is ErrorCode.FILTER_PRECEDENCE
    assert MigrationWarning.code is ErrorCode.JINJA2_SET_SCOPING
    assert CoercionWarning.code is None
    assert KidaWarning.code is None


def test_template_warning_is_a_record_not_a_warning() -> None:
    assert not issubclass(TemplateWarning, Warning)
    record = TemplateWarning(ErrorCode.FILTER_PRECEDENCE, "m")
    with pytest.raises(AttributeError):
        record.message = "changed"  # type: ignore[misc]


def test_template_warning_format_message_with_location_and_hint() -> None:
    record = TemplateWarning(
        ErrorCode.FILTER_PRECEDENCE,
        "'|' binds tighter than '??'",
        template_name="page.html",
        lineno=3,
        suggestion="write (x ?? y) | upper",
    )
    assert record.format_message() == (
        "[K-WARN-001] '|' binds tighter than '??' (page.html:3)\n  Hint: write (x ?? y) | upper"
    )


def test_template_warning_format_message_without_location() -> None:
    record = TemplateWarning(ErrorCode.JINJA2_SET_SCOPING, "set leaks")
    assert record.format_message() == "[K-WARN-002] set leaks"


@pytest.mark.parametrize(
    ("code", "category"),
    [
        (ErrorCode.FILTER_PRECEDENCE, PrecedenceWarning),
        (ErrorCode.JINJA2_SET_SCOPING, MigrationWarning),
        (ErrorCode.COMPONENT_CALL_SIGNATURE, ComponentWarning),
        (ErrorCode.COMPONENT_TYPE_MISMATCH, ComponentWarning),
        (ErrorCode.A11Y_IMG_ALT, KidaWarning),
    ],
)
def test_template_warning_category_maps_codes_to_warning_classes(
    code: ErrorCode, category: type[KidaWarning]
) -> None:
    assert TemplateWarning(code, "m").category is category
    assert TemplateWarning.category_for(code) is category


def test_template_warning_can_be_emitted_with_its_category() -> None:
    record = TemplateWarning(ErrorCode.FILTER_PRECEDENCE, "m", "a.html", 1)
    with pytest.warns(PrecedenceWarning, match=r"\[K-WARN-001\] m"):
        warnings.warn(record.format_message(), record.category, stacklevel=1)


def test_the_header_column_is_one_based_and_the_attribute_zero_based() -> None:
    err = TemplateSyntaxError("bad", 1, "t.html", None, "{{ x | }}", 5)
    assert err.col_offset == 5
    assert str(err).splitlines()[1:5] == [
        "  --> t.html:1:6",
        "   |",
        ">1 | {{ x | }}",
        "   |      ^",  # under the sixth character, the '|'
    ]
