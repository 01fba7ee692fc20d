"""Structural block hashes."""

from __future__ import annotations

import os
import subprocess
import sys

from kida_analysis.hashing import canonical
from kida_core import nodes as n

SOURCE = (
    "{% block a %}<p>{{ page.title | upper }}</p>{% end %}\n"
    "{% block b %}<p>{{ page.title | upper }}</p>{% end %}\n"
    "{% block c %}<p>{{ page.title | lower }}</p>{% end %}\n"
    '{% block d mode="x" %}<p>{{ page.title | upper }}</p>{% end %}\n'
    "{% fragment e %}<p>{{ page.title | upper }}</p>{% end %}\n"
)


def hashes(analyze, source: str = SOURCE) -> dict[str, str]:
    return {name: b.block_hash for name, b in analyze(source).blocks.items()}


def test_equal_bodies_hash_equal_and_different_bodies_differ(analyze) -> None:
    h = hashes(analyze)
    assert len(h["a"]) == 16 and int(h["a"], 16) >= 0
    assert h["a"] == h["b"]
    assert len({h["a"], h["c"], h["d"], h["e"]}) == 4


def test_positions_do_not_matter_but_text_does(analyze) -> None:
    moved = hashes(analyze, "\n\n   " + SOURCE)
    assert moved == hashes(analyze)
    spaced = hashes(analyze, "{% block a %}<p> {{ page.title | upper }}</p>{% end %}")
    assert spaced["a"] != hashes(analyze)["a"]


def test_regions_hash_their_parameters(analyze) -> None:
    h = hashes(
        analyze,
        "{% region r(x=1) %}{{ x }}{% end %}{% region s(x=2) %}{{ x }}{% end %}"
        "{% region t(x=1) %}{{ x }}{% end %}",
    )
    assert h["r"] == h["t"] != h["s"]


def test_hashes_are_stable_across_processes(analyze) -> None:
    script = (
        "from kida_analysis import Analyzer\n"
        "from kida_core.parser import parse\n"
        f"meta = Analyzer().analyze(parse({SOURCE!r}), None)\n"
        "print(','.join(b.block_hash for b in meta.blocks.values()))\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert runs == {",".join(hashes(analyze).values())}


def test_canonical_form_ignores_positions() -> None:
    a = n.Getattr(obj=n.Name(name="page", lineno=1), attr="title", lineno=1, col_offset=3)
    b = n.Getattr(obj=n.Name(name="page", lineno=9, col_offset=4), attr="title", lineno=9)
    assert (
        canonical(a) == canonical(b) == "Getattr(obj=Name(name='page'),attr='title',optional=False)"
    )
