"""Default ``Environment.policies``: settings some filters read at render time.

Each Environment holds its own copy; templates read it when they render,
so compiled code never depends on these values — except the ``ext.i18n.*``
policies, read when a template compiles (part of its compile options).
"""

from __future__ import annotations

from typing import Any

#: Policy name → default value.
#:
#: * ``json.dumps_function``: the ``tojson`` serializer (None: :func:`json.dumps`).
#: * ``json.dumps_kwargs``: keyword arguments for it (key order kept by default).
#: * ``urlize.rel`` / ``urlize.target``: ``rel`` and ``target`` of ``urlize`` links.
#: * ``urlize.extra_schemes``: further URI schemes ``urlize`` links (``["tel:"]``).
#: * ``truncate.leeway``: characters ``truncate`` lets through past its length.
#: * ``ext.i18n.trusted``: a ``{% trans %}`` translation without bindings is not escaped.
#: * ``ext.i18n.implicit_variables``: a ``{% trans %}`` body may use undeclared names.
DEFAULT_POLICIES: dict[str, Any] = {
    "json.dumps_function": None,
    "json.dumps_kwargs": {"sort_keys": False},
    "urlize.rel": "noopener",
    "urlize.target": None,
    "urlize.extra_schemes": None,
    "truncate.leeway": 0,
    "ext.i18n.trusted": False,
    "ext.i18n.implicit_variables": False,
}


def default_policies() -> dict[str, Any]:
    """A fresh copy of :data:`DEFAULT_POLICIES` (nested values copied too)."""
    return {
        key: dict(value) if isinstance(value, dict) else value
        for key, value in DEFAULT_POLICIES.items()
    }
