"""Interfaces through which the opt-in packages plug into the core.

Each protocol is structural and runtime-checkable: a class satisfies it by
having the right methods, without inheriting from anything in Kida. The
providers shipped with Kida live in ``kida-loaders``, ``kida-cache``,
``kida-analysis`` and ``kida-sandbox``; third-party ones are found through the
entry-point groups handled by :mod:`kida_core.plugins`.
"""

from __future__ import annotations

import builtins
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import AsyncIterable, Callable, Iterable

    from kida_core.metadata import (
        AnalysisConfig,
        DefMetadata,
        TemplateMetadata,
        TemplateStructureManifest,
    )
    from kida_core.nodes import TemplateNode

ASTResolver: TypeAlias = "Callable[[str, str | None], TemplateNode | None]"
"""``resolve(name, caller)``: the AST of another template, or None."""


class AnalysisContext(NamedTuple):
    """What the Environment tells the analyzer about the names templates use."""

    pure_filters: frozenset[str] = frozenset()
    pure_globals: frozenset[str] = frozenset()
    global_names: frozenset[str] = frozenset()
    config: AnalysisConfig | None = None


__all__ = [
    "ASTResolver",
    "AnalysisContext",
    "BytecodeCacheProtocol",
    "CacheEntry",
    "ChangeDetectingLoader",
    "Loader",
    "RuntimeGuard",
    "RuntimeGuardHooks",
    "SearchPathLoader",
    "TemplateAnalyzer",
]

CacheEntry: TypeAlias = (
    "tuple[CodeType, TemplateNode | None, list[Any] | None] | tuple[None, None, None]"
)
"""What :meth:`BytecodeCacheProtocol.get` returns: ``(code, ast, precomputed)`` or a miss."""


@runtime_checkable
class Loader(Protocol):
    """Provides template sources by name."""

    def get_source(self, name: str) -> tuple[str, str | None]:
        """Return ``(source, filename)``; raise ``TemplateNotFoundError`` when absent.

        ``filename`` is what error messages show (``None`` when there is none).
        """
        ...

    def list_templates(self) -> list[str]:
        """Return the names this loader can load (may be empty when unknown)."""
        ...


@runtime_checkable
class ChangeDetectingLoader(Loader, Protocol):
    """A loader that can tell cheaply whether a source changed.

    ``Environment(auto_reload=True)`` calls :meth:`source_version` on every
    ``get_template`` of a cached template and recompiles when the token
    differs from the one taken when the template was loaded. Loaders without
    this method have their templates cached until the cache is cleared.
    """

    def source_version(self, name: str) -> object:
        """A cheap token that changes whenever the source of ``name`` changes.

        For files this is a ``stat`` result (never a re-read). Return ``None``
        when changes cannot be detected; raise ``TemplateNotFoundError`` when
        the template no longer exists.
        """
        ...


@runtime_checkable
class SearchPathLoader(Loader, Protocol):
    """A loader reading from directories.

    The search paths let the Environment enable the bytecode cache
    automatically and list where it looked in "not found" messages.
    """

    @property
    def search_paths(self) -> tuple[Path, ...]:
        """Directories searched in order."""
        ...


@runtime_checkable
class BytecodeCacheProtocol(Protocol):
    """Persistent store of compiled template code.

    Providers also expose a module-level ``hash_source(source) -> str`` that
    yields the ``source_hash`` keys (SHA-256 hex of the UTF-8 source).
    """

    def get(self, name: str, source_hash: str, *, context_hash: str | None = None) -> CacheEntry:
        """Return ``(code, ast, precomputed)`` on a hit, ``(None, None, None)`` on a miss."""
        ...

    def set(
        self,
        name: str,
        source_hash: str,
        code: CodeType,
        *,
        context_hash: str | None = None,
        ast: object | None = None,
        precomputed: list[Any] | None = None,
    ) -> None:
        """Store a compiled template; failures are swallowed (the cache is best-effort)."""
        ...

    def clear(self, current_version_only: bool = False) -> int:
        """Delete cached entries (only the running Python's when asked); return the count."""
        ...

    def cleanup(self, max_age_days: int = 30) -> int:
        """Delete entries not modified for ``max_age_days``; return the count."""
        ...

    def stats(self) -> dict[str, int]:
        """Return ``{"file_count": n, "total_bytes": b}``."""
        ...


@runtime_checkable
class TemplateAnalyzer(Protocol):
    """Static analysis behind the Template introspection methods.

    ``resolve(name, caller)`` returns the preserved AST of another template
    (for includes, imports and the extends chain) or None when it cannot be
    loaded; ``context`` carries what the Environment knows (pure filters and
    globals, page/site prefixes).
    """

    def analyze(
        self,
        template_ast: TemplateNode,
        name: str | None,
        *,
        resolve: ASTResolver | None = None,
        context: AnalysisContext | None = None,
    ) -> TemplateMetadata:
        """Return the metadata of a whole template (blocks and top level)."""
        ...

    def def_metadata(self, template_ast: TemplateNode, name: str | None) -> dict[str, DefMetadata]:
        """Return the signature, slots and dependencies of every top-level def."""
        ...

    def structure(
        self,
        template_ast: TemplateNode,
        name: str | None,
        *,
        resolve: ASTResolver | None = None,
    ) -> TemplateStructureManifest:
        """Return the lightweight structure manifest of a template."""
        ...


@runtime_checkable
class RuntimeGuard(Protocol):
    """Render-time checks for templates whose authors are not trusted (the sandbox is one).

    Install one with ``Environment(runtime_guard=...)``. Templates then compile with
    hooks: every attribute and item lookup, call, ``*``/``**``/``%``, loop iterable and
    ``while`` loop goes through a runtime helper, and each method of
    :class:`RuntimeGuardHooks` the guard has replaces the core helper behind it.
    Only the two properties below are required; a guard implements the hooks it needs
    and core keeps its own implementation for the others.
    """

    @property
    def max_output_size(self) -> int | None:
        """Maximum number of characters a render, and any buffer in it, may hold; or ``None``.

        When set, templates count output as it is appended to every buffer
        (captures, def and slot bodies, cache bodies, blocks), not only at the end.
        """
        ...

    @property
    def redact_errors(self) -> bool:
        """Whether ``{% fallback err %}`` binds a short message instead of the full report.

        The full report quotes template source and names files; when template
        authors are untrusted it is logged (``kida_core.errors``) and passed to
        ``Environment.on_error`` instead.
        """
        ...


class RuntimeGuardHooks(Protocol):
    """The optional methods of a :class:`RuntimeGuard`, each replacing a core helper.

    A hook runs on every operation it covers, so keep it cheap on common values.
    Lookups return what they find; the core's versions live in
    :mod:`kida_core.runtime.lookup` for a guard that checks and then delegates.
    """

    def getattr(self, obj: Any, name: str, /) -> Any:
        """``obj.name`` with template semantics (a dict's key first); UNDEFINED on a miss.

        Used for ``obj.name`` unless ``strict_undefined``, and for ``obj?.name`` and
        ``is defined`` tests always.
        """
        ...

    def getattr_strict(self, obj: Any, name: str, /) -> Any:
        """``obj.name`` raising ``UndefinedError`` on a miss (``strict_undefined``).

        Without it, core raises when :meth:`getattr` gives UNDEFINED.
        """
        ...

    def getitem(self, obj: Any, key: Any, /) -> Any:
        """``obj[key]`` (a string key falls back to the attribute); UNDEFINED on a miss."""
        ...

    def getitem_strict(self, obj: Any, key: Any, /) -> Any:
        """``obj[key]`` raising on a miss; without it core uses :meth:`getitem` and raises."""
        ...

    def call(self, func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """``func(*args, **kwargs)``: every call in a template, and regions rendered as blocks.

        Kida's own callables (template defs, ``caller()``) are marked, see
        :func:`kida_core.runtime.trust.is_trusted`.
        """
        ...

    def mul(self, left: Any, right: Any, /) -> Any:
        """``left * right``."""
        ...

    def pow(self, base: Any, exponent: Any, /) -> Any:
        """``base ** exponent``."""
        ...

    def mod(self, left: Any, right: Any, /) -> Any:
        """``left % right`` (also %-formatting)."""
        ...

    def add(self, left: Any, right: Any, /) -> Any:
        """``left + right`` (core's falls back to concatenation when one side is text)."""
        ...

    def concat(self, *parts: Any) -> str:
        """``a ~ b ~ ...``: the parts as text, joined."""
        ...

    def range(self, start: int, stop: int, step: int, /) -> builtins.range:
        """The range of an ``a..b`` / ``a...b`` literal (``by step``)."""
        ...

    def iterate(self, iterable: Any, /) -> Iterable[Any]:
        """The iterable of a ``for`` loop or comprehension, as the loop will consume it."""
        ...

    def aiterate(self, iterable: Any, /) -> AsyncIterable[Any]:
        """The iterable of an ``async for`` loop."""
        ...

    def loop_budget(self) -> Iterable[object]:
        """One item per ``while`` iteration allowed: the loop stops when it is exhausted.

        A recursive ``for`` loop takes one budget for all its levels, one item per item.
        """
        ...

    def check_output(self, value: Any, /) -> object:
        """Called before a ``{{ value }}`` that is not text, a number, a bool, None or
        Markup is converted to text (raise to refuse it)."""
        ...

    def patch_namespace(self, namespace: dict[str, Any], /) -> None:
        """Edit a template's namespace after core installed the other hooks.

        The interface of guards written for the original engine: they swap the
        generated code's helpers (``_K_getattr``, ``_K_call``, ...) in place.
        Prefer the named hooks, which the helper table keeps in step with the
        generated code.
        """
        ...
