"""``kida.analysis.config``: the analysis configuration, from ``kida_core``."""

from kida_core.metadata import DEFAULT_PAGE_PREFIXES, DEFAULT_SITE_PREFIXES, AnalysisConfig

__all__ = ["DEFAULT_PAGE_PREFIXES", "DEFAULT_SITE_PREFIXES", "AnalysisConfig"]
