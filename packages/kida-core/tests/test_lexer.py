"""Lexer: token kinds, positions, whitespace control, raw blocks and lexer errors."""

from __future__ import annotations

import pytest

from kida_core.errors import ErrorCode, LexerError, TemplateSyntaxError
from kida_core.lexer import MAX_TOKENS, Lexer, LexerConfig, Token, TokenType, tokenize

T = TokenType


def kinds(source: str, config: LexerConfig | None = None) -> list[tuple[TokenType, str]]:
    """(type, value) pairs without the trailing EOF."""
    return [(t.type, t.value) for t in tokenize(source, config)[:-1]]


def data(source: str, config: LexerConfig | None = None) -> list[str]:
    """Only the DATA token values."""
    return [t.value for t in tokenize(source, config) if t.type is T.DATA]


def inner(source: str) -> list[tuple[TokenType, str]]:
    """Tokens between the delimiters of a single ``{{ … }}`` tag."""
    return kinds("{{ " + source + " }}")[1:-1]


def inner_tokens(source: str) -> list[tuple[TokenType, str]]:
    """Tokens inside the only tag of ``source``."""
    return kinds(source)[1:-1]


# -- basics -------------------------------------------------------------------


def test_plain_text_is_one_data_token() -> None:
    assert kinds("hello\nworld") == [(T.DATA, "hello\nworld")]


def test_empty_source_is_just_eof() -> None:
    assert tokenize("") == [Token(T.EOF, "", 1, 0)]


def test_output_tag_produces_begin_expression_end() -> None:
    assert kinds("a{{ x }}b") == [
        (T.DATA, "a"),
        (T.VARIABLE_BEGIN, "{{"),
        (T.NAME, "x"),
        (T.VARIABLE_END, "}}"),
        (T.DATA, "b"),
    ]


def test_block_tag_produces_begin_names_end() -> None:
    assert kinds("{% if x %}") == [
        (T.BLOCK_BEGIN, "{%"),
        (T.NAME, "if"),
        (T.NAME, "x"),
        (T.BLOCK_END, "%}"),
    ]


def test_comments_produce_no_tokens() -> None:
    assert kinds("a{# {{ not a tag }} #}b") == [(T.DATA, "a"), (T.DATA, "b")]


def test_lexer_class_and_function_agree() -> None:
    assert Lexer("{{ x }}").tokenize() == tokenize("{{ x }}")


# -- positions ----------------------------------------------------------------


def test_every_token_has_line_and_column() -> None:
    tokens = tokenize("ab\n  {{ x +\n  y }}")
    positions = [(t.value, t.lineno, t.col_offset) for t in tokens]
    assert positions == [
        ("ab\n  ", 1, 0),
        ("{{", 2, 2),
        ("x", 2, 5),
        ("+", 2, 7),
        ("y", 3, 2),
        ("}}", 3, 4),
        ("", 3, 6),
    ]


def test_multiline_strings_advance_the_line_counter() -> None:
    tokens = tokenize("{{ 'a\nb' ~ c }}")
    assert [(t.value, t.lineno) for t in tokens[1:4]] == [("a\nb", 1), ("~", 2), ("c", 2)]


def test_data_after_comment_reports_its_own_line() -> None:
    tokens = tokenize("{# one\ntwo #}x")
    assert (tokens[0].value, tokens[0].lineno, tokens[0].col_offset) == ("x", 2, 6)


# -- literals and operators ---------------------------------------------------


def test_names_may_be_unicode_identifiers() -> None:
    assert inner("café _x1") == [(T.NAME, "café"), (T.NAME, "_x1")]


def test_integers_and_floats() -> None:
    assert inner("42 3.14 1e3 2.5E-2") == [
        (T.INTEGER, "42"),
        (T.FLOAT, "3.14"),
        (T.FLOAT, "1e3"),
        (T.FLOAT, "2.5E-2"),
    ]


def test_numbers_accept_python_style_underscores() -> None:
    assert inner("1_000 1_000.000_1") == [(T.INTEGER, "1_000"), (T.FLOAT, "1_000.000_1")]


def test_range_dots_are_not_part_of_a_float() -> None:
    assert inner("1..5") == [(T.INTEGER, "1"), (T.OPERATOR, ".."), (T.INTEGER, "5")]
    assert inner("0...5") == [(T.INTEGER, "0"), (T.OPERATOR, "..."), (T.INTEGER, "5")]


def test_strings_in_both_quote_styles() -> None:
    assert inner("'a' \"b\"") == [(T.STRING, "a"), (T.STRING, "b")]


def test_string_values_have_python_escapes_decoded() -> None:
    source = r"'a\nb\t\\ \' \x41 \u00e9 \U0001F600 \N{BULLET} \101'"
    assert inner(source) == [(T.STRING, "a\nb\t\\ ' A é 😀 • A")]


def test_unknown_escapes_are_kept_verbatim() -> None:
    assert inner(r"'\d\q'") == [(T.STRING, r"\d\q")]


def test_operators_use_longest_match() -> None:
    source = "?|> ... ??= ?? ?. ?[ ?| |> .. ** // == != <= >= ~ | : ,"
    assert [value for _, value in inner(source + " 1]")[:-2]] == source.split()


@pytest.mark.parametrize("op", [")", "]", "}", "=", "+", "-", "*", "/", "%", "<"])
def test_single_character_operators(op: str) -> None:
    assert kinds("{% x " + op + " %}")[2] == (T.OPERATOR, op)


def test_closing_delimiter_inside_brackets_is_two_braces() -> None:
    values = [value for _, value in kinds("{{ {'a': {'b': 1}} }}")]
    assert values[-3:] == ["}", "}", "}}"]


def test_optional_subscript_opens_a_bracket() -> None:
    assert inner("a?[0]") == [
        (T.NAME, "a"),
        (T.OPERATOR, "?["),
        (T.INTEGER, "0"),
        (T.OPERATOR, "]"),
    ]


# -- whitespace control -------------------------------------------------------


def test_dash_after_opening_delimiter_trims_whitespace_before() -> None:
    assert data("a  \n {{- x }}") == ["a"]


def test_dash_before_closing_delimiter_trims_whitespace_after() -> None:
    assert data("{{ x -}} \n  b") == ["b"]


def test_glued_dash_followed_by_number_is_trim_then_number() -> None:
    assert inner_tokens("{{-7}}") == [(T.INTEGER, "7")]


def test_spaced_dash_is_a_minus_sign() -> None:
    assert inner_tokens("{{ -7 }}") == [(T.OPERATOR, "-"), (T.INTEGER, "7")]


def test_block_and_comment_whitespace_control() -> None:
    assert data("a \n{%- if x -%}\n b {#- c -#} d") == ["a", "b", "d"]


def test_trim_blocks_drops_first_newline_after_block_tag() -> None:
    config = LexerConfig(trim_blocks=True)
    assert data("{% if x %}\nA\n{% end %}\n", config) == ["A\n"]


def test_trim_blocks_does_not_apply_to_output_tags() -> None:
    assert data("{{ x }}\nA", LexerConfig(trim_blocks=True)) == ["\nA"]


def test_lstrip_blocks_strips_indentation_before_block_tags() -> None:
    config = LexerConfig(lstrip_blocks=True)
    assert data("a\n    {% if x %}b", config) == ["a\n", "b"]


def test_lstrip_blocks_keeps_text_that_is_not_at_line_start() -> None:
    config = LexerConfig(lstrip_blocks=True)
    assert data("a  {% if x %}", config) == ["a  "]


def test_trim_and_lstrip_blocks_together_give_clean_lines() -> None:
    config = LexerConfig(trim_blocks=True, lstrip_blocks=True)
    source = "<ul>\n  {% for x in xs %}\n  <li>\n  {% end %}\n</ul>"
    assert "".join(data(source, config)) == "<ul>\n  <li>\n</ul>"


# -- raw ----------------------------------------------------------------------


def test_raw_body_is_one_untokenized_data_token() -> None:
    assert kinds("{% raw %}{{ x }}{% if %}{% endraw %}") == [(T.DATA, "{{ x }}{% if %}")]


def test_raw_may_be_closed_with_end() -> None:
    assert data("{% raw %}{{ x }}{% end %}!") == ["{{ x }}", "!"]


def test_raw_tags_support_whitespace_control() -> None:
    assert data("a {%- raw -%}  {{ x }}  {%- endraw -%} b") == ["a", "{{ x }}", "b"]


def test_raw_body_position_is_where_it_starts() -> None:
    token = tokenize("\n{% raw %}body{% endraw %}")[1]
    assert (token.value, token.lineno, token.col_offset) == ("body", 2, 9)


# -- custom delimiters --------------------------------------------------------


def test_custom_delimiters() -> None:
    config = LexerConfig(
        block_start="<%",
        block_end="%>",
        variable_start="${",
        variable_end="}",
        comment_start="<#",
        comment_end="#>",
    )
    assert kinds("<% if a %>${ b }<# c #>{{ d }}", config) == [
        (T.BLOCK_BEGIN, "<%"),
        (T.NAME, "if"),
        (T.NAME, "a"),
        (T.BLOCK_END, "%>"),
        (T.VARIABLE_BEGIN, "${"),
        (T.NAME, "b"),
        (T.VARIABLE_END, "}"),
        (T.DATA, "{{ d }}"),
    ]


# -- errors -------------------------------------------------------------------


def lex_error(source: str) -> LexerError:
    """The LexerError raised for ``source``."""
    with pytest.raises(LexerError) as info:
        tokenize(source, name="page.html")
    return info.value


def test_lexer_errors_are_template_syntax_errors() -> None:
    assert isinstance(lex_error("{{ x"), TemplateSyntaxError)


def test_unclosed_block_tag_is_k_lex_001() -> None:
    error = lex_error("ok\n  {% if x")
    assert (error.code, error.lineno, error.col_offset) == (ErrorCode.UNCLOSED_TAG, 2, 2)
    assert error.name == "page.html"
    assert error.suggestion is not None and "%}" in error.suggestion


def test_unclosed_comment_is_k_lex_002() -> None:
    error = lex_error("a {# never closed")
    assert (error.code, error.lineno, error.col_offset) == (ErrorCode.UNCLOSED_COMMENT, 1, 2)


def test_unclosed_output_tag_is_k_lex_003() -> None:
    error = lex_error("{{ x }} {{ y")
    assert (error.code, error.lineno, error.col_offset) == (ErrorCode.UNCLOSED_VARIABLE, 1, 8)


def test_tag_interrupted_by_another_tag_is_unclosed() -> None:
    error = lex_error("{{ x {% if y %}")
    assert (error.code, error.col_offset) == (ErrorCode.UNCLOSED_VARIABLE, 0)


def test_unbalanced_bracket_points_at_the_bracket() -> None:
    error = lex_error("{% set x = [1, 2 %}")
    assert (error.code, error.col_offset) == (ErrorCode.UNCLOSED_TAG, 11)
    assert "'['" in error.message


def test_unterminated_string_is_reported_at_the_quote() -> None:
    error = lex_error("{{ 'abc }}")
    assert (error.code, error.col_offset) == (ErrorCode.SYNTAX_ERROR, 3)
    assert "string" in error.message


def test_unexpected_character_is_reported() -> None:
    error = lex_error("{{ a $ b }}")
    assert (error.code, error.col_offset) == (ErrorCode.SYNTAX_ERROR, 5)
    assert "'$'" in error.message


def test_unclosed_raw_block() -> None:
    error = lex_error("{% raw %}{{ x }}")
    assert error.code is ErrorCode.UNCLOSED_BLOCK
    assert error.suggestion is not None and "endraw" in error.suggestion


def test_token_cap_is_k_lex_004() -> None:
    source = "{{ x }}" * (MAX_TOKENS // 3 + 1)
    error = lex_error(source)
    assert error.code is ErrorCode.TOKEN_LIMIT


def test_token_cap_allows_templates_below_the_limit() -> None:
    assert len(tokenize("{{ x }}" * 1000)) == 3001
