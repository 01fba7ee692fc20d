"""PackageLoader: templates shipped inside an importable Python package."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kida_core.errors import TemplateNotFoundError
from kida_loaders.decoding import decode_source
from kida_loaders.paths import is_hidden, is_safe_name, is_within, split_template_name

__all__ = ["PackageLoader"]


if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


class PackageLoader:
    """Load templates from ``package_path`` inside package ``package_name``.

    Uses :func:`importlib.resources.files`, so the package may be a plain
    directory, an editable install or a zip file / wheel on ``sys.path``.
    ``filename`` is the resource's string path. Names follow
    :mod:`kida_loaders.paths`; on disk, a symlink leading outside the
    template directory is refused as with ``FileSystemLoader``. Changes are
    detected (``stat``) only for resources that are real files on disk.

    The package is imported lazily, on the first ``get_source``,
    ``source_version`` or ``list_templates``; that call raises
    ``ModuleNotFoundError`` for an unknown package and ``ValueError`` when the
    package has no such directory.
    """

    def __init__(
        self, package_name: str, package_path: str = "templates", encoding: str = "utf-8"
    ) -> None:
        self.package_name = package_name
        self.package_path = package_path
        self.encoding = encoding
        # The package is imported on first use, not here: building a loader
        # (at import time of an application, say) never imports its package.
        self._resolved: tuple[Traversable, str | None] | None = None

    @property
    def _root(self) -> Traversable:
        """The template directory, resolved (and the package imported) on first use."""
        return self._resolve()[0]

    @property
    def _real_root(self) -> str | None:
        """The real path of an on-disk template directory, ``None`` inside an archive."""
        return self._resolve()[1]

    def _resolve(self) -> tuple[Traversable, str | None]:
        """Import the package and find the template directory (once; a race only repeats it)."""
        if self._resolved is not None:
            return self._resolved
        from importlib import resources  # deferred: costly to import, rarely needed

        root = resources.files(self.package_name)
        for part in self.package_path.split("/"):
            if part not in ("", "."):
                root = root.joinpath(part)
        if not root.is_dir():
            raise ValueError(
                f"PackageLoader: package {self.package_name!r} has no directory "
                f"{self.package_path!r} (looked at {root})"
            )
        real_root = os.path.realpath(root) if isinstance(root, Path) else None
        self._resolved = (root, real_root)
        return self._resolved

    def _escapes(self, resource: Traversable) -> bool:
        """Whether an on-disk resource's real path lies outside the template directory."""
        return (
            isinstance(resource, Path)
            and self._real_root is not None
            and not is_within(os.path.realpath(resource), self._real_root)
        )

    def _resource(self, name: str) -> Traversable:
        """Return the file ``name`` refers to; raise ``TemplateNotFoundError`` otherwise."""
        resource = self._root
        for part in split_template_name(name):
            resource = resource.joinpath(part)
        if not resource.is_file():
            raise TemplateNotFoundError(
                f"Template {name!r} not found in package {self.package_name!r} at {self._root}"
            )
        if self._escapes(resource):
            raise TemplateNotFoundError(
                f"Template {name!r} refused: {resource} resolves outside {self._root} "
                "(symlinks may not leave the template directory)"
            )
        return resource

    def get_source(self, name: str) -> tuple[str, str]:
        """Return ``(source, resource path)``."""
        resource = self._resource(name)
        filename = str(resource)
        try:
            data = resource.read_bytes()
        except OSError as exc:
            raise TemplateNotFoundError(
                f"Template {name!r} found at {filename} but cannot be read: {exc.strerror or exc}"
            ) from exc
        return decode_source(data, self.encoding, name=name, filename=filename), filename

    def source_version(self, name: str) -> tuple[str, int, int] | None:
        """A stat token ``(real path, st_mtime_ns, st_size)`` for a file on disk, else ``None``."""
        resource = self._resource(name)
        if not isinstance(resource, Path):
            return None
        real = os.path.realpath(resource)
        try:
            info = os.stat(real)
        except FileNotFoundError:
            raise TemplateNotFoundError(
                f"Template {name!r} not found in package {self.package_name!r} at {self._root}"
            ) from None
        return real, info.st_mtime_ns, info.st_size

    def list_templates(self) -> list[str]:
        """Every loadable name below the template directory, sorted.

        Hidden entries (``.name``) and ``__pycache__`` are skipped; symlinked
        directories are not walked.
        """
        names: list[str] = []
        pending: list[tuple[Traversable, str]] = [(self._root, "")]
        while pending:
            directory, prefix = pending.pop()
            for entry in directory.iterdir():
                name = prefix + entry.name
                if is_hidden(entry.name) or not is_safe_name(name):
                    continue
                if entry.is_dir():
                    if not (isinstance(entry, Path) and entry.is_symlink()):
                        pending.append((entry, name + "/"))
                elif entry.is_file() and not self._escapes(entry):
                    names.append(name)
        return sorted(names)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.package_name!r}, {self.package_path!r}, "
            f"encoding={self.encoding!r})"
        )
