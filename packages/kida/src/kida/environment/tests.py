"""``kida.environment.tests``: the built-in tests, from ``kida_core``."""

from kida_core.builtin_tests import DEFAULT_TESTS

__all__ = ["DEFAULT_TESTS"]
