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
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["GROUPS", "available", "get_plugin", "register", "unregister"]

GROUPS: dict[str, str] = {
    "kida.loaders": "kida-loaders",
    "kida.bytecode_caches": "kida-cache",
    "kida.analysis": "kida-analysis",
}
"""Entry-point group → the distribution that ships Kida's own providers."""

_lock = threading.Lock()
_entry_points: dict[str, dict[str, EntryPoint]] = {}
_loaded: dict[str, dict[str, object]] = {group: {} for group in GROUPS}
_registered: dict[str, dict[str, object]] = {group: {} for group in GROUPS}


def _check_group(group: str) -> None:
    if group not in GROUPS:
        known = ", ".join(sorted(GROUPS))
        raise ValueError(f"Unknown Kida plugin group {group!r}; known groups: {known}")


def _discovered(group: str) -> dict[str, EntryPoint]:
    """Return the group's entry points by name, scanning installed metadata once."""
    with _lock:
        found = _entry_points.get(group)
        if found is None:
            from importlib.metadata import entry_points  # deferred: slow to import

            found = {ep.name: ep for ep in entry_points(group=group)}
            _entry_points[group] = found
        return found


def _load(group: str, entry_point: EntryPoint) -> object:
    """Load an entry point once; the import runs outside the lock (it may use plugins)."""
    with _lock:
        if entry_point.name in _loaded[group]:
            return _loaded[group][entry_point.name]
    obj = entry_point.load()
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
    """Return provider ``name`` of ``group``.

    Raises ``LookupError`` naming the group, the known providers and the
    package to install when there is no such provider.
    """
    _check_group(group)
    registered = _registered[group]
    if name in registered:
        return registered[name]
    discovered = _discovered(group)
    if name in discovered:
        return _load(group, discovered[name])
    known = ", ".join(sorted({*registered, *discovered})) or "none"
    raise LookupError(
        f"No Kida plugin {name!r} in entry-point group {group!r} (known: {known}). "
        f"Install the package that provides it, e.g. `pip install {GROUPS[group]}`, "
        f"or call kida_core.plugins.register({group!r}, {name!r}, obj)."
    )


def available(group: str) -> dict[str, object]:
    """Return every provider of ``group`` by name (loading entry points as needed)."""
    _check_group(group)
    registered = _registered[group]
    providers = {
        name: _load(group, ep) for name, ep in _discovered(group).items() if name not in registered
    }
    providers.update(registered)
    return dict(sorted(providers.items()))
