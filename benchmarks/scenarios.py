"""Benchmark scenarios: one template rendered by Kida, Jinja2 and a hand-written function.

Every scenario's three outputs must be byte-identical (``run.py`` checks before timing).
Data never contains ``"`` in escaped positions: markupsafe (Jinja2) writes ``&#34;``
where Kida writes ``&quot;``.  Filters are restricted to ones where Kida and Jinja2
agree on the data used (simple words for ``title``, ``truncate`` with ``leeway=0``,
single-spaced text for ``striptags``/``wordcount``).

The Jinja2 source is written with explicit closers; the Kida source is derived from it
by rewriting ``endif``/``endfor``/``endwith`` to Kida's unified ``{% end %}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
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
    """A template in both dialects, its context factory and the hand-written baseline.

    ``streaming`` scenarios time the first chunk: ``baseline_stream`` must then yield the
    same text as ``baseline`` in pieces.
    """

    name: str
    description: str
    jinja_source: str
    make_context: Callable[[], dict[str, Any]]
    baseline: Callable[[Context], str]
    baseline_stream: Callable[[Context], Iterator[str]] | None = None
    streaming: bool = False

    @property
    def kida_source(self) -> str:
        """Kida spelling: explicit closers rewritten to ``{% end %}``."""
        return kidafy(self.jinja_source)


_CLOSER = re.compile(r"\{%(-?)\s*end(?:if|for|with)\s*(-?)%\}")


def kidafy(source: str) -> str:
    """Rewrite Jinja2 ``endif``/``endfor``/``endwith`` closers to Kida's ``{% end %}``."""
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
    append("</table>\n")
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
    append("</footer>\n</body>\n</html>\n")
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
    append("</ul>\n")
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
    yield "</body></html>\n"


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
    append("</body></html>\n")
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


SCENARIOS: dict[str, Scenario] = {
    s.name: s for s in (SINGLE, TABLE, PAGE, FILTERS_HEAVY, STREAMING)
}
