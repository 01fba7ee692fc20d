"""Kida vs Jinja2 over ``corpora/jinja2_parity_loops.py``: loops, namespace, cycler, joiner."""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2_parity_loops as corpus
import pytest

from kida_core.environment import Environment

CASES = corpus.CASES


@pytest.fixture(scope="module")
def jinja_env() -> jinja2.Environment:
    """Jinja2 configured like Kida's defaults."""
    return jinja2.Environment(autoescape=True, keep_trailing_newline=True)


@pytest.fixture(scope="module")
def kida_env() -> Environment:
    """A default Kida environment (autoescape on)."""
    return Environment(autoescape=True)


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_matches_jinja2(case: Any, jinja_env: jinja2.Environment, kida_env: Environment) -> None:
    expected = jinja_env.from_string(case.jinja).render(**case.context).replace("&#34;", "&quot;")
    template = kida_env.from_string(case.source)
    got = template.render(**case.context)
    assert got == expected, f"{case.id}: source={case.source!r}"
    assert "".join(template.render_stream(**case.context)) == got
