"""Shared composition fixtures: a DictLoader mapping plus render cases.

Used by ``test_render_block.py`` (the 3-level inheritance fixture) and by
``test_render_parity.py`` (every case must render identically in every mode).

The 3-level chain is ``layouts/base.html`` → ``layouts/section.html`` →
``pages/install.html``.  Every block *definition* wraps its output in HTML
comment markers naming the block and the template that defined it
(``<!--title@page-->…<!--/title@page-->``), so the slice a block occupies in a
full render can be located without trusting any engine feature.

Contexts hold only plain, re-iterable values (lists, dicts, strings, numbers)
so one case can be rendered many times.
"""

from __future__ import annotations

from typing import Any

BASE = """\
{% let site = "Kida Docs" %}
{% let theme = "base" %}
{% def nav_link(href, label) %}<a href="{{ href }}">{{ label }}</a>{% end %}
<!doctype html>
<html>
<head>{% block head %}<!--head@base--><title>{% block title %}<!--title@base-->{{ site }}\
<!--/title@base-->{% end %}</title>{% block meta %}<!--meta@base--><meta name="theme" \
content="{{ theme }}"><!--/meta@base-->{% end %}<!--/head@base-->{% end %}</head>
<body>
{% block nav %}<!--nav@base--><nav>{{ nav_link("/", "Home") }}</nav><!--/nav@base-->{% end %}
{% block content %}<!--content@base-->base content<!--/content@base-->{% end %}
{% block footer %}<!--footer@base--><footer>{% block copyright %}<!--copyright@base-->\
&copy; {{ site }}<!--/copyright@base-->{% end %}</footer><!--/footer@base-->{% end %}
</body>
</html>
"""

SECTION = """\
{% extends "layouts/base.html" %}
{% from "macros.html" import badge %}
{% let section = "Guides" %}
{% let theme = "section" %}
Top-level text of a child template is discarded.
{% block title %}<!--title@section-->{{ section }} · {{ super() }}<!--/title@section-->{% end %}
{% block nav %}<!--nav@section-->{{ super() }}<nav class="section">\
{{ nav_link("/guides", section) }} {{ badge("new") }}</nav><!--/nav@section-->{% end %}
{% block content %}<!--content@section--><section>\
{% block intro %}<!--intro@section--><p>All about {{ section }}</p><!--/intro@section-->{% end %}\
{% block article %}<!--article@section-->no article<!--/article@section-->{% end %}\
{% block aside if show_aside %}<!--aside@section--><aside>{{ aside_text }}</aside>\
<!--/aside@section-->{% end %}\
</section><!--/content@section-->{% end %}
"""

PAGE = """\
{% extends "layouts/section.html" %}
{% import "macros.html" as m %}
{% let page_title = "Install" %}
{% let theme = "page" %}
{% def step(n, text) %}<li>{{ n }}. {{ text }}</li>{% end %}
{% block title %}<!--title@page-->{{ page_title }} · {{ super() }}<!--/title@page-->{% end %}
{% block article %}<!--article@page--><article>{{ m.badge(page_title) }}<ol>\
{% for s in steps %}{{ step(loop.index, s) }}{% end %}</ol>\
{% block article_footer %}<!--article_footer@page-->{{ m.badge(section) }}\
<!--/article_footer@page-->{% end %}</article><!--/article@page-->{% end %}
{% block copyright %}<!--copyright@page-->{{ super() }} · {{ page_title }}\
<!--/copyright@page-->{% end %}
{% fragment steps_only %}<!--steps_only@page--><ol>{% for s in steps %}\
{{ step(loop.index, s) }}{% end %}</ol><!--/steps_only@page-->{% end %}
"""

MACROS = """\
{% def badge(label) %}<span class="badge">{{ label }}</span>{% end %}
{% def card(title, tone="info") %}<div class="card card-{{ tone }}"><h3>{{ title }}</h3>\
{% if has_slot("footer") %}<footer>{% slot footer %}</footer>{% end %}\
<div class="body">{% slot %}</div></div>{% end %}
"""

#: Block name → short name of the template whose definition wins in ``pages/install.html``.
PAGE_BLOCK_ORIGIN: dict[str, str] = {
    "head": "base",
    "title": "page",
    "meta": "base",
    "nav": "section",
    "content": "section",
    "footer": "base",
    "copyright": "page",
    "intro": "section",
    "article": "page",
    "aside": "section",
    "article_footer": "page",
}

PAGE_CONTEXT: dict[str, Any] = {
    "steps": ["Download", "Run <installer>"],
    "show_aside": True,
    "aside_text": "Tips & tricks",
}

TEMPLATES: dict[str, str] = {
    "layouts/base.html": BASE,
    "layouts/section.html": SECTION,
    "pages/install.html": PAGE,
    "macros.html": MACROS,
    # -- includes ---------------------------------------------------------------
    "partials/item.html": "<li>{{ loop.index }}:{{ item }}{{ suffix ?? '' }}</li>",
    "partials/greeting.html": "Hello {{ name ?? 'stranger' }}!",
    "partials/list.html": "<ul>{% for item in items %}"
    "{% set suffix = '*' if item == star else '' %}"
    "{% include 'partials/item.html' %}{% end %}</ul>",
    "includes.html": "[{% include 'partials/greeting.html' %}]"
    "[{% include 'partials/greeting.html' without context %}]"
    "[{% include 'missing.html' ignore missing %}]"
    "[{% include ['missing.html', 'partials/greeting.html'] %}]"
    "[{% include 'partials/' ~ kind ~ '.html' %}]",
    "cards/news.html": "<p>news {{ title }}</p>",
    "cards/promo.html": "<p>promo {{ title }}</p>",
    "cards/feed.html": "{% for c in cards %}{% include './' ~ c.kind ~ '.html' with context %}"
    "{% end %}",
    # -- imports and components -------------------------------------------------
    "components.html": "{% from 'macros.html' import badge, card as panel %}"
    "{% import 'macros.html' as ui %}"
    '{% def row(label, *cells, **attrs) %}<tr{% for k, v in attrs|dictsort %} {{ k }}="{{ v }}"'
    "{% end %}><th>{{ label }}</th>{% for c in cells %}<td>{{ c }}</td>{% end %}</tr>{% end %}"
    "{{ badge('<b>') }}"
    "{% call panel('Billing', tone='warn') %}{% slot footer %}<a>{{ user }}</a>{% end %}"
    "Body for {{ user }}{% end %}"
    "{% call ui.card('Plain') %}only body{% end %}"
    "{{ ui.card('Empty') }}"
    "<table>{{ row('r1', 1, 2, id='x', cls='y') }}</table>",
    "regions.html": "{% region crumbs(path='/', sep=default_sep) %}<nav>{{ path }}{{ sep }}</nav>"
    "{% end %}|{{ crumbs(path='/docs') }}",
    "globals.html": "{% globals %}{% let brand = 'ACME' %}{% def shout(x) %}{{ x|upper }}!{% end %}"
    "{% end %}<h1>{{ shout(brand) }}</h1>{% block tagline %}<p>{{ brand }} tagline</p>{% end %}",
    # -- error boundaries and caches ----------------------------------------------
    "boundaries.html": "<div>{% try %}before{{ 10 // divisor }}after"
    "{% fallback err %}<em>{{ err.type }}@{{ err.line }}</em>{% end %}</div>"
    "{% for d in [1, 0, 2] %}{% try %}{{ 6 // d }}{% fallback %}!{% end %}{% end %}",
    "cached.html": "{% cache 'nav-' ~ lang %}<nav lang={{ lang }}>{% for x in items %}{{ x }}"
    "{% end %}</nav>{% end %}{% cache 'ttl', ttl='5m' %}T{% end %}",
    # -- dynamic extends ----------------------------------------------------------
    "themes/light.html": "<light>{% block body %}light body{% end %}</light>",
    "themes/dark.html": "<dark>{% block body %}dark body{% end %}</dark>",
    "themed.html": "{% extends theme_layout %}{% block body %}themed {{ super() }}{% end %}",
    # -- streams of several statements -------------------------------------------
    "streamy.html": "{% extends 'themes/light.html' %}{% block body %}{% for i in range(3) %}"
    "<i>{{ i }}</i>{% flush %}{% end %}{% include 'partials/greeting.html' %}{% end %}",
}

#: ``(case id, template name, context)`` for full renders of the fixtures above.
RENDER_CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("page_full", "pages/install.html", PAGE_CONTEXT),
    ("page_without_aside", "pages/install.html", {**PAGE_CONTEXT, "show_aside": False}),
    ("section_direct", "layouts/section.html", {"show_aside": False}),
    ("base_direct", "layouts/base.html", {}),
    ("list_include", "partials/list.html", {"items": ["a", "<b>", "c"], "star": "c"}),
    ("includes", "includes.html", {"name": "Ada", "kind": "greeting"}),
    (
        "feed_relative_includes",
        "cards/feed.html",
        {"cards": [{"kind": "news"}, {"kind": "promo"}], "title": "T"},
    ),
    ("components", "components.html", {"user": "Bo & Co"}),
    ("regions", "regions.html", {"default_sep": ">"}),
    ("globals", "globals.html", {}),
    ("boundaries_error", "boundaries.html", {"divisor": 0}),
    ("boundaries_ok", "boundaries.html", {"divisor": 5}),
    ("cached", "cached.html", {"lang": "en", "items": [1, 2]}),
    ("themed_light", "themed.html", {"theme_layout": "themes/light.html"}),
    ("themed_dark", "themed.html", {"theme_layout": "themes/dark.html"}),
    ("streamy", "streamy.html", {"name": "Cy"}),
]
