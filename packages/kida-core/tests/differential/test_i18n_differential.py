"""Kida vs Jinja2 with the same catalog, over ``corpora/i18n_differential_corpus.py``.

Jinja2 gets the i18n extension and ``install_gettext_translations``; Kida the same
catalog through the same method name. Each case renders through ``render``,
``render_stream`` and ``render_async`` (see ``differential_support``).
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import i18n_differential_corpus as corpus
import pytest
from differential_support import assert_renders, jinja_environment, jinja_text
from i18n_catalogs import compile_catalog

from kida_core.environment import Environment

NEWSTYLE = "newstyle"

#: (the policy set to True, ``NEWSTYLE`` or None; case) for every case of the corpus.
GROUPS: list[tuple[str | None, Any]] = [
    *((None, case) for case in corpus.CASES),
    *(("ext.i18n.trusted", case) for case in corpus.TRUSTED_CASES),
    *(("ext.i18n.implicit_variables", case) for case in corpus.IMPLICIT_CASES),
    *((NEWSTYLE, case) for case in corpus.NEWSTYLE_CASES),
]


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> gettext.GNUTranslations:
    path: Path = compile_catalog(tmp_path_factory.mktemp("catalog"), "fr")
    with path.open("rb") as mo_file:
        return gettext.GNUTranslations(mo_file)


def test_case_ids_are_unique() -> None:
    ids = [case.id for _, case in GROUPS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("policy", "case"), GROUPS, ids=[case.id for _, case in GROUPS])
def test_matches_jinja2(policy: str | None, case: Any, french: gettext.GNUTranslations) -> None:
    newstyle = policy == NEWSTYLE
    jinja_env = jinja_environment(extensions=["jinja2.ext.i18n"])
    jinja_env.install_gettext_translations(french, newstyle=newstyle)  # type: ignore[attr-defined]
    expected = jinja_text(jinja_env.from_string(case.jinja).render(**case.context))

    kida_env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    if policy is not None and not newstyle:
        kida_env.policies[policy] = True
    kida_env.install_gettext_translations(french, newstyle=newstyle)
    template = kida_env.from_string(case.source)
    assert_renders(template, case.context, expected, label=f"{case.id}: {case.source!r}")
