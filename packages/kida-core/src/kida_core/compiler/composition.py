"""Composition handlers: blocks, includes, imports, defs, slots, error
boundaries and fragment caches."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager

import kida_core.nodes as n
from kida_core.compiler.emitter import DISCARD, Emitter, Handlers, append_to
from kida_core.compiler.interpreter import default_filling_calls_check_recursion
from kida_core.compiler.macros import call_with_caller, markup_of_buffer
from kida_core.compiler.pyast import (
    assign,
    call,
    const,
    expr_stmt,
    is_,
    is_not,
    load,
    locate,
    names_in,
    nested_function,
)
from kida_core.compiler.scope import Binding, Scope
from kida_core.compiler.statements import assign_value, bind_assignment, write_through
from kida_core.errors import ErrorCode
from kida_core.runtime.components import INTO_KEYWORD, SLOTS_KEYWORD

_RESERVED_PARAMS = frozenset({"ctx", "_blocks", "buf", "caller", "has_slot"})

HANDLERS = Handlers()


def scope_context(em: Emitter) -> ast.expr:
    """``ctx`` plus every template name bound at this point (for includes).

    A dict display merges them when none of the names is unset;
    ``_scope_context`` skips the unset ones otherwise. Both give the same
    keys in the same order.
    """
    names: dict[str, str] = {}
    for scope in em.state.scopes:
        for name, binding in scope.names.items():
            if binding.kind != "inline_loop":
                names[name] = binding.pyname
    if not names:
        return load("ctx")
    merged = ast.Dict([None, *map(const, names)], [load("ctx"), *map(load, names.values())])
    tests: list[ast.expr] = [is_not(load(pyname), load("_U")) for pyname in names.values()]
    all_set = tests[0] if len(tests) == 1 else ast.BoolOp(ast.And(), tests)
    bound = ast.Dict([*map(const, names)], [*map(load, names.values())])
    return ast.IfExp(all_set, merged, call("_scope_context", load("ctx"), bound))


# -- blocks ---------------------------------------------------------------------


@HANDLERS.statement(n.Block)
def _block(node: n.Block, em: Emitter) -> list[ast.stmt]:
    if node.fragment:
        return []
    name = const(node.name)
    # A scoped block's definitions see the names bound where it stands (loop variables).
    context = scope_context(em) if node.scoped else load("ctx")
    args = (load("_blocks"), name, context)
    return [
        *em.line_marker(node.lineno),
        *em.emit_stream(
            call("_render_block", *args),
            call("_stream_block", *args),
            call("_astream_block", *args),
        ),
    ]


@HANDLERS.statement(n.Region)
def _region(node: n.Region, em: Emitter) -> list[ast.stmt]:
    # Like a def, a region outputs nothing where it stands; render_block runs
    # its block functions.
    return define_callable(node.name, node.params, None, None, node.body, node, em)


# -- other templates ----------------------------------------------------------------


@HANDLERS.statement(n.Include)
def _include(node: n.Include, em: Emitter) -> list[ast.stmt]:
    args = (
        em.expr(node.template),
        scope_context(em) if node.with_context else ast.Dict([], []),
        const(node.ignore_missing),
        const(node.with_context),
        const(node.lineno),
    )
    return [
        *em.line_marker(node.lineno),
        *em.emit_stream(
            call("_include", *args),
            call("_include_stream", *args),
            call("_include_astream", *args),
        ),
    ]


@HANDLERS.statement(n.Embed)
def _embed(node: n.Embed, em: Emitter) -> list[ast.stmt]:
    # Each override is a closure over the embedding scope, like a slot body.
    stmts = em.line_marker(node.lineno)
    bodies: dict[str, str] = {}
    for block in node.blocks:
        function = em.state.temp(f"embed_{block.name}_")
        stmts.append(slot_function(function, block.body, block, em))
        bodies[block.name] = function
    table = ast.Dict([const(k) for k in bodies], [load(v) for v in bodies.values()])
    args = (
        em.expr(node.template),
        scope_context(em) if node.with_context else ast.Dict([], []),
        call("_embed_blocks", table),
        const(node.lineno),
    )
    return [
        *stmts,
        *em.emit_stream(
            call("_embed", *args), call("_embed_stream", *args), call("_embed_astream", *args)
        ),
    ]


def _module(template: n.Expr, with_context: bool, lineno: int, em: Emitter) -> ast.expr:
    context = scope_context(em) if with_context else ast.Dict([], [])
    return call("_import", em.expr(template), context, const(with_context), const(lineno))


@HANDLERS.statement(n.Import)
def _import(node: n.Import, em: Emitter) -> list[ast.stmt]:
    value = _module(node.template, node.with_context, node.lineno, em)
    target = n.Name(name=node.target, lineno=node.lineno, col_offset=node.col_offset)
    return [
        *em.line_marker(node.lineno),
        *assign_value("let", target, None, node.lineno, em, value),
    ]


@HANDLERS.statement(n.FromImport)
def _from_import(node: n.FromImport, em: Emitter) -> list[ast.stmt]:
    module = em.state.temp("module")
    stmts = [
        *em.line_marker(node.lineno),
        assign(module, _module(node.template, node.with_context, node.lineno, em)),
    ]
    for name, alias in node.names:
        value = call("_import_name", load(module), const(name), const(node.lineno))
        target = n.Name(name=alias or name, lineno=node.lineno, col_offset=node.col_offset)
        stmts.extend(assign_value("let", target, None, node.lineno, em, value))
        if _binds_for_output(target.name, n.FromImport, em):
            # Whether the imported value is a def taking the output's append, asked once.
            binding = em.state.lookup(target.name)
            assert binding is not None
            flag = em.state.temp(f"into_{target.name}_")
            stmts.append(assign(flag, call("_takes_into", load(binding.pyname))))
            binding.into_flag = flag
    return stmts


# -- defs, calls and slots --------------------------------------------------------


@contextmanager
def _nested_function(append: str, em: Emitter) -> Iterator[tuple[Emitter, Scope]]:
    """Compile a nested Python function's body: its own scope and its own emitter."""
    st = em.state
    st.push_scope(function=True)
    try:
        yield em.nested(append_to(append)), st.scopes[-1]
    finally:
        st.pop_scope()


@HANDLERS.statement(n.Def)
def _def(node: n.Def, em: Emitter) -> list[ast.stmt]:
    return define_callable(node.name, node.params, node.vararg, node.kwarg, node.body, node, em)


def _writes_into(name: str, node: n.Node, em: Emitter) -> bool:
    """Whether the def ``name`` takes its caller's append (see ``Emitter.def_output``):
    a ``{% def %}`` (not a macro or region) bound as :func:`_binds_for_output` says, so
    a call resolving to its binding surely calls it."""
    return type(node) is n.Def and _binds_for_output(name, n.Def, em)


def _binds_for_output(name: str, binder: type[n.Node], em: Emitter) -> bool:
    """Whether ``name``, bound here by a ``binder`` node, may be called with the output's
    append: bound at the top of a generated function's body (before anything after
    it there runs) and by nothing else in the template, neither under a runtime guard
    (which sees every call as written) nor with profiling (which wraps defs)."""
    st = em.state
    return (
        not em.options.guarded
        and not em.options.profiling
        and (len(st.scopes) == 1 or st.scopes[-1].is_function)
        and st.single_binder(name) is binder
    )


def _def_buffer(writes_into: bool, em: Emitter) -> list[ast.stmt]:
    """A def's own buffer; with ``writes_into``, its caller's append when one is passed."""
    own = em.new_buffer("_buf", "_append")
    if not writes_into:
        return own
    into = load(INTO_KEYWORD)
    # A list's bound append, as the call site passes: anything else came in with ``**``.
    genuine = ast.BoolOp(
        ast.And(),
        [
            is_(call("_type", into), load("_append_type")),
            is_(call("_type", ast.Attribute(into, "__self__", ast.Load())), load("_list")),
        ],
    )
    given = ast.If(
        genuine,
        [assign("_append", into)],
        [expr_stmt(call("_refuse_into", into))],
    )
    return [ast.If(is_(into, const(None)), own, [given])]


def define_callable(
    name: str,
    params: tuple[n.Param, ...],
    vararg: str | None,
    kwarg: str | None,
    body_nodes: tuple[n.Node, ...],
    node: n.Node,
    em: Emitter,
) -> list[ast.stmt]:
    """A def/region: a nested Python function bound as a template-level name."""
    st = em.state
    for param in (*(p.name for p in params), vararg, kwarg):
        if param is not None and (param in _RESERVED_PARAMS or param.startswith(("_", "l_"))):
            raise st.error(
                f"Parameter name '{param}' is reserved in {{% def %}}",
                node,
                ErrorCode.COMPONENT_CALL_SIGNATURE,
                "Rename the parameter.",
            )
    writes_into = _writes_into(name, node, em)
    defaults = [em.expr(p.default) for p in params if p.default is not None]
    with _nested_function("_append", em) as (function_em, scope):
        for param in (*(p.name for p in params), vararg, kwarg):
            if param is not None:
                scope.names[param] = Binding(param, "param")
        scope.names["caller"] = Binding("_caller_fn", "param")
        scope.names["has_slot"] = Binding("_has_slot_fn", "param")
        inner = function_em.body(body_nodes)
    prologue: list[ast.stmt] = []
    if scope.nonlocals:
        prologue.append(ast.Nonlocal(sorted(scope.nonlocals)))
    prologue.append(
        ast.If(
            is_not(load(SLOTS_KEYWORD), const(None)),
            [expr_stmt(call("_check_slots", load(SLOTS_KEYWORD)))],
            [],
        )
    )
    defaulted = [p for p in params if p.default is not None]
    for spec, default in zip(defaulted, defaults, strict=True):
        prologue.append(
            ast.If(
                ast.Compare(load(spec.name), [ast.Is()], [load("_NODEFAULT")]),
                [assign(spec.name, default)],
                [],
            )
        )
    used = names_in(inner)
    if "_caller_fn" in used:
        prologue.append(assign("_caller_fn", call("_make_caller", load(SLOTS_KEYWORD))))
    if "_has_slot_fn" in used:
        prologue.append(assign("_has_slot_fn", call("_make_has_slot", load(SLOTS_KEYWORD))))
    prologue.extend(_def_buffer(writes_into, em))
    result: ast.expr = markup_of_buffer("_buf")
    keywords = [SLOTS_KEYWORD]
    if writes_into:
        keywords.append(INTO_KEYWORD)
        # Called with the caller's append, the output is already there.
        result = ast.IfExp(is_(load(INTO_KEYWORD), const(None)), result, const(None))
    args = ast.arguments(
        [],
        [ast.arg(p.name) for p in params],
        ast.arg(vararg) if vararg else None,
        [ast.arg(keyword) for keyword in keywords],
        [const(None) for _ in keywords],
        ast.arg(kwarg) if kwarg else None,
        [load("_NODEFAULT") for p in params if p.default is not None],
    )
    roots: list[tuple[str, str]] = []
    target = bind_assignment("let", n.Name(name=name, lineno=node.lineno), node.lineno, roots, em)
    assert isinstance(target, ast.Name)
    if writes_into:
        binding = st.lookup(name)
        assert binding is not None and binding.pyname == target.id
        binding.def_writes_into = True
    body = [*prologue, *inner, ast.Return(result)]
    function = nested_function(target.id, args, body, node.lineno, node.col_offset)
    wrappers: list[ast.stmt] = []
    # Both wrappers forward through a call the interpreter checks for recursion.
    if em.options.profiling:
        wrappers.append(assign(target.id, call("_K_counted_def", const(name), load(target.id))))
    elif not default_filling_calls_check_recursion():
        wrappers.append(assign(target.id, call("_K_recursion_checked", load(target.id))))
    for stmt in wrappers:
        locate(stmt, node.lineno, node.col_offset)
    return [function, *wrappers, *write_through(roots, em)]


@HANDLERS.statement(n.Slot, n.Yield)
def _slot(node: n.Slot, em: Emitter) -> list[ast.stmt]:
    # Slot bodies of a nested call are closures inside the def's function, so
    # the slots name always resolves to the enclosing def's caller slots.
    if em.state.function_scope() is None:
        raise em.state.error(
            "{% slot %} placeholders are only allowed inside a {% def %}",
            node,
            ErrorCode.UNEXPECTED_TOKEN,
            "Use {% slot name %}…{% end %} inside {% call %} to fill a slot.",
        )
    rendered = call("_render_slot", load(SLOTS_KEYWORD), const(node.name))
    rendered.keywords = [ast.keyword(let, em.expr(value)) for let, value in node.lets]
    if not node.lets:
        return [em.emit(rendered)]
    return [scoped_slot(node, rendered, em)]


def scoped_slot(node: n.Slot, rendered: ast.Call, em: Emitter) -> ast.stmt:
    """A def-side scoped slot: the caller's content given the lets, else the default body."""
    filled = ast.BoolOp(
        ast.And(),
        [
            is_not(load(SLOTS_KEYWORD), const(None)),
            call(
                ast.Attribute(load(SLOTS_KEYWORD), "has", ast.Load()),
                const(node.name),
            ),
        ],
    )
    default = em.body(node.default) or [ast.Pass()]
    return ast.If(filled, [em.emit(rendered)], default)


@HANDLERS.statement(n.CallBlock)
def _call_block(node: n.CallBlock, em: Emitter) -> list[ast.stmt]:
    if node.params is not None:
        return call_with_caller(node, em)
    st = em.state
    stmts = em.line_marker(node.lineno)
    slots: dict[str, str] = {}
    lets = {s.name: s.lets for s in node.slots}
    for slot_name, body in (("default", node.body), *((s.name, s.body) for s in node.slots)):
        if slot_name == "default" and not body:
            continue
        function = st.temp(f"slot_{slot_name}_")
        stmts.append(slot_function(function, body, node, em, lets.get(slot_name, ())))
        slots[slot_name] = function
    compiled = em.expr(node.call)
    if not isinstance(compiled, ast.Call):
        raise st.error(
            "{% call %} needs a call such as card(...)", node, ErrorCode.INVALID_EXPRESSION
        )
    caller = call(
        "_Slots",
        ast.Dict([const(k) for k in slots], [load(v) for v in slots.values()]),
    )
    compiled.keywords.append(ast.keyword(SLOTS_KEYWORD, caller))
    stmts.append(em.emit(call("_e", compiled)))
    return stmts


def slot_function(
    name: str, body: tuple[n.Node, ...], node: n.Node, em: Emitter, lets: tuple[str, ...] = ()
) -> ast.stmt:
    """The caller-side body of a slot: renders in the caller's scope when called.

    It takes the scoped-slot ``lets`` as keyword arguments (``None`` when the
    def passes none) and ignores any other value the def passes up.
    """
    with _nested_function("_sapp", em) as (slot_em, scope):
        for let in lets:
            scope.names[let] = Binding(let, "param")
        inner = slot_em.body(body)
    nonlocals = scope.nonlocals
    prologue: list[ast.stmt] = [ast.Nonlocal(sorted(nonlocals))] if nonlocals else []
    prologue.extend(em.new_buffer("_sbuf", "_sapp"))
    joined = call(ast.Attribute(const(""), "join", ast.Load()), load("_sbuf"))
    args = ast.arguments(
        posonlyargs=[],
        args=[],
        kwonlyargs=[ast.arg(let) for let in lets],
        kw_defaults=[const(None) for _ in lets],
        kwarg=ast.arg("_lets"),
        defaults=[],
    )
    statements = [*prologue, *inner, ast.Return(joined)]
    return nested_function(name, args, statements, node.lineno, node.col_offset)


# -- setup sections, error boundaries, fragment caches -------------------------------


@HANDLERS.statement(n.Globals)
def _globals(node: n.Globals, em: Emitter) -> list[ast.stmt]:
    with em.output(DISCARD):
        return em.body(node.body)


@HANDLERS.statement(n.Try)
def _try(node: n.Try, em: Emitter) -> list[ast.stmt]:
    st = em.state
    setup, joined = em.buffered(node.body, markup=False)
    error = st.temp("exc")
    st.push_scope()
    try:
        handler: list[ast.stmt] = [expr_stmt(call("_reraise_syntax_errors", load(error)))]
        # Also unbound: building the ErrorDict reports the error to the application.
        report = call("_error_dict", load(error))
        if node.error_name is not None:
            handler.append(assign(st.bind(node.error_name, "with"), report))
        else:
            handler.append(expr_stmt(report))
        # The fallback runs after an unknown part of the body failed.
        with em.line_scope(fresh=True):
            handler.extend(em.body(node.fallback))
    finally:
        st.pop_scope()
    body = [stmt for stmt in setup]
    return [
        ast.Try(
            body,
            [ast.ExceptHandler(load("_Exception"), error, handler or [ast.Pass()])],
            [em.emit(joined)],
            [],
        )
    ]


@HANDLERS.statement(n.Cache)
def _cache(node: n.Cache, em: Emitter) -> list[ast.stmt]:
    st = em.state
    key_name = st.temp("ckey")
    value_name = st.temp("cval")
    depends = em.expr(node.depends) if node.depends is not None else const(None)
    owner = (const(st.source_identity()), const(st.name), const(node.lineno))
    key = ast.Tuple([*owner, em.expr(node.key), depends], ast.Load())
    ttl = em.expr(node.ttl) if node.ttl is not None else const(None)
    setup, joined = em.buffered(node.body, markup=False)
    fill = [*setup, assign(value_name, call("_fragment_set", load(key_name), joined, ttl))]
    return [
        *em.line_marker(node.lineno),
        assign(key_name, key),
        assign(value_name, call("_fragment_get", load(key_name))),
        ast.If(ast.Compare(load(value_name), [ast.Is()], [const(None)]), fill, []),
        em.emit(load(value_name)),
    ]


@HANDLERS.statement(n.Extends)
def _extends_marker(node: n.Extends, em: Emitter) -> list[ast.stmt]:
    # The parent is rendered after the body (see the Compiler's main function).
    return []
