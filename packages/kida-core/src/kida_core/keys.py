"""Content keys: stable hashes of template sources, compile settings and filters.

The bytecode cache keys its entries with them, and the compiler keys
``{% cache %}`` fragments by the source and static context they derive from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kida_core.codegen import CODEGEN_VERSION


def hash_source(source: str) -> str:
    """SHA-256 hex digest of the UTF-8 encoded source (the cache key of a source)."""
    import hashlib  # deferred: only templates with a bytecode cache need it

    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def options_hash(options: Mapping[str, Any], static_context: Mapping[str, Any]) -> str:
    """Hash of everything besides the source that shapes generated code.

    Different compile options or static contexts never share cached code.
    Static values are keyed by their pickled state (``repr`` when they cannot
    be pickled); a key that is not stable only costs cache misses.
    """
    import hashlib

    parts = [
        CODEGEN_VERSION,
        sorted(options.items()),
        sorted((k, _value_key(v)) for k, v in static_context.items()),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _value_key(value: object) -> str:
    import pickle

    try:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL).hex()
    except Exception:  # unpicklable values fall back to their repr
        return repr(value)


def function_key(func: object) -> str:
    """Identity of a filter's implementation: where it lives and its code.

    With a ``static_context`` pure filters run at compile time and their
    results are baked into the code, so a changed filter must change the key.
    """
    target = getattr(func, "func", func)
    code = getattr(target, "__code__", None)
    body = repr((code.co_code, code.co_consts)) if code is not None else repr(target)
    where = f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', '')}"
    return f"{where}:{body}"
