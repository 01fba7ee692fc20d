"""Escaping helpers for contexts other than HTML text, against hostile input."""

from __future__ import annotations

import json

import pytest

from kida_core.environment import Environment
from kida_core.markup import Markup
from kida_core.utils.html import (
    JSString,
    css_escape,
    format_html,
    js_escape,
    safe_url,
    strip_tags,
    url_is_safe,
)

SCRIPT_BREAKOUT = "</script><script>alert(1)</script>"


def _js_string_value(escaped: str) -> str:
    """What a JS engine reads from ``"<escaped>"`` (JSON shares its \\uXXXX escapes)."""
    return json.loads(f'"{escaped}"')  # type: ignore[no-any-return]


def test_js_escape_cannot_close_the_script_element() -> None:
    escaped = js_escape(SCRIPT_BREAKOUT)
    assert "<" not in escaped and "/" not in escaped
    assert _js_string_value(escaped) == SCRIPT_BREAKOUT


@pytest.mark.parametrize("hostile", ["'; alert(1); '", '"; alert(1); "', "`${alert(1)}`", "\\"])
def test_js_escape_cannot_end_the_string_literal(hostile: str) -> None:
    escaped = js_escape(hostile)
    assert not set("'\"`$\\") & set(escaped.replace("\\u", ""))
    assert _js_string_value(escaped) == hostile


def test_js_escape_escapes_line_breaks_and_controls() -> None:
    escaped = js_escape("a\nb\u2028c\x00")
    assert escaped == "a\\u000ab\\u2028c\\u0000"


def test_js_escape_returns_a_jsstring_not_escaped_twice() -> None:
    once = js_escape("<b>")
    assert isinstance(once, JSString)
    assert js_escape(once) is once
    assert js_escape(None) == ""


def test_js_escape_output_survives_autoescape_in_a_template() -> None:
    env = Environment(autoescape=True)
    env.globals["js_escape"] = js_escape
    html = env.from_string('<script>var s = "{{ js_escape(x) }}";</script>').render(
        x=SCRIPT_BREAKOUT
    )
    body = html.removeprefix('<script>var s = "').removesuffix('";</script>')
    assert "</script>" not in body
    assert _js_string_value(body) == SCRIPT_BREAKOUT


def test_css_escape_neutralises_expression_and_url_calls() -> None:
    escaped = css_escape("red;background:expression(alert(1))")
    assert "(" not in escaped and ";" not in escaped and ":" not in escaped
    assert escaped == "red\\3b background\\3a expression\\28 alert\\28 1\\29 \\29 "


@pytest.mark.parametrize("hostile", ["x' } body { color: red", '"</style><script>', "a\\b"])
def test_css_escape_cannot_end_the_string_rule_or_style_element(hostile: str) -> None:
    escaped = css_escape(hostile)
    assert not set("'\"}{<>/") & set(escaped)


def test_css_escape_escapes_a_leading_digit_and_nul() -> None:
    assert css_escape("1col") == "\\31 col"
    assert css_escape("a\x00") == "a\ufffd"
    assert css_escape("naïve_9") == "naïve_9"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\x00script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "\u00a0javascript:alert(1)",
        None,
    ],
)
def test_url_is_safe_refuses_script_schemes(url: str | None) -> None:
    assert not url_is_safe(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a?b=c#d",
        "HTTP://example.com",
        "mailto:a@example.com",
        "tel:+123",
        "/path/to:page",
        "page.html",
        "?q=javascript:x",
        "#top",
        "//cdn.example.com/x.js",
    ],
)
def test_url_is_safe_accepts_relative_and_allowed_schemes(url: str) -> None:
    assert url_is_safe(url)


def test_url_is_safe_takes_other_schemes() -> None:
    assert url_is_safe("ftp://x", schemes=frozenset({"ftp"}))
    assert not url_is_safe("https://x", schemes=frozenset({"ftp"}))


def test_safe_url_replaces_an_unsafe_url_in_an_attribute() -> None:
    env = Environment(autoescape=True)
    env.globals["safe_url"] = safe_url
    template = env.from_string('<a href="{{ safe_url(u) }}">x</a>')
    assert template.render(u="javascript:alert(1)") == '<a href="#">x</a>'
    assert template.render(u='/a?x="><script>') == '<a href="/a?x=&quot;&gt;&lt;script&gt;">x</a>'
    assert safe_url("javascript:x", fallback="/") == "/"


def test_format_html_escapes_arguments_but_not_the_pattern() -> None:
    html = format_html('<a href="{}" title="{t}">{}</a>', '" onclick="x', SCRIPT_BREAKOUT, t="'")
    assert isinstance(html, Markup)
    assert html == (
        '<a href="&quot; onclick=&quot;x" title="&#39;">'
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>"
    )
    assert format_html("<p>{}</p>", Markup("<b>ok</b>")) == "<p><b>ok</b></p>"


def test_strip_tags_returns_text_to_escape_again() -> None:
    text = strip_tags("<p>a &lt;script&gt;</p>  <!-- c -->b")
    assert text == "a <script> b"
    assert not isinstance(text, Markup)
