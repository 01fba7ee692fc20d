"""``kida.environment.core``: the ``Environment``, from ``kida_core``."""

from kida_core.environment import Environment

__all__ = ["Environment"]
