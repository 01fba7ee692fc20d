"""``KidaTemplates(translations=...)``: each Starlette/FastAPI request renders in its language."""

from __future__ import annotations

import asyncio
import gettext
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from kida.contrib.starlette import KidaTemplates

from .i18n_catalogs import EXPECTED, PAGE, load_translations, write_catalogs

WriteTemplates = Callable[..., Path]
Catalogs = dict[str, gettext.GNUTranslations]
Endpoint = Callable[[Request], Any]

#: An async template: both requests of a concurrency test are inside their
#: render when they meet at the rendezvous (an ``asyncio.Barrier``).
RENDEZVOUS_PAGE = "{% trans %}Hello, world!{% endtrans %}|{{ await rendezvous() }}|" + PAGE
HELLO = {"fr": "Bonjour, le monde !", "de": "Hallo, Welt!"}


@pytest.fixture
def catalogs(tmp_path: Path) -> Catalogs:
    return load_translations(write_catalogs(tmp_path / "locale", "messages"), "messages")


@pytest.fixture
def templates(write_templates: WriteTemplates, catalogs: Catalogs) -> KidaTemplates:
    """Templates translated from the ``lang`` query parameter (none: the Environment's)."""
    folder = write_templates(
        {
            "page.html": PAGE,
            "blocks.html": "<h1>x</h1>{% block body %}" + PAGE + "{% end %}",
            "async.html": RENDEZVOUS_PAGE,
        }
    )

    def translations(request: Request) -> gettext.GNUTranslations | None:
        return catalogs.get(request.query_params.get("lang", ""))

    return KidaTemplates(folder, translations=translations)


def client(endpoint: Endpoint) -> TestClient:
    return TestClient(Starlette(routes=[Route("/", endpoint)]))


def async_client(endpoint: Endpoint) -> httpx2.AsyncClient:
    app = Starlette(routes=[Route("/", endpoint)])
    return httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test")


CONTEXT = {"name": "Ada", "count": 3}


def test_a_template_response_renders_in_the_requests_language(templates: KidaTemplates) -> None:
    def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", CONTEXT)

    assert client(page).get("/?lang=fr").text == EXPECTED["fr"]
    assert client(page).get("/?lang=de").text == EXPECTED["de"]


def test_a_request_without_translations_renders_the_environments_messages(
    templates: KidaTemplates,
) -> None:
    def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", CONTEXT)

    assert client(page).get("/").text == EXPECTED["en"]


def test_a_block_response_renders_in_the_requests_language(templates: KidaTemplates) -> None:
    def part(request: Request) -> Response:
        return templates.TemplateResponse(request, "blocks.html", CONTEXT, block_name="body")

    assert client(part).get("/?lang=de").text == EXPECTED["de"]


def test_a_streaming_response_keeps_the_requests_language(templates: KidaTemplates) -> None:
    def page(request: Request) -> Response:
        return templates.StreamingTemplateResponse(request, "page.html", CONTEXT)

    assert client(page).get("/?lang=fr").text == EXPECTED["fr"]


def test_a_streamed_block_keeps_the_requests_language(templates: KidaTemplates) -> None:
    def part(request: Request) -> Response:
        return templates.StreamingTemplateResponse(
            request, "blocks.html", CONTEXT, block_name="body"
        )

    assert client(part).get("/?lang=fr").text == EXPECTED["fr"]


def test_translations_are_not_installed_on_the_shared_environment(
    templates: KidaTemplates,
) -> None:
    def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", CONTEXT)

    client(page).get("/?lang=fr")

    assert templates.get_template("page.html").render(CONTEXT) == EXPECTED["en"]


async def concurrent_pages(templates: KidaTemplates, streaming: bool) -> dict[str, str]:
    """The async page requested in French and German at once, by language."""
    rendezvous = asyncio.Barrier(2)

    async def meet() -> str:
        await rendezvous.wait()
        return "met"

    async def page(request: Request) -> Response:
        context = {"rendezvous": meet, **CONTEXT}
        if streaming:
            return templates.StreamingTemplateResponse(request, "async.html", context)
        return templates.TemplateResponse(request, "async.html", context)

    async with async_client(page) as http:
        french, german = await asyncio.gather(http.get("/?lang=fr"), http.get("/?lang=de"))
    return {"fr": french.text, "de": german.text}


async def test_concurrent_async_requests_in_french_and_german_never_mix(
    templates: KidaTemplates,
) -> None:
    pages = await concurrent_pages(templates, streaming=False)

    assert pages == {lang: f"{HELLO[lang]}|met|{EXPECTED[lang]}" for lang in ("fr", "de")}


async def test_concurrent_streaming_requests_in_french_and_german_never_mix(
    templates: KidaTemplates,
) -> None:
    pages = await concurrent_pages(templates, streaming=True)

    assert pages == {lang: f"{HELLO[lang]}|met|{EXPECTED[lang]}" for lang in ("fr", "de")}


def test_a_fastapi_app_picks_the_language_from_a_path_parameter(
    write_templates: WriteTemplates, catalogs: Catalogs
) -> None:
    folder = write_templates({"page.html": PAGE})
    templates = KidaTemplates(
        folder, translations=lambda request: catalogs[request.path_params["lang"]]
    )
    app = FastAPI()

    @app.get("/{lang}/")
    async def page(request: Request, lang: str) -> Response:
        return templates.TemplateResponse(request, "page.html", CONTEXT)

    assert TestClient(app).get("/de/").text == EXPECTED["de"]


def test_translations_must_be_a_function_of_the_request(
    write_templates: WriteTemplates, catalogs: Catalogs
) -> None:
    with pytest.raises(TypeError, match=r"translations\(request\)"):
        KidaTemplates(write_templates({}), translations=catalogs["fr"])
