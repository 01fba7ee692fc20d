"""FileSystemLoader: templates read from one or more directories."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TypeAlias

from kida_core.errors import TemplateNotFoundError
from kida_loaders.decoding import decode_source
from kida_loaders.paths import is_hidden, is_safe_name, is_within, split_template_name

__all__ = ["FileSystemLoader"]

StrPath: TypeAlias = str | os.PathLike[str]


class FileSystemLoader:
    """Load templates from directories, searched in order; the first hit wins.

    ``filename`` is the absolute path of the file (through the search path as
    given, symlinks unresolved). Names follow :mod:`kida_loaders.paths`; in
    addition a file whose real path lies outside the real path of its search
    path is refused, so symlinks may point anywhere inside a root but not out
    of it. A directory or other non-regular file under a name is skipped and
    the search goes on.
    """

    def __init__(self, paths: StrPath | Iterable[StrPath], encoding: str = "utf-8") -> None:
        if isinstance(paths, str | os.PathLike):
            paths = [paths]
        self.configured_paths = tuple(Path(path) for path in paths)
        """The search paths as given (relative ones stay relative)."""
        self._search_paths = tuple(path.absolute() for path in self.configured_paths)
        self._search_path_strings = tuple(map(str, self._search_paths))
        self.encoding = encoding

    @property
    def search_paths(self) -> tuple[Path, ...]:
        """The directories searched, in order, as absolute paths."""
        return self._search_paths

    def _locate(self, name: str) -> tuple[str, str, os.stat_result]:
        """Return ``(filename, real path, stat)`` of the file ``name`` loads now."""
        parts = split_template_name(name)
        notes: list[str] = []
        for root in map(str, self._search_paths):
            filename = os.path.join(root, *parts)
            real = os.path.realpath(filename)
            try:
                info = os.stat(real)
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as exc:
                notes.append(f"{filename}: {exc.strerror or exc}")
                continue
            real_root = os.path.realpath(root)
            if not is_within(real, real_root):
                raise TemplateNotFoundError(
                    f"Template {name!r} refused: {filename} resolves outside its search "
                    f"path {root} (symlinks may not leave the search path)"
                )
            if stat.S_ISREG(info.st_mode):
                return filename, real, info
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            notes.append(f"{filename} is {kind}")
        raise self._not_found(name, notes)

    def _not_found(self, name: str, notes: list[str]) -> TemplateNotFoundError:
        roots = ", ".join(map(str, self._search_paths)) or "(no search paths)"
        detail = "".join(f"; {note}" for note in notes)
        return TemplateNotFoundError(f"Template {name!r} not found in: {roots}{detail}")

    def get_source(self, name: str) -> tuple[str, str]:
        """Return ``(source, absolute filename)`` of the first file named ``name``."""
        filename, real, _ = self._locate(name)
        try:
            data = Path(real).read_bytes()
        except FileNotFoundError:
            raise self._not_found(name, [f"{filename} was removed while loading"]) from None
        except OSError as exc:
            raise TemplateNotFoundError(
                f"Template {name!r} found at {filename} but cannot be read: {exc.strerror or exc}"
            ) from exc
        return decode_source(data, self.encoding, name=name, filename=filename), filename

    def source_version(self, name: str) -> tuple[int, int, int, int]:
        """``(search path index, inode, st_mtime_ns, st_size)`` of the file ``name`` loads now.

        One ``stat`` per search path tried and no ``realpath``: this runs on
        every ``get_template`` with auto-reload. Any change it reports leads to
        a reload through :meth:`get_source`, which applies the symlink rule
        again. Raises ``TemplateNotFoundError`` once no search path has the file.
        """
        parts = split_template_name(name)
        for index, root in enumerate(self._search_path_strings):
            try:
                info = os.stat(os.path.join(root, *parts))
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                return index, info.st_ino, info.st_mtime_ns, info.st_size
        raise self._not_found(name, [])

    def list_templates(self) -> list[str]:
        """Every loadable name, sorted and deduplicated across the search paths.

        Hidden entries (``.name``) and ``__pycache__`` are skipped, as are
        symlinks leading out of the root; symlinked directories are not walked.
        """
        names: set[str] = set()
        for root in map(str, self._search_paths):
            real_root = os.path.realpath(root)
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = [entry for entry in dirnames if not is_hidden(entry)]
                for entry in filenames:
                    path = os.path.join(dirpath, entry)
                    name = os.path.relpath(path, root).replace(os.sep, "/")
                    if is_hidden(entry) or not is_safe_name(name):
                        continue
                    real = os.path.realpath(path)
                    if is_within(real, real_root) and os.path.isfile(real):
                        names.add(name)
        return sorted(names)

    def __repr__(self) -> str:
        paths = [str(path) for path in self._search_paths]
        return f"{type(self).__name__}({paths!r}, encoding={self.encoding!r})"
