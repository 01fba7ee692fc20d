"""Kida vs Jinja2 over ``corpora/jinja2_parity_filters.py``: the Jinja2-parity filters and tests.

Same setup as ``test_differential.py``. Some cases convert bad input on purpose
(``'abc' | int(7)``), so ``CoercionWarning`` is expected.
"""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2_parity_filters as corpus
import pytest
from differential_support import assert_renders, jinja_text

from kida_core.environment import Environment

CASES: tuple[Any, ...] = corpus.CASES

pytestmark = pytest.mark.filterwarnings("ignore::kida_core.errors.CoercionWarning")


def test_corpus_ids_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matches_jinja2(case: Any, jinja_env: jinja2.Environment, kida_env: Environment) -> None:
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**case.context))
    template = kida_env.from_string(case.source)
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
