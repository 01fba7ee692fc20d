"""Real catalogs for the i18n tests: ``.po`` text compiled to ``.mo`` with Babel."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

#: French and German catalogs: plain messages, plurals, a message context, markup.
CATALOGS: dict[str, str] = {
    "fr": r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "Hello, world!"
msgstr "Bonjour, le monde !"

msgid "Hello"
msgstr "Bonjour"

msgid "Hello, %(name)s!"
msgstr "Bonjour, %(name)s !"

msgid "<b>Bold</b>"
msgstr "<b>Gras</b>"

msgid "One item."
msgid_plural "%(count)s items."
msgstr[0] "%(count)s article."
msgstr[1] "%(count)s articles."

msgid "%(num)s apple"
msgid_plural "%(num)s apples"
msgstr[0] "%(num)s pomme"
msgstr[1] "%(num)s pommes"

msgctxt "menu"
msgid "Post"
msgstr "Publier"

msgid "Post"
msgstr "Article"

msgctxt "menu"
msgid "One post"
msgid_plural "%(count)s posts"
msgstr[0] "%(count)s publication"
msgstr[1] "%(count)s publications"
""",
    "de": r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Hello, world!"
msgstr "Hallo, Welt!"

msgid "Hello"
msgstr "Hallo"

msgid "Hello, %(name)s!"
msgstr "Hallo, %(name)s!"

msgid "One item."
msgid_plural "%(count)s items."
msgstr[0] "%(count)s Artikel."
msgstr[1] "%(count)s Artikel (viele)."
""",
}

Loader = Callable[[str], gettext.GNUTranslations]


def compile_catalog(tmp_path: Path, language: str) -> Path:
    """Write ``<language>.po`` and compile it to ``<language>.mo``; returns the .mo path."""
    po_path = tmp_path / f"{language}.po"
    po_path.write_text(CATALOGS[language], encoding="utf-8")
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    mo_path = tmp_path / f"{language}.mo"
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalog)
    return mo_path
