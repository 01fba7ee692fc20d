"""The compiler (``kida.compiler``); re-exported from ``kida_core``."""

from kida_core.compiler import Compiler

__all__ = ["Compiler"]
