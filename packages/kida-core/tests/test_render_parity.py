"""Every render mode gives identical output over the whole template corpus.

The corpus is every case of the differential corpora
(``corpora/kida_core_differential_corpus.py``, ``corpora/jinja2_parity_loops.py`` and
``corpora/i18n_differential_corpus.py``, ``CASES``) plus every composition fixture of
``corpora/kida_core_composition_corpus.py`` (``RENDER_CASES``: inheritance, includes,
imports, components, error boundaries, fragment caches, dynamic extends).  For each
case the modes compared are:

* ``render()``
* ``"".join(render_stream())``
* ``"".join`` of ``render_stream_async()``
* ``str(RenderedTemplate(t, ctx))`` and ``"".join(RenderedTemplate(t, ctx))``

Each mode renders in a *fresh* Environment, so a fragment cache filled by one mode
cannot hide a difference in another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import i18n_differential_corpus as i18n
import jinja2_parity_loops as loops
import kida_core_composition_corpus as composition
import kida_core_differential_corpus as differential
import pytest

from kida_core import Environment, RenderedTemplate, Template
from kida_loaders import DictLoader

#: ``(id, template source or None, template name or None, context)``
CORPUS: list[tuple[str, str | None, str | None, dict[str, Any]]] = [
    *((f"diff:{c.id}", c.source, None, c.context) for c in differential.CASES),
    *((f"loops:{c.id}", c.source, None, c.context) for c in loops.CASES),
    *((f"i18n:{c.id}", c.source, None, c.context) for c in i18n.CASES),
    *((f"comp:{cid}", None, name, ctx) for cid, name, ctx in composition.RENDER_CASES),
]

CORPUS_IDS = [case[0] for case in CORPUS]


def load(source: str | None, name: str | None) -> tuple[Environment, Template]:
    """A fresh Environment and the case's template (the env must outlive the template)."""
    env = Environment(autoescape=True, loader=DictLoader(composition.TEMPLATES))
    template = env.from_string(source) if source is not None else env.get_template(str(name))
    return env, template


async def render_all_modes(
    source: str | None, name: str | None, context: dict[str, Any]
) -> dict[str, str]:
    modes: dict[str, Callable[[Template], Any]] = {
        "render": lambda t: t.render(context),
        "render_stream": lambda t: "".join(t.render_stream(context)),
        "str(RenderedTemplate)": lambda t: str(RenderedTemplate(t, context)),
        "iter(RenderedTemplate)": lambda t: "".join(RenderedTemplate(t, context)),
    }
    outputs: dict[str, str] = {}
    for mode, run in modes.items():
        _env, template = load(source, name)  # _env keeps the weakly held Environment alive
        outputs[mode] = run(template)
    _env, template = load(source, name)
    outputs["render_stream_async"] = "".join(
        [chunk async for chunk in template.render_stream_async(context)]
    )
    return outputs


def test_corpus_covers_differential_and_composition_cases() -> None:
    ids = [case[0] for case in CORPUS]
    assert len(ids) == len(set(ids))
    assert len(differential.CASES) >= 150
    assert sum(1 for i in ids if i.startswith("comp:")) == len(composition.RENDER_CASES)


@pytest.mark.parametrize(
    ("case_id", "source", "name", "context"), CORPUS, ids=[c[0] for c in CORPUS]
)
async def test_all_render_modes_agree(
    case_id: str, source: str | None, name: str | None, context: dict[str, Any]
) -> None:
    outputs = await render_all_modes(source, name, context)
    expected = outputs["render"]
    for mode, output in outputs.items():
        assert output == expected, f"{case_id}: {mode} differs from render()"


def test_parity_corpus_includes_multi_level_inheritance() -> None:
    names = {name for _, _, name, _ in CORPUS if name is not None}
    assert "pages/install.html" in names
