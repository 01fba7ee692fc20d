"""What ``{% trans %}`` escapes, per autoescape setting and the ``ext.i18n.trusted`` policy.

Without bindings the translation is escaped like any output; with bindings the
translation is trusted and each value is escaped (``__html__`` honoured). With
autoescape off nothing is escaped.
"""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment
from kida_core.markup import Markup

#: A catalog whose translations hold markup.
MESSAGES = {"Bold": "<b>Bold</b>", "Hi, %(name)s": "<i>Hi</i>, %(name)s"}


class HtmlValue:
    def __html__(self) -> str:
        return "<em>safe</em>"


def environment(*, autoescape: bool = True, trusted: bool = False) -> Environment:
    env = Environment(autoescape=autoescape)
    env.policies["ext.i18n.trusted"] = trusted
    env.install_gettext_callables(
        lambda message: MESSAGES.get(message, message),
        lambda singular, plural, n: singular if n == 1 else plural,
    )
    return env


SIMPLE = "{% trans %}Bold{% endtrans %}"
BOUND = "{% trans name=value %}Hi, {{ name }}{% endtrans %}"


@pytest.mark.parametrize(
    ("autoescape", "trusted", "expected"),
    [
        (True, False, "&lt;b&gt;Bold&lt;/b&gt;"),
        (True, True, "<b>Bold</b>"),
        (False, False, "<b>Bold</b>"),
    ],
)
def test_a_translation_without_bindings(autoescape: bool, trusted: bool, expected: str) -> None:
    env = environment(autoescape=autoescape, trusted=trusted)
    assert env.render_string(SIMPLE) == expected


def test_the_message_text_itself_is_escaped_without_bindings() -> None:
    assert Environment().render_string("{% trans %}<b>x</b>{% endtrans %}") == (
        "&lt;b&gt;x&lt;/b&gt;"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<script>", "<i>Hi</i>, &lt;script&gt;"),
        (Markup("<u>u</u>"), "<i>Hi</i>, <u>u</u>"),
        (HtmlValue(), "<i>Hi</i>, <em>safe</em>"),
        (None, "<i>Hi</i>, None"),
        (3, "<i>Hi</i>, 3"),
    ],
)
def test_with_bindings_the_translation_is_trusted_and_values_escaped(
    value: Any, expected: str
) -> None:
    assert environment().render_string(BOUND, value=value) == expected


def test_with_autoescape_off_nothing_is_escaped() -> None:
    rendered = environment(autoescape=False).render_string(BOUND, value="<script>")
    assert rendered == "<i>Hi</i>, <script>"


def test_with_autoescape_off_the_result_is_plain_text() -> None:
    template = environment(autoescape=False).from_string(BOUND)
    (chunk,) = [c for c in template.render_stream(value="a & b") if c]
    assert type(chunk) is str
    assert chunk == "<i>Hi</i>, a & b"


def test_an_autoescape_false_block_turns_escaping_off_for_trans() -> None:
    source = "{% autoescape false %}" + BOUND + SIMPLE + "{% endautoescape %}"
    assert environment().render_string(source, value="<x>") == "<i>Hi</i>, <x><b>Bold</b>"


def test_the_trusted_policy_keeps_escaping_binding_values() -> None:
    rendered = environment(trusted=True).render_string(BOUND, value="<x>")
    assert rendered == "<i>Hi</i>, &lt;x&gt;"
