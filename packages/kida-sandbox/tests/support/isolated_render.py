"""Render sandboxed templates in a child process with a capped address space.

A resource test must not take the test run down with it when a limit is missing:
the child gets ``RLIMIT_AS`` set to its own size plus ``headroom`` (an unchecked
allocation then fails with ``MemoryError`` instead of swapping), and reports for
each template the exception it raised and how far its peak RSS (``VmHWM``) grew
over the baseline taken just before the first render. Linux only (``/proc``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

__all__ = ["Outcome", "render_isolated"]

_GIB = 1 << 30

#: The child: reads the job as JSON on stdin, prints one JSON list of outcomes.
_CHILD = r"""
import json, resource, sys
from decimal import Decimal

from kida_core.errors import SecurityError
from kida_core.markup import Markup
from kida_sandbox import SandboxedEnvironment, SandboxPolicy

job = json.load(sys.stdin)
env = SandboxedEnvironment(sandbox_policy=SandboxPolicy(**job["policy"]))
context = {
    "Markup": Markup,
    "huge_decimal": Decimal("1e999999999"),
    "tiny_decimal": Decimal("1e-999999999"),
}
env.from_string("{{ [1] | join }}{{ 'a' ~ 1 }}{{ '%s' % 1 }}").render(**context)  # warm up


def peak_kib():
    # VmHWM is the peak RSS of this process image. getrusage's ru_maxrss is not used:
    # across fork and exec it keeps the parent's peak, which hides growth below it.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


with open("/proc/self/statm") as statm:
    vsize = int(statm.read().split()[0]) * resource.getpagesize()
_, hard = resource.getrlimit(resource.RLIMIT_AS)
resource.setrlimit(resource.RLIMIT_AS, (vsize + job["headroom"], hard))
baseline = peak_kib()
outcomes = []
for source in job["sources"]:
    outcome = {"error": None, "code": None, "message": ""}
    try:
        outcome["output_size"] = len(env.from_string(source, name="bomb.html").render(**context))
    except SecurityError as exc:
        outcome.update(error="SecurityError", code=exc.code.value, message=exc.message)
    except BaseException as exc:
        outcome.update(error=type(exc).__name__, message=str(exc)[:500])
    outcome["peak_growth_mb"] = (peak_kib() - baseline) / 1024
    outcomes.append(outcome)
print(json.dumps(outcomes))
"""


@dataclass(frozen=True)
class Outcome:
    """What rendering one template did in the child."""

    source: str
    #: Exception type name (``None`` when the render succeeded).
    error: str | None
    #: ``K-SEC-00x`` of a ``SecurityError``.
    code: str | None
    message: str
    #: Growth of the child's peak RSS since the baseline, after this template.
    peak_growth_mb: float


def render_isolated(
    sources: list[str],
    policy: dict[str, Any] | None = None,
    *,
    headroom: int = _GIB,
    timeout: float = 120,
) -> list[Outcome]:
    """Render each of ``sources`` (in order, one child process) under ``SandboxPolicy(**policy)``.

    The context holds ``Markup``, ``huge_decimal`` (``Decimal("1e999999999")``) and
    ``tiny_decimal`` (``Decimal("1e-999999999")``).
    """
    job = {"sources": sources, "policy": policy or {}, "headroom": headroom}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child exited with {done.returncode}:\n{done.stderr[-3000:]}")
    reports = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Outcome(source, r["error"], r["code"], r["message"], r["peak_growth_mb"])
        for source, r in zip(sources, reports, strict=True)
    ]
