"""Objects the Django backend tests name by dotted path in ``OPTIONS``."""

from __future__ import annotations

from typing import Any

from kida import Environment


def site(request: Any) -> dict[str, Any]:
    """A context processor adding the site name and the request path."""
    return {"site_name": "Kida Site", "path": request.path}


def overriding(request: Any) -> dict[str, Any]:
    """A context processor whose key collides with a view's context key."""
    return {"title": "from the processor"}


def shouting_environment(**options: Any) -> Environment:
    """An ``environment`` callable: a Kida Environment with a ``shout`` filter."""
    env = Environment(**options)
    env.add_filter("shout", lambda value: f"{value}!".upper())
    return env


def django_environment(**options: Any) -> Environment:
    """The ``environment`` callable of the Django integration guide (the backend translates)."""
    from django.urls import reverse

    env = Environment(**options)
    env.add_global("url", reverse)
    return env


def shouting_translations_environment(**options: Any) -> Environment:
    """An ``environment`` callable installing translations of its own (they upper-case)."""
    env = Environment(**options)
    env.install_gettext_callables(
        lambda message: message.upper(),
        lambda singular, plural, n: (singular if n == 1 else plural).upper(),
    )
    return env


def newstyle_environment(**options: Any) -> Environment:
    """An ``environment`` callable that only turns newstyle gettext on."""
    env = Environment(**options)
    env.newstyle_gettext = True
    return env
