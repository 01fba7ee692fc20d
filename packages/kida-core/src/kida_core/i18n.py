"""The Environment's translations: what ``install_*``, ``use_translations`` and ``extensions=`` do.

The Environment keeps one :class:`~kida_core.runtime.i18n.Catalog` (its
``_catalog``) and delegates every i18n method here. Templates look the catalog
up when they render (see :mod:`kida_core.runtime.i18n`), so installing after a
template compiled still translates it — except ``optimize_translations``
templates, compiled while the identity gettext was installed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from kida_core.runtime.i18n import (
    ACTIVE,
    GETTEXT_GLOBALS,
    IDENTITY,
    Catalog,
    callables_catalog,
    catalog_of,
    identity_ngettext,
)

__all__ = [
    "EXTENSIONS",
    "GETTEXT_GLOBALS",
    "Catalog",
    "callables_catalog",
    "check_extensions",
    "initial_catalog",
    "initial_globals",
    "null_catalog",
    "translations_catalog",
    "use_translations",
]

#: ``Environment(extensions=...)`` names accepted: what they add is built in.
EXTENSIONS = frozenset(
    {
        "jinja2.ext.i18n",
        "jinja2.ext.InternationalizationExtension",
        "jinja2.ext.loopcontrols",
        "jinja2.ext.LoopControlExtension",
        "kida.ext.i18n",
    }
)


def check_extensions(extensions: Any) -> None:
    """Reject any extension other than the built-in ones (names or Jinja2's classes)."""
    for extension in extensions:
        name = (
            f"{extension.__module__}.{extension.__qualname__}"
            if isinstance(extension, type)
            else extension
        )
        if name not in EXTENSIONS:
            raise ValueError(
                f"extension {extension!r} is not available: Kida accepts only "
                f"{', '.join(sorted(EXTENSIONS))} (their features are built in); "
                "add custom behaviour with filters, tests and globals"
            )


def initial_globals(user_globals: Mapping[str, Any]) -> dict[str, Callable[..., Any]]:
    """The gettext globals to register under the user's (which are kept).

    A user's own ``_`` also drives ``{% trans %}``; ``_n`` is then not added.
    """
    skip = {"_n"} if _user_gettext(user_globals) is not None else set()
    return {
        name: func
        for name, func in GETTEXT_GLOBALS.items()
        if name not in user_globals and name not in skip
    }


def initial_catalog(user_globals: Mapping[str, Any]) -> Catalog:
    """The identity catalog, or one around the user's own ``_`` global."""
    gettext = _user_gettext(user_globals)
    return IDENTITY if gettext is None else Catalog(gettext, identity_ngettext)


def _user_gettext(user_globals: Mapping[str, Any]) -> Callable[[str], Any] | None:
    gettext = user_globals.get("_")
    return None if gettext is None or gettext is GETTEXT_GLOBALS["_"] else gettext


def translations_catalog(translations: Any, newstyle: bool) -> Catalog:
    """The catalog of a translations object (``gettext``/``ngettext`` required)."""
    for method in ("gettext", "ngettext"):
        if not callable(getattr(translations, method, None)):
            raise TypeError(
                f"translations must have gettext() and ngettext() methods "
                f"(GNUTranslations, Babel Translations...): {type(translations).__name__} "
                f"has no {method}()"
            )
    return catalog_of(translations, newstyle)


def null_catalog(newstyle: bool) -> Catalog:
    """The identity functions (so ``optimize_translations`` applies again)."""
    return dataclasses.replace(IDENTITY, newstyle=newstyle)


@contextmanager
def use_translations(catalog: Catalog) -> Iterator[Catalog]:
    """Make ``catalog`` the one renders started inside the block use (this thread/task)."""
    token = ACTIVE.set(catalog)
    try:
        yield catalog
    finally:
        ACTIVE.reset(token)
