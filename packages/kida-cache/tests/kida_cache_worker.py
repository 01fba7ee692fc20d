"""Worker for ``test_processes.py``; a plain module so spawned processes can import it."""

from __future__ import annotations

from types import CodeType
from typing import Any, NamedTuple

from kida_cache import BytecodeCache, hash_source
from kida_core.nodes import TemplateNode
from kida_core.parser import parse


class Entry(NamedTuple):
    name: str
    source_hash: str
    code: CodeType
    ast: TemplateNode
    precomputed: list[Any] | None


def entries(worker: int) -> list[Entry]:
    """Four templates shared by every worker plus one private to ``worker``."""
    sources = {f"shared/{i}.html": f"<p>{{{{ x }}}} {i}</p>" * (i * 50 + 1) for i in range(4)}
    sources[f"private/{worker}.html"] = f"<p>worker {worker}</p>"
    return [
        Entry(
            name,
            hash_source(source),
            compile(f"def render(ctx):\n    return {source!r}\n", name, "exec"),
            parse(source, name=name),
            [i, source] if i % 2 else None,
        )
        for i, (name, source) in enumerate(sources.items())
    ]


def hammer(directory: str, worker: int, rounds: int) -> dict[str, int]:
    """Get and set every entry ``rounds`` times; count what the test checks.

    Writes are atomic, so once this process has stored an entry it must hit
    on every later read (another process may replace the file, never remove it).
    """
    cache = BytecodeCache(directory)
    items = entries(worker)
    counts = {"hits": 0, "unexpected_misses": 0, "mismatches": 0}
    stored: set[str] = set()
    for _ in range(rounds):
        for entry in items:
            got = cache.get(entry.name, entry.source_hash)
            if got[0] is None:
                counts["unexpected_misses"] += entry.name in stored
            else:
                counts["hits"] += 1
                counts["mismatches"] += got != (entry.code, entry.ast, entry.precomputed)
            cache.set(
                entry.name,
                entry.source_hash,
                entry.code,
                ast=entry.ast,
                precomputed=entry.precomputed,
            )
            stored.add(entry.name)
    return counts
