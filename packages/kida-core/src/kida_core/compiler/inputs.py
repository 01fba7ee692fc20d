"""What a compilation reads besides its :class:`~kida_core.settings.CompileOptions`.

The compiler never sees an ``Environment``: it takes the options plus one
:class:`CompileInputs` value, or any object implementing :class:`CompileSource`
(the Environment does) that supplies both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.compiler.call_validation import Resolve
from kida_core.filters import BUILTIN_PURE_FILTERS, DEFAULT_FILTERS

if TYPE_CHECKING:
    from kida_core.settings import CompileOptions


class TemplateLookups(Protocol):
    """The object ``@pass_environment`` filters receive when folded at compile time.

    Its ``getattr``/``getitem`` give attribute and item lookups their template
    semantics (an overriding one, such as a sandbox's, keeps its policy).
    """

    def getattr(self, obj: Any, name: str) -> Any:
        """``obj.name`` with template semantics."""
        ...

    def getitem(self, obj: Any, key: Any) -> Any:
        """``obj[key]`` with template semantics."""
        ...


@dataclass(frozen=True, slots=True)
class CompileInputs:
    """Registries and context a compilation reads (defaults: the built-ins, nothing else)."""

    filters: Mapping[str, Callable[..., Any]] = field(
        default_factory=lambda: MappingProxyType(DEFAULT_FILTERS)
    )
    tests: Mapping[str, Callable[..., Any]] = field(
        default_factory=lambda: MappingProxyType(DEFAULT_TESTS)
    )
    #: Filters that may run at compile time on static values.
    pure_filters: Collection[str] = BUILTIN_PURE_FILTERS
    #: Values known at compile time (partial evaluation folds them in).
    static_context: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: Finds the defs other templates export (used when ``validate_calls`` is on).
    resolve: Resolve | None = None
    #: Passed to ``@pass_environment`` filters folded at compile time; without
    #: one those filters stay runtime calls.
    environment: TemplateLookups | None = None
    #: Globals marked ``@pass_context``/``@pass_eval_context``: templates calling
    #: them keep their top-level assignments in the context those functions see.
    context_globals: frozenset[str] = frozenset()
    #: The Environment overrides ``getattr``/``getitem``: filters that look
    #: attributes up by name must call it, so they are never inlined.
    custom_lookups: bool = False


class CompileSource(Protocol):
    """Anything that configures compilations, such as an ``Environment``."""

    def compile_options(self, name: str | None) -> CompileOptions:
        """The options for compiling template ``name``."""
        ...

    def compile_inputs(self) -> CompileInputs:
        """The registries and static context compilations read."""
        ...
