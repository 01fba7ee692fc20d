"""A Template keeps its Environment alive: loading through a dropped Environment works."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kida_core import Environment
from kida_loaders import FileSystemLoader


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = {
        "layout.html": "<main>{% block content %}{% endblock %}</main>",
        "partial.html": "<nav>{{ title }}</nav>",
        "macros.html": "{% def em(v) %}<em>{{ v }}</em>{% end %}",
        "extends.html": '{% extends "layout.html" %}{% block content %}x{% endblock %}',
        "includes.html": '{% include "partial.html" %}',
        "imports.html": '{% from "macros.html" import em %}{{ em(title) }}',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def render_unreferenced(site: Path, name: str) -> str:
    """Render ``name`` from an Environment no variable keeps."""
    template = Environment(loader=FileSystemLoader(site)).get_template(name)
    gc.collect()
    return template.render(title="Home")


def test_extends_works_when_the_environment_is_not_kept(site: Path) -> None:
    assert render_unreferenced(site, "extends.html") == "<main>x</main>"


def test_include_works_when_the_environment_is_not_kept(site: Path) -> None:
    assert render_unreferenced(site, "includes.html") == "<nav>Home</nav>"


def test_import_works_when_the_environment_is_not_kept(site: Path) -> None:
    assert render_unreferenced(site, "imports.html") == "<em>Home</em>"
