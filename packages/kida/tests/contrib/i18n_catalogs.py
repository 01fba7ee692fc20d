"""Real French and German message catalogs for the adapters' i18n tests.

Each catalog is written as a ``.po`` file, compiled to ``.mo`` with Babel and
loaded back with the standard library's ``gettext`` (Django reads the same
``.mo`` files from ``LOCALE_PATHS``).
"""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

#: The template every i18n test renders: a simple message, bindings, a plural,
#: ``_()`` and a message with a context.
PAGE = (
    "{% trans %}Hello, world!{% endtrans %}"
    "|{% trans name=name %}Hello, {{ name }}!{% endtrans %}"
    "|{% trans count=count %}One item.{% plural %}{{ count }} items.{% endtrans %}"
    '|{{ _("Goodbye") }}'
    '|{{ pgettext("menu", "Post") }}'
)

PO_HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {language}\\n"
"Plural-Forms: {plural_forms}\\n"

"""

PO_MESSAGES = {
    "fr": """\
msgid "Hello, world!"
msgstr "Bonjour, le monde !"

msgid "Hello, %(name)s!"
msgstr "Bonjour, %(name)s !"

msgid "One item."
msgid_plural "%(count)s items."
msgstr[0] "Un article."
msgstr[1] "%(count)s articles."

msgid "Goodbye"
msgstr "Au revoir"

msgctxt "menu"
msgid "Post"
msgstr "Publier"
""",
    "de": """\
msgid "Hello, world!"
msgstr "Hallo, Welt!"

msgid "Hello, %(name)s!"
msgstr "Hallo, %(name)s!"

msgid "One item."
msgid_plural "%(count)s items."
msgstr[0] "Ein Artikel."
msgstr[1] "%(count)s Artikel."

msgid "Goodbye"
msgstr "Auf Wiedersehen"

msgctxt "menu"
msgid "Post"
msgstr "Veröffentlichen"
""",
}

PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "de": "nplurals=2; plural=(n != 1);"}

#: What :data:`PAGE` renders with ``name="Ada"`` and ``count=3``, per language.
EXPECTED = {
    "en": "Hello, world!|Hello, Ada!|3 items.|Goodbye|Post",
    "fr": "Bonjour, le monde !|Bonjour, Ada !|3 articles.|Au revoir|Publier",
    "de": "Hallo, Welt!|Hallo, Ada!|3 Artikel.|Auf Wiedersehen|Veröffentlichen",
}

LANGUAGES = ("fr", "de")


def write_catalogs(locale_dir: Path, domain: str) -> Path:
    """Write ``<locale_dir>/<lang>/LC_MESSAGES/<domain>.po`` and its ``.mo`` for fr and de."""
    for language in LANGUAGES:
        folder = locale_dir / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        header = PO_HEADER.format(language=language, plural_forms=PLURAL_FORMS[language])
        po = folder / f"{domain}.po"
        po.write_text(header + PO_MESSAGES[language], encoding="utf-8")
        with po.open("rb") as source:
            catalog = read_po(source)
        with (folder / f"{domain}.mo").open("wb") as target:
            write_mo(target, catalog)
    return locale_dir


def load_translations(locale_dir: Path, domain: str) -> dict[str, gettext.GNUTranslations]:
    """The compiled catalogs of :func:`write_catalogs`, loaded by ``gettext``, by language."""
    return {
        language: gettext.translation(domain, locale_dir, languages=[language])
        for language in LANGUAGES
    }
