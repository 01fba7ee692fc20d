"""Template-name safety: which names a loader accepts and how they are split.

Template names are ``/``-separated paths relative to a loader's root. A name
is refused with :class:`~kida_core.errors.TemplateNotFoundError` (whose
message says why) when it

* is absolute: it starts with ``/`` or ``\\``;
* contains a backslash anywhere (Windows would read it as a separator);
* has a segment starting with a Windows drive such as ``C:`` (``C:\\x``,
  ``C:x``, ``sub/C:x``);
* contains a NUL byte;
* has a ``..`` segment anywhere, even one that would stay inside the root
  (``a/../b``).

``.`` segments and empty segments are dropped, so ``./a//b.html`` names
``a/b.html``. File-based loaders additionally resolve the final path with
:func:`os.path.realpath` and refuse a file whose real path lies outside the
real path of its root (see :func:`is_within`), so a symlink cannot lead out
of the root while symlinks inside it keep working.

Names relative to a calling template (``./x.html``, ``../x.html`` inside an
``{% include %}``) are resolved by the Environment before a loader sees them.
"""

from __future__ import annotations

import functools
import os
import re

from kida_core.errors import TemplateNotFoundError

__all__ = ["is_hidden", "is_safe_name", "is_within", "split_template_name"]

_DRIVE = re.compile(r"[A-Za-z]:")


def _refusal(name: str) -> str | None:
    """Return why ``name`` is unsafe, or ``None`` when it is acceptable."""
    if "\x00" in name:
        return "it contains a NUL byte"
    if name.startswith(("/", "\\")):
        return "it is absolute; template names are relative to the loader's root"
    segments = name.split("/")
    if any(_DRIVE.match(segment) for segment in segments):
        return "it contains a Windows drive such as 'C:'"
    if "\\" in name:
        return "it contains a backslash; separate directories with '/'"
    if ".." in segments:
        return "it contains a '..' segment, which could escape the loader's root"
    return None


@functools.lru_cache(maxsize=2048)
def split_template_name(name: str) -> tuple[str, ...]:
    """Return the path segments of ``name``; raise ``TemplateNotFoundError`` if unsafe.

    Memoised (names repeat on every ``get_template``; refusals are not cached).
    """
    reason = _refusal(name)
    if reason is not None:
        raise TemplateNotFoundError(f"Template {name!r} refused: {reason}")
    segments = tuple(segment for segment in name.split("/") if segment not in ("", "."))
    if not segments:
        raise TemplateNotFoundError(f"Template {name!r} refused: the name is empty")
    return segments


def is_safe_name(name: str) -> bool:
    """Whether :func:`split_template_name` accepts ``name``."""
    return _refusal(name) is None and any(s not in ("", ".") for s in name.split("/"))


def is_hidden(entry: str) -> bool:
    """Whether ``list_templates`` skips a file or directory of this name.

    Dot-entries (``.git``, ``.DS_Store``) and ``__pycache__`` (where the
    bytecode cache may live) are skipped; they can still be loaded by name.
    """
    return entry.startswith(".") or entry == "__pycache__"


def is_within(real_path: str, real_root: str) -> bool:
    """Whether ``real_path`` is ``real_root`` or lies below it (both already resolved)."""
    return os.path.commonpath([real_path, real_root]) == real_root
