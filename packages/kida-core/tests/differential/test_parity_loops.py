"""Kida vs Jinja2 over ``corpora/jinja2_parity_loops.py``: loops, namespace, cycler, joiner."""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2_parity_loops as corpus
import pytest
from differential_support import assert_renders, jinja_text

from kida_core.environment import Environment

CASES = corpus.CASES


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_matches_jinja2(case: Any, jinja_env: jinja2.Environment, kida_env: Environment) -> None:
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**case.context))
    template = kida_env.from_string(case.source)
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
