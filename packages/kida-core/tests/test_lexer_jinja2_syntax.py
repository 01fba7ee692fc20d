"""Lexer features shared with Jinja2: newlines, ``+`` modifiers, radix and checked
number literals, line statements and line comments."""

from __future__ import annotations

import pytest

from kida_core.environment import Environment
from kida_core.errors import ErrorCode, LexerError, TemplateSyntaxError
from kida_core.lexer import LexerConfig, TokenType, tokenize

T = TokenType


def kinds(source: str, config: LexerConfig | None = None) -> list[tuple[TokenType, str]]:
    """(type, value) pairs without the trailing EOF."""
    return [(t.type, t.value) for t in tokenize(source, config)[:-1]]


def data(source: str, config: LexerConfig | None = None) -> str:
    """The template text left after lexing, joined."""
    return "".join(t.value for t in tokenize(source, config) if t.type is T.DATA)


# -- newlines -----------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_one_trailing_newline_is_dropped(ending: str) -> None:
    assert data(f"a{ending}") == "a"


def test_only_the_last_of_several_trailing_newlines_is_dropped() -> None:
    assert data("a\n\n") == "a\n"


def test_keep_trailing_newline_keeps_it() -> None:
    assert data("a\n", LexerConfig(keep_trailing_newline=True)) == "a\n"


def test_every_newline_spelling_reads_as_one_newline() -> None:
    assert data("a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_crlf_lines_keep_their_line_numbers() -> None:
    tokens = tokenize("a\r\n\r\n{{ x }}")
    assert (tokens[1].lineno, tokens[1].col_offset) == (3, 0)


def test_newline_sequence_is_written_for_every_newline() -> None:
    config = LexerConfig(newline_sequence="\r\n", keep_trailing_newline=True)
    assert data("a\nb\rc\n", config) == "a\r\nb\r\nc\r\n"


def test_newline_sequence_applies_to_newlines_inside_string_literals() -> None:
    [string] = [
        t
        for t in tokenize("{{ 'a\nb\\nc' }}", LexerConfig(newline_sequence="\r\n"))
        if t.type is T.STRING
    ]
    assert string.value == "a\r\nb\nc"


# -- + and - modifiers ----------------------------------------------------------------------


def test_plus_after_block_start_keeps_the_indentation_lstrip_would_remove() -> None:
    config = LexerConfig(lstrip_blocks=True)
    assert data("  {%+ if x %}A{% end %}", config) == "  A"


def test_plus_before_block_end_keeps_the_newline_trim_would_drop() -> None:
    config = LexerConfig(trim_blocks=True)
    assert data("{% if x +%}\nA{% end %}", config) == "\nA"


def test_plus_on_comments_works_like_on_block_tags() -> None:
    config = LexerConfig(trim_blocks=True, lstrip_blocks=True)
    assert data("  {#+ note +#}\nA", config) == "  \nA"


def test_trim_blocks_applies_after_comments() -> None:
    assert data("{# note #}\nA", LexerConfig(trim_blocks=True)) == "A"


def test_trim_blocks_keeps_the_newline_after_the_raw_opening_tag() -> None:
    config = LexerConfig(trim_blocks=True)
    assert data("{% raw %}\nA{% endraw %}\nB", config) == "\nAB"


def test_plus_before_endraw_keeps_its_indentation() -> None:
    config = LexerConfig(lstrip_blocks=True)
    assert data("{% raw %}A\n  {%+ endraw %}", config) == "A\n  "


# -- number literals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "kind"),
    [
        ("0x1F", T.INTEGER),
        ("0o17", T.INTEGER),
        ("0b101", T.INTEGER),
        ("0x_1f", T.INTEGER),
        ("1_000", T.INTEGER),
        ("00", T.INTEGER),
        ("1_000.5", T.FLOAT),
        ("1e3", T.FLOAT),
        ("2.5E-3", T.FLOAT),
    ],
)
def test_number_literals(literal: str, kind: TokenType) -> None:
    assert kinds("{{ " + literal + " }}")[1] == (kind, literal)


def test_a_radix_literal_is_followed_by_an_attribute_dot() -> None:
    assert kinds("{{ 0x1F.real }}")[1:4] == [
        (T.INTEGER, "0x1F"),
        (T.OPERATOR, "."),
        (T.NAME, "real"),
    ]


@pytest.mark.parametrize("literal", ["0x", "1__0", "1_", "0b2", "0xFFj", "1.5e", "12ab"])
def test_a_malformed_number_is_a_located_syntax_error_with_a_hint(literal: str) -> None:
    with pytest.raises(LexerError) as info:
        tokenize("line one\n{{ 1 + " + literal + " }}")
    error = info.value
    assert error.code is ErrorCode.SYNTAX_ERROR
    assert (error.lineno, error.col_offset) == (2, 7)
    assert f"malformed number literal {literal!r}" in str(error)
    assert error.suggestion is not None and "0x1F" in error.suggestion


def test_a_leading_zero_suggests_the_octal_spelling() -> None:
    with pytest.raises(LexerError) as info:
        tokenize("{{ 017 }}")
    assert info.value.suggestion is not None and "0o17" in info.value.suggestion


# -- line statements and line comments -----------------------------------------------------

LINES = LexerConfig(line_statement_prefix="#", line_comment_prefix="##")


def test_a_line_statement_is_a_block_tag_ending_at_the_newline() -> None:
    assert kinds("# if x\nA", LINES) == [
        (T.BLOCK_BEGIN, "#"),
        (T.NAME, "if"),
        (T.NAME, "x"),
        (T.BLOCK_END, "\n"),
        (T.DATA, "A"),
    ]


def test_a_line_statement_may_be_indented_and_end_with_a_colon() -> None:
    assert kinds(
        "  # for x in y:\n", LexerConfig(line_statement_prefix="#", keep_trailing_newline=True)
    ) == [
        (T.BLOCK_BEGIN, "  #"),
        (T.NAME, "for"),
        (T.NAME, "x"),
        (T.NAME, "in"),
        (T.NAME, "y"),
        (T.BLOCK_END, "\n"),
    ]


def test_a_line_statement_continues_inside_open_brackets() -> None:
    tokens = kinds("# set a = [1,\n 2]\nA", LINES)
    assert tokens[-2:] == [(T.BLOCK_END, "\n"), (T.DATA, "A")]
    assert (T.INTEGER, "2") in tokens


def test_the_prefix_is_text_when_not_at_line_start() -> None:
    assert kinds("a # if x", LINES) == [(T.DATA, "a # if x")]


def test_a_line_comment_drops_the_rest_of_the_line_but_not_the_newline() -> None:
    assert data("a  ## note\nb", LINES) == "a\nb"


def test_an_unclosed_bracket_in_a_line_statement_is_reported_at_the_bracket() -> None:
    with pytest.raises(LexerError) as info:
        tokenize("# if (x\nA", LINES)
    assert (info.value.lineno, info.value.col_offset) == (1, 5)
    assert info.value.code is ErrorCode.UNCLOSED_TAG


def test_raw_as_a_line_statement_is_refused_with_a_hint() -> None:
    env = Environment(line_statement_prefix="#")
    with pytest.raises(TemplateSyntaxError) as info:
        env.from_string("# raw\nA\n# endraw")
    assert "raw cannot be a line statement" in str(info.value)
    assert info.value.suggestion is not None and "{% raw %}" in info.value.suggestion


def test_parse_errors_in_a_line_statement_name_the_end_of_the_line() -> None:
    env = Environment(line_statement_prefix="#")
    with pytest.raises(TemplateSyntaxError, match="got end of line"):
        env.from_string("# for x\nA\n# end")
