"""The Babel extraction method ``kida`` (``kida.babel:extract``): called directly and by pybabel."""

from __future__ import annotations

import io
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.pofile import read_po

from kida.babel import extract
from kida_core.errors import TemplateSyntaxError


def run(
    source: str | bytes,
    keywords: object = DEFAULT_KEYWORDS,
    comment_tags: tuple[str, ...] = (),
    **options: str,
) -> list[tuple]:
    data = source.encode("utf-8") if isinstance(source, str) else source
    return list(extract(io.BytesIO(data), keywords, comment_tags, options))  # type: ignore[arg-type]


def test_registered_as_babel_extractor_kida() -> None:
    (entry,) = entry_points(group="babel.extractors", name="kida")
    assert entry.load() is extract


def test_trans_blocks_and_calls() -> None:
    source = (
        '{% trans %}Hello{% endtrans %}\n{{ _("Bye") }}\n'
        "{% trans count=n %}One{% plural %}{{ count }} many{% endtrans %}"
    )
    assert run(source) == [
        (1, "gettext", "Hello", []),
        (2, "_", "Bye", []),
        (3, "ngettext", ("One", "%(count)s many", None), []),
    ]


def test_context_messages() -> None:
    source = '{% trans "menu" %}Post{% endtrans %}{{ npgettext("c", "s", "p", n) }}'
    assert run(source) == [
        (1, "pgettext", ("menu", "Post"), []),
        (1, "npgettext", ("c", "s", "p", None), []),
    ]


def test_underscore_n_is_reported_as_ngettext() -> None:
    assert run('{{ _n("s", "p", n) }}') == [(1, "ngettext", ("s", "p", None), [])]


def test_underscore_n_keeps_its_name_when_it_is_a_keyword() -> None:
    keywords = {**DEFAULT_KEYWORDS, "_n": (1, 2)}
    assert run('{{ _n("s", "p", n) }}', keywords) == [(1, "_n", ("s", "p", None), [])]


def test_only_keywords_are_reported() -> None:
    source = '{{ _("a") }}{{ tr("b") }}{% trans %}c{% endtrans %}'
    assert run(source, {"tr": None}) == [(1, "tr", "b", [])]


def test_keywords_may_be_a_list_of_names() -> None:
    assert run('{{ tr("b") }}', ["tr"]) == [(1, "tr", "b", [])]


def test_translator_comments() -> None:
    source = '{# NOTE: shown on the button #}\n{{ _("Save") }}'
    assert run(source, comment_tags=("NOTE:",)) == [(2, "_", "Save", ["NOTE: shown on the button"])]


def test_comments_without_a_tag_are_not_reported() -> None:
    assert run('{# NOTE: x #}\n{{ _("Save") }}') == [(2, "_", "Save", [])]


def test_encoding_option() -> None:
    data = '{{ _("Grüße") }}'.encode("latin-1")
    assert run(data, encoding="latin-1") == [(1, "_", "Grüße", [])]


def test_filename_is_the_file_name() -> None:
    class Named(io.BytesIO):
        name = "emails/welcome.txt"

    with pytest.raises(TemplateSyntaxError) as info:
        list(extract(Named(b"{% if %}"), DEFAULT_KEYWORDS, [], {"silent": "false"}))
    assert "emails/welcome.txt" in str(info.value)


def test_unparsable_template_is_skipped_by_default() -> None:
    assert run('{{ _("a") }}{% if %}') == []


def test_silent_false_raises_the_syntax_error() -> None:
    with pytest.raises(TemplateSyntaxError):
        run("{% if %}", silent="false")


def test_custom_delimiters_with_jinja2_option_names() -> None:
    source = '<% trans %>Hi<% endtrans %>[[ _("x") ]]<# NOTE: c #>'
    options = {
        "block_start_string": "<%",
        "block_end_string": "%>",
        "variable_start_string": "[[",
        "variable_end_string": "]]",
        "comment_start_string": "<#",
        "comment_end_string": "#>",
    }
    assert run(source, comment_tags=("NOTE:",), **options) == [
        (1, "gettext", "Hi", ["NOTE: c"]),
        (1, "_", "x", []),
    ]


def test_custom_delimiters_with_kida_option_names() -> None:
    assert run('[[ _("x") ]]', variable_start="[[", variable_end="]]") == [(1, "_", "x", [])]


def test_line_statements_and_line_comments() -> None:
    source = '## NOTE: a\n# trans\nHi\n# endtrans\n{{ _("x") }}'
    options = {"line_statement_prefix": "#", "line_comment_prefix": "##"}
    assert run(source, comment_tags=("NOTE:",), **options) == [
        (2, "gettext", "Hi", ["NOTE: a"]),
        (5, "_", "x", []),
    ]


def test_jinja2_options_that_do_not_change_msgids_are_accepted() -> None:
    assert run('{{ _("x") }}', newstyle_gettext="true", trimmed="true") == [(1, "_", "x", [])]


def test_trimmed_false_is_an_error() -> None:
    with pytest.raises(ValueError, match="notrimmed"):
        run("x", trimmed="false")


def test_unknown_option_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"unknown option.*'variable_start_strin'"):
        run("x", variable_start_strin="[[")


def test_bad_flag_value_is_an_error() -> None:
    with pytest.raises(ValueError, match="'silent' must be true or false"):
        run("x", silent="maybe")


# -- through pybabel ------------------------------------------------------------------


def pybabel(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    templates = tmp_path / "templates" / "shop"
    templates.mkdir(parents=True)
    (templates / "cart.html").write_text(
        "{# NOTE: cart heading #}\n"
        "<h1>{% trans %}Your cart{% endtrans %}</h1>\n"
        "{% trans count=items|length %}One item{% plural %}{{ count }} items{% endtrans %}\n"
        '{{ _n("apple", "apples", n) }} {{ pgettext("button", "Buy") }}\n'
        '{% trans "menu" %}Cart{% endtrans %}\n',
        encoding="utf-8",
    )
    (templates / "broken.html").write_text("{% if %}", encoding="utf-8")
    (tmp_path / "babel.cfg").write_text(
        "[kida: templates/**.html]\nencoding = utf-8\n", encoding="utf-8"
    )
    return tmp_path


def test_pybabel_extract_writes_a_catalog(project: Path) -> None:
    result = pybabel(
        "extract", "-F", "babel.cfg", "-c", "NOTE:", "-o", "messages.pot", ".", cwd=project
    )
    assert result.returncode == 0, result.stderr
    with (project / "messages.pot").open("rb") as file:
        catalog = read_po(file)
    found = {(m.context, m.id): m for m in catalog if m.id}
    assert set(found) == {
        (None, "Your cart"),
        (None, ("One item", "%(count)s items")),
        (None, ("apple", "apples")),
        ("button", "Buy"),
        ("menu", "Cart"),
    }
    cart = found[(None, "Your cart")]
    assert cart.locations == [("templates/shop/cart.html", 2)]
    assert cart.auto_comments == ["NOTE: cart heading"]


def test_pybabel_extract_with_silent_false_stops_at_a_broken_template(project: Path) -> None:
    (project / "babel.cfg").write_text(
        "[kida: templates/**.html]\nsilent = false\n", encoding="utf-8"
    )
    result = pybabel("extract", "-F", "babel.cfg", "-o", "messages.pot", ".", cwd=project)
    assert result.returncode != 0
    assert "TemplateSyntaxError" in result.stderr or "Syntax Error" in result.stderr


def test_jinja2_extensions_option_is_accepted() -> None:
    assert run('{{ _("x") }}', extensions="jinja2.ext.i18n, jinja2.ext.loopcontrols") == [
        (1, "_", "x", [])
    ]


def test_unknown_extension_is_an_error() -> None:
    with pytest.raises(ValueError, match="not available"):
        run("x", extensions="jinja2.ext.do")


def test_trans_body_may_use_undeclared_names() -> None:
    assert run("{% trans %}Hi {{ user }}{% endtrans %}") == [(1, "gettext", "Hi %(user)s", [])]
