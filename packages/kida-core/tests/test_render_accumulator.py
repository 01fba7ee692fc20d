"""Profiling: profiled_render, get_accumulator and timed_block."""

from __future__ import annotations

from kida_core.render_accumulator import (
    RenderAccumulator,
    get_accumulator,
    profiled_render,
    timed_block,
)


def test_no_accumulator_outside_profiling() -> None:
    assert get_accumulator() is None


def test_profiled_render_installs_an_accumulator() -> None:
    with profiled_render() as metrics:
        assert get_accumulator() is metrics
    assert get_accumulator() is None
    assert metrics.total_duration_ms >= 0.0


def test_timed_block_records_calls_and_time() -> None:
    with profiled_render() as metrics:
        with timed_block("nav"):
            pass
        with timed_block("nav"):
            pass
    timing = metrics.block_timings["nav"]
    assert timing.call_count == 2
    assert timing.duration_ms >= 0.0


def test_timed_block_is_a_no_op_when_not_profiling() -> None:
    with timed_block("nav"):
        pass
    assert get_accumulator() is None


def test_summary_sorts_blocks_by_time_and_counts_calls() -> None:
    acc = RenderAccumulator()
    acc.record_block("fast", 1.0)
    acc.record_block("slow", 5.0)
    acc.record_macro("card")
    acc.record_macro("card")
    acc.record_include("header.html")
    acc.record_filter("upper")
    summary = acc.summary()
    assert list(summary["blocks"]) == ["slow", "fast"]
    assert summary["blocks"]["slow"] == {"ms": 5.0, "calls": 1}
    assert summary["macros"] == {"card": 2}
    assert summary["includes"] == {"header.html": 1}
    assert summary["filters"] == {"upper": 1}
