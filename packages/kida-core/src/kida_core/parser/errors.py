"""Error helpers and hint tables for the parser."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kida_core.lexer import Token, TokenType

# Tags other engines have, mapped to (message, suggestion).
JINJA_TAG_HINTS: dict[str, tuple[str, str]] = {
    "fill": (
        "Kida has no {% fill %} tag",
        "pass named content with {% slot name %}…{% end %} inside {% call %}",
    ),
    "endfill": (
        "Kida has no {% fill %} tag, so {% endfill %} is unknown",
        "use {% slot name %}…{% end %} inside {% call %}",
    ),
    "debug": (
        "Kida has no {% debug %} tag",
        "show a value with {{ value | pprint }}, or inspect the context in Python",
    ),
    "do": (
        "{% do %} is not a Kida tag",
        "evaluate an expression for its side effects with {% set _ = expr %}",
    ),
}

NAMESPACE_HINT = (
    "assign one attribute of a namespace() object per tag: {% set ns.attr = … %}; "
    "or declare a variable with {% let name = … %} and update it from inner blocks "
    "with {% export name = … %}"
)

# Where a stray continuation keyword would be valid.
CONTINUATION_HOMES: dict[str, str] = {
    "elif": "{% elif %} is only valid inside {% if %}, before {% else %}",
    "else": "{% else %} is only valid inside {% if %}, {% unless %}, {% for %} or {% with %}",
    "empty": "{% empty %} is only valid inside {% for %} or a conditional {% with %}",
    "case": "{% case %} is only valid directly inside {% match %}",
    "fallback": "{% fallback %} is only valid inside {% try %}: {% try %}…{% fallback %}…{% end %}",
    "plural": "{% plural %} is only valid inside {% trans %}: "
    "{% trans count=n %}One{% plural %}{{ count }} items{% endtrans %}",
    "pluralize": "{% pluralize %} is only valid inside {% trans %}: "
    "{% trans count=n %}One{% pluralize %}{{ count }} items{% endtrans %}",
}


def describe(token: Token) -> str:
    """Human wording for a token in "got …" messages."""
    kind = token.type
    if kind is TokenType.EOF:
        return "end of template"
    if kind is TokenType.BLOCK_END and token.value in ("\n", ""):
        return "end of line"  # a line statement's end
    if kind is TokenType.BLOCK_END or kind is TokenType.VARIABLE_END:
        return f"end of tag {token.value!r}"
    if kind is TokenType.DATA:
        return "template text"
    if kind is TokenType.STRING:
        return f"string {token.value!r}"
    if kind is TokenType.NAME:
        return f"name {token.value!r}"
    return repr(token.value)


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """``"did you mean 'x'?"`` for the closest candidate, if any is close enough."""
    matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean {{% {matches[0]} %}}?" if matches else None
