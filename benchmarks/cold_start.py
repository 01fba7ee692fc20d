"""Cold start: a new interpreter imports the engine, loads and renders a 20-template site.

Each measurement is a fresh ``python`` process that times, from the first line
of its script, ``import`` + ``get_template`` + first render of every page of a
site (one layout, three partials, sixteen pages; extends, includes, loops,
filters). Four configurations:

* Kida without a bytecode cache, and with a warm ``kida_cache.BytecodeCache``;
* Jinja2 without a bytecode cache, and with a warm ``FileSystemBytecodeCache``.

The rendered pages are checked to be identical between the engines.

Run: ``uv run --group dev python benchmarks/cold_start.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

LAYOUT = """<!doctype html>
<html><head><title>{% block title %}Site{% endblock %}</title></head>
<body>{% include "partials/nav.html" %}
<main>{% block content %}{% endblock %}</main>
{% include "partials/footer.html" %}</body></html>
"""
NAV = (
    '<nav>{% for item in nav %}<a href="{{ item.url }}"'
    '{% if item.url == current %} class="on"{% endif %}>{{ item.label | title }}</a>'
    "{% endfor %}</nav>"
)
FOOTER = """<footer>{{ site | upper }} &copy; {{ year }}</footer>"""
CARD = (
    "<article><h2>{{ post.title | title }}</h2><p>{{ post.body | truncate(40, leeway=0) }}</p>"
    "{% if post.tags %}<ul>{% for t in post.tags %}<li>{{ t }}</li>{% endfor %}</ul>{% endif %}"
    "</article>"
)
PAGE = """{% extends "layout.html" %}
{% block title %}Page NUMBER | {{ super() }}{% endblock %}
{% block content %}<h1>Page NUMBER</h1>
{% for post in posts %}{% include "partials/card.html" %}{% endfor %}
<p>{{ posts | length }} posts, {{ posts | map(attribute="title") | join(", ") }}</p>
{% endblock %}
"""
PAGES = 16

SCRIPT = r"""
import time
start = time.perf_counter()
import json, sys
engine, root, mode, cache_dir = sys.argv[1:5]
context = json.loads(sys.argv[5])
if engine == "kida":
    from kida import Environment, FileSystemLoader
    cache = False
    if mode == "cache":
        from kida_cache import BytecodeCache
        cache = BytecodeCache(cache_dir)
    env = Environment(loader=FileSystemLoader(root), bytecode_cache=cache)
    for name in ("layout.html", "partials/nav.html", "partials/footer.html", "partials/card.html"):
        env.get_template(name)
else:
    import jinja2
    cache = jinja2.FileSystemBytecodeCache(cache_dir) if mode == "cache" else None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root), autoescape=True, bytecode_cache=cache,
    )
out = []
for i in range(PAGES):
    out.append(env.get_template(f"page{i}.html").render(**context))
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "output": out}))
"""


def kidafy(source: str) -> str:
    """Kida spelling of the Jinja2-compatible sources (unified ``{% end %}``)."""
    for closer in ("endblock", "endfor", "endif"):
        source = source.replace("{% " + closer + " %}", "{% end %}")
    return source


def write_site(root: Path, kida: bool) -> None:
    """The 20 templates, in Kida or Jinja2 spelling."""
    convert = kidafy if kida else (lambda s: s)
    (root / "partials").mkdir(parents=True)
    (root / "layout.html").write_text(convert(LAYOUT))
    (root / "partials" / "nav.html").write_text(convert(NAV))
    (root / "partials" / "footer.html").write_text(convert(FOOTER))
    (root / "partials" / "card.html").write_text(convert(CARD))
    for i in range(PAGES):
        (root / f"page{i}.html").write_text(convert(PAGE.replace("NUMBER", str(i))))


def context() -> dict[str, object]:
    """Page data (no ``"`` in escaped text: Jinja2 and Kida spell it differently)."""
    nav = [{"url": f"/s{i}", "label": f"section {i}"} for i in range(6)]
    posts = [
        {
            "title": f"post number {i}",
            "body": f"A short body for post {i} & friends <b>",
            "tags": ["a", "b"][: i % 3],
        }
        for i in range(10)
    ]
    return {"nav": nav, "current": "/s2", "site": "kida", "year": 2026, "posts": posts}


def run(engine: str, root: Path, mode: str, cache_dir: Path) -> dict[str, object]:
    """One fresh interpreter; returns its timing and output."""
    script = SCRIPT.replace("PAGES", str(PAGES))
    argv = [
        sys.executable,
        "-c",
        script,
        engine,
        str(root),
        mode,
        str(cache_dir),
        json.dumps(context()),
    ]
    # Imports must come from .pyc files for both engines, as in an installed
    # package (pip writes them at install time); this process may run with
    # PYTHONDONTWRITEBYTECODE set, which would make Kida's workspace sources
    # recompile on every start while Jinja2's site-packages already have them.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(argv, capture_output=True, text=True, check=True, env=env)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> int:
    """Measure, check outputs, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per configuration")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        sites = {"kida": base / "kida-site", "jinja2": base / "jinja2-site"}
        write_site(sites["kida"], kida=True)
        write_site(sites["jinja2"], kida=False)
        configs = [(engine, mode) for engine in ("kida", "jinja2") for mode in ("nocache", "cache")]
        for engine in ("kida", "jinja2"):  # write .pyc files for every module first
            run(engine, sites[engine], "nocache", base / "unused")
        for engine, mode in configs:
            (base / f"{engine}-cache").mkdir(exist_ok=True)
            if mode == "cache":
                run(engine, sites[engine], mode, base / f"{engine}-cache")  # warm the cache
        times: dict[tuple[str, str], list[float]] = {config: [] for config in configs}
        outputs: dict[str, object] = {}
        for _ in range(args.runs):  # interleaved, so background load hits every config alike
            for engine, mode in configs:
                result = run(engine, sites[engine], mode, base / f"{engine}-cache")
                times[engine, mode].append(float(result["seconds"]))  # type: ignore[arg-type]
                outputs[f"{engine}-{mode}"] = result["output"]
        results = {
            f"{engine} {'warm cache' if mode == 'cache' else 'no cache'}": (
                statistics.median(samples),
                min(samples),
            )
            for (engine, mode), samples in times.items()
        }
        reference = outputs["jinja2-nocache"]
        if any(output != reference for output in outputs.values()):
            print("outputs differ between engines or modes", file=sys.stderr)
            return 1
    print(f"cold start: import + get_template + first render of a {PAGES + 4}-template site")
    print(f"{args.runs} rounds of fresh interpreters, configurations interleaved\n")
    print(f"{'':<22} {'median':>9} {'best':>9}")
    for label, (median, best) in results.items():
        print(f"{label:<22} {median * 1000:6.1f} ms {best * 1000:6.1f} ms")
    kida_warm, kida_best = results["kida warm cache"]
    jinja_warm, jinja_best = results["jinja2 warm cache"]
    kida_cold, kida_cold_best = results["kida no cache"]
    jinja_cold, jinja_cold_best = results["jinja2 no cache"]
    print(
        f"\nkida warm / jinja2 warm: {kida_warm / jinja_warm:.2f} median, "
        f"{kida_best / jinja_best:.2f} best (target < 1)"
    )
    print(
        f"kida cold / jinja2 cold: {kida_cold / jinja_cold:.2f} median, "
        f"{kida_cold_best / jinja_cold_best:.2f} best"
    )
    print(f"kida warm / kida cold:   {kida_warm / kida_cold:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
