"""``RuntimeServices``: everything compiled templates use from their Environment.

The Environment builds one value its Templates share while its settings stay; the template's
namespace, its :class:`~kida_core.runtime.composition.Composer`, fragment cache
and error boundaries read it instead of the Environment. The value holds the
Environment strongly, so a template keeps it alive while it can still render
(the ``Environment -> cache -> Template -> Environment`` cycle is left to the
garbage collector).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from kida_core.errors import ErrorCode, TemplateRuntimeError
from kida_core.settings import Limits

if TYPE_CHECKING:
    from kida_core.lru import LRUCache
    from kida_core.protocols import RuntimeGuard
    from kida_core.template import Template


class StrongRef:
    """A callable returning the object it holds, shaped like ``weakref.ref``."""

    __slots__ = ("_target",)

    def __init__(self, target: object) -> None:
        self._target = target

    def __call__(self) -> Any:
        """The held object (never None)."""
        return self._target


class TemplateSource(Protocol):
    """What the runtime needs of an Environment: loading templates by name."""

    def get_template(self, name: str, *, caller: tuple[str | None, int]) -> Template:
        """The template ``name``, requested by ``caller`` (template, line)."""
        ...

    def is_current(self, *templates: Template) -> bool:
        """Whether ``get_template`` would return each of ``templates`` for its name now."""
        ...


class RuntimeServices(NamedTuple):
    """The registries, caches, limits and hooks of one Environment, for its templates."""

    #: Returns the Environment: ``@pass_environment`` callables are bound to it
    #: and ``load`` goes through it. The Environment passes a :class:`StrongRef`;
    #: a ``weakref.ref`` detaches the services, which then answer None once the
    #: Environment is collected.
    environment_ref: Callable[[], Any]
    filters: Mapping[str, Callable[..., Any]]
    tests: Mapping[str, Callable[..., Any]]
    globals: Mapping[str, Any]
    #: ``{% cache %}`` storage shared by the Environment's templates: ``(expiry, text)``.
    fragments: LRUCache[tuple[float, str]]
    limits: Limits
    #: Render-time checks (a sandbox), or None.
    guard: RuntimeGuard | None = None
    profiling: bool = False
    strict_undefined: bool = True
    #: Called with every error a ``{% try %}`` boundary catches.
    on_error: Callable[[BaseException], None] | None = None
    #: Applied to every ``{{ }}`` value before it is converted (the Environment's ``finalize``).
    finalize: Callable[..., Any] | None = None

    def environment(self, template_name: str | None) -> TemplateSource:
        """The Environment; K-RUN-014 naming ``template_name`` once a detached one is gone."""
        env = self.environment_ref()
        if env is None:
            raise TemplateRuntimeError(
                f"Template {template_name or '<string>'!r} needs its Environment to load other "
                "templates, but it was detached and garbage collected",
                suggestion="Keep the Environment alive while its templates render.",
                code=ErrorCode.ENV_GARBAGE_COLLECTED,
            )
        return env  # type: ignore[no-any-return]

    def load(self, name: str, caller: tuple[str | None, int]) -> Template:
        """Template ``name`` requested by ``caller`` (template, line)."""
        return self.environment(caller[0]).get_template(name, caller=caller)
