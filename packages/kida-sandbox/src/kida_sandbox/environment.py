"""``SandboxedEnvironment``: an Environment whose templates run under a :class:`SandboxPolicy`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kida_core.environment import Environment
from kida_sandbox.filters import sandboxed_filters, sandboxed_tests
from kida_sandbox.globals import guarded_globals
from kida_sandbox.guard import SandboxGuard
from kida_sandbox.policy import SandboxPolicy

__all__ = ["SandboxedEnvironment"]


@dataclass
class SandboxedEnvironment(Environment):
    """An :class:`~kida_core.environment.Environment` for untrusted template source.

    Templates compile with guard hooks, so every attribute and item access, call,
    ``*``/``**``/``%``, ``~``/``+``, range, loop and string format is checked
    against ``sandbox_policy`` at render time (``None`` = the default policy).
    The ``range`` global is bounded, ``map``/``filter``/``sorted``/``min``/``max``
    call through the call policy, the formatting/allocating filters are replaced
    by checking versions, and :meth:`getattr`/:meth:`getitem` (used by filters
    such as ``attr``, ``map``, ``sort`` and ``groupby``) are guarded.
    """

    sandbox_policy: SandboxPolicy | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.sandbox_policy is None:
            self.sandbox_policy = SandboxPolicy()
        guard = SandboxGuard(self, self.sandbox_policy)
        self._guard = guard
        self._runtime_guard = guard
        self.globals["range"] = guard.range
        self.globals.update(guarded_globals(guard))
        self.globals.update(sum=guard.sum, str=guard.text)
        self.filters.update(sandboxed_filters(guard))
        self.tests.update(sandboxed_tests(guard))

    @property
    def guard(self) -> SandboxGuard:
        """The runtime guard enforcing this environment's policy."""
        return self._guard

    def getattr(self, obj: Any, name: str) -> Any:
        """``obj.name`` under the sandbox policy (template semantics otherwise)."""
        if self.strict_undefined:
            return self._guard.getattr_strict(obj, name)
        return self._guard.getattr_lenient(obj, name)

    def getitem(self, obj: Any, key: Any) -> Any:
        """``obj[key]`` under the sandbox policy (template semantics otherwise)."""
        if self.strict_undefined:
            return self._guard.getitem_strict(obj, key)
        return self._guard.getitem_lenient(obj, key)
