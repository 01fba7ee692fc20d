"""``kida.environment.exceptions``: the same names as :mod:`kida.exceptions`."""

from kida.exceptions import *  # noqa: F403 - this module is a re-export shim
from kida.exceptions import __all__ as __all__
