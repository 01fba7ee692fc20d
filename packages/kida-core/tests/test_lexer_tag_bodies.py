"""Lexer: where a tag body ends and where its tokens are, whichever way the body is read.

A one-line tag is read up to its first closing delimiter; these cases make
sure the delimiter only closes the tag where it really does, and that
positions stay right around tags of every shape.
"""

from __future__ import annotations

import pytest

from kida_core.errors import ErrorCode, LexerError
from kida_core.lexer import LexerConfig, TokenType, tokenize

T = TokenType


def kinds(source: str, config: LexerConfig | None = None) -> list[tuple[TokenType, str]]:
    """(type, value) pairs without the trailing EOF."""
    return [(t.type, t.value) for t in tokenize(source, config)[:-1]]


def positions(source: str, config: LexerConfig | None = None) -> list[tuple[str, int, int]]:
    """(value, line, column) of every token but the trailing EOF."""
    return [(t.value, t.lineno, t.col_offset) for t in tokenize(source, config)[:-1]]


# -- the closing delimiter ----------------------------------------------------


def test_closing_delimiter_inside_a_string_is_string_text() -> None:
    assert kinds("{{ 'a }} b' ~ c }}") == [
        (T.VARIABLE_BEGIN, "{{"),
        (T.STRING, "a }} b"),
        (T.OPERATOR, "~"),
        (T.NAME, "c"),
        (T.VARIABLE_END, "}}"),
    ]


def test_block_closing_delimiter_inside_a_string_is_string_text() -> None:
    assert kinds('{% set x = "50%} off" %}')[4] == (T.STRING, "50%} off")


def test_closing_delimiter_inside_parentheses_does_not_close_the_tag() -> None:
    assert kinds("{{ f(a %} b) }}")[1:] == [
        (T.NAME, "f"),
        (T.OPERATOR, "("),
        (T.NAME, "a"),
        (T.OPERATOR, "%"),
        (T.OPERATOR, "}"),
        (T.NAME, "b"),
        (T.OPERATOR, ")"),
        (T.VARIABLE_END, "}}"),
    ]


def test_balanced_brackets_before_the_delimiter_let_it_close_the_tag() -> None:
    assert kinds("{{ f(a, [b]) }}x") == [
        (T.VARIABLE_BEGIN, "{{"),
        (T.NAME, "f"),
        (T.OPERATOR, "("),
        (T.NAME, "a"),
        (T.OPERATOR, ","),
        (T.OPERATOR, "["),
        (T.NAME, "b"),
        (T.OPERATOR, "]"),
        (T.OPERATOR, ")"),
        (T.VARIABLE_END, "}}"),
        (T.DATA, "x"),
    ]


def test_unclosed_bracket_before_the_delimiter_is_reported_at_the_bracket() -> None:
    with pytest.raises(LexerError) as info:
        tokenize("{{ f(a }}")
    assert (info.value.code, info.value.col_offset) == (ErrorCode.UNCLOSED_VARIABLE, 4)


def test_unterminated_string_before_the_delimiter_is_reported_at_the_quote() -> None:
    with pytest.raises(LexerError) as info:
        tokenize("{{ 'a }}")
    assert (info.value.code, info.value.col_offset) == (ErrorCode.SYNTAX_ERROR, 3)


@pytest.mark.parametrize("char", ["!", "?", "@"])
def test_a_character_no_token_starts_with_is_reported(char: str) -> None:
    with pytest.raises(LexerError) as info:
        tokenize("{{ a " + char + " b }}")
    assert info.value.col_offset == 5
    assert repr(char) in info.value.message


def test_operators_starting_like_stray_characters_are_operators() -> None:
    assert [value for _, value in kinds("{{ a != b ?? c?.d }}")[1:-1]] == [
        "a",
        "!=",
        "b",
        "??",
        "c",
        "?.",
        "d",
    ]


def test_a_block_naming_something_raw_is_an_ordinary_block() -> None:
    assert kinds("{% set raw_html = raw %}")[1:-1] == [
        (T.NAME, "set"),
        (T.NAME, "raw_html"),
        (T.OPERATOR, "="),
        (T.NAME, "raw"),
    ]


def test_non_ascii_names_and_digits_inside_a_tag() -> None:
    assert kinds("{{ ñame + ٣ }}")[1:-1] == [
        (T.NAME, "ñame"),
        (T.OPERATOR, "+"),
        (T.INTEGER, "٣"),
    ]


# -- positions ----------------------------------------------------------------


def test_tokens_on_one_line_have_their_columns() -> None:
    assert positions("ab {{ x.y }} cd {% if z %}") == [
        ("ab ", 1, 0),
        ("{{", 1, 3),
        ("x", 1, 6),
        (".", 1, 7),
        ("y", 1, 8),
        ("}}", 1, 10),
        (" cd ", 1, 12),
        ("{%", 1, 16),
        ("if", 1, 19),
        ("z", 1, 22),
        ("%}", 1, 24),
    ]


def test_a_tag_spanning_lines_moves_later_tokens_down() -> None:
    assert positions("{{ a\n  + b }} {{ c }}")[-5:] == [
        ("}}", 2, 6),
        (" ", 2, 8),
        ("{{", 2, 9),
        ("c", 2, 12),
        ("}}", 2, 14),
    ]


def test_newlines_skipped_by_whitespace_control_still_count() -> None:
    assert positions("{{ a -}}\n\n  {{ b }}")[-3:] == [("{{", 3, 2), ("b", 3, 5), ("}}", 3, 7)]


def test_newlines_in_text_between_tags_count() -> None:
    assert positions("{{ a }}\nx\n{{ b }}")[-3:] == [("{{", 3, 0), ("b", 3, 3), ("}}", 3, 5)]


def test_closing_mark_is_part_of_the_end_token_position() -> None:
    assert positions("{{ a -}}")[-1] == ("}}", 1, 5)


# -- whitespace control at the closing delimiter --------------------------------


def test_dash_before_the_closing_delimiter_strips_what_follows() -> None:
    assert kinds("{{ a -}}  \n b")[-1] == (T.DATA, "b")


def test_plus_before_a_block_end_keeps_the_newline_with_trim_blocks() -> None:
    config = LexerConfig(trim_blocks=True)
    assert kinds("{% if a +%}\nx", config)[-1] == (T.DATA, "\nx")
    assert kinds("{% if a %}\nx", config)[-1] == (T.DATA, "x")


def test_plus_before_an_output_end_is_an_operator() -> None:
    assert kinds("{{ a +}}")[2] == (T.OPERATOR, "+")


# -- delimiter sets -----------------------------------------------------------


def _config(block: str, variable: str, comment: str) -> LexerConfig:
    """A delimiter set from space-separated start/end pairs."""
    block_start, block_end = block.split()
    variable_start, variable_end = variable.split()
    comment_start, comment_end = comment.split()
    return LexerConfig(
        block_start=block_start,
        block_end=block_end,
        variable_start=variable_start,
        variable_end=variable_end,
        comment_start=comment_start,
        comment_end=comment_end,
    )


@pytest.mark.parametrize(
    ("config", "source"),
    [
        (LexerConfig(), "a {{ f(x)[0] | g('}}') }}\n{% if y -%} b {# c #}"),
        (_config("<% %>", "<< >>", "<# #>"), "a << f(x)[0] | g('>>') >>\n<% if y -%> b <# c #>"),
        (_config("<% %>", "${ }", "<# #>"), "a ${ f(x)[0] | g('}') }\n<% if y -%> b <# c #>"),
        (_config("[% %]", "[[ ]]", "[# #]"), "a [[ f(x)[0] | g(']]') ]]\n[% if y -%] b [# c #]"),
    ],
)
def test_every_delimiter_set_reads_tag_bodies_alike(config: LexerConfig, source: str) -> None:
    tokens = tokenize(source, config)
    body = [(t.type, t.value) for t in tokens if t.type in (T.NAME, T.OPERATOR, T.INTEGER)]
    assert body == [
        (T.NAME, "f"),
        (T.OPERATOR, "("),
        (T.NAME, "x"),
        (T.OPERATOR, ")"),
        (T.OPERATOR, "["),
        (T.INTEGER, "0"),
        (T.OPERATOR, "]"),
        (T.OPERATOR, "|"),
        (T.NAME, "g"),
        (T.OPERATOR, "("),
        (T.OPERATOR, ")"),
        (T.NAME, "if"),
        (T.NAME, "y"),
    ]
    assert [t.value for t in tokens if t.type is T.STRING] == [config.variable_end]
    assert [(t.value, t.lineno, t.col_offset) for t in tokens if t.type is T.NAME][-1] == (
        "y",
        2,
        6,
    )
    assert [t.value for t in tokens if t.type is T.DATA] == ["a ", "\n", "b "]
