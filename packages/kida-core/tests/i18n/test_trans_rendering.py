"""Rendering ``{% trans %}`` with real catalogs: lookups, plurals, context, whitespace, bindings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from babel.support import Translations
from i18n_catalogs import Loader

from kida_core import Environment


@pytest.fixture
def env(gnu: Loader) -> Environment:
    env = Environment()
    env.install_translations(gnu("fr"))
    return env


def test_a_message_is_translated_from_a_gnu_catalog(env: Environment) -> None:
    assert env.render_string("{% trans %}Hello, world!{% endtrans %}") == "Bonjour, le monde !"


def test_a_message_is_translated_from_a_babel_catalog(
    babel: Callable[[str], Translations],
) -> None:
    env = Environment()
    env.install_gettext_translations(babel("fr"))
    assert env.render_string("{% trans %}Hello{% endtrans %}") == "Bonjour"


def test_the_body_is_normalised_before_the_lookup(env: Environment) -> None:
    source = "{% trans %}\n    Hello,\n    world!\n{% endtrans %}"
    assert env.render_string(source) == "Bonjour, le monde !"


def test_whitespace_around_the_message_is_not_rendered() -> None:
    assert Environment().render_string("a{% trans %} b {% endtrans %}c") == "abc"


def test_an_unknown_message_renders_its_id(env: Environment) -> None:
    assert env.render_string("{% trans %}Goodbye{% endtrans %}") == "Goodbye"


def test_bindings_fill_the_placeholders(env: Environment) -> None:
    source = "{% trans name=user.name | title %}Hello, {{ name }}!{% endtrans %}"
    assert env.render_string(source, user={"name": "ann"}) == "Bonjour, Ann !"


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 article."), (1, "1 article."), (5, "5 articles.")]
)
def test_plural_forms_follow_the_catalog(env: Environment, count: int, expected: str) -> None:
    source = "{% trans count=n %}One item.{% plural %}{{ count }} items.{% endtrans %}"
    assert env.render_string(source, n=count) == expected


def test_plural_selector_named_in_the_plural_tag(env: Environment) -> None:
    source = "{% trans count=n, k=m %}One item.{% pluralize k %}{{ count }} items.{% endtrans %}"
    assert env.render_string(source, n=7, m=1) == "7 article."


def test_the_message_context_selects_the_entry(env: Environment) -> None:
    source = '{% trans "menu" %}Post{% endtrans %} / {% trans %}Post{% endtrans %}'
    assert env.render_string(source) == "Publier / Article"


def test_the_message_context_works_with_plurals(env: Environment) -> None:
    source = '{% trans "menu" count=n %}One post{% plural %}{{ count }} posts{% endtrans %}'
    assert env.render_string(source, n=3) == "3 publications"


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "one"), (0, "many"), (None, "many"), ("1", "many")]
)
def test_the_identity_ngettext_picks_the_singular_only_for_one(count: Any, expected: str) -> None:
    source = "{% trans count=n %}one{% plural %}many{% endtrans %}"
    assert Environment().render_string(source, n=count) == expected


def test_the_plural_selector_is_evaluated_once() -> None:
    calls: list[int] = []

    def next_count() -> int:
        calls.append(1)
        return 2

    source = "{% trans count=next_count() %}one{% plural %}{{ count }} many{% endtrans %}"
    assert Environment().render_string(source, next_count=next_count) == "2 many"
    assert len(calls) == 1


def test_a_double_percent_renders_as_one_when_the_message_has_bindings() -> None:
    source = "{% trans n=5 %}{{ n }}%% done{% endtrans %} {% trans %}100%{% endtrans %}"
    assert Environment().render_string(source) == "5% done 100%"


def test_num_is_bound_to_the_plural_count(env: Environment) -> None:
    source = "{% trans count=n %}%(num)s apple{% plural %}%(num)s apples{% endtrans %}"
    assert env.render_string(source, n=4) == "4 pommes"


def test_whitespace_control_trims_inside_the_body(env: Environment) -> None:
    source = "{% trans name=n -%}  Hello, {{ name }}!{%- endtrans %}"
    assert env.render_string(source, n="Jo") == "Bonjour, Jo !"


# -- late binding --------------------------------------------------------------------


def test_translations_installed_after_compiling_apply_to_the_next_render(gnu: Loader) -> None:
    env = Environment()
    template = env.from_string("{% trans %}Hello{% endtrans %} {{ _('Hello') }}")
    assert template.render() == "Hello Hello"
    env.install_translations(gnu("fr"))
    assert template.render() == "Bonjour Bonjour"
    env.install_null_translations()
    assert template.render() == "Hello Hello"


def test_the_render_context_gettext_translates_one_render() -> None:
    template = Environment().from_string("{% trans %}Hello{% endtrans %}")
    assert template.render(gettext=str.upper) == "HELLO"
    assert template.render() == "Hello"


def test_context_ngettext_and_pgettext_translate_one_render() -> None:
    source = '{% trans count=2 %}a{% plural %}b{% endtrans %}{% trans "c" %}m{% endtrans %}'
    rendered = Environment().render_string(
        source, ngettext=lambda s, p, n: f"<{p}>", pgettext=lambda c, m: f"{c}:{m}"
    )
    assert rendered == "<b>c:m"  # a plural has bindings: its translation is trusted


# -- placement and render modes --------------------------------------------------------

EVERYWHERE = (
    "{% def greet(who) %}{% trans name=who %}Hello, {{ name }}!{% endtrans %}{% end %}"
    "{% macro m() %}{% trans %}Hello{% endtrans %}{% endmacro %}"
    "{% def card() %}[{% slot %}]{% end %}"
    "{% region r(x=1) %}{% trans count=x %}One item.{% plural %}{{ count }} items.{% endtrans %}"
    "{% end %}"
    "{% block main %}{{ greet('Ann') }}|{{ m() }}|"
    "{% call card() %}{% trans %}Hello, world!{% endtrans %}{% end %}|"
    "{% for n in [1, 2] %}{% trans count=n %}One item.{% plural %}{{ count }} items.{% endtrans %}"
    "{% end %}|{{ r(x=3) }}{% end %}"
)
EXPECTED = "Bonjour, Ann !|Bonjour|[Bonjour, le monde !]|1 article.2 articles.|3 articles."


def test_trans_works_inside_defs_macros_slots_loops_blocks_and_regions(env: Environment) -> None:
    assert env.render_string(EVERYWHERE) == EXPECTED


def test_every_render_mode_agrees(env: Environment) -> None:
    template = env.from_string(EVERYWHERE)
    assert "".join(template.render_stream()) == EXPECTED
    assert template.render_block("main") == EXPECTED
    assert asyncio.run(template.render_async()) == EXPECTED

    async def collect() -> str:
        return "".join([chunk async for chunk in template.render_stream_async()])

    assert asyncio.run(collect()) == EXPECTED


async def test_bindings_may_await_in_async_templates(env: Environment) -> None:
    async def fetch() -> str:
        return "Zoé"

    template = env.from_string("{% trans name=await fetch() %}Hello, {{ name }}!{% endtrans %}")
    chunks = [chunk async for chunk in template.render_stream_async(fetch=fetch)]
    assert "".join(chunks) == "Bonjour, Zoé !"
