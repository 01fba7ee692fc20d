"""The whole template corpus renders identically with no cache, a cold cache and a warm cache.

The corpus is every case of kida-core's differential corpus
(``tests/corpora/kida_core_differential_corpus.py``) and every composition fixture of
``tests/corpora/kida_core_composition_corpus.py`` (inheritance, includes, imports, components,
error boundaries, fragment caches, dynamic extends). All templates live in one
``DictLoader``: differential cases under ``case-<id>.html``, composition
fixtures under their own names.

For each case three fresh Environments render it:

* ``none`` — ``bytecode_cache=False``;
* ``cold`` — an empty ``BytecodeCache`` directory (every template is compiled
  and written);
* ``warm`` — a new Environment over the directory the cold one filled (every
  template is read back; a spy proves nothing is compiled).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kida_core_composition_corpus as composition
import kida_core_differential_corpus as differential
import pytest

from kida_cache import BytecodeCache
from kida_core import Environment
from kida_loaders import DictLoader

#: Every template of the corpus by name.
TEMPLATES: dict[str, str] = {
    **composition.TEMPLATES,
    **{f"case-{case.id}.html": case.source for case in differential.CASES},
}

#: ``(case id, template name, context)``.
CORPUS: list[tuple[str, str, dict[str, Any]]] = [
    *((f"diff:{c.id}", f"case-{c.id}.html", c.context) for c in differential.CASES),
    *((f"comp:{cid}", name, ctx) for cid, name, ctx in composition.RENDER_CASES),
]


@pytest.fixture(autouse=True)
def quiet_compile_warnings() -> Iterator[None]:
    """Some corpus templates compile with Precedence/Migration warnings on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def render(bytecode_cache: Any, name: str, context: dict[str, Any]) -> str:
    env = Environment(autoescape=True, loader=DictLoader(TEMPLATES), bytecode_cache=bytecode_cache)
    return env.render(name, context)


def test_corpus_is_complete() -> None:
    assert len(differential.CASES) >= 150
    assert len(composition.RENDER_CASES) >= 10
    assert len(TEMPLATES) == len(composition.TEMPLATES) + len(differential.CASES)


@pytest.mark.parametrize(("name", "context"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_no_cache_cold_cache_and_warm_cache_render_identically(
    tmp_path: Path, compiles: list[str | None], name: str, context: dict[str, Any]
) -> None:
    directory = tmp_path / "bytecode"
    uncached = render(False, name, context)

    cold = render(BytecodeCache(directory), name, context)
    written = sorted(p.name for p in directory.iterdir())
    compiles.clear()
    warm = render(BytecodeCache(directory), name, context)

    assert cold == uncached
    assert warm == uncached
    assert written, "the cold render wrote nothing"
    assert compiles == [], f"the warm render compiled {compiles}"
    assert sorted(p.name for p in directory.iterdir()) == written


def test_one_warm_directory_serves_the_whole_corpus(
    tmp_path: Path, compiles: list[str | None]
) -> None:
    """All templates share one directory: no two entries collide."""
    directory = tmp_path / "bytecode"
    uncached = [render(False, name, ctx) for _, name, ctx in CORPUS]
    cold = [render(BytecodeCache(directory), name, ctx) for _, name, ctx in CORPUS]
    compiles.clear()

    warm = [render(BytecodeCache(directory), name, ctx) for _, name, ctx in CORPUS]

    assert cold == uncached
    assert warm == uncached
    assert compiles == []
