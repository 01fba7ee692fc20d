"""The runtime helpers generated code calls: one table, read by compiler, namespace and guards.

Each :class:`Helper` row names a global of the template namespace (``_K_*``),
the local the compiler binds it to in each generated function (``LOAD_FAST`` in
hot loops), its core implementation, and the :class:`~kida_core.protocols.RuntimeGuardHooks`
method that replaces it in templates rendered under a runtime guard. The
compiler binds :data:`LOCALS`; :func:`kida_core.runtime.namespace.build_namespace`
fills the namespace from :data:`HELPERS`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from functools import partial
from itertools import repeat
from typing import TYPE_CHECKING, Any, NamedTuple

from kida_core.loop import AsyncLoopContext, LoopContext
from kida_core.markup import Markup, html_escape
from kida_core.render_context import _current
from kida_core.runtime import i18n, lookup, passing, primitives
from kida_core.runtime.blocks import (
    astream_block,
    asuper_block,
    embed_blocks,
    register_blocks,
    render_block,
    stream_block,
    super_block,
    super_text,
)
from kida_core.runtime.components import (
    APPEND_TYPE,
    ErrorBoundary,
    FragmentCache,
    Slots,
    check_slots,
    make_caller,
    make_has_slot,
    recursion_checked,
    refuse_into,
    render_slot,
    reraise_syntax_errors,
    takes_into,
)
from kida_core.runtime.macros import Macro, aself_block, self_block
from kida_core.runtime.output import (
    BoundedBuffer,
    add,
    concat,
    escape_output,
    make_escape_output,
    make_range_literal,
    make_str_output,
    markup_join,
    range_literal,
    str_output,
)
from kida_core.runtime.recursion import RecursiveLoopContext
from kida_core.undefined import UNDEFINED, Undefined

if TYPE_CHECKING:
    from kida_core.protocols import RuntimeGuard
    from kida_core.runtime.composition import Composer
    from kida_core.runtime.services import RuntimeServices

__all__ = ["HELPERS", "LOCALS", "Helper", "HelperContext", "Hook", "guard_helper"]


class HelperContext(NamedTuple):
    """What the per-template helpers are built from."""

    template_name: str | None
    strict: bool
    globals: Mapping[str, Any]
    composer: Composer
    #: What the fragment cache and error boundaries read (built only where used).
    services: RuntimeServices
    guard: RuntimeGuard | None
    profiling: bool
    #: The Environment (what ``@pass_environment`` callables receive).
    environment: Any = None
    #: The Environment's ``finalize`` function, or None.
    finalize: Callable[..., Any] | None = None


class Hook(NamedTuple):
    """A guard method that can stand in for a helper.

    ``adapt`` turns the method into the helper (None: the method is the helper).
    """

    method: str
    adapt: Callable[[Any], Any] | None = None


class Helper(NamedTuple):
    """One runtime helper of generated code."""

    #: Its global in the template namespace.
    name: str
    #: The local each generated function binds it to (None: read as a global).
    local: str | None
    #: The core implementation (used when ``build`` is None).
    default: Any = None
    #: Builds the core implementation for one template (a None result leaves it unset).
    build: Callable[[HelperContext], Any] | None = None
    #: Guard methods that replace it, the first one the guard has wins.
    hooks: tuple[Hook, ...] = ()
    #: The same in environments with ``strict_undefined`` (None: ``hooks``).
    strict_hooks: tuple[Hook, ...] | None = None
    #: Only code compiled for a runtime guard reads it.
    guarded_only: bool = False


def _strict(strict: Callable[..., Any], lenient: Callable[..., Any]) -> Callable[..., Any]:
    """A ``build`` choosing by ``strict_undefined``."""
    return lambda context: strict if context.strict else lenient


def _output_buffer(context: HelperContext) -> Callable[[], list[str]]:
    """``list``, or a list counting appended characters when the guard limits output."""
    limit = context.guard.max_output_size if context.guard is not None else None
    return list if limit is None else partial(BoundedBuffer, limit, context.template_name)


def _error_boundary(context: HelperContext) -> ErrorBoundary:
    """What ``{% fallback err %}`` calls with the caught error."""
    guard = context.guard
    redact = guard is not None and guard.redact_errors
    return ErrorBoundary(context.services.on_error, redact=redact)


def _counted_def(context: HelperContext) -> Any:
    """The def counter of ``enable_profiling`` (None: no profiling)."""
    if not context.profiling:
        return None
    from kida_core.runtime.profiling import counted_def  # off the path of unprofiled envs

    return counted_def


_ATTR_HOOKS = (Hook("getattr"),)
_ITEM_HOOKS = (Hook("getitem"),)

#: Every helper generated code can read, in the order functions bind their locals.
HELPERS: tuple[Helper, ...] = (
    Helper("_K_U", "_U", UNDEFINED),
    Helper("_K_escape", "_e", escape_output, hooks=(Hook("check_output", make_escape_output),)),
    Helper("_K_str", "_s", str_output, hooks=(Hook("check_output", make_str_output),)),
    Helper(
        "_K_getattr",
        "_getattr",
        build=_strict(lookup.getattr_strict, lookup.lookup_attr),
        hooks=_ATTR_HOOKS,
        strict_hooks=(
            Hook("getattr_strict"),
            Hook("getattr", partial(lookup.strict_lookup, miss=lookup.attribute_miss)),
        ),
    ),
    Helper(
        "_K_getitem",
        "_getitem",
        build=_strict(lookup.getitem_strict, lookup.lookup_item),
        hooks=_ITEM_HOOKS,
        strict_hooks=(
            Hook("getitem_strict"),
            Hook("getitem", partial(lookup.strict_lookup, miss=lookup.item_miss)),
        ),
    ),
    Helper("_K_getattr_safe", "_getattr_safe", lookup.lookup_attr, hooks=_ATTR_HOOKS),
    Helper("_K_getitem_safe", "_getitem_safe", lookup.lookup_item, hooks=_ITEM_HOOKS),
    Helper("_K_optional_miss", "_optional_miss", lookup.optional_miss),
    # Read as globals: they only run when a name is missing from the context.
    Helper("_K_undef", None, build=lambda c: primitives.make_undefined_variable(c.globals)),
    Helper(
        "_K_global",
        None,
        build=lambda c: passing.make_global_lookup(c.globals, c.environment, c.template_name),
    ),
    # A name missing from the context where its only read reads the context itself.
    Helper(
        "_K_strict_global",
        None,
        build=lambda c: primitives.make_strict_global(
            passing.make_global_lookup(c.globals, c.environment, c.template_name),
            primitives.make_undefined_variable(c.globals),
        ),
    ),
    Helper(
        "_K_context",
        "_context",
        build=lambda c: passing.make_context(c.globals, c.environment, c.template_name),
    ),
    Helper(
        "_K_eval_context", "_eval_context", build=lambda c: passing.make_eval_context(c.environment)
    ),
    Helper(
        "_K_finalize",
        "_finalize",
        build=lambda c: passing.make_finalize(
            c.finalize, c.globals, c.environment, c.template_name
        ),
    ),
    Helper("_K_concat", "_concat", concat, hooks=(Hook("concat"),)),
    Helper("_K_add", "_add", add, hooks=(Hook("add"),)),
    Helper(
        "_K_range_literal",
        "_range_literal",
        range_literal,
        hooks=(Hook("range", make_range_literal),),
    ),
    Helper("_K_slice", "_slice", slice),
    Helper("_K_LoopContext", "_LoopContext", LoopContext),
    Helper("_K_RecursiveLoopContext", "_RecursiveLoopContext", RecursiveLoopContext),
    Helper("_K_ns_set", "_ns_set", primitives.set_namespace_attr),
    Helper("_K_materialize", "_materialize", primitives.materialize),
    Helper("_K_len", "_len", len),
    Helper("_K_enumerate", "_enumerate", enumerate),
    Helper("_K_is_sequence", "_is_sequence", primitives.is_sequence),
    Helper("_K_join", "_join", "".join),
    Helper("_K_markup_join", "_markup_join", markup_join),
    Helper("_K_spaceless", "_spaceless", primitives.spaceless),
    Helper("_K_Exception", "_Exception", Exception),
    Helper("_K_Markup", "_Markup", Markup),
    # ``_str_new(_Markup, text)``: Markup of a str without ``Markup.__new__``'s checks.
    Helper("_K_str_new", "_str_new", str.__new__),
    Helper("_K_NODEFAULT", "_NODEFAULT", primitives.NODEFAULT),
    Helper("_K_scope_context", "_scope_context", primitives.scope_context),
    Helper("_K_render_block", "_render_block", render_block),
    Helper("_K_stream_block", "_stream_block", stream_block),
    Helper("_K_astream_block", "_astream_block", astream_block),
    Helper("_K_super", "_super", super_block),
    Helper("_K_super_text", "_super_text", super_text),
    Helper("_K_self_block", "_self_block", self_block),
    Helper("_K_aself_block", "_aself_block", aself_block),
    Helper("_K_asuper", "_asuper", asuper_block),
    Helper("_K_extends", "_extends", build=lambda c: c.composer.extends),
    Helper("_K_extends_stream", "_extends_stream", build=lambda c: c.composer.extends_stream),
    Helper("_K_extends_astream", "_extends_astream", build=lambda c: c.composer.extends_astream),
    Helper("_K_include", "_include", build=lambda c: c.composer.include),
    Helper("_K_include_stream", "_include_stream", build=lambda c: c.composer.include_stream),
    Helper("_K_include_astream", "_include_astream", build=lambda c: c.composer.include_astream),
    Helper("_K_embed", "_embed", build=lambda c: c.composer.embed),
    Helper("_K_embed_stream", "_embed_stream", build=lambda c: c.composer.embed_stream),
    Helper("_K_embed_astream", "_embed_astream", build=lambda c: c.composer.embed_astream),
    Helper("_K_embed_blocks", "_embed_blocks", embed_blocks),
    Helper("_K_import", "_import", build=lambda c: c.composer.import_module),
    Helper("_K_import_name", "_import_name", build=lambda c: c.composer.import_name),
    Helper("_K_Slots", "_Slots", Slots),
    Helper("_K_render_slot", "_render_slot", render_slot),
    Helper("_K_make_caller", "_make_caller", make_caller),
    Helper("_K_make_has_slot", "_make_has_slot", make_has_slot),
    Helper("_K_check_slots", "_check_slots", check_slots),
    Helper("_K_append_type", "_append_type", APPEND_TYPE),
    Helper("_K_refuse_into", "_refuse_into", refuse_into),
    Helper("_K_takes_into", "_takes_into", takes_into),
    Helper("_K_error_dict", "_error_dict", build=_error_boundary),
    Helper("_K_reraise_syntax_errors", "_reraise_syntax_errors", reraise_syntax_errors),
    Helper("_K_fragment_get", "_fragment_get", build=lambda c: FragmentCache(c.services).get),
    Helper("_K_fragment_set", "_fragment_set", build=lambda c: FragmentCache(c.services).set),
    Helper("_K_AsyncLoopContext", "_AsyncLoopContext", AsyncLoopContext),
    Helper("_K_trans", "_trans", build=lambda c: i18n.make_trans(c.environment, c.guard)),
    # What the inline forms of built-in filters read (see compiler/inline_filters.py).
    Helper("_K_type", "_type", type),
    Helper("_K_isinstance", "_isinstance", isinstance),
    Helper("_K_Undefined", "_Undefined", Undefined),
    Helper("_K_text", "_text", str),
    Helper("_K_text_lower", "_text_lower", str.lower),
    Helper("_K_list", "_list", list),
    Helper("_K_sorted", "_sorted", sorted),
    Helper("_K_html_escape", "_html_escape", html_escape),
    Helper("_K_all_text", "_all_text", primitives.all_text),
    Helper("_K_map_lookup", "_map_lookup", primitives.map_lookup),
    Helper("_K_list_types", "_list_types", primitives.LIST_TYPES),
    Helper("_K_sequence_types", "_sequence_types", primitives.SEQUENCE_TYPES),
    Helper("_K_sized_types", "_sized_types", primitives.SIZED_TYPES),
    Helper("_K_call", "_call", operator.call, hooks=(Hook("call"),), guarded_only=True),
    Helper("_K_mul", "_mul", operator.mul, hooks=(Hook("mul"),), guarded_only=True),
    Helper("_K_pow", "_pow", operator.pow, hooks=(Hook("pow"),), guarded_only=True),
    Helper("_K_mod", "_mod", operator.mod, hooks=(Hook("mod"),), guarded_only=True),
    Helper("_K_zip", "_zip", zip, guarded_only=True),
    Helper("_K_iter", "_iter", primitives.unchanged, hooks=(Hook("iterate"),), guarded_only=True),
    Helper(
        "_K_aiter", "_aiter", primitives.unchanged, hooks=(Hook("aiterate"),), guarded_only=True
    ),
    Helper(
        "_K_loop_budget",
        "_loop_budget",
        partial(repeat, None),  # endless ticks
        hooks=(Hook("loop_budget"),),
        guarded_only=True,
    ),
    Helper("_K_buffer", "_buffer", build=_output_buffer, guarded_only=True),
    # Read as globals: once per function call or per module.
    Helper("_K_dict", None, dict),
    Helper("_K_bool", None, bool),
    Helper("_K_get_rc", None, _current.get),
    Helper("_K_exports", None, primitives.exports),
    Helper(
        "_K_call_region",
        None,
        primitives.call_region,
        hooks=(Hook("call", primitives.make_call_region),),
    ),
    Helper("_K_macro", None, Macro),
    Helper("_K_register_blocks", None, register_blocks),
    Helper("_K_recursion_checked", None, recursion_checked),
    Helper("_K_counted_def", None, build=_counted_def),
)

#: Local alias → namespace global, for the helpers functions bind as locals.
LOCALS: dict[str, str] = {h.local: h.name for h in HELPERS if h.local is not None}


def guard_helper(helper: Helper, guard: object, strict: bool) -> Any:
    """The guard's replacement for ``helper``, or None when the guard has no such hook."""
    hooks = helper.strict_hooks if strict and helper.strict_hooks is not None else helper.hooks
    for hook in hooks:
        method = getattr(guard, hook.method, None)
        if method is not None:
            return method if hook.adapt is None else hook.adapt(method)
    return None
