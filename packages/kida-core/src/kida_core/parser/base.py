"""Shared parser state: the token cursor, location data and error raising."""

from __future__ import annotations

from typing import NoReturn

from kida_core.errors import ErrorCode, ParseError, TemplateWarning
from kida_core.lexer import Token, TokenType
from kida_core.parser.errors import describe
from kida_core.parser.stream import TokenStream


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
