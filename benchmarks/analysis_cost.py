"""Analysis cost: static analysis of a 20-template site against compiling it.

Builds the cold-start benchmark's site (a layout, three partials, sixteen
pages), compiles every template, then times ``template_metadata()`` (blocks,
dependencies, purity, cache scope, roles — following includes and the
extends chain), ``def_metadata()`` and ``get_template_structure()`` for every
template, each on fresh Templates so nothing is memoised between rounds.

Run: ``uv run --group dev python benchmarks/analysis_cost.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from cold_start import PAGES, write_site

from kida import Environment, FileSystemLoader

NAMES = ["layout.html", "partials/nav.html", "partials/footer.html", "partials/card.html"] + [
    f"page{i}.html" for i in range(PAGES)
]


def compile_all(root: Path) -> tuple[Environment, float]:
    """A fresh Environment with every template compiled; returns the compile time."""
    env = Environment(loader=FileSystemLoader(root), bytecode_cache=False)
    start = time.perf_counter()
    for name in NAMES:
        env.get_template(name)
    return env, time.perf_counter() - start


def analyse_all(env: Environment) -> float:
    """Time the full introspection of every template."""
    start = time.perf_counter()
    for name in NAMES:
        template = env.get_template(name)
        template.template_metadata()
        template.def_metadata()
        env.get_template_structure(name)
    return time.perf_counter() - start


def main() -> int:
    """Measure and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    compile_times, analysis_times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        write_site(root, kida=True)
        for _ in range(args.rounds):
            env, compiled = compile_all(root)
            compile_times.append(compiled)
            analysis_times.append(analyse_all(env))
    compiled, analysed = min(compile_times), min(analysis_times)
    print(f"{len(NAMES)} templates, best of {args.rounds} rounds")
    print(f"compile:  {compiled * 1000:7.1f} ms")
    print(f"analysis: {analysed * 1000:7.1f} ms  ({analysed / compiled:.0%} of compile time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
