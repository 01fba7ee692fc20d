"""``init_kida(app, translations=...)``: each Flask request renders in its own language."""

from __future__ import annotations

import gettext
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask, Response, g, request

from kida.contrib.flask import (
    init_kida,
    render_block,
    render_template,
    render_template_string,
    stream_template,
    stream_template_string,
)

from .i18n_catalogs import EXPECTED, PAGE, load_translations, write_catalogs

WriteTemplates = Callable[..., Path]

#: Two messages with a pause between them: both requests of a concurrency test
#: are inside their render at the same time when they meet at the rendezvous.
RENDEZVOUS_PAGE = "{% trans %}Hello, world!{% endtrans %}|{{ rendezvous() }}|" + PAGE


@pytest.fixture
def catalogs(tmp_path: Path) -> dict[str, gettext.GNUTranslations]:
    return load_translations(write_catalogs(tmp_path / "locale", "messages"), "messages")


@pytest.fixture
def app(
    tmp_path: Path, write_templates: WriteTemplates, catalogs: dict[str, gettext.GNUTranslations]
) -> Flask:
    """An app choosing the catalog from ``Accept-Language`` (English: the Environment's)."""
    write_templates(
        {
            "page.html": PAGE,
            "blocks.html": "{% block body %}" + PAGE + "{% end %}",
            "rendezvous.html": RENDEZVOUS_PAGE,
        }
    )
    app = Flask(__name__, root_path=str(tmp_path))
    app.config.update(TESTING=True)

    def translations() -> gettext.GNUTranslations | None:
        language = request.accept_languages.best_match(list(catalogs))
        return catalogs.get(language) if language else None

    init_kida(app, translations=translations)
    return app


def get(app: Flask, path: str, language: str) -> str:
    response = app.test_client().get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, response.text
    return response.text


def test_render_template_renders_in_the_requests_language(app: Flask) -> None:
    app.add_url_rule("/", view_func=lambda: render_template("page.html", name="Ada", count=3))

    assert get(app, "/", "fr") == EXPECTED["fr"]
    assert get(app, "/", "de") == EXPECTED["de"]


def test_a_request_without_translations_renders_the_environments_messages(app: Flask) -> None:
    app.add_url_rule("/", view_func=lambda: render_template("page.html", name="Ada", count=3))

    assert get(app, "/", "en") == EXPECTED["en"]


def test_render_template_string_renders_in_the_requests_language(app: Flask) -> None:
    app.add_url_rule("/", view_func=lambda: render_template_string(PAGE, name="Ada", count=3))

    assert get(app, "/", "de") == EXPECTED["de"]


def test_render_block_renders_in_the_requests_language(app: Flask) -> None:
    app.add_url_rule(
        "/", view_func=lambda: render_block("blocks.html", "body", name="Ada", count=3)
    )

    assert get(app, "/", "fr") == EXPECTED["fr"]


def test_a_streamed_template_keeps_the_requests_language(app: Flask) -> None:
    app.add_url_rule(
        "/", view_func=lambda: Response(stream_template("page.html", name="Ada", count=3))
    )

    assert get(app, "/", "fr") == EXPECTED["fr"]


def test_a_streamed_string_template_keeps_the_requests_language(app: Flask) -> None:
    app.add_url_rule(
        "/", view_func=lambda: Response(stream_template_string(PAGE, name="Ada", count=3))
    )

    assert get(app, "/", "de") == EXPECTED["de"]


def test_a_stream_consumed_after_the_view_returned_keeps_its_language(
    app: Flask, catalogs: dict[str, gettext.GNUTranslations]
) -> None:
    with app.test_request_context(headers={"Accept-Language": "de"}):
        chunks = stream_template("page.html", name="Ada", count=3)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert "".join(chunks) == EXPECTED["de"]


def test_the_translations_callable_may_read_flask_g(
    tmp_path: Path, write_templates: WriteTemplates, catalogs: dict[str, gettext.GNUTranslations]
) -> None:
    write_templates({"page.html": PAGE})
    app = Flask(__name__, root_path=str(tmp_path))
    init_kida(app, translations=lambda: catalogs[g.lang])

    @app.route("/<lang>/")
    def page(lang: str) -> str:
        g.lang = lang
        return render_template("page.html", name="Ada", count=3)

    assert app.test_client().get("/de/").text == EXPECTED["de"]


def test_translations_are_not_installed_on_the_shared_environment(app: Flask) -> None:
    app.add_url_rule("/", view_func=lambda: render_template("page.html", name="Ada", count=3))
    get(app, "/", "fr")

    assert app.kida_env.get_template("page.html").render(name="Ada", count=3) == EXPECTED["en"]


def test_concurrent_requests_in_french_and_german_never_mix(app: Flask) -> None:
    rendezvous = threading.Barrier(2, timeout=30)

    def meet() -> str:
        rendezvous.wait()
        return "met"

    app.add_url_rule(
        "/",
        view_func=lambda: render_template("rendezvous.html", rendezvous=meet, name="Ada", count=3),
    )
    hello = {"fr": "Bonjour, le monde !", "de": "Hallo, Welt!"}

    with ThreadPoolExecutor(max_workers=2) as pool:
        requests = {lang: pool.submit(get, app, "/", lang) for lang in ("fr", "de")}
        pages = {lang: request.result() for lang, request in requests.items()}

    assert pages == {lang: f"{hello[lang]}|met|{EXPECTED[lang]}" for lang in ("fr", "de")}


def test_translations_must_be_a_function_not_a_catalog(
    tmp_path: Path, catalogs: dict[str, gettext.GNUTranslations]
) -> None:
    app = Flask(__name__, root_path=str(tmp_path))

    with pytest.raises(TypeError, match="install_gettext_translations"):
        init_kida(app, translations=catalogs["fr"])
