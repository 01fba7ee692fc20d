"""The exec namespace of a compiled template: helpers, filters, tests."""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from kida_core.codegen import FILTER_PREFIX, TEST_PREFIX
from kida_core.decorators import wants_environment
from kida_core.errors import UndefinedError
from kida_core.loop import AsyncLoopContext, LoopContext
from kida_core.markup import Markup
from kida_core.render_context import _current
from kida_core.runtime import lookup
from kida_core.runtime.blocks import (
    BlockDef,
    astream_block,
    asuper_block,
    register_blocks,
    render_block,
    stream_block,
    super_block,
)
from kida_core.runtime.components import (
    ErrorBoundary,
    FragmentCache,
    Slots,
    check_slots,
    make_caller,
    make_has_slot,
    recursion_checked,
    render_slot,
    reraise_syntax_errors,
)
from kida_core.runtime.composition import Composer
from kida_core.runtime.output import (
    BoundedBuffer,
    add,
    concat,
    escape_output,
    markup_join,
    range_literal,
    str_output,
)
from kida_core.runtime.template_info import TemplateInfo
from kida_core.undefined import UNDEFINED

if TYPE_CHECKING:
    from kida_core.runtime.services import RuntimeServices

_SPACES_BETWEEN_TAGS = re.compile(r">\s+<")


def materialize(value: Iterable[Any]) -> list[Any] | tuple[Any, ...]:
    """A sequence with a known length (lists and tuples are used as they are)."""
    if type(value) is list or type(value) is tuple:
        return value
    return list(value)


def spaceless(text: str) -> str:
    """Remove whitespace between HTML tags, keeping Markup-ness."""
    result = _SPACES_BETWEEN_TAGS.sub("><", text).strip()
    return Markup(result) if isinstance(text, Markup) else result


def is_sequence(value: object) -> bool:
    """True for lists and tuples (what a tuple pattern can match)."""
    return isinstance(value, list | tuple)


NODEFAULT: Any = object()
"""Default of def parameters whose default expression is evaluated at call time."""


def scope_context(ctx: Mapping[str, Any], bound: Mapping[str, Any]) -> dict[str, Any]:
    """``ctx`` plus the template names bound at an include (unset ones skipped)."""
    merged = dict(ctx)
    for name, value in bound.items():
        if value is not UNDEFINED:
            merged[name] = value
    return merged


def exports(bound: Mapping[str, Any]) -> dict[str, Any]:
    """The names a template's setup bound (what ``{% import %}`` exposes)."""
    return {name: value for name, value in bound.items() if value is not UNDEFINED}


def call_region(ctx: Mapping[str, Any], name: str, params: tuple[str, ...]) -> str:
    """A region rendered as a block: its parameters come from ``ctx``."""
    region = ctx[name]
    return region(**{p: ctx[p] for p in params if p in ctx})  # type: ignore[no-any-return]


def code_names(code: types.CodeType) -> set[str]:
    """Global names referenced by ``code`` and every nested code object."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= code_names(const)
    return names


def _bind_env(func: Callable[..., Any], env: object) -> Callable[..., Any]:
    """Pre-bind the environment for ``@pass_environment`` functions.

    The binding is strong: a template whose filters need their Environment
    keeps it alive (the Template object itself only holds it weakly).
    """
    return partial(func, env) if wants_environment(func) else func


def _make_global_lookup(registry: Mapping[str, Any]) -> Callable[[str], Any]:
    get = registry.get

    def lookup_global(name: str) -> Any:
        return get(name, UNDEFINED)

    return lookup_global


def _make_undef(registry: Mapping[str, Any]) -> Callable[[Mapping[str, Any], str], Any]:
    def undefined_variable(ctx: Mapping[str, Any], name: str) -> Any:
        raise UndefinedError(name, kind="variable", available_names=[*ctx, *registry])

    return undefined_variable


def build_namespace(
    services: RuntimeServices,
    code: types.CodeType,
    info: TemplateInfo,
    precomputed: list[Any] | None,
) -> dict[str, Any]:
    """Everything the generated module reads as a global."""
    strict = services.strict_undefined
    guard = services.guard
    composer = Composer(services, info.name)
    fragments = FragmentCache(services)
    ns: dict[str, Any] = {
        "__builtins__": {},
        "__kida_template__": info,
        "_K_U": UNDEFINED,
        "_K_escape": escape_output,
        "_K_str": str_output,
        "_K_getattr": lookup.getattr_strict if strict else lookup.lookup_attr,
        "_K_getitem": lookup.getitem_strict if strict else lookup.lookup_item,
        "_K_getattr_safe": lookup.lookup_attr,
        "_K_getitem_safe": lookup.lookup_item,
        "_K_optional_miss": lookup.optional_miss,
        "_K_undef": _make_undef(services.globals),
        "_K_global": _make_global_lookup(services.globals),
        "_K_concat": concat,
        "_K_add": add,
        "_K_range_literal": range_literal,
        "_K_slice": slice,
        "_K_LoopContext": LoopContext,
        "_K_materialize": materialize,
        "_K_len": len,
        "_K_enumerate": enumerate,
        "_K_is_sequence": is_sequence,
        "_K_join": "".join,
        "_K_markup_join": markup_join,
        "_K_spaceless": spaceless,
        "_K_get_rc": _current.get,
        "_K_dict": dict,
        "_K_bool": bool,
        "_K_Exception": Exception,
        "_K_Markup": Markup,
        "_K_NODEFAULT": NODEFAULT,
        "_K_scope_context": scope_context,
        "_K_exports": exports,
        "_K_call_region": call_region,
        "_K_BlockDef": BlockDef,
        "_K_register_blocks": register_blocks,
        "_K_render_block": render_block,
        "_K_stream_block": stream_block,
        "_K_astream_block": astream_block,
        "_K_super": super_block,
        "_K_asuper": asuper_block,
        "_K_extends": composer.extends,
        "_K_extends_stream": composer.extends_stream,
        "_K_extends_astream": composer.extends_astream,
        "_K_include": composer.include,
        "_K_include_stream": composer.include_stream,
        "_K_include_astream": composer.include_astream,
        "_K_import": composer.import_module,
        "_K_import_name": composer.import_name,
        "_K_Slots": Slots,
        "_K_render_slot": render_slot,
        "_K_make_caller": make_caller,
        "_K_make_has_slot": make_has_slot,
        "_K_recursion_checked": recursion_checked,
        "_K_check_slots": check_slots,
        "_K_error_dict": ErrorBoundary(
            services.on_error, redact=guard is not None and guard.redact_errors
        ),
        "_K_reraise_syntax_errors": reraise_syntax_errors,
        "_K_fragment_get": fragments.get,
        "_K_fragment_set": fragments.set,
        "_K_AsyncLoopContext": AsyncLoopContext,
    }
    filters, tests, env = services.filters, services.tests, services.environment_ref()
    profiling = services.profiling
    if profiling:
        from kida_core.runtime.profiling import counted_def, counted_filter

        ns["_K_counted_def"] = counted_def
    for name in code_names(code):
        if name.startswith(FILTER_PREFIX):
            filter_name = name[len(FILTER_PREFIX) :]
            func = _bind_env(filters[filter_name], env)
            ns[name] = counted_filter(filter_name, func) if profiling else func
        elif name.startswith(TEST_PREFIX):
            ns[name] = _bind_env(tests[name[len(TEST_PREFIX) :]], env)
    for index, value in enumerate(precomputed or ()):
        ns[f"_pc_{index}"] = value
    if guard is not None:
        # Guarded code creates its buffers through ``_K_buffer`` (see BoundedBuffer).
        limit = guard.max_output_size
        ns["_K_buffer"] = list if limit is None else partial(BoundedBuffer, limit, info.name)
        guard.patch_namespace(ns)
    return ns
