"""Literal extends chains resolved once per template instead of on every render.

A child template whose top level holds nothing but blocks and a literal
``{% extends %}`` renders exactly like its parent given its blocks. Such a
template is *extends-only*: a render can register the blocks of a run of them
at once and start at the first template of the chain that runs code of its
own. That run is a :class:`Passage`, computed on first use, kept on the
template and checked against the Environment on every use (the loader's
``source_version`` when ``auto_reload`` is on), so an edited parent is picked
up on the next render.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from kida_core.errors import TemplateError
from kida_core.runtime.blocks import BlockDef, Blocks, register_blocks

if TYPE_CHECKING:
    from kida_core.render_context import RenderContext
    from kida_core.template import Template


Hops = tuple[tuple[str | None, int], ...]


class Passage(NamedTuple):
    """The extends-only templates from one template on, and where rendering starts.

    Immutable once built: renders in any number of threads share it.
    """

    #: The extends-only templates, most derived first (the first is the owner).
    skipped: tuple[Template, ...]
    #: The first template of the chain whose render runs code of its own.
    target: Template
    #: The blocks of ``skipped``, registered in order (shared, never mutated).
    blocks: Mapping[str, Sequence[BlockDef]]
    #: ``(template, line of its extends)`` for each of ``skipped``.
    hops: Hops
    #: ``skipped[1:]`` and ``target``: the templates entered, checked on every use.
    parents: tuple[Template, ...]
    #: Their names.
    entered: frozenset[str | None]
    #: The names of ``skipped``: the extends path to ``target``.
    chain: tuple[str | None, ...]
    #: Every template on it renders synchronously (else only async renders may skip).
    sync: bool


def passage(template: Template) -> Passage | None:
    """The passage from extends-only ``template``; None when a render must not skip it.

    None also when the chain cannot be resolved now (a missing or broken
    parent, a cycle): the render then takes the step-by-step path, which
    raises the located error.
    """
    known = template._passage
    if known is not None and _current(known, template):
        return known
    built = _build(template)
    if built is not None:
        template._passage = built
    return built


def _current(known: Passage, template: Template) -> bool:
    """Whether the Environment would still load every template ``known`` leads through."""
    env = template._env_ref()
    return env is not None and bool(env.is_current(*known.parents))


def _build(template: Template) -> Passage | None:
    skipped: list[Template] = []
    current = template
    while current._extends_only:
        skipped.append(current)
        assert current._extends is not None  # extends-only templates extend a literal name
        name, line = current._extends
        try:
            current = current._composer.parent(name, line)
        except TemplateError:
            return None
        if any(current is seen for seen in skipped):
            return None
    names = [t.name for t in (*skipped, current)]
    if len(set(names)) != len(names):
        return None
    blocks: Blocks = {}
    for seen in skipped:
        register_blocks(blocks, seen._block_defs)
    hops = tuple((t.name, t._extends[1]) for t in skipped if t._extends is not None)
    sync = all(t._render_func is not None for t in (*skipped, current))
    parents = (*skipped[1:], current)
    return Passage(
        tuple(skipped),
        current,
        blocks,
        hops,
        parents,
        frozenset(names[1:]),
        tuple(names[:-1]),
        sync,
    )


def fits(known: Passage, rc: RenderContext, chain: tuple[str | None, ...], extra: int) -> bool:
    """Whether a render in ``rc`` can go through ``known`` at once, ``extra`` extends
    already taken towards it: within the extends depth limit, and entering none of
    the templates on ``chain`` (the extends path so far) again."""
    if rc.extends_depth + extra + len(known.hops) > rc.max_extends_depth:
        return False
    return not chain or known.entered.isdisjoint(chain)


#: Where an exception records the extends it went through without a frame.
_SKIPPED_ATTR = "_kida_skipped_extends"


def note_skipped(exc: BaseException, frame: types.FrameType | None, hops: Hops) -> None:
    """Record on ``exc`` that the extends called from ``frame`` went through ``hops``
    (templates whose render was skipped, so the traceback lacks their frames)."""
    if frame is None or not hops:
        return
    table: dict[types.FrameType, Hops] | None = getattr(exc, _SKIPPED_ATTR, None)
    if table is None:
        table = {}
        setattr(exc, _SKIPPED_ATTR, table)
    table.setdefault(frame, hops)


def skipped_hops(exc: BaseException, frame: types.FrameType) -> Hops:
    """What :func:`note_skipped` recorded for ``frame`` (empty when nothing was skipped)."""
    table: dict[types.FrameType, Hops] | None = getattr(exc, _SKIPPED_ATTR, None)
    return table.get(frame, ()) if table is not None else ()
