"""``kida extract``: a ``.pot`` from a directory of templates, run as ``python -m kida``."""

from __future__ import annotations

import gettext
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

HEADER = """\
# SOME DESCRIPTIVE TITLE.
# Copyright (C) YEAR THE PACKAGE'S COPYRIGHT HOLDER
# This file is distributed under the same license as the PACKAGE package.
# FIRST AUTHOR <EMAIL@ADDRESS>, YEAR.
#
msgid ""
msgstr ""
"POT-Creation-Date: DATE\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

"""
DATE_RE = re.compile(r'"POT-Creation-Date: (\d{4}-\d\d-\d\d \d\d:\d\d\+0000)\\n"')


def kida(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kida", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


def write(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def raw_pot(*args: str | Path) -> str:
    """The catalog ``kida extract`` prints."""
    result = kida("extract", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def pot(*args: str | Path) -> str:
    """The catalog ``kida extract`` prints, with the creation date replaced by ``DATE``."""
    return DATE_RE.sub('"POT-Creation-Date: DATE\\\\n"', raw_pot(*args))


def entries(text: str) -> str:
    """The catalog without its header."""
    assert text.startswith(HEADER)
    return text[len(HEADER) :]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write(
        tmp_path / "templates",
        {
            "page.html": '{{ _("Welcome") }}\n\n'
            "{% trans count=items|length %}One.{% plural %}{{ count }} items.{% endtrans %}",
            "other.html": '\n\n\n\n\n\n{{ _("Welcome") }}',
        },
    )


# -- the catalog ----------------------------------------------------------------------


def test_catalog_layout(site: Path) -> None:
    assert pot(site) == HEADER + (
        "#: other.html:7\n"
        "#: page.html:1\n"
        'msgid "Welcome"\n'
        'msgstr ""\n'
        "\n"
        "#: page.html:3\n"
        'msgid "One."\n'
        'msgid_plural "%(count)s items."\n'
        'msgstr[0] ""\n'
        'msgstr[1] ""\n'
        "\n"
    )


def test_creation_date_is_utc_minutes(site: Path) -> None:
    assert DATE_RE.search(kida("extract", site).stdout)


def test_empty_tree_gives_the_header_only(tmp_path: Path) -> None:
    text = pot(tmp_path)
    assert text == HEADER
    assert text.count("msgid") == 1


def test_message_context_is_written_as_msgctxt(tmp_path: Path) -> None:
    write(
        tmp_path, {"nav.html": '{% trans "menu" %}Post{% endtrans %}{{ pgettext("verb", "Post") }}'}
    )
    assert entries(pot(tmp_path)) == (
        '#: nav.html:1\nmsgctxt "menu"\nmsgid "Post"\nmsgstr ""\n\n'
        '#: nav.html:1\nmsgctxt "verb"\nmsgid "Post"\nmsgstr ""\n\n'
    )


def test_strings_are_escaped(tmp_path: Path) -> None:
    write(tmp_path, {"a.html": r'{{ _("say \"hi\" \\ bye\n") }}'})
    assert 'msgid "say \\"hi\\" \\\\ bye\\n"\n' in pot(tmp_path)


def test_same_msgid_in_singular_and_plural_is_one_entry_with_the_plural(tmp_path: Path) -> None:
    write(tmp_path, {"a.html": '{{ _("Item") }}\n{{ _n("Item", "Items", n) }}'})
    assert entries(pot(tmp_path)) == (
        '#: a.html:1\n#: a.html:2\nmsgid "Item"\nmsgid_plural "Items"\n'
        'msgstr[0] ""\nmsgstr[1] ""\n\n'
    )


def test_non_ascii_messages_are_written_as_utf8(tmp_path: Path) -> None:
    write(tmp_path, {"a.html": '{{ _("Grüße") }}'})
    output = tmp_path / "out" / "messages.pot"
    output.parent.mkdir()
    assert kida("extract", tmp_path, "-o", output).returncode == 0
    assert 'msgid "Grüße"' in output.read_text(encoding="utf-8")


# -- which files ----------------------------------------------------------------------


def test_default_extensions(tmp_path: Path) -> None:
    names = ["a.html", "b.kida", "c.txt", "d.xml", "e.j2", "f.htm"]
    write(tmp_path, {name: f'{{{{ _("{name}") }}}}' for name in names})
    assert re.findall(r'msgid "(.+)"', pot(tmp_path)) == ["a.html", "b.kida", "c.txt", "d.xml"]


def test_files_are_scanned_extension_by_extension_then_by_path(tmp_path: Path) -> None:
    write(
        tmp_path,
        {name: f'{{{{ _("{name}") }}}}' for name in ["z.txt", "b/a.html", "a.html", "m.txt"]},
    )
    assert re.findall(r"#: (\S+):1", pot(tmp_path)) == ["a.html", "b/a.html", "m.txt", "z.txt"]


def test_ext_replaces_the_default_list_and_gets_a_dot(tmp_path: Path) -> None:
    write(
        tmp_path, {"a.html": '{{ _("html") }}', "b.j2": '{{ _("j2") }}', "c.jinja": '{{ _("j") }}'}
    )
    assert re.findall(r'msgid "(.+)"', pot(tmp_path, "--ext", "j2", "--ext", ".jinja")) == [
        "j2",
        "j",
    ]


def test_unparsable_file_is_reported_and_skipped(tmp_path: Path) -> None:
    write(tmp_path, {"bad.html": "{% if %}", "good.html": '{{ _("ok") }}'})
    result = kida("extract", tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith("kida extract: bad.html: ")
    assert "K-PAR-" in result.stderr
    assert 'msgid "ok"' in result.stdout


def test_undecodable_file_is_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "latin1.html").write_bytes('{{ _("é") }}'.encode("latin-1"))
    result = kida("extract", tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith("kida extract: latin1.html: ")


def test_not_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    result = kida("extract", missing)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"kida extract: not a directory: {missing.resolve()}\n"


# -- output ---------------------------------------------------------------------------


def test_output_file_and_summary(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "messages.pot"
    result = kida("extract", site, "-o", output)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"Extracted 2 unique message(s) to {output}\n"
    assert output.read_text(encoding="utf-8").startswith("# SOME DESCRIPTIVE TITLE.\n")


def test_long_output_option(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "messages.pot"
    assert kida("extract", site, "--output", output).returncode == 0
    assert output.is_file()


def test_unwritable_output_is_a_usage_error(site: Path, tmp_path: Path) -> None:
    result = kida("extract", site, "-o", tmp_path / "no" / "such" / "dir.pot")
    assert result.returncode == 2
    assert "cannot write" in result.stderr


# -- options --------------------------------------------------------------------------


def test_keyword_adds_a_function(tmp_path: Path) -> None:
    write(tmp_path, {"a.html": '{{ tr("Save") }}{{ ptr("menu", "Post") }}{{ _("Hi") }}'})
    found = re.findall(r'msg(?:ctxt|id) "(.+)"', pot(tmp_path, "-k", "tr", "--keyword", "ptr:1c,2"))
    assert found == ["Save", "menu", "Post", "Hi"]


def test_malformed_keyword_is_a_usage_error(tmp_path: Path) -> None:
    result = kida("extract", tmp_path, "--keyword", "tr:x")
    assert result.returncode == 2
    assert "invalid keyword 'tr:x'" in result.stderr


def test_add_comments_writes_translator_comments(tmp_path: Path) -> None:
    write(tmp_path, {"a.html": '{# NOTE: on the home page #}\n{{ _("Home") }}\n{# other #}'})
    assert entries(pot(tmp_path, "--add-comments", "NOTE:")) == (
        '#. NOTE: on the home page\n#: a.html:2\nmsgid "Home"\nmsgstr ""\n\n'
    )


def test_comments_are_left_out_without_add_comments(tmp_path: Path) -> None:
    write(tmp_path, {"a.html": '{# NOTE: on the home page #}\n{{ _("Home") }}'})
    assert "#." not in pot(tmp_path)


def test_sort_output_orders_by_msgid(tmp_path: Path) -> None:
    write(tmp_path, {"a.html": '{{ _("b") }}{{ _("c") }}{{ _("a") }}'})
    assert re.findall(r'msgid "(.+)"', pot(tmp_path, "--sort-output")) == ["a", "b", "c"]


def test_no_location_leaves_out_references(site: Path) -> None:
    assert "#:" not in pot(site, "--no-location")


def test_extract_help() -> None:
    result = kida("extract", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: kida extract ")
    for option in ("--output", "--ext", "--keyword", "--add-comments", "--sort-output"):
        assert option in result.stdout


# -- gettext tools read the catalog ---------------------------------------------------


def test_catalog_reads_back_with_babel(site: Path) -> None:
    catalog = read_po(io.StringIO(raw_pot(site)))
    assert [m.id for m in catalog if m.id] == ["Welcome", ("One.", "%(count)s items.")]
    assert catalog["Welcome"].locations == [("other.html", 7), ("page.html", 1)]


def test_translated_catalog_compiles_to_mo_and_loads(site: Path) -> None:
    catalog = read_po(io.StringIO(raw_pot(site)), locale="de")
    catalog["Welcome"].string = "Willkommen"
    catalog[("One.")].string = ("Ein Ding.", "%(count)s Dinge.")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.gettext("Welcome") == "Willkommen"
    assert translations.ngettext("One.", "%(count)s items.", 3) == "%(count)s Dinge."


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")
def test_msgfmt_accepts_the_catalog(tmp_path: Path) -> None:
    write(
        tmp_path / "t",
        {
            "a.html": '{{ _("a") }}{{ _n("a", "as", n) }}{% trans "ctx" %}a{% endtrans %}'
            '{{ _("q\\"\\n\\\\") }}{% trans notrimmed %}\tx\n{% endtrans %}',
        },
    )
    output = tmp_path / "messages.pot"
    assert kida("extract", tmp_path / "t", "-o", output).returncode == 0
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "m.mo"), str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
