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


def test_emits_html_for_literal_markup(analyze) -> None:
    blocks = analyze(
        "{% block b %}x <b>y</b>{% end %}{% block c %}{% block d %}<hr>{% end %}{% end %}"
    ).blocks
    assert [blocks[name].emits_html for name in "bcd"] == [True, True, True]


def test_emits_html_for_dynamic_output(analyze) -> None:
    blocks = analyze(
        "{% def card() %}<div>{% end %}"
        "{% block a %}{{ page.title }}{% end %}"
        "{% block b %}{% include 'x.html' ignore missing %}{% end %}"
        "{% block c %}{% call card() %}{% end %}{% end %}"
    ).blocks
    assert [blocks[name].emits_html for name in "abc"] == [True, True, True]


def test_plain_text_and_assignments_emit_no_html(analyze) -> None:
    blocks = analyze("{% block a %}plain text{% end %}{% block b %}{% set x = 1 %}{% end %}").blocks
    assert [blocks[name].emits_html for name in "ab"] == [False, False]


def meta(name: str = "x", **fields: object) -> BlockMetadata:
    return BlockMetadata(name=name, **fields)  # type: ignore[arg-type]


def modifier(name: str, value: object) -> BlockModifierMetadata:
    return BlockModifierMetadata(name, value, 1, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("block", "role"),
    [
        (meta("content"), "fragment"),
        (meta("main"), "fragment"),
        (meta("article", inferred_role="content"), "fragment"),
        (meta("page_root"), "page_root"),
        (meta("root"), "page_root"),
        (meta("layout"), "page_root"),
        (meta("nav", inferred_role="navigation"), None),
        (meta("x", inferred_role="footer"), None),
        (meta("crumbs", is_region=True), None),
        (meta("content", modifiers=(modifier("role", "page_root"),)), "page_root"),
        (meta("x", modifiers=(modifier("role", "fragment"),)), "fragment"),
        (meta("x"), None),
        (meta("title"), None),
    ],
)
def test_block_role_for_framework(block: BlockMetadata, role: str | None) -> None:
    assert block_role_for_framework(block) == role


def test_custom_root_roles() -> None:
    assert block_role_for_framework(meta("page_content")) is None
    custom = frozenset({"page_content"})
    assert block_role_for_framework(meta("page_content"), root_roles=custom) == "page_root"
    assert block_role_for_framework(meta("page_root"), root_roles=custom) is None


def test_custom_content_roles_match_names_and_inferred_roles() -> None:
    custom = frozenset({"navigation", "results"})
    assert block_role_for_framework(meta("results"), content_roles=custom) == "fragment"
    nav = meta("menu", inferred_role="navigation")
    assert block_role_for_framework(nav, content_roles=custom) == "fragment"
    assert block_role_for_framework(meta("content"), content_roles=custom) is None


def test_no_metadata_has_no_role() -> None:
    assert block_role_for_framework(None) is None
