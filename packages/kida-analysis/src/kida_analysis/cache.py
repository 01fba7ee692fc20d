"""Cache scope: how widely a block's output may be reused.

From the block's purity and the context paths it reads:

* ``"none"`` when the block is impure;
* ``"site"`` when it reads nothing, or only paths under
  ``AnalysisConfig.site_prefixes`` (``site``, ``config``, ``settings``);
* ``"page"`` when any path is under ``AnalysisConfig.page_prefixes``
  (``page``, ``post``, ``item``, ``entry``, ``doc``);
* ``"unknown"`` otherwise (it reads other context names).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kida_analysis.dependencies import root
from kida_core.metadata import AnalysisConfig, CacheScope, Purity

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["infer_cache_scope"]


def infer_cache_scope(
    depends_on: Iterable[str],
    is_pure: Purity = "pure",
    config: AnalysisConfig | None = None,
) -> CacheScope:
    """The cache scope of a block reading ``depends_on`` (rules in the module docstring)."""
    if is_pure == "impure":
        return "none"
    config = config or AnalysisConfig()
    roots = {root(path) for path in depends_on}
    if roots <= config.site_prefixes:
        return "site"
    return "page" if roots & config.page_prefixes else "unknown"
