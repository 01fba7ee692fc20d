"""``_K_block_defs``: a module's block definitions, built from one row per block."""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import TemplateRuntimeError
from kida_core.runtime.blocks import BlockDef
from kida_core.runtime.macros import block_defs


def render(ctx: Any, blocks: Any) -> str:
    return "body"


def test_a_row_holds_the_functions_of_a_block() -> None:
    defs = block_defs((("body", render, None, None, None, True),), "page.html")
    assert defs == {"body": BlockDef(render, None, None, None, True)}


def test_a_part_name_stands_for_the_function_compiled_on_first_use() -> None:
    requested: list[tuple[str, str]] = []

    def lazy(part: str, name: str) -> Any:
        requested.append((part, name))
        return name

    defs = block_defs((("body", render, "stream", "astream", None, False),), "page.html", lazy)
    assert defs["body"].stream == "_block_body_stream"
    assert requested == [("stream", "_block_body_stream"), ("astream", "_block_body_astream")]


def test_a_row_of_only_a_name_is_a_required_block() -> None:
    defs = block_defs((("body",),), "base.html")
    with pytest.raises(TemplateRuntimeError, match="Required block 'body'"):
        defs["body"].rendered({}, {})
