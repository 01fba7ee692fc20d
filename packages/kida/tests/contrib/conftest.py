"""Fixtures of the framework adapter tests: template folders on disk."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

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
