"""DictLoader: templates held in memory."""

from __future__ import annotations

from collections.abc import Mapping

from kida_core.errors import TemplateNotFoundError

__all__ = ["DictLoader"]

_REPR_NAMES = 5


class DictLoader:
    """Load templates from a mapping of name to source.

    The mapping is used live, not copied: templates added, changed or removed
    later are seen on the next lookup. Names are plain keys (no path rules
    apply) and ``filename`` is ``None``.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.mapping = mapping

    def get_source(self, name: str) -> tuple[str, None]:
        """Return ``(mapping[name], None)``."""
        return self.source_version(name), None

    def source_version(self, name: str) -> str:
        """The current source itself: a change is any source that compares unequal."""
        try:
            return self.mapping[name]
        except KeyError:
            count = len(self.mapping)
            raise TemplateNotFoundError(
                f"Template {name!r} not found in DictLoader ({count} templates)"
            ) from None

    def list_templates(self) -> list[str]:
        """The mapping's keys, sorted."""
        return sorted(self.mapping)

    def __repr__(self) -> str:
        names = sorted(self.mapping)
        shown = ", ".join(map(repr, names[:_REPR_NAMES]))
        more = f", ... {len(names) - _REPR_NAMES} more" if len(names) > _REPR_NAMES else ""
        return f"{type(self).__name__}([{shown}{more}])"
