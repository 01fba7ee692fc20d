"""The once-per-source warning for unnamed templates keeps bounded memory."""

from __future__ import annotations

import warnings

from kida_core.bytecode import UNNAMED_WARNING_MEMORY, BytecodeStore


def _warn_count(store: BytecodeStore, sources: list[str]) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for source in sources:
            store.warn_unnamed(source)
    return len(caught)


def test_each_distinct_source_warns_once() -> None:
    store = BytecodeStore(None)
    assert _warn_count(store, ["a", "a", "b", "a"]) == 2


def test_memory_of_warned_sources_is_bounded() -> None:
    store = BytecodeStore(None)
    sources = [f"page {index} {{{{ x }}}}" for index in range(UNNAMED_WARNING_MEMORY * 3)]
    assert _warn_count(store, sources) == len(sources)
    assert len(store._warned) == UNNAMED_WARNING_MEMORY
    # The most recent sources are still remembered; the oldest warn again.
    assert _warn_count(store, sources[-10:]) == 0
    assert _warn_count(store, sources[:1]) == 1
