"""Landmarks and roles: what part of a page a block renders.

``emits_landmarks`` holds the HTML landmark elements opened by literal text
in the block (``<nav``, ``<main``, ``<header``, ``<footer``, ``<aside``,
case-insensitive, followed by whitespace, ``/`` or ``>``). Only the block's
own text counts (including nested blocks), not what included templates or
called defs emit. ``emits_html`` is true when that text contains ``<`` or the
block has dynamic output (``{{ ... }}``, an include, a ``call`` or a slot),
whose markup cannot be known statically; a block of plain text or of
assignments alone is false.

``inferred_role`` comes from the first landmark in source order (nav →
navigation, main → content, aside → sidebar, header → header, footer →
footer); without landmarks, from the block name (``nav``/``navigation``/
``menu``, ``content``/``main``/``body``, ``sidebar``/``aside``, ``header``,
``footer``); otherwise ``"unknown"``.

:func:`block_role_for_framework` maps block metadata to what a framework
does with it (``None`` metadata gives ``None``), first rule that applies:

1. a ``role`` modifier set to ``"page_root"`` or ``"fragment"`` wins;
2. ``"page_root"`` when the block's name is one of ``root_roles`` (the
   block wrapping the whole page, rendered for a full-page request);
3. ``"fragment"`` when the block's name or inferred role is one of
   ``content_roles`` (the part an HTMX request swaps);
4. ``None`` otherwise.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from kida_core import nodes as n
from kida_core.metadata import BlockMetadata, InferredRole

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "DEFAULT_CONTENT_ROLES",
    "DEFAULT_ROOT_ROLES",
    "FrameworkRole",
    "block_role_for_framework",
    "classify_role",
    "emits_html",
    "landmarks",
]

FrameworkRole = Literal["fragment", "page_root"]

DEFAULT_CONTENT_ROLES: frozenset[str] = frozenset({"content", "main"})
"""Block names and inferred roles that make a block a ``"fragment"``."""

DEFAULT_ROOT_ROLES: frozenset[str] = frozenset({"page_root", "root", "layout"})
"""Block names that make a block the ``"page_root"``."""

_LANDMARK = re.compile(r"<(nav|main|header|footer|aside)(?=[\s/>])", re.IGNORECASE)
_LANDMARK_ROLES: dict[str, InferredRole] = {
    "nav": "navigation",
    "main": "content",
    "aside": "sidebar",
    "header": "header",
    "footer": "footer",
}
_NAME_ROLES: dict[str, InferredRole] = {
    "nav": "navigation",
    "navigation": "navigation",
    "menu": "navigation",
    "content": "content",
    "main": "content",
    "body": "content",
    "sidebar": "sidebar",
    "aside": "sidebar",
    "header": "header",
    "footer": "footer",
}


def _texts(body: Iterable[n.Node]) -> Iterable[str]:
    for node in body:
        yield from (d.value for d in n.walk(node) if isinstance(d, n.Data))


def landmarks(body: Iterable[n.Node]) -> tuple[str, ...]:
    """Landmark elements opened by literal text, in order of first appearance."""
    found = (m.group(1).lower() for text in _texts(body) for m in _LANDMARK.finditer(text))
    return tuple(dict.fromkeys(found))


_DYNAMIC_OUTPUT = (n.Output, n.Include, n.CallBlock, n.Slot)


def emits_html(body: Iterable[n.Node]) -> bool:
    """True when the literal text contains markup or the body has dynamic output."""
    if any(isinstance(d, _DYNAMIC_OUTPUT) for node in body for d in n.walk(node)):
        return True
    return any("<" in text for text in _texts(body))


def classify_role(block_name: str, landmarks: Sequence[str] = ()) -> InferredRole:
    """The role of a block from its first landmark, else from its name.

    ``landmarks`` are the landmark elements the block opens, in order
    (``("nav",)``); unknown element names fall back to the name rule.
    """
    for element in landmarks:
        role = _LANDMARK_ROLES.get(element.lower())
        if role is not None:
            return role
    return _NAME_ROLES.get(block_name.lower(), "unknown")


def block_role_for_framework(
    block_metadata: BlockMetadata | None,
    *,
    content_roles: frozenset[str] = DEFAULT_CONTENT_ROLES,
    root_roles: frozenset[str] = DEFAULT_ROOT_ROLES,
) -> FrameworkRole | None:
    """``"page_root"``, ``"fragment"`` or None for a block (rules in the module docstring)."""
    if block_metadata is None:
        return None
    explicit = block_metadata.get_modifier("role")
    role = explicit.value if explicit else None
    if role == "page_root":
        return "page_root"
    if role == "fragment":
        return "fragment"
    if block_metadata.name in root_roles:
        return "page_root"
    if block_metadata.name in content_roles or block_metadata.inferred_role in content_roles:
        return "fragment"
    return None
