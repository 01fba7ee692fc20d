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


def test_derived_value_is_computed_once_per_version() -> None:
    reg = Registry({"a": 1})
    seen: list[int] = []

    def count(mapping: object) -> int:
        seen.append(1)
        return len(mapping)  # type: ignore[arg-type]

    assert reg.derived(count) == 1
    assert reg.derived(count) == 1
    assert len(seen) == 1


def test_derived_value_is_computed_again_after_a_write() -> None:
    reg = Registry({"a": 1})
    assert reg.derived(len) == 1
    reg["b"] = 2
    assert reg.derived(len) == 2
    del reg["a"]
    assert reg.derived(len) == 1
    reg.update(c=3, d=4)
    assert reg.derived(len) == 3


def test_each_compute_function_has_its_own_derived_value() -> None:
    reg = Registry({"a": 1, "b": 2})
    assert reg.derived(len) == 2
    assert reg.derived(sorted) == ["a", "b"]
    assert reg.derived(len) == 2
