"""``block_defs``: a module's block definitions, built from one row per block."""

from __future__ import annotations

from typing import Any

import pytest

from kida import DictLoader, Environment
from kida_core import TemplateRuntimeError
from kida_core.runtime.blocks import BlockDef
from kida_core.runtime.macros import block_defs


def render(ctx: Any, blocks: Any) -> str:
    return "body"


def test_a_row_names_the_functions_the_module_defines() -> None:
    namespace = {"_block_body": render}
    defs = block_defs((("body", "", None, None, None, True),), "page.html", namespace)
    assert defs == {"body": BlockDef(render, None, None, None, True)}


def test_a_part_name_stands_for_the_function_compiled_on_first_use() -> None:
    requested: list[tuple[str, str]] = []

    def lazy(part: str, name: str) -> Any:
        requested.append((part, name))
        return name

    namespace = {"_block_body": render}
    defs = block_defs(
        (("body", "", "stream", "astream", None, False),), "page.html", namespace, lazy
    )
    assert defs["body"].render is render
    assert defs["body"].stream == "_block_body_stream"
    assert requested == [("stream", "_block_body_stream"), ("astream", "_block_body_astream")]


def test_a_row_of_only_a_name_is_a_required_block() -> None:
    defs = block_defs((("body",),), "base.html", {})
    with pytest.raises(TemplateRuntimeError, match="Required block 'body'"):
        defs["body"].rendered({}, {})


def test_blocks_render_and_stream_through_the_definitions_found_by_name() -> None:
    """Every function of a block, compiled now or on first use, is found by name."""
    env = Environment(
        loader=DictLoader(
            {
                "page.html": "<{% block body if show %}{{ x }}{% end %}>"
                "{% fragment part %}[{{ x }}]{% end %}",
            }
        )
    )
    template = env.get_template("page.html")
    assert template.render(show=True, x=1) == "<1>"
    assert template.render(show=False, x=1) == "<>"
    assert "".join(template.render_stream(show=True, x=2)) == "<2>"
    assert template.render_block("part", x=3) == "[3]"
