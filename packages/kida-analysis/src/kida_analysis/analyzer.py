"""The ``TemplateAnalyzer`` implementation published under ``kida.analysis``.

The cache scope of each block follows :mod:`kida_analysis.cache`.

Tree walks and def calls are followed iteratively, so long operator,
filter and ``elif`` chains and long chains of defs calling defs analyse
like short ones. Following includes and the extends chain still recurses
once per template; a chain too long for Python's stack raises
:class:`TemplateAnalysisError` instead of ``RecursionError``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from kida_analysis.cache import infer_cache_scope
from kida_analysis.defs import def_metadata
from kida_analysis.dependencies import Facts
from kida_analysis.hashing import block_hash
from kida_analysis.linking import Chain, Program
from kida_analysis.roles import classify_role, emits_html, landmarks
from kida_core import nodes as n
from kida_core.errors import TemplateError
from kida_core.metadata import (
    AnalysisConfig,
    BlockMetadata,
    BlockModifierMetadata,
    DefMetadata,
    TemplateMetadata,
    TemplateStructureManifest,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from kida_core.protocols import AnalysisContext, ASTResolver

__all__ = ["Analyzer", "TemplateAnalysisError", "depth_guard"]


class TemplateAnalysisError(TemplateError):
    """A template the analyzer cannot follow to the end (see the module docstring)."""


@contextmanager
def depth_guard(name: str | None) -> Iterator[None]:
    """Turn running out of Python stack during an analysis into a TemplateAnalysisError."""
    try:
        yield
    except RecursionError:
        raise TemplateAnalysisError(
            f"cannot analyse template {name or '<string>'!r}: its includes or extends "
            "chain nest too deeply to follow"
        ) from None


def _block_metadata(
    node: n.Block | n.Region, facts: Facts, config: AnalysisConfig
) -> BlockMetadata:
    found = landmarks(node.body)
    modifiers: tuple[BlockModifierMetadata, ...] = ()
    if isinstance(node, n.Block):
        modifiers = tuple(
            BlockModifierMetadata(m.name, m.value, m.lineno, m.col_offset) for m in node.modifiers
        )
    return BlockMetadata(
        name=node.name,
        modifiers=modifiers,
        emits_html=emits_html(node.body),
        emits_landmarks=frozenset(found),
        inferred_role=classify_role(node.name, found),
        depends_on=facts.depends_on,
        is_pure=facts.purity,
        cache_scope=infer_cache_scope(facts.depends_on, facts.purity, config),
        block_hash=block_hash(node),
        is_region=isinstance(node, n.Region),
        region_params=tuple(p.name for p in node.params) if isinstance(node, n.Region) else (),
    )


class Analyzer:
    """Static analysis of Kida template ASTs.

    Stateless and thread-safe: every call works on its own
    :class:`~kida_analysis.linking.Program`, so one instance can be shared.
    """

    __slots__ = ()

    def analyze(
        self,
        template_ast: n.TemplateNode,
        name: str | None,
        *,
        resolve: ASTResolver | None = None,
        context: AnalysisContext | None = None,
    ) -> TemplateMetadata:
        """Blocks (the whole extends chain, most derived winning) and top-level reads."""
        return self._analyze(template_ast, name, resolve, context)[0]

    def _analyze(
        self,
        template_ast: n.TemplateNode,
        name: str | None,
        resolve: ASTResolver | None,
        context: AnalysisContext | None,
    ) -> tuple[TemplateMetadata, tuple[str, ...]]:
        """The metadata, and the block names root template first (for the manifest)."""
        config = (context.config if context else None) or AnalysisConfig()
        with depth_guard(name):
            unit = Program(resolve, context).unit(template_ast, name)
            unit.scanned()
            chain = Chain(unit)
            blocks = {
                block: _block_metadata(node, chain.block_facts(block), config)
                for block, (_, node, _) in chain.definitions.items()
            }
            top = chain.top_facts().depends_on
            # A def's body counts even where nothing calls it (as in the original):
            # an importer may call it with this template's context.
            top = top.union(*(unit.facts_of(node).depends_on for node in unit.defs.values()))
        metadata = TemplateMetadata(
            name=name, extends=unit.extends, blocks=blocks, top_level_depends_on=top
        )
        return metadata, chain.names_root_first()

    def def_metadata(
        self, template_ast: n.TemplateNode, name: str | None
    ) -> dict[str, DefMetadata]:
        """Every top-level def (also those in ``globals``/``imports``), in source order.

        Without a resolver, calls of imported defs add no dependencies.
        """
        with depth_guard(name):
            unit = Program(None, None).unit(template_ast, name)
            return {
                def_name: def_metadata(node, name, unit.facts_of(node).depends_on)
                for def_name, node in unit.defs.items()
            }

    def structure(
        self,
        template_ast: n.TemplateNode,
        name: str | None,
        *,
        resolve: ASTResolver | None = None,
    ) -> TemplateStructureManifest:
        """Block names (parent first, each template in source order), hashes and dependencies."""
        meta, names = self._analyze(template_ast, name, resolve, None)
        return TemplateStructureManifest(
            name=name,
            extends=meta.extends,
            block_names=names,
            block_hashes={block: b.block_hash for block, b in meta.blocks.items()},
            dependencies=meta.all_dependencies(),
        )
