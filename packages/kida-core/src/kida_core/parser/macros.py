"""Jinja2's ``{% macro %}`` tag (``{% call(a, b) f() %}`` is parsed with ``call``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kida_core.errors import ErrorCode
from kida_core.lexer import Token
from kida_core.nodes import Macro
from kida_core.parser.base import at
from kida_core.parser.statements import (
    StatementParser,
    _check_caller_param,
    _identifier,
    _parse_params,
    _token_at,
)

if TYPE_CHECKING:
    from kida_core.parser.core import Parser


def parse_macro(p: Parser, begin: Token) -> Macro:
    """``{% macro name(a, b=1) %}…{% end/endmacro %}``, anywhere a statement may stand.

    As in Jinja2, a macro inside ``if``/``for``/``with`` is bound where its
    definition runs (see the compiler's macro handler).
    """
    name = _identifier(p, "a name for the {% macro %}").value
    params, _, _ = _parse_params(p, "macro", name, variadic=False)
    _check_caller_param(p, params, "macro")
    for param in params:
        if param.annotation is not None:
            p.fail(
                f"macro parameter {param.name!r} cannot have a type annotation",
                _token_at(param),
                ErrorCode.INVALID_EXPRESSION,
                f"write {{% def {name}(...) %}} for typed parameters, or drop the annotation",
            )
    p.expect_block_end("macro")
    body, _ = p.parse_block(begin, "macro", ("endmacro",))
    return Macro(name=name, params=params, body=body, **at(begin))


MACRO_STATEMENTS: dict[str, StatementParser] = {"macro": parse_macro}
