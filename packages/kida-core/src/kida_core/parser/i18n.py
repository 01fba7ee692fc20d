"""The ``{% trans %}`` tag: bindings, a body of text and placeholders, an optional plural.

The body is read token by token (it is not a template body): only text,
``{{ name }}`` placeholders and the ``plural``/``pluralize``/``endtrans``/``end``
tags may appear in it. The message ids are built here, exactly as a catalog
looks them up (see :class:`~kida_core.nodes.Trans`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

from kida_core.errors import ErrorCode
from kida_core.lexer import Token, TokenType
from kida_core.nodes import Expr, Name, Trans, TransVar
from kida_core.parser.base import at
from kida_core.parser.errors import describe
from kida_core.parser.statements import StatementParser

if TYPE_CHECKING:
    from kida_core.parser.core import Parser

_PLURALS = frozenset({"plural", "pluralize"})
_CLOSERS = frozenset({"endtrans", "end"})
_MODIFIERS = frozenset({"trimmed", "notrimmed"})
#: What a ``%`` may start in a message id that is %-formatted.
_PERCENT = re.compile(r"%(?:%|\(([A-Za-z_][A-Za-z0-9_]*)\)s)?")
_BINDING_HINT = "bind it in the tag: {% trans name=your_expr %}…{{ name }}…{% endtrans %}"


@dataclass(slots=True)
class _Body:
    """What a trans body has read so far."""

    singular: list[str] = field(default_factory=list)
    plural: list[str] | None = None
    #: Names of undeclared placeholders read from the context (implicit variables).
    implicit: list[Token] = field(default_factory=list)
    #: ``{% plural name %}``'s name token, if given.
    selector: Token | None = None
    plural_tag: Token | None = None

    @property
    def current(self) -> list[str]:
        return self.singular if self.plural is None else self.plural


def parse_trans(p: Parser, begin: Token) -> Trans:
    """``{% trans ["ctx"] [trimmed|notrimmed] name=expr, … %}…[{% plural [name] %}…]{% end %}``."""
    stream = p.stream
    context = None
    if stream.current.type is TokenType.STRING:
        context = stream.advance().value
    trimmed = True
    bindings: dict[str, TransVar] = {}
    while stream.current.type is not TokenType.BLOCK_END:
        name = stream.current
        if name.type is not TokenType.NAME:
            p.fail(
                f"expected end of {{% trans %}} tag, got {describe(name)}",
                name,
                suggestion="the tag takes an optional context string, then "
                "trimmed/notrimmed and name=expression bindings",
            )
        stream.advance()
        if name.value in _MODIFIERS and not stream.at_op("="):
            trimmed = name.value == "trimmed"
        else:
            bindings[name.value] = _parse_binding(p, name, bindings)
        stream.skip_op(",")
    p.expect_block_end("trans")
    body = _read_body(p, begin, bindings)
    variables = tuple(bindings.values()) + tuple(
        TransVar(name=token.value, expr=Name(name=token.value, **at(token)), **at(token))
        for token in body.implicit
    )
    singular = _message_id(body.singular, trimmed)
    plural = None if body.plural is None else _message_id(body.plural, trimmed)
    count_expr = None if body.plural is None else _selector(p, begin, body, variables)
    if variables:
        # A plural message may also use ``%(num)s``: the count, bound when it renders.
        names = {var.name for var in variables} | ({"num"} if plural is not None else set())
        for text, tag in ((singular, begin), (plural, body.plural_tag)):
            if text is not None and tag is not None:
                _check_percent(p, text, tag, names)
    return Trans(
        singular=singular,
        plural=plural,
        variables=variables,
        count_expr=count_expr,
        context=context,
        **at(begin),
    )


def _parse_binding(p: Parser, name: Token, bindings: dict[str, TransVar]) -> TransVar:
    """``name = expression`` (the name is already consumed)."""
    if name.value in bindings:
        p.fail(
            f"translatable variable {name.value!r} is defined twice in {{% trans %}}",
            name,
            ErrorCode.INVALID_EXPRESSION,
            "give each binding its own name",
        )
    if not p.stream.at_op("="):
        p.fail(
            f"expected '=' after {name.value!r} in {{% trans %}}, got {describe(p.stream.current)}",
            p.stream.current,
            suggestion=f"bind a value: {{% trans {name.value}={name.value} %}}",
        )
    p.stream.advance()
    return TransVar(name=name.value, expr=p.parse_expression(), **at(name))


def _read_body(p: Parser, begin: Token, bindings: dict[str, TransVar]) -> _Body:
    """Read text, placeholders and the plural tag up to the closer (consumed)."""
    stream = p.stream
    body = _Body()
    while True:
        token = stream.advance()
        kind = token.type
        if kind is TokenType.DATA:
            body.current.append(token.value)
        elif kind is TokenType.VARIABLE_BEGIN:
            body.current.append(f"%({_read_placeholder(p, bindings, body)})s")
        elif kind is TokenType.BLOCK_BEGIN:
            tag = stream.current
            if tag.type is not TokenType.NAME:
                p.fail(
                    f"expected a block keyword inside {{% trans %}}, got {describe(tag)}",
                    tag,
                    suggestion="only {% plural %} and {% endtrans %} may appear in the body",
                )
            stream.advance()
            if tag.value in _CLOSERS:
                p.expect_block_end(tag.value)
                return body
            if tag.value not in _PLURALS:
                p.fail(
                    f"Unexpected block tag {tag.value!r} inside {{% trans %}}",
                    tag,
                    suggestion="only {% plural %} and {% endtrans %} are allowed inside "
                    "{% trans %}; compute values in the tag's bindings",
                )
            if body.plural is not None:
                p.fail(f"Duplicate {{% {tag.value} %}} in {{% trans %}} block", tag)
            body.plural = []
            body.plural_tag = tag
            if stream.current.type is TokenType.NAME:
                body.selector = stream.advance()
            p.expect_block_end(tag.value)
        elif kind is TokenType.EOF:
            _unclosed(p, begin)
        else:  # pragma: no cover - the lexer only yields the kinds above between tags
            p.fail(f"unexpected {describe(token)} inside {{% trans %}}", token)


def _read_placeholder(p: Parser, bindings: dict[str, TransVar], body: _Body) -> str:
    """The name of ``{{ name }}`` (the ``{{`` is consumed), checked against the bindings."""
    stream = p.stream
    name = stream.current
    if name.type is not TokenType.NAME:
        if name.type is TokenType.EOF:
            _unclosed(p, name)
        p.fail(
            "only simple variable names are allowed inside a {% trans %} body, "
            f"got {describe(name)}",
            name,
            ErrorCode.INVALID_EXPRESSION,
            _BINDING_HINT,
        )
    stream.advance()
    if name.value not in bindings:
        implicit = p.trans_implicit_variables
        if not implicit:
            p.fail(
                f"Undeclared variable {name.value!r} in {{% trans %}} body",
                name,
                ErrorCode.INVALID_EXPRESSION,
                f"declare it in the tag: {{% trans {name.value}=expr %}}",
            )
        if all(seen.value != name.value for seen in body.implicit):
            body.implicit.append(name)
    if stream.current.type is not TokenType.VARIABLE_END:
        p.fail(
            "Complex expressions not allowed inside {% trans %} body "
            f"(found {describe(stream.current)} after {name.value!r})",
            stream.current,
            ErrorCode.INVALID_EXPRESSION,
            f"bind the expression in the tag: {{% trans {name.value}=your_expr %}}"
            f"…{{{{ {name.value} }}}}…",
        )
    stream.advance()
    return name.value


def _unclosed(p: Parser, begin: Token) -> NoReturn:
    p.fail(
        "unexpected end of template inside {% trans %} block",
        begin,
        ErrorCode.UNCLOSED_BLOCK,
        "add {% endtrans %} (or {% end %})",
    )


def _message_id(parts: list[str], trimmed: bool) -> str:
    """Join the body's parts; by default every whitespace run becomes one space."""
    text = "".join(parts)
    return " ".join(text.split()) if trimmed else text


def _selector(p: Parser, begin: Token, body: _Body, variables: tuple[TransVar, ...]) -> Expr:
    """The plural selector: ``{% plural name %}``, else ``count``, else the first variable."""
    by_name = {var.name: var for var in variables}
    if body.selector is not None:
        chosen = by_name.get(body.selector.value)
        if chosen is None:
            p.fail(
                f"unknown variable {body.selector.value!r} for pluralization in {{% trans %}}",
                body.selector,
                ErrorCode.INVALID_EXPRESSION,
                f"bind it in the tag: {{% trans {body.selector.value}=expr %}}",
            )
        return chosen.expr
    if "count" in by_name:
        return by_name["count"].expr
    if variables:
        return variables[0].expr
    assert body.plural_tag is not None
    p.fail(
        f"{{% {body.plural_tag.value} %}} requires a 'count' variable in {{% trans %}}",
        body.plural_tag,
        ErrorCode.INVALID_EXPRESSION,
        "bind it in the tag: {% trans count=items|length %}",
    )


def _check_percent(p: Parser, text: str, tag: Token, names: set[str]) -> None:
    """A %-formatted message id may hold only ``%%`` and ``%(name)s`` of its bindings."""
    for match in _PERCENT.finditer(text):
        placeholder = match.group(1)
        if match.group() == "%":
            p.fail(
                f"a single '%' in the {{% trans %}} message {text!r} breaks its formatting",
                tag,
                ErrorCode.INVALID_EXPRESSION,
                "write '%%' for a literal percent sign in a message with bindings",
            )
        if placeholder is not None and placeholder not in names:
            p.fail(
                f"'%({placeholder})s' in the {{% trans %}} message {text!r} is not a binding",
                tag,
                ErrorCode.INVALID_EXPRESSION,
                f"bind it in the tag: {{% trans {placeholder}=expr %}}, or write '%%' "
                "for a literal percent sign",
            )


I18N_STATEMENTS: dict[str, StatementParser] = {"trans": parse_trans}
