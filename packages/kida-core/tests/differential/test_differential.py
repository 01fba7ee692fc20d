"""Kida vs Jinja2 differential tests over ``corpora/kida_core_differential_corpus.py``.

Both engines run with their default whitespace settings (one trailing newline of a
template is dropped) and autoescape on (see ``differential_support``). The corpus
keeps ``"`` out of escaped data; a stray one is read in Kida's spelling.
"""

from __future__ import annotations

from typing import Any

import jinja2
import kida_core_differential_corpus as corpus
import pytest
from differential_support import assert_renders, jinja_text

from kida_core.environment import Environment

MIN_CASES = 150


CASES: tuple[Any, ...] = corpus.CASES


def test_corpus_size() -> None:
    assert len(CASES) >= MIN_CASES


def test_corpus_ids_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matches_jinja2(case: Any, jinja_env: jinja2.Environment, kida_env: Environment) -> None:
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**case.context))
    template = kida_env.from_string(case.source)
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
