"""A small thread-safe LRU cache with hit/miss statistics."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")

_MISSING: Any = object()


class LRUCache(Generic[V]):
    """Least-recently-used mapping guarded by a lock.

    ``max_size == 0`` disables caching (nothing is stored); a negative
    ``max_size`` means unbounded. With ``weigh``, the summed weight of the
    values is bounded too: ``max_weight`` (negative: unbounded); a value
    heavier than ``max_weight`` on its own is not stored.
    """

    __slots__ = (
        "_data",
        "_hits",
        "_lock",
        "_misses",
        "_weigh",
        "_weight",
        "max_size",
        "max_weight",
    )

    def __init__(
        self,
        max_size: int,
        *,
        weigh: Callable[[V], int] | None = None,
        max_weight: int = -1,
    ) -> None:
        self.max_size = max_size
        self.max_weight = max_weight
        self._weigh = weigh
        self._weight = 0
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value for ``key`` (marked most recently used), or ``default``."""
        with self._lock:
            value = self._data.get(key, _MISSING)
            if value is _MISSING:
                self._misses += 1
                return default
            self._data.move_to_end(key)
            self._hits += 1
            return value

    def get_or_set(self, key: Hashable, factory: Callable[[], V]) -> V:
        """The value for ``key``; on a miss, ``factory()`` is stored and returned.

        ``factory`` runs outside the lock, so two threads missing together may
        both call it (the last one stored wins).
        """
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = factory()
            self.set(key, value)
        return value  # type: ignore[no-any-return]

    def peek(self, key: Hashable, default: Any = None) -> Any:
        """The value for ``key`` without touching order or statistics."""
        with self._lock:
            return self._data.get(key, default)

    def set(self, key: Hashable, value: V) -> None:
        """Store ``value``, evicting the least recently used entries past the bounds."""
        if self.max_size == 0:
            return
        weigh = self._weigh
        weight = weigh(value) if weigh is not None else 0
        if 0 <= self.max_weight < weight:
            self.pop(key)  # an older value must not outlive the one that replaced it
            return
        with self._lock:
            self._forget(key)
            self._data[key] = value
            self._weight += weight
            data = self._data
            while (0 < self.max_size < len(data)) or (0 <= self.max_weight < self._weight):
                self._forget(next(iter(data)))

    def _forget(self, key: Hashable) -> None:
        """Drop ``key`` and its weight (the caller holds the lock)."""
        value = self._data.pop(key, _MISSING)
        if value is not _MISSING and self._weigh is not None:
            self._weight -= self._weigh(value)

    def pop(self, key: Hashable, expected: Any = _MISSING) -> None:
        """Forget ``key`` if present; with ``expected``, only while it still maps to that value.

        ``expected`` lets a reader drop a stale value it has just read without
        dropping a fresh one another thread stored in the meantime.
        """
        with self._lock:
            if expected is _MISSING or self._data.get(key, _MISSING) is expected:
                self._forget(key)

    def delete(self, key: Hashable) -> bool:
        """Forget ``key``; True when it was cached."""
        with self._lock:
            found = key in self._data
            self._forget(key)
            return found

    def clear(self) -> None:
        """Forget everything (statistics are kept)."""
        with self._lock:
            self._data.clear()
            self._weight = 0

    def keys(self) -> list[Hashable]:
        """The cached keys, least recently used first."""
        with self._lock:
            return list(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is cached (order and statistics are untouched)."""
        return key in self._data

    def stats(self) -> dict[str, Any]:
        """The statistics of :meth:`info` (the name the original engine uses)."""
        return self.info()

    def reset_stats(self) -> None:
        """Zero the hit and miss counters."""
        with self._lock:
            self._hits = 0
            self._misses = 0

    def info(self) -> dict[str, Any]:
        """``{"size", "max_size", "hits", "misses", "hit_rate"}``, plus ``"weight"`` and
        ``"max_weight"`` when values are weighed."""
        with self._lock:
            total = self._hits + self._misses
            info: dict[str, Any] = {
                "size": len(self._data),
                "max_size": self.max_size,
                "hits": self._hits,
                "misses": self._misses,
                "hit_rate": self._hits / total if total else 0.0,
            }
            if self._weigh is not None:
                info["weight"] = self._weight
                info["max_weight"] = self.max_weight
            return info
