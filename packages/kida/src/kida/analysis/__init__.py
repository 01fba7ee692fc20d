"""Template analysis (``kida.analysis``); re-exported from ``kida_core`` and ``kida_analysis``."""

from kida_analysis import (
    BlockAnalyzer,
    DependencyWalker,
    PurityAnalyzer,
    classify_role,
    infer_cache_scope,
)
from kida_analysis.i18n import ExtractedMessage, ExtractMessagesVisitor
from kida_core.metadata import (
    AnalysisConfig,
    BlockMetadata,
    BlockModifierMetadata,
    CallValidation,
    DefMetadata,
    DefParamInfo,
    TemplateMetadata,
    TemplateStructureManifest,
)

__all__ = [
    "AnalysisConfig",
    "BlockAnalyzer",
    "BlockMetadata",
    "BlockModifierMetadata",
    "CallValidation",
    "DefMetadata",
    "DefParamInfo",
    "DependencyWalker",
    "ExtractMessagesVisitor",
    "ExtractedMessage",
    "PurityAnalyzer",
    "TemplateMetadata",
    "TemplateStructureManifest",
    "classify_role",
    "infer_cache_scope",
]
