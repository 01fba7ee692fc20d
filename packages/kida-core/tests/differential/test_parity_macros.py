"""Kida vs Jinja2 over ``corpora/jinja2_parity_macros.py``: named templates via a dict loader."""

from __future__ import annotations

import jinja2
import jinja2_parity_macros as corpus
import pytest
from differential_support import assert_renders, jinja_environment, jinja_text

from kida_core.environment import Environment
from kida_loaders import DictLoader


def _templates(case: corpus.TemplatesCase, source: str) -> dict[str, str]:
    return {**case.templates, "page.html": source}


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in corpus.CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", corpus.CASES, ids=[case.id for case in corpus.CASES])
def test_matches_jinja2(case: corpus.TemplatesCase) -> None:
    jinja_env = jinja_environment(loader=jinja2.DictLoader(_templates(case, case.jinja)))
    expected = jinja_text(jinja_env.get_template("page.html").render(**case.context))
    kida_env = Environment(loader=DictLoader(_templates(case, case.source)), autoescape=True)
    template = kida_env.get_template("page.html")
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
