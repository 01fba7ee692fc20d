"""A cursor over the lexer's token list."""

from __future__ import annotations

from kida_core.lexer import Token, TokenType

_NAME = TokenType.NAME
_OPERATOR = TokenType.OPERATOR


class TokenStream:
    """Index-based cursor; the token list always ends with ``EOF``.

    ``current`` is ``tokens[pos]``. A token other than ``EOF`` always has a
    successor, so the parser's hot loops step past one inline
    (``stream.pos = pos = stream.pos + 1; stream.current = tokens[pos]``)
    instead of calling :meth:`advance`.
    """

    __slots__ = ("_last", "current", "pos", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        if not tokens or tokens[-1].type is not TokenType.EOF:
            last = tokens[-1] if tokens else None
            eof = Token(
                TokenType.EOF, "", last.lineno if last else 1, last.col_offset if last else 0
            )
            tokens = [*tokens, eof]
        #: The tokens, ending with ``EOF`` (never modified).
        self.tokens = tokens
        self._last = len(tokens) - 1
        #: The index of the current token.
        self.pos = 0
        self.current = tokens[0]

    def look(self, offset: int = 1) -> Token:
        """The token ``offset`` places ahead (``EOF`` past the end)."""
        index = self.pos + offset
        return self.tokens[index if index < self._last else self._last]

    def advance(self) -> Token:
        """Consume and return the current token (stays on ``EOF``)."""
        token = self.current
        pos = self.pos
        if pos < self._last:
            self.pos = pos = pos + 1
            self.current = self.tokens[pos]
        return token

    def at_op(self, *values: str) -> bool:
        """Whether the current token is one of the given operators."""
        token = self.current
        return token.type is _OPERATOR and token.value in values

    def at_name(self, *values: str) -> bool:
        """Whether the current token is one of the given bare names (keywords)."""
        token = self.current
        return token.type is _NAME and token.value in values

    def skip_op(self, value: str) -> bool:
        """Consume the operator ``value`` if it is current; report whether it was."""
        token = self.current
        if token.type is _OPERATOR and token.value == value:
            self.advance()
            return True
        return False

    def skip_name(self, value: str) -> bool:
        """Consume the keyword ``value`` if it is current; report whether it was."""
        token = self.current
        if token.type is _NAME and token.value == value:
            self.advance()
            return True
        return False
