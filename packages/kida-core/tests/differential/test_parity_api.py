"""Kida vs Jinja2 over ``corpora/jinja2_parity_api.py``: finalize, modules, select_template.

Both engines run with autoescape on and their default whitespace settings.
"""

from __future__ import annotations

from typing import Any

import jinja2
import jinja2_parity_api as corpus
import pytest
from differential_support import jinja_environment

from kida_core.environment import Environment
from kida_loaders import DictLoader


@pytest.mark.parametrize("case", corpus.FINALIZE_CASES, ids=[c.id for c in corpus.FINALIZE_CASES])
def test_finalize_matches_jinja2(case: Any) -> None:
    jinja_env = jinja_environment(finalize=corpus.finalize)
    expected = jinja_env.from_string(case.jinja).render(**case.context)
    template = Environment(finalize=corpus.finalize).from_string(case.source)
    assert template.render(**case.context) == expected
    assert "".join(template.render_stream(**case.context)) == expected


@pytest.mark.parametrize("case", corpus.MODULE_CASES, ids=[c.id for c in corpus.MODULE_CASES])
def test_module_output_matches_jinja2(case: Any) -> None:
    expected = str(jinja_environment().from_string(case.jinja).make_module(case.context))
    template = Environment().from_string(case.source)
    assert str(template.make_module(case.context)) == expected
    assert "".join(template.render_stream(**case.context)) == expected


@pytest.mark.parametrize("case", corpus.SELECT_CASES, ids=[c.id for c in corpus.SELECT_CASES])
def test_select_template_matches_jinja2(case: Any) -> None:
    jinja_env = jinja_environment(loader=jinja2.DictLoader(corpus.TEMPLATES))
    expected = jinja_env.select_template(list(case.names)).render(**case.context)
    kida_env = Environment(loader=DictLoader(corpus.TEMPLATES))
    template = kida_env.select_template(list(case.names))
    assert template.render(**case.context) == expected
    assert "".join(template.render_stream(**case.context)) == expected
