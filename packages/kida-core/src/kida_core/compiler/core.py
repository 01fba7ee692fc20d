"""The Compiler: Kida AST → Python ``ast.Module`` → code object.

The generated module defines two functions from one Kida AST:

* ``render(ctx, _blocks=None)`` — StringBuilder: ``buf = []``,
  ``_append = buf.append``, one ``''.join(buf)`` at the end;
* ``render_stream(ctx, _blocks=None)`` — a generator yielding each chunk.

Both start with a preamble that binds every helper they use as a local
(``LOAD_FAST`` in the hot path), fetches the render context once (``_rc``) and
reads each template-level name from ``ctx`` exactly once. Helpers live in the
exec namespace under ``_K_*`` names, filters under ``_F_*`` and tests under
``_T_*`` so the Template can bind only what the code uses.
"""

from __future__ import annotations

import ast
import types
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kida_core import nodes as n
from kida_core.compiler.pyast import assign, call, const, function, is_, load
from kida_core.compiler.state import CompilerState
from kida_core.compiler.statements import StatementCompiler
from kida_core.errors import TemplateWarning

if TYPE_CHECKING:
    from kida_core.environment import Environment

#: Local alias → namespace global for every runtime helper.
HELPER_GLOBALS: dict[str, str] = {
    "_U": "_K_U",
    "_e": "_K_escape",
    "_s": "_K_str",
    "_getattr": "_K_getattr",
    "_getitem": "_K_getitem",
    "_getattr_safe": "_K_getattr_safe",
    "_getitem_safe": "_K_getitem_safe",
    "_optional_miss": "_K_optional_miss",
    "_undef": "_K_undef",
    "_global": "_K_global",
    "_concat": "_K_concat",
    "_add": "_K_add",
    "_range_literal": "_K_range_literal",
    "_slice": "_K_slice",
    "_LoopContext": "_K_LoopContext",
    "_materialize": "_K_materialize",
    "_len": "_K_len",
    "_enumerate": "_K_enumerate",
    "_is_sequence": "_K_is_sequence",
    "_join": "_K_join",
    "_markup_join": "_K_markup_join",
    "_spaceless": "_K_spaceless",
}
FILTER_PREFIX = "_F_"
TEST_PREFIX = "_T_"


class Compiler(StatementCompiler):
    """Compile a Kida ``TemplateNode`` into a code object ready for ``exec``.

    One compile at a time per instance; ``warnings`` and ``precomputed``
    describe the last compilation.
    """

    def __init__(self, env: Environment, *, static_context: Mapping[str, Any] | None = None):
        self._env = env
        self._static_context = dict(env.static_context or {})
        if static_context:
            self._static_context.update(static_context)
        self.fstring_coalescing = env.fstring_coalescing
        self._warnings: list[TemplateWarning] = []
        self._precomputed: list[Any] = []

    @property
    def warnings(self) -> list[TemplateWarning]:
        """Compile-time warnings of the last compilation."""
        return list(self._warnings)

    @property
    def precomputed(self) -> list[Any]:
        """Values the generated code reads as ``_pc_N`` globals."""
        return list(self._precomputed)

    def compile(
        self,
        node: n.TemplateNode,
        name: str | None = None,
        filename: str | None = None,
        *,
        source: str | None = None,
    ) -> types.CodeType:
        """Compile ``node``; raises ``TemplateSyntaxError`` for invalid templates."""
        module = self.compile_module(node, name, filename, source=source)
        with warnings.catch_warnings():
            # ``x is true`` compiles to an identity test CPython warns about.
            warnings.simplefilter("ignore", SyntaxWarning)
            return compile(module, filename or name or "<template>", "exec")

    def compile_module(
        self,
        node: n.TemplateNode,
        name: str | None = None,
        filename: str | None = None,
        *,
        source: str | None = None,
    ) -> ast.Module:
        """Build the Python module for ``node`` without compiling it."""
        env = self._env
        self.state = CompilerState(
            name=name,
            filename=filename,
            source=source,
            strict=env.strict_undefined,
            autoescape=env.select_autoescape(name),
            filters=env.filters,
            tests=env.tests,
            static_context=self._static_context,
            jinja2_compat_warnings=env.jinja2_compat_warnings,
        )
        render = function("render", self._function_body(node.body, streaming=False))
        render_names = self.state.name_refs
        stream = function("render_stream", self._function_body(node.body, streaming=True))
        names = {"render": render_names, "render_stream": self.state.name_refs}
        module = ast.Module(body=[render, stream, _names_table(names)], type_ignores=[])
        ast.fix_missing_locations(module)
        self._warnings = list(self.state.warnings)
        self._precomputed = list(self.state.precomputed)
        return module

    def _function_body(self, nodes: tuple[n.Node, ...], *, streaming: bool) -> list[ast.stmt]:
        st = self.state
        st.reset_function()
        self._out = [None] if streaming else ["_append"]
        self._last_line = None
        self._yielded = False
        body = self.body(nodes)
        hoists = self._hoists()
        used = _used_names([*hoists, *body])
        preamble: list[ast.stmt] = []
        if "_rc" in used:
            preamble.append(assign("_rc", call("_K_get_rc")))
        if not streaming:
            preamble.append(assign("buf", ast.List(elts=[], ctx=ast.Load())))
            preamble.append(
                assign("_append", ast.Attribute(value=load("buf"), attr="append", ctx=ast.Load()))
            )
        preamble.extend(
            assign(local, load(glob)) for local, glob in HELPER_GLOBALS.items() if local in used
        )
        preamble.extend(
            assign(name, load(FILTER_PREFIX + name[3:]))
            for name in sorted(used)
            if name.startswith("_f_")
        )
        preamble.extend(
            assign(name, load(TEST_PREFIX + name[3:]))
            for name in sorted(used)
            if name.startswith("_t_")
        )
        preamble.extend(hoists)
        if streaming:
            tail: list[ast.stmt] = (
                [] if self._yielded else [ast.Expr(ast.YieldFrom(ast.Tuple([], ast.Load())))]
            )
        else:
            tail = [
                ast.Return(
                    call(ast.Attribute(value=const(""), attr="join", ctx=ast.Load()), load("buf"))
                )
            ]
        for stmt in (*preamble, *tail):
            stmt.lineno = 1
            stmt.col_offset = 0
        return [*preamble, *body, *tail]

    def _hoists(self) -> list[ast.stmt]:
        """Read each template-level name from ``ctx`` once, falling back to globals."""
        stmts: list[ast.stmt] = []
        for name, binding in self.state.scopes[0].names.items():
            local = binding.pyname
            stmts.append(
                assign(
                    local,
                    call(
                        ast.Attribute(value=load("ctx"), attr="get", ctx=ast.Load()),
                        const(name),
                        load("_U"),
                    ),
                )
            )
            stmts.append(
                ast.If(
                    test=is_(load(local), load("_U")),
                    body=[assign(local, call("_global", const(name)))],
                    orelse=[],
                )
            )
        return stmts


def _names_table(names: dict[str, dict[int, dict[str, str]]]) -> ast.stmt:
    """``__kida_names__ = {function: {line: {template name: local}}}`` (for errors)."""

    def literal(value: object) -> ast.expr:
        if isinstance(value, dict):
            return ast.Dict(
                keys=[const(k) for k in value], values=[literal(v) for v in value.values()]
            )
        return const(value)

    stmt = assign("__kida_names__", literal(names))
    stmt.lineno = 1
    stmt.col_offset = 0
    return stmt


def _used_names(stmts: list[ast.stmt]) -> set[str]:
    """Every name loaded anywhere in ``stmts``."""
    used: set[str] = set()
    for stmt in stmts:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                used.add(node.id)
    return used
