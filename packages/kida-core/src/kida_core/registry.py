"""Copy-on-write registries for filters, tests and globals.

Readers (many render threads) index the current dict without locking;
writers build a new dict under a lock and publish it with one reference
swap, so a reader sees either the old or the new mapping, never a partial
one.
"""

from __future__ import annotations

import threading
from collections.abc import (
    Callable,
    ItemsView,
    Iterator,
    KeysView,
    Mapping,
    MutableMapping,
    ValuesView,
)
from typing import Any, TypeVar

T = TypeVar("T")


class Registry(MutableMapping[str, Any]):
    """A name → object mapping whose writes never disturb concurrent reads."""

    __slots__ = ("_data", "_derived", "_lock")

    def __init__(self, initial: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, Any] = dict(initial or {})
        self._lock = threading.Lock()
        # (the mapping they were computed from, compute function → value): see derived().
        self._derived: tuple[Mapping[str, Any], dict[Any, Any]] = (self._data, {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        with self._lock:
            self._data = {**self._data, key: value}

    def __delitem__(self, key: str) -> None:
        with self._lock:
            data = dict(self._data)
            del data[key]
            self._data = data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default``."""
        return self._data.get(key, default)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Publish several entries in one swap."""
        with self._lock:
            data = dict(self._data)
            data.update(other, **kwargs)
            self._data = data

    def copy(self) -> dict[str, Any]:
        """A plain dict snapshot."""
        return dict(self._data)

    def snapshot(self) -> Mapping[str, Any]:
        """The current mapping (treat as read-only)."""
        return self._data

    def derived(self, compute: Callable[[Mapping[str, Any]], T]) -> T:
        """``compute(current mapping)``, computed once until the registry changes.

        ``compute`` must depend only on the mapping it is given. Every write
        publishes a new mapping, which no memoized value matches. The memo is
        replaced whole, never changed in place, so concurrent callers at worst
        compute the same value twice.
        """
        data = self._data
        mapping, values = self._derived
        if mapping is data and compute in values:
            return values[compute]  # type: ignore[no-any-return]
        value = compute(data)
        known = values if mapping is data else {}
        self._derived = (data, {**known, compute: value})
        return value

    def keys(self) -> KeysView[str]:
        return self._data.keys()

    def values(self) -> ValuesView[Any]:
        return self._data.values()

    def items(self) -> ItemsView[str, Any]:
        return self._data.items()

    def __repr__(self) -> str:
        return f"Registry({sorted(self._data)!r})"
