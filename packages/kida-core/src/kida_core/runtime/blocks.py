"""Blocks at render time: definitions, registration, ``super()``.

A render carries ``_blocks``: block name → the definitions of that block
along the extends chain, most derived first. A child template registers its
blocks and then renders its parent, whose registrations land behind the
child's, so ``_blocks[name][0]`` is the override and ``super()`` walks one
step towards the root. Registration never changes a sequence in place (it
stores a longer one), so a table may start from sequences shared by every
render of a template (see ``runtime/inheritance.py``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from kida_core.errors import ErrorCode, TemplateRuntimeError
from kida_core.markup import Markup

Context = dict[str, Any]


class BlockDef(NamedTuple):
    """One template's definition of one block."""

    render: Callable[[Context, Blocks], str] | None
    stream: Callable[[Context, Blocks], Iterator[str]] | None
    astream: Callable[[Context, Blocks], AsyncIterator[str]] | None
    #: Full-render condition (``{% block x if cond %}``); None renders always.
    condition: Callable[[Context], bool] | None = None
    #: Fragments are produced only by ``render_block``.
    fragment: bool = False

    def rendered(self, ctx: Context, blocks: Blocks) -> str:
        """The block's output as one string (async templates cannot do this)."""
        if self.render is None:
            raise TemplateRuntimeError(
                "This block belongs to an async template and can only be streamed "
                "asynchronously (super() and render_block() are not available there)",
                suggestion="Use render_stream_async() or render_block_stream_async().",
                code=ErrorCode.RUNTIME_ERROR,
            )
        return self.render(ctx, blocks)


Blocks = dict[str, Sequence[BlockDef]]

_new_str = str.__new__


_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE, without importing inspect


def is_coroutine_function(func: object) -> bool:
    """True for an ``async def`` function (an async template's setup)."""
    code = getattr(func, "__code__", None)
    return code is not None and bool(code.co_flags & _CO_COROUTINE)


def register_blocks(blocks: Blocks | None, defs: Mapping[str, BlockDef]) -> Blocks:
    """Append this template's definitions behind any more derived ones; returns the
    table (a new one when ``blocks`` is None: nothing extends the template)."""
    if blocks is None:
        blocks = {}
    for name, definition in defs.items():
        chain = blocks.get(name)
        if chain is None:
            blocks[name] = (definition,)
        elif definition not in chain:
            blocks[name] = (*chain, definition)
    return blocks


def register_chains(blocks: Blocks, chains: Mapping[str, Sequence[BlockDef]]) -> None:
    """Append the definitions of several templates (merged per name, most derived
    first) behind any more derived ones: the same as registering each in turn."""
    for name, definitions in chains.items():
        chain = blocks.get(name)
        if chain is None:
            blocks[name] = definitions
        else:
            missing = tuple(d for d in definitions if d not in chain)
            if missing:
                blocks[name] = (*chain, *missing)


def _active(blocks: Blocks, name: str, ctx: Context) -> BlockDef | None:
    definition = blocks[name][0]
    if definition.fragment:
        return None
    if definition.condition is not None and not definition.condition(ctx):
        return None
    return definition


def render_block(blocks: Blocks, name: str, ctx: Context) -> str:
    """A block at its place in a full render (buffered)."""
    definition = blocks[name][0]
    if definition.fragment or (definition.condition is not None and not definition.condition(ctx)):
        return ""
    render = definition.render
    if render is None:
        return definition.rendered(ctx, blocks)  # raises: an async block
    return render(ctx, blocks)


def stream_block(blocks: Blocks, name: str, ctx: Context) -> Iterator[str]:
    """A block at its place in a streamed render."""
    definition = _active(blocks, name, ctx)
    if definition is None:
        return iter(())
    if definition.stream is None:
        return iter((definition.rendered(ctx, blocks),))
    return definition.stream(ctx, blocks)


async def astream_block(blocks: Blocks, name: str, ctx: Context) -> AsyncIterator[str]:
    """A block at its place in an async-streamed render."""
    definition = _active(blocks, name, ctx)
    if definition is None:
        return
    if definition.astream is not None:
        async for chunk in definition.astream(ctx, blocks):
            yield chunk
    elif definition.stream is not None:
        for chunk in definition.stream(ctx, blocks):
            yield chunk
    else:
        yield definition.rendered(ctx, blocks)


def super_block(blocks: Blocks, name: str, current: BlockDef, ctx: Context) -> Markup:
    """``super()``: the next definition of ``name`` towards the root, rendered."""
    chain = blocks.get(name, ())
    for index in range(len(chain) - 1):
        if chain[index] is current:
            parent = chain[index + 1]
            render = parent.render
            if render is None:
                return Markup(parent.rendered(ctx, blocks))  # raises: an async block
            return _new_str(Markup, render(ctx, blocks))  # Markup(text), minus the checks
    raise TemplateRuntimeError(
        f"super() in block '{name}': no parent template defines '{name}'",
        suggestion="Only call super() in a block that overrides a block of a parent template.",
        code=ErrorCode.RUNTIME_ERROR,
    )


def super_text(blocks: Blocks, name: str, current: BlockDef, ctx: Context) -> str:
    """``{{ super() }}`` written straight to output: the parent definition's text as it is.

    The same text as :func:`super_block`, without making it ``Markup`` first: output
    appends it unescaped either way.
    """
    chain = blocks.get(name, ())
    for index in range(len(chain) - 1):
        if chain[index] is current:
            render = chain[index + 1].render
            if render is not None:
                return render(ctx, blocks)
            break
    return super_block(blocks, name, current, ctx)  # raises: no parent, or an async block


async def asuper_block(blocks: Blocks, name: str, current: BlockDef, ctx: Context) -> Markup:
    """``super()`` inside an async block: the parent definition's async stream, collected."""
    chain = blocks.get(name, [])
    for index, definition in enumerate(chain):
        if definition is current and index + 1 < len(chain):
            parent = chain[index + 1]
            if parent.astream is None:
                return Markup(parent.rendered(ctx, blocks))
            return Markup("".join([chunk async for chunk in parent.astream(ctx, blocks)]))
    return super_block(blocks, name, current, ctx)


def override(html: str) -> BlockDef:
    """A definition whose output is trusted, pre-rendered ``html``."""
    markup = Markup(html)

    def render(ctx: Context, blocks: Blocks) -> str:
        return markup

    return BlockDef(render, None, None)


def embed_blocks(bodies: Mapping[str, Callable[[], str]]) -> Blocks:
    """The block table of one ``{% embed %}``: each override renders its closure.

    The closures render in the embedding template's scope, so they ignore the
    embedded template's context; streaming yields each override as one chunk.
    """
    return {name: (_embed_def(body),) for name, body in bodies.items()}


def _embed_def(body: Callable[[], str]) -> BlockDef:
    def render(ctx: Context, blocks: Blocks) -> str:
        return body()

    def stream(ctx: Context, blocks: Blocks) -> Iterator[str]:
        yield body()

    async def astream(ctx: Context, blocks: Blocks) -> AsyncIterator[str]:
        yield body()

    return BlockDef(render, stream, astream)
