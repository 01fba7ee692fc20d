"""Loading templates by name: the LRU template cache, auto-reload, not-found errors.

* Concurrent ``get_template`` calls for one name compile it once: the first
  caller compiles under a per-name lock, the others wait and reuse it.
* With ``auto_reload`` a cached template is checked with the loader's cheap
  ``source_version`` (a ``stat`` for files) and recompiled when it changed.
* A failed load or compile leaves the cache as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from kida_core.errors import ErrorCode, TemplateNotFoundError
from kida_core.lru import LRUCache
from kida_core.protocols import Loader

if TYPE_CHECKING:
    from kida_core.template import Template

Caller = str | tuple[str | None, int] | None
Compile = Callable[[str, str, str | None], "Template"]


class _Entry(NamedTuple):
    template: Template
    version: object


def _caller_text(caller: Caller) -> str | None:
    if caller is None:
        return None
    if isinstance(caller, tuple):
        name, line = caller
        return f"{name or '<template>'}:{line}"
    return caller


class TemplateStore:
    """The named-template cache of one Environment."""

    def __init__(self, cache_size: int) -> None:
        self._cache: LRUCache[_Entry] = LRUCache(cache_size)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def _lock_for(self, name: str) -> threading.Lock:
        with self._locks_guard:
            lock = self._locks.get(name)
            if lock is None:
                lock = self._locks[name] = threading.Lock()
            return lock

    def get(
        self,
        loader: Loader,
        name: str,
        compile_source: Compile,
        *,
        auto_reload: bool,
        caller: Caller,
    ) -> Template:
        """The template ``name``, from the cache when it is still fresh."""
        entry: _Entry | None = self._cache.get(name)
        if entry is not None and (not auto_reload or self._fresh(loader, name, entry, caller)):
            return entry.template
        with self._lock_for(name):
            entry = self._cache.peek(name)
            if entry is not None and (not auto_reload or self._fresh(loader, name, entry, caller)):
                return entry.template
            entry = self._load(loader, name, compile_source, caller)
            self._cache.set(name, entry)
            return entry.template

    def _fresh(self, loader: Loader, name: str, entry: _Entry, caller: Caller) -> bool:
        probe = getattr(loader, "source_version", None)
        if probe is None or entry.version is None:
            return True
        try:
            return bool(probe(name) == entry.version)
        except TemplateNotFoundError as exc:
            self._cache.pop(name)
            raise not_found(exc, name, loader, caller) from exc

    def _load(self, loader: Loader, name: str, compile_source: Compile, caller: Caller) -> _Entry:
        probe = getattr(loader, "source_version", None)
        try:
            version = probe(name) if probe is not None else None
            source, filename = loader.get_source(name)
        except TemplateNotFoundError as exc:
            raise not_found(exc, name, loader, caller) from exc
        return _Entry(compile_source(source, name, filename), version)

    def clear(self, names: list[str] | None = None) -> None:
        """Forget every cached template, or just ``names``."""
        if names is None:
            self._cache.clear()
        else:
            for name in names:
                self._cache.pop(name)

    def info(self) -> dict[str, object]:
        """Cache statistics."""
        return self._cache.info()


def not_found(
    exc: TemplateNotFoundError, name: str, loader: Loader, caller: Caller
) -> TemplateNotFoundError:
    """The loader's not-found error, completed with the caller and close names."""
    import difflib  # deferred: only this path needs it

    lines = [str(exc)]
    where = _caller_text(caller)
    if where:
        lines.append(f"Requested by {where}")
    try:
        known = loader.list_templates()
    except Exception:  # listing is a courtesy; never hide the real error
        known = []
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if close:
        lines.append("Did you mean: " + ", ".join(repr(c) for c in close) + "?")
    return TemplateNotFoundError("\n".join(lines), code=exc.code or ErrorCode.TEMPLATE_NOT_FOUND)
