"""``kida.environment.filters``: the built-in filters, from ``kida_core``."""

from kida_core.filters import BUILTIN_PURE_FILTERS, DEFAULT_FILTERS

__all__ = ["BUILTIN_PURE_FILTERS", "DEFAULT_FILTERS"]
