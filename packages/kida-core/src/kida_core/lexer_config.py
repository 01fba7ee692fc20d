"""Lexer settings, kept apart from the lexer so configuring an Environment is cheap."""

from __future__ import annotations

from typing import NamedTuple


class LexerConfig(NamedTuple):
    """Delimiters, whitespace and newline options (mirrors the ``Environment`` fields).

    A ``NamedTuple`` rather than a frozen dataclass: it is created when an
    Environment is configured, so its class must be cheap to import.
    """

    block_start: str = "{%"
    block_end: str = "%}"
    variable_start: str = "{{"
    variable_end: str = "}}"
    comment_start: str = "{#"
    comment_end: str = "#}"
    trim_blocks: bool = False
    lstrip_blocks: bool = False
    #: Newline written for every newline of the template's text (``"\n"``, ``"\r\n"`` or ``"\r"``).
    newline_sequence: str = "\n"
    #: Keep the source's final newline (by default one trailing newline is dropped).
    keep_trailing_newline: bool = False
    #: A line starting with this prefix (after spaces) is a whole-line block tag.
    line_statement_prefix: str | None = None
    #: Text from this prefix to the end of the line is a comment.
    line_comment_prefix: str | None = None
