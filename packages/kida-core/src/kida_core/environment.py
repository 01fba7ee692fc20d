"""``Environment``: configuration, registries, and the compile pipeline."""

from __future__ import annotations

import dataclasses
import operator
import sys
import threading
import warnings as _warnings
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import kida_core.i18n as i18n
import kida_core.introspection as introspection
from kida_core.builtin_tests import DEFAULT_TESTS
from kida_core.bytecode import BytecodeStore
from kida_core.codegen import ALL, PRIMARY
from kida_core.decorators import is_pure, pass_arg, wants_context
from kida_core.errors import (
    ErrorCode,
    TemplateError,
    TemplateNotFoundError,
    TemplatesNotFoundError,
    TemplateSyntaxError,
    UndefinedError,
)
from kida_core.expression import TemplateExpression
from kida_core.filters import (
    BUILTIN_PURE_FILTERS,
    DEFAULT_FILTERS,
    INLINABLE_FILTERS,
    inlinable_filters,
)
from kida_core.filters.policies import default_policies
from kida_core.keys import function_key, hash_source, options_hash
from kida_core.logs import debug
from kida_core.lru import LRUCache
from kida_core.names import resolve_template_name
from kida_core.protocols import BytecodeCacheProtocol, Loader, RuntimeGuard
from kida_core.registry import Registry
from kida_core.runtime import lookup
from kida_core.runtime.i18n import identity_gettext
from kida_core.runtime.services import RuntimeServices, StrongRef
from kida_core.settings import CompileOptions, Limits, SyntaxSettings
from kida_core.template import Template
from kida_core.template_globals import default_globals
from kida_core.template_store import Caller, TemplateStore
from kida_core.undefined import is_undefined

if TYPE_CHECKING:
    from kida_core.compiler.inputs import CompileInputs
    from kida_core.errors import TemplateWarning
    from kida_core.metadata import TemplateStructureManifest

F = TypeVar("F", bound=Callable[..., Any])
_LOGGER = "kida_core.environment"
Autoescape = bool | str | Callable[[str | None], bool]
_AUTOESCAPE_MODES = (True, False, "html")
#: The static context of compilations when the Environment has none.
_NO_STATICS: Mapping[str, Any] = MappingProxyType({})
#: The defaults of the grouped settings (the flat fields below repeat none of them).
_SYNTAX = SyntaxSettings()
_LIMITS = Limits()
#: Options accepted for compatibility but not implemented: only their default is allowed.
_UNSUPPORTED: dict[str, object] = {
    "enable_capture": False,
    "inline_components": False,
    "terminal_color": None,
    "terminal_width": None,
    "terminal_unicode": None,
    "ambiguous_width": None,
}


@dataclass
class Environment:
    """Central configuration: how templates are loaded, compiled and rendered.

    Configure it at start-up. The filter/test/global registries are
    copy-on-write, so registering while other threads render is safe.

    Settings are passed flat; the layers below read them as frozen groups:
    :attr:`syntax` (the lexer), :meth:`compile_options` (the compiler and the
    bytecode-cache key), :attr:`limits` and :meth:`runtime_services` (templates).
    Options that are not implemented yet accept only their default value.
    """

    loader: Loader | None = None
    autoescape: Autoescape = True
    auto_reload: bool = True
    strict_none: bool = False
    strict_undefined: bool = True
    jinja2_compat_warnings: bool = True
    preserve_ast: bool = True
    cache_size: int = 400
    fragment_cache_size: int = _LIMITS.fragment_cache_size
    fragment_cache_max_chars: int = _LIMITS.fragment_cache_max_chars
    fragment_cache_entry_max_chars: int = _LIMITS.fragment_cache_entry_max_chars
    fragment_ttl: float = _LIMITS.fragment_ttl
    #: A cache object, a registered cache name (``"NAME"``/``"NAME:ARG"``),
    #: None (automatic) or False (never cache).
    bytecode_cache: BytecodeCacheProtocol | str | Literal[False] | None = None
    template_aliases: dict[str, str] | None = None
    static_context: dict[str, Any] | None = None
    block_start: str = _SYNTAX.block_start
    block_end: str = _SYNTAX.block_end
    variable_start: str = _SYNTAX.variable_start
    variable_end: str = _SYNTAX.variable_end
    comment_start: str = _SYNTAX.comment_start
    comment_end: str = _SYNTAX.comment_end
    trim_blocks: bool = _SYNTAX.trim_blocks
    lstrip_blocks: bool = _SYNTAX.lstrip_blocks
    # The four newline and line-syntax options are keyword-only, so the
    # positional order of the fields above and below stays as it was.
    #: Newline written for each newline of the template text: "\n", "\r\n" or "\r".
    newline_sequence: str = field(default=_SYNTAX.newline_sequence, kw_only=True)
    #: Keep a template's final newline (by default one trailing newline is dropped).
    keep_trailing_newline: bool = field(default=_SYNTAX.keep_trailing_newline, kw_only=True)
    #: A line starting with this prefix (after blanks) is a block tag: ``# for x in xs``.
    line_statement_prefix: str | None = field(default=_SYNTAX.line_statement_prefix, kw_only=True)
    #: From this prefix to the end of the line is a comment: ``## note``.
    line_comment_prefix: str | None = field(default=_SYNTAX.line_comment_prefix, kw_only=True)
    max_extends_depth: int = _LIMITS.max_extends_depth
    max_include_depth: int = _LIMITS.max_include_depth
    validate_calls: bool = False
    enable_profiling: bool = False
    enable_capture: bool = False
    fstring_coalescing: bool = True
    pure_filters: set[str] = field(default_factory=set)
    inline_components: bool = False
    #: Compile a ``{% trans %}`` without bindings or plural to its message while the
    #: identity gettext is installed (gettext is then never called for it).
    optimize_translations: bool = False
    enable_htmx_helpers: bool = True
    #: Jinja2 extensions, accepted by name when Kida has their features built in
    #: (``"jinja2.ext.i18n"``, ``"jinja2.ext.loopcontrols"``, ``"kida.ext.i18n"``).
    extensions: list[Any] = field(default_factory=list)
    terminal_color: Any = None
    terminal_width: Any = None
    terminal_unicode: Any = None
    ambiguous_width: Any = None
    #: Template globals; replaced by a copy-on-write registry holding the
    #: built-in globals plus these.
    globals: MutableMapping[str, Any] = field(default_factory=dict)
    #: Called with every error a ``{% try %}`` boundary catches (located in its template).
    on_error: Callable[[BaseException], None] | None = None
    #: Render-time checks for untrusted template authors (``SandboxedEnvironment`` sets
    #: its own). With a guard, templates compile with hooks for lookups, calls, operators
    #: and loops, and the guard's methods replace the core helpers behind them.
    runtime_guard: RuntimeGuard | None = None
    #: Render-time settings of some filters (``tojson``, ``urlize``, ``truncate``), as in
    #: Jinja2: a per-environment copy of ``kida_core.filters.policies.DEFAULT_POLICIES``.
    policies: dict[str, Any] = field(init=False, default_factory=default_policies)
    #: Applied to every ``{{ }}`` value before it is converted to text and escaped
    #: (never to template text). It may be marked ``@pass_context``,
    #: ``@pass_eval_context`` or ``@pass_environment``.
    finalize: Callable[..., Any] | None = None

    def __post_init__(self) -> None:
        if not callable(self.autoescape) and self.autoescape not in _AUTOESCAPE_MODES:
            raise ValueError(
                f"autoescape must be True, False, 'html' or a callable, got {self.autoescape!r} "
                "('terminal' and 'markdown' modes are not available yet)"
            )
        if self.newline_sequence not in ("\n", "\r\n", "\r"):
            raise ValueError(
                f"newline_sequence must be '\\n', '\\r\\n' or '\\r', got {self.newline_sequence!r}"
            )
        guard: object = self.runtime_guard  # checked: callers may pass anything
        if guard is not None and not isinstance(guard, RuntimeGuard):
            missing = [a for a in ("max_output_size", "redact_errors") if not hasattr(guard, a)]
            raise TypeError(
                f"runtime_guard must implement kida_core.protocols.RuntimeGuard: "
                f"{type(guard).__qualname__} lacks {', '.join(missing)} (give it "
                "max_output_size = None and redact_errors = False for no output limit "
                "and full error reports)"
            )
        for option, default in _UNSUPPORTED.items():
            value = getattr(self, option)
            if value != default:
                raise ValueError(
                    f"{option}={value!r} is not supported yet; leave it at its default "
                    f"({default!r})"
                )
        i18n.check_extensions(self.extensions)
        self._linked_to: Environment | None = None
        self._templates = TemplateStore(self.cache_size)
        self._bytecode = BytecodeStore(self.bytecode_cache)
        self._structures: dict[str, tuple[Template, TemplateStructureManifest]] = {}
        self._structures_lock = threading.Lock()
        # Entries are (expiry, text); their weight is the text's length.
        limits = self.limits
        self._fragments: LRUCache[tuple[float, str]] = LRUCache(
            limits.fragment_cache_size,
            weigh=_fragment_chars,
            max_weight=limits.fragment_cache_max_chars,
        )
        self._filters = Registry(DEFAULT_FILTERS)
        self._tests = Registry(DEFAULT_TESTS)
        user_globals = self.globals
        self.globals = Registry(default_globals(htmx=self.enable_htmx_helpers))
        self.globals.update(i18n.initial_globals(user_globals))
        self.globals.update(user_globals)
        #: The translations templates use when a render brings none of its own.
        self._catalog = i18n.initial_catalog(user_globals)
        self.pure_filters = set(BUILTIN_PURE_FILTERS) | set(self.pure_filters)
        # (globals mapping, the names in it taking the context): see _context_globals.
        self._context_globals_memo: tuple[Mapping[str, Any], frozenset[str]] | None = None
        self._inputs_memo: CompileInputs | None = None
        # (what the runtime services were built from, them): see runtime_services.
        self._services_memo: tuple[tuple[object, ...], RuntimeServices] | None = None

    @property
    def _runtime_guard(self) -> RuntimeGuard | None:
        """Read alias of :attr:`runtime_guard`."""
        return self.runtime_guard

    # -- registries ------------------------------------------------------------------

    @property
    def filters(self) -> Registry:
        """Filter registry (``env.filters["name"] = f`` works, copy-on-write)."""
        return self._filters

    @property
    def tests(self) -> Registry:
        """Test registry (copy-on-write)."""
        return self._tests

    def add_filter(self, name: str, func: Callable[..., Any]) -> None:
        """Register a filter; a ``@pure`` function is also marked pure."""
        self._filters[name] = func
        if is_pure(func):
            self.pure_filters.add(name)

    def add_test(self, name: str, func: Callable[..., Any]) -> None:
        """Register a test."""
        self._tests[name] = func

    def add_global(self, name: str, value: Any) -> None:
        """Register a template global."""
        self.globals[name] = value

    def update_filters(self, filters: Mapping[str, Callable[..., Any]]) -> None:
        """Register several filters at once."""
        self._filters.update(filters)
        self.pure_filters.update(name for name, func in filters.items() if is_pure(func))

    def update_tests(self, tests: Mapping[str, Callable[..., Any]]) -> None:
        """Register several tests at once."""
        self._tests.update(tests)

    def filter(self, name: str | None = None) -> Callable[[F], F]:
        """Decorator registering a filter (default name: the function's name)."""

        def register(func: F) -> F:
            self.add_filter(name or func.__name__, func)
            return func

        return register

    def test(self, name: str | None = None) -> Callable[[F], F]:
        """Decorator registering a test (default name: the function's name)."""

        def register(func: F) -> F:
            self.add_test(name or func.__name__, func)
            return func

        return register

    # -- lookups used by filters (a sandbox overrides these) --------------------------------

    def getattr(self, obj: Any, name: str) -> Any:
        """``obj.name`` with template semantics (mapping key first)."""
        if self.strict_undefined:
            return lookup.getattr_strict(obj, name)
        return lookup.lookup_attr(obj, name)

    def getitem(self, obj: Any, key: Any) -> Any:
        """``obj[key]`` with template semantics (item first, then attribute)."""
        if self.strict_undefined:
            return lookup.getitem_strict(obj, key)
        return lookup.lookup_item(obj, key)

    def select_autoescape(self, name: str | None) -> bool:
        """Whether output of template ``name`` is HTML-escaped."""
        if callable(self.autoescape):
            return bool(self.autoescape(name))
        return self.autoescape in (True, "html")

    # -- translations -----------------------------------------------------------------------

    @property
    def newstyle_gettext(self) -> bool:
        """Whether ``_()`` and friends format their result with their keyword arguments."""
        return self._catalog.newstyle

    @newstyle_gettext.setter
    def newstyle_gettext(self, value: bool) -> None:
        self._catalog = dataclasses.replace(self._catalog, newstyle=bool(value))

    @property
    def translations_installed(self) -> bool:
        """Whether ``{% trans %}`` translates with gettext functions of the application.

        True after ``install_*`` with real translations, or when the Environment
        was created with a ``_`` global of its own; False with the identity
        functions (the default, or after ``install_null_translations``).
        """
        return self._catalog.gettext is not identity_gettext

    def _newstyle(self, newstyle: bool | None) -> bool:
        return self.newstyle_gettext if newstyle is None else newstyle

    def _install(self, catalog: i18n.Catalog) -> None:
        self._catalog = catalog
        self.globals.update(i18n.GETTEXT_GLOBALS)

    def install_translations(self, translations: Any, newstyle: bool | None = None) -> None:
        """Translate with ``translations`` (``GNUTranslations``, Babel ``Translations``...).

        Its ``pgettext``/``npgettext`` are used when it has them. Templates
        already compiled translate from their next render on.
        """
        self._install(i18n.translations_catalog(translations, self._newstyle(newstyle)))

    def install_gettext_translations(self, translations: Any, newstyle: bool | None = None) -> None:
        """Jinja2's name of :meth:`install_translations`."""
        self.install_translations(translations, newstyle)

    def install_gettext_callables(
        self,
        gettext: Callable[[str], Any],
        ngettext: Callable[[str, str, Any], Any],
        newstyle: bool | None = None,
        pgettext: Callable[[str, str], Any] | None = None,
        npgettext: Callable[[str, str, str, Any], Any] | None = None,
    ) -> None:
        """Translate with these functions (without ``pgettext``, a message context is ignored)."""
        catalog = i18n.callables_catalog(
            gettext, ngettext, self._newstyle(newstyle), pgettext, npgettext
        )
        self._install(catalog)

    def install_null_translations(self, newstyle: bool | None = None) -> None:
        """Restore the identity gettext functions (``optimize_translations`` applies again)."""
        self._install(i18n.null_catalog(self._newstyle(newstyle)))

    def uninstall_gettext_translations(self, translations: Any = None) -> None:
        """Remove installed translations: the identity functions translate again.

        ``translations`` (the object installed) is taken for Jinja2's signature:
        an Environment holds one set of translations, so there is nothing to pick.
        """
        self._install(i18n.null_catalog(False))

    def use_translations(
        self, translations: Any, newstyle: bool | None = None
    ) -> AbstractContextManager[i18n.Catalog]:
        """``with env.use_translations(fr):`` renders started inside translate with ``fr``.

        Per thread and per asyncio task, for renders of any Environment started
        in the block; the Environment is not changed. A
        ``render_stream``/``render_stream_async`` keeps the translations that
        were active when it was called. ``None`` selects the identity functions.
        """
        if translations is None:
            catalog = i18n.null_catalog(self._newstyle(newstyle))
        else:
            catalog = i18n.translations_catalog(translations, self._newstyle(newstyle))
        return i18n.use_translations(catalog)

    # -- compiling ------------------------------------------------------------------------

    @property
    def syntax(self) -> SyntaxSettings:
        """Delimiters, whitespace control and line syntax, as one frozen value."""
        return SyntaxSettings(
            self.block_start,
            self.block_end,
            self.variable_start,
            self.variable_end,
            self.comment_start,
            self.comment_end,
            self.trim_blocks,
            self.lstrip_blocks,
            self.newline_sequence,
            self.keep_trailing_newline,
            self.line_statement_prefix,
            self.line_comment_prefix,
        )

    @property
    def limits(self) -> Limits:
        """Nesting depths and fragment-cache sizes, as one frozen value."""
        return Limits(
            max_extends_depth=self.max_extends_depth,
            max_include_depth=self.max_include_depth,
            fragment_cache_size=self.fragment_cache_size,
            fragment_cache_max_chars=self.fragment_cache_max_chars,
            fragment_cache_entry_max_chars=self.fragment_cache_entry_max_chars,
            fragment_ttl=self.fragment_ttl,
        )

    def runtime_services(self) -> RuntimeServices:
        """What a Template compiled here uses at render time (it keeps this Environment alive).

        The value is immutable, so the templates compiled here share it until one of
        the objects it is built from is replaced (registries are the live ones).
        """
        held = (
            self,
            self._filters,
            self._tests,
            self.globals,
            self._fragments,
            self.runtime_guard,
            self.enable_profiling,
            self.strict_undefined,
            self.on_error,
            self.finalize,
            self.max_extends_depth,
            self.max_include_depth,
            self.fragment_cache_size,
            self.fragment_cache_max_chars,
            self.fragment_cache_entry_max_chars,
            self.fragment_ttl,
        )
        memo = self._services_memo
        if memo is not None and all(map(operator.is_, held, memo[0])):
            return memo[1]
        services = RuntimeServices(
            environment_ref=StrongRef(self),
            filters=self.filters,
            tests=self.tests,
            globals=self.globals,
            fragments=self._fragments,
            limits=self.limits,
            guard=self.runtime_guard,
            profiling=self.enable_profiling,
            strict_undefined=self.strict_undefined,
            on_error=self.on_error,
            finalize=self.finalize,
        )
        self._services_memo = (held, services)  # one atomic publication of frozen values
        return services

    def compile_options(self, name: str | None) -> CompileOptions:
        """The settings that shape the code of template ``name``."""
        guard = self.runtime_guard
        return CompileOptions(
            autoescape=self.select_autoescape(name),
            strict_undefined=self.strict_undefined,
            fstring_coalescing=self.fstring_coalescing,
            profiling=self.enable_profiling,
            jinja2_compat_warnings=self.jinja2_compat_warnings,
            preserve_ast=self.preserve_ast,
            validate_calls=self.validate_calls,
            guard=type(guard).__qualname__ if guard is not None else None,
            syntax=self.syntax,
            finalize=self.finalize is not None,
            optimize_translations=self.optimize_translations and self._catalog.is_identity,
            i18n_trusted=bool(self.policies.get("ext.i18n.trusted")),
            i18n_implicit_variables=bool(self.policies.get("ext.i18n.implicit_variables")),
        )

    def compile_inputs(self) -> CompileInputs:
        """Registries, static context and def resolver the compiler reads.

        The value is built again only when what it holds changes: the pure
        filters or static context replaced, or the context-taking globals
        (the registries, sets and dicts it holds are the live ones).
        """
        from kida_core.compiler.inputs import CompileInputs  # deferred with the compiler

        statics = self.static_context if self.static_context is not None else _NO_STATICS
        context_globals = self._context_globals()
        memo = self._inputs_memo
        if (
            memo is not None
            and memo.pure_filters is self.pure_filters
            and memo.static_context is statics
            and memo.context_globals is context_globals
        ):
            return memo
        inputs = CompileInputs(
            filters=self.filters,
            tests=self.tests,
            pure_filters=self.pure_filters,
            static_context=statics,
            resolve=introspection.resolver(self),
            environment=self,
            context_globals=context_globals,
            custom_lookups=self._custom_lookups(),
        )
        self._inputs_memo = inputs  # one atomic publication of a frozen value
        return inputs

    def _custom_lookups(self) -> bool:
        """True when a subclass overrides :meth:`getattr` or :meth:`getitem`."""
        cls = type(self)
        return cls.getattr is not Environment.getattr or cls.getitem is not Environment.getitem

    def _context_globals(self) -> frozenset[str]:
        """The globals taking the template context, found again only when the globals change.

        The globals registry is copy-on-write: its current mapping is never
        changed, so the answer computed for it stays right while it is current.
        """
        registry = self.globals
        current = registry.snapshot() if isinstance(registry, Registry) else None
        memo = self._context_globals_memo
        if memo is not None and current is not None and memo[0] is current:
            return memo[1]
        names = frozenset(name for name, value in registry.items() if wants_context(value))
        if current is not None:
            self._context_globals_memo = (current, names)  # one atomic publication
        return names

    def _compile(
        self,
        source: str,
        name: str | None,
        filename: str | None,
        static_context: Mapping[str, Any] | None = None,
    ) -> Template:
        """A Template for ``source``: from the bytecode cache when possible."""
        options = self.compile_options(name)
        cache = self._bytecode.cache(self.loader, self.runtime_guard)
        # Without a cache the stream and async-stream functions are compiled on first
        # use; a cached template holds them all, so loading it never needs the compiler.
        if cache is None:
            return self._compile_source(source, name, filename, options, static_context, PRIMARY)
        if name is None:
            self._bytecode.warn_unnamed(source)
            return self._compile_source(source, name, filename, options, static_context, PRIMARY)
        source_hash = hash_source(source)
        statics = {**(self.static_context or {}), **(static_context or {})}
        key: dict[str, Any] = options._asdict()
        passing = self._context_callables()
        if passing:  # their calls are compiled with the context as first argument
            key["pass_context"] = passing
        # Built-in filters are inlined only while registered unchanged.
        replaced = INLINABLE_FILTERS - inlinable_filters(self.filters)
        if replaced or self._custom_lookups():
            key["not_inlined"] = (sorted(replaced), self._custom_lookups())
        if statics:  # pure filters may have been evaluated at compile time
            key["pure_filters"] = sorted(
                (f, function_key(self.filters[f])) for f in self.pure_filters if f in self.filters
            )
        context_hash = options_hash(key, statics)
        hit = self._bytecode.load(cache, name, source_hash, context_hash)
        if hit is not None:
            code, tree, precomputed = hit
            try:
                template = Template(
                    self,
                    code,
                    name,
                    filename,
                    optimized_ast=tree if options.preserve_ast else None,
                    source=source,
                    precomputed=precomputed,
                )
            except Exception:  # cached code no longer fits (e.g. a filter was removed)
                debug(_LOGGER, "discarding unusable cached code for %r", name)
            else:
                if self.validate_calls:  # imported defs may have changed since caching
                    self._revalidate_calls(template)
                for warning in template.warnings:
                    _emit(warning)
                return template
        template = self._compile_source(source, name, filename, options, static_context, ALL)
        self._bytecode.save(cache, name, source_hash, context_hash, template)
        return template

    def _context_callables(self) -> list[tuple[str, str, str]]:
        """``(registry, name, what it takes)`` of the filters, tests and globals
        marked ``@pass_context``/``@pass_eval_context``, sorted."""
        found = []
        for kind, registry in (
            ("filter", self.filters),
            ("test", self.tests),
            ("global", self.globals),
        ):
            for name, func in registry.items():
                wanted = pass_arg(func)
                if wanted in ("context", "eval_context"):
                    found.append((kind, name, str(wanted)))
        return sorted(found)

    def _revalidate_calls(self, template: Template) -> None:
        """Check a cached template's def calls against the defs as they are now.

        Raises like a fresh compile; replaces the stored K-CMP-002 warnings with
        the recomputed ones (appended last, as the compiler orders them).
        """
        from kida_core.compiler.call_validation import validate

        tree = template._tree()
        if tree is None:
            return
        fresh = validate(tree, template.name, template._source, introspection.resolver(self))
        kept = [w for w in template.warnings if w.code is not ErrorCode.COMPONENT_TYPE_MISMATCH]
        template._warnings = (*kept, *fresh)  # not yet shared: the template is being loaded

    def _compile_source(
        self,
        source: str,
        name: str | None,
        filename: str | None,
        options: CompileOptions,
        static_context: Mapping[str, Any] | None,
        part: str,
    ) -> Template:
        """A Template compiled from ``source``: every function (``ALL``) or the ``PRIMARY`` part."""
        # Deferred: a program whose templates all come from the bytecode cache
        # never imports the lexer, parser or compiler.
        from kida_core.compiler import Compiler
        from kida_core.lexer import Lexer
        from kida_core.parser import Parser

        tokens = Lexer(source, options.syntax, name=name, filename=filename).tokenize()
        parser = Parser(
            tokens,
            name=name,
            filename=filename,
            source=source,
            trans_implicit_variables=options.i18n_implicit_variables,
        )
        root = parser.parse()
        compiler = Compiler(options, self.compile_inputs(), static_context=static_context)
        try:
            code = compiler.compile(
                root,
                name,
                filename,
                source=source,
                parse_warnings=parser.warnings,
                parse_record=parser.record,
                part=part,
            )
        except TemplateSyntaxError as exc:
            if exc.source is None:
                exc.source = source
            raise
        for warning in compiler.warnings:
            _emit(warning)
        return Template(
            self,
            code,
            name,
            filename,
            optimized_ast=compiler.optimized_ast if options.preserve_ast else None,
            source=source,
            precomputed=compiler.precomputed,
            warnings=compiler.warnings,
            deferred=compiler.deferred(root, name, filename, source) if part == PRIMARY else None,
        )

    def from_string(
        self,
        source: str,
        name: str | None = None,
        *,
        static_context: dict[str, Any] | None = None,
    ) -> Template:
        """Compile ``source`` into a Template (not stored in the template cache)."""
        return self._compile(source, name, None, static_context)

    def compile_expression(self, source: str, undefined_to_none: bool = True) -> TemplateExpression:
        """Compile one template expression (``"user.age >= 18"``) into a callable.

        Call the result with variables (``expr(user=u)``) to get the value, not
        text: filters, tests and globals work as in templates. With
        ``undefined_to_none`` an undefined result (lenient mode) comes back
        as None. Syntax errors are ``TemplateSyntaxError`` quoting ``source``.
        """
        from kida_core.compiler import Compiler  # deferred like in _compile_source
        from kida_core.lexer import Lexer
        from kida_core.parser import Parser

        tokens = Lexer(source, self.syntax).tokenize_expression()
        node = Parser(tokens, source=source).parse_standalone_expression()
        compiler = Compiler(self, static_context=None)
        code = compiler.compile_expression(node, source)
        return TemplateExpression(
            self.runtime_services(),
            code,
            source,
            compiler.precomputed,
            undefined_to_none=undefined_to_none,
        )

    def overlay(self, **options: Any) -> Environment:
        """A new Environment linked to this one, with ``options`` changed.

        It shares this one's loader, filters, tests and globals (registering
        on either is seen by both) and the bytecode cache, and gets its own,
        empty template and fragment caches. Options are the constructor's
        (unknown ones raise the constructor's ``TypeError``); ``globals=``
        gives the overlay its own globals: this one's plus those.
        """
        own_globals = options.pop("globals", None)
        overlay = dataclasses.replace(self, **options)
        overlay._filters = self._filters
        overlay._tests = self._tests
        overlay.pure_filters = self.pure_filters
        if own_globals is None:
            overlay.globals = self.globals
        else:
            overlay.globals = Registry(self.globals)
            overlay.globals.update(own_globals)
        if "bytecode_cache" not in options:
            overlay._bytecode = self._bytecode
        overlay._catalog = self._catalog
        overlay._linked_to = self
        return overlay

    @property
    def linked_to(self) -> Environment | None:
        """The Environment this one is an :meth:`overlay` of (None for others)."""
        return self._linked_to

    def render_string(self, source: str, *args: Any, **context: Any) -> str:
        """Compile and render ``source`` in one step."""
        return self.from_string(source).render(*args, **context)

    # -- templates by name -------------------------------------------------------------

    def _require_loader(self, action: str) -> Loader:
        if self.loader is None:
            raise TemplateNotFoundError(
                f"Cannot {action}: this Environment has no loader. Pass one, e.g. "
                "Environment(loader=FileSystemLoader('templates/')), or use from_string().",
                code=ErrorCode.NO_LOADER,
            )
        return self.loader

    def get_template(
        self,
        name: str | Template,
        parent: str | None = None,
        globals: Mapping[str, Any] | None = None,
        *,
        caller: Caller = None,
    ) -> Template:
        """Load, compile and cache the template ``name`` (a Template is returned as is).

        ``@alias/`` names and ``./``/``../`` names are resolved first, relative
        to ``parent`` (the name of the template asking) or ``caller``: the
        requesting template's name, or a ``(name, line)`` pair, which
        not-found errors name. ``globals`` are merged into the template's own
        globals: every later render of it sees them, under the render's
        variables (as Jinja2 does).
        """
        if isinstance(name, Template):
            return name
        if caller is None:
            caller = parent
        loader = self._require_loader(f"load template {name!r}")
        caller_name = caller[0] if isinstance(caller, tuple) else caller
        resolved = resolve_template_name(name, caller_name, self.template_aliases)
        template = self._templates.get(
            loader,
            resolved,
            lambda source, n, filename: self._compile(source, n, filename),
            auto_reload=self.auto_reload,
            caller=caller,
        )
        if globals:
            template._add_globals(globals)
        return template

    def is_current(self, *templates: Template) -> bool:
        """Whether :meth:`get_template` would return each of ``templates`` for its name now.

        Loads and compiles nothing; with ``auto_reload`` the loader's
        ``source_version`` is asked once per template. Templates remember the
        parents they extend and check them this way on every render.
        """
        loader = self.loader
        if loader is None:
            return False
        return self._templates.is_current(loader, templates, auto_reload=self.auto_reload)

    def select_template(
        self,
        names: Iterable[str | Template],
        parent: str | None = None,
        globals: Mapping[str, Any] | None = None,
    ) -> Template:
        """The first of ``names`` that exists (a Template in the list is taken as is).

        Raises :class:`TemplatesNotFoundError` (a ``TemplateNotFoundError``)
        naming every name tried, or when ``names`` is empty.
        """
        if is_undefined(names):
            raise UndefinedError("names", kind="variable")
        tried: list[str | Template] = []
        for name in names:
            tried.append(name)
            if isinstance(name, Template):
                return name
            try:
                return self.get_template(name, parent, globals)
            except (TemplateNotFoundError, UndefinedError) as exc:
                if exc.code is ErrorCode.NO_LOADER:
                    raise
        raise TemplatesNotFoundError(tried)

    def get_or_select_template(
        self,
        template_name_or_list: str | Template | Iterable[str | Template],
        parent: str | None = None,
        globals: Mapping[str, Any] | None = None,
    ) -> Template:
        """:meth:`get_template` for a name or Template, :meth:`select_template` for a list."""
        if isinstance(template_name_or_list, str | Template):
            return self.get_template(template_name_or_list, parent, globals)
        return self.select_template(template_name_or_list, parent, globals)

    def render(self, template_name: str, *args: Any, **context: Any) -> str:
        """``get_template(template_name).render(...)``."""
        return self.get_template(template_name).render(*args, **context)

    def list_templates(self) -> list[str]:
        """Every template name the loader knows."""
        return self._require_loader("list templates").list_templates()

    def get_template_structure(self, name: str) -> TemplateStructureManifest | None:
        """The structure manifest of template ``name`` (None when it cannot be loaded).

        Cached per loaded Template, so a reloaded template gets a fresh one.
        """
        try:
            template = self.get_template(name)
        except TemplateError:
            return None
        with self._structures_lock:
            cached = self._structures.get(name)
        if cached is not None and cached[0] is template:
            return cached[1]
        tree = template._tree()
        if tree is None:
            return None
        manifest = introspection.analyzer().structure(
            tree, template.name, resolve=introspection.resolver(self)
        )
        with self._structures_lock:
            self._structures[name] = (template, manifest)
        return manifest

    # -- caches ------------------------------------------------------------------------

    def cache_info(self) -> dict[str, Any]:
        """Statistics of the template, fragment and bytecode caches.

        ``"bytecode"`` is ``{"file_count", "total_bytes"}``, or None without one.
        """
        self._bytecode.cache(self.loader, self.runtime_guard)
        return {
            "template": self._templates.info(),
            "fragment": self._fragments.info(),
            "bytecode": self._bytecode.stats(),
        }

    def clear_template_cache(self, names: list[str] | None = None) -> None:
        """Forget every cached template, or only ``names``."""
        self._templates.clear(names)

    def clear_fragment_cache(self) -> None:
        """Forget every ``{% cache %}`` fragment."""
        self._fragments.clear()

    def clear_bytecode_cache(self) -> int:
        """Empty the bytecode cache; returns the number of entries removed."""
        self._bytecode.cache(self.loader, self.runtime_guard)
        return self._bytecode.clear()

    def clear_cache(self, include_bytecode: bool = False) -> None:
        """Clear the template and fragment caches (and the bytecode cache if asked)."""
        self.clear_template_cache()
        self.clear_fragment_cache()
        if include_bytecode:
            self.clear_bytecode_cache()


def _fragment_chars(entry: tuple[float, str]) -> int:
    """Size of a fragment-cache entry: the length of its text."""
    return len(entry[1])


_KIDA_MODULES = frozenset(
    {"kida", "kida_core", "kida_loaders", "kida_cache", "kida_analysis", "kida_sandbox"}
)


def _emit(warning: TemplateWarning) -> None:
    """Publish a compile-time warning, attributed to the first caller outside Kida."""
    _warnings.warn(warning.format_message(), warning.category, stacklevel=_user_stacklevel())


def _user_stacklevel() -> int:
    """``stacklevel`` (as seen from ``_emit``) of the nearest frame not in a Kida package."""
    frame = sys._getframe(2)
    level = 2
    while frame.f_back is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.partition(".")[0] not in _KIDA_MODULES:
            break
        frame = frame.f_back
        level += 1
    return level
