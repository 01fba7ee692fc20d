"""Lexer settings, kept apart from the lexer so configuring an Environment is cheap."""

from __future__ import annotations

from typing import NamedTuple


class LexerConfig(NamedTuple):
    """Delimiters and whitespace options (mirrors the ``Environment`` fields).

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
