"""Metadata records describing templates, blocks and defs.

These immutable records are what the introspection methods of ``Template``
return. The core defines them so every package shares one type; the analysis
that fills them in lives in ``kida-analysis``.

Context dependencies are dotted paths such as ``"page.title"``. A path belongs
to the page (or the site) when its first segment is one of the page (site)
roots of :class:`AnalysisConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DEFAULT_PAGE_PREFIXES",
    "DEFAULT_SITE_PREFIXES",
    "AnalysisConfig",
    "BlockMetadata",
    "BlockModifierMetadata",
    "CacheScope",
    "CallValidation",
    "DefMetadata",
    "DefParamInfo",
    "InferredRole",
    "Purity",
    "TemplateMetadata",
    "TemplateStructureManifest",
]

InferredRole = Literal["navigation", "content", "sidebar", "header", "footer", "unknown"]
Purity = Literal["pure", "impure", "unknown"]
CacheScope = Literal["none", "page", "site", "unknown"]

DEFAULT_PAGE_PREFIXES: frozenset[str] = frozenset({"page", "post", "item", "entry", "doc"})
"""Context roots whose values change from page to page."""
DEFAULT_SITE_PREFIXES: frozenset[str] = frozenset({"site", "config", "settings"})
"""Context roots whose values are shared by every page of a site."""


def _has_root(paths: frozenset[str], roots: frozenset[str]) -> bool:
    return any(path.partition(".")[0] in roots for path in paths)


@dataclass(frozen=True, slots=True)
class BlockModifierMetadata:
    """One ``name=literal`` modifier of a block or fragment tag."""

    name: str
    value: str | int | float | bool | None
    lineno: int
    col_offset: int


@dataclass(frozen=True, slots=True)
class BlockMetadata:
    """What static analysis knows about one block, fragment or region."""

    name: str
    modifiers: tuple[BlockModifierMetadata, ...] = ()
    emits_html: bool = True
    emits_landmarks: frozenset[str] = frozenset()
    inferred_role: InferredRole = "unknown"
    depends_on: frozenset[str] = frozenset()
    is_pure: Purity = "unknown"
    cache_scope: CacheScope = "unknown"
    block_hash: str = ""
    is_region: bool = False
    region_params: tuple[str, ...] = ()

    def get_modifier(self, name: str) -> BlockModifierMetadata | None:
        """Return the modifier called ``name``, if the tag has one."""
        return next((m for m in self.modifiers if m.name == name), None)

    def is_cacheable(self) -> bool:
        """True when the output is pure and its cache scope is not ``"none"``."""
        return self.is_pure == "pure" and self.cache_scope != "none"

    def depends_on_page(self) -> bool:
        """True when the block reads page-specific context (``page.*`` and the like)."""
        return _has_root(self.depends_on, DEFAULT_PAGE_PREFIXES)

    def depends_on_site(self) -> bool:
        """True when the block reads site-wide context (``site.*`` and the like)."""
        return _has_root(self.depends_on, DEFAULT_SITE_PREFIXES)


@dataclass(frozen=True, slots=True)
class TemplateMetadata:
    """What static analysis knows about a whole template."""

    name: str | None
    extends: str | None
    blocks: dict[str, BlockMetadata]
    top_level_depends_on: frozenset[str] = frozenset()

    def all_dependencies(self) -> frozenset[str]:
        """Context paths read anywhere in the template."""
        return self.top_level_depends_on.union(*(b.depends_on for b in self.blocks.values()))

    def get_block(self, name: str) -> BlockMetadata | None:
        """Return the metadata of block ``name``, if there is such a block."""
        return self.blocks.get(name)

    def regions(self) -> dict[str, BlockMetadata]:
        """The blocks that are ``{% region %}`` definitions."""
        return {name: b for name, b in self.blocks.items() if b.is_region}

    def cacheable_blocks(self) -> list[BlockMetadata]:
        """Blocks whose output may be cached."""
        return [b for b in self.blocks.values() if b.is_cacheable()]

    def site_cacheable_blocks(self) -> list[BlockMetadata]:
        """Cacheable blocks whose output is the same on every page."""
        return [b for b in self.blocks.values() if b.is_cacheable() and b.cache_scope == "site"]


@dataclass(frozen=True, slots=True)
class DefParamInfo:
    """One parameter of a ``{% def %}``."""

    name: str
    annotation: str | None = None
    has_default: bool = False
    is_required: bool = True


@dataclass(frozen=True, slots=True)
class DefMetadata:
    """The signature and slots of a ``{% def %}``."""

    name: str
    template_name: str | None = None
    lineno: int = 0
    params: tuple[DefParamInfo, ...] = ()
    slots: tuple[str, ...] = ()
    has_default_slot: bool = False
    depends_on: frozenset[str] = frozenset()
    vararg: str | None = None
    kwarg: str | None = None


@dataclass(frozen=True, slots=True)
class TemplateStructureManifest:
    """A lightweight summary of a template's shape, cheap to cache."""

    name: str | None
    extends: str | None
    block_names: tuple[str, ...]
    block_hashes: dict[str, str]
    dependencies: frozenset[str]


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """Tunes the purity and cache-scope analysis.

    ``page_prefixes`` and ``site_prefixes`` are context roots (first path
    segments); the ``extra_*`` sets name functions known to be pure and
    filters known to be impure beyond the built-in lists.
    """

    page_prefixes: frozenset[str] = DEFAULT_PAGE_PREFIXES
    site_prefixes: frozenset[str] = DEFAULT_SITE_PREFIXES
    extra_pure_functions: frozenset[str] = frozenset()
    extra_impure_filters: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CallValidation:
    """The outcome of checking one call site against a def's signature."""

    def_name: str
    lineno: int
    col_offset: int
    unknown_params: tuple[str, ...] = ()
    missing_required: tuple[str, ...] = ()
    duplicate_params: tuple[str, ...] = ()

    @property
    def is_valid(self) -> bool:
        """True when the call has no unknown, missing or duplicate parameters."""
        return not (self.unknown_params or self.missing_required or self.duplicate_params)
