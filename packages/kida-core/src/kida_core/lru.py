"""A small thread-safe LRU cache with hit/miss statistics."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")

_MISSING: Any = object()


class LRUCache(Generic[V]):
    """Least-recently-used mapping guarded by a lock.

    ``max_size == 0`` disables caching (nothing is stored); a negative
    ``max_size`` means unbounded.
    """

    __slots__ = ("_data", "_hits", "_lock", "_misses", "max_size")

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
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

    def peek(self, key: Hashable, default: Any = None) -> Any:
        """The value for ``key`` without touching order or statistics."""
        with self._lock:
            return self._data.get(key, default)

    def set(self, key: Hashable, value: V) -> None:
        """Store ``value``, evicting the least recently used entries past the bound."""
        if self.max_size == 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            if self.max_size > 0:
                while len(self._data) > self.max_size:
                    self._data.popitem(last=False)

    def pop(self, key: Hashable) -> None:
        """Forget ``key`` if present."""
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        """Forget everything (statistics are kept)."""
        with self._lock:
            self._data.clear()

    def keys(self) -> list[Hashable]:
        """The cached keys, least recently used first."""
        with self._lock:
            return list(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def info(self) -> dict[str, Any]:
        """``{"size", "max_size", "hits", "misses", "hit_rate"}``."""
        with self._lock:
            total = self._hits + self._misses
            return {
                "size": len(self._data),
                "max_size": self.max_size,
                "hits": self._hits,
                "misses": self._misses,
                "hit_rate": self._hits / total if total else 0.0,
            }
