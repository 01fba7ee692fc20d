"""``kida.analysis.dependencies``: the context-path walker, from ``kida_analysis``."""

from kida_analysis.analyzers import DependencyWalker

__all__ = ["DependencyWalker"]
