"""Benchmark scenarios: one template rendered by Kida, Jinja2 and a hand-written function.

Every scenario's three outputs must be byte-identical (``run.py`` checks before timing).
Data never contains ``"`` in escaped positions: markupsafe (Jinja2) writes ``&#34;``
where Kida writes ``&quot;``.  Filters are restricted to ones where Kida and Jinja2
agree on the data used (simple words for ``title``, ``truncate`` with ``leeway=0``,
single-spaced text for ``striptags``/``wordcount``).

The Jinja2 source is written with explicit closers; the Kida source is derived from it
by rewriting ``endif``/``endfor``/``endwith``/``endblock`` to Kida's unified ``{% end %}``.

Multi-template scenarios (inheritance, includes, defs, ``render_block``) give a mapping of
template name to Jinja2 source in ``templates`` and render ``entry``. Both engines then load
them through a ``DictLoader``. Where the dialects differ by more than closers (Jinja2's
``{% macro %}…{% endmacro %}`` is Kida's ``{% def %}…{% end %}``), ``kida_templates``
gives the Kida source of those names; every other name is derived with :func:`kidafy`.

:data:`COMPILE_SET` is not rendered but compiled: the templates of several render scenarios
loaded into fresh environments (``run.py`` times it as ``compile_set``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

try:
    from kida_core.markup import html_escape

    ESCAPE_SOURCE = "kida_core.markup.html_escape"
except ImportError:  # engine not built yet; only reachable with run.py --skip-kida
    _ESCAPE_TABLE = str.maketrans(
        {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\0": ""}
    )

    def html_escape(value: Any) -> str:  # type: ignore[misc]
        """Same contract as ``kida_core.markup.html_escape`` (used until it exists)."""
        if hasattr(value, "__html__"):
            return str(value.__html__())
        return str(value).translate(_ESCAPE_TABLE)

    ESCAPE_SOURCE = "benchmarks.scenarios fallback (kida_core.markup missing)"

Context = Mapping[str, Any]


@dataclass(frozen=True)
class Scenario:
    """Templates in both dialects, their context factory and the hand-written baseline.

    A scenario is either one template (``jinja_source``, compiled with ``from_string``) or
    several (``templates`` + ``entry``, loaded through a ``DictLoader``); see the module
    docstring for ``kida_templates``.

    ``streaming`` scenarios time the first chunk: ``baseline_stream`` must then yield the
    same text as ``baseline`` in pieces (chunk boundaries may differ between renderers;
    only the joined text is compared).

    ``block`` scenarios render one block of ``entry`` instead of the whole template:
    Kida ``render_block(block, **ctx)`` vs Jinja2
    ``"".join(t.blocks[block](t.new_context(ctx)))``; ``baseline`` produces only that block.
    """

    name: str
    description: str
    make_context: Callable[[], dict[str, Any]]
    baseline: Callable[[Context], str]
    jinja_source: str | None = None
    templates: Mapping[str, str] | None = None
    kida_templates: Mapping[str, str] = field(default_factory=dict)
    entry: str | None = None
    block: str | None = None
    baseline_stream: Callable[[Context], Iterator[str]] | None = None
    streaming: bool = False

    def __post_init__(self) -> None:
        if (self.jinja_source is None) == (self.templates is None):
            raise ValueError(f"{self.name}: give exactly one of jinja_source and templates")
        if self.templates is not None:
            if self.entry not in self.templates:
                raise ValueError(f"{self.name}: entry {self.entry!r} is not in templates")
            unknown = set(self.kida_templates) - set(self.templates)
            if unknown:
                raise ValueError(f"{self.name}: kida_templates not in templates: {unknown}")
        elif self.entry is not None or self.kida_templates:
            raise ValueError(f"{self.name}: entry/kida_templates need templates")
        if self.streaming and (self.baseline_stream is None or self.block is not None):
            raise ValueError(f"{self.name}: streaming needs baseline_stream and no block")

    @property
    def uses_loader(self) -> bool:
        """True for multi-template scenarios (loaded by name through a ``DictLoader``)."""
        return self.templates is not None

    @property
    def kida_source(self) -> str:
        """Kida spelling of the single template: explicit closers rewritten to ``{% end %}``."""
        if self.jinja_source is None:
            raise ValueError(f"{self.name}: multi-template scenario, use kida_mapping")
        return kidafy(self.jinja_source)

    @property
    def jinja_mapping(self) -> dict[str, str]:
        """Jinja2 templates by name (multi-template scenarios)."""
        return dict(self.templates or {})

    @property
    def kida_mapping(self) -> dict[str, str]:
        """Kida templates by name: the explicit ``kida_templates``, else the kidafied source."""
        return {
            name: self.kida_templates.get(name, kidafy(source))
            for name, source in (self.templates or {}).items()
        }


_CLOSER = re.compile(r"\{%(-?)\s*end(?:if|for|with|block)\s*(-?)%\}")


def kidafy(source: str) -> str:
    """Rewrite Jinja2 ``endif``/``endfor``/``endwith``/``endblock`` closers to ``{% end %}``."""
    return _CLOSER.sub(r"{%\1 end \2%}", source)


# --- single_interpolation ------------------------------------------------------------------


def _single_context() -> dict[str, Any]:
    return {"name": "World"}


def _single_baseline(ctx: Context) -> str:
    buf: list[str] = []
    append = buf.append
    append("Hello, ")
    append(html_escape(ctx["name"]))
    append("!")
    return "".join(buf)


SINGLE = Scenario(
    name="single_interpolation",
    description="Hello, {{ name }}! — per-render overhead",
    jinja_source="Hello, {{ name }}!",
    make_context=_single_context,
    baseline=_single_baseline,
)


# --- escaped_table --------------------------------------------------------------------------

TABLE_SOURCE = (
    "<table>\n"
    "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>\n"
    "{% endfor %}</table>\n"
)


def _table_context() -> dict[str, Any]:
    rows = []
    for r in range(1000):
        row = []
        for c in range(10):
            if (r + c) % 7 == 0:
                row.append(f"<b>{r}</b> & {c}")
            elif (r * c) % 11 == 3:
                row.append(f"it's r{r}")
            else:
                row.append(f"cell {r}-{c}")
        rows.append(row)
    return {"rows": rows}


def _table_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    append("<table>\n")
    for row in ctx["rows"]:
        append("<tr>")
        for cell in row:
            append("<td>")
            append(esc(cell))
            append("</td>")
        append("</tr>\n")
    append("</table>")
    return "".join(buf)


TABLE = Scenario(
    name="escaped_table",
    description="1000 rows x 10 string cells, autoescaped (some contain < & ')",
    jinja_source=TABLE_SOURCE,
    make_context=_table_context,
    baseline=_table_baseline,
)


# --- page -------------------------------------------------------------------------------------

PAGE_SOURCE = """<!doctype html>
<html lang="en">
<head><title>{{ site.name }} | {{ page_title | title }}</title></head>
<body>
<header>
  <h1>{{ site.name | upper }}</h1>
  <p class="tagline">{{ site.tagline }}</p>
  {% if user.is_admin %}<a href="/admin">Admin</a>{% endif %}
  <span class="user">{{ user.name | title }} ({{ user.unread }} unread)</span>
</header>
<nav><ul>
{% for item in nav %}
  <li{% if item.url == current %} class="active"{% endif %}>
    <a href="{{ item.url }}">{{ loop.index }}. {{ item.label | capitalize }}</a>
  </li>
{% endfor %}
</ul></nav>
<main>
<h2>{{ articles | length }} articles</h2>
{% for article in articles %}
<article id="a{{ article.id }}"
    class="{{ loop.cycle('odd', 'even') }}{% if article.featured %} featured{% endif %}">
  <h3>{{ loop.index }}. {{ article.title | title }}</h3>
  {% if article.featured %}<strong>Featured</strong>{% endif %}
  <p class="sub">{{ article.subtitle | default('No subtitle') }}</p>
  <p class="by">by {{ article.author.name }} in {{ article.author.city | upper }}</p>
  <p>{{ article.summary }}</p>
  <p class="tags">{{ article.tags | join(', ') }} ({{ article.tags | length }} tags)</p>
  {% if article.comments %}<span>{{ article.comments }} comments</span>
  {%- else %}<span>No comments</span>{% endif %}
</article>
{% endfor %}
</main>
<footer>&copy; {{ year }} {{ site.name }}</footer>
</body>
</html>
"""


@dataclass(frozen=True)
class Author:
    """Article author (attribute access)."""

    name: str
    city: str


@dataclass(frozen=True)
class PageUser:
    """Logged-in user shown in the header."""

    name: str
    is_admin: bool
    unread: int


_WORDS = (
    "kida",
    "templates",
    "render",
    "fast",
    "python",
    "streams",
    "escape",
    "html",
    "loops",
    "filters",
)
_AUTHORS = (
    Author("Ada <L>", "london"),
    Author("Alan & co", "wilmslow"),
    Author("Grace H.", "arlington"),
)


def _page_context() -> dict[str, Any]:
    articles: list[dict[str, Any]] = []
    for i in range(50):
        words = [_WORDS[(i + k) % len(_WORDS)] for k in range(4)]
        article: dict[str, Any] = {
            "id": i,
            "title": " ".join(words),
            "summary": f"Summary {i}: <{words[0]}> & '{words[1]}' in {words[2]}.",
            "tags": words[1 : 1 + i % 4],
            "featured": i % 7 == 0,
            "author": _AUTHORS[i % 3],
            "comments": i % 5,
        }
        if i % 3 == 0:
            article["subtitle"] = f"Part {i} of <series>"
        articles.append(article)
    return {
        "site": {"name": "Kida Weekly", "tagline": "News & notes <beta>"},
        "page_title": "latest articles",
        "user": PageUser("ada lovelace", True, 3),
        "nav": [
            {"url": f"/{label}", "label": label}
            for label in ("home", "blog", "docs", "about us", "contact", "r&d")
        ],
        "current": "/blog",
        "articles": articles,
        "year": 2025,
    }


def _page_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    site = ctx["site"]
    user = ctx["user"]
    site_name = esc(site["name"])
    append('<!doctype html>\n<html lang="en">\n<head><title>')
    append(site_name)
    append(" | ")
    append(esc(ctx["page_title"].title()))
    append("</title></head>\n<body>\n<header>\n  <h1>")
    append(esc(site["name"].upper()))
    append('</h1>\n  <p class="tagline">')
    append(esc(site["tagline"]))
    append("</p>\n  ")
    if user.is_admin:
        append('<a href="/admin">Admin</a>')
    append('\n  <span class="user">')
    append(esc(user.name.title()))
    append(" (")
    append(str(user.unread))
    append(" unread)</span>\n</header>\n<nav><ul>\n")
    current = ctx["current"]
    for index, item in enumerate(ctx["nav"], 1):
        append("\n  <li")
        if item["url"] == current:
            append(' class="active"')
        append('>\n    <a href="')
        append(esc(item["url"]))
        append('">')
        append(str(index))
        append(". ")
        append(esc(item["label"].capitalize()))
        append("</a>\n  </li>\n")
    articles = ctx["articles"]
    append("\n</ul></nav>\n<main>\n<h2>")
    append(str(len(articles)))
    append(" articles</h2>\n")
    for index0, article in enumerate(articles):
        featured = article["featured"]
        author = article["author"]
        tags = article["tags"]
        append('\n<article id="a')
        append(str(article["id"]))
        append('"\n    class="')
        append("even" if index0 % 2 else "odd")
        if featured:
            append(" featured")
        append('">\n  <h3>')
        append(str(index0 + 1))
        append(". ")
        append(esc(article["title"].title()))
        append("</h3>\n  ")
        if featured:
            append("<strong>Featured</strong>")
        append('\n  <p class="sub">')
        append(esc(article.get("subtitle", "No subtitle")))
        append('</p>\n  <p class="by">by ')
        append(esc(author.name))
        append(" in ")
        append(esc(author.city.upper()))
        append("</p>\n  <p>")
        append(esc(article["summary"]))
        append('</p>\n  <p class="tags">')
        append(esc(", ".join(tags)))
        append(" (")
        append(str(len(tags)))
        append(" tags)</p>\n  ")
        comments = article["comments"]
        if comments:
            append("<span>")
            append(str(comments))
            append(" comments</span>")
        else:
            append("<span>No comments</span>")
        append("\n</article>\n")
    append("\n</main>\n<footer>&copy; ")
    append(str(ctx["year"]))
    append(" ")
    append(site_name)
    append("</footer>\n</body>\n</html>")
    return "".join(buf)


PAGE = Scenario(
    name="page",
    description="realistic page: header, nav loop, 50 articles with conditionals and filters",
    jinja_source=PAGE_SOURCE,
    make_context=_page_context,
    baseline=_page_baseline,
)


# --- filters_heavy ------------------------------------------------------------------------------

FILTERS_SOURCE = (
    "<ul>\n"
    "{% for p in products %}<li>{{ p.name | trim | lower | capitalize }} | "
    "{{ p.desc | truncate(40, leeway=0) }} | "
    "{{ p.sku | replace('-', ' ') | upper }} | "
    "{{ p.tags | sort | join(', ') | title }} | "
    "[{{ p.tags | first | center(12) }}] | "
    "{{ p.notes | striptags | wordcount }} words | "
    "{{ p.name | length }}</li>\n"
    "{% endfor %}</ul>\n"
)

_TAGS = ("red", "blue", "green", "large", "small", "sale")


def _filters_context() -> dict[str, Any]:
    products = []
    for i in range(200):
        products.append(
            {
                "name": f"  PRODUCT number {i} <x> & y  ",
                "desc": f"A very fine product, item {i}, crafted with care for daily use",
                "sku": f"sku-{i:04d}-ab",
                "tags": [_TAGS[(i * 3 + k) % len(_TAGS)] for k in range(1 + i % 3)],
                "notes": f"<p><b>fast</b> shipping for item {i}</p>",
            }
        )
    return {"products": products}


_TAG_RE = re.compile(r"<[^>]*>")


def _truncate(text: str, length: int, end: str = "...") -> str:
    """Jinja2/Kida ``truncate`` (no leeway, no killwords) on single-spaced text."""
    if len(text) <= length:
        return text
    return text[: length - len(end)].rsplit(" ", 1)[0] + end


def _filters_baseline(ctx: Context) -> str:
    esc = html_escape
    strip_tags = _TAG_RE.sub
    buf: list[str] = []
    append = buf.append
    append("<ul>\n")
    for p in ctx["products"]:
        name = p["name"]
        tags = p["tags"]
        append("<li>")
        append(esc(name.strip().lower().capitalize()))
        append(" | ")
        append(esc(_truncate(p["desc"], 40)))
        append(" | ")
        append(esc(p["sku"].replace("-", " ").upper()))
        append(" | ")
        append(esc(", ".join(sorted(tags, key=str.lower)).title()))
        append(" | [")
        append(esc(tags[0].center(12)))
        append("] | ")
        append(str(len(strip_tags("", p["notes"]).split())))
        append(" words | ")
        append(str(len(name)))
        append("</li>\n")
    append("</ul>")
    return "".join(buf)


FILTERS_HEAVY = Scenario(
    name="filters_heavy",
    description="200 items x 7 filter chains (trim|lower|capitalize, truncate, sort|join|title…)",
    jinja_source=FILTERS_SOURCE,
    make_context=_filters_context,
    baseline=_filters_baseline,
)


# --- streaming --------------------------------------------------------------------------------

STREAM_SOURCE = (
    "<html><head><title>{{ title }}</title></head><body>\n"
    "{% for row in rows %}<p>{{ row.id }}: {{ row.text }}</p>\n{% endfor %}"
    "</body></html>\n"
)


def _stream_context() -> dict[str, Any]:
    return {
        "title": "Stream & test",
        "rows": [{"id": i, "text": f"row <{i}> & more"} for i in range(2000)],
    }


def _stream_baseline_gen(ctx: Context) -> Iterator[str]:
    esc = html_escape
    yield "<html><head><title>"
    yield esc(ctx["title"])
    yield "</title></head><body>\n"
    for row in ctx["rows"]:
        yield "<p>"
        yield str(row["id"])
        yield ": "
        yield esc(row["text"])
        yield "</p>\n"
    yield "</body></html>"


def _stream_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    append("<html><head><title>")
    append(esc(ctx["title"]))
    append("</title></head><body>\n")
    for row in ctx["rows"]:
        append("<p>")
        append(str(row["id"]))
        append(": ")
        append(esc(row["text"]))
        append("</p>\n")
    append("</body></html>")
    return "".join(buf)


STREAMING = Scenario(
    name="streaming",
    description="time to first chunk: render_stream / Jinja2 generate over 2000 rows",
    jinja_source=STREAM_SOURCE,
    make_context=_stream_context,
    baseline=_stream_baseline,
    baseline_stream=_stream_baseline_gen,
    streaming=True,
)


# --- inheritance / render_block ----------------------------------------------------------------
# base.html (7 blocks) <- section.html (head with super(), nav, sidebar) <- page.html (title,
# content with a 50-item loop).  render_block renders page.html's "content" block alone.

INHERIT_TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="en">
<head>
<title>{% block title %}{{ site_name }}{% endblock %}</title>
{% block head %}<link rel="stylesheet" href="/base.css">{% endblock %}
</head>
<body>
<header>{% block header %}<h1>{{ site_name }}</h1>{% endblock %}</header>
<nav>{% block nav %}<a href="/">Home</a>{% endblock %}</nav>
<main>{% block content %}{% endblock %}</main>
<aside>{% block sidebar %}{% endblock %}</aside>
<footer>{% block footer %}&copy; {{ year }} {{ site_name }}{% endblock %}</footer>
</body>
</html>
""",
    "section.html": """{% extends "base.html" %}
{% block head %}{{ super() }}
<link rel="stylesheet" href="/{{ section }}.css">{% endblock %}
{% block nav %}<ul>{% for s in sections %}<li{% if s == section %} class="active"{% endif %}>\
<a href="/{{ s }}">{{ s | capitalize }}</a></li>{% endfor %}</ul>{% endblock %}
{% block sidebar %}<h4>{{ section | title }}</h4><p>{{ sidebar_note }}</p>{% endblock %}
""",
    "page.html": """{% extends "section.html" %}
{% block title %}{{ page_title }} | {{ site_name }}{% endblock %}
{% block content %}
<h2>{{ page_title }}</h2>
<ul class="items">
{% for item in items %}<li id="i{{ item.id }}" class="{{ loop.cycle('odd', 'even') }}">\
{{ loop.index }}. {{ item.name }}{% if item.new %} <em>new</em>{% endif %}: {{ item.desc }}</li>
{% endfor %}</ul>
{% endblock %}
""",
}


def _inherit_context() -> dict[str, Any]:
    return {
        "site_name": "Kida <Docs> & co",
        "year": 2025,
        "section": "guides",
        "sections": ["home", "guides", "api", "blog", "r&d"],
        "sidebar_note": "Tips & <tricks>",
        "page_title": "Layouts & blocks",
        "items": [
            {
                "id": i,
                "name": f"Item <{i}>",
                "desc": f"it's {_WORDS[i % len(_WORDS)]} & {_WORDS[(i * 3) % len(_WORDS)]}",
                "new": i % 4 == 0,
            }
            for i in range(50)
        ],
    }


def _inherit_content(append: Callable[[str], Any], ctx: Context) -> None:
    """Append page.html's ``content`` block (shared by both baselines)."""
    esc = html_escape
    append("\n<h2>")
    append(esc(ctx["page_title"]))
    append('</h2>\n<ul class="items">\n')
    for index0, item in enumerate(ctx["items"]):
        append('<li id="i')
        append(str(item["id"]))
        append('" class="')
        append("even" if index0 % 2 else "odd")
        append('">')
        append(str(index0 + 1))
        append(". ")
        append(esc(item["name"]))
        if item["new"]:
            append(" <em>new</em>")
        append(": ")
        append(esc(item["desc"]))
        append("</li>\n")
    append("</ul>\n")


def _inherit_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    site_name = esc(ctx["site_name"])
    section = ctx["section"]
    append('<!doctype html>\n<html lang="en">\n<head>\n<title>')
    append(esc(ctx["page_title"]))
    append(" | ")
    append(site_name)
    append('</title>\n<link rel="stylesheet" href="/base.css">\n<link rel="stylesheet" href="/')
    append(esc(section))
    append('.css">\n</head>\n<body>\n<header><h1>')
    append(site_name)
    append("</h1></header>\n<nav><ul>")
    for s in ctx["sections"]:
        append("<li")
        if s == section:
            append(' class="active"')
        append('><a href="/')
        append(esc(s))
        append('">')
        append(esc(s.capitalize()))
        append("</a></li>")
    append("</ul></nav>\n<main>")
    _inherit_content(append, ctx)
    append("</main>\n<aside><h4>")
    append(esc(section.title()))
    append("</h4><p>")
    append(esc(ctx["sidebar_note"]))
    append("</p></aside>\n<footer>&copy; ")
    append(str(ctx["year"]))
    append(" ")
    append(site_name)
    append("</footer>\n</body>\n</html>")
    return "".join(buf)


def _render_block_baseline(ctx: Context) -> str:
    buf: list[str] = []
    _inherit_content(buf.append, ctx)
    return "".join(buf)


INHERITANCE = Scenario(
    name="inheritance",
    description="3-level extends (base -> section -> page), 7 blocks, super(), 50-item loop",
    templates=INHERIT_TEMPLATES,
    entry="page.html",
    make_context=_inherit_context,
    baseline=_inherit_baseline,
)

RENDER_BLOCK = Scenario(
    name="render_block",
    description='render_block("content") of the inheritance page (Jinja2: blocks[...])',
    templates=INHERIT_TEMPLATES,
    entry="page.html",
    block="content",
    make_context=_inherit_context,
    baseline=_render_block_baseline,
)


# --- includes -----------------------------------------------------------------------------------

INCLUDE_TEMPLATES = {
    "list.html": """{% include "header.html" %}
<ul class="products">
{% for item in items %}{% include "item.html" %}{% endfor %}</ul>
{% include "footer.html" %}""",
    "header.html": """<!doctype html>
<html lang="en">
<head><title>{{ page_title }}</title></head>
<body>
<header><h1>{{ site_name }}</h1><p>{{ items | length }} products</p></header>
""",
    "item.html": (
        '<li id="p{{ item.id }}" '
        'class="{% if item.stock %}in-stock{% else %}sold-out{% endif %}">'
        "<b>{{ item.name }}</b> {{ item.price }} EUR &ndash; {{ item.blurb }}</li>\n"
    ),
    "footer.html": """<footer>&copy; {{ year }} {{ site_name }}</footer>
</body>
</html>
""",
}


def _include_context() -> dict[str, Any]:
    return {
        "page_title": "Shop <all>",
        "site_name": "Kida & Sons",
        "year": 2025,
        "items": [
            {
                "id": i,
                "name": f"Widget <{i}>",
                "price": 10 + i * 3,
                "stock": i % 5 != 0,
                "blurb": f"{_WORDS[i % len(_WORDS)]} & {_WORDS[(i + 4) % len(_WORDS)]}'s pick",
            }
            for i in range(100)
        ],
    }


def _include_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    site_name = esc(ctx["site_name"])
    items = ctx["items"]
    append('<!doctype html>\n<html lang="en">\n<head><title>')
    append(esc(ctx["page_title"]))
    append("</title></head>\n<body>\n<header><h1>")
    append(site_name)
    append("</h1><p>")
    append(str(len(items)))
    append(' products</p></header>\n<ul class="products">\n')
    for item in items:
        append('<li id="p')
        append(str(item["id"]))
        append('" class="')
        append("in-stock" if item["stock"] else "sold-out")
        append('"><b>')
        append(esc(item["name"]))
        append("</b> ")
        append(str(item["price"]))
        append(" EUR &ndash; ")
        append(esc(item["blurb"]))
        append("</li>")
    append("</ul>\n<footer>&copy; ")
    append(str(ctx["year"]))
    append(" ")
    append(site_name)
    append("</footer>\n</body>\n</html>")
    return "".join(buf)


INCLUDES = Scenario(
    name="includes",
    description="header/footer include + one partial include per item for 100 items",
    templates=INCLUDE_TEMPLATES,
    entry="list.html",
    make_context=_include_context,
    baseline=_include_baseline,
)


# --- defs (Jinja2 macros) ---------------------------------------------------------------------

_CARD_BODY = (
    '<div class="card card-{{ tone }}"><h3>{{ title }}</h3><p>{{ body }}</p>'
    "{% if footer %}<small>{{ footer }}</small>{% endif %}</div>"
)
_BADGE_BODY = '<span class="badge">{{ label }}{% if count %} ({{ count }}){% endif %}</span>'

DEFS_TEMPLATES = {
    "components.html": (
        '{% macro card(title, body, tone="plain", footer=none) %}'
        + _CARD_BODY
        + "{% endmacro %}\n{% macro badge(label, count=0) %}"
        + _BADGE_BODY
        + "{% endmacro %}\n"
    ),
    "cards.html": """{% from "components.html" import card, badge %}
<section class="cards">
{% for item in items %}{{ card(item.title, item.body, tone=item.tone, footer=item.footer) }}\
{{ badge(item.label, count=item.count) }}
{% endfor %}</section>
""",
}

DEFS_KIDA_TEMPLATES = {
    "components.html": (
        '{% def card(title, body, tone="plain", footer=none) %}'
        + kidafy(_CARD_BODY)
        + "{% end %}\n{% def badge(label, count=0) %}"
        + kidafy(_BADGE_BODY)
        + "{% end %}\n"
    ),
}


def _defs_context() -> dict[str, Any]:
    tones = ("plain", "info", "warn")
    return {
        "items": [
            {
                "title": f"Card <{i}>",
                "body": f"{_WORDS[i % len(_WORDS)]} & {_WORDS[(i + 7) % len(_WORDS)]}'s body",
                "tone": tones[i % 3],
                "footer": f"updated {i} min ago" if i % 2 else None,
                "label": _WORDS[(i + 2) % len(_WORDS)],
                "count": i % 4,
            }
            for i in range(100)
        ]
    }


def _defs_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    append('\n<section class="cards">\n')
    for item in ctx["items"]:
        append('<div class="card card-')
        append(esc(item["tone"]))
        append('"><h3>')
        append(esc(item["title"]))
        append("</h3><p>")
        append(esc(item["body"]))
        append("</p>")
        footer = item["footer"]
        if footer:
            append("<small>")
            append(esc(footer))
            append("</small>")
        append('</div><span class="badge">')
        append(esc(item["label"]))
        count = item["count"]
        if count:
            append(" (")
            append(str(count))
            append(")")
        append("</span>\n")
    append("</section>")
    return "".join(buf)


DEFS = Scenario(
    name="defs",
    description="from components import card, badge; 100 items x 2 calls = 200 def calls",
    templates=DEFS_TEMPLATES,
    kida_templates=DEFS_KIDA_TEMPLATES,
    entry="cards.html",
    make_context=_defs_context,
    baseline=_defs_baseline,
)


# --- stream_first_chunk_large ------------------------------------------------------------------
# A header, then a 2000-row table that is slow to render (escaping, a filter, a conditional and
# loop.cycle per row).  Only the first chunk is timed, so the cost of the tail must not show.
# Chunk boundaries are each engine's own; the hand-written generator yields the whole header
# first (built with append + join), then the table in one more chunk.

STREAM_LARGE_SOURCE = """<!doctype html>
<html lang="en">
<head><title>{{ title }}</title>
<meta name="description" content="{{ summary }}">
</head>
<body>
<header><h1>{{ title }}</h1>
<nav>{% for link in nav %}<a href="{{ link.url }}">{{ link.label }}</a>{% endfor %}</nav>
<p class="intro">{{ summary }}</p>
</header>
<table>
<tr><th>#</th><th>Name</th><th>Owner</th><th>Status</th><th>Notes</th></tr>
{% for row in rows %}<tr class="{{ loop.cycle('odd', 'even') }}"><td>{{ row.id }}</td>\
<td>{{ row.name | title }}</td><td>{{ row.owner }}</td>\
<td>{% if row.active %}active{% else %}idle{% endif %}</td><td>{{ row.notes }}</td></tr>
{% endfor %}</table>
</body>
</html>
"""


def _stream_large_context() -> dict[str, Any]:
    return {
        "title": "Report <Q3> & more",
        "summary": "All 2000 rows & their owners' notes",
        "nav": [{"url": f"/{w}", "label": w.capitalize()} for w in _WORDS[:6]],
        "rows": [
            {
                "id": i,
                "name": f"{_WORDS[i % len(_WORDS)]} {_WORDS[(i + 3) % len(_WORDS)]}",
                "owner": _AUTHORS[i % 3].name,
                "active": i % 3 != 0,
                "notes": f"note <{i}> & it's {_WORDS[(i * 7) % len(_WORDS)]}",
            }
            for i in range(2000)
        ],
    }


def _stream_large_header(append: Callable[[str], Any], ctx: Context) -> None:
    """Append everything before the table (the hand-written generator's first chunk)."""
    esc = html_escape
    title = esc(ctx["title"])
    summary = esc(ctx["summary"])
    append('<!doctype html>\n<html lang="en">\n<head><title>')
    append(title)
    append('</title>\n<meta name="description" content="')
    append(summary)
    append('">\n</head>\n<body>\n<header><h1>')
    append(title)
    append("</h1>\n<nav>")
    for link in ctx["nav"]:
        append('<a href="')
        append(esc(link["url"]))
        append('">')
        append(esc(link["label"]))
        append("</a>")
    append('</nav>\n<p class="intro">')
    append(summary)
    append("</p>\n</header>\n")


def _stream_large_table(append: Callable[[str], Any], ctx: Context) -> None:
    """Append the slow tail: the 2000-row table and the closing tags."""
    esc = html_escape
    append("<table>\n<tr><th>#</th><th>Name</th><th>Owner</th><th>Status</th><th>Notes</th></tr>\n")
    for index0, row in enumerate(ctx["rows"]):
        append('<tr class="')
        append("even" if index0 % 2 else "odd")
        append('"><td>')
        append(str(row["id"]))
        append("</td><td>")
        append(esc(row["name"].title()))
        append("</td><td>")
        append(esc(row["owner"]))
        append("</td><td>")
        append("active" if row["active"] else "idle")
        append("</td><td>")
        append(esc(row["notes"]))
        append("</td></tr>\n")
    append("</table>\n</body>\n</html>")


def _stream_large_baseline_gen(ctx: Context) -> Iterator[str]:
    buf: list[str] = []
    _stream_large_header(buf.append, ctx)
    yield "".join(buf)
    buf = []
    _stream_large_table(buf.append, ctx)
    yield "".join(buf)


def _stream_large_baseline(ctx: Context) -> str:
    buf: list[str] = []
    append = buf.append
    _stream_large_header(append, ctx)
    _stream_large_table(append, ctx)
    return "".join(buf)


STREAM_FIRST_CHUNK_LARGE = Scenario(
    name="stream_first_chunk_large",
    description="time to first chunk: header then a slow 2000-row x 5-cell table",
    jinja_source=STREAM_LARGE_SOURCE,
    make_context=_stream_large_context,
    baseline=_stream_large_baseline,
    baseline_stream=_stream_large_baseline_gen,
    streaming=True,
)

# --- deep_inheritance ---------------------------------------------------------------------------
# deep/level1.html (base, 5 blocks) <- level2 <- level3 <- level4 <- level5.  Every level below the
# base overrides ``head`` and ``nav`` with ``{{ super() }}`` plus its own line; level5 also fills
# ``title`` and ``content``.  The output is small, so the cost of resolving the chain dominates.

DEEP_LEVELS = 5
DEEP_TEMPLATES = {
    "deep/level1.html": """<!doctype html>
<html lang="en">
<head><title>{% block title %}{{ site_name }}{% endblock %}</title>
{% block head %}<meta charset="utf-8">{% endblock %}
</head>
<body>
<nav>{% block nav %}<a href="/">Home</a>{% endblock %}</nav>
<main>{% block content %}{% endblock %}</main>
<footer>{% block footer %}{{ site_name }}{% endblock %}</footer>
</body>
</html>
""",
    **{
        f"deep/level{level}.html": (
            f'{{% extends "deep/level{level - 1}.html" %}}\n'
            "{% block head %}{{ super() }}\n"
            f'<link rel="stylesheet" href="/css/l{level}-{{{{ theme }}}}.css">{{% endblock %}}\n'
            "{% block nav %}{{ super() }} &gt; "
            f'<a href="/l{level}">{{{{ sections[{level - 2}] }}}}</a>{{% endblock %}}\n'
        )
        for level in range(2, DEEP_LEVELS)
    },
    f"deep/level{DEEP_LEVELS}.html": (
        f'{{% extends "deep/level{DEEP_LEVELS - 1}.html" %}}\n'
        "{% block title %}{{ page_title }} | {{ super() }}{% endblock %}\n"
        "{% block head %}{{ super() }}\n"
        f'<link rel="stylesheet" href="/css/l{DEEP_LEVELS}-{{{{ theme }}}}.css">{{% endblock %}}\n'
        "{% block nav %}{{ super() }} &gt; "
        f'<a href="/l{DEEP_LEVELS}">{{{{ sections[{DEEP_LEVELS - 2}] }}}}</a>{{% endblock %}}\n'
        "{% block content %}<h1>{{ page_title }}</h1><p>{{ intro }}</p>{% endblock %}\n"
    ),
}


def _deep_context() -> dict[str, Any]:
    return {
        "site_name": "Kida <Docs>",
        "page_title": "Deep & nested",
        "intro": "Five levels, it's blocks all the way down",
        "theme": "dark",
        "sections": ["guides", "layouts", "blocks", "super & co"],
    }


def _deep_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    site_name = esc(ctx["site_name"])
    page_title = esc(ctx["page_title"])
    theme = esc(ctx["theme"])
    sections = ctx["sections"]
    append('<!doctype html>\n<html lang="en">\n<head><title>')
    append(page_title)
    append(" | ")
    append(site_name)
    append('</title>\n<meta charset="utf-8">')
    for level in range(2, DEEP_LEVELS + 1):
        append(f'\n<link rel="stylesheet" href="/css/l{level}-')
        append(theme)
        append('.css">')
    append('\n</head>\n<body>\n<nav><a href="/">Home</a>')
    for level in range(2, DEEP_LEVELS + 1):
        append(f' &gt; <a href="/l{level}">')
        append(esc(sections[level - 2]))
        append("</a>")
    append("</nav>\n<main><h1>")
    append(page_title)
    append("</h1><p>")
    append(esc(ctx["intro"]))
    append("</p></main>\n<footer>")
    append(site_name)
    append("</footer>\n</body>\n</html>")
    return "".join(buf)


DEEP_INHERITANCE = Scenario(
    name="deep_inheritance",
    description="5-level extends chain, super() in two blocks at every level",
    templates=DEEP_TEMPLATES,
    entry=f"deep/level{DEEP_LEVELS}.html",
    make_context=_deep_context,
    baseline=_deep_baseline,
)


# --- filter_chains ------------------------------------------------------------------------------
# 200 users (dicts) through map(attribute=), sort (case-insensitive, and by attribute), join,
# replace, length, selectattr, default and upper/lower.

FILTER_CHAINS_SOURCE = """<section class="users">
<p>{{ users | length }} users, {{ users | selectattr("active") | list | length }} active</p>
<p class="names">{{ users | map(attribute="name") | sort | join(", ") }}</p>
<p class="oldest">\
{{ users | sort(attribute="age", reverse=true) | map(attribute="name") | join(", ") | upper }}</p>
<p class="cities">{{ users | map(attribute="city") | join(" / ") | lower }}</p>
<ul>
{% for u in users | selectattr("active") | sort(attribute="name") %}\
<li>{{ u.name | upper }} &lt;{{ u.email | replace("@", " at ") | lower }}&gt; \
{{ u.nickname | default("no nickname") }} [{{ u.roles | sort | join(", ") }}] \
({{ u.roles | length }})</li>
{% endfor %}</ul>
</section>
"""

_FIRST_NAMES = ("ada", "Alan", "grace", "Edsger", "barbara", "Donald", "frances", "Ken", "o'neil")
_CITIES = ("London", "Wilmslow", "ARLINGTON", "Eindhoven", "Boston", "Palo Alto", "Cambridge")
_ROLES = ("editor", "Admin", "viewer", "author", "Owner")


def _filter_chains_context() -> dict[str, Any]:
    users: list[dict[str, Any]] = []
    for i in range(200):
        first = _FIRST_NAMES[(i * 5) % len(_FIRST_NAMES)]
        user: dict[str, Any] = {
            "name": f"{first} {i:03d}",
            "email": f"{first.replace(chr(39), '')}.{i}@Example.org",
            "age": 18 + (i * 37) % 60,
            "city": _CITIES[i % len(_CITIES)],
            "active": i % 3 != 1,
            "roles": [_ROLES[(i + k) % len(_ROLES)] for k in range(i % 4)],
        }
        if i % 4 == 0:
            user["nickname"] = f"<{first[:3]}>"
        users.append(user)
    return {"users": users}


def _filter_chains_baseline(ctx: Context) -> str:
    esc = html_escape
    lower = str.lower
    buf: list[str] = []
    append = buf.append
    users = ctx["users"]
    append('<section class="users">\n<p>')
    append(str(len(users)))
    append(" users, ")
    append(str(len([u for u in users if u["active"]])))
    append(' active</p>\n<p class="names">')
    append(esc(", ".join(sorted([u["name"] for u in users], key=lower))))
    append('</p>\n<p class="oldest">')
    by_age = sorted(users, key=lambda u: u["age"], reverse=True)
    append(esc(", ".join([u["name"] for u in by_age]).upper()))
    append('</p>\n<p class="cities">')
    append(esc(" / ".join([u["city"] for u in users]).lower()))
    append("</p>\n<ul>\n")
    active = sorted([u for u in users if u["active"]], key=lambda u: u["name"].lower())
    for u in active:
        roles = u["roles"]
        append("<li>")
        append(esc(u["name"].upper()))
        append(" &lt;")
        append(esc(u["email"].replace("@", " at ").lower()))
        append("&gt; ")
        append(esc(u.get("nickname", "no nickname")))
        append(" [")
        append(esc(", ".join(sorted(roles, key=lower))))
        append("] (")
        append(str(len(roles)))
        append(")</li>\n")
    append("</ul>\n</section>")
    return "".join(buf)


FILTER_CHAINS = Scenario(
    name="filter_chains",
    description="200 users: map(attribute=), sort, sort(attribute=), join, replace, selectattr…",
    jinja_source=FILTER_CHAINS_SOURCE,
    make_context=_filter_chains_context,
    baseline=_filter_chains_baseline,
)


# --- page_with_def ------------------------------------------------------------------------------
# site/products.html extends site/layout.html (which includes site/header.html); its content
# block defines a def (Jinja2: a macro) and calls it for each of 50 products.

_PRODUCT_SIGNATURE = "product(p, highlight=false)"
_PRODUCT_BODY = (
    '<div class="product{% if highlight %} hl{% endif %}"><h3>{{ p.name | title }}</h3>'
    '<p>{{ p.desc | default("No description") }}</p><span>{{ p.price }} EUR</span> '
    '<em>{{ p.tags | join(", ") | upper }}</em></div>'
)
_PRODUCTS_PAGE = """{% extends "site/layout.html" %}
{% block title %}{{ page_title }} | {{ super() }}{% endblock %}
{% block content %}
DEF
<h2>{{ products | length }} products</h2>
{% for p in products %}{{ product(p, highlight=loop.first) }}
{% endfor %}
{% endblock %}
"""

PAGE_DEF_TEMPLATES = {
    "site/layout.html": """<!doctype html>
<html lang="en">
<head><title>{% block title %}{{ site_name }}{% endblock %}</title></head>
<body>
{% include "site/header.html" %}
<main>{% block content %}{% endblock %}</main>
<footer>&copy; {{ year }} {{ site_name | upper }}</footer>
</body>
</html>
""",
    "site/header.html": (
        "<header><h1>{{ site_name }}</h1><nav>{% for link in nav %}"
        '<a href="{{ link.url }}">{{ link.label | title }}</a>{% endfor %}</nav></header>\n'
    ),
    "site/products.html": _PRODUCTS_PAGE.replace(
        "DEF", f"{{% macro {_PRODUCT_SIGNATURE} %}}{_PRODUCT_BODY}{{% endmacro %}}"
    ),
}

PAGE_DEF_KIDA_TEMPLATES = {
    "site/products.html": kidafy(
        _PRODUCTS_PAGE.replace("DEF", f"{{% def {_PRODUCT_SIGNATURE} %}}{_PRODUCT_BODY}{{% end %}}")
    ),
}


def _page_def_context() -> dict[str, Any]:
    products: list[dict[str, Any]] = []
    for i in range(50):
        product: dict[str, Any] = {
            "name": f"{_WORDS[i % len(_WORDS)]} widget {i}",
            "price": 5 + (i * 7) % 90,
            "tags": [_WORDS[(i + k) % len(_WORDS)] for k in range(i % 3)],
        }
        if i % 4:
            product["desc"] = f"Made for {_WORDS[(i * 3) % len(_WORDS)]} & <friends>, it's {i}"
        products.append(product)
    return {
        "site_name": "Kida & Sons",
        "page_title": "All <products>",
        "year": 2026,
        "nav": [{"url": f"/{w}", "label": f"{w} pages"} for w in _WORDS[:5]],
        "products": products,
    }


def _page_def_baseline(ctx: Context) -> str:
    esc = html_escape
    buf: list[str] = []
    append = buf.append
    site_name = esc(ctx["site_name"])
    products = ctx["products"]
    append('<!doctype html>\n<html lang="en">\n<head><title>')
    append(esc(ctx["page_title"]))
    append(" | ")
    append(site_name)
    append("</title></head>\n<body>\n<header><h1>")
    append(site_name)
    append("</h1><nav>")
    for link in ctx["nav"]:
        append('<a href="')
        append(esc(link["url"]))
        append('">')
        append(esc(link["label"].title()))
        append("</a>")
    append("</nav></header>\n<main>\n\n<h2>")
    append(str(len(products)))
    append(" products</h2>\n")
    for index0, p in enumerate(products):
        append('<div class="product hl">' if index0 == 0 else '<div class="product">')
        append("<h3>")
        append(esc(p["name"].title()))
        append("</h3><p>")
        append(esc(p.get("desc", "No description")))
        append("</p><span>")
        append(str(p["price"]))
        append(" EUR</span> <em>")
        append(esc(", ".join(p["tags"]).upper()))
        append("</em></div>\n")
    append("\n</main>\n<footer>&copy; ")
    append(str(ctx["year"]))
    append(" ")
    append(esc(ctx["site_name"].upper()))
    append("</footer>\n</body>\n</html>")
    return "".join(buf)


PAGE_WITH_DEF = Scenario(
    name="page_with_def",
    description="layout + include; the content block defines a def called for 50 products",
    templates=PAGE_DEF_TEMPLATES,
    kida_templates=PAGE_DEF_KIDA_TEMPLATES,
    entry="site/products.html",
    make_context=_page_def_context,
    baseline=_page_def_baseline,
)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        SINGLE,
        TABLE,
        PAGE,
        FILTERS_HEAVY,
        FILTER_CHAINS,
        STREAMING,
        INHERITANCE,
        DEEP_INHERITANCE,
        RENDER_BLOCK,
        INCLUDES,
        DEFS,
        PAGE_WITH_DEF,
        STREAM_FIRST_CHUNK_LARGE,
    )
}


# --- compile_set --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompileSet:
    """A set of templates compiled from source in both engines (compile time, not rendering).

    ``members`` are the render scenarios whose templates make up the set: every template of a
    multi-template scenario under its own name, a single-template scenario as
    ``single/<scenario>.html``.  Rendering each member's entry from a freshly compiled set
    must reproduce that scenario's hand-written output (``run.py`` checks before timing).
    """

    name: str
    members: tuple[Scenario, ...]

    @property
    def description(self) -> str:
        """One line for the table and the JSON output."""
        return (
            f"compile {len(self.jinja_mapping)} templates (layouts, pages, partials, defs) "
            "in a fresh environment"
        )

    @staticmethod
    def entry_of(scenario: Scenario) -> str:
        """The name under which ``scenario``'s entry template is in the set."""
        return scenario.entry if scenario.entry is not None else f"single/{scenario.name}.html"

    def _mapping(self, kida: bool) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for scenario in self.members:
            if scenario.uses_loader:
                sources = scenario.kida_mapping if kida else scenario.jinja_mapping
            else:
                source = scenario.kida_source if kida else scenario.jinja_source
                sources = {self.entry_of(scenario): source or ""}
            for name, source in sources.items():
                if mapping.setdefault(name, source) != source:
                    raise ValueError(f"{self.name}: two different templates named {name!r}")
        return mapping

    @property
    def jinja_mapping(self) -> dict[str, str]:
        """Jinja2 templates by name."""
        return self._mapping(kida=False)

    @property
    def kida_mapping(self) -> dict[str, str]:
        """Kida templates by name."""
        return self._mapping(kida=True)


COMPILE_SET = CompileSet(
    name="compile_set",
    members=(PAGE, FILTER_CHAINS, INHERITANCE, DEEP_INHERITANCE, INCLUDES, DEFS, PAGE_WITH_DEF),
)
