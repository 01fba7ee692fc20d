"""Child process for ``test_damage.py``: renders through damaged cache entries.

Run as ``python kida_cache_damage_worker.py JOB`` where ``JOB`` is a JSON
object. A crash (e.g. SIGSEGV in ``marshal``) or a hang only kills this
process; the parent reads its exit code and its JSON report on stdout.
Before each load the worker names the damage on stderr, so the last line
there identifies the file that crashed it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from kida_cache import BytecodeCache
from kida_cache.record import RecordError, decode
from kida_core import Environment
from kida_loaders import FileSystemLoader


def render(job: dict[str, Any], compiled: list[str | None]) -> str:
    """Render ``job["template"]`` with a fresh Environment, recording real compilations."""
    env = Environment(
        loader=FileSystemLoader(job["templates"]), bytecode_cache=BytecodeCache(job["cache"])
    )
    original = env._compile_source

    def counting(source: str, name: str | None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return original(source, name, *args, **kwargs)

    env._compile_source = counting  # type: ignore[method-assign]
    return env.render(job["template"], job["context"])


def check(job: dict[str, Any], entry: Path, label: str) -> list[str]:
    """Problems with one render through the entry as it is now (empty when all is well)."""
    print(label, file=sys.stderr, flush=True)
    compiled: list[str | None] = []
    problems = []
    output = render(job, compiled)
    if output != job["expected"]:
        problems.append(f"{label}: wrong output {output!r}")
    if compiled != [job["template"]]:
        problems.append(f"{label}: compiled {compiled!r}, expected only the damaged template")
    try:
        decode(entry.read_bytes())
    except (OSError, RecordError) as exc:
        problems.append(f"{label}: entry not rewritten ({exc!r})")
    return problems


def flips(job: dict[str, Any]) -> dict[str, Any]:
    """Load the entry once per ``(offset, bit)`` in ``job["flips"]``, each bit inverted."""
    entry = Path(job["entry"])
    good = entry.read_bytes()
    problems = []
    for offset, bit in job["flips"]:
        damaged = bytearray(good)
        damaged[offset] ^= 1 << bit
        entry.write_bytes(damaged)
        problems += check(job, entry, f"offset {offset} bit {bit}")
    return {"runs": len(job["flips"]), "problems": problems}


def once(job: dict[str, Any]) -> dict[str, Any]:
    """Load the entry as the parent left it (a FIFO, a symlink, ...)."""
    problems = check(job, Path(job["entry"]), "entry as left by the parent")
    return {"runs": 1, "problems": problems}


def main() -> None:
    job = json.loads(sys.argv[1])
    report = flips(job) if "flips" in job else once(job)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
