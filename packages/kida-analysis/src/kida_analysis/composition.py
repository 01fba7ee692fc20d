"""Composition helpers for frameworks (``kida.composition``).

They work on anything shaped like an Environment: ``get_template(name)``
returning an object with ``list_blocks()``, and
``get_template_structure(name)`` (the Environment caches the manifest and
drops it when the template is reloaded).
"""

from __future__ import annotations

from typing import Protocol

from kida_analysis.roles import (
    DEFAULT_CONTENT_ROLES,
    DEFAULT_ROOT_ROLES,
    FrameworkRole,
    block_role_for_framework,
)
from kida_core.errors import TemplateError, TemplateNotFoundError
from kida_core.metadata import TemplateStructureManifest

__all__ = [
    "DEFAULT_CONTENT_ROLES",
    "DEFAULT_ROOT_ROLES",
    "FrameworkRole",
    "block_role_for_framework",
    "get_structure",
    "validate_block_exists",
    "validate_template_block",
]


class BlockListing(Protocol):
    """A loaded template: what ``render_block`` accepts."""

    def list_blocks(self) -> list[str]:
        """Block, fragment and region names, inherited ones included."""
        ...


class TemplateSource(Protocol):
    """An Environment, as far as :func:`validate_block_exists` is concerned."""

    def get_template(self, name: str) -> BlockListing:
        """Load a template by name."""
        ...


class StructureSource(Protocol):
    """An Environment, as far as :func:`get_structure` is concerned."""

    def get_template_structure(self, name: str) -> TemplateStructureManifest | None:
        """The cached structure manifest of a template."""
        ...


def validate_template_block(template: BlockListing, block_name: str) -> bool:
    """True when ``render_block(block_name)`` can render from the loaded ``template``."""
    return block_name in template.list_blocks()


def validate_block_exists(env: TemplateSource, template_name: str, block_name: str) -> bool:
    """True when the template loads and has the block (inherited blocks included).

    A missing template or one that fails to compile gives False.
    """
    try:
        template = env.get_template(template_name)
    except TemplateError:
        return False
    return validate_template_block(template, block_name)


def get_structure(env: StructureSource, template_name: str) -> TemplateStructureManifest | None:
    """The structure manifest of a template, or None when it does not exist.

    Syntax errors propagate: a broken template is not a missing one.
    """
    try:
        return env.get_template_structure(template_name)
    except TemplateNotFoundError:
        return None
