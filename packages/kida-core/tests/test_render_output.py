"""Rendering ``{{ }}`` output: escaping, Markup, coalescing, whitespace, comments, raw, delimiters.

Every test compiles a real template and asserts the exact rendered string.
"""

from __future__ import annotations

from typing import Any

import pytest

from kida_core import Environment, Markup


def render(source: str, /, env: Environment | None = None, **context: Any) -> str:
    env = env or Environment()  # keep a strong reference: templates hold their env weakly
    return env.from_string(source).render(**context)


# -- plain output ------------------------------------------------------------------


def test_text_without_tags_is_emitted_verbatim() -> None:
    assert render("Hello, world!\n  indented\t") == "Hello, world!\n  indented\t"


def test_output_renders_variable() -> None:
    assert render("Hello, {{ name }}!", name="Ada") == "Hello, Ada!"


def test_output_converts_numbers_to_text() -> None:
    assert render("{{ n }} {{ f }} {{ b }}", n=3, f=1.5, b=True) == "3 1.5 True"


def test_none_variable_renders_empty_string() -> None:
    assert render("[{{ x }}]", x=None) == "[]"


def test_none_literal_renders_empty_string() -> None:
    assert render("[{{ none }}][{{ None }}]") == "[][]"


def test_empty_template_renders_empty_string() -> None:
    assert render("") == ""


def test_objects_render_through_str() -> None:
    class Point:
        def __str__(self) -> str:
            return "(1, 2)"

    assert render("{{ p }}", p=Point()) == "(1, 2)"


# -- autoescape modes ----------------------------------------------------------------


def test_autoescape_is_on_by_default() -> None:
    assert render("{{ x }}", x="<a href=\"/\">'&'</a>") == (
        "&lt;a href=&quot;/&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    )


def test_autoescape_true_escapes_html() -> None:
    assert render("{{ x }}", env=Environment(autoescape=True), x="<b>") == "&lt;b&gt;"


def test_autoescape_html_string_escapes_html() -> None:
    assert render("{{ x }}", env=Environment(autoescape="html"), x="<b>") == "&lt;b&gt;"


def test_autoescape_false_outputs_raw_text() -> None:
    assert render("{{ x }}", env=Environment(autoescape=False), x="<b>&") == "<b>&"


def test_autoescape_false_still_renders_none_as_empty() -> None:
    assert render("[{{ x }}]", env=Environment(autoescape=False), x=None) == "[]"


def test_autoescape_callable_decides_per_template_name() -> None:
    env = Environment(autoescape=lambda name: name is not None and name.endswith(".html"))
    assert env.from_string("{{ x }}", name="page.html").render(x="<b>") == "&lt;b&gt;"
    assert env.from_string("{{ x }}", name="mail.txt").render(x="<b>") == "<b>"


def test_autoescape_callable_receives_none_for_anonymous_templates() -> None:
    seen: list[str | None] = []

    def policy(name: str | None) -> bool:
        seen.append(name)
        return True

    env = Environment(autoescape=policy)
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert seen == [None]


def test_invalid_autoescape_mode_is_rejected() -> None:
    with pytest.raises(ValueError, match="autoescape"):
        Environment(autoescape="xml")  # type: ignore[arg-type]


# -- Markup and escaping filters -------------------------------------------------------


def test_markup_is_not_escaped_again() -> None:
    assert render("{{ x }}", x=Markup("<b>bold</b>")) == "<b>bold</b>"


def test_object_with_dunder_html_is_trusted() -> None:
    class Widget:
        def __html__(self) -> str:
            return "<widget/>"

    assert render("{{ w }}", w=Widget()) == "<widget/>"


def test_safe_filter_marks_variable_trusted() -> None:
    assert render("{{ x | safe }}", x="<i>ok</i>") == "<i>ok</i>"


def test_safe_filter_on_literal() -> None:
    assert render("{{ '<hr>' | safe }}") == "<hr>"


def test_e_filter_escapes_even_without_autoescape() -> None:
    assert render("{{ x | e }}", env=Environment(autoescape=False), x="<b>") == "&lt;b&gt;"


def test_e_filter_is_not_doubled_by_autoescape() -> None:
    assert render("{{ x | e }}", x="<b>&") == "&lt;b&gt;&amp;"


def test_e_filter_keeps_markup_as_is() -> None:
    assert render("{{ x | e }}", x=Markup("<b>")) == "<b>"


def test_escape_filter_is_e() -> None:
    assert render("{{ x | escape }}", x="<b>") == "&lt;b&gt;"


# -- constants ----------------------------------------------------------------------


def test_string_constant_is_escaped_at_compile_time() -> None:
    assert render("{{ '<b>&' }}") == "&lt;b&gt;&amp;"


def test_string_constant_is_not_escaped_without_autoescape() -> None:
    assert render("{{ '<b>' }}", env=Environment(autoescape=False)) == "<b>"


def test_numeric_constant_output() -> None:
    assert render("{{ 42 }}|{{ 2.5 }}|{{ -7 }}") == "42|2.5|-7"


def test_boolean_constants_render_as_python_names() -> None:
    assert render("{{ true }} {{ False }}") == "True False"


def test_constant_with_backslash_renders_literally() -> None:
    assert render(r"{{ 'a\\b' }}") == "a\\b"


def test_constant_with_quote_is_escaped() -> None:
    assert render('{{ "it\'s" }}') == "it&#39;s"


def test_constant_with_braces_is_not_treated_as_format_field() -> None:
    assert render("{{ '{x}' }}{{ y }}{", y="}") == "{x}}{"


# -- f-string coalescing off ------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "context"),
    [
        ("Hello {{ name }}, you are {{ age }}!", {"name": "<Ada>", "age": 36}),
        ("{{ '<a>' }}{{ y }}{", {"y": "{"}),
        ("{% for x in xs %}[{{ x }}]{% end %}", {"xs": [1, "<2>", None]}),
        ("a\\b {{ m }} {{ '{{' }}", {"m": Markup("<i>")}),
    ],
)
def test_fstring_coalescing_off_gives_same_output(source: str, context: dict[str, Any]) -> None:
    on = Environment().from_string(source).render(context)
    off = Environment(fstring_coalescing=False).from_string(source).render(context)
    assert off == on


def test_fstring_coalescing_off_renders_expected_text() -> None:
    env = Environment(fstring_coalescing=False)
    assert render("<p>{{ a }}-{{ b }}</p>", env=env, a="<x>", b=2) == "<p>&lt;x&gt;-2</p>"


# -- whitespace control --------------------------------------------------------------


def test_dash_on_output_trims_surrounding_whitespace() -> None:
    assert render("a  \n {{- x -}} \n  b", x=1) == "a1b"


def test_dash_on_left_only_trims_before() -> None:
    assert render("a  {{- x }}  b", x=1) == "a1  b"


def test_dash_on_right_only_trims_after() -> None:
    assert render("a  {{ x -}}  b", x=1) == "a  1b"


def test_dash_on_block_tags_trims_newlines() -> None:
    source = "<ul>\n  {%- for x in xs %}\n  <li>{{ x }}</li>\n  {%- end %}\n</ul>"
    assert render(source, xs=[1, 2]) == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>"


def test_glued_dash_before_number_is_trim_not_negation() -> None:
    assert render("a {{-7}}") == "a7"


def test_spaced_minus_is_negation() -> None:
    assert render("a {{ -7 }}") == "a -7"


LIST_SOURCE = "<ul>\n  {% for x in xs %}\n  <li>{{ x }}</li>\n  {% end %}\n</ul>"


def test_without_trim_or_lstrip_block_lines_stay() -> None:
    assert render(LIST_SOURCE, xs=[1, 2]) == ("<ul>\n  \n  <li>1</li>\n  \n  <li>2</li>\n  \n</ul>")


def test_trim_blocks_drops_newline_after_block_tag() -> None:
    env = Environment(trim_blocks=True)
    assert render(LIST_SOURCE, env=env, xs=[1, 2]) == (
        "<ul>\n    <li>1</li>\n    <li>2</li>\n  </ul>"
    )


def test_lstrip_blocks_strips_indent_before_block_tag() -> None:
    env = Environment(lstrip_blocks=True)
    assert render(LIST_SOURCE, env=env, xs=[1, 2]) == (
        "<ul>\n\n  <li>1</li>\n\n  <li>2</li>\n\n</ul>"
    )


def test_trim_and_lstrip_blocks_together_give_clean_lines() -> None:
    env = Environment(trim_blocks=True, lstrip_blocks=True)
    assert render(LIST_SOURCE, env=env, xs=[1, 2]) == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>"


def test_trim_blocks_does_not_touch_output_tags() -> None:
    env = Environment(trim_blocks=True)
    assert render("{{ x }}\nnext", env=env, x=1) == "1\nnext"


# -- comments ------------------------------------------------------------------------


def test_comment_produces_nothing() -> None:
    assert render("a{# a comment #}b") == "ab"


def test_comment_may_contain_tags() -> None:
    assert render("a{# {{ missing }} {% if %} #}b") == "ab"


def test_multiline_comment_produces_nothing() -> None:
    assert render("a{#\n line one\n line two\n#}b") == "ab"


def test_comment_with_whitespace_control() -> None:
    assert render("a  {#- note -#}  b") == "ab"


# -- raw -----------------------------------------------------------------------------


def test_raw_block_emits_body_verbatim() -> None:
    assert render("{% raw %}{{ name }} {% if x %}{# c #}{% endraw %}") == (
        "{{ name }} {% if x %}{# c #}"
    )


def test_raw_block_closes_with_end() -> None:
    assert render("{% raw %}{{ y }}{% end %}!") == "{{ y }}!"


def test_raw_body_is_not_escaped() -> None:
    assert render("{% raw %}<b>{{ x }}</b>{% endraw %}") == "<b>{{ x }}</b>"


# -- custom delimiters -----------------------------------------------------------------


def test_custom_delimiters() -> None:
    env = Environment(
        variable_start="<<",
        variable_end=">>",
        block_start="[%",
        block_end="%]",
        comment_start="<#",
        comment_end="#>",
    )
    source = "[% for x in xs %]<< x >>,[% end %]<# hidden #>"
    assert render(source, env=env, xs=["<a>", 2]) == "&lt;a&gt;,2,"


def test_custom_delimiters_leave_default_syntax_as_text() -> None:
    env = Environment(variable_start="${", variable_end="}")
    assert render("{{ x }} ${ x }", env=env, x=1) == "{{ x }} 1"
