"""``kida.analysis.purity``: the purity analyzer, from ``kida_analysis``."""

from kida_analysis.analyzers import PurityAnalyzer

__all__ = ["PurityAnalyzer"]
