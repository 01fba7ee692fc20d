"""Jinja2 macros: ``{% macro %}`` definitions and ``{% call(a, b) f() %}`` bodies.

A macro compiles to a nested Python function taking every argument
positionally (then ``caller``, ``varargs``, ``kwargs`` when the body reads
them), wrapped in a :class:`~kida_core.runtime.macros.Macro` that binds a
call's arguments with Jinja2's rules. A left-out argument arrives as
``_NODEFAULT``: its default is evaluated inside the function (so it can read
earlier arguments), and without one it stays undefined.
"""

from __future__ import annotations

import ast

import kida_core.nodes as n
from kida_core.compiler.emitter import Emitter, Handlers, append_to
from kida_core.compiler.pyast import assign, call, const, load, locate, nested_function, store
from kida_core.compiler.scope import Binding
from kida_core.compiler.statements import bind_assignment, write_through
from kida_core.runtime.components import SLOTS_KEYWORD
from kida_core.symbols import free_names

HANDLERS = Handlers()

#: The names a macro body binds implicitly, in the order its function takes them.
_IMPLICIT = ("caller", "varargs", "kwargs")


def _implicit_reads(params: tuple[n.Param, ...], body: n.Body, node: n.Node) -> list[str]:
    """Which of ``caller``/``varargs``/``kwargs`` the body reads (and no parameter names)."""
    reads = free_names(n.TemplateNode(body=body, lineno=node.lineno, col_offset=node.col_offset))
    declared = {param.name for param in params}
    return [name for name in _IMPLICIT if name in reads and name not in declared]


def markup_of_buffer(buf: str) -> ast.expr:
    """``Markup("".join(buf))`` built directly: the joined text is a ``str``, which
    ``Markup.__new__`` would only pass on to ``str.__new__``."""
    joined = call(ast.Attribute(const(""), "join", ast.Load()), load(buf))
    return call("_str_new", load("_Markup"), joined)


def _macro_function(
    fname: str,
    params: tuple[n.Param, ...],
    implicit: list[str],
    body_nodes: n.Body,
    node: n.Node,
    em: Emitter,
    buffer: tuple[str, str],
) -> ast.stmt:
    """``def fname(<params>, <implicit>): …`` returning the rendered body."""
    st = em.state
    buf, app = buffer
    pynames: list[str] = []
    st.push_scope(function=True)
    try:
        scope = st.scopes[-1]
        function_em = em.nested(append_to(app))
        prologue: list[ast.stmt] = []
        for param in params:
            pyname = st.temp(f"arg_{param.name}_")
            pynames.append(pyname)
            # Bound before its default is compiled: a default reads earlier arguments.
            scope.names[param.name] = Binding(pyname, "param", checked=param.default is not None)
            missing = load("_U") if param.default is None else function_em.expr(param.default)
            prologue.append(
                ast.If(
                    ast.Compare(load(pyname), [ast.Is()], [load("_NODEFAULT")]),
                    [assign(pyname, missing)],
                    [],
                )
            )
        for name in implicit:
            pyname = st.temp(f"{name}_")
            pynames.append(pyname)
            scope.names[name] = Binding(pyname, "param", checked=name != "caller")
        inner = function_em.body(body_nodes)
    finally:
        st.pop_scope()
    if scope.nonlocals:
        prologue.insert(0, ast.Nonlocal(sorted(scope.nonlocals)))
    prologue.extend(em.new_buffer(buf, app))
    result = markup_of_buffer(buf)  # like a def's: never escaped twice
    args = ast.arguments(
        posonlyargs=[],
        args=[ast.arg(pyname) for pyname in pynames],
        kwonlyargs=[],
        kw_defaults=[],
        defaults=[],
    )
    statements = [*prologue, *inner, ast.Return(result)]
    return nested_function(fname, args, statements, node.lineno, node.col_offset)


def _wrap(fname: str, name: str, params: tuple[n.Param, ...], implicit: list[str]) -> ast.expr:
    """``_K_macro(fname, name, arguments, catch_varargs, catch_kwargs, caller)``."""
    arguments = ast.Tuple([const(p.name) for p in params], ast.Load())
    return call(
        "_K_macro",
        load(fname),
        const(name),
        arguments,
        const("varargs" in implicit),
        const("kwargs" in implicit),
        const("caller" in implicit),
    )


def _macro_target(node: n.Macro, em: Emitter, roots: list[tuple[str, str]]) -> ast.expr:
    """Where a macro definition stores its macro, bound as Jinja2 binds it.

    At the template level (through if/else branches) the name is template-wide,
    like ``let``; in a loop, ``with`` or def body it is local to that body, one
    binding per pass. Bound before the body compiles, so the body may call
    itself.
    """
    st = em.state
    home = st.home_scope()
    if home is st.scopes[0]:
        name = n.Name(name=node.name, lineno=node.lineno)
        return bind_assignment("let", name, node.lineno, roots, em)
    if home is st.scopes[-1]:
        return store(st.bind(node.name, "block"))
    binding = home.names.get(node.name)  # bound by the enclosing ``if`` (see statements)
    if binding is None:  # a branch that no ``if`` opened: local to it
        return store(st.bind(node.name, "block"))
    return store(binding.pyname)


@HANDLERS.statement(n.Macro)
def _macro(node: n.Macro, em: Emitter) -> list[ast.stmt]:
    st = em.state
    implicit = _implicit_reads(node.params, node.body, node)
    fname = st.temp(f"macro_{node.name}_")
    roots: list[tuple[str, str]] = []
    target = _macro_target(node, em, roots)
    function = _macro_function(
        fname, node.params, implicit, node.body, node, em, ("_buf", "_append")
    )
    value = _wrap(fname, node.name, node.params, implicit)
    if em.options.profiling:
        value = call("_K_counted_def", const(node.name), value)
    stmt = ast.Assign([target], value)
    locate(stmt, node.lineno, node.col_offset)
    return [function, stmt, *write_through(roots, em)]


def call_with_caller(node: n.CallBlock, em: Emitter) -> list[ast.stmt]:
    """``{% call(a, b) f(args) %}body{% end %}``: ``f`` gets the body as its ``caller``."""
    assert node.params is not None
    st = em.state
    stmts = em.line_marker(node.lineno)
    implicit = _implicit_reads(node.params, node.body, node)
    fname = st.temp("caller_")
    stmts.append(
        _macro_function(fname, node.params, implicit, node.body, node, em, ("_sbuf", "_sapp"))
    )
    caller = st.temp("caller_macro_")
    stmts.append(assign(caller, _wrap(fname, "caller", node.params, implicit)))
    compiled = em.expr(node.call)
    assert isinstance(compiled, ast.Call)  # the parser only accepts a call here
    slots = call("_Slots", ast.Dict([const("default")], [load(caller)]), load(caller))
    compiled.keywords.append(ast.keyword(SLOTS_KEYWORD, slots))
    stmts.append(em.emit(call("_e", compiled)))
    return stmts
