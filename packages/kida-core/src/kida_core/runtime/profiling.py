"""Profiling wrappers, installed only for ``Environment(enable_profiling=True)``.

Each wrapper records into the accumulator of ``profiled_render()`` when one is
active and otherwise just calls through; templates built without the flag
contain none of this.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kida_core.render_accumulator import get_accumulator
from kida_core.runtime.blocks import BlockDef
from kida_core.runtime.trust import is_trusted, trusted


def counted_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Count every call of filter ``name``."""

    @functools.wraps(func)
    def filter_call(*args: Any, **kwargs: Any) -> Any:
        acc = get_accumulator()
        if acc is not None:
            acc.record_filter(name)
        return func(*args, **kwargs)

    return filter_call


def counted_def(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Count every call of def ``name`` (the counter is trusted when ``func`` is)."""

    @functools.wraps(func)
    def def_call(*args: Any, **kwargs: Any) -> Any:
        acc = get_accumulator()
        if acc is not None:
            acc.record_macro(name)
        return func(*args, **kwargs)

    return trusted(def_call) if is_trusted(func) else def_call


def _timed_render(name: str, render: Callable[..., str]) -> Callable[..., str]:
    def timed(ctx: Any, blocks: Any) -> str:
        acc = get_accumulator()
        if acc is None:
            return render(ctx, blocks)
        start = time.perf_counter()
        try:
            return render(ctx, blocks)
        finally:
            acc.record_block(name, (time.perf_counter() - start) * 1000.0)

    return timed


def _timed_stream(name: str, stream: Callable[..., Iterator[str]]) -> Callable[..., Iterator[str]]:
    def timed(ctx: Any, blocks: Any) -> Iterator[str]:
        acc = get_accumulator()
        if acc is None:
            yield from stream(ctx, blocks)
            return
        spent = 0.0
        chunks = stream(ctx, blocks)
        try:
            while True:
                start = time.perf_counter()
                try:
                    chunk = next(chunks)
                except StopIteration:
                    return
                finally:
                    spent += time.perf_counter() - start
                yield chunk
        finally:
            acc.record_block(name, spent * 1000.0)

    return timed


def timed_blocks(defs: Mapping[str, BlockDef]) -> dict[str, BlockDef]:
    """The block definitions with their render and stream functions timed."""
    return {
        name: definition._replace(
            render=_timed_render(name, definition.render)
            if definition.render is not None
            else None,
            stream=_timed_stream(name, definition.stream)
            if definition.stream is not None
            else None,
        )
        for name, definition in defs.items()
    }
