"""A third-party Kida loader: templates stored as members of a zip archive."""

from __future__ import annotations

import os
import zipfile

from kida_core.errors import TemplateNotFoundError

__all__ = ["ZipLoader"]


class ZipLoader:
    """Serve each file member of ``archive`` as a template named by its member path.

    The archive is reopened on every lookup, so replacing it is picked up;
    ``source_version`` is the archive's ``stat`` token.
    """

    def __init__(self, archive: str | os.PathLike[str], encoding: str = "utf-8") -> None:
        self.archive = os.path.abspath(archive)
        self.encoding = encoding

    def get_source(self, name: str) -> tuple[str, str]:
        """Return ``(member text, "<archive>/<name>")``."""
        with zipfile.ZipFile(self.archive) as archive:
            try:
                data = archive.read(name)
            except KeyError:
                raise self._not_found(name) from None
        return data.decode(self.encoding), f"{self.archive}/{name}"

    def source_version(self, name: str) -> tuple[int, int]:
        """``(st_mtime_ns, st_size)`` of the archive once ``name`` is known to be in it."""
        if name not in self.list_templates():
            raise TemplateNotFoundError(
                f"Template {name!r} not found in zip archive {self.archive}"
            )
        info = os.stat(self.archive)
        return info.st_mtime_ns, info.st_size

    def _not_found(self, name: str) -> TemplateNotFoundError:
        return TemplateNotFoundError(f"Template {name!r} not found in zip archive {self.archive}")

    def list_templates(self) -> list[str]:
        """The archive's file members, sorted."""
        with zipfile.ZipFile(self.archive) as archive:
            return sorted(item.filename for item in archive.infolist() if not item.is_dir())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.archive!r})"
