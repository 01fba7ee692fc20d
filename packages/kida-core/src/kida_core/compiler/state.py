"""Mutable bookkeeping of one compilation (scopes, temps, globals used)."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

import kida_core.nodes as n
from kida_core.compiler.expressions import first_read_name, suggest
from kida_core.compiler.pyast import call, const, load
from kida_core.compiler.scope import Binding, BindingKind, Scope, root_pyname
from kida_core.decorators import pass_arg
from kida_core.errors import ErrorCode, TemplateSyntaxError, TemplateWarning
from kida_core.nodes import ScopeKind
from kida_core.symbols import single_binders


class CompilerState:
    """Everything a compilation tracks while walking the Kida AST."""

    def __init__(
        self,
        *,
        name: str | None,
        filename: str | None,
        source: str | None,
        strict: bool,
        autoescape: bool,
        filters: Mapping[str, Any],
        tests: Mapping[str, Any],
        static_context: Mapping[str, Any],
        jinja2_compat_warnings: bool,
        inline_filters: frozenset[str] = frozenset(),
        inline_lookups: bool = False,
    ) -> None:
        self.name = name
        self.filename = filename
        self.source = source
        self.strict = strict
        self.autoescape = autoescape
        self.filters = filters
        self.tests = tests
        self.static_context = static_context
        self.jinja2_compat_warnings = jinja2_compat_warnings
        #: Built-in filters that may compile to inline Python (see ``compiler/filters.py``).
        self.inline_filters = inline_filters
        #: Whether inline code may look attributes up as the filters do (the
        #: Environment's ``getattr``/``getitem`` are the core's).
        self.inline_lookups = inline_lookups
        self.scopes: list[Scope] = [Scope()]
        self.root_reads: dict[str, int] = {}
        #: line → template name → Python local, for error reports.
        self.name_refs: dict[int, dict[str, str]] = {}
        #: Template-level names a strict read has checked on every path to the
        #: current point of the function (read at its top level, and not caught).
        self.defined: set[str] = set()
        #: Template-level names whose reads were compiled with a check, in order.
        self.root_checks: list[str] = []
        self.precomputed: list[Any] = []
        self.warnings: list[TemplateWarning] = []
        self._counter = 0
        self._depth = 0
        #: Above zero while compiling an expression a loop evaluates again and again
        #: without a scope of its own (a ``while`` test).
        self.repeating = 0
        self._recent_block_sets: dict[str, int] = {}
        self._source_identity: str | None = None
        #: The template whose functions are compiled (None: an expression).
        self.template: n.TemplateNode | None = None
        self._single_binders: dict[str, type[n.Node]] | None = None

    # -- scopes -----------------------------------------------------------------

    def reset_function(self) -> None:
        """Start compiling another function body from a fresh root scope."""
        self.scopes = [Scope()]
        self.root_reads = {}
        self.name_refs = {}
        self.defined = set()
        self.root_checks = []
        self._depth = 0
        self._recent_block_sets = {}

    def push_scope(self, *, branch: bool = False, function: bool = False) -> None:
        """Enter a block (if/for/with/... body); ``branch`` marks if/else bodies.

        ``function`` marks a def/region/slot body, compiled as a nested
        Python function: its ``let``/``set`` stay local to it.
        """
        kind = ScopeKind.BRANCH if branch else ScopeKind.FUNCTION if function else ScopeKind.BLOCK
        self.scopes.append(Scope(kind=kind))
        self._depth += 1

    def function_scope(self) -> Scope | None:
        """The innermost enclosing def/region/slot scope, if any."""
        for scope in reversed(self.scopes):
            if scope.is_function:
                return scope
        return None

    def home_scope(self) -> Scope:
        """The innermost scope that is not an if/else branch (where Jinja2 binds names)."""
        for scope in reversed(self.scopes):
            if not scope.is_branch:
                return scope
        return self.scopes[0]

    def pop_scope(self) -> Scope:
        """Leave a block; its bindings disappear."""
        self._depth -= 1
        scope = self.scopes.pop()
        self._recent_block_sets.update(scope.block_sets)
        return scope

    @property
    def at_root(self) -> bool:
        """True when not inside any block."""
        return self._depth == 0

    def runs_once(self) -> bool:
        """Whether code compiled now runs at most once per call of the function: outside
        loops, nested functions and blocks other than if/else branches."""
        return not self.repeating and all(scope.is_branch for scope in self.scopes[1:])

    def lookup(self, name: str) -> Binding | None:
        """The innermost non-root binding of ``name``, or the root one if bound."""
        for scope in reversed(self.scopes):
            binding = scope.names.get(name)
            if binding is not None:
                return binding
        return None

    def note_defined(self, expr: n.Expr, checks_before: int) -> None:
        """``expr`` was just compiled at the top level of the function, evaluated first.

        If its first read is a checked template-level name, the rest of the
        function never runs when that name is undefined: later reads skip the
        check. ``checks_before`` is ``len(root_checks)`` before compiling ``expr``.
        """
        if self._depth:
            return
        name = first_read_name(expr)
        if name is not None and name in self.root_checks[checks_before:]:
            self.defined.add(name)

    def root_binding(self, name: str) -> Binding:
        """The template-level binding of ``name`` (created unchecked on first use)."""
        root = self.scopes[0].names
        binding = root.get(name)
        if binding is None:
            binding = Binding(root_pyname(name), "root", checked=False)
            root[name] = binding
        return binding

    def note_root_read(self, name: str, lineno: int) -> None:
        """Record a template-level read; warn if a Jinja-style block ``set`` flows here."""
        self.root_reads.setdefault(name, lineno)
        set_line = self._recent_block_sets.pop(name, None)
        if set_line is not None and self.jinja2_compat_warnings:
            self.warn(
                ErrorCode.JINJA2_SET_SCOPING,
                f"'{name}' is assigned with {{% set %}} inside a block on line {set_line} "
                f"and read after the block on line {lineno}; {{% set %}} is block-scoped, "
                "so this read sees the outer value",
                lineno=lineno,
                suggestion=f"Use {{% let {name} = ... %}} for a template-wide name, or "
                f"{{% export {name} = ... %}} to update an existing one.",
            )

    def bind(self, name: str, kind: BindingKind) -> str:
        """Bind ``name`` in the innermost scope to a fresh local; returns the local."""
        pyname = f"l_{name}_{self.next_id()}"
        self.scopes[-1].names[name] = Binding(pyname, kind)
        return pyname

    def bind_root(self, name: str, *, definite: bool) -> str | None:
        """Assign a template-level name (``let``/top-level ``set``).

        Returns the template-level local, or None when inside a def/region/slot
        body, where the name is bound locally instead (see :meth:`bind`).
        """
        if self.function_scope() is not None:
            return None
        binding = self.root_binding(name)
        binding.assigned = True
        if definite:
            binding.checked = True
        return binding.pyname

    def bind_export(self, name: str) -> str:
        """``export``: always the template-level local, ``nonlocal`` inside functions."""
        binding = self.root_binding(name)
        binding.assigned = True
        function = self.function_scope()
        if function is not None:
            function.nonlocals.add(binding.pyname)
        elif self.at_root:
            binding.checked = True
        return binding.pyname

    def bind_block_set(self, name: str, lineno: int) -> str:
        """A block-scoped ``set`` inside a nested block.

        A ``set`` that shadows a name the template assigned at its top level
        (``let``, ``export``, top-level ``set``) warns in any nested block but a
        def/region/slot body: it looks like an update, and is dropped when the
        block ends. Inside an if/else branch (which Jinja2 does not scope) a
        ``set`` read after the branch also warns (see :meth:`note_root_read`).
        """
        outer = self.lookup(name)
        if (
            not self.scopes[-1].is_function
            and outer is not None
            and outer.kind == "root"
            and outer.assigned
            and self.jinja2_compat_warnings
        ):
            self.warn(
                ErrorCode.JINJA2_SET_SCOPING,
                f"{{% set {name} %}} inside a block shadows the template-level '{name}' "
                "only until the block ends",
                lineno=lineno,
                suggestion=f"Use {{% export {name} = ... %}} to update the template-level value.",
            )
        if self.scopes[-1].is_branch:
            self.scopes[-1].block_sets[name] = lineno
        return self.bind(name, "block")

    def single_binder(self, name: str) -> type[n.Node] | None:
        """The class of the one node binding ``name`` in the template, if only one does."""
        if self._single_binders is None:
            root = self.template
            self._single_binders = single_binders(root) if root is not None else {}
        return self._single_binders.get(name)

    # -- names for generated code ------------------------------------------------------

    def next_id(self) -> int:
        """A fresh number for generated names."""
        self._counter += 1
        return self._counter

    def temp(self, prefix: str) -> str:
        """A fresh internal local name."""
        return f"_{prefix}{self.next_id()}"

    def source_identity(self) -> str:
        """Hash of the source and the static context: what this template's output derives from.

        Keys ``{% cache %}`` entries, so two different sources registered under
        one name (or one source compiled with different static values) never
        share fragments.
        """
        if self._source_identity is None:
            from kida_core.keys import hash_source, options_hash

            source_hash = hash_source(self.source or "")
            self._source_identity = (
                options_hash({"source": source_hash}, self.static_context)
                if self.static_context
                else source_hash
            )
        return self._source_identity

    def precompute(self, value: Any) -> str:
        """Store a non-literal compile-time value; returns its ``_pc_N`` name."""
        for index, existing in enumerate(self.precomputed):
            if existing is value:
                return f"_pc_{index}"
        self.precomputed.append(value)
        return f"_pc_{len(self.precomputed) - 1}"

    def filter_global(self, name: str, node: n.Node) -> str:
        """The namespace name of filter ``name``; unknown filters fail here."""
        if name not in self.filters:
            hint = suggest(name, list(self.filters))
            raise self.error(
                f"Unknown filter '{name}'",
                node,
                ErrorCode.INVALID_FILTER,
                f"Did you mean '{hint}'?" if hint else "Register it with env.add_filter().",
            )
        return f"_f_{name}"

    def test_global(self, name: str, node: n.Node) -> str:
        """The namespace name of test ``name``; unknown tests fail here."""
        if name not in self.tests:
            hint = suggest(name, list(self.tests))
            raise self.error(
                f"Unknown test '{name}'",
                node,
                ErrorCode.INVALID_TEST,
                f"Did you mean '{hint}'?" if hint else "Register it with env.add_test().",
            )
        return f"_t_{name}"

    def passed_arguments(self, func: object) -> list[ast.expr]:
        """The first argument a ``@pass_context``/``@pass_eval_context`` filter or test takes.

        Empty for other functions (``@pass_environment`` ones are bound when the
        template is loaded).
        """
        wanted = pass_arg(func)
        if wanted == "context":
            return [call("_context", load("ctx"))]
        if wanted == "eval_context":
            return [call("_eval_context", const(self.autoescape))]
        return []

    # -- diagnostics ------------------------------------------------------------------------

    def error(
        self, message: str, node: n.Node, code: ErrorCode, suggestion: str | None = None
    ) -> TemplateSyntaxError:
        """A compile error located at ``node``."""
        exc = TemplateSyntaxError(
            message,
            lineno=node.lineno,
            name=self.name,
            filename=self.filename,
            source=self.source,
            col_offset=node.col_offset,
            code=code,
        )
        exc.suggestion = suggestion
        return exc

    def warn(
        self,
        code: ErrorCode,
        message: str,
        *,
        lineno: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        """Record a compile-time warning (deduplicated)."""
        warning = TemplateWarning(code, message, self.name, lineno, suggestion)
        if warning not in self.warnings:
            self.warnings.append(warning)
