"""``kida.compiler.core``: the ``Compiler``, from ``kida_core``."""

from kida_core.compiler.core import Compiler

__all__ = ["Compiler"]
