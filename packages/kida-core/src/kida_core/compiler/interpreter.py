"""Facts about the running interpreter that change the code the compiler emits."""

from __future__ import annotations

import functools
import sys


def _probe(remaining: int, _unused: object = None) -> bool:
    """Recurse ``remaining`` times, each call leaving ``_unused`` to its default."""
    return remaining <= 0 or _probe(remaining - 1)


@functools.cache
def default_filling_calls_check_recursion() -> bool:
    """Whether a call that fills defaults or packs ``*args`` hits the recursion limit.

    Some CPython builds (3.13.0 among them) skip the recursion check on that call
    path: a function recursing through it grows the stack until memory runs out
    instead of raising ``RecursionError``. Every generated def has a defaulted
    keyword-only parameter, so a def that calls itself without end would take the
    process down. The probe recurses a little past the limit through such calls.
    """
    try:
        _probe(sys.getrecursionlimit() + 50)
    except RecursionError:
        return True
    return False
