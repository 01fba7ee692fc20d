"""``kida.environment.registry``: the filter/test registry mapping, from ``kida_core``."""

from kida_core.registry import Registry

__all__ = ["Registry"]
