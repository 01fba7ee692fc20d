"""Copy-on-write registries behind env.filters/tests/globals."""

from __future__ import annotations

import threading

import pytest

from kida_core.registry import Registry


def test_registry_is_a_mapping() -> None:
    reg = Registry({"a": 1})
    reg["b"] = 2
    assert dict(reg) == {"a": 1, "b": 2}
    assert "a" in reg and len(reg) == 2
    assert reg.get("missing", 0) == 0


def test_a_write_publishes_a_new_mapping_and_leaves_old_snapshots_alone() -> None:
    reg = Registry({"a": 1})
    before = reg.snapshot()
    reg["b"] = 2
    assert "b" not in before
    assert "b" in reg.snapshot()


def test_update_and_delete() -> None:
    reg = Registry()
    reg.update({"x": 1}, y=2)
    del reg["x"]
    assert reg.copy() == {"y": 2}
    with pytest.raises(KeyError):
        del reg["x"]


def test_concurrent_writers_lose_nothing() -> None:
    reg = Registry()

    def writer(start: int) -> None:
        for i in range(start, start + 200):
            reg[f"k{i}"] = i

    threads = [threading.Thread(target=writer, args=(n * 200,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reg) == 1600
