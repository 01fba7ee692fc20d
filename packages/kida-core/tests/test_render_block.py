"""``render_block`` / ``render_with_blocks`` / ``list_blocks`` / ``list_defs``.

How the "render_block equals the corresponding slice of a full render" check works
----------------------------------------------------------------------------------
The 3-level fixture (``corpora/kida_core_composition_corpus.py``: ``layouts/base.html`` →
``layouts/section.html`` → ``pages/install.html``) wraps every block *definition*
in HTML comments naming the block and the defining template, e.g.
``<!--title@page-->…<!--/title@page-->``.  ``PAGE_BLOCK_ORIGIN`` records, by hand,
which template's definition must win for every block of the page.  The expected
output of ``render_block(name)`` is then cut out of the full ``render()`` output
between the winning definition's opening and closing markers (both must occur
exactly once).  This needs no engine feature other than ``render()`` itself, and it
also checks that the deepest definition is the one rendered.  Because the blocks use
top-level lets, defs, a ``from``-import and an ``import … as`` declared at all three
levels, an incomplete globals-setup chain shows up as a mismatch or an error.

A second, independent check renders the page with ``render_with_blocks({name:
SENTINEL})``: the text before and after the sentinel must be the full render's
prefix and suffix, and what lies between them in the full render must again equal
``render_block(name)``.
"""

from __future__ import annotations

from typing import Any

import kida_core_composition_corpus as corpus
import pytest

from kida_core import Environment, Markup, TemplateRuntimeError
from kida_loaders import DictLoader

PAGE = "pages/install.html"
ORIGIN: dict[str, str] = corpus.PAGE_BLOCK_ORIGIN
CONTEXT: dict[str, Any] = corpus.PAGE_CONTEXT
SENTINEL = "\x00KIDA-SENTINEL\x00"


#: Module-level so it outlives every template (templates hold their Environment weakly).
ENV = Environment()


@pytest.fixture
def env() -> Environment:
    return Environment(loader=DictLoader(corpus.TEMPLATES))


def marker_slice(full: str, block: str, origin: str) -> str:
    """The text of ``block`` as defined by ``origin``, markers included."""
    opening, closing = f"<!--{block}@{origin}-->", f"<!--/{block}@{origin}-->"
    assert full.count(opening) == 1, f"{opening} occurs {full.count(opening)} times"
    assert full.count(closing) == 1, f"{closing} occurs {full.count(closing)} times"
    start = full.index(opening)
    end = full.index(closing) + len(closing)
    return full[start:end]


# -- the 3-level fixture ---------------------------------------------------------------


def test_fixture_full_render_is_exact(env: Environment) -> None:
    expected = (
        "\n\n\n<!doctype html>\n<html>\n<head><!--head@base--><title><!--title@page-->"
        "Install · <!--title@section-->Guides · <!--title@base-->Kida Docs<!--/title@base-->"
        "<!--/title@section--><!--/title@page--></title><!--meta@base-->"
        '<meta name="theme" content="base"><!--/meta@base--><!--/head@base--></head>\n'
        '<body>\n<!--nav@section--><!--nav@base--><nav><a href="/">Home</a></nav>'
        '<!--/nav@base--><nav class="section"><a href="/guides">Guides</a> '
        '<span class="badge">new</span></nav><!--/nav@section-->\n'
        "<!--content@section--><section><!--intro@section--><p>All about Guides</p>"
        '<!--/intro@section--><!--article@page--><article><span class="badge">Install</span>'
        "<ol><li>1. Download</li><li>2. Run &lt;installer&gt;</li></ol>"
        '<!--article_footer@page--><span class="badge">Guides</span>'
        "<!--/article_footer@page--></article><!--/article@page--><!--aside@section-->"
        "<aside>Tips &amp; tricks</aside><!--/aside@section--></section>"
        "<!--/content@section-->\n<!--footer@base--><footer><!--copyright@page-->"
        "<!--copyright@base-->&copy; Kida Docs<!--/copyright@base--> · Install"
        "<!--/copyright@page--></footer><!--/footer@base-->\n</body>\n</html>"
    )
    assert env.get_template(PAGE).render(CONTEXT) == expected


def test_origin_table_covers_every_non_fragment_block(env: Environment) -> None:
    blocks = set(env.get_template(PAGE).list_blocks())
    assert blocks - set(ORIGIN) == {"steps_only"}
    assert set(ORIGIN) <= blocks


@pytest.mark.parametrize("block", sorted(ORIGIN))
def test_render_block_equals_marker_slice_of_full_render(env: Environment, block: str) -> None:
    page = env.get_template(PAGE)
    full = page.render(CONTEXT)
    assert page.render_block(block, CONTEXT) == marker_slice(full, block, ORIGIN[block])


@pytest.mark.parametrize("block", sorted(ORIGIN))
def test_render_block_equals_slice_located_by_render_with_blocks(
    env: Environment, block: str
) -> None:
    page = env.get_template(PAGE)
    full = page.render(CONTEXT)
    marked = page.render_with_blocks({block: SENTINEL}, CONTEXT)
    assert marked.count(SENTINEL) == 1
    prefix, suffix = marked.split(SENTINEL)
    assert full.startswith(prefix)
    assert full.endswith(suffix)
    assert page.render_block(block, CONTEXT) == full[len(prefix) : len(full) - len(suffix)]


@pytest.mark.parametrize("block", ["head", "title", "meta", "nav", "content", "footer"])
def test_section_level_render_block_equals_slice(env: Environment, block: str) -> None:
    section = env.get_template("layouts/section.html")
    origin = {"title": "section", "nav": "section", "content": "section"}.get(block, "base")
    full = section.render(show_aside=False)
    assert section.render_block(block, show_aside=False) == marker_slice(full, block, origin)


def test_render_block_of_conditional_block_ignores_condition(env: Environment) -> None:
    page = env.get_template(PAGE)
    context = {**CONTEXT, "show_aside": False}
    assert "<aside>" not in page.render(context)
    assert page.render_block("aside", context) == (
        "<!--aside@section--><aside>Tips &amp; tricks</aside><!--/aside@section-->"
    )


def test_render_block_of_fragment_uses_page_def(env: Environment) -> None:
    page = env.get_template(PAGE)
    assert page.render_block("steps_only", steps=["a", "<b>"]) == (
        "<!--steps_only@page--><ol><li>1. a</li><li>2. &lt;b&gt;</li></ol><!--/steps_only@page-->"
    )


def test_render_block_of_parent_only_block(env: Environment) -> None:
    page = env.get_template(PAGE)
    assert page.render_block("meta") == (
        '<!--meta@base--><meta name="theme" content="base"><!--/meta@base-->'
    )


def test_render_block_of_grandparent_only_outer_block_uses_child_inner_override(
    env: Environment,
) -> None:
    page = env.get_template(PAGE)
    assert page.render_block("footer") == (
        "<!--footer@base--><footer><!--copyright@page--><!--copyright@base-->&copy; Kida Docs"
        "<!--/copyright@base--> · Install<!--/copyright@page--></footer><!--/footer@base-->"
    )


def test_render_block_super_chains_three_levels(env: Environment) -> None:
    assert env.get_template(PAGE).render_block("title") == (
        "<!--title@page-->Install · <!--title@section-->Guides · <!--title@base-->Kida Docs"
        "<!--/title@base--><!--/title@section--><!--/title@page-->"
    )


def test_render_block_does_not_mutate_callers_context(env: Environment) -> None:
    context = dict(CONTEXT)
    env.get_template(PAGE).render_block("article", context)
    assert context == CONTEXT


def test_render_block_accepts_keyword_context(env: Environment) -> None:
    html = env.get_template(PAGE).render_block("aside", aside_text="kw")
    assert html == "<!--aside@section--><aside>kw</aside><!--/aside@section-->"


# -- list_blocks / list_defs -------------------------------------------------------------


def test_list_blocks_includes_inherited_blocks_and_fragments(env: Environment) -> None:
    assert sorted(env.get_template(PAGE).list_blocks()) == sorted([*ORIGIN, "steps_only"])


def test_list_blocks_has_no_duplicates(env: Environment) -> None:
    blocks = env.get_template(PAGE).list_blocks()
    assert len(blocks) == len(set(blocks))


def test_list_blocks_of_root_template(env: Environment) -> None:
    assert sorted(env.get_template("layouts/base.html").list_blocks()) == sorted(
        ["head", "title", "meta", "nav", "content", "footer", "copyright"]
    )


def test_list_blocks_includes_regions() -> None:
    template = ENV.from_string(
        "{% region crumbs(path='/') %}{{ path }}{% end %}{% block main %}{% end %}"
    )
    assert sorted(template.list_blocks()) == ["crumbs", "main"]


def test_list_blocks_of_template_without_blocks() -> None:
    assert ENV.from_string("plain {{ x }}").list_blocks() == []


def test_list_defs_lists_own_top_level_defs(env: Environment) -> None:
    assert env.get_template(PAGE).list_defs() == ["step"]


def test_list_defs_in_source_order() -> None:
    template = ENV.from_string(
        "{% def zeta() %}{% end %}{% def alpha() %}{% end %}{% def mid(x) %}{% end %}"
    )
    assert template.list_defs() == ["zeta", "alpha", "mid"]


def test_list_defs_empty_without_defs() -> None:
    assert ENV.from_string("{% block a %}{% end %}").list_defs() == []


# -- missing blocks -------------------------------------------------------------------------


def test_missing_block_error_is_key_error(env: Environment) -> None:
    with pytest.raises(KeyError):
        env.get_template(PAGE).render_block("nope")


def test_missing_block_error_is_template_runtime_error(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError):
        env.get_template(PAGE).render_block("nope")


def test_missing_block_error_suggests_close_name(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template(PAGE).render_block("artcle")
    assert "Did you mean 'article'?" in str(info.value)


def test_missing_block_error_lists_available_blocks(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template(PAGE).render_block("zzzzzz")
    message = str(info.value)
    assert "zzzzzz" in message
    assert "copyright" in message
    assert "steps_only" in message


# -- render_with_blocks ----------------------------------------------------------------------


def test_render_with_blocks_replaces_block_with_trusted_html() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "<t>{% block title %}T{% end %}</t>{% block content %}C{% end %}",
                "child.html": "{% extends 'base.html' %}{% block content %}child{% end %}",
            }
        )
    )
    html = env.get_template("child.html").render_with_blocks({"content": "<b>trusted & raw</b>"})
    assert html == "<t>T</t><b>trusted & raw</b>"


def test_render_with_blocks_overrides_parent_only_block() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "<t>{% block title %}T{% end %}</t>{% block content %}C{% end %}",
                "child.html": "{% extends 'base.html' %}{% block content %}child{% end %}",
            }
        )
    )
    html = env.get_template("child.html").render_with_blocks({"title": "<i>X</i>"})
    assert html == "<t><i>X</i></t>child"


def test_render_with_blocks_other_blocks_render_normally(env: Environment) -> None:
    page = env.get_template(PAGE)
    html = page.render_with_blocks({"intro": "<p>pre-rendered</p>"}, CONTEXT)
    assert html == page.render(CONTEXT).replace(
        "<!--intro@section--><p>All about Guides</p><!--/intro@section-->", "<p>pre-rendered</p>"
    )


def test_render_with_blocks_override_of_outer_block_hides_inner_blocks(env: Environment) -> None:
    html = env.get_template(PAGE).render_with_blocks({"head": "<title>H</title>"}, CONTEXT)
    assert "<head><title>H</title></head>" in html
    assert "title@" not in html


def test_render_with_blocks_several_overrides(env: Environment) -> None:
    html = env.get_template(PAGE).render_with_blocks({"nav": "N", "footer": "F"}, CONTEXT)
    assert "<body>\nN\n<!--content@section-->" in html
    assert html.endswith("\nF\n</body>\n</html>")


def test_render_with_blocks_empty_mapping_equals_render(env: Environment) -> None:
    page = env.get_template(PAGE)
    assert page.render_with_blocks({}, CONTEXT) == page.render(CONTEXT)


def test_render_with_blocks_unknown_name_raises_with_suggestion(env: Environment) -> None:
    with pytest.raises(TemplateRuntimeError) as info:
        env.get_template(PAGE).render_with_blocks({"contnt": "x"}, CONTEXT)
    assert "contnt" in str(info.value)
    assert "Did you mean 'content'?" in str(info.value)


def test_render_with_blocks_accepts_markup_override(env: Environment) -> None:
    html = env.get_template(PAGE).render_with_blocks(
        {"meta": Markup("<meta charset=utf-8>")}, CONTEXT
    )
    assert "</title><meta charset=utf-8><!--/head@base--></head>" in html


# -- regions -------------------------------------------------------------------------------------


def test_region_render_block_with_kwargs() -> None:
    template = ENV.from_string(
        "{% region crumbs(path='/', sep='>') %}<nav>{{ path }}{{ sep }}</nav>{% end %}"
    )
    assert template.render_block("crumbs", path="/docs", sep="|") == "<nav>/docs|</nav>"


def test_region_render_block_uses_defaults() -> None:
    template = ENV.from_string(
        "{% region crumbs(path='/', sep='>') %}<nav>{{ path }}{{ sep }}</nav>{% end %}"
    )
    assert template.render_block("crumbs") == "<nav>/&gt;</nav>"


def test_region_default_evaluated_from_render_context() -> None:
    template = ENV.from_string(
        "{% region crumbs(trail=page.trail) %}{{ trail|join('/') }}{% end %}"
    )
    assert template.render_block("crumbs", page={"trail": ["a", "b"]}) == "a/b"


def test_region_render_block_sees_same_file_def() -> None:
    template = ENV.from_string(
        "{% def item(x) %}<li>{{ x }}</li>{% end %}"
        "{% region items(xs=[]) %}<ul>{% for x in xs %}{{ item(x) }}{% end %}</ul>{% end %}"
    )
    assert template.render_block("items", xs=[1, 2]) == "<ul><li>1</li><li>2</li></ul>"


def test_region_in_parent_reachable_from_child() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "{% region badge(label='?') %}<b>{{ label }}</b>{% end %}",
                "child.html": "{% extends 'base.html' %}",
            }
        )
    )
    assert env.get_template("child.html").render_block("badge", label="ok") == "<b>ok</b>"


# -- globals-setup chain ---------------------------------------------------------------------

CLASH = {
    "base.html": "{% let theme = 'base' %}{% let only_base = 'OB' %}"
    "<body>{% block a %}a:{{ theme }}{% end %}|{% block b %}b:{{ theme }}{% end %}</body>",
    "mid.html": "{% extends 'base.html' %}{% let theme = 'mid' %}"
    "{% block a %}A:{{ theme }}/{{ only_base }}{% end %}",
    "leaf.html": "{% extends 'mid.html' %}{% let theme = 'leaf' %}{% let mine = 'M' %}"
    "{% block b %}B:{{ theme }}{{ mine }}/{{ super() }}{% end %}",
}


@pytest.mark.parametrize("block", ["a", "b"])
def test_setup_chain_name_clash_matches_full_render(block: str) -> None:
    env = Environment(loader=DictLoader(CLASH))
    leaf = env.get_template("leaf.html")
    full = leaf.render()
    assert full.startswith("<body>")
    assert full.endswith("</body>")
    a_part, b_part = full[len("<body>") : -len("</body>")].split("|")
    assert leaf.render_block(block) == {"a": a_part, "b": b_part}[block]


def test_setup_chain_runs_leaf_to_root_so_root_value_wins() -> None:
    env = Environment(loader=DictLoader(CLASH))
    assert env.get_template("leaf.html").render_block("b") == "B:baseM/b:base"


def test_setup_chain_exposes_root_only_let_to_middle_block() -> None:
    env = Environment(loader=DictLoader(CLASH))
    assert env.get_template("leaf.html").render_block("a") == "A:base/OB"


def test_globals_block_visible_in_render_block() -> None:
    template = ENV.from_string(
        "{% globals %}{% let brand = 'ACME' %}{% def shout(x) %}{{ x|upper }}!{% end %}{% end %}"
        "<h1>{{ shout(brand) }}</h1>{% block tagline %}{{ shout(brand) }} rocks{% end %}"
    )
    assert template.render_block("tagline") == "ACME! rocks"


def test_imports_block_visible_in_render_block() -> None:
    env = Environment(loader=DictLoader({"m.html": "{% def em(x) %}<em>{{ x }}</em>{% end %}"}))
    template = env.from_string(
        "{% imports %}{% from 'm.html' import em %}{% end %}{% fragment f %}{{ em(v) }}{% end %}"
    )
    assert template.render_block("f", v="<") == "<em>&lt;</em>"


def test_setup_chain_does_not_emit_top_level_output() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "base.html": "BASE TEXT {% let x = 1 %}{% block b %}{{ x }}{% end %}",
                "child.html": "{% extends 'base.html' %}CHILD TEXT",
            }
        )
    )
    assert env.get_template("child.html").render_block("b") == "1"
