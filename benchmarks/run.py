"""Render and compile benchmarks: hand-written Python vs Kida vs Jinja2.

For every scenario the outputs are first checked to be byte-identical (exit 1
otherwise, nothing is timed); then each renderer is timed with ``timeit``
(auto-ranged loop count, best of N repeats) and a table of µs per render and the
ratios Kida/Jinja2 and Kida/hand-written is printed, with the geometric mean of
Kida/Jinja2 over the whole-render scenarios.  Goals: every render scenario at
Kida/Jinja2 <= 0.35 (or Kida/hand <= 1.2), geometric mean <= 0.30, compiling the
template set at Kida/Jinja2 <= 0.6.

Single-template scenarios are compiled with ``from_string``; multi-template ones
(inheritance, includes, defs, render_block, ...) are loaded by name through
``kida.DictLoader`` / ``jinja2.DictLoader``, each scenario in its own pair of environments.
``compile_set`` times loading every template of a set into fresh environments.

Usage: ``python benchmarks/run.py [--quick] [--scenario NAME ...] [--json FILE]
[--markdown] [--repeat N] [--window SECONDS] [--skip-kida]``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
from scenarios import COMPILE_SET, ESCAPE_SOURCE, SCENARIOS, CompileSet, Scenario  # noqa: E402

#: A render scenario meets its goal at Kida/Jinja2 <= 0.35, or Kida/hand <= 1.2 where
#: the hand-written function itself leaves no room for that.
KIDA_OVER_JINJA_GOAL = 0.35
KIDA_OVER_HAND_GOAL = 1.2
#: Geometric mean of Kida/Jinja2 over the whole-render scenarios.
GEOMEAN_GOAL = 0.30
#: Compiling the template set: Kida/Jinja2.
COMPILE_GOAL = 0.6

ALL_NAMES = [*SCENARIOS, COMPILE_SET.name]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 repeats instead of 25 (smoke run)")
    parser.add_argument(
        "--repeat", type=int, default=None, help="measurements per renderer (best is kept)"
    )
    parser.add_argument(
        "--window",
        type=float,
        default=0.02,
        metavar="SECONDS",
        help="least duration of one measurement; the loop count is chosen to reach it",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(ALL_NAMES),
        metavar="NAME",
        help=f"run only this scenario (repeatable): {', '.join(ALL_NAMES)}",
    )
    parser.add_argument("--json", metavar="FILE", help="also write results as JSON to FILE")
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="also print the results as a Markdown table (for benchmarks/README.md)",
    )
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
    and the same options (autoescape, otherwise each engine's defaults).
    """
    if not scenario.uses_loader:
        assert scenario.jinja_source is not None
        return Compiled(
            jinja=jinja_env.from_string(scenario.jinja_source),
            kida=None if kida_env is None else kida_env.from_string(scenario.kida_source),
        )
    entry = scenario.entry
    assert entry is not None
    jenv = jinja2.Environment(loader=jinja2.DictLoader(scenario.jinja_mapping), autoescape=True)
    kt = kenv = None
    if kida_env is not None:
        from kida import DictLoader, Environment

        kenv = Environment(loader=DictLoader(scenario.kida_mapping), autoescape=True)
        kt = kenv.get_template(entry)
    return Compiled(jinja=jenv.get_template(entry), kida=kt, kida_env=kenv)


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


def fresh_kida_env(mapping: dict[str, str]) -> Any:
    """A new Kida environment over ``mapping``: empty template cache, no bytecode cache."""
    from kida import DictLoader, Environment

    return Environment(loader=DictLoader(mapping), autoescape=True, bytecode_cache=False)


def fresh_jinja_env(mapping: dict[str, str]) -> jinja2.Environment:
    """A new Jinja2 environment over ``mapping`` (empty template cache, no bytecode cache)."""
    return jinja2.Environment(loader=jinja2.DictLoader(mapping), autoescape=True)


def compile_all(env: Any, names: Sequence[str]) -> None:
    """Load (compile) every template of ``names`` in ``env``."""
    for name in names:
        env.get_template(name)


def compile_set_outputs(cset: CompileSet, skip_kida: bool) -> dict[str, dict[str, str]]:
    """Per member scenario: its hand-written output and its entry rendered by the compiled set."""
    contexts = {s.name: s.make_context() for s in cset.members}
    jenv = fresh_jinja_env(cset.jinja_mapping)
    compile_all(jenv, list(cset.jinja_mapping))
    kenv = None
    if not skip_kida:
        kenv = fresh_kida_env(cset.kida_mapping)
        compile_all(kenv, list(cset.kida_mapping))
    outputs: dict[str, dict[str, str]] = {}
    for scenario in cset.members:
        ctx, entry = contexts[scenario.name], cset.entry_of(scenario)
        outputs[scenario.name] = {
            "hand": scenario.baseline(ctx),
            "jinja2": jenv.get_template(entry).render(**ctx),
        }
        if kenv is not None:
            outputs[scenario.name]["kida"] = kenv.get_template(entry).render(**ctx)
    return outputs


def compile_set_timers(cset: CompileSet, skip_kida: bool) -> dict[str, Callable[[], Any]]:
    """Zero-argument callables that compile the whole set into fresh environments."""
    jmap, kmap = cset.jinja_mapping, cset.kida_mapping
    timers: dict[str, Callable[[], Any]] = {
        "jinja2": lambda: compile_all(fresh_jinja_env(jmap), list(jmap))
    }
    if not skip_kida:
        timers["kida"] = lambda: compile_all(fresh_kida_env(kmap), list(kmap))
    return timers


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


def loop_count(timer: timeit.Timer, window: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... loops that take at least ``window`` seconds."""
    number = 1
    while True:
        for factor in (1, 2, 5):
            if timer.timeit(number * factor) >= window:
                return number * factor
        number *= 10


def best_times(
    fns: dict[str, Callable[[], Any]], repeat: int, window: float
) -> tuple[dict[str, float], dict[str, int]]:
    """Best time per call in µs and the loop count used, for each of ``fns``.

    Each callable gets its own loop count (one measurement lasts at least ``window``
    seconds); the ``repeat`` rounds then interleave the callables, so a burst of
    background load hits all of them alike instead of skewing one side of a ratio.
    Short windows and many rounds make an undisturbed measurement likely on a busy
    machine.
    """
    timers = {name: timeit.Timer(fn) for name, fn in fns.items()}
    loops = {name: loop_count(timer, window) for name, timer in timers.items()}
    best = dict.fromkeys(timers, float("inf"))
    for _ in range(repeat):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(loops[name]) / loops[name] * 1e6)
    return best, loops


@dataclass(frozen=True)
class Result:
    """Best times of one scenario (µs; ``None`` where not measured) and its goal."""

    name: str
    kind: str  # "render", "block", "first chunk" or "compile"
    hand_us: float | None
    kida_us: float | None
    jinja2_us: float
    loops: dict[str, int] = field(default_factory=dict)

    @property
    def kida_over_jinja2(self) -> float | None:
        """The issue's metric: lower is faster, 1.0 is Jinja2's speed."""
        return None if self.kida_us is None else self.kida_us / self.jinja2_us

    @property
    def kida_over_hand(self) -> float | None:
        """Kida's overhead over the hand-written function."""
        if self.kida_us is None or self.hand_us is None:
            return None
        return self.kida_us / self.hand_us

    @property
    def in_geomean(self) -> bool:
        """Whole renders (and render_block) count; time to first chunk and compile do not."""
        return self.kind in ("render", "block")

    @property
    def goal_met(self) -> bool | None:
        """Compile: Kida/Jinja2 <= 0.6; render: Kida/Jinja2 <= 0.35 or Kida/hand <= 1.2."""
        ratio = self.kida_over_jinja2
        if ratio is None:
            return None
        if self.kind == "compile":
            return ratio <= COMPILE_GOAL
        over_hand = self.kida_over_hand
        return ratio <= KIDA_OVER_JINJA_GOAL or (
            over_hand is not None and over_hand <= KIDA_OVER_HAND_GOAL
        )


def geometric_mean_kida_over_jinja2(results: Sequence[Result]) -> float | None:
    """Geometric mean of Kida/Jinja2 over the whole-render results (None if there are none)."""
    ratios = [r.kida_over_jinja2 for r in results if r.in_geomean]
    measured = [ratio for ratio in ratios if ratio is not None]
    if not measured:
        return None
    return math.exp(sum(math.log(ratio) for ratio in measured) / len(measured))


COLUMNS = ("scenario", "hand µs", "kida µs", "jinja2 µs", "kida/jinja2", "kida/hand", "goal")
WIDTHS = (26, 11, 11, 11, 12, 10, 6)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _goal(met: bool | None) -> str:
    return "-" if met is None else ("ok" if met else "!!")


def row_cells(result: Result) -> tuple[str, ...]:
    """The table cells of one result."""
    return (
        result.name,
        _num(result.hand_us),
        _num(result.kida_us),
        _num(result.jinja2_us),
        _num(result.kida_over_jinja2),
        _num(result.kida_over_hand),
        _goal(result.goal_met),
    )


def format_row(cells: Sequence[str]) -> str:
    """One plain-text table row: first column left-aligned, the rest right-aligned."""
    first, *rest = cells
    return f"{first:<{WIDTHS[0]}}" + "".join(
        f"{cell:>{width}}" for cell, width in zip(rest, WIDTHS[1:], strict=True)
    )


def geomean_line(results: Sequence[Result]) -> str:
    """The summary line under the table."""
    mean = geometric_mean_kida_over_jinja2(results)
    if mean is None:
        return "geometric mean of kida/jinja2 over whole renders: -"
    marker = "ok" if mean <= GEOMEAN_GOAL else "!!"
    return (
        f"geometric mean of kida/jinja2 over whole renders: {mean:.2f} "
        f"(goal <= {GEOMEAN_GOAL:.2f}) {marker}"
    )


GOALS = (
    f"goals: render kida/jinja2 <= {KIDA_OVER_JINJA_GOAL} (or kida/hand <= "
    f"{KIDA_OVER_HAND_GOAL}), compile kida/jinja2 <= {COMPILE_GOAL}; ok = met, !! = missed"
)


def markdown_table(results: Sequence[Result]) -> str:
    """The results as a Markdown table (plus the geometric mean), for benchmarks/README.md."""
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|---|" + "---:|" * (len(COLUMNS) - 2) + ":---:|",
    ]
    for result in results:
        name, *cells = row_cells(result)
        label = f"`{name}`" if result.kind == "render" else f"`{name}` ({result.kind})"
        lines.append("| " + " | ".join([label, *cells]) + " |")
    mean = geometric_mean_kida_over_jinja2(results)
    if mean is not None:
        cells = [
            "geometric mean (whole renders)",
            "",
            "",
            "",
            f"{mean:.2f}",
            "",
            _goal(mean <= GEOMEAN_GOAL),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scenario_kind(scenario: Scenario) -> str:
    """How a scenario is measured: whole render, one block, or first chunk."""
    if scenario.streaming:
        return "first chunk"
    return "block" if scenario.block is not None else "render"


def main(argv: Sequence[str] | None = None) -> int:
    """Check outputs, time, print the table; exit 1 when outputs differ."""
    args = parse_args(argv)
    repeat = args.repeat or (5 if args.quick else 25)
    selected = args.scenario or ALL_NAMES
    names = [name for name in SCENARIOS if name in selected]
    with_compile = COMPILE_SET.name in selected

    kida_env = None
    if not args.skip_kida:
        from kida import Environment

        kida_env = Environment(autoescape=True)
    jinja_env = jinja2.Environment(autoescape=True)

    contexts = {name: SCENARIOS[name].make_context() for name in names}
    compiled = {name: compile_scenario(SCENARIOS[name], kida_env, jinja_env) for name in names}
    all_ok = True
    for name in names:
        all_ok &= check_outputs(
            name, collect_outputs(SCENARIOS[name], contexts[name], compiled[name])
        )
    if with_compile:
        for member, outputs in compile_set_outputs(COMPILE_SET, args.skip_kida).items():
            all_ok &= check_outputs(f"{COMPILE_SET.name}: {member}", outputs)
    if not all_ok:
        print("outputs differ: not timing (fix the engine or the scenario first)", file=sys.stderr)
        return 1

    print(f"Python {platform.python_version()} | Jinja2 {_version('jinja2')}")
    print(f"baseline escape: {ESCAPE_SOURCE}")
    print(
        f"best of {repeat} interleaved measurements of >= {args.window * 1000:g} ms each; "
        "streaming scenarios = time to first chunk; "
        f"{COMPILE_SET.name} = one compile of the whole set\n"
    )
    header = format_row(COLUMNS)
    print(header)
    print("-" * len(header))
    results: list[Result] = []
    for name in names:
        scenario = SCENARIOS[name]
        renderers = make_renderers(scenario, contexts[name], compiled[name])
        times, loops = best_times(renderers, repeat, args.window)
        result = Result(
            name, scenario_kind(scenario), times["hand"], times.get("kida"), times["jinja2"], loops
        )
        results.append(result)
        print(format_row(row_cells(result)))
    if with_compile:
        compile_timers = compile_set_timers(COMPILE_SET, args.skip_kida)
        times, loops = best_times(compile_timers, repeat, args.window)
        result = Result(
            COMPILE_SET.name, "compile", None, times.get("kida"), times["jinja2"], loops
        )
        results.append(result)
        print(format_row(row_cells(result)))
    print()
    print(geomean_line(results))
    print(GOALS)
    if args.markdown:
        print()
        print(markdown_table(results))
    if args.json:
        write_json(Path(args.json), results, repeat, args.skip_kida)
        print(f"wrote {args.json}")
    return 0


def write_json(path: Path, results: Sequence[Result], repeat: int, skip_kida: bool) -> None:
    """The numbers, loop counts and versions, for tracking over time."""
    scenarios: dict[str, dict[str, Any]] = {}
    for result in results:
        if result.name == COMPILE_SET.name:
            extra: dict[str, Any] = {
                "description": COMPILE_SET.description,
                "templates": sorted(COMPILE_SET.jinja_mapping),
            }
        else:
            scenario = SCENARIOS[result.name]
            extra = {
                "description": scenario.description,
                "streaming": scenario.streaming,
                "block": scenario.block,
                "templates": sorted(scenario.jinja_mapping) or None,
            }
        scenarios[result.name] = {
            **extra,
            "kind": result.kind,
            "hand_us": result.hand_us,
            "kida_us": result.kida_us,
            "jinja2_us": result.jinja2_us,
            "kida_over_jinja2": result.kida_over_jinja2,
            "kida_over_hand": result.kida_over_hand,
            "goal_met": result.goal_met,
            "loops": result.loops,
            "repeat": repeat,
        }
    payload = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "jinja2": _version("jinja2"),
        "escape": ESCAPE_SOURCE,
        "skip_kida": skip_kida,
        "goals": {
            "kida_over_jinja2": KIDA_OVER_JINJA_GOAL,
            "kida_over_hand": KIDA_OVER_HAND_GOAL,
            "geometric_mean": GEOMEAN_GOAL,
            "compile": COMPILE_GOAL,
        },
        "geometric_mean_kida_over_jinja2": geometric_mean_kida_over_jinja2(results),
        "scenarios": scenarios,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def _version(dist: str) -> str:
    """Installed distribution version, or ``?``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
