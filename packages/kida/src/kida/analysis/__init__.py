"""Template metadata records (``kida.analysis``); re-exported from ``kida_core``."""

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
    "BlockMetadata",
    "BlockModifierMetadata",
    "CallValidation",
    "DefMetadata",
    "DefParamInfo",
    "TemplateMetadata",
    "TemplateStructureManifest",
]
