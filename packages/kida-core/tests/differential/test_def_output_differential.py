"""Kida vs Jinja2 over ``corpora/def_output_corpus.py``: defs written straight to output."""

from __future__ import annotations

from typing import Any

import def_output_corpus as corpus
import jinja2
import pytest
from differential_support import assert_renders, jinja_text

from kida_core.environment import Environment


@pytest.mark.parametrize("case", corpus.CASES, ids=[c.id for c in corpus.CASES])
def test_matches_jinja2(case: Any, jinja_env: jinja2.Environment, kida_env: Environment) -> None:
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**case.context))
    template = kida_env.from_string(case.source)
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
