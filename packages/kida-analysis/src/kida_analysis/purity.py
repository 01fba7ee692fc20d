"""Purity: may a block's output change between two renders with the same context?

The rule, applied to everything a block renders (its body, nested blocks,
included templates and the bodies of the defs it calls):

* **impure** when it uses an impure filter -- ``random``, ``shuffle``, a
  filter named in ``AnalysisConfig.extra_impure_filters``, or a user filter
  (not built in) missing from ``AnalysisContext.pure_filters`` -- or calls a
  function by name that is not known to be pure. Known pure: the built-in
  globals ``range dict list set tuple len str int float bool abs min max sum
  sorted reversed enumerate zip map filter namespace cycler joiner``,
  ``AnalysisContext.pure_globals`` and ``AnalysisConfig.extra_pure_functions``.
  Other globals (``consume``, ``hx_request``, user globals) and functions
  taken from the context are impure: their results are not a function of the context paths read.
  A ``{% trans %}`` is impure too: its output depends on the render's language.
* **unknown** when something cannot be seen statically: a method call on a
  value (``user.get_name()``), a call of a local variable or of any other
  expression, ``await``, a dynamic or unresolvable include, or a def that is
  imported from a template that cannot be loaded.
* **pure** otherwise. Calls of defs and regions (local or imported) are as
  pure as their bodies; ``caller()``, ``has_slot()`` and tests are pure;
  ``super()`` is as pure as the outer definition of the block.

Impure wins over unknown, which wins over pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kida_core.filters import BUILTIN_PURE_FILTERS, DEFAULT_FILTERS
from kida_core.metadata import AnalysisConfig, Purity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kida_core.protocols import AnalysisContext

__all__ = ["IMPURE_FILTERS", "PURE_GLOBALS", "PurityRules", "combine"]

IMPURE_FILTERS: frozenset[str] = frozenset({"random", "shuffle"})
"""Built-in filters whose output differs between renders."""

PURE_GLOBALS: frozenset[str] = frozenset(
    {
        "range", "dict", "list", "set", "tuple", "len", "str", "int", "float", "bool",
        "abs", "min", "max", "sum", "sorted", "reversed", "enumerate", "zip", "map", "filter",
        "namespace", "cycler", "joiner",
    }
)  # fmt: skip
"""Built-in globals that are deterministic functions of their arguments."""

_RANK: dict[Purity, int] = {"pure": 0, "unknown": 1, "impure": 2}


def combine(purities: Iterable[Purity]) -> Purity:
    """The least pure of ``purities`` (``"pure"`` for none)."""
    return max(purities, key=_RANK.__getitem__, default="pure")


class PurityRules:
    """Classifies filters and called names for one analysis context."""

    __slots__ = ("_impure_filters", "_pure_filters", "_pure_functions")

    def __init__(self, context: AnalysisContext | None) -> None:
        config = (context.config if context else None) or AnalysisConfig()
        self._impure_filters = IMPURE_FILTERS | config.extra_impure_filters
        builtin = frozenset(DEFAULT_FILTERS) - self._impure_filters
        self._pure_filters = (
            BUILTIN_PURE_FILTERS | builtin | (context.pure_filters if context else frozenset())
        )
        self._pure_functions = (
            PURE_GLOBALS
            | config.extra_pure_functions
            | (context.pure_globals if context else frozenset())
        )

    def filter(self, name: str) -> Purity:
        """``"pure"`` for built-in and declared-pure filters, else ``"impure"``."""
        if name in self._impure_filters:
            return "impure"
        return "pure" if name in self._pure_filters else "impure"

    def function(self, name: str) -> Purity:
        """``"pure"`` for known-pure functions called by name, else ``"impure"``."""
        return "pure" if name in self._pure_functions else "impure"
