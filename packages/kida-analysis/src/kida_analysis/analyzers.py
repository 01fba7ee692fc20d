"""One-question analyzers under the original engine's names.

:class:`BlockAnalyzer` answers "what are the blocks of this template",
:class:`DependencyWalker` "which context paths can a render read" and
:class:`PurityAnalyzer` "can two renders with the same context differ".
Each is configured once (an :class:`~kida_core.metadata.AnalysisConfig`
and, to follow extends/include/import, a resolver of other templates'
ASTs) and can be shared between threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kida_analysis.analyzer import Analyzer, depth_guard
from kida_analysis.linking import Chain, Program
from kida_core.protocols import AnalysisContext

if TYPE_CHECKING:
    from kida_analysis.dependencies import Facts
    from kida_core import nodes as n
    from kida_core.metadata import AnalysisConfig, Purity, TemplateMetadata
    from kida_core.protocols import ASTResolver

__all__ = ["BlockAnalyzer", "DependencyWalker", "PurityAnalyzer"]


class _Configured:
    """An analysis configuration and the resolver of other templates."""

    __slots__ = ("_context", "_resolve")

    def __init__(
        self, config: AnalysisConfig | None = None, *, resolve: ASTResolver | None = None
    ) -> None:
        self._context = AnalysisContext(config=config)
        self._resolve = resolve

    def _whole(self, template_ast: n.TemplateNode, name: str | None) -> Facts:
        """What a full render of the template reads, and its purity."""
        with depth_guard(name):
            return Chain(Program(self._resolve, self._context).unit(template_ast, name)).whole()


class BlockAnalyzer(_Configured):
    """Per-block metadata: dependencies, purity, cache scope, landmarks, role, hash."""

    __slots__ = ()

    def analyze(self, template_ast: n.TemplateNode, name: str | None = None) -> TemplateMetadata:
        """The blocks of the template (its extends chain included) and its top-level reads."""
        return Analyzer().analyze(template_ast, name, resolve=self._resolve, context=self._context)


class DependencyWalker(_Configured):
    """The context paths (``page.title``) a template may read."""

    __slots__ = ()

    def analyze(self, template_ast: n.TemplateNode, name: str | None = None) -> frozenset[str]:
        """Every path a full render may read, both branches of conditionals counted."""
        return self._whole(template_ast, name).depends_on


class PurityAnalyzer(_Configured):
    """Whether a template's output is a function of its context alone."""

    __slots__ = ()

    def analyze(self, template_ast: n.TemplateNode, name: str | None = None) -> Purity:
        """``"pure"``, ``"unknown"`` or ``"impure"`` for a full render (rules in
        :mod:`kida_analysis.purity`)."""
        return self._whole(template_ast, name).purity
