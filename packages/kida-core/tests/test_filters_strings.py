"""String and text filters."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kida_core.decorators import is_pure
from kida_core.environment import Environment
from kida_core.filters import DEFAULT_FILTERS
from kida_core.filters import strings as f
from kida_core.markup import Markup

ENV = Environment()


def test_upper() -> None:
    assert f.upper("Hello") == "HELLO"


def test_upper_converts_non_strings() -> None:
    assert f.upper(12) == "12"


def test_lower() -> None:
    assert f.lower("HeLLo") == "hello"


def test_upper_keeps_markup() -> None:
    result = f.upper(Markup("<b>x</b>"))
    assert isinstance(result, Markup)
    assert result == "<B>X</B>"


def test_capitalize() -> None:
    assert f.capitalize("hELLO world") == "Hello world"


def test_title() -> None:
    assert f.title("hello big-world") == "Hello Big-World"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello wORLD", "Hello World"),  # ASCII words between spaces
        ("a-b (c) [d] {e} <f>", "A-B (C) [D] {E} <F>"),  # hyphens and brackets start words
        ("x1y z", "X1y Z"),  # digits do not
        ("blue widget 12", "Blue Widget 12"),  # words and numbers
        ("12abc 3.5kg", "12abc 3.5kg"),  # a letter after a digit or dot stays lower
        ("e.g. x_y", "E.g. X_y"),
        ("'quoted' word", "'quoted' Word"),  # so does one after a quote
        ("\tab\ncd", "\tAb\nCd"),  # any whitespace separates
        ("\u01c6emal", "\u01c4emal"),  # first letters are upper-cased, not title-cased
        ("", ""),
    ],
)
def test_title_word_starts(text: str, expected: str) -> None:
    assert f.title(text) == expected


def test_title_does_not_split_on_apostrophe() -> None:
    assert f.title("they're here") == "They're Here"


def test_title_keeps_markup_and_entities() -> None:
    result = f.title(Markup("tom &amp; jerry"))
    assert isinstance(result, Markup)
    assert result == "Tom &amp; Jerry"


def test_trim_whitespace() -> None:
    assert f.trim("  hi \n") == "hi"


def test_trim_chars() -> None:
    assert f.trim("--hi--", "-") == "hi"


def test_strip_is_trim_alias() -> None:
    assert DEFAULT_FILTERS["strip"] is DEFAULT_FILTERS["trim"] is f.trim


def test_center() -> None:
    assert f.center("ab", 6) == "  ab  "


def test_center_default_width() -> None:
    assert len(f.center("x")) == 80


def test_indent_skips_first_line() -> None:
    assert f.indent("a\nb\nc") == "a\n    b\n    c"


def test_indent_first() -> None:
    assert f.indent("a\nb", 2, first=True) == "  a\n  b"


def test_indent_leaves_blank_lines() -> None:
    assert f.indent("a\n\nb", 2) == "a\n\n  b"


def test_indent_string_width() -> None:
    assert f.indent("a\nb", "> ") == "a\n> b"


def test_indent_keeps_markup() -> None:
    result = f.indent(Markup("<p>\n</p>"), 2)
    assert isinstance(result, Markup)
    assert result == "<p>\n  </p>"


def test_indent_escapes_string_prefix_for_markup() -> None:
    assert f.indent(Markup("a\nb"), "<>") == "a\n&lt;&gt;b"


def test_truncate_short_unchanged() -> None:
    assert f.truncate(ENV, "hello", 5) == "hello"


def test_truncate_cuts_at_word_boundary() -> None:
    assert f.truncate(ENV, "hello wonderful world", 15) == "hello..."


def test_truncate_killwords() -> None:
    assert f.truncate(ENV, "hello wonderful world", 10, killwords=True) == "hello w..."


def test_truncate_killwords_keeps_the_space_before_the_cut() -> None:
    assert f.truncate(ENV, "o'clock tomorrow", 9, killwords=True, end="…") == "o'clock …"


def test_truncate_custom_end() -> None:
    assert f.truncate(ENV, "hello wonderful world", 12, end="!") == "hello!"


def test_truncate_leeway_keeps_text_within_length_plus_leeway() -> None:
    assert f.truncate(ENV, "hello wonderful world", 15, leeway=6) == "hello wonderful world"


def test_truncate_leeway_defaults_to_zero() -> None:
    assert f.truncate(ENV, "hello world!", 11) == "hello..."


def test_truncate_leeway_default_comes_from_the_policy() -> None:
    env = Environment()
    env.policies["truncate.leeway"] = 5
    assert env.from_string("{{ 'hello world!' | truncate(11) }}").render() == "hello world!"


def test_truncate_default_length() -> None:
    text = "word " * 100
    assert len(f.truncate(ENV, text)) <= 255


def test_truncate_markup_counts_entities_as_one_char() -> None:
    result = f.truncate(ENV, Markup("a &amp; b &amp; c"), 6, killwords=True)
    assert isinstance(result, Markup)
    assert result == "a &amp;..."


def test_indent_blank_indents_empty_lines() -> None:
    assert f.indent("a\n\nb", 2, blank=True) == "a\n  \n  b"


def test_wordwrap_wrapstring() -> None:
    assert f.wordwrap("aaa bbb ccc", 7, wrapstring="<br>") == "aaa bbb<br>ccc"


def test_wordwrap_keeps_line_breaks() -> None:
    assert f.wordwrap("a b\nc", 79) == "a b\nc"


def test_wordwrap_break_on_hyphens_off() -> None:
    assert f.wordwrap("ab-cd-ef", 4, break_on_hyphens=False) == "ab-c\nd-ef"


def test_wordwrap() -> None:
    assert f.wordwrap("aaa bbb ccc", 7) == "aaa bbb\nccc"


def test_wordwrap_break_long_words() -> None:
    assert f.wordwrap("abcdefgh", 3) == "abc\ndef\ngh"
    assert f.wordwrap("abcdefgh", 3, break_long_words=False) == "abcdefgh"


def test_wordwrap_markup_is_not_double_escaped() -> None:
    result = f.wordwrap(Markup("a &amp; b"), 3)
    assert isinstance(result, Markup)
    assert result == "a &amp;\nb"


def test_wordcount() -> None:
    assert f.wordcount("one two\tthree\nfour") == 4


def test_wordcount_empty() -> None:
    assert f.wordcount("") == 0


def test_replace() -> None:
    assert f.replace("aaa", "a", "b") == "bbb"


def test_replace_count() -> None:
    assert f.replace("aaa", "a", "b", 2) == "bba"


def test_replace_count_as_string() -> None:
    assert f.replace("aaa", "a", "b", "1") == "baa"


def test_replace_on_markup_escapes_new() -> None:
    result = f.replace(Markup("<b>x</b>"), "x", "<i>")
    assert isinstance(result, Markup)
    assert result == "<b>&lt;i&gt;</b>"


def test_replace_markup_new_on_plain_value_escapes_value() -> None:
    result = f.replace("<x> y", "y", Markup("<i>y</i>"))
    assert result == "&lt;x&gt; <i>y</i>"


def test_format_positional() -> None:
    assert f.format("{} of {}", 1, 3) == "1 of 3"


def test_format_keywords() -> None:
    assert f.format("{name}!", name="Ann") == "Ann!"


def test_format_percent_style_positional() -> None:
    assert f.format("%s items", 3) == "3 items"


def test_format_percent_style_float() -> None:
    assert f.format("%.2f", 1.5) == "1.50"


def test_format_percent_style_keywords() -> None:
    assert f.format("%(n)d-%(s)s", n=1, s="x") == "1-x"


def test_format_percent_style_refuses_mixed_arguments() -> None:
    with pytest.raises(TypeError, match="not both"):
        f.format("%s", 1, x=2)


def test_format_percent_markup_escapes_arguments() -> None:
    assert f.format(Markup("<b>%s</b>"), "<i>") == "<b>&lt;i&gt;</b>"


def test_format_allows_literal_percent() -> None:
    assert f.format("{}% done", 50) == "50% done"


def test_format_markup_escapes_arguments() -> None:
    assert f.format(Markup("<b>{}</b>"), "<i>") == "<b>&lt;i&gt;</b>"


def test_striptags() -> None:
    result = f.striptags_filter("<p>Hello <b>world</b></p>")
    assert type(result) is str
    assert result == "Hello world"


def test_striptags_registered_name() -> None:
    assert DEFAULT_FILTERS["striptags"] is f.striptags_filter


def test_urlencode_string() -> None:
    assert f.urlencode("a b&c") == "a%20b%26c"


def test_urlencode_keeps_slash() -> None:
    assert f.urlencode("/a b/") == "/a%20b/"


def test_urlencode_dict_uses_form_encoding_for_spaces() -> None:
    assert f.urlencode({"q": "a b", "page": 2}) == "q=a+b&page=2"


def test_urlencode_pairs() -> None:
    assert f.urlencode([("a", "1"), ("b", "x/y")]) == "a=1&b=x%2Fy"


def test_urlencode_number() -> None:
    assert f.urlencode(42) == "42"


def test_slug() -> None:
    assert f.slug("  Hello, World! ") == "hello-world"


def test_slug_folds_accents() -> None:
    assert f.slug("Crème Brûlée") == "creme-brulee"


def test_slug_none() -> None:
    assert f.slug(None) == ""


def test_pluralize_one() -> None:
    assert f.pluralize(1) == ""


def test_pluralize_many() -> None:
    assert f.pluralize(2) == "s"
    assert f.pluralize(0) == "s"


def test_pluralize_custom_suffix() -> None:
    assert f.pluralize(3, "es") == "es"


def test_pluralize_singular_plural_pair() -> None:
    assert f.pluralize(1, "y,ies") == "y"
    assert f.pluralize(5, "y,ies") == "ies"


def test_pluralize_float() -> None:
    assert f.pluralize(1.5) == "s"


def test_pluralize_non_numeric_raises() -> None:
    with pytest.raises(TypeError, match=r"\| int"):
        f.pluralize("three")


def test_pluralize_none_is_the_plural_suffix() -> None:
    assert f.pluralize(None) == "s"
    assert f.pluralize(None, "y,ies") == "ies"


def test_pluralize_converts_numeric_strings() -> None:
    assert (f.pluralize("1"), f.pluralize("3"), f.pluralize("1.0")) == ("", "s", "")


def test_pluralize_strips_spaces_around_suffix_parts() -> None:
    assert (f.pluralize(1, " y , ies "), f.pluralize(2, " y , ies ")) == ("y", "ies")


def test_pluralize_in_a_template() -> None:
    template = Environment().from_string("{{ n }} bab{{ n | pluralize('y,ies') }}")
    assert [template.render(n=n) for n in ("1", None, 2)] == ["1 baby", " babies", "2 babies"]


def test_pluralize_too_many_commas() -> None:
    with pytest.raises(ValueError):
        f.pluralize(2, "a,b,c")


def test_string() -> None:
    assert f.string(42) == "42"


def test_string_none() -> None:
    assert f.string(None) == "None"


def test_string_keeps_markup() -> None:
    assert isinstance(f.string(Markup("<b>")), Markup)


def test_date_datetime() -> None:
    assert f.date(datetime(2024, 3, 5, 14, 30), "%Y-%m-%d %H:%M") == "2024-03-05 14:30"


def test_date_default_format() -> None:
    assert f.date(date(2024, 3, 5)) == "2024-03-05"


def test_date_epoch_seconds_utc() -> None:
    assert f.date(0, "%Y-%m-%d %H:%M") == "1970-01-01 00:00"
    assert f.date(86400.5) == "1970-01-02"


def test_date_iso_string() -> None:
    assert f.date("2024-03-05T10:00:00", "%d/%m/%Y") == "05/03/2024"


def test_date_none() -> None:
    assert f.date(None) == ""


def test_date_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        f.date([2024])


def test_date_rejects_bool() -> None:
    with pytest.raises(TypeError):
        f.date(True)


PURE_STRING_FILTERS = [
    "upper", "lower", "capitalize", "title", "trim", "center", "indent", "wordwrap",
    "urlencode", "string",
]  # fmt: skip


@pytest.mark.parametrize("name", PURE_STRING_FILTERS)
def test_pure_string_filters_are_marked(name: str) -> None:
    assert is_pure(DEFAULT_FILTERS[name])


@pytest.mark.parametrize("name", ["wordcount", "replace", "format", "slug", "pluralize", "date"])
def test_other_string_filters_not_marked_pure(name: str) -> None:
    assert not is_pure(DEFAULT_FILTERS[name])
