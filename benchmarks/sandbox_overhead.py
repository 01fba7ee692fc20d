"""Sandbox overhead: every benchmark scenario rendered by Environment vs SandboxedEnvironment.

Both environments use the default settings (the sandbox with its default policy);
outputs must be identical (exit 1 otherwise, nothing is timed). Each render is
timed with ``timeit`` (auto-ranged loop count, best of N repeats) and the table
shows µs per render and the ratio sandboxed/plain (goal < 1.5).

Usage: ``python benchmarks/sandbox_overhead.py [--repeat N] [--scenario NAME ...]``.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import SCENARIOS, Scenario

from kida_core.environment import Environment
from kida_loaders import DictLoader
from kida_sandbox import SandboxedEnvironment

GOAL = 1.5


def renderer(scenario: Scenario, env: Environment, ctx: dict[str, Any]) -> Callable[[], str]:
    """A zero-argument render of ``scenario`` in ``env`` (whole output, joined streams)."""
    if scenario.uses_loader:
        env.loader = DictLoader(scenario.kida_mapping)
        template = env.get_template(scenario.entry or "")
    else:
        template = env.from_string(scenario.kida_source)
    if scenario.block is not None:
        block = scenario.block
        return lambda: template.render_block(block, **ctx)
    if scenario.streaming:
        return lambda: "".join(template.render_stream(**ctx))
    return lambda: template.render(**ctx)


def best_us(fn: Callable[[], Any], repeat: int) -> float:
    """Best time per call in µs (auto-ranged loop count)."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timeit repeats (best is kept)")
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    args = parser.parse_args(argv)
    names = args.scenario or list(SCENARIOS)
    envs: list[Environment] = []  # templates hold their Environment weakly
    print(f"{'scenario':<28}{'plain µs':>12}{'sandbox µs':>12}{'ratio':>8}")
    worst = 0.0
    for name in names:
        scenario = SCENARIOS[name]
        ctx = scenario.make_context()
        plain_env, sandbox_env = Environment(), SandboxedEnvironment()
        envs += [plain_env, sandbox_env]
        plain = renderer(scenario, plain_env, ctx)
        sandboxed = renderer(scenario, sandbox_env, ctx)
        if plain() != sandboxed():
            print(f"{name}: sandboxed output differs from the plain output", file=sys.stderr)
            return 1
        plain_us, sandbox_us = best_us(plain, args.repeat), best_us(sandboxed, args.repeat)
        ratio = sandbox_us / plain_us
        worst = max(worst, ratio)
        mark = "" if ratio < GOAL else "  (over goal)"
        print(f"{name:<28}{plain_us:>12.2f}{sandbox_us:>12.2f}{ratio:>7.2f}x{mark}")
    print(f"worst ratio {worst:.2f}x (goal < {GOAL}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
