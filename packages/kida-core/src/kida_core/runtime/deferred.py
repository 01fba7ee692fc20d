"""Generated functions compiled on first use: a template's deferred parts.

A template compiled without a bytecode cache gets only its buffered functions
(``render``, the blocks' ``render``); its stream functions (``render_stream``,
the blocks' streams), async-stream functions and setup (``_globals_setup``)
form deferred parts, each compiled the first time one of its functions is
called. Each part is compiled once per template, under the template's lock,
and executed in a copy of the template's namespace (its own precomputed
values and name table), so its functions behave as if they had been compiled
with the others.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kida_core.runtime.namespace import bind_missing, bind_parameters, code_names

if TYPE_CHECKING:
    from kida_core.runtime.services import RuntimeServices

#: Compiles one deferred part: its code and precomputed values.
CompilePart = Callable[[str], tuple[types.CodeType, list[Any]]]


class DeferredParts:
    """The deferred parts of one template, compiled when first used."""

    __slots__ = ("_compile", "_lock", "_namespace", "_parts", "_services")

    def __init__(
        self, compile_part: CompilePart, namespace: dict[str, Any], services: RuntimeServices
    ) -> None:
        self._compile = compile_part
        self._namespace = namespace
        self._services = services
        self._parts: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def stand_in(self, part: str, name: str) -> DeferredFunction:
        """A callable standing for function ``name`` of ``part`` (compiled when first called)."""
        return DeferredFunction(self, part, name)

    def function(self, part: str, name: str) -> Callable[..., Any]:
        """Generated function ``name`` of ``part``, compiling the part first if needed."""
        namespace = self._parts.get(part)
        if namespace is None:
            with self._lock:
                namespace = self._parts.get(part)
                if namespace is None:
                    namespace = self._load(part)
                    self._parts[part] = namespace  # published complete, never changed again
        return namespace[name]  # type: ignore[no-any-return]

    def _load(self, part: str) -> dict[str, Any]:
        """Compile ``part`` and run it in a copy of the template's namespace."""
        code, precomputed = self._compile(part)
        namespace = dict(self._namespace)
        scan = code_names(code)
        bind_missing(namespace, self._services, scan)
        for index, value in enumerate(precomputed):
            namespace[f"_pc_{index}"] = value
        exec(code, namespace)
        bind_parameters(scan, namespace)
        return namespace


class DeferredFunction:
    """Stands for a generated function of a deferred part; calling it calls the function."""

    __slots__ = ("_function", "_name", "_part", "_parts")

    def __init__(self, parts: DeferredParts, part: str, name: str) -> None:
        self._parts = parts
        self._part = part
        self._name = name
        # Set once, to the same function by every thread that finds it unset.
        self._function: Callable[..., Any] | None = None

    def __call__(self, ctx: Any, blocks: Any = None) -> Any:
        return self.compiled()(ctx, blocks)

    def compiled(self) -> Callable[..., Any]:
        """The generated function itself, compiling its part first if needed."""
        function = self._function
        if function is None:
            function = self._function = self._parts.function(self._part, self._name)
        return function

    def __repr__(self) -> str:
        return f"<deferred {self._name}>"
