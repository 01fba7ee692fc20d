"""Discovery of the providers that plug into the core.

Providers are published as entry points in three groups:

========================  ==================  ==========================
group                     shipped by          example
========================  ==================  ==========================
``kida.loaders``          ``kida-loaders``    ``filesystem``, ``dict``
``kida.bytecode_caches``  ``kida-cache``      ``filesystem``
``kida.analysis``         ``kida-analysis``   ``default``
========================  ==================  ==========================

Entry points are scanned once per process per group and each is loaded on
first use. :func:`register` installs an object explicitly; it wins over an
entry point of the same name. All functions are safe to call from several
threads.

The typed accessors :data:`LOADERS`, :data:`BYTECODE_CACHES` and
:data:`ANALYZERS` create providers and check them against the group's protocol,
so callers get a ``Loader``/``BytecodeCacheProtocol``/``TemplateAnalyzer`` or a
clear error naming the plugin. Two installed distributions declaring the same
name in one group are reported (:class:`PluginConflictError`) instead of one
silently winning; a plugin whose import fails is reported with its entry point
and distribution (:class:`PluginLoadError`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from kida_core.protocols import BytecodeCacheProtocol, Loader, TemplateAnalyzer

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = [
    "ANALYZERS",
    "BYTECODE_CACHES",
    "GROUPS",
    "LOADERS",
    "PluginConflictError",
    "PluginGroup",
    "PluginLoadError",
    "PluginProtocolError",
    "available",
    "get_plugin",
    "register",
    "unregister",
]

GROUPS: dict[str, str] = {
    "kida.loaders": "kida-loaders",
    "kida.bytecode_caches": "kida-cache",
    "kida.analysis": "kida-analysis",
}
"""Entry-point group → the distribution that ships Kida's own providers."""


class PluginConflictError(LookupError):
    """Two installed distributions declare the same provider name in one group."""


class PluginLoadError(ImportError):
    """Importing a provider's entry point failed; names the entry point and distribution."""


class PluginProtocolError(TypeError):
    """A provider does not implement the protocol of its group."""


_lock = threading.Lock()
_entry_points: dict[str, dict[str, EntryPoint]] = {}
#: group → name → the distinct entry points declaring it (only names declared twice).
_conflicts: dict[str, dict[str, list[EntryPoint]]] = {}
_loaded: dict[str, dict[str, object]] = {group: {} for group in GROUPS}
_registered: dict[str, dict[str, object]] = {group: {} for group in GROUPS}


def _check_group(group: str) -> None:
    if group not in GROUPS:
        known = ", ".join(sorted(GROUPS))
        raise ValueError(f"Unknown Kida plugin group {group!r}; known groups: {known}")


def _distribution(entry_point: EntryPoint) -> str:
    dist = getattr(entry_point, "dist", None)
    return dist.name if dist is not None else "an unknown distribution"


def _discovered(group: str) -> dict[str, EntryPoint]:
    """Return the group's entry points by name, scanning installed metadata once.

    A name declared by two different entry points is recorded as a conflict
    (the same target found twice on ``sys.path`` is not one).
    """
    with _lock:
        found = _entry_points.get(group)
        if found is None:
            from importlib.metadata import entry_points  # deferred: slow to import

            found = {}
            conflicts: dict[str, list[EntryPoint]] = {}
            for ep in entry_points(group=group):
                first = found.setdefault(ep.name, ep)
                if first.value != ep.value:
                    clashing = conflicts.setdefault(ep.name, [first])
                    if all(other.value != ep.value for other in clashing):
                        clashing.append(ep)
            _entry_points[group] = found
            _conflicts[group] = conflicts
        return found


def _conflict(group: str, name: str) -> PluginConflictError | None:
    clashing = _conflicts.get(group, {}).get(name)
    if not clashing:
        return None
    sources = "; ".join(f"{ep.value!r} from {_distribution(ep)}" for ep in clashing)
    return PluginConflictError(
        f"Kida plugin {name!r} in entry-point group {group!r} is declared by more than one "
        f"installed distribution ({sources}). Uninstall one, or choose explicitly with "
        f"kida_core.plugins.register({group!r}, {name!r}, obj)."
    )


def _load(group: str, entry_point: EntryPoint) -> object:
    """Load an entry point once; the import runs outside the lock (it may use plugins)."""
    with _lock:
        if entry_point.name in _loaded[group]:
            return _loaded[group][entry_point.name]
    try:
        obj = entry_point.load()
    except Exception as exc:
        raise PluginLoadError(
            f"Kida plugin {entry_point.name!r} (entry point {entry_point.value!r} in group "
            f"{group!r}, from {_distribution(entry_point)}) failed to import: "
            f"{type(exc).__name__}: {exc}",
            name=entry_point.value.partition(":")[0],
        ) from exc
    with _lock:
        return _loaded[group].setdefault(entry_point.name, obj)


def register(group: str, name: str, obj: object) -> None:
    """Install ``obj`` as provider ``name`` of ``group``, overriding any entry point."""
    _check_group(group)
    with _lock:
        _registered[group] = {**_registered[group], name: obj}


def unregister(group: str, name: str) -> None:
    """Remove an explicit registration; entry points of that name become visible again."""
    _check_group(group)
    with _lock:
        _registered[group] = {k: v for k, v in _registered[group].items() if k != name}


def get_plugin(group: str, name: str) -> object:
    """Return provider ``name`` of ``group`` as registered (untyped; see :class:`PluginGroup`).

    Raises ``LookupError`` naming the group, the known providers and the
    package to install when there is no such provider, and
    :class:`PluginConflictError` when two distributions declare ``name``.
    """
    _check_group(group)
    registered = _registered[group]
    if name in registered:
        return registered[name]
    discovered = _discovered(group)
    conflict = _conflict(group, name)
    if conflict is not None:
        raise conflict
    if name in discovered:
        return _load(group, discovered[name])
    known = ", ".join(sorted({*registered, *discovered})) or "none"
    from kida_core.errors.codes import DOCS_URL  # only on this error path

    raise LookupError(
        f"No Kida plugin {name!r} in entry-point group {group!r} (known: {known}). "
        f"Install the package that provides it, e.g. the {GROUPS[group]} distribution "
        f"({DOCS_URL}installation/), "
        f"or call kida_core.plugins.register({group!r}, {name!r}, obj)."
    )


def available(group: str) -> dict[str, object]:
    """Return every provider of ``group`` by name (loading entry points as needed).

    Raises :class:`PluginConflictError` when a name is declared twice and not
    chosen explicitly with :func:`register`.
    """
    _check_group(group)
    registered = _registered[group]
    discovered = _discovered(group)
    for name in _conflicts.get(group, {}):
        conflict = _conflict(group, name)
        if conflict is not None and name not in registered:
            raise conflict
    providers = {
        name: _load(group, ep) for name, ep in discovered.items() if name not in registered
    }
    providers.update(registered)
    return dict(sorted(providers.items()))


P = TypeVar("P")


def _protocol_members(protocol: type) -> list[str]:
    """The public methods and properties a protocol class declares (its bases' included)."""
    skip = {object, Protocol, Generic}
    return sorted(
        {
            attr
            for base in protocol.__mro__
            if base not in skip
            for attr in vars(base)
            if not attr.startswith("_")
        }
    )


class PluginGroup(Generic[P]):
    """Typed access to one entry-point group: providers are checked against ``protocol``.

    A provider is a class implementing the protocol (instantiated with the
    arguments given to :meth:`create`), an object already implementing it
    (returned as is when no arguments are given), or a factory function whose
    result is checked.
    """

    def __init__(self, group: str, protocol: type[Any]) -> None:
        # ``type[Any]``: protocol classes are abstract, which ``type[P]`` would refuse.
        _check_group(group)
        self.group = group
        self.protocol = protocol

    def _missing(self, obj: object) -> list[str]:
        return [attr for attr in _protocol_members(self.protocol) if not hasattr(obj, attr)]

    def _reject(self, name: str, obj: object) -> PluginProtocolError:
        missing = ", ".join(self._missing(obj)) or "(its checks fail)"
        return PluginProtocolError(
            f"Kida plugin {name!r} in entry-point group {self.group!r} is not a "
            f"{self.protocol.__name__}: {obj!r} lacks {missing}"
        )

    def _check(self, name: str, obj: object) -> P:
        if not isinstance(obj, self.protocol):
            raise self._reject(name, obj)
        return obj  # type: ignore[no-any-return]

    def factory(self, name: str) -> Callable[..., P]:
        """A callable creating provider ``name``; a class is checked before it is returned."""
        provider = get_plugin(self.group, name)
        if isinstance(provider, type):
            if self._missing(provider):
                raise self._reject(name, provider)
        elif isinstance(provider, self.protocol):
            instance: P = provider

            def existing() -> P:
                return instance

            return existing
        elif not callable(provider):
            raise self._reject(name, provider)
        maker: Callable[..., object] = provider

        def create(*args: Any, **kwargs: Any) -> P:
            return self._check(name, maker(*args, **kwargs))

        return create

    def create(self, name: str, *args: Any, **kwargs: Any) -> P:
        """Provider ``name``, created with ``args``/``kwargs`` and checked."""
        return self.factory(name)(*args, **kwargs)


LOADERS: PluginGroup[Loader] = PluginGroup("kida.loaders", Loader)
"""Template loaders (``Loader``), e.g. ``LOADERS.create("filesystem", "templates/")``."""

BYTECODE_CACHES: PluginGroup[BytecodeCacheProtocol] = PluginGroup(
    "kida.bytecode_caches", BytecodeCacheProtocol
)
"""Bytecode caches (``BytecodeCacheProtocol``)."""

ANALYZERS: PluginGroup[TemplateAnalyzer] = PluginGroup("kida.analysis", TemplateAnalyzer)
"""Template analyzers (``TemplateAnalyzer``) behind the introspection methods."""
