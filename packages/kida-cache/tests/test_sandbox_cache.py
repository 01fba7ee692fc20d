"""A SandboxedEnvironment never creates a bytecode cache by itself; an explicit one works.

The automatic cache lives next to the templates (``<root>/__pycache__/kida/``),
where whoever writes templates may also be able to write. Cached code runs
without the sandbox's compile-time view, so a planted entry would run code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kida import Environment, FileSystemLoader, SandboxedEnvironment, SecurityError
from kida_cache import BytecodeCache
from kida_cache.record import encode

PAGE = "<h1>{{ title | upper }}</h1>{% for x in items %}<li>{{ x }}</li>{% end %}"
CONTEXT = {"title": "hello", "items": [1, 2]}
EXPECTED = "<h1>HELLO</h1><li>1</li><li>2</li>"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A template directory given by absolute path, as the automatic cache requires."""
    root = tmp_path / "templates"
    root.mkdir()
    (root / "page.html").write_text(PAGE)
    (root / "escape.html").write_text("{{ title.__class__ }}")
    return root


def automatic_dir(site: Path) -> Path:
    return site / "__pycache__" / "kida"


def test_no_cache_is_created_next_to_the_templates(site: Path) -> None:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(site)))

    assert env.render("page.html", CONTEXT) == EXPECTED

    assert not (site / "__pycache__").exists()
    assert env.cache_info()["bytecode"] is None
    assert env.clear_bytecode_cache() == 0


def test_a_planted_entry_is_never_loaded(site: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    # Put an entry under the exact name the sandbox would look up, then swap its code
    # for code that leaves a marker when loaded (a valid record: checksums do not help).
    planted = BytecodeCache(automatic_dir(site))
    SandboxedEnvironment(loader=FileSystemLoader(str(site)), bytecode_cache=planted).render(
        "page.html", CONTEXT
    )
    (entry,) = automatic_dir(site).iterdir()
    # Template code runs without builtins; any helper function's globals lead back to them.
    reach_open = '_K_undef.__globals__["__builtins__"]["open"]'
    payload = compile(f"{reach_open}({str(marker)!r}, 'w').close()", "<planted>", "exec")
    entry.write_bytes(encode(payload))

    env = SandboxedEnvironment(loader=FileSystemLoader(str(site)))

    assert env.render("page.html", CONTEXT) == EXPECTED
    assert not marker.exists()
    # The same file through an explicitly configured cache is loaded: the test plants
    # what the automatic cache would have read.
    # (It defines no render(), so the Environment then discards it and compiles.)
    explicit = SandboxedEnvironment(loader=FileSystemLoader(str(site)), bytecode_cache=planted)
    assert explicit.render("page.html", CONTEXT) == EXPECTED
    assert marker.exists()


def test_an_explicit_cache_instance_is_used(
    site: Path, tmp_path: Path, compiles: list[str | None]
) -> None:
    cache_dir = tmp_path / "bytecode"
    first = SandboxedEnvironment(
        loader=FileSystemLoader(str(site)), bytecode_cache=BytecodeCache(cache_dir)
    )
    assert first.render("page.html", CONTEXT) == EXPECTED
    compiles.clear()

    second = SandboxedEnvironment(
        loader=FileSystemLoader(str(site)), bytecode_cache=BytecodeCache(cache_dir)
    )

    assert second.render("page.html", CONTEXT) == EXPECTED
    assert compiles == []  # a hit
    assert second.cache_info()["bytecode"]["file_count"] == 1
    assert not (site / "__pycache__").exists()


def test_an_explicit_cache_name_is_used(site: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "bytecode"
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(site)), bytecode_cache=f"filesystem:{cache_dir}"
    )

    assert env.render("page.html", CONTEXT) == EXPECTED

    assert len(list(cache_dir.iterdir())) == 1
    assert not (site / "__pycache__").exists()


def test_cached_sandboxed_code_is_still_guarded(site: Path, tmp_path: Path) -> None:
    def env() -> SandboxedEnvironment:
        return SandboxedEnvironment(
            loader=FileSystemLoader(str(site)), bytecode_cache=BytecodeCache(tmp_path / "bc")
        )

    with pytest.raises(SecurityError):
        env().render("escape.html", CONTEXT)
    with pytest.raises(SecurityError):
        env().render("escape.html", CONTEXT)  # from the cache


def test_the_plain_environment_keeps_its_automatic_cache(site: Path) -> None:
    Environment(loader=FileSystemLoader(str(site))).render("page.html", CONTEXT)

    assert len(list(automatic_dir(site).iterdir())) == 1
