"""ChoiceLoader: the first of several loaders that has the template."""

from __future__ import annotations

from collections.abc import Iterable

from kida_core.errors import TemplateNotFoundError
from kida_core.protocols import Loader

__all__ = ["ChoiceLoader"]


class ChoiceLoader:
    """Try loaders in order; the first that does not raise ``TemplateNotFoundError`` wins.

    Typical use is a theme over a default: ``ChoiceLoader([custom, default])``.
    """

    def __init__(self, loaders: Iterable[Loader]) -> None:
        self.loaders: tuple[Loader, ...] = tuple(loaders)

    def get_source(self, name: str) -> tuple[str, str | None]:
        """Return the source from the first loader that has ``name``."""
        misses: list[TemplateNotFoundError] = []
        for loader in self.loaders:
            try:
                return loader.get_source(name)
            except TemplateNotFoundError as exc:
                misses.append(exc)
        raise self._not_found(name, misses)

    def source_version(self, name: str) -> tuple[int, object] | None:
        """``(index of the winning loader, its token)``, or ``None`` if it cannot tell.

        A loader without ``source_version`` is probed with ``get_source`` (the
        only way to learn whether it has the template); when it wins, changes
        cannot be detected and ``None`` is returned.
        """
        misses: list[TemplateNotFoundError] = []
        for index, loader in enumerate(self.loaders):
            source_version = getattr(loader, "source_version", None)
            try:
                if source_version is None:
                    loader.get_source(name)
                    return None
                version = source_version(name)
            except TemplateNotFoundError as exc:
                misses.append(exc)
                continue
            return None if version is None else (index, version)
        raise self._not_found(name, misses)

    def _not_found(self, name: str, misses: list[TemplateNotFoundError]) -> TemplateNotFoundError:
        if not misses:
            return TemplateNotFoundError(f"Template {name!r} not found: the ChoiceLoader is empty")
        tried = "".join(f"\n  - {miss}" for miss in misses)
        return TemplateNotFoundError(
            f"Template {name!r} not found by any of {len(misses)} loaders:{tried}"
        )

    def list_templates(self) -> list[str]:
        """Every child's names, merged, deduplicated and sorted."""
        return sorted({name for loader in self.loaders for name in loader.list_templates()})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.loaders)!r})"
