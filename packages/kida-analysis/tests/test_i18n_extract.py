"""Message extraction (``kida_analysis.i18n``): what is found, reported how, in which order."""

from __future__ import annotations

import pytest

from kida_analysis.i18n import (
    DEFAULT_KEYWORDS,
    ExtractedMessage,
    ExtractMessagesVisitor,
    extract_from_ast,
    extract_from_source,
    parse_keyword,
)
from kida_core.parser import parse


def messages(source: str, **keywords: tuple) -> list[tuple[int, str, object]]:
    found = extract_from_source(source, "page.html", keywords={**DEFAULT_KEYWORDS, **keywords})
    return [(m.lineno, m.function, m.message) for m in found]


# -- {% trans %} blocks ---------------------------------------------------------------


def test_trans_without_plural_is_a_gettext_message() -> None:
    assert messages("\n{% trans %}\n  Hello,\n  world!\n{% endtrans %}") == [
        (2, "gettext", "Hello, world!")
    ]


def test_trans_placeholders_are_part_of_the_msgid() -> None:
    source = "{% trans name=user.name %}Hello, {{ name }}!{% endtrans %}"
    assert messages(source) == [(1, "gettext", "Hello, %(name)s!")]


def test_trans_with_plural_is_an_ngettext_message() -> None:
    source = "{% trans count=items|length %}One item.{% plural %}{{ count }} items.{% endtrans %}"
    assert messages(source) == [(1, "ngettext", ("One item.", "%(count)s items."))]


def test_trans_with_context_is_a_pgettext_message() -> None:
    assert messages('{% trans "menu" %}Post{% endtrans %}') == [(1, "pgettext", ("menu", "Post"))]


def test_trans_with_context_and_plural_is_an_npgettext_message() -> None:
    source = '{% trans "menu" count=n %}Post{% plural %}Posts{% endtrans %}'
    assert messages(source) == [(1, "npgettext", ("menu", "Post", "Posts"))]


def test_trans_line_is_the_line_of_the_tag() -> None:
    source = "a\nb\n{% trans %}\n\nx\n{% endtrans %}"
    assert messages(source)[0][0] == 3


def test_calls_in_trans_bindings_are_found_after_the_block() -> None:
    source = '{% trans title=_("Home") %}Back to {{ title }}{% endtrans %}'
    assert messages(source) == [(1, "gettext", "Back to %(title)s"), (1, "gettext", "Home")]


def test_a_call_in_the_plural_selector_is_found_once() -> None:
    source = '{% trans count=_n("a", "b", 2)|length %}x{% plural %}y{% endtrans %}'
    assert messages(source) == [(1, "ngettext", ("x", "y")), (1, "ngettext", ("a", "b"))]


# -- calls ----------------------------------------------------------------------------


def test_underscore_call_with_a_string_literal() -> None:
    assert messages('{{ _("Hello") }}') == [(1, "gettext", "Hello")]


def test_underscore_n_call_gives_singular_and_plural() -> None:
    assert messages('{{ _n("One", "Many", n) }}') == [(1, "ngettext", ("One", "Many"))]


def test_gettext_globals_are_recognised() -> None:
    source = (
        '{{ gettext("a") }}{{ ngettext("b", "bs", n) }}'
        '{{ pgettext("ctx", "c") }}{{ npgettext("ctx", "d", "ds", n) }}'
    )
    assert messages(source) == [
        (1, "gettext", "a"),
        (1, "ngettext", ("b", "bs")),
        (1, "pgettext", ("ctx", "c")),
        (1, "npgettext", ("ctx", "d", "ds")),
    ]


@pytest.mark.parametrize(
    "call",
    [
        "_(msg)",
        "_(42)",
        '_("a" ~ b)',
        "_n(s, p, n)",
        '_n("s", p, n)',
        'pgettext(ctx, "m")',
    ],
)
def test_calls_with_non_literal_messages_are_skipped(call: str) -> None:
    assert messages("{{ " + call + " }}") == []


@pytest.mark.parametrize("call", ['_("a", "b")', "_()", '_n("s", "p")', 'pgettext("c", "m", 1)'])
def test_calls_with_the_wrong_number_of_arguments_are_skipped(call: str) -> None:
    assert messages("{{ " + call + " }}") == []


def test_a_call_with_star_args_is_skipped() -> None:
    assert messages('{{ _("a", *rest) }}') == []


def test_keyword_arguments_are_ignored() -> None:
    assert messages('{{ _("Hi %(name)s", name=user.name) }}') == [(1, "gettext", "Hi %(name)s")]


@pytest.mark.parametrize("call", ['obj._("x")', 'translate("x")', '"x" | gettext'])
def test_only_bare_keyword_names_are_calls_of_gettext(call: str) -> None:
    assert messages("{{ " + call + " }}") == []


def test_calls_nested_in_other_expressions_are_found() -> None:
    source = '{% for x in items | default([_("none")]) %}{{ x ~ f(_("inner")) }}{% end %}'
    assert [m[2] for m in messages(source)] == ["none", "inner"]


def test_calls_in_def_defaults_and_bodies_are_found() -> None:
    source = '{% def greet(msg=_("Hello")) %}{{ msg }} {{ _("there") }}{% end %}'
    assert [m[2] for m in messages(source)] == ["Hello", "there"]


def test_messages_come_in_document_order() -> None:
    source = '{{ _("b") }}\n{% block x %}{{ _("a") }}{% end %}\n{{ _("c") }}'
    assert [(m[0], m[2]) for m in messages(source)] == [(1, "b"), (2, "a"), (3, "c")]


def test_added_keyword_is_recognised() -> None:
    assert messages('{{ tr("Save") }}', tr=(1,)) == [(1, "gettext", "Save")]


def test_keyword_spec_picks_the_argument_positions() -> None:
    source = '{{ ptr(lang, "menu", "Post", "Posts", n) }}'
    assert messages(source, ptr=((2, "c"), 3, 4)) == [(1, "npgettext", ("menu", "Post", "Posts"))]


def test_keywords_replace_the_defaults() -> None:
    found = extract_from_source('{{ _("a") }}{{ tr("b") }}', keywords={"tr": (1,)})
    assert [m.message for m in found] == ["b"]


def test_trans_blocks_do_not_depend_on_keywords() -> None:
    found = extract_from_source("{% trans %}a{% endtrans %}", keywords={})
    assert [m.message for m in found] == ["a"]


# -- the visitor ----------------------------------------------------------------------


def test_visitor_reports_its_filename() -> None:
    found = ExtractMessagesVisitor("emails/welcome.txt").extract(parse('{{ _("Hi") }}'))
    assert found == [ExtractedMessage("emails/welcome.txt", 1, "gettext", "Hi")]


def test_visitor_default_filename() -> None:
    assert ExtractMessagesVisitor().extract(parse('{{ _("Hi") }}'))[0].filename == "<template>"


def test_visitor_is_reusable() -> None:
    visitor = ExtractMessagesVisitor()
    visitor.extract(parse('{{ _("first") }}'))
    assert [m.message for m in visitor.extract(parse('{{ _("second") }}'))] == ["second"]


def test_visitor_leaves_comments_empty() -> None:
    found = ExtractMessagesVisitor().extract(parse('{# NOTE: x #}{{ _("a") }}'))
    assert found[0].comments == ()


def test_extracted_message_parts() -> None:
    message = ExtractedMessage("t", 1, "npgettext", ("menu", "Post", "Posts"))
    assert (message.context, message.msgid, message.msgid_plural) == ("menu", "Post", "Posts")


def test_extracted_message_parts_without_context_or_plural() -> None:
    message = ExtractedMessage("t", 1, "gettext", "Hi")
    assert (message.context, message.msgid, message.msgid_plural) == (None, "Hi", None)


def test_extracted_message_is_frozen_and_slotted() -> None:
    message = ExtractedMessage("t", 1, "gettext", "Hi")
    assert not hasattr(message, "__dict__")
    with pytest.raises(AttributeError):
        message.lineno = 2  # type: ignore[misc]


# -- translator comments --------------------------------------------------------------


def comments(source: str, tags: tuple[str, ...] = ("NOTE:",)) -> list[tuple[str, ...]]:
    return [m.comments for m in extract_from_source(source, comment_tags=tags)]


def test_comment_on_the_preceding_line_is_attached() -> None:
    assert comments('{# NOTE: a greeting #}\n{{ _("Hello") }}') == [("NOTE: a greeting",)]


def test_comment_on_the_same_line_is_attached() -> None:
    assert comments('{{ _("Hello") }} {# NOTE: a greeting #}') == [("NOTE: a greeting",)]


def test_comment_two_lines_above_is_not_attached() -> None:
    assert comments('{# NOTE: far #}\n\n{{ _("Hello") }}') == [()]


def test_comment_without_a_tag_is_not_attached() -> None:
    assert comments('{# just a note #}\n{{ _("Hello") }}') == [()]


def test_comments_need_a_tag_to_be_collected() -> None:
    assert comments('{# NOTE: x #}{{ _("Hello") }}', tags=()) == [()]


def test_a_comment_goes_to_the_first_message_only() -> None:
    assert comments('{# NOTE: first #}\n{{ _("a") }}{{ _("b") }}') == [("NOTE: first",), ()]


def test_multiline_comment_ending_on_the_preceding_line() -> None:
    source = "{# NOTE: one\n  two #}\n{% trans %}Hi{% endtrans %}"
    assert comments(source) == [("NOTE: one\n  two",)]


def test_comment_tag_is_a_prefix() -> None:
    assert comments('{# NOTE: x #}{{ _("a") }}', tags=("NOTE",)) == [("NOTE: x",)]


def test_line_comments_are_translator_comments_too() -> None:
    from kida_core.lexer import LexerConfig

    source = '## NOTE: menu entry\n{{ _("Post") }}'
    found = extract_from_source(
        source, comment_tags=("NOTE:",), config=LexerConfig(line_comment_prefix="##")
    )
    assert found[0].comments == ("NOTE: menu entry",)


def test_comment_inside_raw_is_text_not_a_comment() -> None:
    source = '{% raw %}{# NOTE: no #}{% endraw %}\n{{ _("a") }}'
    assert comments(source) == [()]


# -- extract_from_ast (Jinja2's shape) ------------------------------------------------


def test_extract_from_ast_babel_style() -> None:
    source = (
        '{{ _("a") }}{{ _(x) }}{{ _("a", "b") }}{{ gettext("g", y=1) }}'
        '{{ npgettext("c", "s", "p", n) }}{{ _() }}'
    )
    assert list(extract_from_ast(parse(source))) == [
        (1, "_", "a"),
        (1, "_", None),
        (1, "_", ("a", "b")),
        (1, "gettext", ("g", None)),
        (1, "npgettext", ("c", "s", "p", None)),
        (1, "_", ()),
    ]


def test_extract_from_ast_without_babel_style_keeps_only_strings() -> None:
    source = '{{ _("a") }}{{ _(x) }}{{ gettext("g", y=1) }}{{ ngettext("s", "p", n) }}'
    assert list(extract_from_ast(parse(source), babel_style=False)) == [
        (1, "_", ("a",)),
        (1, "gettext", ("g",)),
        (1, "ngettext", ("s", "p")),
    ]


def test_extract_from_ast_trans_plural_has_a_placeholder_for_the_count() -> None:
    source = "{% trans count=n %}One{% plural %}{{ count }} many{% endtrans %}"
    assert list(extract_from_ast(parse(source))) == [
        (1, "ngettext", ("One", "%(count)s many", None))
    ]


def test_extract_from_ast_gettext_functions() -> None:
    source = '{{ _("a") }}{{ tr("b") }}'
    assert list(extract_from_ast(parse(source), gettext_functions=("tr",))) == [(1, "tr", "b")]


# -- keywords given as text -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tr", ("tr", (1,))),
        ("tr:2", ("tr", (2,))),
        ("ntr:1,2", ("ntr", (1, 2))),
        ("ptr:1c,2", ("ptr", ((1, "c"), 2))),
        ("nptr:1c, 2, 3", ("nptr", ((1, "c"), 2, 3))),
    ],
)
def test_parse_keyword(text: str, expected: tuple) -> None:
    assert parse_keyword(text) == expected


@pytest.mark.parametrize(
    "text", ["", "1tr", "tr:", "tr:0", "tr:a", "tr:1,1", "tr:1,2,3", "tr:1c,2c"]
)
def test_parse_keyword_rejects_malformed_specs(text: str) -> None:
    with pytest.raises(ValueError, match="invalid keyword"):
        parse_keyword(text)


def test_undeclared_trans_body_names_are_placeholders() -> None:
    assert messages("{% trans %}Hi {{ user }}!{% endtrans %}") == [(1, "gettext", "Hi %(user)s!")]
