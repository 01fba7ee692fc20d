"""Render benchmarks: hand-written Python vs Kida vs Jinja2.

For every scenario the three outputs are first checked to be byte-identical (exit 1
otherwise, nothing is timed); then each renderer is timed with ``timeit``
(auto-ranged loop count, best of N repeats) and a table of µs per render and the
ratios Kida/hand-written (goal <= 1.5) and Jinja2/Kida (goal >= 2.0) is printed.

Usage: ``python benchmarks/run.py [--quick] [--scenario NAME ...] [--json FILE]
[--repeat N] [--skip-kida]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import timeit
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    import kida_core  # noqa: F401
except ImportError:  # running from a checkout without an installed workspace
    sys.path.insert(0, str(ROOT / "packages" / "kida-core" / "src"))

import jinja2  # noqa: E402
from scenarios import ESCAPE_SOURCE, SCENARIOS, Scenario  # noqa: E402

KIDA_OVER_HAND_GOAL = 1.5
JINJA_OVER_KIDA_GOAL = 2.0


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 7 (smoke run)")
    parser.add_argument(
        "--repeat", type=int, default=None, help="repeats per measurement (best is kept)"
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(SCENARIOS),
        metavar="NAME",
        help=f"run only this scenario (repeatable): {', '.join(SCENARIOS)}",
    )
    parser.add_argument("--json", metavar="FILE", help="also write results as JSON to FILE")
    parser.add_argument(
        "--skip-kida",
        action="store_true",
        help="compare and time only the hand-written and Jinja2 renderers",
    )
    return parser.parse_args(argv)


def make_renderers(
    scenario: Scenario, ctx: dict[str, Any], kida_env: Any, jinja_env: jinja2.Environment
) -> dict[str, Callable[[], Any]]:
    """Zero-argument callables to time, keyed by renderer name."""
    jt = jinja_env.from_string(scenario.jinja_source)
    renderers: dict[str, Callable[[], Any]] = {}
    if scenario.streaming:
        assert scenario.baseline_stream is not None
        base_stream = scenario.baseline_stream
        renderers["hand"] = lambda: next(iter(base_stream(ctx)))
        renderers["jinja2"] = lambda: next(jt.generate(**ctx))
        if kida_env is not None:
            kt = kida_env.from_string(scenario.kida_source)
            renderers["kida"] = lambda: next(iter(kt.render_stream(**ctx)))
    else:
        baseline = scenario.baseline
        renderers["hand"] = lambda: baseline(ctx)
        renderers["jinja2"] = lambda: jt.render(**ctx)
        if kida_env is not None:
            kt = kida_env.from_string(scenario.kida_source)
            renderers["kida"] = lambda: kt.render(**ctx)
    return renderers


def collect_outputs(
    scenario: Scenario, ctx: dict[str, Any], kida_env: Any, jinja_env: jinja2.Environment
) -> dict[str, str]:
    """Full outputs of every renderer (streams joined) for the identity check."""
    jt = jinja_env.from_string(scenario.jinja_source)
    outputs = {"hand": scenario.baseline(ctx), "jinja2": jt.render(**ctx)}
    if scenario.baseline_stream is not None:
        outputs["hand (stream)"] = "".join(scenario.baseline_stream(ctx))
        outputs["jinja2 (generate)"] = "".join(jt.generate(**ctx))
    if kida_env is not None:
        kt = kida_env.from_string(scenario.kida_source)
        outputs["kida"] = kt.render(**ctx)
        outputs["kida (render_stream)"] = "".join(kt.render_stream(**ctx))
    return outputs


def first_difference(a: str, b: str) -> str:
    """Human-readable description of where two strings diverge."""
    pairs = zip(a, b, strict=False)
    pos = next((i for i, (x, y) in enumerate(pairs) if x != y), min(len(a), len(b)))
    lo, hi = max(0, pos - 40), pos + 40
    return (
        f"at offset {pos} (lengths {len(a)} vs {len(b)}):\n      {a[lo:hi]!r}\n   vs {b[lo:hi]!r}"
    )


def check_outputs(name: str, outputs: dict[str, str]) -> bool:
    """Print mismatches against the hand-written output; True when all identical."""
    reference = outputs["hand"]
    ok = True
    for renderer, text in outputs.items():
        if text != reference:
            ok = False
            print(
                f"OUTPUT MISMATCH [{name}] hand vs {renderer} {first_difference(reference, text)}",
                file=sys.stderr,
            )
    return ok


def best_us(fn: Callable[[], Any], repeat: int) -> tuple[float, int]:
    """Best time per call in µs (auto-ranged loop count) and the loop count used."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number * 1e6, number


COLUMNS = ("scenario", "hand µs", "kida µs", "jinja2 µs", "kida/hand", "jinja2/kida")
WIDTHS = (22, 12, 12, 12, 13, 13)


def format_row(cells: Sequence[str]) -> str:
    """One table row: first column left-aligned, the rest right-aligned."""
    first, *rest = cells
    return f"{first:<{WIDTHS[0]}}" + "".join(
        f"{cell:>{width}}" for cell, width in zip(rest, WIDTHS[1:], strict=True)
    )


def fmt_ratio(value: float | None, meets_goal: Callable[[float], bool]) -> str:
    """Ratio with a goal marker (``ok`` / ``!!``), or ``-`` when not measured."""
    if value is None:
        return "-"
    return f"{value:.2f} {'ok' if meets_goal(value) else '!!'}"


def main(argv: Sequence[str] | None = None) -> int:
    """Check outputs, time, print the table; exit 1 when outputs differ."""
    args = parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 7)
    names = args.scenario or list(SCENARIOS)

    kida_env = None
    if not args.skip_kida:
        from kida_core.environment import Environment

        kida_env = Environment(autoescape=True)
    jinja_env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)

    contexts = {name: SCENARIOS[name].make_context() for name in names}
    all_ok = True
    for name in names:
        all_ok &= check_outputs(
            name, collect_outputs(SCENARIOS[name], contexts[name], kida_env, jinja_env)
        )
    if not all_ok:
        print("outputs differ: not timing (fix the engine or the scenario first)", file=sys.stderr)
        return 1

    print(f"Python {platform.python_version()} | Jinja2 {_version('jinja2')}")
    print(f"baseline escape: {ESCAPE_SOURCE}")
    print(f"best of {repeat} repeats, auto-ranged loops; streaming = time to first chunk\n")
    header = format_row(COLUMNS)
    print(header)
    print("-" * len(header))
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        scenario = SCENARIOS[name]
        renderers = make_renderers(scenario, contexts[name], kida_env, jinja_env)
        times: dict[str, float] = {}
        loops: dict[str, int] = {}
        for renderer, fn in renderers.items():
            times[renderer], loops[renderer] = best_us(fn, repeat)
        hand, kida, jinja = times["hand"], times.get("kida"), times["jinja2"]
        kida_hand = kida / hand if kida is not None else None
        jinja_kida = jinja / kida if kida is not None else None
        print(
            format_row(
                (
                    name,
                    f"{hand:.2f}",
                    "-" if kida is None else f"{kida:.2f}",
                    f"{jinja:.2f}",
                    fmt_ratio(kida_hand, lambda r: r <= KIDA_OVER_HAND_GOAL),
                    fmt_ratio(jinja_kida, lambda r: r >= JINJA_OVER_KIDA_GOAL),
                )
            )
        )
        results[name] = {
            "description": scenario.description,
            "streaming": scenario.streaming,
            "hand_us": hand,
            "kida_us": kida,
            "jinja2_us": jinja,
            "kida_over_hand": kida_hand,
            "jinja2_over_kida": jinja_kida,
            "loops": loops,
            "repeat": repeat,
        }
    goals = f"kida/hand <= {KIDA_OVER_HAND_GOAL}, jinja2/kida >= {JINJA_OVER_KIDA_GOAL}"
    print(f"\ngoals: {goals} (ok = met, !! = missed)")
    if args.json:
        payload = {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "jinja2": _version("jinja2"),
            "escape": ESCAPE_SOURCE,
            "skip_kida": args.skip_kida,
            "scenarios": results,
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


def _version(dist: str) -> str:
    """Installed distribution version, or ``?``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
