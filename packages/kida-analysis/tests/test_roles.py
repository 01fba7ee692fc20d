"""Landmarks, inferred roles and framework roles."""

from __future__ import annotations

import pytest

from kida_analysis import block_role_for_framework
from kida_core.metadata import BlockMetadata, BlockModifierMetadata


@pytest.mark.parametrize(
    ("name", "body", "landmarks", "role"),
    [
        ("x", "<div><aside>a</aside><nav>n</nav></div>", {"aside", "nav"}, "sidebar"),
        ("x", '<NAV class="top">', {"nav"}, "navigation"),
        ("x", "<main/>", {"main"}, "content"),
        ("x", "<head><title>t</title></head><headline>", set(), "unknown"),
        ("footer", "<div>{{ site.year }}</div>", set(), "footer"),
        ("menu", "", set(), "navigation"),
        ("body", "", set(), "content"),
        ("Sidebar", "", set(), "sidebar"),
        ("nav", "<footer>", {"footer"}, "footer"),
        ("page_content", "<div>", set(), "unknown"),
    ],
)
def test_landmarks_and_inferred_role(analyze, name, body, landmarks, role) -> None:
    meta = analyze(f"{{% block {name} %}}{body}{{% end %}}").blocks[name]
    assert meta.emits_landmarks == frozenset(landmarks)
    assert meta.inferred_role == role


def test_emits_html(analyze) -> None:
    blocks = analyze(
        "{% block a %}{{ page.title }}{% end %}{% block b %}x <b>y</b>{% end %}"
        "{% block c %}{% block d %}<hr>{% end %}{% end %}"
    ).blocks
    assert [blocks[name].emits_html for name in "abcd"] == [False, True, True, True]


def meta(name: str = "x", **fields: object) -> BlockMetadata:
    return BlockMetadata(name=name, **fields)  # type: ignore[arg-type]


def modifier(name: str, value: object) -> BlockModifierMetadata:
    return BlockModifierMetadata(name, value, 1, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("block", "role"),
    [
        (meta("content"), "page_root"),
        (meta("page_root"), "page_root"),
        (meta("article", inferred_role="content"), "page_root"),
        (meta("crumbs", is_region=True), "fragment"),
        (meta("nav", inferred_role="navigation"), "fragment"),
        (meta("x", inferred_role="footer"), "fragment"),
        (meta("x", modifiers=(modifier("fragment", True),)), "fragment"),
        (meta("x", modifiers=(modifier("fragment", False),)), None),
        (meta("content", modifiers=(modifier("role", "fragment"),)), "fragment"),
        (meta("x", modifiers=(modifier("role", "page_root"),)), "page_root"),
        (meta("x"), None),
        (meta("title"), None),
    ],
)
def test_block_role_for_framework(block: BlockMetadata, role: str | None) -> None:
    assert block_role_for_framework(block) == role


def test_custom_page_root_names() -> None:
    assert block_role_for_framework(meta("page_content")) is None
    custom = frozenset({"page_content"})
    assert block_role_for_framework(meta("page_content"), page_root_names=custom) == "page_root"
    assert block_role_for_framework(meta("content"), page_root_names=custom) is None
