"""Markup and HTML escaping."""

from __future__ import annotations

import pickle

import pytest

from kida_core.markup import Markup, escape, html_escape, striptags, unescape


class Html:
    """A third-party object that renders itself as trusted HTML."""

    def __html__(self) -> str:
        return "<em>trusted</em>"


class Formattable:
    """An object that knows how to format itself as HTML with a spec."""

    def __html__(self) -> str:
        return "<b>plain</b>"

    def __html_format__(self, spec: str) -> str:
        return f"<b>{spec}</b>"


# --- html_escape ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("'", "&#39;"),
        (
            "<a href=\"x\">Tom & 'Jerry'</a>",
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;",
        ),
    ],
)
def test_html_escape_table(raw: str, escaped: str) -> None:
    assert html_escape(raw) == escaped


def test_html_escape_removes_nul_bytes() -> None:
    assert html_escape("a\x00b") == "ab"
    assert html_escape("<\x00>") == "&lt;&gt;"


def test_html_escape_leaves_plain_text_alone() -> None:
    assert html_escape("Grüße aus Köln ☃") == "Grüße aus Köln ☃"


def test_html_escape_escapes_special_characters_among_non_latin_text() -> None:
    assert html_escape("日本 & <中文>") == "日本 &amp; &lt;中文&gt;"


def test_html_escape_stringifies_other_values() -> None:
    assert html_escape(42) == "42"
    assert html_escape(None) == "None"


def test_html_escape_passes_html_objects_through() -> None:
    assert html_escape(Html()) == "<em>trusted</em>"


def test_html_escape_does_not_escape_markup_twice() -> None:
    result = html_escape(Markup("&lt;b&gt;"))
    assert result == "&lt;b&gt;"
    assert type(result) is str


def test_html_escape_returns_plain_str_for_str_subclasses() -> None:
    class Sub(str):
        pass

    assert type(html_escape(Sub("<"))) is str


# --- escape / Markup construction ------------------------------------------------


def test_escape_returns_markup() -> None:
    assert escape("<b>") == Markup("&lt;b&gt;")
    assert type(escape("<b>")) is Markup


def test_escape_returns_markup_unchanged() -> None:
    safe = Markup("<b>")
    assert escape(safe) is safe


def test_escape_wraps_html_objects() -> None:
    assert escape(Html()) == Markup("<em>trusted</em>")


def test_markup_trusts_its_argument() -> None:
    assert str(Markup("<b>bold</b>")) == "<b>bold</b>"


def test_markup_uses_html_of_its_argument() -> None:
    assert Markup(Html()) == "<em>trusted</em>"


def test_markup_default_is_empty() -> None:
    assert Markup() == ""


def test_markup_decodes_bytes_with_encoding() -> None:
    assert Markup(b"<b>\xc3\xa9</b>", "utf-8") == "<b>é</b>"


def test_markup_escape_classmethod_escapes_text() -> None:
    assert Markup.escape("<i>") == "&lt;i&gt;"
    assert type(Markup.escape("<i>")) is Markup


def test_markup_escape_keeps_subclass_type() -> None:
    class Safe(Markup):
        pass

    assert type(Safe.escape("<")) is Safe


def test_markup_html_and_markdown_return_self() -> None:
    safe = Markup("<b>")
    assert safe.__html__() is safe
    assert safe.__markdown__() is safe


def test_markup_repr() -> None:
    assert repr(Markup("<b>")) == "Markup('<b>')"


def test_markup_pickles() -> None:
    clone = pickle.loads(pickle.dumps(Markup("<b>")))
    assert type(clone) is Markup
    assert clone == "<b>"


# --- arithmetic ------------------------------------------------------------------


def test_markup_plus_str_escapes_the_str() -> None:
    result = Markup("<b>") + "<i>"
    assert result == "<b>&lt;i&gt;"
    assert type(result) is Markup


def test_str_plus_markup_escapes_the_str() -> None:
    result = "<i>" + Markup("<b>")
    assert result == "&lt;i&gt;<b>"
    assert type(result) is Markup


def test_markup_plus_markup_concatenates() -> None:
    assert Markup("<b>") + Markup("</b>") == Markup("<b></b>")


def test_markup_plus_html_object_trusts_it() -> None:
    assert Markup("<p>") + Html() == "<p><em>trusted</em>"


def test_markup_plus_number_is_unsupported() -> None:
    with pytest.raises(TypeError):
        Markup("a") + 1  # type: ignore[operator]


def test_markup_repetition_keeps_the_type() -> None:
    assert type(Markup("<br>") * 2) is Markup
    assert 2 * Markup("<br>") == "<br><br>"


# --- %, format, join --------------------------------------------------------------


def test_percent_escapes_a_single_argument() -> None:
    assert Markup("<p>%s</p>") % "<x>" == "<p>&lt;x&gt;</p>"


def test_percent_escapes_tuple_arguments() -> None:
    assert Markup("%s|%s") % ("<", Markup("<b>")) == "&lt;|<b>"


def test_percent_escapes_mapping_values() -> None:
    assert Markup("%(name)s") % {"name": "<Tom>"} == "&lt;Tom&gt;"


def test_percent_escapes_repr_conversion() -> None:
    assert Markup("%r") % ("<",) == "&#39;&lt;&#39;"


def test_percent_keeps_numeric_formats() -> None:
    assert Markup("%d %.1f %x") % (3, 1.25, 255) == "3 1.2 ff"


def test_percent_returns_markup() -> None:
    assert type(Markup("%s") % "x") is Markup


def test_format_escapes_positional_and_keyword_arguments() -> None:
    result = Markup("<p>{0} {name}</p>").format("<a>", name="&")
    assert result == "<p>&lt;a&gt; &amp;</p>"
    assert type(result) is Markup


def test_format_keeps_markup_arguments() -> None:
    assert Markup("{0}").format(Markup("<b>")) == "<b>"


def test_format_applies_specs_before_escaping() -> None:
    assert Markup("[{0:>4}]").format("<") == "[   &lt;]"


def test_format_escapes_repr_conversion() -> None:
    assert Markup("{0!r}").format("<") == "&#39;&lt;&#39;"


def test_format_uses_html_format_for_specs() -> None:
    assert Markup("{0:wide}").format(Formattable()) == "<b>wide</b>"


def test_format_rejects_spec_on_html_object_without_html_format() -> None:
    with pytest.raises(ValueError, match="__html_format__"):
        Markup("{0:>9}").format(Html())


def test_format_map_escapes_values() -> None:
    assert Markup("{x}").format_map({"x": "<"}) == "&lt;"


def test_join_escapes_items() -> None:
    result = Markup("<br>").join(["<a>", Markup("<b>")])
    assert result == "&lt;a&gt;<br><b>"
    assert type(result) is Markup


# --- string methods -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda m: m.upper(), "<B>X</B>"),
        (lambda m: m.lower(), "<b>x</b>"),
        (lambda m: m.title(), "<B>X</B>"),
        (lambda m: m.capitalize(), "<b>x</b>"),
        (lambda m: m.swapcase(), "<B>x</B>"),
        (lambda m: m.zfill(10), "00<b>X</b>"),
        (lambda m: m[0:3], "<b>"),
        (lambda m: m.removeprefix("x"), "<b>X</b>"),
    ],
)
def test_string_methods_return_markup(call, expected: str) -> None:
    result = call(Markup("<b>X</b>"))
    assert result == expected
    assert type(result) is Markup


def test_strip_family_returns_markup() -> None:
    assert type(Markup("  <b> ").strip()) is Markup
    assert Markup("xx<b>xx").lstrip("x") == "<b>xx"
    assert Markup("xx<b>xx").rstrip("x") == "xx<b>"


def test_replace_escapes_old_and_new() -> None:
    result = Markup("Tom &amp; Jerry").replace("&", "<and>")
    assert result == "Tom &lt;and&gt; Jerry"
    assert type(result) is Markup


def test_split_returns_list_of_markup() -> None:
    parts = Markup("a&amp;b<br>c").split("&")
    assert parts == ["a", "b<br>c"]
    assert all(type(part) is Markup for part in parts)


def test_rsplit_and_splitlines_return_markup() -> None:
    assert Markup("a b c").rsplit(None, 1) == ["a b", "c"]
    assert all(type(line) is Markup for line in Markup("<p>\n<q>").splitlines())


def test_partition_escapes_separator() -> None:
    head, sep, tail = Markup("a &lt; b").partition("<")
    assert (head, sep, tail) == ("a ", "&lt;", " b")
    assert type(tail) is Markup
    assert type(Markup("a-b").rpartition("-")[0]) is Markup


def test_padding_returns_markup() -> None:
    assert Markup("<b>").center(7, "*") == "**<b>**"
    assert type(Markup("x").ljust(3)) is Markup
    assert Markup("x").rjust(3, ".") == "..x"


def test_padding_rejects_fill_characters_that_need_escaping() -> None:
    with pytest.raises(TypeError):
        Markup("x").center(5, "<")


def test_expandtabs_returns_markup() -> None:
    assert type(Markup("a\tb").expandtabs(2)) is Markup


def test_removesuffix_escapes_suffix() -> None:
    assert Markup("x&lt;").removesuffix("<") == "x"


# --- striptags / unescape ---------------------------------------------------------


def test_striptags_removes_tags_and_comments_and_collapses_whitespace() -> None:
    html = Markup("<!-- note -->\n<p>Hello   <b>World</b>\n</p>")
    assert html.striptags() == "Hello World"


def test_striptags_decodes_entities_into_plain_text() -> None:
    result = Markup("<p>Tom &amp; Jerry &lt;3</p>").striptags()
    assert result == "Tom & Jerry <3"
    assert type(result) is str


def test_striptags_result_is_escaped_again_on_output() -> None:
    text = Markup("&lt;script&gt;").striptags()
    assert escape(text) == "&lt;script&gt;"


def test_striptags_removes_multiline_comments() -> None:
    assert striptags("a<!--\n<b>\n-->b") == "ab"


def test_module_striptags_accepts_plain_strings() -> None:
    assert striptags("<i>x</i> &amp; y") == "x & y"


def test_unescape_returns_plain_str() -> None:
    result = Markup("&lt;b&gt; &amp; &#39;").unescape()
    assert result == "<b> & '"
    assert type(result) is str


def test_unescape_of_text_without_entities_is_plain_str() -> None:
    assert type(Markup("abc").unescape()) is str


def test_module_unescape_uses_html_of_objects() -> None:
    assert unescape(Markup("&amp;")) == "&"
    assert unescape("&gt;") == ">"
