"""``kida.analysis.metadata``: the frozen analysis records, from ``kida_core``."""

from kida_core.metadata import (
    BlockMetadata,
    BlockModifierMetadata,
    CacheScope,
    CallValidation,
    DefMetadata,
    DefParamInfo,
    InferredRole,
    Purity,
    TemplateMetadata,
    TemplateStructureManifest,
)

__all__ = [
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
