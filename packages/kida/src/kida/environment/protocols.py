"""``kida.environment.protocols``: the plug-in protocols, from ``kida_core``."""

from kida_core.protocols import *  # noqa: F403 - this module is a re-export shim
from kida_core.protocols import __all__ as __all__
