"""Damaged and odd cache entries seen through a real Environment, loaded in child processes.

A damaged entry used to crash (``marshal`` segfaults on some inputs) or hang
the process that loaded it, so those loads run in a child: the test fails on
its exit code or on a timeout instead of dying with it. Every load must
render the right output, compile only the damaged template, and leave a
valid entry behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kida import Environment, FileSystemLoader
from kida_cache import BytecodeCache
from kida_cache.record import decode

WORKER = Path(__file__).with_name("kida_cache_damage_worker.py")
#: Generous: the worker normally finishes in a few seconds. Hitting it means a hang.
TIMEOUT = 120
HEADER = 36  # magic and digest

TEMPLATES = {
    "layout.html": "<html>{% block body %}{% end %}{% include 'footer.html' %}</html>",
    "page.html": (
        "{% extends 'layout.html' %}"
        "{% def item(x) %}<li>{{ x.name | title }}: {{ x.n * 2 }}</li>{% end %}"
        "{% block body %}<h1>{{ title | upper }}</h1>"
        "{% for x in things %}{{ item(x) }}{% end %}{% end %}"
    ),
    "footer.html": "<footer>{{ owner ?? 'nobody' }}</footer>",
}
CONTEXT: dict[str, Any] = {
    "title": "damage <test>",
    "things": [{"name": "ada", "n": 1}, {"name": "bob", "n": 21}],
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    root.mkdir()
    for name, source in TEMPLATES.items():
        (root / name).write_text(source)
    return root


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "bytecode"


def render(site: Path, cache_dir: Path | None) -> str:
    cache: Any = BytecodeCache(cache_dir) if cache_dir is not None else False
    env = Environment(loader=FileSystemLoader(str(site)), bytecode_cache=cache)
    return env.render("page.html", CONTEXT)


@pytest.fixture
def entry(site: Path, cache_dir: Path) -> Path:
    """The cache file of ``page.html``, written by a real render."""
    render(site, cache_dir)
    (path,) = cache_dir.glob("*_page.html_*")
    return path


def run_worker(site: Path, cache_dir: Path, entry: Path, **job: Any) -> dict[str, Any]:
    """Run the worker on ``job``; fail on a crash, a hang or any reported problem."""
    job.update(
        templates=str(site),
        cache=str(cache_dir),
        entry=str(entry),
        template="page.html",
        context=CONTEXT,
        expected=render(site, None),
    )
    try:
        done = subprocess.run(
            [sys.executable, str(WORKER), json.dumps(job)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        last = (exc.stderr or b"").splitlines()[-1:]
        pytest.fail(f"loading the damaged cache hung (last started: {last!r})")
    last_started = done.stderr.strip().splitlines()[-1:]
    assert done.returncode == 0, (
        f"worker died with exit code {done.returncode} at {last_started}:\n{done.stderr[-3000:]}"
    )
    report: dict[str, Any] = json.loads(done.stdout)
    assert report["problems"] == []
    return report


def test_every_header_bit_and_a_spread_of_payload_bits_flipped(
    site: Path, cache_dir: Path, entry: Path
) -> None:
    size = entry.stat().st_size
    assert size > 1000  # code, pickled AST: a realistic entry
    # One bit of every header byte (cycling through the bit positions), every byte of
    # the first stretch of marshalled code, then about 100 offsets spread to the end.
    header = [(offset, offset % 8) for offset in range(HEADER)]
    dense = [(offset, offset % 8) for offset in range(HEADER, HEADER + 64)]
    step = max(1, (size - HEADER - 64) // 100)
    spread = [(offset, offset % 8) for offset in range(HEADER + 64, size, step)]
    payload = dense + spread

    report = run_worker(site, cache_dir, entry, flips=header + payload)

    assert report["runs"] == len(header) + len(payload)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_fifo_at_the_entry_path_does_not_hang_the_render(
    site: Path, cache_dir: Path, entry: Path
) -> None:
    entry.unlink()
    os.mkfifo(entry)

    run_worker(site, cache_dir, entry)

    assert entry.is_file() and not entry.is_symlink()


def test_symlink_at_the_entry_path_is_not_followed(
    site: Path, cache_dir: Path, entry: Path, tmp_path: Path
) -> None:
    planted = tmp_path / "planted.pyc"
    planted.write_bytes(entry.read_bytes())  # valid, so only refusing the link makes a miss
    entry.unlink()
    entry.symlink_to(planted)

    run_worker(site, cache_dir, entry)

    assert not entry.is_symlink()
    assert planted.exists()


def damage_truncated(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])


def damage_trailing_garbage(entry: Path) -> None:
    entry.write_bytes(entry.read_bytes() + b"\x00trailing garbage")


def damage_directory(entry: Path) -> None:
    entry.unlink()
    entry.mkdir()


def damage_symlink_to_directory(entry: Path) -> None:
    entry.unlink()
    entry.symlink_to(entry.parent)


def damage_empty(entry: Path) -> None:
    entry.write_bytes(b"")


@pytest.mark.parametrize(
    "damage",
    [
        damage_truncated,
        damage_trailing_garbage,
        damage_directory,
        damage_symlink_to_directory,
        damage_empty,
    ],
)
def test_odd_entry_is_a_miss_with_the_right_output(
    site: Path,
    cache_dir: Path,
    entry: Path,
    damage: Any,
    compiles: list[str | None],
) -> None:
    expected = render(site, None)
    damage(entry)
    compiles.clear()

    assert render(site, cache_dir) == expected

    assert compiles == ["page.html"]  # layout and footer still hit
    decode(entry.read_bytes())  # rewritten as a regular file holding a valid record
    compiles.clear()
    assert render(site, cache_dir) == expected
    assert compiles == []
