"""Helpers shared by the core tests: edit template files on disk, render in every mode."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any


def write_later(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` and a later modification time, so a stat sees the change."""
    later = path.stat().st_mtime_ns + 1_000_000_000 if path.exists() else None
    path.write_text(text)
    if later is not None:
        os.utime(path, ns=(later, later))


def render_every_mode(template: Any, **context: Any) -> str:
    """``template.render(**context)``, after checking that its stream and async stream agree."""
    rendered: str = template.render(**context)
    assert "".join(template.render_stream(**context)) == rendered

    async def streamed() -> str:
        return "".join([chunk async for chunk in template.render_stream_async(**context)])

    assert asyncio.run(streamed()) == rendered
    return rendered
