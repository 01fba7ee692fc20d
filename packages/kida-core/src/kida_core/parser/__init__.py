"""Template parser: tokens to the immutable Kida AST (:mod:`kida_core.nodes`)."""

from __future__ import annotations

from kida_core.lexer import LexerConfig, tokenize
from kida_core.nodes import TemplateNode
from kida_core.parser.core import Parser

__all__ = ["Parser", "parse"]


def parse(
    source: str,
    *,
    name: str | None = None,
    filename: str | None = None,
    config: LexerConfig | None = None,
) -> TemplateNode:
    """Tokenize and parse ``source`` (warnings are dropped; use :class:`Parser` to keep them)."""
    tokens = tokenize(source, config, name=name, filename=filename)
    return Parser(tokens, name=name, filename=filename, source=source).parse()
