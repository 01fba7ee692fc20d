"""Connecting an Environment to a bytecode cache (kida-cache or any plug-in).

``Environment(bytecode_cache=...)`` accepts:

* an object satisfying :class:`~kida_core.protocols.BytecodeCacheProtocol`;
* ``"NAME"`` or ``"NAME:ARG"`` — a cache class registered under the
  ``kida.bytecode_caches`` entry-point group, created with ``ARG``;
* ``None`` (default) — automatic: when a ``filesystem`` cache is installed and
  the loader reads directories, cache next to the first one in
  ``<path>/__pycache__/kida/``. An Environment with a runtime guard (the
  sandbox) never gets an automatic cache: a directory next to the templates
  may be writable by their authors, and code planted there would run
  outside the sandbox's checks;
* ``False`` — never cache.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

import kida_core.plugins as plugins
from kida_core.keys import hash_source
from kida_core.logs import debug
from kida_core.lru import LRUCache
from kida_core.protocols import BytecodeCacheProtocol, Loader, RuntimeGuard, SearchPathLoader
from kida_core.tree_blob import TreeBlob

if TYPE_CHECKING:
    from kida_core.template import Template

#: How many distinct unnamed sources ``warn_unnamed`` remembers.
UNNAMED_WARNING_MEMORY = 1024
_LOGGER = "kida_core.bytecode"


def resolve(
    setting: object, loader: Loader | None, *, automatic: bool
) -> BytecodeCacheProtocol | None:
    """The cache an Environment should use for ``bytecode_cache=setting``.

    With ``automatic=False``, ``None`` means no cache (only an explicit
    instance or name selects one).
    """
    if setting is False:
        return None
    if setting is None:
        return _automatic(loader) if automatic else None
    if isinstance(setting, str):
        name, _, arg = setting.partition(":")
        factory = plugins.BYTECODE_CACHES.factory(name)
        try:
            return factory(arg) if arg else factory()
        except plugins.PluginProtocolError:
            raise
        except TypeError as exc:
            raise ValueError(
                f"cannot create bytecode cache {setting!r}: {exc}. "
                f"Pass its argument as '{name}:ARG', e.g. '{name}:/var/cache/kida'"
            ) from exc
    if isinstance(setting, BytecodeCacheProtocol):
        return setting
    raise TypeError(
        f"bytecode_cache must be a cache object, a registered cache name, None or False, "
        f"not {type(setting).__name__}"
    )


def _automatic(loader: Loader | None) -> BytecodeCacheProtocol | None:
    if not isinstance(loader, SearchPathLoader) or not loader.search_paths:
        return None
    # Only when the first path was configured absolute (a
    # relative path would put caches wherever the process happens to run).
    configured = getattr(loader, "configured_paths", None) or loader.search_paths
    if not Path(configured[0]).is_absolute():
        return None
    first = Path(loader.search_paths[0])
    try:
        factory = plugins.BYTECODE_CACHES.factory("filesystem")
    except plugins.PluginConflictError:
        raise
    except LookupError:
        return None
    return factory(first / "__pycache__" / "kida")


class BytecodeStore:
    """An Environment's link to its bytecode cache, resolved on first use.

    Nothing here can make a render fail: a cache that raises is logged and
    treated as a miss (reads) or ignored (writes).
    """

    def __init__(self, setting: object) -> None:
        self._setting = setting
        self._cache: BytecodeCacheProtocol | None = None
        self._resolved = False
        self._lock = threading.Lock()
        # Hashes of recently warned unnamed sources; bounded, so a program that
        # compiles ever new sources keeps constant memory (an evicted source
        # warns again).
        self._warned: LRUCache[bool] = LRUCache(UNNAMED_WARNING_MEMORY)

    def cache(
        self, loader: Loader | None, guard: RuntimeGuard | None
    ) -> BytecodeCacheProtocol | None:
        """The cache in use (None when caching is off).

        An Environment running templates under a ``guard`` is never given the
        automatic cache.
        """
        if not self._resolved:
            with self._lock:
                if not self._resolved:
                    self._cache = resolve(self._setting, loader, automatic=guard is None)
                    self._resolved = True
        return self._cache

    def load(
        self, cache: BytecodeCacheProtocol, name: str, source_hash: str, context_hash: str
    ) -> tuple[CodeType, Any, list[Any] | None] | None:
        """A cached ``(code, ast, precomputed)``, or None on a miss."""
        try:
            code, tree, precomputed = cache.get(name, source_hash, context_hash=context_hash)
        except Exception:  # a third-party cache must not break rendering
            debug(_LOGGER, "bytecode cache read failed for %r", name)
            return None
        return None if code is None else (code, tree, precomputed)

    def save(
        self,
        cache: BytecodeCacheProtocol,
        name: str,
        source_hash: str,
        context_hash: str,
        template: Template,
    ) -> None:
        """Store a freshly compiled template (best effort)."""
        try:
            cache.set(
                name,
                source_hash,
                template._code,
                context_hash=context_hash,
                ast=_blob(template._optimized_ast),
                precomputed=list(template._precomputed) or None,
            )
        except Exception:
            debug(_LOGGER, "bytecode cache write failed for %r", name)

    def warn_unnamed(self, source: str) -> None:
        """One UserWarning per distinct source compiled without a name.

        Remembers the last ``UNNAMED_WARNING_MEMORY`` sources warned about.
        """
        key = hash_source(source)
        with self._lock:
            if self._warned.get(key):
                return
            self._warned.set(key, True)
        warnings.warn(
            "from_string() without name= bypasses the bytecode cache; pass a stable name "
            "to cache the compiled template",
            UserWarning,
            stacklevel=4,
        )

    def clear(self) -> int:
        """Remove every cached file (0 when no cache is configured or resolved)."""
        return self._cache.clear() if self._cache is not None else 0

    def stats(self) -> dict[str, int] | None:
        """The cache's statistics, or None without a cache."""
        return self._cache.stats() if self._cache is not None else None


def _blob(tree: object) -> object:
    """What the cache stores for the AST: a :class:`TreeBlob` (unpickled lazily)."""
    if tree is None or isinstance(tree, TreeBlob):
        return tree
    return TreeBlob.of(tree)  # type: ignore[arg-type]
