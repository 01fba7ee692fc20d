"""``kida.parser.errors``: the parser's exception, from ``kida_core``."""

from kida_core.errors import ParseError

__all__ = ["ParseError"]
