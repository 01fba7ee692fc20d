"""A component library: DefMetadata, and pages importing it."""

from __future__ import annotations

import pytest

from kida_core.metadata import DefMetadata, DefParamInfo

COMPONENTS = """{% let brand = site.brand | upper %}
{% def card(title: str, subtitle: str | None = none, *tags, **attrs) %}
<div class="card"{{ attrs | xmlattr }}>
  <h3>{{ title }}</h3>{% if subtitle %}<p>{{ subtitle }}</p>{% end %}
  {% slot header_actions %}
  <div class="body">{% slot %}</div>
  {% if has_slot("footer") %}<footer>{% slot footer %}</footer>{% end %}
  {% for t in tags %}{{ badge(t) }}{% end %}
  <small>{{ brand }}</small>
</div>
{% end %}
{% def badge(label: str, tone: str = theme.default_tone) %}
<span class="badge badge-{{ tone }}">{{ label }}</span>
{% end %}
{% def button(label, href=none) %}
{{ caller("icon") }}<a href="{{ href ?? request.path }}">{{ label }}</a>{{ icons.get(label) }}
{% end %}
{% globals %}{% def divider() %}<hr>{% end %}{% end %}
"""

PAGE = """{% from "components.html" import card, badge as tag %}
{% import "components.html" as ui with context %}
{% block main %}
  {% call card(page.title, "sub", "a", "b", id="c1") %}
    {{ page.body }}
    {% slot footer %}{{ tag("new") }}{% end %}
  {% end %}
{% end %}
{% block aside %}{% call ui.button("Go") %}{% slot icon %}→{% end %}{% end %}{% end %}
"""


@pytest.fixture
def library(site):
    return site({"components.html": COMPONENTS, "page.html": PAGE})


def test_def_metadata_fields(library) -> None:
    defs = library.defs("components.html")
    assert list(defs) == ["card", "badge", "button", "divider"]
    assert defs["card"] == DefMetadata(
        name="card",
        template_name="components.html",
        lineno=2,
        params=(
            DefParamInfo("title", "str", has_default=False, is_required=True),
            DefParamInfo("subtitle", "str | None", has_default=True, is_required=False),
        ),
        slots=("header_actions", "footer"),
        has_default_slot=True,
        depends_on=frozenset({"site.brand", "theme.default_tone"}),
        vararg="tags",
        kwarg="attrs",
    )
    assert defs["badge"].params == (
        DefParamInfo("label", "str"),
        DefParamInfo("tone", "str", has_default=True, is_required=False),
    )
    assert defs["badge"].depends_on == frozenset({"theme.default_tone"})
    assert (defs["badge"].slots, defs["badge"].has_default_slot) == ((), False)
    assert defs["button"].slots == ("icon",)
    assert defs["button"].has_default_slot is False
    assert defs["button"].depends_on == frozenset({"request.path", "icons"})
    assert defs["button"].lineno == 15
    assert defs["divider"] == DefMetadata("divider", "components.html", 18)


def test_pages_using_the_library(library) -> None:
    blocks = library.analyze("page.html").blocks
    # card is imported without context: only the caller-side reads count.
    assert blocks["main"].depends_on == frozenset({"page.title", "page.body"})
    assert blocks["main"].is_pure == "pure"
    assert blocks["main"].cache_scope == "page"
    # ui is imported with context: button's own reads count; icons.get() is a method call.
    assert blocks["aside"].depends_on == frozenset({"request.path", "icons"})
    assert blocks["aside"].is_pure == "unknown"


def test_library_template_metadata(library) -> None:
    meta = library.analyze("components.html")
    assert meta.blocks == {}
    # the defs' bodies count, called or not
    assert meta.top_level_depends_on == frozenset(
        {"site.brand", "icons", "request.path", "theme.default_tone"}
    )
