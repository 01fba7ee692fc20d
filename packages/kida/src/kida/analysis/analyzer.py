"""``kida.analysis.analyzer``: the block analyzer, from ``kida_analysis``."""

from kida_analysis.analyzer import TemplateAnalysisError
from kida_analysis.analyzers import BlockAnalyzer

__all__ = ["BlockAnalyzer", "TemplateAnalysisError"]
