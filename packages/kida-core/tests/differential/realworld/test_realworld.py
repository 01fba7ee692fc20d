"""Real-world Jinja2 templates render in Kida byte for byte as in Jinja2 3.1.

``templates/`` holds the kind of files a Jinja2 project already has, written in the
syntax both engines share: a blog layout with blocks, ``self.title()`` and
``super()``; a form-macro library imported ``with context``; a recursive site map;
an invoice with ``namespace`` counters, ``loop.changed``, ``cycler`` and ``joiner``;
a downloads page built from collection filters; a team dashboard with an include
per loop item, ``slice`` columns, hex ``int`` parsing and type tests; a changelog
written with line statements and ``{% autoescape false %}``; and a plain-text
newsletter with ``trim_blocks``/``lstrip_blocks`` and an included footer.

Each :class:`Page` names an entry template, the context a view would pass, the
Environment options it needs, and a few *landmarks*: fragments of the page that show
it exercises what it is there for.  Both engines get the same loader root and
options and otherwise their defaults (so Jinja2 drops one trailing newline per
template, as Kida does).

The templates stay clear of the documented differences (``None`` is never printed,
every variable exists, filters are parenthesised next to ``*`` and ``/``); the only
normalisation is Jinja2's ``&#34;`` for an escaped ``"``, which Kida writes ``&quot;``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from kida_core.environment import Environment
from kida_loaders import FileSystemLoader

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    """One entry template, its context and what its output must show."""

    id: str
    template: str
    context: dict[str, Any]
    landmarks: tuple[str, ...]
    autoescape: bool = True
    options: dict[str, Any] = field(default_factory=dict)


# -- data a view would pass --------------------------------------------------


@dataclass(frozen=True)
class Author:
    """A blog author."""

    name: str


@dataclass(frozen=True)
class Comment:
    """A reader's comment; the text is untrusted."""

    author: str
    text: str


@dataclass(frozen=True)
class Post:
    """A blog post whose body is trusted HTML from the editor."""

    title: str
    author: Author
    published: str
    summary: str
    body: str
    tags: tuple[str, ...]
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True)
class InvoiceLine:
    """One line of an invoice; amounts in cents."""

    category: str
    description: str
    qty: int
    unit_cents: int


SITE: dict[str, Any] = {
    "site": {
        "name": "Field Notes",
        "owner": "Ada Byron",
        "year": 2026,
        "nav": [
            {"url": "/", "label": "Home"},
            {"url": "/blog/", "label": "Blog"},
            {"url": "/downloads/", "label": "Downloads"},
            {"url": "/about/", "label": "About & contact"},
        ],
    },
    "recent": [
        {"url": "/blog/kida-1-0/", "title": "Kida 1.0 is out"},
        {"url": "/blog/templates-as-trees/", "title": "Templates as <ast> trees"},
        {"url": "/blog/streaming/", "title": "Streaming, chunk by chunk"},
    ],
}


def site(current_url: str, **context: Any) -> dict[str, Any]:
    """The layout's context (site, recent posts, current URL) plus the page's own."""
    return {**SITE, "current_url": current_url, **context}


BLOG_POST = Page(
    id="blog-post",
    template="blog/post.html",
    context=site(
        "/blog/kida-1-0/",
        post=Post(
            title="Kida 1.0 is out",
            author=Author("Ada Byron"),
            published="2026-11-02",
            summary="<em>Faster</em> renders & a friendlier migration path.",
            body="<p>Templates compile to <code>ast.Module</code> &amp; render fast.</p>",
            tags=("Release", "python", "Templates", "release notes"),
            comments=(
                Comment("grace hopper", "Finally! <script>alert('hi')</script>"),
                Comment("alan", "Does it stream?"),
            ),
        ),
    ),
    landmarks=(
        "<title>Kida 1.0 is out · Field Notes</title>",
        '<link rel="stylesheet" href="/static/site.css">\n  \n  <meta name="description"',
        "<h1>Kida 1.0 is out</h1>",
        "<li><strong>Kida 1.0 is out</strong></li>",
        "Templates as &lt;ast&gt; trees</a></li>",
        "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;",
        "Grace Hopper",
        "/tags/release%20notes",
        '&copy; 2026 Ada Byron · <a href="/feed.xml">RSS</a>',
    ),
)

ACCOUNT_SETTINGS = Page(
    id="account-settings",
    template="account/settings.html",
    context=site(
        "/account/",
        user={
            "username": "ada",
            "email": "ada@example",
            "bio": "Poet of science & numbers.",
            "language": "fr",
            "topics": ["release-notes", "security"],
        },
        errors={"email": "Enter a complete e-mail address."},
        required_fields=("username", "email"),
        languages=[("en", "English"), ("fr", "Français"), ("de", "Deutsch")],
        topics=["release-notes", "security", "community-events"],
    ),
    landmarks=(
        '<fieldset class="profile">',
        '<label for="id_username">User name <abbr title="required">*</abbr></label>',
        'autocomplete="username" max-length="30">',
        'aria-invalid="true" aria-describedby="id_email_error">',
        '<p class="error" id="id_email_error">Enter a complete e-mail address.</p>',
        "Poet of science &amp; numbers.</textarea>",
        '<option value="fr" selected>Français</option>',
        'value="security" checked> Security</label>',
        "> Community events</label>",
        '<button type="submit" class="primary">Save changes</button>',
        '<button type="button">Cancel</button>',
    ),
)

SITEMAP = Page(
    id="sitemap",
    template="pages/sitemap.html",
    context=site(
        "/sitemap/",
        tree=[
            {"url": "/", "title": "Home", "children": []},
            {
                "url": "/blog/",
                "title": "Blog",
                "children": [
                    {
                        "url": "/blog/2026/",
                        "title": "2026",
                        "children": [
                            {"url": "/blog/kida-1-0/", "title": "Kida 1.0 is out", "children": []},
                            {"url": "/blog/streaming/", "title": "Streaming", "children": []},
                        ],
                    },
                    {"url": "/blog/archive/", "title": "Archive", "children": []},
                ],
            },
            {
                "url": "/about/",
                "title": "About & contact",
                "children": [
                    {"url": "/about/privacy/", "title": "Privacy", "children": []},
                ],
            },
        ],
    ),
    landmarks=(
        '<li class="level-1 first"><a href="/">Home</a>',
        '<li class="level-2 first">· <a href="/blog/2026/">2026</a> (2)',
        '<li class="level-3 last">· · <a href="/blog/streaming/">Streaming</a>',
        "About &amp; contact</a> (1)",
        "<p>3 top-level sections.</p>",
    ),
)

INVOICE = Page(
    id="invoice",
    template="shop/invoice.html",
    context=site(
        "/invoices/2026-0042/",
        invoice={
            "number": "2026-0042",
            "currency": "EUR",
            "tax_percent": 19,
            "status": "sent",
            "customer": {
                "name": "Analytical Engines Ltd",
                "address": ["Unit 4 & 5", "12 Babbage Row", "London"],
            },
            "lines": [
                InvoiceLine("services", "Template migration", 12, 9_500),
                InvoiceLine("hardware", "Punch cards (box)", 3, 1_299),
                InvoiceLine("services", "Code review", 2, 12_000),
                InvoiceLine("hardware", "Brass gears", 40, 35),
                InvoiceLine("support", "Priority support, 1 month", 1, 4_900),
            ],
            "payments": [
                {"method": "bank transfer", "cents": 100_000},
                {"method": "voucher", "cents": 0},
                {"method": "card", "cents": 27_000},
            ],
        },
        statuses=[("draft", "Draft"), ("sent", "Sent"), ("paid", "Paid")],
        errors={},
        required_fields=("status",),
    ),
    landmarks=(
        "Analytical Engines Ltd<br>Unit 4 &amp; 5<br>12 Babbage Row<br>London",
        '<tr class="section"><th colspan="4">Hardware</th></tr>',
        '<tr class="even">',
        'Brass gears <span class="tag">bulk</span>',
        "Net (58 units, 2 bulk lines)",
        "EUR 1763.54",
        "Paid 1270.00 by bank transfer and card.",
        '<option value="sent" selected>Sent</option>',
    ),
)

DOWNLOADS = Page(
    id="downloads",
    template="downloads/index.html",
    context=site(
        "/downloads/",
        downloads=[
            {
                "platform": "Linux",
                "name": "kida-1.0.tar.gz",
                "version": "1.0",
                "size": 1_843_200,
                "url": "/dl/kida-1.0.tar.gz",
                "notes": "Source tarball with docs & tests",
                "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            },
            {
                "platform": "Linux",
                "name": "kida-0.9.tar.gz",
                "version": "0.9",
                "size": 1_702_115,
                "url": "/dl/kida-0.9.tar.gz",
                "notes": "Previous release, kept for reproducible builds of older sites",
            },
            {
                "platform": "Windows",
                "name": "kida-1.0.zip",
                "version": "1.0",
                "size": 2_097_152,
                "url": "/dl/kida-1.0.zip",
                "notes": "Zip archive",
                "sha256": "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
            },
            {
                "platform": "Mac OS",
                "name": "kida-1.0.pkg",
                "version": "1.0",
                "size": 987,
                "url": "/dl/kida-1.0.pkg",
                "notes": "Installer package for Apple silicon and Intel",
                "sha256": "fd61a03af4f77d870fc21e05e7e80678095c92d808cfb3b5c279ee04c74aca13",
            },
        ],
        counts={"stable": 48_213, "nightly": 1_377, "beta": 5_040},
        ratings=["5", "4", "5", "3", "4"],
        builds=[101, 102, 103, 104, 105, 107],
        mirrors=["eu-west", "eu-central", "us-east", "us-west", "ap-south"],
        release_notes=(
            "Read the full changelog at https://example.org/kida/changelog/1.0/full-details "
            "or write to support@example.org & we'll help."
        ),
    ),
    landmarks=(
        '<section id="mac-os">',
        "<small>2 files, 3.5 MB in all</small>",
        "<small>1 file, 987 Bytes in all</small>",
        "<td>1.8 MiB</td>",
        "<td>987 Bytes</td>",
        "<td>Previous release, kept for...</td>",
        "Checksums: 9f86d081884 unsigned",
        "largest kida-1.0.tar.gz",
        "<dt>Stable</dt><dd>48,213</dd>",
        "Rated 21 stars by 5 reviewers",
        "nightlies: 101, 103, 105, 107.",
        "<td>us-west</td><td>ap-south</td><td>—</td>",
        'target="_blank"',
        'href="mailto:support@example.org"',
        "&amp; we&#39;ll help.",
    ),
)

CHANGELOG = Page(
    id="changelog",
    template="pages/changelog.html",
    options={"line_statement_prefix": "%", "line_comment_prefix": "##"},
    context=site(
        "/changelog/",
        releases=[
            {
                "version": "1.0.0",
                "date": "2026-11-02",
                "highlight_html": "<strong>Stable API</strong> &amp; long-term support",
                "changes": ["Jinja2 parity for <code>macro</code>", "Faster include & import"],
            },
            {
                "version": "0.9.2",
                "date": "2026-09-14",
                "highlight_html": "",
                "changes": ["Fix streaming of {% flush %}"],
            },
        ],
    ),
    landmarks=(
        '<section class="release" id="v1-0-0">',
        '<div class="highlight"><strong>Stable API</strong> &amp; long-term support</div>',
        "<li>Jinja2 parity for &lt;code&gt;macro&lt;/code&gt;</li>",
        "<li>Fix streaming of {% flush %}</li>",
    ),
)

NEWSLETTER = Page(
    id="newsletter",
    template="mail/newsletter.txt",
    autoescape=False,
    options={"trim_blocks": True, "lstrip_blocks": True},
    context={
        "issue": {
            "title": "Field Notes Weekly",
            "number": 42,
            "intro": (
                "This week: a stable release, a well-known self-taught engineer on "
                "template inheritance, and the results of our reader survey."
            ),
        },
        "subscriber": {"first_name": "Grace", "since": "2025-03-01"},
        "stories": [
            {
                "title": "Kida 1.0 is out",
                "summary": (
                    "After two years of work the engine is stable: templates compile "
                    "straight to Python AST, render in a stream and keep <b>your</b> "
                    "Jinja2 habits."
                ),
                "url": "https://example.org/blog/kida-1-0/?utm_source=mail&utm_medium=text",
            },
            {
                "title": "Streaming, chunk by chunk",
                "summary": "Why the first byte matters more than the last one.",
                "url": "https://example.org/blog/streaming/",
            },
        ],
        "events": [
            {"name": "Template sprint", "when": "Sat 14 Nov, 10:00"},
            {"name": "Office hours & Q&A", "when": "Thu 19 Nov, 17:30"},
        ],
        "stats": {"new_members": 318, "open_rate": 61},
        "sender": {"name": "Ada Byron", "role": "Editor"},
        "unsubscribe_url": "https://example.org/u/?id=42&token=abc",
    },
    landmarks=(
        "Subject: Field Notes Weekly (issue #42)\n\nHello Grace,\n\n",
        "1. KIDA 1.0 IS OUT\n   After two years",
        "keep <b>your</b>",
        "   Read more: https://example.org/blog/kida-1-0/?utm_source=mail&utm_medium=text\n",
        "UPCOMING EVENTS\n---------------\nTemplate sprint",
        "Office hours & Q&A         Thu 19 Nov, 17:30\n",
        "318 new members joined this month; 61% of you opened",
        "--\nAda Byron, Editor\n",
    ),
)

DASHBOARD = Page(
    id="dashboard",
    template="pages/dashboard.html",
    context=site(
        "/team/",
        week=45,
        team={
            "name": "Platform team",
            "homepage": "https://example.org/platform/",
            "members": [
                {
                    "name": "Grace Hopper",
                    "lead": True,
                    "color": "#2E7D32",
                    "phone": "+44 20 7946 0018",
                },
                {
                    "name": "Alan Turing",
                    "lead": False,
                    "color": "#F9A825",
                    "phone": "+44 20 7946 0117",
                },
                {
                    "name": "Katherine Johnson",
                    "lead": False,
                    "color": "#1565C0",
                    "phone": "+1 757 555 0100",
                },
                {
                    "name": "Edsger Dijkstra",
                    "lead": False,
                    "color": "#C62828",
                    "phone": "+31 40 247 9111",
                },
                {
                    "name": "Barbara Liskov",
                    "lead": False,
                    "color": "#6A1B9A",
                    "phone": "+1 617 555 0199",
                },
            ],
        },
        services={
            "api": {"requests": 48_213, "uptime": [99.951, 99.87, 100.0]},
            "search": {"requests": 7_020, "uptime": [99.5, 99.93, 99.949]},
        },
        metrics={
            "deploys_this_week": 14,
            "error_rate": 0.42,
            "on_call_paged": False,
            "p95_latency_ms": 182.46,
            "status": "green & steady",
        },
        notes=[
            Markup("<p>Database upgrade on <strong>Thursday</strong>.</p>"),
            "Remember: <script> tags in notes are shown, not run.",
        ],
        badge=Markup('<img src="/badge.svg" alt="platform status">'),
        rota=[
            {"team": "platform", "start": "08:00"},
            {"team": "search", "start": "06:30"},
            {"team": "platform", "start": "16:00"},
            {"team": "payments", "start": "07:00"},
        ],
    ),
    landmarks=(
        "<h2>Platform team — week 45</h2>",
        "<p>Lead: Grace Hopper, reachable at https://example.org/platform/people/grace-hopper</p>",
        '<li class="member lead">',
        "rgb(46, 125, 50)",
        "Grace Hopper · +44-20 7946 0018",
        '<tr class="busy">',
        "<td>100.0 / 99.9 / 100.0</td>",
        "<td>2 of 3 weeks at 99.9%</td>",
        "<dd>14</dd>",
        "<dd>no</dd>",
        "<dd>0.4</dd>",
        "<dd>182.5</dd>",
        "<dd>green &amp; steady</dd>",
        "<p>Database upgrade on <strong>Thursday</strong>.</p>",
        "<p>Remember: &lt;script&gt; tags",
        "<pre>&lt;img src=&quot;/badge.svg&quot; alt=&quot;platform status&quot;&gt;</pre>",
        "Teams on call: platform, search, payments;\nearliest shift 06:30.",
    ),
)

PAGES: tuple[Page, ...] = (
    BLOG_POST,
    ACCOUNT_SETTINGS,
    SITEMAP,
    INVOICE,
    DOWNLOADS,
    DASHBOARD,
    CHANGELOG,
    NEWSLETTER,
)


def render_jinja2(page: Page) -> str:
    """The page as Jinja2 3.1 renders it, with ``&#34;`` written as Kida writes it."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=page.autoescape, **page.options
    )
    return env.get_template(page.template).render(page.context).replace("&#34;", "&quot;")


def kida_environment(page: Page) -> Environment:
    """A Kida Environment with the same loader root and options as the Jinja2 one."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=page.autoescape, **page.options
    )


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_jinja2_output_shows_the_landmarks(page: Page) -> None:
    output = render_jinja2(page)
    missing = [landmark for landmark in page.landmarks if landmark not in output]
    assert not missing, f"{page.template}: landmarks not in Jinja2's output: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_render_matches_jinja2(page: Page) -> None:
    template = kida_environment(page).get_template(page.template)
    assert template.render(page.context) == render_jinja2(page)


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_render_stream_matches_jinja2(page: Page) -> None:
    template = kida_environment(page).get_template(page.template)
    assert "".join(template.render_stream(page.context)) == render_jinja2(page)


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
async def test_render_stream_async_matches_jinja2(page: Page) -> None:
    template = kida_environment(page).get_template(page.template)
    chunks = [chunk async for chunk in template.render_stream_async(page.context)]
    assert "".join(chunks) == render_jinja2(page)
