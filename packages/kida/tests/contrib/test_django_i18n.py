"""The Django backend translates through ``django.utils.translation`` (the request's language)."""

from __future__ import annotations

import threading
import types
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template import engines
from django.test import Client
from django.urls import path
from django.utils import translation

from .conftest import UseTemplates, kida_settings
from .i18n_catalogs import EXPECTED, PAGE, write_catalogs

CONTEXT = {"name": "Ada", "count": 3}
HELLO = {"fr": "Bonjour, le monde !", "de": "Hallo, Welt!"}
#: Two messages with a pause between them: both requests of a concurrency test
#: are inside their render at the same time when they meet at the rendezvous.
RENDEZVOUS_PAGE = "{% trans %}Hello, world!{% endtrans %}|{{ rendezvous() }}|" + PAGE
MIDDLEWARE = [
    "django.middleware.locale.LocaleMiddleware",
]


def page(request: HttpRequest) -> HttpResponse:
    return render(request, "page.html", CONTEXT, using="kida")


def streamed(request: HttpRequest) -> StreamingHttpResponse:
    template = engines["kida"].get_template("page.html")
    return StreamingHttpResponse(template.render_stream(CONTEXT, request))


async def two() -> AsyncIterator[int]:
    for number in range(2):
        yield number


RENDEZVOUS = threading.Barrier(2, timeout=30)


def meet() -> str:
    RENDEZVOUS.wait()
    return "met"


def rendezvous_page(request: HttpRequest) -> HttpResponse:
    return render(request, "rendezvous.html", {"rendezvous": meet, **CONTEXT}, using="kida")


URLS = types.ModuleType("kida_django_i18n_test_urls")
URLS.urlpatterns = [
    path("page/", page),
    path("stream/", streamed),
    path("rendezvous/", rendezvous_page),
]


@pytest.fixture
def locale_dir(tmp_path: Path) -> Path:
    """French and German ``django.mo`` catalogs (Django's translation domain)."""
    return write_catalogs(tmp_path / "locale", "django")


@pytest.fixture
def use_kida(templates: Path, use_templates: UseTemplates, locale_dir: Path) -> Any:
    """``use_kida(**OPTIONS)``: the Kida engine with the catalogs and ``LocaleMiddleware``."""
    (templates / "page.html").write_text(PAGE)
    (templates / "rendezvous.html").write_text(RENDEZVOUS_PAGE)

    def use(use_i18n: bool = True, **options: Any) -> Any:
        use_templates(
            kida_settings([templates], OPTIONS=options),
            ROOT_URLCONF=URLS,
            LOCALE_PATHS=[str(locale_dir)],
            MIDDLEWARE=MIDDLEWARE,
            USE_I18N=use_i18n,
        )
        return engines["kida"]

    return use


def get(path: str, language: str) -> str:
    response = Client().get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_locale_middleware_picks_each_requests_language(use_kida: Any) -> None:
    use_kida()

    assert get("/page/", "fr") == EXPECTED["fr"]
    assert get("/page/", "de") == EXPECTED["de"]


def test_translation_override_translates_a_render(use_kida: Any) -> None:
    template = use_kida().get_template("page.html")

    with translation.override("de"):
        assert template.render(CONTEXT) == EXPECTED["de"]


def test_the_gettext_globals_follow_the_active_language(use_kida: Any, templates: Path) -> None:
    (templates / "globals.html").write_text(
        '{{ gettext("Goodbye") }} {{ _n("One item.", "%(count)s items.", 1) }}'
    )
    template = use_kida().get_template("globals.html")

    with translation.override("de"):
        assert template.render() == "Auf Wiedersehen Ein Artikel."


def test_an_environment_that_only_turns_newstyle_on_gets_djangos_functions(
    use_kida: Any, templates: Path
) -> None:
    (templates / "newstyle.html").write_text('{{ _("Hello, %(name)s!", name=name) }}')
    engine = use_kida(environment="kida_django_support.newstyle_environment")

    with translation.override("fr"):
        html = engine.get_template("newstyle.html").render({"name": "<Ada>"})

    assert html == "Bonjour, &lt;Ada&gt; !"


def test_the_i18n_option_false_leaves_the_environment_untranslated(use_kida: Any) -> None:
    template = use_kida(i18n=False).get_template("page.html")

    with translation.override("fr"):
        assert template.render(CONTEXT) == EXPECTED["en"]


def test_the_i18n_option_must_be_a_boolean(use_kida: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match="i18n"):
        use_kida(i18n="yes")


def test_without_use_i18n_nothing_is_installed(use_kida: Any) -> None:
    template = use_kida(use_i18n=False).get_template("page.html")

    with translation.override("fr"):
        assert template.render(CONTEXT) == EXPECTED["en"]


def test_an_environment_callable_that_installs_translations_keeps_them(
    use_kida: Any, templates: Path
) -> None:
    (templates / "hello.html").write_text("{% trans %}Hello, world!{% endtrans %}")
    engine = use_kida(environment="kida_django_support.shouting_translations_environment")

    with translation.override("fr"):
        assert engine.get_template("hello.html").render() == "HELLO, WORLD!"


def test_a_streaming_response_renders_in_the_requests_language(use_kida: Any) -> None:
    use_kida()

    response = Client().get("/stream/", headers={"Accept-Language": "de"})

    assert b"".join(response.streaming_content).decode() == EXPECTED["de"]


def test_a_stream_keeps_the_language_active_when_it_was_created(use_kida: Any) -> None:
    template = use_kida().get_template("page.html")
    with translation.override("de"):
        chunks: Iterator[str] = template.render_stream(CONTEXT)

    with translation.override("fr"):
        assert "".join(chunks) == EXPECTED["de"]
        assert translation.get_language() == "fr"


async def test_an_async_stream_keeps_the_language_active_when_it_was_created(
    use_kida: Any, templates: Path
) -> None:
    (templates / "async.html").write_text("{% async for n in numbers() %}" + PAGE + "{% end %}")
    template = use_kida().get_template("async.html")
    with translation.override("fr"):
        chunks: AsyncIterator[str] = template.render_stream_async({"numbers": two, **CONTEXT})

    with translation.override("de"):
        assert "".join([chunk async for chunk in chunks]) == EXPECTED["fr"] * 2


def test_concurrent_requests_in_french_and_german_never_mix(use_kida: Any) -> None:
    use_kida()
    RENDEZVOUS.reset()

    with ThreadPoolExecutor(max_workers=2) as pool:
        requests = {lang: pool.submit(get, "/rendezvous/", lang) for lang in ("fr", "de")}
        pages = {lang: request.result() for lang, request in requests.items()}

    assert pages == {lang: f"{HELLO[lang]}|met|{EXPECTED[lang]}" for lang in ("fr", "de")}
