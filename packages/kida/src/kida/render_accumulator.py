"""Render profiling (``kida.render_accumulator``); re-exported from ``kida_core``."""

from kida_core.render_accumulator import (
    BlockTiming,
    RenderAccumulator,
    get_accumulator,
    profiled_render,
    timed_block,
)

__all__ = ["BlockTiming", "RenderAccumulator", "get_accumulator", "profiled_render", "timed_block"]
