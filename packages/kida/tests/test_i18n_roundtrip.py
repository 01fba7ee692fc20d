"""Round trip: the messages ``kida extract`` writes are the ones rendering looks up.

A catalog is built from the extracted ``.pot`` (every message translated),
compiled to ``.mo`` with Babel and loaded with the standard library's
``gettext``; every template then renders translated.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kida import Environment, FileSystemLoader
from kida.cli import main

TEMPLATES = {
    "page.html": (
        "<h1>{% trans %}\n  Welcome to\n  the shop\n{% endtrans %}</h1>\n"
        "{% trans name=user %}Hello, {{ name }}!{% endtrans %}\n"
        "{% trans count=items|length %}One item.{% plural %}{{ count }} items.{% endtrans %}\n"
        '{% trans "menu" %}Post{% endtrans %}\n'
        '{% trans "menu" count=n %}One post{% pluralize %}{{ count }} posts{% endtrans %}\n'
        '{{ _("Search") }} {{ _n("apple", "apples", n) }} {{ pgettext("verb", "Post") }}\n'
        '{% trans title=_("Home") %}Back to {{ title }}{% endtrans %}'
    ),
    "emails/notice.txt": (
        "{% def sign() %}{% trans %}Regards{% endtrans %}{% end %}"
        "{% for x in [1] %}{% trans notrimmed %} kept  as is {% endtrans %}{% end %}{{ sign() }}"
    ),
}
CONTEXT: dict[str, Any] = {"user": "Ada", "items": [1, 2, 3], "n": 2}


def translated(message: str) -> str:
    return f"<{message}>"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    for name, source in TEMPLATES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(source, encoding="utf-8")
    return root


@pytest.fixture
def catalog(site: Path, tmp_path: Path) -> Catalog:
    pot = tmp_path / "messages.pot"
    assert main(["extract", str(site), "-o", str(pot)]) == 0
    with pot.open("rb") as file:
        return read_po(file, locale="de")


def compiled(catalog: Catalog) -> gettext.GNUTranslations:
    """``catalog`` with every message translated, compiled to ``.mo`` and loaded."""
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(translated(part) for part in message.id)
        else:
            message.string = translated(message.id)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Recording:
    """Translations that record each (context, msgid) looked up."""

    def __init__(self, translations: gettext.GNUTranslations) -> None:
        self.translations = translations
        self.looked_up: set[tuple[str | None, str]] = set()

    def gettext(self, message: str) -> str:
        self.looked_up.add((None, message))
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.looked_up.add((None, singular))
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        self.looked_up.add((context, message))
        return self.translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        self.looked_up.add((context, singular))
        return self.translations.npgettext(context, singular, plural, n)


def render_all(site: Path, translations: Any) -> dict[str, str]:
    env = Environment(loader=FileSystemLoader(site))
    with env.use_translations(translations):
        return {name: env.get_template(name).render(CONTEXT) for name in TEMPLATES}


def test_extracted_msgids_are_the_msgids_looked_up(site: Path, catalog: Catalog) -> None:
    recording = Recording(compiled(catalog))
    render_all(site, recording)
    extracted = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog if m.id}
    assert recording.looked_up == extracted


def test_every_message_renders_translated(site: Path, catalog: Catalog) -> None:
    output = render_all(site, compiled(catalog))
    assert output["page.html"] == (
        "<h1>&lt;Welcome to the shop&gt;</h1>\n"
        "<Hello, Ada!>\n"
        "<3 items.>\n"
        "&lt;Post&gt;\n"
        "<2 posts>\n"
        "&lt;Search&gt; &lt;apples&gt; &lt;Post&gt;\n"
        "<Back to &lt;Home&gt;>"
    )
    # Autoescaped like any output: a trans without bindings escapes its translation.
    assert output["emails/notice.txt"] == "&lt; kept  as is &gt;&lt;Regards&gt;"
