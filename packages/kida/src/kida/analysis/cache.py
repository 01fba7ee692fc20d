"""``kida.analysis.cache``: cache-scope inference, from ``kida_analysis``."""

from kida_analysis.cache import infer_cache_scope

__all__ = ["infer_cache_scope"]
