"""Render benchmarks: hand-written Python vs Kida vs Jinja2.

For every scenario the three outputs are first checked to be byte-identical (exit 1
otherwise, nothing is timed); then each renderer is timed with ``timeit``
(auto-ranged loop count, best of N repeats) and a table of µs per render and the
ratios Kida/hand-written (goal <= 1.5) and Jinja2/Kida (goal >= 2.0) is printed.

Single-template scenarios are compiled with ``from_string``; multi-template ones
(inheritance, includes, defs, render_block) are loaded by name through
``kida.DictLoader`` / ``jinja2.DictLoader``, each scenario in its own pair of environments.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    import kida  # noqa: F401
except ImportError:  # running from a checkout without an installed workspace
    for _src in sorted((ROOT / "packages").glob("*/src")):
        sys.path.insert(0, str(_src))

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


@dataclass(frozen=True)
class Compiled:
    """A scenario's entry template compiled by each engine (``kida`` is None if skipped)."""

    jinja: jinja2.Template
    kida: Any | None
    # Kida templates hold only a weak reference to their Environment (it must outlive
    # renders that load other templates), so the loader environment is kept here.
    kida_env: Any | None = None


def compile_scenario(scenario: Scenario, kida_env: Any, jinja_env: jinja2.Environment) -> Compiled:
    """Compile (or load through a DictLoader) the scenario's template in both engines.

    ``kida_env``/``jinja_env`` are the shared environments for single-template
    scenarios; multi-template scenarios get fresh environments with a ``DictLoader``
    and the same options (autoescape; Jinja2 also ``keep_trailing_newline``).
    """
    if not scenario.uses_loader:
        assert scenario.jinja_source is not None
        return Compiled(
            jinja=jinja_env.from_string(scenario.jinja_source),
            kida=None if kida_env is None else kida_env.from_string(scenario.kida_source),
        )
    jenv = jinja2.Environment(
        loader=jinja2.DictLoader(scenario.jinja_mapping),
        autoescape=True,
        keep_trailing_newline=True,
    )
    kt = kenv = None
    if kida_env is not None:
        from kida import DictLoader, Environment

        kenv = Environment(loader=DictLoader(scenario.kida_mapping), autoescape=True)
        kt = kenv.get_template(scenario.entry)
    return Compiled(jinja=jenv.get_template(scenario.entry), kida=kt, kida_env=kenv)


def make_renderers(
    scenario: Scenario, ctx: dict[str, Any], compiled: Compiled
) -> dict[str, Callable[[], Any]]:
    """Zero-argument callables to time, keyed by renderer name."""
    jt, kt = compiled.jinja, compiled.kida
    renderers: dict[str, Callable[[], Any]] = {}
    if scenario.streaming:
        assert scenario.baseline_stream is not None
        base_stream = scenario.baseline_stream
        renderers["hand"] = lambda: next(iter(base_stream(ctx)))
        renderers["jinja2"] = lambda: next(jt.generate(**ctx))
        if kt is not None:
            renderers["kida"] = lambda: next(iter(kt.render_stream(**ctx)))
    elif scenario.block is not None:
        block = scenario.block
        baseline = scenario.baseline
        block_fn, new_context = jt.blocks[block], jt.new_context
        renderers["hand"] = lambda: baseline(ctx)
        renderers["jinja2"] = lambda: "".join(block_fn(new_context(ctx)))
        if kt is not None:
            renderers["kida"] = lambda: kt.render_block(block, **ctx)
    else:
        baseline = scenario.baseline
        renderers["hand"] = lambda: baseline(ctx)
        renderers["jinja2"] = lambda: jt.render(**ctx)
        if kt is not None:
            renderers["kida"] = lambda: kt.render(**ctx)
    return renderers


def collect_outputs(scenario: Scenario, ctx: dict[str, Any], compiled: Compiled) -> dict[str, str]:
    """Full outputs of every renderer (streams joined) for the identity check."""
    jt, kt = compiled.jinja, compiled.kida
    if scenario.block is not None:
        block = scenario.block
        outputs = {
            "hand": scenario.baseline(ctx),
            f"jinja2 (blocks[{block!r}])": "".join(jt.blocks[block](jt.new_context(ctx))),
        }
        if kt is not None:
            outputs[f"kida (render_block({block!r}))"] = kt.render_block(block, **ctx)
        return outputs
    outputs = {"hand": scenario.baseline(ctx), "jinja2": jt.render(**ctx)}
    if scenario.baseline_stream is not None:
        outputs["hand (stream)"] = "".join(scenario.baseline_stream(ctx))
        outputs["jinja2 (generate)"] = "".join(jt.generate(**ctx))
    if kt is not None:
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
WIDTHS = (26, 12, 12, 12, 13, 13)


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
        from kida import Environment

        kida_env = Environment(autoescape=True)
    jinja_env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)

    contexts = {name: SCENARIOS[name].make_context() for name in names}
    compiled = {name: compile_scenario(SCENARIOS[name], kida_env, jinja_env) for name in names}
    all_ok = True
    for name in names:
        all_ok &= check_outputs(
            name, collect_outputs(SCENARIOS[name], contexts[name], compiled[name])
        )
    if not all_ok:
        print("outputs differ: not timing (fix the engine or the scenario first)", file=sys.stderr)
        return 1

    print(f"Python {platform.python_version()} | Jinja2 {_version('jinja2')}")
    print(f"baseline escape: {ESCAPE_SOURCE}")
    print(
        f"best of {repeat} repeats, auto-ranged loops; streaming scenarios = time to first chunk\n"
    )
    header = format_row(COLUMNS)
    print(header)
    print("-" * len(header))
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        scenario = SCENARIOS[name]
        renderers = make_renderers(scenario, contexts[name], compiled[name])
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
            "block": scenario.block,
            "templates": sorted(scenario.jinja_mapping) or None,
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
