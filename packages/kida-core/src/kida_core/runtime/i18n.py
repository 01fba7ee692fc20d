"""Gettext at render time: the callables a render translates with, ``{% trans %}`` and ``_()``.

A :class:`Catalog` is one language's gettext callables. Which one a render
uses is decided when it is called, first match wins:

1. the render's context keys ``gettext``/``ngettext``/``pgettext``/``npgettext``
   (each one on its own; ``{% trans %}`` only),
2. the catalog made active with ``Environment.use_translations`` (a ContextVar,
   so per thread and per asyncio task; a render captures it when it starts),
3. the catalog installed on the Environment (``Environment._catalog``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from kida_core.decorators import pass_eval_context
from kida_core.errors import ErrorCode, TemplateRuntimeError
from kida_core.markup import Markup
from kida_core.render_context import _current
from kida_core.runtime.output import escape_output

__all__ = [
    "ACTIVE",
    "GETTEXT_GLOBALS",
    "IDENTITY",
    "Catalog",
    "callables_catalog",
    "catalog_of",
    "drop_context",
    "identity_gettext",
    "identity_ngettext",
    "make_trans",
]


def identity_gettext(message: str) -> str:
    """Gettext without a catalog: the message itself."""
    return message


def identity_ngettext(singular: str, plural: str, n: Any) -> str:
    """Ngettext without a catalog: the singular only when ``n == 1``."""
    return singular if n == 1 else plural


def identity_pgettext(context: str, message: str) -> str:
    """Pgettext without a catalog: the message itself."""
    return message


def identity_npgettext(context: str, singular: str, plural: str, n: Any) -> str:
    """Npgettext without a catalog: the singular only when ``n == 1``."""
    return singular if n == 1 else plural


@dataclass(frozen=True, slots=True)
class Catalog:
    """The gettext callables one language renders with.

    ``newstyle``: ``_()``/``gettext()``... format their result with their
    keyword arguments (and escape them when the template autoescapes), and
    ``{% trans %}`` always %-formats its translation.
    """

    gettext: Callable[[str], Any]
    ngettext: Callable[[str, str, Any], Any]
    pgettext: Callable[[str, str], Any] = identity_pgettext
    npgettext: Callable[[str, str, str, Any], Any] = identity_npgettext
    newstyle: bool = False

    @property
    def is_identity(self) -> bool:
        """True for the built-in identity functions with oldstyle formatting."""
        return (
            self.gettext is identity_gettext
            and self.ngettext is identity_ngettext
            and self.pgettext is identity_pgettext
            and self.npgettext is identity_npgettext
            and not self.newstyle
        )


IDENTITY = Catalog(identity_gettext, identity_ngettext)

#: The catalog of ``Environment.use_translations`` (None: the Environment's own).
ACTIVE: ContextVar[Catalog | None] = ContextVar("kida_translations", default=None)


def catalog_of(translations: Any, newstyle: bool) -> Catalog:
    """A catalog from a translations object (stdlib ``GNUTranslations``, Babel ``Translations``).

    ``pgettext``/``npgettext`` are taken when the object has them; without
    them a message context is ignored (the plain lookups are used).
    """
    return callables_catalog(
        translations.gettext,
        translations.ngettext,
        newstyle,
        getattr(translations, "pgettext", None),
        getattr(translations, "npgettext", None),
    )


def callables_catalog(
    gettext: Callable[[str], Any],
    ngettext: Callable[[str, str, Any], Any],
    newstyle: bool,
    pgettext: Callable[[str, str], Any] | None = None,
    npgettext: Callable[[str, str, str, Any], Any] | None = None,
) -> Catalog:
    """The catalog of separate gettext callables (without ``p*`` ones a context is ignored)."""
    return Catalog(
        gettext,
        ngettext,
        pgettext if pgettext is not None else drop_context(gettext),
        npgettext if npgettext is not None else drop_context(ngettext),
        newstyle,
    )


def drop_context(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` called without its first argument (a message context it cannot use)."""

    def without_context(context: str, *args: Any) -> Any:
        return func(*args)

    return without_context


def current_catalog(environment: Any) -> Catalog:
    """The catalog of the running render (2 then 3 of the module docstring)."""
    rc = _current.get()
    catalog: Catalog | None = rc.translations if rc is not None else ACTIVE.get()
    if catalog is None:
        catalog = environment._catalog if environment is not None else IDENTITY
    return catalog


# -- errors ----------------------------------------------------------------------------------


def _error(
    message: str, suggestion: str, cause: BaseException | None = None
) -> TemplateRuntimeError:
    """A TemplateRuntimeError at the running template's current line."""
    rc = _current.get()
    error = TemplateRuntimeError(
        message,
        template_name=rc.template_name if rc is not None else None,
        lineno=rc.line if rc is not None else None,
        suggestion=suggestion,
        code=ErrorCode.RUNTIME_ERROR,
    )
    error.__cause__ = cause
    return error


def _translate(func: Callable[..., Any], msgid: str, *args: Any) -> str:
    """``func(*args)``, which must return a string; anything else is a located error."""
    try:
        text = func(*args)
    except TemplateRuntimeError:
        raise
    except Exception as exc:
        raise _error(
            f"translating {msgid!r} failed: {type(exc).__name__}: {exc}",
            "check the gettext callables installed on the Environment or passed to the render",
            exc,
        ) from exc
    if not isinstance(text, str):
        raise _error(
            f"the translation of {msgid!r} is {type(text).__name__}, not a string",
            "gettext callables must return str",
        )
    return text


def _format(
    mod: Callable[[Any, Any], Any], text: str, variables: Mapping[str, Any], msgid: str
) -> Any:
    """``text % variables``; a translation that does not fit its variables is a located error."""
    try:
        return mod(text, variables)
    except TemplateRuntimeError:
        raise
    except (KeyError, ValueError, TypeError) as exc:
        raise _error(
            f"the translation of {msgid!r} cannot be formatted: {type(exc).__name__}: {exc}",
            "placeholders must be %(name)s of the tag's bindings; write %% for a literal "
            "percent sign",
            exc,
        ) from exc


def _mod_of(environment: Any) -> Callable[[Any, Any], Any]:
    """The runtime guard's ``%`` (which sizes the result first), or plain ``%``."""
    guard = environment.runtime_guard if environment is not None else None
    mod = getattr(guard, "mod", None)
    return mod if mod is not None else operator.mod


# -- {% trans %} -----------------------------------------------------------------------------


def make_trans(environment: Any, guard: Any) -> Callable[..., str]:
    """The ``{% trans %}`` helper of one template."""
    guard_mod = getattr(guard, "mod", None)
    mod: Callable[[Any, Any], Any] = guard_mod if guard_mod is not None else operator.mod

    def trans(
        ctx: Mapping[str, Any],
        autoescape: bool,
        trusted: bool,
        msgctxt: str | None,
        singular: str,
        plural: str | None,
        variables: dict[str, Any] | None,
        count: Any,
    ) -> str:
        """The output of one ``{% trans %}``: translated, formatted, escaped."""
        catalog = current_catalog(environment)
        if plural is None:
            if msgctxt is None:
                func = ctx.get("gettext") or catalog.gettext
                text = _translate(func, singular, singular)
            else:
                func = ctx.get("pgettext") or catalog.pgettext
                text = _translate(func, singular, msgctxt, singular)
        elif msgctxt is None:
            func = ctx.get("ngettext") or catalog.ngettext
            text = _translate(func, singular, singular, plural, count)
        else:
            func = ctx.get("npgettext") or catalog.npgettext
            text = _translate(func, singular, msgctxt, singular, plural, count)
        if variables is None and not catalog.newstyle:
            # No bindings: the translation is text like any output (unless trusted).
            if not autoescape or trusted:
                return text
            return escape_output(text)
        values = {} if variables is None else variables
        if plural is not None and "num" not in values:
            values = {**values, "num": count}
        if autoescape:  # the translation is trusted, the values are escaped
            return _format(mod, Markup(text), values, singular)  # type: ignore[no-any-return]
        return _format(mod, str(text), values, singular)  # type: ignore[no-any-return]

    return trans


# -- the gettext globals ---------------------------------------------------------------------


def _finish(
    eval_ctx: Any, catalog: Catalog, text: str, msgid: str, variables: dict[str, Any]
) -> Any:
    """Newstyle: format ``text`` with ``variables`` (escaping them under autoescape)."""
    if not catalog.newstyle:
        if variables:
            raise _error(
                f"{msgid!r} is translated with keyword arguments, but the installed gettext "
                "is not newstyle",
                "install the translations with newstyle=True, or format the result with "
                "the format filter",
            )
        return text
    template = Markup(text) if eval_ctx.autoescape else text
    return _format(_mod_of(eval_ctx.environment), template, variables, msgid)


@pass_eval_context
def gettext(eval_ctx: Any, message: str, **variables: Any) -> Any:
    """``_(message)`` / ``gettext(message)``: the translation of ``message``."""
    catalog = current_catalog(eval_ctx.environment)
    text = _translate(catalog.gettext, message, message)
    return _finish(eval_ctx, catalog, text, message, variables)


@pass_eval_context
def ngettext(eval_ctx: Any, singular: str, plural: str, n: Any, **variables: Any) -> Any:
    """``_n(s, p, n)`` / ``ngettext(s, p, n)``; newstyle binds ``num`` to ``n``."""
    catalog = current_catalog(eval_ctx.environment)
    text = _translate(catalog.ngettext, singular, singular, plural, n)
    if catalog.newstyle:
        variables.setdefault("num", n)
    return _finish(eval_ctx, catalog, text, singular, variables)


@pass_eval_context
def pgettext(eval_ctx: Any, context: str, message: str, **variables: Any) -> Any:
    """``pgettext(context, message)``: the translation of ``message`` in ``context``."""
    catalog = current_catalog(eval_ctx.environment)
    text = _translate(catalog.pgettext, message, context, message)
    return _finish(eval_ctx, catalog, text, message, variables)


@pass_eval_context
def npgettext(
    eval_ctx: Any, context: str, singular: str, plural: str, n: Any, **variables: Any
) -> Any:
    """``npgettext(context, s, p, n)``; newstyle binds ``num`` to ``n``."""
    catalog = current_catalog(eval_ctx.environment)
    text = _translate(catalog.npgettext, singular, context, singular, plural, n)
    if catalog.newstyle:
        variables.setdefault("num", n)
    return _finish(eval_ctx, catalog, text, singular, variables)


#: The template globals that translate through the current catalog.
GETTEXT_GLOBALS: dict[str, Callable[..., Any]] = {
    "_": gettext,
    "gettext": gettext,
    "_n": ngettext,
    "ngettext": ngettext,
    "pgettext": pgettext,
    "npgettext": npgettext,
}
