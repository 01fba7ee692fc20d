"""``Lexer.comments``: the comments the lexer drops from the tokens, with their lines and text."""

from __future__ import annotations

from kida_core.lexer import Comment, Lexer, LexerConfig, TokenType


def comments(source: str, config: LexerConfig | None = None) -> list[Comment]:
    lexer = Lexer(source, config)
    lexer.tokenize()
    return lexer.comments


def test_comment_text_and_line() -> None:
    assert comments("a\n{# NOTE: hello #}b") == [Comment(2, 2, "NOTE: hello")]


def test_comment_over_several_lines() -> None:
    assert comments("{# one\n  two\n#}") == [Comment(1, 3, "one\n  two")]


def test_whitespace_control_marks_are_not_text() -> None:
    assert comments("a {#- x -#} b {#+ y +#}") == [Comment(1, 1, "x"), Comment(1, 1, "y")]


def test_empty_comment() -> None:
    assert comments("{##}") == [Comment(1, 1, "")]


def test_line_comments_are_listed() -> None:
    config = LexerConfig(line_comment_prefix="##")
    assert comments("x\n  ## NOTE: here\ny", config) == [Comment(2, 2, "NOTE: here")]


def test_custom_comment_delimiters() -> None:
    config = LexerConfig(comment_start="<#", comment_end="#>")
    assert comments("<# NOTE: c #>", config) == [Comment(1, 1, "NOTE: c")]


def test_comment_delimiters_in_raw_and_strings_are_not_comments() -> None:
    assert comments('{% raw %}{# no #}{% endraw %}{{ "{# no #}" }}') == []


def test_comments_stay_out_of_the_tokens() -> None:
    lexer = Lexer("a{# c #}b")
    assert [t.value for t in lexer.tokenize() if t.type is TokenType.DATA] == ["a", "b"]
