"""Jinja2 macros at render time: argument binding, ``caller`` and ``self.<block>()``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from kida_core.errors import ErrorCode, TemplateRuntimeError
from kida_core.markup import Markup
from kida_core.runtime.blocks import BlockDef, Blocks, Context
from kida_core.runtime.components import SLOTS_KEYWORD, Slots, check_slots
from kida_core.runtime.primitives import NODEFAULT
from kida_core.runtime.trust import trusted
from kida_core.undefined import UNDEFINED


class Macro:
    """A ``{% macro %}`` (or the body of a ``{% call(args) %}``) called with Jinja2's rules.

    Missing arguments arrive as ``NODEFAULT`` (the generated function fills in
    defaults, or leaves them undefined); extra positional arguments go to
    ``varargs`` and unknown keywords to ``kwargs`` only when the body reads
    those names, otherwise they are an error naming the macro. ``name``,
    ``arguments``, ``catch_varargs``, ``catch_kwargs`` and ``caller`` are
    Jinja2's macro attributes.
    """

    def __init__(
        self,
        func: Callable[..., Markup],
        name: str,
        arguments: tuple[str, ...],
        catch_varargs: bool,
        catch_kwargs: bool,
        caller: bool,
    ) -> None:
        self._func = func
        self.name = name
        self.arguments = arguments
        self.catch_varargs = catch_varargs
        self.catch_kwargs = catch_kwargs
        self.caller = caller
        trusted(self)  # compiled from a template, like a def

    def __repr__(self) -> str:
        return f"<Macro {self.name!r}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Markup:
        slots = kwargs.pop(SLOTS_KEYWORD, None)
        if slots is not None:
            check_slots(slots)
        count = len(self.arguments)
        if len(args) > count and not self.catch_varargs:
            raise self._signature_error(
                f"macro {self.name!r} takes not more than {count} argument(s), got {len(args)}",
                f"pass at most {count} positional argument(s)",
            )
        values = list(args[:count])
        for name in self.arguments[len(values) :]:
            values.append(kwargs.pop(name, NODEFAULT))
        if self.caller:
            values.append(kwargs.pop("caller", NODEFAULT))
            if values[-1] is NODEFAULT:
                values[-1] = macro_caller(slots)
        elif slots is not None:
            # A {% call %} body passed to a macro not reading ``caller``: like any
            # other keyword, it lands in ``kwargs`` or is refused.
            if not self.catch_kwargs:
                raise self._signature_error(
                    f"macro {self.name!r} is called with a {{% call %}} body but never uses caller",
                    "call it without {% call %}, or render the body with caller() in the macro",
                )
            kwargs["caller"] = macro_caller(slots)
        if self.catch_varargs:
            values.append(args[count:])
        if self.catch_kwargs:
            values.append(kwargs)
        elif kwargs:
            unknown = next(iter(kwargs))
            raise self._signature_error(
                f"macro {self.name!r} takes no keyword argument {unknown!r}",
                f"its arguments are: {', '.join(self.arguments) or '(none)'}",
            )
        return self._func(*values)

    def _signature_error(self, message: str, suggestion: str) -> TemplateRuntimeError:
        return TemplateRuntimeError(
            message, suggestion=suggestion, code=ErrorCode.COMPONENT_CALL_SIGNATURE
        )


def macro_caller(slots: Slots | None) -> Any:
    """What ``caller`` is inside a macro: the ``{% call %}`` body, or undefined without one."""
    if slots is None:
        return UNDEFINED
    if slots.caller is not None:
        return slots.caller
    return Macro(slots.render, "caller", (), catch_varargs=False, catch_kwargs=False, caller=False)


# -- self.<block>() --------------------------------------------------------------------


def _most_derived(blocks: Blocks | None, name: str) -> BlockDef:
    chain = (blocks or {}).get(name)
    if not chain:
        available = ", ".join(sorted(blocks or {})) or "none"
        raise TemplateRuntimeError(
            f"self.{name}(): this template has no block '{name}' (available blocks: {available})",
            suggestion="Call self.<name>() with the name of a block of this template or "
            "of a template it extends.",
            code=ErrorCode.RUNTIME_ERROR,
        )
    return chain[0]


def self_block(blocks: Blocks | None, name: str, ctx: Context) -> Markup:
    """``self.name()``: the most derived definition of block ``name``, rendered."""
    definition = _most_derived(blocks, name)
    assert blocks is not None
    return Markup(definition.rendered(ctx, blocks))


async def aself_block(blocks: Blocks | None, name: str, ctx: Context) -> Markup:
    """``self.name()`` inside an async template: the definition's async stream, collected."""
    definition = _most_derived(blocks, name)
    assert blocks is not None
    if definition.astream is None:
        return Markup(definition.rendered(ctx, blocks))
    return Markup("".join([chunk async for chunk in definition.astream(ctx, blocks)]))


# -- required blocks ------------------------------------------------------------------


#: A block definition's function slots and the suffix of each generated function's name.
_SLOTS = ("", "_stream", "_astream", "_cond")

#: One row of :func:`block_defs`: ``(name,)`` for a required block, else ``(name,
#: render, stream, astream, condition, fragment)``, each function slot ``""`` (defined
#: in the module), the name of the deferred part defining it, or None (no such function).
BlockRow = tuple[Any, ...]


def block_defs(
    rows: tuple[BlockRow, ...],
    template: str | None,
    namespace: Mapping[str, Any],
    lazy: Callable[[str, str], Callable[..., Any]] | None = None,
) -> dict[str, BlockDef]:
    """A module's ``_block_defs``: block name → its definition, from one row per block.

    The module defines block ``name``'s functions as ``_block_<name><suffix>`` in
    ``namespace``; those of a deferred part are stood in for by ``lazy(part, function)``.
    """
    defs: dict[str, BlockDef] = {}
    for row in rows:
        name = row[0]
        if len(row) == 1:
            defs[name] = required_block(name, template)
            continue
        functions = []
        for slot, suffix in zip(row[1:5], _SLOTS, strict=True):
            if slot is not None:
                function = f"_block_{name}{suffix}"
                if slot:  # only modules with deferred parts name one
                    assert lazy is not None
                    slot = lazy(slot, function)
                else:
                    slot = namespace[function]
            functions.append(slot)
        render, stream, astream, condition = functions
        defs[name] = BlockDef(render, stream, astream, condition, row[5])
    return defs


def required_block(name: str, template: str | None) -> BlockDef:
    """The definition of ``{% block name required %}``: rendering it is an error."""

    def fail(ctx: Context, blocks: Blocks) -> NoReturn:
        raise TemplateRuntimeError(
            f"Required block '{name}' not found: no template extending "
            f"'{template or '<template>'}' overrides it",
            suggestion=f"Override {{% block {name} %}} in the template you render.",
            code=ErrorCode.RUNTIME_ERROR,
        )

    return BlockDef(fail, fail, fail)
