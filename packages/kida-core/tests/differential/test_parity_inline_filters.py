"""Kida vs Jinja2 over ``corpora/inline_filters_corpus.py``: filters Kida compiles inline.

Jinja2 is set up as in ``differential_support``. Every Kida render mode must
agree with ``render``, and so must an Environment where the same filters are
registered as copies (called, not inlined).
"""

from __future__ import annotations

from typing import Any

import inline_filters_corpus as corpus
import jinja2
import pytest
from differential_support import assert_renders, jinja_text

from kida_core.environment import Environment

CASES: tuple[Any, ...] = corpus.CASES


def test_corpus_ids_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matches_jinja2(
    case: Any, jinja_env: jinja2.Environment, kida_env: Environment, calling_env: Environment
) -> None:
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**corpus.context_of(case)))
    template = kida_env.from_string(case.source)
    assert_renders(
        template, lambda: corpus.context_of(case), expected, label=f"{case.id}: {case.source!r}"
    )
    assert calling_env.from_string(case.source).render(**corpus.context_of(case)) == expected
