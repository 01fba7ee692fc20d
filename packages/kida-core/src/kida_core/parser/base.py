"""Shared parser state: the token cursor, location data and error raising."""

from __future__ import annotations

from typing import NoReturn, TypedDict

from kida_core.errors import ErrorCode, ParseError, TemplateWarning
from kida_core.lexer import Token, TokenType
from kida_core.nodes import Node
from kida_core.parser.errors import describe
from kida_core.parser.stream import TokenStream


class Position(TypedDict):
    """Location keyword arguments of a node."""

    lineno: int
    col_offset: int


def at(token: Token) -> Position:
    """Location keyword arguments for a node starting at ``token``."""
    return {"lineno": token.lineno, "col_offset": token.col_offset}


def loc(node: Node) -> Position:
    """Location keyword arguments copied from ``node``."""
    return {"lineno": node.lineno, "col_offset": node.col_offset}


class ParserBase:
    """Cursor, template identity and error helpers used by every parser layer."""

    def __init__(
        self,
        tokens: list[Token],
        *,
        name: str | None = None,
        filename: str | None = None,
        source: str | None = None,
    ) -> None:
        self.stream = TokenStream(tokens)
        self.name = name
        self.filename = filename
        self.source = source
        self.warnings: list[TemplateWarning] = []

    def fail(
        self,
        message: str,
        token: Token,
        code: ErrorCode = ErrorCode.UNEXPECTED_TOKEN,
        suggestion: str | None = None,
    ) -> NoReturn:
        """Raise a located :class:`ParseError` for ``token``."""
        exc = ParseError(
            message,
            token,
            source=self.source,
            filename=self.filename,
            suggestion=suggestion,
            code=code,
        )
        exc.name = self.name or self.filename
        raise exc

    def expect_op(self, value: str, context: str) -> Token:
        """Consume operator ``value`` or fail with "expected … in <context>"."""
        token = self.stream.current
        if token.type is TokenType.OPERATOR and token.value == value:
            return self.stream.advance()
        self.fail(
            f"expected {value!r} {context}, got {describe(token)}",
            token,
            ErrorCode.INVALID_EXPRESSION,
        )

    def expect_name(self, context: str) -> Token:
        """Consume a NAME token or fail with "expected a name <context>"."""
        token = self.stream.current
        if token.type is TokenType.NAME:
            return self.stream.advance()
        self.fail(f"expected a name {context}, got {describe(token)}", token)
