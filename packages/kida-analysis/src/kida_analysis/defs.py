"""Def signatures and slots (``DefMetadata``).

``slots`` are the named slots a def renders, in source order without
duplicates: ``{% slot name %}`` placeholders and ``caller("name")`` calls
with a literal name. ``has_default_slot`` is true for a bare ``{% slot %}``
(or ``{% slot default %}``), ``caller()`` or ``caller("default")``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kida_core import nodes as n
from kida_core.metadata import DefMetadata, DefParamInfo

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["def_metadata", "slot_names"]


def _slot_uses(body: n.Body) -> Iterator[str]:
    for node in (inner for item in body for inner in n.walk(item)):
        if isinstance(node, n.Slot):
            yield node.name
        elif (
            isinstance(node, n.Call)
            and isinstance(node.func, n.Name)
            and node.func.name == "caller"
        ):
            if not node.args:
                yield "default"
            elif isinstance(node.args[0], n.Const) and isinstance(node.args[0].value, str):
                yield node.args[0].value


def slot_names(body: n.Body) -> tuple[tuple[str, ...], bool]:
    """``(named slots in source order, has a default slot)`` of a def body."""
    used = tuple(dict.fromkeys(_slot_uses(body)))
    return tuple(name for name in used if name != "default"), "default" in used


def def_metadata(node: n.Def, template_name: str | None, depends_on: frozenset[str]) -> DefMetadata:
    """The metadata of one def, given what its body reads."""
    slots, has_default = slot_names(node.body)
    return DefMetadata(
        name=node.name,
        template_name=template_name,
        lineno=node.lineno,
        params=tuple(
            DefParamInfo(
                name=p.name,
                annotation=p.annotation,
                has_default=p.default is not None,
                is_required=p.default is None,
            )
            for p in node.params
        ),
        slots=slots,
        has_default_slot=has_default,
        depends_on=depends_on,
        vararg=node.vararg,
        kwarg=node.kwarg,
    )
