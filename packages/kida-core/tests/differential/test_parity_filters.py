"""Kida vs Jinja2 over ``corpora/jinja2_parity_filters.py``: the Jinja2-parity filters and tests.

Same setup as ``test_differential.py``: Jinja2 with autoescape and
``keep_trailing_newline``; markupsafe's ``&#34;`` is read as Kida's ``&quot;``.
``render_stream`` and ``render_async`` must agree with ``render``. Some cases
convert bad input on purpose (``'abc' | int(7)``), so ``CoercionWarning`` is expected.
"""

from __future__ import annotations

import asyncio
from typing import Any

import jinja2
import jinja2_parity_filters as corpus
import pytest

from kida_core.environment import Environment

CASES: tuple[Any, ...] = corpus.CASES

pytestmark = pytest.mark.filterwarnings("ignore::kida_core.errors.CoercionWarning")


@pytest.fixture(scope="module")
def jinja_env() -> jinja2.Environment:
    """Jinja2 configured like Kida's defaults."""
    return jinja2.Environment(autoescape=True, keep_trailing_newline=True)


@pytest.fixture(scope="module")
def kida_env() -> Environment:
    """A default Kida environment (autoescape on)."""
    return Environment(autoescape=True)


def test_corpus_ids_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matches_jinja2(case: Any, jinja_env: jinja2.Environment, kida_env: Environment) -> None:
    expected = jinja_env.from_string(case.jinja).render(**case.context).replace("&#34;", "&quot;")
    template = kida_env.from_string(case.source)
    got = template.render(**case.context)
    assert got == expected, f"{case.id}: source={case.source!r}"
    assert "".join(template.render_stream(**case.context)) == got
    assert asyncio.run(template.render_async(**case.context)) == got
