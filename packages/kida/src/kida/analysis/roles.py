"""``kida.analysis.roles``: block roles, from ``kida_analysis``."""

from kida_analysis.roles import block_role_for_framework, classify_role

__all__ = ["block_role_for_framework", "classify_role"]
