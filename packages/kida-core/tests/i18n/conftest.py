"""Fixtures loading the catalogs of ``corpora/i18n_catalogs.py`` (stdlib gettext and Babel)."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.support import Translations
from i18n_catalogs import Loader, compile_catalog


@pytest.fixture
def gnu(tmp_path: Path) -> Loader:
    """``gnu("fr")``: the French catalog loaded with stdlib ``gettext.GNUTranslations``."""

    def load(language: str) -> gettext.GNUTranslations:
        with compile_catalog(tmp_path, language).open("rb") as mo_file:
            return gettext.GNUTranslations(mo_file)

    return load


@pytest.fixture
def babel(tmp_path: Path) -> Callable[[str], Translations]:
    """``babel("fr")``: the catalog loaded with Babel's ``Translations``."""

    def load(language: str) -> Translations:
        with compile_catalog(tmp_path, language).open("rb") as mo_file:
            return Translations(mo_file)

    return load
