"""The Environment's settings as small frozen groups.

``Environment`` keeps its flat keyword constructor; the layers below it receive
these values instead of the Environment itself:

* :class:`SyntaxSettings` — delimiters, whitespace control, newlines and line
  syntax (what the lexer needs);
* :class:`Limits` — nesting depths and fragment-cache sizes (what the runtime enforces);
* :class:`CompileOptions` — every setting that shapes generated code: the
  compiler's only configuration and what the bytecode-cache key hashes.

It sits at the bottom of the layers (only the lexer settings below it), so any layer may use it.
The groups are ``NamedTuple`` classes: immutable values whose classes cost a
fraction of a frozen dataclass to create, which matters on the cold-start path.
"""

from __future__ import annotations

from typing import NamedTuple

from kida_core.lexer_config import LexerConfig

#: Delimiters, whitespace, newline and line-syntax options (the lexer's configuration).
SyntaxSettings = LexerConfig

#: Default depth limits of nested ``{% extends %}`` and ``{% include %}``.
DEFAULT_MAX_EXTENDS_DEPTH = 50
DEFAULT_MAX_INCLUDE_DEPTH = 50


class Limits(NamedTuple):
    """How deep templates may nest and how much the fragment cache holds."""

    max_extends_depth: int = DEFAULT_MAX_EXTENDS_DEPTH
    max_include_depth: int = DEFAULT_MAX_INCLUDE_DEPTH
    #: Entries of the ``{% cache %}`` fragment cache.
    fragment_cache_size: int = 1000
    #: Total characters the fragment cache holds.
    fragment_cache_max_chars: int = 10_000_000
    #: Longest fragment stored (a negative value: no limit).
    fragment_cache_entry_max_chars: int = 1_000_000
    #: Seconds a fragment stays fresh when its tag gives no ttl.
    fragment_ttl: float = 300.0


class CompileOptions(NamedTuple):
    """Everything that shapes the code compiled for one template.

    Two compilations of the same source and static context with equal options
    produce equivalent code, so the bytecode cache keys entries by these fields.
    """

    #: Whether output is HTML-escaped (already resolved for the template's name).
    autoescape: bool = True
    strict_undefined: bool = True
    #: Merge adjacent output into f-strings.
    fstring_coalescing: bool = True
    #: Emit the profiling hooks (counted defs and filters, timed blocks).
    profiling: bool = False
    jinja2_compat_warnings: bool = True
    #: Keep the optimized Kida AST with the template (introspection).
    preserve_ast: bool = True
    #: Check ``{% def %}`` calls against their signatures at compile time.
    validate_calls: bool = False
    #: Qualified name of the runtime guard's class, or None for unguarded code.
    guard: str | None = None
    syntax: SyntaxSettings = SyntaxSettings()
    #: ``{{ }}`` values pass through the Environment's ``finalize`` function
    #: (a runtime service: only whether there is one shapes the code).
    finalize: bool = False
    #: ``Environment.optimize_translations`` while the identity gettext is installed:
    #: a ``{% trans %}`` without bindings or plural compiles to its message.
    optimize_translations: bool = False
    #: The ``ext.i18n.trusted`` policy: a translation without bindings is not escaped.
    i18n_trusted: bool = False
    #: The ``ext.i18n.implicit_variables`` policy: a ``{% trans %}`` body may use
    #: undeclared names, read from the context.
    i18n_implicit_variables: bool = False

    @property
    def guarded(self) -> bool:
        """True when the code must call the runtime guard's hooks."""
        return self.guard is not None
