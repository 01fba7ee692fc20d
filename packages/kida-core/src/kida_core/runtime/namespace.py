"""The exec namespace of a compiled template: helpers, filters, tests."""

from __future__ import annotations

import types
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from kida_core.codegen import FILTER_PREFIX, TEST_PREFIX
from kida_core.decorators import wants_environment
from kida_core.runtime.composition import Composer
from kida_core.runtime.helpers import HELPERS, LOCALS, HelperContext, guard_helper
from kida_core.runtime.trust import TEMPLATE_MARK

if TYPE_CHECKING:
    from kida_core.runtime.services import RuntimeServices
    from kida_core.runtime.template_info import TemplateInfo


class CodeNames(NamedTuple):
    """What a generated module's code reads, found in one walk over it."""

    #: Global names read: referenced by the code or a nested code object, or bound to a
    #: parameter of one of its functions (see :func:`bind_parameters`).
    names: set[str]
    #: The code of each function the module defines at its top level, with the global
    #: each of its parameters after ``ctx`` defaults to (None: ``_blocks``).
    functions: tuple[tuple[types.CodeType, tuple[str | None, ...]], ...]


def code_names(code: types.CodeType) -> CodeNames:
    """The names module ``code`` reads and the parameter globals of its functions."""
    names = set(code.co_names)
    functions = []
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _add_referenced_names(const, names)
            # The parameters after ``ctx``: ``_blocks`` and the function's helpers.
            parameters = tuple(
                [
                    _HELPER_PARAMETERS[local]
                    if local in _HELPER_PARAMETERS
                    else parameter_global(local)
                    for local in const.co_varnames[1 : const.co_argcount]
                ]
            )
            names.update(filter(None, parameters))
            functions.append((const, parameters))
    return CodeNames(names, tuple(functions))


#: The global each helper parameter defaults to (None: ``_blocks``); see parameter_global.
_HELPER_PARAMETERS: dict[str, str | None] = {**LOCALS, "_blocks": None}


def _add_referenced_names(code: types.CodeType, names: set[str]) -> None:
    """Add the global names referenced by ``code`` and every nested code object."""
    names.update(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _add_referenced_names(const, names)


def parameter_global(local: str) -> str | None:
    """The global a generated function's parameter ``local`` defaults to (None: ``_blocks``)."""
    helper = LOCALS.get(local)  # most parameters
    if helper is not None:
        return helper
    if local == "_blocks":
        return None
    if local.startswith("_f_"):
        return FILTER_PREFIX + local[3:]
    if local.startswith("_t_"):
        return TEST_PREFIX + local[3:]
    raise KeyError(local)


def bind_parameters(scan: CodeNames, ns: dict[str, Any]) -> None:
    """Give the functions of the module ``scan`` describes, defined in ``ns``, their
    parameter defaults.

    The compiler declares every helper, filter and test a function uses as a parameter
    (so the body reads it as a fast local) without a default value: defaults would be
    generated nodes, which ``compile()`` converts one by one. They are set here once, after the
    module ran and before any of its functions is published: None for ``_blocks``,
    the namespace's value of the matching global for the others.
    """
    for function_code, parameters in scan.functions:
        function = ns.get(function_code.co_name)
        if not isinstance(function, types.FunctionType) or function.__code__ is not function_code:
            continue
        function.__defaults__ = tuple([None if name is None else ns[name] for name in parameters])


def _bind_env(func: Callable[..., Any], env: object) -> Callable[..., Any]:
    """Pre-bind the environment for ``@pass_environment`` functions.

    The binding is strong: a template whose filters need their Environment
    keeps it alive (the Template object itself only holds it weakly).
    """
    return partial(func, env) if wants_environment(func) else func


#: Helpers every template gets as they are (_FIXED) and built per template (_BUILT);
#: guarded templates also get the guard-only ones, then the hooks of their guard.
_FIXED = {h.name: h.default for h in HELPERS if h.build is None and not h.guarded_only}
_BUILT = tuple(h for h in HELPERS if h.build is not None and not h.guarded_only)
_BUILT_BY_NAME = {h.name: h for h in _BUILT}
_GUARDED = tuple(h for h in HELPERS if h.guarded_only)
_HOOKED = tuple(h for h in HELPERS if h.hooks or h.strict_hooks)
#: The namespace entry keeping what builds the helpers of an unguarded template.
_HELPER_CONTEXT = "__kida_helper_context__"


def build_namespace(
    services: RuntimeServices,
    code: types.CodeType,
    info: TemplateInfo,
    precomputed: list[Any] | None,
    composer: Composer | None = None,
    scan: CodeNames | None = None,
) -> dict[str, Any]:
    """Everything the generated module reads as a global.

    ``composer`` does the template's extends, includes and imports (a new one
    when not given); ``scan`` is :func:`code_names` of ``code`` (computed when not given).

    Under a runtime guard each helper the guard has a hook for is the guard's
    (see :data:`~kida_core.runtime.helpers.HELPERS`); the others keep the core's.
    """
    guard = services.guard
    env = services.environment_ref()
    context = HelperContext(
        template_name=info.name,
        strict=services.strict_undefined,
        globals=services.globals,
        composer=composer if composer is not None else Composer(services, info.name),
        services=services,
        guard=guard,
        profiling=services.profiling,
        environment=env,
        finalize=services.finalize,
    )
    ns: dict[str, Any] = {"__builtins__": {}, TEMPLATE_MARK: info, **_FIXED}
    names = (code_names(code) if scan is None else scan).names
    if guard is None:
        # Only the built helpers the code reads are built; a deferred part of the
        # template builds those it reads when it is compiled (see bind_missing).
        ns[_HELPER_CONTEXT] = context
        _bind_built(ns, context, names)
    else:  # a guard's patch_namespace may expect every helper
        for helper in (*_BUILT, *_GUARDED):
            value = helper.default if helper.build is None else helper.build(context)
            if value is not None:
                ns[helper.name] = value
        for helper in _HOOKED:
            replacement = guard_helper(helper, guard, context.strict)
            if replacement is not None:
                ns[helper.name] = replacement
        patch = getattr(guard, "patch_namespace", None)
        if patch is not None:
            patch(ns)
    _bind_registries(ns, services, names, missing_only=False)
    for index, value in enumerate(precomputed or ()):
        ns[f"_pc_{index}"] = value
    return ns


def bind_missing(ns: dict[str, Any], services: RuntimeServices, scan: CodeNames) -> None:
    """Bind the helpers, filters and tests a deferred part (``scan`` of its code) reads that
    ``ns`` (its template's namespace, copied) lacks."""
    names = scan.names
    context = ns.get(_HELPER_CONTEXT)
    if context is not None:
        _bind_built(ns, context, names)
    _bind_registries(ns, services, names, missing_only=True)


def _bind_built(ns: dict[str, Any], context: HelperContext, names: set[str]) -> None:
    """Build the per-template helpers among ``names`` that ``ns`` lacks."""
    for name in names & _BUILT_BY_NAME.keys():
        if name not in ns:
            value = _BUILT_BY_NAME[name].build(context)  # type: ignore[misc]
            if value is not None:
                ns[name] = value


def _bind_registries(
    ns: dict[str, Any], services: RuntimeServices, names: set[str], *, missing_only: bool
) -> None:
    """Bind the filters (``_F_*``) and tests (``_T_*``) among ``names`` (``missing_only``: not
    already in ``ns``)."""
    env = services.environment_ref()
    filters, tests = services.filters, services.tests
    profiling = services.profiling
    if profiling:
        from kida_core.runtime.profiling import counted_filter
    for name in names:
        if missing_only and name in ns:
            continue
        prefix = name[:3]  # both prefixes are three characters long
        if prefix == FILTER_PREFIX:
            filter_name = name[3:]
            func = _bind_env(filters[filter_name], env)
            ns[name] = counted_filter(filter_name, func) if profiling else func
        elif prefix == TEST_PREFIX:
            ns[name] = _bind_env(tests[name[3:]], env)
