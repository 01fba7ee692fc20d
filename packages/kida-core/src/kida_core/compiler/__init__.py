"""Kida AST → Python ``ast.Module`` compiler."""

from kida_core.compiler.core import Compiler

__all__ = ["Compiler"]
