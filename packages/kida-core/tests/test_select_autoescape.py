"""``select_autoescape`` decides by a template's real extension, past the engine suffix."""

from __future__ import annotations

from pathlib import Path

import pytest

from kida_core import select_autoescape
from kida_core.autoescape import real_extension
from kida_core.environment import Environment
from kida_loaders import FileSystemLoader

# -- the extension a name stands for -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("page.html", "html"),
        ("page.html.kida", "html"),
        ("email.txt.kida", "txt"),
        ("notes.md.kida", "md"),
        ("feed.xml.jinja", "xml"),
        ("feed.xml.jinja2", "xml"),
        ("icon.svg.j2", "svg"),
        ("pages/Index.HTML.KIDA", "html"),
        ("page.kida", None),
        ("README", None),
        ("a.html/readme", None),
        ("a.html/readme.kida", None),
        (".html", None),
        ("page.", None),
    ],
)
def test_real_extension(name: str, extension: str | None) -> None:
    assert real_extension(name) == extension


def test_only_one_engine_suffix_is_stripped() -> None:
    assert real_extension("page.html.kida.j2") == "kida"


# -- the policy ----------------------------------------------------------------------------------


def test_html_family_is_escaped_by_default() -> None:
    policy = select_autoescape()
    for name in ("a.html", "a.htm", "a.xml", "a.xhtml", "a.svg", "a.html.kida", "a.svg.j2"):
        assert policy(name) is True, name


def test_other_real_extensions_are_not_escaped_by_default() -> None:
    policy = select_autoescape()
    assert policy("email.txt.kida") is False
    assert policy("notes.md.kida") is False
    assert policy("data.json") is False


def test_a_name_without_real_extension_gets_default() -> None:
    assert select_autoescape()("page.kida") is False
    assert select_autoescape(default=True)("page.kida") is True
    assert select_autoescape(default=True)("partials/nav") is True


def test_a_dotted_directory_is_not_an_extension() -> None:
    assert select_autoescape()("a.html/readme") is False


def test_matching_ignores_case() -> None:
    policy = select_autoescape(["HTML"])
    assert policy("page.html") is True
    assert policy("PAGE.Html.Kida") is True


def test_extensions_may_be_given_with_their_dot() -> None:
    policy = select_autoescape([".html"], [".txt"], default=True)
    assert policy("page.html.kida") is True
    assert policy("mail.txt.kida") is False


def test_disabled_extensions_win_over_default() -> None:
    policy = select_autoescape(enabled_extensions=(), disabled_extensions=("txt",), default=True)
    assert policy("mail.txt") is False
    assert policy("page.html") is True


def test_enabled_extensions_are_checked_before_disabled_ones() -> None:
    assert select_autoescape(["html"], ["html"])("page.html") is True


def test_a_string_template_gets_default_for_string() -> None:
    assert select_autoescape()(None) is True
    assert select_autoescape(default_for_string=False)(None) is False


def test_a_bare_string_of_extensions_is_refused() -> None:
    with pytest.raises(TypeError, match=r"write \('html',\)"):
        select_autoescape("html")


@pytest.mark.parametrize("extension", ["html.kida", "", ".", "a/b"])
def test_an_extension_that_could_never_match_is_refused(extension: str) -> None:
    with pytest.raises(ValueError, match="give one extension"):
        select_autoescape([extension])


def test_an_engine_suffix_as_extension_is_refused() -> None:
    with pytest.raises(ValueError, match="engine suffix"):
        select_autoescape(disabled_extensions=["j2"])


# -- with an Environment -------------------------------------------------------------------------


def test_environment_select_autoescape_asks_the_policy() -> None:
    env = Environment(autoescape=select_autoescape())
    assert env.select_autoescape("page.html.kida") is True
    assert env.select_autoescape("notes.md.kida") is False
    assert env.select_autoescape(None) is True


def test_from_string_uses_default_for_string() -> None:
    env = Environment(autoescape=select_autoescape(default_for_string=False))
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"


@pytest.fixture
def env(tmp_path: Path) -> Environment:
    for name in ("page.html.kida", "notes.md.kida", "email.txt.kida", "page.kida"):
        (tmp_path / name).write_text("{{ x }}\n")
    (tmp_path / "a.html").mkdir()
    (tmp_path / "a.html" / "readme").write_text("{{ x }}\n")
    return Environment(loader=FileSystemLoader(tmp_path), autoescape=select_autoescape())


@pytest.mark.parametrize(
    ("name", "output"),
    [
        ("page.html.kida", "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"),
        ("notes.md.kida", "<b>Tom & Jerry</b>"),
        ("email.txt.kida", "<b>Tom & Jerry</b>"),
        ("page.kida", "<b>Tom & Jerry</b>"),
        ("a.html/readme", "<b>Tom & Jerry</b>"),
    ],
)
def test_files_render_escaped_by_their_real_extension(
    env: Environment, name: str, output: str
) -> None:
    assert env.get_template(name).render(x="<b>Tom & Jerry</b>") == output


def test_an_html_page_includes_a_markdown_partial_unescaped(tmp_path: Path) -> None:
    (tmp_path / "page.html.kida").write_text("<p>{{ x }}</p>{% include 'body.md.kida' %}")
    (tmp_path / "body.md.kida").write_text("*{{ x }}*")
    env = Environment(loader=FileSystemLoader(tmp_path), autoescape=select_autoescape())
    assert env.get_template("page.html.kida").render(x="a<b") == "<p>a&lt;b</p>*a<b*"
