"""Kida AST → Python ``ast.Module`` compiler."""

from kida_core.compiler.core import CODEGEN_VERSION, Compiler

__all__ = ["CODEGEN_VERSION", "Compiler"]
