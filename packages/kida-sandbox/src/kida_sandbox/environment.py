"""``SandboxedEnvironment``: an Environment whose templates run under a :class:`SandboxPolicy`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kida_core.environment import Environment
from kida_sandbox.filters import sandboxed_filters, sandboxed_tests
from kida_sandbox.globals import guarded_globals
from kida_sandbox.guard import SandboxGuard
from kida_sandbox.policy import DEFAULT_POLICY, SandboxPolicy

__all__ = ["SandboxedEnvironment"]

#: Built-in filters that call ``value.items()`` whatever the value is.
_ITEMS_FILTERS = ("dictsort", "items", "xmlattr")


def _reading_items(guard: SandboxGuard, filter: Callable[..., Any]) -> Callable[..., Any]:
    """``filter`` after checking ``value.items`` as the template's own lookup would be:
    the filter calls it, so a class or module must not have its ``items`` called."""

    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if type(value) is not dict:  # a dict lookup would read the key "items"
            guard.getattr(value, "items")
        return filter(value, *args, **kwargs)

    checked.__name__ = checked.__qualname__ = getattr(filter, "__name__", "filter")
    checked.__doc__ = filter.__doc__
    return checked


@dataclass
class SandboxedEnvironment(Environment):
    """An :class:`~kida_core.environment.Environment` for untrusted template source.

    Templates compile with guard hooks, so every attribute and item access, call,
    ``*``/``**``/``%``, ``~``/``+``, range, loop and string format is checked
    against ``sandbox_policy`` at render time (``None``: ``DEFAULT_POLICY``).
    The ``range`` global is bounded, ``map``/``filter``/``sorted``/``min``/``max``
    call through the call policy, the formatting/allocating filters are replaced
    by checking versions, and :meth:`getattr`/:meth:`getitem` (used by filters
    such as ``attr``, ``map``, ``sort`` and ``groupby``) are guarded.
    """

    sandbox_policy: SandboxPolicy | None = None

    def __post_init__(self) -> None:
        if self.runtime_guard is not None:
            raise ValueError(
                "SandboxedEnvironment installs its own runtime guard; pass a "
                "sandbox_policy, or use Environment(runtime_guard=...) for another guard"
            )
        super().__post_init__()
        if self.sandbox_policy is None:
            self.sandbox_policy = DEFAULT_POLICY
        guard = SandboxGuard(self, self.sandbox_policy)
        self._guard = guard
        self.runtime_guard = guard
        self.globals["range"] = guard.range
        self.globals.update(guarded_globals(guard))
        self.globals.update(sum=guard.sum, str=guard.text)
        self.filters.update(sandboxed_filters(guard))
        for name in _ITEMS_FILTERS:
            self.filters[name] = _reading_items(guard, self.filters[name])
        self.tests.update(sandboxed_tests(guard))

    def overlay(self, **options: Any) -> SandboxedEnvironment:
        """A linked SandboxedEnvironment under the same policy (see ``Environment.overlay``).

        It installs its own guard for that policy; ``sandbox_policy`` and
        ``runtime_guard`` cannot change in an overlay (the shared, guarded
        filters and globals check against this one's policy).
        """
        for option in ("sandbox_policy", "runtime_guard"):
            if option in options:
                raise ValueError(
                    f"{option} cannot change in an overlay of a SandboxedEnvironment; "
                    "create a new SandboxedEnvironment for another policy"
                )
        overlay = super().overlay(runtime_guard=None, **options)
        assert isinstance(overlay, SandboxedEnvironment)
        return overlay

    @property
    def guard(self) -> SandboxGuard:
        """The runtime guard enforcing this environment's policy."""
        return self._guard

    def getattr(self, obj: Any, name: str) -> Any:
        """``obj.name`` under the sandbox policy (template semantics otherwise)."""
        if self.strict_undefined:
            return self._guard.getattr_strict(obj, name)
        return self._guard.getattr(obj, name)

    def getitem(self, obj: Any, key: Any) -> Any:
        """``obj[key]`` under the sandbox policy (template semantics otherwise)."""
        if self.strict_undefined:
            return self._guard.getitem_strict(obj, key)
        return self._guard.getitem(obj, key)
