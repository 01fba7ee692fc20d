"""``LRUCache``: the public methods the original engine's ``kida.utils.lru_cache`` offers."""

from __future__ import annotations

from kida_core.lru import LRUCache


def test_get_or_set_calls_the_factory_only_on_a_miss() -> None:
    cache: LRUCache[int] = LRUCache(4)
    calls: list[str] = []

    def make() -> int:
        calls.append("made")
        return 42

    assert cache.get_or_set("k", make) == 42
    assert cache.get_or_set("k", make) == 42
    assert calls == ["made"]


def test_delete_reports_whether_the_key_was_cached() -> None:
    cache: LRUCache[int] = LRUCache(4)
    cache.set("k", 1)
    assert cache.delete("k") is True
    assert cache.delete("k") is False
    assert cache.get("k") is None


def test_contains_leaves_statistics_and_order_alone() -> None:
    cache: LRUCache[int] = LRUCache(2)
    cache.set("a", 1)
    cache.set("b", 2)
    assert "a" in cache
    assert "z" not in cache
    cache.set("c", 3)  # "a" is still the least recently used: evicted
    assert "a" not in cache
    assert cache.stats()["hits"] == 0
    assert cache.stats()["misses"] == 0


def test_stats_and_reset_stats() -> None:
    cache: LRUCache[int] = LRUCache(4)
    cache.set("a", 1)
    cache.get("a")
    cache.get("missing")
    assert cache.stats() == {"size": 1, "max_size": 4, "hits": 1, "misses": 1, "hit_rate": 0.5}
    cache.reset_stats()
    assert (cache.stats()["hits"], cache.stats()["misses"]) == (0, 0)
    assert len(cache) == 1
