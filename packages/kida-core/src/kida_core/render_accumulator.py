"""Opt-in render profiling.

``with profiled_render() as metrics:`` installs a :class:`RenderAccumulator`
in a ContextVar for the duration of the block; instrumentation records into
it. Outside such a block :func:`get_accumulator` returns None and nothing is
recorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

_accumulator: ContextVar[RenderAccumulator | None] = ContextVar("kida_accumulator", default=None)


@dataclass(slots=True)
class BlockTiming:
    """Summed render time of one block and how often it rendered."""

    name: str
    duration_ms: float
    call_count: int = 1


@dataclass(slots=True)
class RenderAccumulator:
    """Counters and timings collected while profiling."""

    block_timings: dict[str, BlockTiming] = field(default_factory=dict)
    macro_calls: dict[str, int] = field(default_factory=dict)
    include_counts: dict[str, int] = field(default_factory=dict)
    filter_calls: dict[str, int] = field(default_factory=dict)
    start_time: float = field(default_factory=time.perf_counter)
    end_time: float | None = None

    @property
    def total_duration_ms(self) -> float:
        """Milliseconds from start to the end of profiling (or now)."""
        end = self.end_time if self.end_time is not None else time.perf_counter()
        return (end - self.start_time) * 1000.0

    def record_block(self, name: str, duration_ms: float) -> None:
        """Add one render of block ``name``."""
        timing = self.block_timings.get(name)
        if timing is None:
            self.block_timings[name] = BlockTiming(name, duration_ms)
        else:
            timing.duration_ms += duration_ms
            timing.call_count += 1

    def record_macro(self, name: str) -> None:
        """Count a call of def ``name``."""
        self.macro_calls[name] = self.macro_calls.get(name, 0) + 1

    def record_include(self, template_name: str) -> None:
        """Count an include of ``template_name``."""
        self.include_counts[template_name] = self.include_counts.get(template_name, 0) + 1

    def record_filter(self, name: str) -> None:
        """Count a call of filter ``name``."""
        self.filter_calls[name] = self.filter_calls.get(name, 0) + 1

    def summary(self) -> dict[str, Any]:
        """Everything recorded, blocks sorted by time (slowest first)."""
        blocks = sorted(self.block_timings.values(), key=lambda t: t.duration_ms, reverse=True)
        return {
            "total_ms": round(self.total_duration_ms, 3),
            "blocks": {
                t.name: {"ms": round(t.duration_ms, 3), "calls": t.call_count} for t in blocks
            },
            "macros": dict(self.macro_calls),
            "includes": dict(self.include_counts),
            "filters": dict(self.filter_calls),
        }


def get_accumulator() -> RenderAccumulator | None:
    """The active accumulator, or None when not profiling."""
    return _accumulator.get()


@contextmanager
def profiled_render() -> Iterator[RenderAccumulator]:
    """Profile every render inside the ``with`` block."""
    acc = RenderAccumulator()
    token = _accumulator.set(acc)
    try:
        yield acc
    finally:
        acc.end_time = time.perf_counter()
        _accumulator.reset(token)


@contextmanager
def timed_block(name: str) -> Iterator[None]:
    """Record the time spent in the ``with`` body as block ``name`` (no-op when off)."""
    acc = _accumulator.get()
    if acc is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        acc.record_block(name, (time.perf_counter() - start) * 1000.0)
