"""Kida vs Jinja2 over ``corpora/perf_margin_corpus.py``: inline ``capitalize``/``center``/
``wordcount``, faster ``striptags``/``truncate``/``title`` and one-line ``if`` outputs.

Every Kida render mode must agree with ``render``, and so must an Environment where the
inlined filters are registered as copies (called, not inlined).
"""

from __future__ import annotations

from typing import Any

import jinja2
import perf_margin_corpus as corpus
import pytest
from differential_support import assert_renders, jinja_text

from kida_core.environment import Environment


def test_corpus_ids_unique() -> None:
    ids = [c.id for c in corpus.CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", corpus.CASES, ids=[c.id for c in corpus.CASES])
def test_matches_jinja2(
    case: Any, jinja_env: jinja2.Environment, kida_env: Environment, calling_env: Environment
) -> None:
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**case.context))
    template = kida_env.from_string(case.source)
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
    assert calling_env.from_string(case.source).render(**case.context) == expected
