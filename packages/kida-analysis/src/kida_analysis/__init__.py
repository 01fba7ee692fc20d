"""Static analysis of Kida templates.

:class:`Analyzer` implements ``kida_core.protocols.TemplateAnalyzer``
(context dependencies, purity, cache scope, landmarks and roles, block
hashes, def signatures, structure manifests) and is published as
``default`` in the ``kida.analysis`` entry-point group, which the core's
``Template`` introspection methods use. :mod:`kida_analysis.composition`
holds the framework helpers re-exported as ``kida.composition``.
"""

from kida_analysis.analyzer import Analyzer, TemplateAnalysisError
from kida_analysis.analyzers import BlockAnalyzer, DependencyWalker, PurityAnalyzer
from kida_analysis.cache import infer_cache_scope
from kida_analysis.composition import (
    block_role_for_framework,
    get_structure,
    validate_block_exists,
    validate_template_block,
)
from kida_analysis.i18n import ExtractedMessage, ExtractMessagesVisitor
from kida_analysis.roles import classify_role

__all__ = [
    "Analyzer",
    "BlockAnalyzer",
    "DependencyWalker",
    "ExtractMessagesVisitor",
    "ExtractedMessage",
    "PurityAnalyzer",
    "TemplateAnalysisError",
    "block_role_for_framework",
    "classify_role",
    "get_structure",
    "infer_cache_scope",
    "validate_block_exists",
    "validate_template_block",
]
__version__ = "0.1.0"
