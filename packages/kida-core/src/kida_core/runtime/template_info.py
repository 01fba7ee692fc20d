"""``TemplateInfo``: which template a generated-code frame belongs to."""

from __future__ import annotations

from typing import NamedTuple


class TemplateInfo(NamedTuple):
    """Identifies the template a generated-code frame belongs to."""

    name: str | None
    filename: str | None
    source: str | None
