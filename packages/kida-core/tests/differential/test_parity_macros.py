"""Kida vs Jinja2 over ``corpora/jinja2_parity_macros.py``: named templates via a dict loader."""

from __future__ import annotations

import asyncio

import jinja2
import jinja2_parity_macros as corpus
import pytest

from kida_core.environment import Environment
from kida_loaders import DictLoader


def _templates(case: corpus.TemplatesCase, source: str) -> dict[str, str]:
    return {**case.templates, "page.html": source}


def test_case_ids_are_unique() -> None:
    ids = [case.id for case in corpus.CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", corpus.CASES, ids=[case.id for case in corpus.CASES])
def test_matches_jinja2(case: corpus.TemplatesCase) -> None:
    jinja_env = jinja2.Environment(
        loader=jinja2.DictLoader(_templates(case, case.jinja)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    expected = jinja_env.get_template("page.html").render(**case.context)
    expected = expected.replace("&#34;", "&quot;")  # markupsafe's spelling of '"'
    template = Environment(
        loader=DictLoader(_templates(case, case.source)), autoescape=True
    ).get_template("page.html")
    got = template.render(**case.context)
    assert got == expected, f"{case.id}: source={case.source!r}"
    streamed = "".join(template.render_stream(**case.context))
    assert streamed == got, f"{case.id}: render_stream differs from render"
    rendered_async = asyncio.run(template.render_async(**case.context))
    assert rendered_async == got, f"{case.id}: render_async differs from render"
