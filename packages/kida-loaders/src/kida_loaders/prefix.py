"""PrefixLoader: one loader per name prefix."""

from __future__ import annotations

from collections.abc import Mapping

from kida_core.errors import TemplateNotFoundError
from kida_core.protocols import Loader

__all__ = ["PrefixLoader"]


class PrefixLoader:
    """Dispatch on the part of the name before ``delimiter``.

    ``"app/x.html"`` loads ``mapping["app"].get_source("x.html")``. The
    mapping is used live, so prefixes added later are found.
    """

    def __init__(self, mapping: Mapping[str, Loader], delimiter: str = "/") -> None:
        if not delimiter:
            raise ValueError("PrefixLoader delimiter must not be empty")
        self.mapping = mapping
        self.delimiter = delimiter

    def _split(self, name: str) -> tuple[str, Loader, str]:
        """Return ``(prefix, its loader, rest of the name)``."""
        prefix, found, rest = name.partition(self.delimiter)
        loader = self.mapping.get(prefix) if found else None
        if loader is None:
            known = ", ".join(repr(p + self.delimiter) for p in sorted(self.mapping)) or "none"
            raise TemplateNotFoundError(
                f"Template {name!r} not found: no loader for its prefix (known prefixes: {known})"
            )
        return prefix, loader, rest

    def get_source(self, name: str) -> tuple[str, str | None]:
        """Strip the prefix and ask that prefix's loader."""
        prefix, loader, rest = self._split(name)
        try:
            return loader.get_source(rest)
        except TemplateNotFoundError as exc:
            raise self._not_found(name, prefix, exc) from exc

    def source_version(self, name: str) -> object:
        """The prefix loader's token, or ``None`` when that loader cannot detect changes."""
        prefix, loader, rest = self._split(name)
        source_version = getattr(loader, "source_version", None)
        if source_version is None:
            return None
        try:
            return source_version(rest)
        except TemplateNotFoundError as exc:
            raise self._not_found(name, prefix, exc) from exc

    def _not_found(
        self, name: str, prefix: str, exc: TemplateNotFoundError
    ) -> TemplateNotFoundError:
        return TemplateNotFoundError(f"Template {name!r} not found under prefix {prefix!r}: {exc}")

    def list_templates(self) -> list[str]:
        """Every child's names with its prefix and the delimiter in front, sorted."""
        return sorted(
            f"{prefix}{self.delimiter}{name}"
            for prefix, loader in self.mapping.items()
            for name in loader.list_templates()
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.mapping)!r}, delimiter={self.delimiter!r})"
