"""What ``kida check`` looks at: the template files under a directory, and their names.

A file is a template when its name ends in one of the chosen extensions and
no ``--exclude`` pattern matches it. Its template name is its path relative
to the search path that contains it, so ``{% extends %}``, ``{% include %}``
and ``{% import %}`` targets resolve exactly as an application configured
with the same search path would resolve them.

Filters and tests the application registers are unknown here: they get
stand-ins (see :class:`StandIns`), so a template using them is still checked
in full, and each one is reported as a warning rather than an error.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Any

from kida_core.environment import Environment
from kida_core.nodes import Filter, FilterCall, Node, Test, walk

DEFAULT_EXTENSIONS = (".html", ".htm", ".xml", ".kida", ".jinja", ".jinja2", ".j2")
"""File endings ``kida check`` treats as templates when no ``--ext`` is given."""


class NotOnSearchPath(ValueError):
    """The checked directory lies outside every search path."""


@dataclass(frozen=True)
class CheckedFile:
    """One template file found under the checked directory."""

    path: Path
    """The file, as found under the directory given on the command line."""
    name: str
    """Its template name: the path relative to ``root``, ``/``-separated."""
    root: Path
    """The search path the name is relative to."""
    shadowed: bool
    """True when an earlier search path has a file of the same name, which a loader finds first."""


def normalize_extensions(extensions: Iterable[str]) -> tuple[str, ...]:
    """Lower-case endings with a leading dot: ``html`` and ``.HTML`` both give ``.html``."""
    return tuple(ext.lower() if ext.startswith(".") else f".{ext.lower()}" for ext in extensions)


def is_excluded(relative: PurePosixPath, patterns: Sequence[str]) -> bool:
    """Whether a glob matches ``relative`` or one of its leading directories.

    ``*`` also matches ``/``: ``drafts`` excludes the whole ``drafts/`` tree,
    ``*.min.html`` such files at any depth, ``emails/*`` everything under ``emails/``.
    """
    candidates = [relative.as_posix(), *(p.as_posix() for p in relative.parents)]
    return any(fnmatchcase(c, pattern) for c in candidates if c != "." for pattern in patterns)


def _raise(error: OSError) -> None:
    raise error


def template_files(
    directory: Path, extensions: Sequence[str], excludes: Sequence[str]
) -> list[Path]:
    """The template files under ``directory``, sorted by relative path.

    Directories whose names start with a dot (``.git``, ``.venv``) and excluded
    directories are not entered; symlinked directories are not followed. A
    directory that cannot be listed raises :class:`OSError`.
    """
    endings = tuple(extensions)
    found: list[Path] = []
    for current, dirs, files in os.walk(directory, onerror=_raise):
        base = Path(current)
        relative_base = PurePosixPath(base.relative_to(directory).as_posix())
        # Pruned in place, so os.walk does not enter them.
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and not is_excluded(relative_base / d, excludes)
        ]
        for file in files:
            if file.lower().endswith(endings) and not is_excluded(relative_base / file, excludes):
                found.append(base / file)
    return sorted(found, key=lambda path: path.relative_to(directory).parts)


def name_prefix(directory: Path, search_paths: Sequence[Path]) -> tuple[int, PurePosixPath]:
    """Index of the first search path containing ``directory``, and the directory's path in it.

    Raises :class:`NotOnSearchPath` when no search path contains the directory.
    """
    real = directory.resolve()
    for index, search_path in enumerate(search_paths):
        root = search_path.resolve()
        if real.is_relative_to(root):
            return index, PurePosixPath(real.relative_to(root).as_posix())
    raise NotOnSearchPath(
        f"{str(directory)!r} is not inside any search path "
        f"({', '.join(repr(str(p)) for p in search_paths)}); "
        "give --search-path the directory template names start from"
    )


def checked_files(
    directory: Path,
    search_paths: Sequence[Path],
    extensions: Sequence[str],
    excludes: Sequence[str],
) -> list[CheckedFile]:
    """Every template file under ``directory`` with its name under ``search_paths``."""
    index, prefix = name_prefix(directory, search_paths)
    root = search_paths[index]
    earlier = search_paths[:index]
    result = []
    for path in template_files(directory, extensions, excludes):
        name = (prefix / path.relative_to(directory).as_posix()).as_posix()
        shadowed = any((other / name).is_file() for other in earlier)
        result.append(CheckedFile(path=path, name=name, root=root, shadowed=shadowed))
    return result


def _stand_in(value: Any, *args: Any, **kwargs: Any) -> Any:
    """Takes the place of an application filter or test; templates are never rendered."""
    return value


class StandIns:
    """Registers stand-ins for the filters and tests a template uses that the Environment lacks.

    ``--filter``/``--test`` names are declared up front and never reported;
    any other unknown name is reported for every template that uses it, with
    the closest built-in name when one is similar.
    """

    def __init__(self, env: Environment, filters: Iterable[str], tests: Iterable[str]) -> None:
        self._env = env
        self._builtin = {"filter": sorted(env.filters), "test": sorted(env.tests)}
        self._quiet = {"filter": {*env.filters, *filters}, "test": {*env.tests, *tests}}
        for name in self._quiet["filter"] - set(env.filters):
            env.add_filter(name, _stand_in)
        for name in self._quiet["test"] - set(env.tests):
            env.add_test(name, _stand_in)

    def cover(self, tree: Node) -> list[str]:
        """Register what ``tree`` needs; one warning per name the application must provide."""
        used: dict[str, set[str]] = {"filter": set(), "test": set()}
        for node in walk(tree):
            if isinstance(node, Filter | FilterCall):
                used["filter"].add(node.name)
            elif isinstance(node, Test):
                used["test"].add(node.name)
        warnings = []
        for kind, names in used.items():
            for name in sorted(names - self._quiet[kind]):
                if kind == "filter":
                    self._env.add_filter(name, _stand_in)
                else:
                    self._env.add_test(name, _stand_in)
                close = difflib.get_close_matches(name, self._builtin[kind], n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                warnings.append(
                    f"unknown {kind} '{name}'{hint}; if the application registers it, "
                    f"declare it with --{kind} {name}"
                )
        return warnings
