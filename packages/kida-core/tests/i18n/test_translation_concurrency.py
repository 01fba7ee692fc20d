"""Per-render languages (``use_translations``): threads and tasks never mix, streams keep theirs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest
from i18n_catalogs import Loader

from kida_core import Environment
from kida_core.template import Template

SOURCE = (
    "{% for i in range(rounds) %}"
    "{% trans %}Hello{% endtrans %}/{{ _('Hello') }}/"
    "{% trans count=i %}One item.{% plural %}{{ count }} items.{% endtrans %};"
    "{% end %}"
)


def expected(language: str, rounds: int) -> str:
    hello = {"fr": "Bonjour", "de": "Hallo"}[language]
    items = {
        "fr": lambda i: f"{i} article." if i <= 1 else f"{i} articles.",
        "de": lambda i: f"{i} Artikel." if i == 1 else f"{i} Artikel (viele).",
    }[language]
    return "".join(f"{hello}/{hello}/{items(i)};" for i in range(rounds))


@pytest.fixture
def env() -> Environment:
    return Environment()


def test_threads_rendering_french_and_german_at_once_never_mix(
    env: Environment, gnu: Loader
) -> None:
    template = env.from_string(SOURCE)
    catalogs = {"fr": gnu("fr"), "de": gnu("de")}
    start = threading.Barrier(4)
    results: dict[int, list[tuple[str, str]]] = {}

    def worker(index: int, language: str) -> None:
        start.wait()
        seen = []
        for _ in range(50):
            with env.use_translations(catalogs[language]):
                seen.append((language, template.render(rounds=3)))
        results[index] = seen

    threads = [threading.Thread(target=worker, args=(i, "fr" if i % 2 else "de")) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for seen in results.values():
        for language, output in seen:
            assert output == expected(language, 3)
    assert env.render_string("{% trans %}Hello{% endtrans %}") == "Hello"


async def test_asyncio_tasks_rendering_two_languages_never_mix(
    env: Environment, gnu: Loader
) -> None:
    template = env.from_string(SOURCE)
    catalogs = {"fr": gnu("fr"), "de": gnu("de")}

    async def render(language: str) -> str:
        with env.use_translations(catalogs[language]):
            chunks = []
            async for chunk in template.render_stream_async(rounds=4):
                chunks.append(chunk)
                await asyncio.sleep(0)  # let the other task run mid-render
            return "".join(chunks)

    results = await asyncio.gather(*(render(lang) for lang in ["fr", "de"] * 4))
    assert list(results) == [expected(lang, 4) for lang in ["fr", "de"] * 4]


def test_a_stream_created_under_french_stays_french(env: Environment, gnu: Loader) -> None:
    template = env.from_string(SOURCE)
    with env.use_translations(gnu("fr")):
        stream = template.render_stream(rounds=2)
    assert "".join(stream) == expected("fr", 2)


async def test_an_async_stream_created_under_french_stays_french(
    env: Environment, gnu: Loader
) -> None:
    sync_template = env.from_string(SOURCE)
    async_template = env.from_string(SOURCE.replace("range(rounds)", "await numbers(rounds)"))

    async def numbers(n: int) -> list[int]:
        return list(range(n))

    streams: list[AsyncIterator[str]] = []
    with env.use_translations(gnu("fr")):
        streams.append(sync_template.render_stream_async(rounds=2))
        streams.append(async_template.render_stream_async(rounds=2, numbers=numbers))
    for stream in streams:
        assert "".join([chunk async for chunk in stream]) == expected("fr", 2)


async def test_render_async_uses_the_translations_active_when_awaited(
    env: Environment, gnu: Loader
) -> None:
    template: Template = env.from_string(SOURCE)
    with env.use_translations(gnu("de")):
        assert await template.render_async(rounds=2) == expected("de", 2)


def test_the_block_restores_the_environment_translations(env: Environment, gnu: Loader) -> None:
    env.install_translations(gnu("de"))
    with env.use_translations(gnu("fr")):
        assert env.render_string("{% trans %}Hello{% endtrans %}") == "Bonjour"
        with env.use_translations(None):
            assert env.render_string("{% trans %}Hello{% endtrans %}") == "Hello"
    assert env.render_string("{% trans %}Hello{% endtrans %}") == "Hallo"


def test_includes_translate_with_the_page_language(gnu: Loader) -> None:
    from kida_loaders import DictLoader

    env = Environment(
        loader=DictLoader(
            {
                "page.html": "{% include 'part.html' %}",
                "part.html": "{% trans %}Hello{% endtrans %}",
            }
        )
    )
    with env.use_translations(gnu("fr")):
        stream = env.get_template("page.html").render_stream()
    assert "".join(stream) == "Bonjour"
