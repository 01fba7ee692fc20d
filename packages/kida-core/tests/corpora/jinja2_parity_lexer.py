"""Differential corpus for the lexer's Jinja2 parity: whitespace control, newlines,
number literals, line statements and line comments, and ``{% autoescape %}``.

Each :class:`LexerCase` carries the Environment ``options`` given to both engines
(the same keyword names in Kida and Jinja2, except the delimiters, which no case
here changes). The whitespace matrix crosses ``trim_blocks`` and ``lstrip_blocks``
with every template of :data:`WHITESPACE_SOURCES` and their CRLF spellings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kida_core_differential_corpus import Case


@dataclass(frozen=True)
class LexerCase(Case):
    """A differential case rendered with the same Environment ``options`` in both engines."""

    options: dict[str, Any] = field(default_factory=dict)


#: Templates probing ``-``/``+`` modifiers on block tags, comments, output tags and raw.
WHITESPACE_SOURCES: dict[str, str] = {
    "block_lines": "<ul>\n  {% for i in seq %}\n  <li>{{ i }}</li>\n  {% endfor %}\n</ul>\n",
    "block_inline": "a {% if x %}yes{% endif %} b\n",
    "block_minus_open": "a\n  {%- if x %}\nyes\n{% endif %}\n",
    "block_minus_close": "{% if x -%}\n   yes\n{%- endif %}\nend",
    "block_plus_open": "  {%+ if x %}\nyes\n  {%+ endif %}\nend",
    "block_plus_close": "{% if x +%}\nyes\n{% endif +%}\nend",
    "comment_line": "a\n  {# note #}\nb\n",
    "comment_minus": "a  {#- note -#}  \n b",
    "comment_plus": "  {#+ note +#}\nb",
    "output_tags": "  {{ x }}\n{{ x }}  \n  {{- x -}}  \nend",
    "raw_block": "  {% raw %}\n  {{ x }}\n  {% endraw %}\nafter\n",
    "raw_minus": "a  {%- raw -%}  {{ x }}  {%- endraw -%}  b",
    "raw_plus": "  {%+ raw %}\n x \n  {%+ endraw +%}\nb",
    "nested_blocks": (
        "{% for i in seq %}\n  {% if i > 1 %}\n    {{ i }}\n  {% endif %}\n{% endfor %}\n"
    ),
    "tabs_indent": "\t{% if x %}\n\tyes\n\t{% endif %}\n",
    "text_before_tag": "x  {% if x %}\ny{% endif %}\n",
    "set_and_output": "{% set a = 2 %}\n{{ a }}\n",
    "blank_lines": "\n\n{% if x %}\n\n{% endif %}\n\n",
    "two_trailing_newlines": "end\n\n",
    "only_newline": "\n",
}

_FLAG_SETS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("plain", {}),
    ("trim", {"trim_blocks": True}),
    ("lstrip", {"lstrip_blocks": True}),
    ("trim_lstrip", {"trim_blocks": True, "lstrip_blocks": True}),
)

_CONTEXT: dict[str, Any] = {"x": 1, "seq": [1, 2, 3]}


def _whitespace_matrix() -> list[LexerCase]:
    """Every whitespace source with every flag set, with ``\\n`` and ``\\r\\n`` line endings."""
    cases = []
    for name, source in WHITESPACE_SOURCES.items():
        for flags_id, flags in _FLAG_SETS:
            for ending_id, ending in (("lf", "\n"), ("crlf", "\r\n")):
                cases.append(
                    LexerCase(
                        id=f"ws_{name}_{flags_id}_{ending_id}",
                        source=source.replace("\n", ending),
                        context=_CONTEXT,
                        options=dict(flags),
                    )
                )
    return cases


_NEWLINES: list[LexerCase] = [
    LexerCase("nl_trailing_lf_dropped", "a\n", options={}),
    LexerCase("nl_trailing_crlf_dropped", "a\r\n", options={}),
    LexerCase("nl_trailing_cr_dropped", "a\r", options={}),
    LexerCase("nl_only_one_dropped", "a\n\n", options={}),
    LexerCase("nl_kept", "a\n", options={"keep_trailing_newline": True}),
    LexerCase("nl_mixed_endings_normalised", "a\r\nb\rc\nd", options={}),
    LexerCase("nl_sequence_crlf", "a\nb\r\nc", options={"newline_sequence": "\r\n"}),
    LexerCase(
        "nl_sequence_crlf_kept",
        "a\nb\n",
        options={"newline_sequence": "\r\n", "keep_trailing_newline": True},
    ),
    LexerCase("nl_sequence_cr", "a\nb", options={"newline_sequence": "\r"}),
    LexerCase(
        "nl_sequence_in_string_literal", "{{ 'a\nb' }}", options={"newline_sequence": "\r\n"}
    ),
    LexerCase(
        "nl_escaped_newline_in_string_kept", "{{ 'a\\nb' }}", options={"newline_sequence": "\r\n"}
    ),
    LexerCase("nl_crlf_in_string_literal", "{{ 'a\r\nb' }}", options={}),
    LexerCase(
        "nl_raw_body_sequence", "{% raw %}a\nb{% endraw %}", options={"newline_sequence": "\r\n"}
    ),
    LexerCase("nl_after_tag_dropped", "{% if x %}y{% endif %}\n", {"x": 1}, options={}),
]

_NUMBERS: list[LexerCase] = [
    LexerCase(f"num_{label}", "{{ " + literal + " }}", options={})
    for label, literal in (
        ("hex", "0x1F"),
        ("hex_upper_prefix", "0X1f"),
        ("hex_underscore", "0x_1f"),
        ("octal", "0o17"),
        ("binary", "0b101"),
        ("underscore_int", "1_000"),
        ("underscore_float", "1_000.5"),
        ("exponent", "1e3"),
        ("negative_exponent", "1E-2"),
        ("signed_exponent", "0.5e+2"),
        ("underscore_exponent", "1_0e1_0"),
        ("zero", "0"),
        ("zeros", "00"),
        ("zero_underscore", "0_0"),
        ("hex_arithmetic", "0x10 + 0b1"),
        ("hex_attribute", "0x1F.real"),
    )
]

_LINE = {"line_statement_prefix": "#", "line_comment_prefix": "##"}
_LINE_SYNTAX: list[LexerCase] = [
    LexerCase("line_for", "# for i in seq\n{{ i }}\n# endfor\ndone", _CONTEXT, options=_LINE),
    LexerCase(
        "line_indented_colon",
        "  # for i in seq:\n{{ i }}\n  # endfor\ndone",
        _CONTEXT,
        options=_LINE,
    ),
    LexerCase("line_not_at_line_start", "a # for i in seq\n", _CONTEXT, options=_LINE),
    LexerCase(
        "line_brackets_span_lines", "# for i in [1,\n 2]\n{{ i }}\n# endfor\n", options=_LINE
    ),
    LexerCase("line_if_else_colons", "# if x:\nA\n# else:\nB\n# endif", _CONTEXT, options=_LINE),
    LexerCase("line_no_space", "#if x\nA\n#endif\n", _CONTEXT, options=_LINE),
    LexerCase("line_set", "# set a = 1\n{{ a }}", options=_LINE),
    LexerCase(
        "line_tuple_target", "# for a, b in [(1, 2)]:\n{{ a }}{{ b }}\n# endfor", options=_LINE
    ),
    LexerCase(
        "line_mixed_with_tags",
        "{% if x %}a{% endif %}\n# if x\nb\n# endif\n",
        _CONTEXT,
        options=_LINE,
    ),
    LexerCase(
        "line_inside_tag_block",
        "{% if x %}\n# if x\nA\n# endif\n{% endif %}",
        _CONTEXT,
        options=_LINE,
    ),
    LexerCase(
        "line_with_trim_blocks",
        "# if x\n  a\n# endif\n",
        _CONTEXT,
        options={**_LINE, "trim_blocks": True},
    ),
    LexerCase(
        "line_with_lstrip_blocks",
        "# if x\nA\n  {% if x %}B{% endif %}\n# endif",
        _CONTEXT,
        options={**_LINE, "lstrip_blocks": True},
    ),
    LexerCase("line_crlf", "a\r\n# if x\r\nA\r\n# endif\r\n", _CONTEXT, options=_LINE),
    LexerCase(
        "line_string_with_prefix", "{{ '# if' }}\n# if x:\nA\n# endif\n", _CONTEXT, options=_LINE
    ),
    LexerCase("line_comment_after_text", "x ## comment\ny", options=_LINE),
    LexerCase("line_comment_whole_line", "## comment\ny", options=_LINE),
    LexerCase("line_comment_indented", "   ## comment\ny", options=_LINE),
    LexerCase("line_comment_glued", "x## comment\ny", options=_LINE),
    LexerCase("line_comment_in_body", "# if x\nA  ## c\n# endif", _CONTEXT, options=_LINE),
    LexerCase("line_comment_last_line", "# if x\nA\n# endif\n## c\n", _CONTEXT, options=_LINE),
    LexerCase("line_comment_only_option", "x ## comment\ny", options={"line_comment_prefix": "##"}),
    LexerCase(
        "line_custom_prefix",
        "%% for i in seq\n{{ i }}\n%% endfor\n",
        _CONTEXT,
        options={"line_statement_prefix": "%%"},
    ),
]

_ESCAPE_CONTEXT: dict[str, Any] = {"y": "<b>", "on": True, "off": 0}
_AUTOESCAPE: list[LexerCase] = [
    LexerCase(
        f"autoescape_{label}_env_{str(env).lower()}",
        source,
        _ESCAPE_CONTEXT,
        options={"autoescape": env},
    )
    for env in (True, False)
    for label, source in (
        ("true", "{% autoescape true %}{{ y }}{% endautoescape %}{{ y }}"),
        ("false", "{% autoescape false %}{{ y }}{% endautoescape %}{{ y }}"),
        ("expression", "{% autoescape 1 == 1 %}{{ y }}{% endautoescape %}"),
        ("runtime_true", "{% autoescape on %}{{ y }}{% endautoescape %}{{ y }}"),
        ("runtime_false", "{% autoescape off %}{{ y }}{% endautoescape %}{{ y }}"),
        (
            "nested",
            "{% autoescape true %}{% autoescape false %}{{ y }}{% endautoescape %}"
            "{{ y }}{% endautoescape %}",
        ),
        (
            "markup_kinds",
            "{% autoescape true %}{{ y ~ 'x' }}|{{ '<i>' }}|{{ y|e }}|{{ y|safe }}"
            "{% endautoescape %}",
        ),
        (
            "filter_block",
            "{% autoescape true %}{% filter upper %}{{ y }}{% endfilter %}{% endautoescape %}",
        ),
        ("in_block", "{% block b %}{% autoescape true %}{{ y }}{% endautoescape %}{% endblock %}"),
        (
            "around_block",
            "{% autoescape true %}{% block b %}{{ y }}{% endblock %}{{ y }}{% endautoescape %}",
        ),
        (
            "runtime_around_block",
            "{% autoescape off %}{% block b %}{{ y }}{% endblock %}{{ y }}{% endautoescape %}",
        ),
        (
            "in_loop",
            "{% for i in [1, 2] %}{% autoescape i == 1 %}{{ y }}{% endautoescape %}{% endfor %}",
        ),
        (
            "capture",
            "{% autoescape true %}{% set s %}{{ y }}{% endset %}{{ s }}{% endautoescape %}",
        ),
    )
]

_AUTOESCAPE.append(
    LexerCase(
        "autoescape_unified_end",
        "{% autoescape false %}{{ y }}{% end %}{{ y }}",
        _ESCAPE_CONTEXT,
        jinja_source="{% autoescape false %}{{ y }}{% endautoescape %}{{ y }}",
    )
)

_AUTOESCAPE += [
    LexerCase(
        "autoescape_inside_def",
        "{% def f() %}{% autoescape false %}{{ y }}{% end %}{{ y }}{% end %}{{ f() }}",
        _ESCAPE_CONTEXT,
        jinja_source=(
            "{% macro f() %}{% autoescape false %}{{ y }}{% endautoescape %}{{ y }}"
            "{% endmacro %}{{ f() }}"
        ),
    ),
    LexerCase(
        "autoescape_around_def_call",
        "{% def f() %}{{ y }}{% end %}{% autoescape false %}{{ f() }}{% end %}",
        _ESCAPE_CONTEXT,
        jinja_source=(
            "{% macro f() %}{{ y }}{% endmacro %}{% autoescape false %}{{ f() }}{% endautoescape %}"
        ),
    ),
]

CASES: tuple[LexerCase, ...] = (
    *_whitespace_matrix(),
    *_NEWLINES,
    *_NUMBERS,
    *_LINE_SYNTAX,
    *_AUTOESCAPE,
)
