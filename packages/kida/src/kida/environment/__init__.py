"""The Environment (``kida.environment``); re-exported from ``kida_core``."""

from kida_core.environment import Environment

__all__ = ["Environment"]
