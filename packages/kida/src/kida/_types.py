"""``kida._types``: the token types, from ``kida_core``."""

from kida_core.lexer import Token, TokenType

__all__ = ["Token", "TokenType"]
