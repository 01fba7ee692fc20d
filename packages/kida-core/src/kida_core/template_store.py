"""Loading templates by name: the LRU template cache, auto-reload, not-found errors.

* Concurrent ``get_template`` calls for one name compile it once: the first
  caller compiles under a per-name lock, the others wait and reuse it. A
  name's lock exists only while someone holds or waits for it, so loading
  ever new names (a dynamic include that misses) does not grow memory.
* With ``auto_reload`` a cached template is checked with the loader's cheap
  ``source_version`` (a ``stat`` for files) and recompiled when it changed.
* A failed load or compile leaves the cache as it was.
* A not-found error lists close template names only when it is shown: a miss
  that is caught (``ignore missing``, candidate lists) never lists templates.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


class _NameLock:
    """A per-name lock and the number of threads holding or waiting for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class TemplateStore:
    """The named-template cache of one Environment."""

    def __init__(self, cache_size: int) -> None:
        self._cache: LRUCache[_Entry] = LRUCache(cache_size)
        self._locks: dict[str, _NameLock] = {}
        self._locks_guard = threading.Lock()

    @contextmanager
    def _locked(self, name: str) -> Iterator[None]:
        """Hold the lock of ``name``; the last user removes it from the table."""
        with self._locks_guard:
            entry = self._locks.get(name)
            if entry is None:
                entry = self._locks[name] = _NameLock()
            entry.users += 1
        try:
            with entry.lock:
                yield
        finally:
            with self._locks_guard:
                entry.users -= 1
                if entry.users == 0:
                    del self._locks[name]

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
        with self._locked(name):
            entry = self._cache.peek(name)
            if entry is not None and (not auto_reload or self._fresh(loader, name, entry, caller)):
                return entry.template
            entry = self._load(loader, name, compile_source, caller)
            self._cache.set(name, entry)
            return entry.template

    def is_current(
        self, loader: Loader, templates: tuple[Template, ...], *, auto_reload: bool
    ) -> bool:
        """Whether :meth:`get` would return each of ``templates`` for its name now.

        Loads nothing: the cache is peeked (its order and statistics stay as
        they are) and, with ``auto_reload``, the loader's ``source_version`` is
        asked once per template. A template that disappeared from the loader is
        not current.
        """
        peek = self._cache.peek
        probe = getattr(loader, "source_version", None) if auto_reload else None
        for template in templates:
            name = template.name
            entry: _Entry | None = peek(name)
            if entry is None or entry.template is not template:
                return False
            if probe is not None and entry.version is not None:
                try:
                    if probe(name) != entry.version:
                        return False
                except TemplateNotFoundError:
                    return False
        return True

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
    """The loader's not-found error, completed with the caller (and, when shown, close names)."""
    lines = [str(exc)]
    where = _caller_text(caller)
    if where:
        lines.append(f"Requested by {where}")
    return _MissingTemplate(
        "\n".join(lines), name, loader, code=exc.code or ErrorCode.TEMPLATE_NOT_FOUND
    )


class _MissingTemplate(TemplateNotFoundError):
    """A not-found error whose "Did you mean" line is computed on first display.

    Listing and ranking every template name is costly on large trees, and a
    miss that the caller catches is never displayed.
    """

    def __init__(self, message: str, name: str, loader: Loader, *, code: ErrorCode) -> None:
        super().__init__(message, code=code)
        self._wanted = name
        self._loader: Loader | None = loader
        self._full_message: str | None = None

    @property
    def message(self) -> str:
        """The message with the close template names appended (computed once)."""
        if self._full_message is None:
            text = str(self.args[0])
            if self._loader is not None:
                close = _close_names(self._wanted, self._loader)
                if close:
                    text += "\nDid you mean: " + ", ".join(repr(c) for c in close) + "?"
            self._full_message = text
            self._loader = None
        return self._full_message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled as a plain TemplateNotFoundError: a loader need not pickle.
        return (TemplateNotFoundError, (self.message,), {"code": self.code})


def _close_names(name: str, loader: Loader) -> list[str]:
    """Up to three template names close to ``name`` (difflib, cutoff 0.6)."""
    import difflib  # deferred: only a displayed not-found error needs it

    try:
        known = loader.list_templates()
    except Exception:  # listing is a courtesy; never hide the real error
        return []
    return difflib.get_close_matches(name, known, n=3, cutoff=0.6)
