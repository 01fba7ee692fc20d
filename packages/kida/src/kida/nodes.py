"""``kida.nodes``: the template AST node classes and walkers, from ``kida_core``."""

from kida_core.nodes import *  # noqa: F403 - this module is a re-export shim
