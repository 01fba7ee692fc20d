"""Kida vs Jinja2 over ``corpora/jinja2_parity_lexer.py``: whitespace, newlines,
number literals, line statements and ``{% autoescape %}``, byte for byte.

Each case passes its ``options`` to both Environments; both render modes of Kida
must agree (see ``differential_support``).
"""

from __future__ import annotations

from typing import Any

import jinja2_parity_lexer as corpus
import pytest
from differential_support import assert_renders, jinja_environment, jinja_text

from kida_core.environment import Environment

CASES = corpus.CASES


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_renders_like_jinja2(case: Any) -> None:
    jinja_env = jinja_environment(**case.options)
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**case.context))
    template = Environment(**case.options).from_string(case.source)
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
