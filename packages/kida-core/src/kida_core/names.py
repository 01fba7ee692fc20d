"""Template name resolution: ``@alias/`` prefixes and caller-relative names.

* ``"@components/card.html"`` → the alias target joined with the rest, via
  ``Environment(template_aliases={"components": "ui/components"})``.
* ``"./card.html"`` and ``"../shared/nav.html"`` are relative to the directory
  of the template that asks for them. Escaping above the root, or using a
  relative name without a calling template, is a ``TemplateNotFoundError``.

Everything else is passed to the loader unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping

from kida_core.errors import TemplateNotFoundError


def resolve_template_name(
    name: str, caller: str | None = None, aliases: Mapping[str, str] | None = None
) -> str:
    """The loader-level name for ``name`` requested from template ``caller``."""
    if name.startswith("@"):
        return _resolve_alias(name, aliases or {})
    if name.startswith(("./", "../")):
        return _resolve_relative(name, caller)
    return name


def _resolve_alias(name: str, aliases: Mapping[str, str]) -> str:
    alias, _, rest = name[1:].partition("/")
    target = aliases.get(alias)
    if target is None:
        known = ", ".join(f"@{a}" for a in sorted(aliases)) or "none configured"
        raise TemplateNotFoundError(
            f"Unknown template alias '@{alias}' in {name!r} (known aliases: {known}). "
            "Configure it with Environment(template_aliases={...})."
        )
    return f"{target.rstrip('/')}/{rest}" if rest else target


def _resolve_relative(name: str, caller: str | None) -> str:
    if caller is None:
        raise TemplateNotFoundError(
            f"Relative template name {name!r} needs a calling template; "
            "get_template() takes names relative to the loader root."
        )
    parts = caller.split("/")[:-1]
    for segment in name.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                raise TemplateNotFoundError(
                    f"Relative template name {name!r} from {caller!r} goes above the template root"
                )
            parts.pop()
        else:
            parts.append(segment)
    return "/".join(parts)
