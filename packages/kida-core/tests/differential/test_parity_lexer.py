"""Kida vs Jinja2 over ``corpora/jinja2_parity_lexer.py``: whitespace, newlines,
number literals, line statements and ``{% autoescape %}``, byte for byte.

Each case passes its ``options`` to both Environments; both render modes of Kida
must agree. markupsafe's ``&#34;`` is mapped to Kida's ``&quot;``.
"""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2_parity_lexer as corpus
import pytest

from kida_core.environment import Environment

CASES = corpus.CASES


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_renders_like_jinja2(case: Any) -> None:
    jinja_env = jinja2.Environment(**{"autoescape": True, **case.options})
    expected = jinja_env.from_string(case.jinja).render(**case.context).replace("&#34;", "&quot;")
    template = Environment(**case.options).from_string(case.source)
    rendered = template.render(**case.context)
    assert rendered == expected, f"{case.id}: source={case.source!r}"
    assert "".join(template.render_stream(**case.context)) == rendered
