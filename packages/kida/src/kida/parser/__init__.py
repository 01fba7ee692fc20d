"""The parser (``kida.parser``); re-exported from ``kida_core``."""

from kida_core.errors import ParseError
from kida_core.parser import Parser, parse

__all__ = ["ParseError", "Parser", "parse"]
