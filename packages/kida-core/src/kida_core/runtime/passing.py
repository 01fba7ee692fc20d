"""What ``@pass_context``, ``@pass_eval_context`` and ``@pass_environment`` functions receive.

Filters and tests marked with the first two are called with an extra first
argument the compiler emits (``_context(ctx)``, ``_eval_context(autoescape)``);
globals and the ``finalize`` function are bound here, at render time, because
their values are only known then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

from kida_core.decorators import pass_arg
from kida_core.runtime.trust import trusted
from kida_core.undefined import UNDEFINED


class TemplateContext(Mapping[str, Any]):
    """The read-only context a ``@pass_context`` function receives.

    A mapping of the template's variables where the call stands (the render
    context, plus top-level assignments made so far) over the Environment's
    globals. ``environment`` and ``name`` say where it is rendering.
    """

    __slots__ = ("_globals", "_vars", "environment", "name")

    def __init__(
        self,
        variables: Mapping[str, Any],
        globals_: Mapping[str, Any],
        environment: Any,
        name: str | None,
    ) -> None:
        self._vars = variables
        self._globals = globals_
        #: The Environment rendering the template.
        self.environment = environment
        #: The template's name (None for ``from_string`` templates).
        self.name = name

    def __getitem__(self, key: str) -> Any:
        value = self._vars.get(key, UNDEFINED)
        if value is not UNDEFINED:
            return value
        return self._globals[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._vars
        for key in self._globals:
            if key not in self._vars:
                yield key

    def __len__(self) -> int:
        return len(self._vars) + sum(1 for key in self._globals if key not in self._vars)

    @property
    def vars(self) -> Mapping[str, Any]:
        """The template's variables without the globals (read-only)."""
        return MappingProxyType(dict(self._vars))

    @property
    def parent(self) -> Mapping[str, Any]:
        """The globals under the variables (read-only)."""
        return MappingProxyType(dict(self._globals))

    def get_all(self) -> dict[str, Any]:
        """A new dict of every name visible here (variables win over globals)."""
        return {**self._globals, **self._vars}

    def __repr__(self) -> str:
        return f"<TemplateContext {self.name or '<string>'!r}: {', '.join(sorted(self._vars))}>"


class EvalContext:
    """What a ``@pass_eval_context`` function receives: how output is treated there."""

    __slots__ = ("autoescape", "environment")

    def __init__(self, environment: Any, autoescape: bool) -> None:
        #: The Environment rendering the template.
        self.environment = environment
        #: Whether ``{{ }}`` output is HTML-escaped where the call stands.
        self.autoescape = autoescape

    def __repr__(self) -> str:
        return f"<EvalContext autoescape={self.autoescape}>"


def make_context(
    globals_: Mapping[str, Any], environment: Any, name: str | None
) -> Callable[[Mapping[str, Any]], TemplateContext]:
    """``context(ctx)``: the :class:`TemplateContext` over one function's ``ctx``."""

    def context(ctx: Mapping[str, Any]) -> TemplateContext:
        return TemplateContext(ctx, globals_, environment, name)

    return context


def make_eval_context(environment: Any) -> Callable[[bool], EvalContext]:
    """``eval_context(autoescape)``: the two evaluation contexts of one template."""
    contexts = (EvalContext(environment, False), EvalContext(environment, True))

    def eval_context(autoescape: bool) -> EvalContext:
        return contexts[autoescape]

    return eval_context


def _eval_context_of(environment: Any, name: str | None) -> EvalContext:
    """The evaluation context of template ``name`` as a whole (its autoescape setting)."""
    autoescape = environment.select_autoescape(name) if environment is not None else True
    return EvalContext(environment, autoescape)


def bind_first(
    func: Callable[..., Any],
    ctx: Mapping[str, Any],
    globals_: Mapping[str, Any],
    environment: Any,
    name: str | None,
) -> Callable[..., Any]:
    """``func`` with what its ``pass_*`` mark asks for bound as the first argument.

    The wrapper is trusted like the global it wraps: a runtime guard calls
    it (and so the global) without checking it again.
    """
    wanted = pass_arg(func)
    if wanted is None:
        return func
    first: Any
    if wanted == "context":
        first = TemplateContext(ctx, globals_, environment, name)
    elif wanted == "eval_context":
        first = _eval_context_of(environment, name)
    else:
        first = environment

    def bound(*args: Any, **kwargs: Any) -> Any:
        return func(first, *args, **kwargs)

    bound.__name__ = getattr(func, "__name__", "bound")
    bound.__qualname__ = getattr(func, "__qualname__", bound.__name__)
    return trusted(bound)


def make_global_lookup(
    registry: Mapping[str, Any], environment: Any, name: str | None
) -> Callable[[str, Mapping[str, Any]], Any]:
    """``lookup(name, ctx)``: the global ``name`` (``pass_*`` ones bound), or UNDEFINED."""
    get = registry.get

    def lookup_global(key: str, ctx: Mapping[str, Any]) -> Any:
        value = get(key, UNDEFINED)
        if value is UNDEFINED or not callable(value) or pass_arg(value) is None:
            return value
        return bind_first(value, ctx, registry, environment, name)

    return lookup_global


def make_finalize(
    finalize: Callable[..., Any] | None,
    registry: Mapping[str, Any],
    environment: Any,
    name: str | None,
) -> Callable[[Mapping[str, Any], Any], Any] | None:
    """``finalize(ctx, value)`` for the generated code, or None without a finalize function."""
    if finalize is None:
        return None
    wanted = pass_arg(finalize)
    if wanted is None:
        return lambda ctx, value: finalize(value)
    if wanted == "context":
        return lambda ctx, value: finalize(TemplateContext(ctx, registry, environment, name), value)
    first = _eval_context_of(environment, name) if wanted == "eval_context" else environment
    return lambda ctx, value: finalize(first, value)
