"""The lexer (``kida.lexer``); re-exported from ``kida_core``."""

from kida_core.lexer import Lexer, LexerConfig, Token, TokenType, tokenize

__all__ = ["Lexer", "LexerConfig", "Token", "TokenType", "tokenize"]
