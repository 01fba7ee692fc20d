"""Exceptions, error codes and warnings (``kida.exceptions``), from ``kida_core.errors``."""

from kida_core.errors import *  # noqa: F403 - this module is a re-export shim
from kida_core.errors import __all__ as __all__
