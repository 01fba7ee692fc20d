"""The parser (``kida.parser``); re-exported from ``kida_core``."""

from kida_core.parser import Parser

__all__ = ["Parser"]
