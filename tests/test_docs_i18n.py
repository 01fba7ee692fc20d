"""Every template example of the i18n guide (docs/i18n.md) renders what the page says.

The page's ``jinja`` blocks render with the French catalog below; a block is
followed by an ``html`` block titled ``Output`` holding what it renders. A
block whose title mentions newstyle renders with newstyle gettext. The
complete Python programs of the page (the first example, the Flask app) run
against the same catalogs.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from kida.contrib.flask import render_template
from kida.contrib.starlette import KidaTemplates
from kida_core.environment import Environment
from kida_loaders import FileSystemLoader

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "i18n.md").read_text(encoding="utf-8")

FRENCH_PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Hello, world!"
msgstr "Bonjour, le monde !"

msgid "Welcome back."
msgstr "Bon retour parmi nous."

msgid "Hello, %(name)s! Welcome to %(shop)s."
msgstr "Bonjour, %(name)s ! Bienvenue chez %(shop)s."

msgid "Search"
msgstr "Rechercher"

msgid "Save"
msgstr "Enregistrer"

msgid "One file"
msgid_plural "Several files"
msgstr[0] "Un fichier"
msgstr[1] "Plusieurs fichiers"

msgid "Hello, %(name)s!"
msgstr "Bonjour, %(name)s !"

msgid "%(num)d apple"
msgid_plural "%(num)d apples"
msgstr[0] "%(num)d pomme"
msgstr[1] "%(num)d pommes"

msgid "One item in your cart."
msgid_plural "%(count)s items in your cart."
msgstr[0] "Un article dans votre panier."
msgstr[1] "%(count)s articles dans votre panier."

msgid "One line, %(total)s EUR."
msgid_plural "%(n)s lines, %(total)s EUR."
msgstr[0] "Une ligne, %(total)s EUR."
msgstr[1] "%(n)s lignes, %(total)s EUR."

msgctxt "verb"
msgid "Post"
msgstr "Publier"

msgctxt "noun"
msgid "Post"
msgstr "Article"

msgid "Your order has been received and will ship tomorrow."
msgstr "Votre commande a été reçue et partira demain."

msgid "Terms & conditions"
msgstr "Conditions générales & mentions"

msgid "Read our <a href=\"%(url)s\">terms</a>."
msgstr "Lisez nos <a href=\"%(url)s\">conditions</a>."

msgid "100% organic"
msgstr "100 % bio"

msgid "%(percent)s%% off today"
msgstr "%(percent)s %% de remise aujourd'hui"
"""

#: The variables the examples use.
CONTEXT: dict[str, Any] = {
    "user": {"name": "ada"},
    "shop_name": "Kida & Co",
    "files": ["a.txt", "b.txt"],
    "apples": ["golden", "gala", "fuji"],
    "items": [1, 2, 3],
    "cart": {"lines": ["tea", "cups"], "total": "19.90"},
    "terms_url": "/terms?lang=fr&v=2",
    "discount": 20,
}

FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _examples() -> list[tuple[str, str, str]]:
    """``(title, template, expected output)`` of each template block of the page."""
    blocks = FENCE.findall(PAGE)
    examples = []
    for index, (language, attributes, body) in enumerate(blocks):
        if language != "jinja":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else ("", "", "")
        assert following[:2] == ("html", ' title="Output"'), f"no Output block after {body!r}"
        examples.append((attributes, body, following[2]))
    return examples


EXAMPLES = _examples()


GERMAN_PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: de\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Hello, world!"
msgstr "Hallo, Welt!"
"""


@pytest.fixture(scope="module")
def locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``locale/<lang>/LC_MESSAGES/messages.mo`` for fr and de, compiled by Babel."""
    locale = tmp_path_factory.mktemp("docs") / "locale"
    for language, po in (("fr", FRENCH_PO), ("de", GERMAN_PO)):
        folder = locale / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text(po, encoding="utf-8")
        with (folder / "messages.po").open("rb") as source:
            catalog = read_po(source)
        with (folder / "messages.mo").open("wb") as target:
            write_mo(target, catalog)
    return locale


def test_the_page_has_template_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(("title", "source", "expected"), EXAMPLES)
def test_a_template_example_renders_its_output(
    locale_dir: Path, title: str, source: str, expected: str
) -> None:
    env = Environment(autoescape=True)
    french = gettext.translation("messages", locale_dir, languages=["fr"])
    env.install_gettext_translations(french, newstyle="newstyle" in title)

    assert env.from_string(source).render(CONTEXT) == expected.rstrip("\n")


def _python_example(containing: str) -> str:
    """The page's ``python`` block that contains ``containing``."""
    return next(
        body
        for language, _, body in FENCE.findall(PAGE)
        if language == "python" and containing in body
    )


def test_the_flask_example_serves_each_request_in_its_language(
    locale_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("{% trans %}Hello, world!{% end %}")
    (tmp_path / "locale").symlink_to(locale_dir)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "docs_i18n_example"}
    exec(_python_example("init_kida(app, translations="), namespace)
    app = namespace["app"]
    app.add_url_rule("/", view_func=lambda: render_template("page.html"))
    client = app.test_client()

    assert client.get("/", headers={"Accept-Language": "de"}).text == "Hallo, Welt!"
    assert client.get("/", headers={"Accept-Language": "fr-CA,fr"}).text == "Bonjour, le monde !"
    assert client.get("/", headers={"Accept-Language": "en"}).text == "Hello, world!"


def test_the_first_python_example_translates_as_its_comment_says(
    locale_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = next(body for language, _, body in FENCE.findall(PAGE) if language == "python")
    *statements, last = ast.parse(code).body
    assert isinstance(last, ast.Expr)
    comment = code.rstrip("\n").rsplit("# ", 1)[1]
    monkeypatch.chdir(locale_dir.parent)
    namespace: dict[str, Any] = {}

    exec(compile(ast.Module(statements, []), "i18n.md", "exec"), namespace)

    assert eval(compile(ast.Expression(last.value), "i18n.md", "eval"), namespace) == (
        ast.literal_eval(comment)
    )


def _catalogs(locale_dir: Path) -> dict[str, gettext.GNUTranslations]:
    return {
        language: gettext.translation("messages", locale_dir, languages=[language])
        for language in ("fr", "de")
    }


def test_the_use_translations_example_renders_in_the_requests_language(
    locale_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "page.html").write_text("{% trans name=user %}Hello, {{ name }}!{% end %}")
    env = Environment(loader=FileSystemLoader(tmp_path))
    namespace: dict[str, Any] = {
        "env": env,
        "request": "a French request",
        "translations_for": lambda request: _catalogs(locale_dir)["fr"],
        "user": "Ada",
    }

    exec(_python_example("with env.use_translations("), namespace)

    assert namespace["html"] == "Bonjour, Ada !"


def test_the_starlette_example_picks_the_language_from_the_path(
    locale_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("{% trans %}Hello, world!{% end %}")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"KidaTemplates": KidaTemplates, "CATALOGS": _catalogs(locale_dir)}
    exec(_python_example("KidaTemplates(\n"), namespace)
    templates = namespace["templates"]

    def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    client = TestClient(Starlette(routes=[Route("/{lang}/", page), Route("/", page)]))

    assert client.get("/de/").text == "Hallo, Welt!"
    assert client.get("/").text == "Hello, world!"
