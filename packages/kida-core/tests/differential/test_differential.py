"""Kida vs Jinja2 differential tests over ``corpora/kida_core_differential_corpus.py``.

Both engines run with their default whitespace settings (one trailing newline of a
template is dropped).  markupsafe escapes ``"`` as
``&#34;`` where Kida writes ``&quot;``; the corpus keeps ``"`` out of escaped data, and
:func:`_normalise_jinja` maps ``&#34;`` to ``&quot;`` so a stray quote is not a false alarm.
"""

from __future__ import annotations

from typing import Any

import jinja2
import kida_core_differential_corpus as corpus
import pytest

MIN_CASES = 150


CASES: tuple[Any, ...] = corpus.CASES


@pytest.fixture(scope="module")
def jinja_env() -> jinja2.Environment:
    """Jinja2 configured like Kida's defaults."""
    return jinja2.Environment(autoescape=True)


@pytest.fixture(scope="module")
def kida_env() -> Any:
    """A default Kida environment (autoescape on)."""
    from kida_core.environment import Environment

    return Environment(autoescape=True)


def _normalise_jinja(text: str) -> str:
    """Map markupsafe's ``&#34;`` to Kida's ``&quot;``."""
    return text.replace("&#34;", "&quot;")


def test_corpus_size() -> None:
    assert len(CASES) >= MIN_CASES


def test_corpus_ids_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matches_jinja2(case: Any, jinja_env: jinja2.Environment, kida_env: Any) -> None:
    expected = _normalise_jinja(jinja_env.from_string(case.jinja).render(**case.context))
    template = kida_env.from_string(case.source)
    got = template.render(**case.context)
    assert got == expected, f"{case.id}: source={case.source!r}"
    streamed = "".join(template.render_stream(**case.context))
    assert streamed == got, f"{case.id}: render_stream differs from render"
