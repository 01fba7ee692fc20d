"""A three-level site layout: base → section → page."""

from __future__ import annotations

import pytest

from kida_core.metadata import BlockModifierMetadata

BASE = """<!doctype html>
<html lang="{{ site.lang }}">
<head><title>{% block title %}{{ site.title }}{% end %}</title></head>
<body>
{% block header %}<header class="masthead"><a href="/">{{ site.title }}</a></header>{% end %}
{% block nav %}<nav>
  {% for link in site.nav %}
    <a href="{{ link.url }}"{% if link.url == page.url %} aria-current="page"{% end %}>
      {{ link.label }}</a>
  {% end %}
</nav>{% end %}
{% block content %}<main>{% block body %}{% end %}</main>{% end %}
{% block sidebar %}{% end %}
{% block footer %}<footer>&copy; {{ site.year }} {{ site.author.name }}</footer>{% end %}
</body>
</html>
"""

SECTION = """{% extends "base.html" %}
{% let section_title = page.section.title %}
{% block sidebar %}<aside>
  {% for p in page.section.pages %}<a href="{{ p.url }}">{{ p.title }}</a>{% end %}
</aside>{% end %}
{% block title %}{{ section_title }} · {{ super() }}{% end %}
"""

PAGE = """{% extends "section.html" %}
{% block body %}
<article>
  <h1>{{ page.title }}</h1>
  {{ page.content | safe }}
  {% if page.tags %}
    {% for tag in page.tags %}<span class="tag">{{ tag | lower }}</span>{% end %}
  {% else %}
    <p>{{ site.no_tags_text }}</p>
  {% end %}
</article>
{% end %}
"""

SOURCES = {"base.html": BASE, "section.html": SECTION, "page.html": PAGE}


@pytest.fixture
def layout(site):
    return site(SOURCES)


def test_page_lists_blocks_of_the_whole_chain_child_first(layout) -> None:
    meta = layout.analyze("page.html")
    assert meta.name == "page.html"
    assert meta.extends == "section.html"
    assert list(meta.blocks) == [
        "body", "sidebar", "title", "header", "nav", "content", "footer",
    ]  # fmt: skip
    assert ("section.html", "page.html") in layout.requests
    assert ("base.html", "section.html") in layout.requests


def test_exact_block_dependencies(layout) -> None:
    blocks = layout.analyze("page.html").blocks
    assert blocks["body"].depends_on == frozenset(
        {"page.title", "page.content", "page.tags", "site.no_tags_text"}
    )
    assert blocks["sidebar"].depends_on == frozenset({"page.section.pages"})
    # section_title is a let of section.html: its value's reads count; super() adds base's.
    assert blocks["title"].depends_on == frozenset({"page.section.title", "site.title"})
    assert blocks["header"].depends_on == frozenset({"site.title"})
    assert blocks["nav"].depends_on == frozenset({"site.nav", "page.url"})
    # content nests body, which page.html overrides.
    assert blocks["content"].depends_on == blocks["body"].depends_on
    assert blocks["footer"].depends_on == frozenset({"site.year", "site.author.name"})


def test_top_level_and_all_dependencies(layout) -> None:
    meta = layout.analyze("page.html")
    assert meta.top_level_depends_on == frozenset({"page.section.title", "site.lang"})
    assert meta.all_dependencies() == frozenset(
        {
            "site.lang", "site.title", "site.nav", "site.year", "site.author.name",
            "site.no_tags_text", "page.url", "page.title", "page.content", "page.tags",
            "page.section.title", "page.section.pages",
        }
    )  # fmt: skip


def test_purity_cache_scope_and_roles(layout) -> None:
    blocks = layout.analyze("page.html").blocks
    assert {b.name: b.is_pure for b in blocks.values()} == dict.fromkeys(blocks, "pure")
    scopes = {b.name: b.cache_scope for b in blocks.values()}
    assert scopes == {
        "body": "page", "sidebar": "page", "title": "page", "header": "site",
        "nav": "page", "content": "page", "footer": "site",
    }  # fmt: skip
    roles = {b.name: b.inferred_role for b in blocks.values()}
    assert roles == {
        "body": "content", "sidebar": "sidebar", "title": "unknown", "header": "header",
        "nav": "navigation", "content": "content", "footer": "footer",
    }  # fmt: skip
    assert blocks["nav"].emits_landmarks == frozenset({"nav"})
    assert blocks["content"].emits_landmarks == frozenset({"main"})
    assert blocks["title"].emits_html is True  # dynamic output may be markup
    assert blocks["body"].emits_html is True


def test_base_alone(layout) -> None:
    meta = layout.analyze("base.html")
    assert meta.extends is None
    assert list(meta.blocks) == [
        "title", "header", "nav", "content", "body", "sidebar", "footer",
    ]  # fmt: skip
    assert meta.blocks["content"].depends_on == frozenset()
    assert meta.blocks["content"].cache_scope == "site"
    assert [b.name for b in meta.site_cacheable_blocks()] == [
        "title", "header", "content", "body", "sidebar", "footer",
    ]  # fmt: skip
    assert meta.top_level_depends_on == frozenset({"site.lang"})


def test_inherited_block_metadata_comes_from_the_winning_definition(layout) -> None:
    page = layout.analyze("page.html").blocks
    base = layout.analyze("base.html").blocks
    assert page["footer"] == base["footer"]
    assert page["sidebar"].block_hash != base["sidebar"].block_hash
    assert page["sidebar"].emits_landmarks == frozenset({"aside"})


def test_structure_manifest(layout) -> None:
    manifest = layout.structure("page.html")
    meta = layout.analyze("page.html")
    assert manifest.name == "page.html"
    assert manifest.extends == "section.html"
    # base.html's blocks first, in its source order (section/page add none)
    assert manifest.block_names == (
        "title", "header", "nav", "content", "body", "sidebar", "footer",
    )  # fmt: skip
    assert set(manifest.block_names) == set(meta.blocks)
    assert manifest.block_hashes == {name: b.block_hash for name, b in meta.blocks.items()}
    assert manifest.dependencies == meta.all_dependencies()


def test_parent_setup_names_are_resolved_to_their_values(site) -> None:
    layout = site(
        {
            "base.html": (
                "{% let brand = site.brand | upper %}"
                "{% block head %}{{ title }} | {{ brand }}{% end %}"
            ),
            "child.html": (
                '{% extends "base.html" %}{% let title = page.title %}'
                "{% block main %}{{ brand }}{% end %}"
            ),
        }
    )
    blocks = layout.analyze("child.html").blocks
    assert blocks["head"].depends_on == frozenset({"page.title", "site.brand"})
    assert blocks["main"].depends_on == frozenset({"site.brand"})


def test_modifiers_conditions_and_regions(analyze) -> None:
    meta = analyze(
        '{% block chart mode="live" rows=20 if show_chart %}{{ stats.total }}{% end %}\n'
        '{% region crumbs(path="/", trail=page.trail) %}'
        "{% for c in trail %}{{ c.label }}{% end %}{{ path }}{% end %}"
    )
    chart = meta.blocks["chart"]
    assert chart.modifiers == (
        BlockModifierMetadata("mode", "live", 1, 15),
        BlockModifierMetadata("rows", 20, 1, 27),
    )
    assert chart.get_modifier("rows") == BlockModifierMetadata("rows", 20, 1, 27)
    assert chart.depends_on == frozenset({"stats.total"})
    assert meta.top_level_depends_on == frozenset({"show_chart"})
    crumbs = meta.blocks["crumbs"]
    assert crumbs.is_region and crumbs.region_params == ("path", "trail")
    assert crumbs.depends_on == frozenset({"page.trail"})
    assert list(meta.regions()) == ["crumbs"]


def test_extends_cycles_and_missing_parents_terminate(site) -> None:
    cyclic = site(
        {
            "a.html": '{% extends "b.html" %}{% block x %}{{ a }}{% end %}',
            "b.html": '{% extends "a.html" %}{% block y %}{{ b }}{% end %}',
        }
    )
    meta = cyclic.analyze("a.html")
    assert {n: b.depends_on for n, b in meta.blocks.items()} == {
        "x": frozenset({"a"}),
        "y": frozenset({"b"}),
    }
    orphan = site({"c.html": '{% extends "gone.html" %}{% block x %}{{ super() }}{% end %}'})
    meta = orphan.analyze("c.html")
    assert meta.extends == "gone.html"
    assert meta.blocks["x"].is_pure == "unknown"


def test_dynamic_extends(analyze) -> None:
    meta = analyze("{% extends layout_name %}{% block x %}hi{% end %}")
    assert meta.extends is None
    assert meta.top_level_depends_on == frozenset({"layout_name"})
    assert list(meta.blocks) == ["x"]
