"""Fixtures of the framework adapter tests: a configured Django, template folders on disk.

Django's settings are process-wide, so they are configured once, when this
conftest is imported; each test then installs its own ``TEMPLATES`` (and
URLconf) with ``override_settings``, which also resets Django's engines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import django
import pytest
from django.conf import settings
from django.test.utils import override_settings

PROJECT = Path(__file__).resolve().parent / "django_project"
BACKEND = "kida.contrib.django.KidaTemplates"

if not settings.configured:
    sys.path.insert(0, str(PROJECT))
    settings.configure(
        DEBUG=False,
        SECRET_KEY="kida-tests-only",
        ALLOWED_HOSTS=["testserver"],
        INSTALLED_APPS=["kidaapp"],
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        ROOT_URLCONF=None,
        TEMPLATES=[],
        USE_TZ=True,
    )
    django.setup()


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """An empty template folder on disk (the ``DIRS`` of :func:`kida_engine`)."""
    folder = tmp_path / "templates"
    folder.mkdir()
    return folder


def kida_settings(dirs: list[Path], **params: Any) -> dict[str, Any]:
    """One ``TEMPLATES`` entry for the Kida backend, named ``kida``."""
    return {"BACKEND": BACKEND, "NAME": "kida", "DIRS": dirs, "APP_DIRS": False, **params}


#: ``use(*entries)`` installs the given ``TEMPLATES`` entries for the rest of the test.
UseTemplates = Callable[..., None]


@pytest.fixture
def use_templates() -> Iterator[UseTemplates]:
    """Install ``TEMPLATES`` (and optionally other settings) for one test."""
    overrides: list[override_settings] = []

    def use(*entries: dict[str, Any], **other: Any) -> None:
        override = override_settings(TEMPLATES=list(entries), **other)
        override.enable()
        overrides.append(override)

    yield use
    for override in reversed(overrides):
        override.disable()


@pytest.fixture
def kida_engine(templates: Path, use_templates: UseTemplates) -> Callable[..., Any]:
    """``kida_engine(**OPTIONS)``: the configured Kida engine over :func:`templates`."""
    from django.template import engines

    def make(**options: Any) -> Any:
        use_templates(kida_settings([templates], OPTIONS=options))
        return engines["kida"]

    return make


WriteTemplates = Callable[..., Path]


@pytest.fixture
def write_templates(tmp_path: Path) -> WriteTemplates:
    """``write_templates({name: source}, folder="templates")`` writes the files, returns the folder.

    Names may contain ``/`` (written in subfolders); ``folder`` is relative to
    ``tmp_path``.
    """

    def write(files: Mapping[str, str], folder: str = "templates") -> Path:
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        for name, source in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source, encoding="utf-8")
        return root

    return write
