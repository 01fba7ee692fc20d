"""Composition helpers for frameworks (``kida.composition``); re-exported from ``kida_analysis``."""

from kida_analysis.composition import (
    block_role_for_framework,
    get_structure,
    validate_block_exists,
    validate_template_block,
)

__all__ = [
    "block_role_for_framework",
    "get_structure",
    "validate_block_exists",
    "validate_template_block",
]
