"""The ``urlize`` filter: links, escaping, options and the ``urlize.*`` policies."""

from __future__ import annotations

import pytest

from kida_core.environment import Environment
from kida_core.errors import TemplateRuntimeError
from kida_core.filters.urlize import urlize_text
from kida_core.markup import Markup


def _render(source: str, env: Environment | None = None, **context: object) -> str:
    return (env or Environment()).from_string(source).render(**context)


def test_links_http_urls_with_the_default_rel() -> None:
    assert _render("{{ 'go http://a.com now' | urlize }}") == (
        'go <a href="http://a.com" rel="noopener">http://a.com</a> now'
    )


def test_www_urls_get_an_https_href() -> None:
    assert urlize_text("www.a.com") == '<a href="https://www.a.com">www.a.com</a>'


def test_trailing_punctuation_stays_outside_the_link() -> None:
    assert urlize_text("(http://a.com).") == '(<a href="http://a.com">http://a.com</a>).'


def test_balanced_parentheses_stay_inside_the_link() -> None:
    assert urlize_text("http://a.com/b_(c)") == (
        '<a href="http://a.com/b_(c)">http://a.com/b_(c)</a>'
    )


def test_email_addresses_become_mailto_links() -> None:
    assert urlize_text("bob@a.org") == '<a href="mailto:bob@a.org">bob@a.org</a>'


def test_text_is_escaped_and_the_result_is_markup() -> None:
    result = urlize_text("<b> http://a.com/?x=1&y=2")
    assert isinstance(result, Markup)
    assert result == '&lt;b&gt; <a href="http://a.com/?x=1&amp;y=2">http://a.com/?x=1&amp;y=2</a>'


def test_trim_url_limit_shortens_the_shown_text() -> None:
    assert urlize_text("http://a.com/long", trim_url_limit=8) == (
        '<a href="http://a.com/long">http://a...</a>'
    )


def test_nofollow_and_rel_are_merged_and_sorted() -> None:
    assert _render("{{ 'http://a.com' | urlize(nofollow=true, rel='me') }}") == (
        '<a href="http://a.com" rel="me nofollow noopener">http://a.com</a>'
    )


def test_target_and_rel_policies() -> None:
    env = Environment()
    env.policies["urlize.rel"] = None
    env.policies["urlize.target"] = "_blank"
    assert _render("{{ 'http://a.com' | urlize }}", env) == (
        '<a href="http://a.com" target="_blank">http://a.com</a>'
    )


def test_extra_schemes_policy() -> None:
    env = Environment()
    env.policies["urlize.extra_schemes"] = ["tel:"]
    assert _render("{{ 'tel:123' | urlize }}", env) == (
        '<a href="tel:123" rel="noopener">tel:123</a>'
    )


def test_an_invalid_extra_scheme_is_an_error() -> None:
    with pytest.raises(TemplateRuntimeError, match="scheme"):
        _render("{{ 'x' | urlize(extra_schemes=['no']) }}")


def test_words_that_are_not_links_are_left_alone() -> None:
    assert urlize_text("a.b c@d example.community") == "a.b c@d example.community"
