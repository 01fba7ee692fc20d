"""One parse function per tag, dispatched by tag name through :data:`STATEMENTS`.

Each function receives the parser (positioned just after the tag name) and the
tag's ``{%`` token, consumes the rest of the tag — including its body and closer
for block tags — and returns the node. Adding a tag means adding a function and
a table entry (and removing the name from :data:`UNSUPPORTED_TAGS`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kida_core.errors import ErrorCode
from kida_core.lexer import Token, TokenType
from kida_core.nodes import (
    Body,
    Break,
    Capture,
    Continue,
    Data,
    Expr,
    Extends,
    FilterBlock,
    Flush,
    For,
    FromImport,
    If,
    Import,
    Include,
    Match,
    MatchCase,
    Name,
    Node,
    Set,
    SetScope,
    Spaceless,
    TemplateDecl,
    UnaryOp,
    While,
    With,
    WithCond,
)
from kida_core.parser.base import at
from kida_core.parser.errors import describe

if TYPE_CHECKING:
    from kida_core.parser.core import Parser

StatementParser = Callable[["Parser", Token], Node]

_ELSE = frozenset({"else", "empty"})


# -- control flow -----------------------------------------------------------


def parse_if(p: Parser, begin: Token) -> If:
    """``{% if c %}…{% elif c %}…{% else %}…{% end %}``."""
    test = p.parse_expression()
    p.expect_block_end("if")
    branches = frozenset({"elif", "else"})
    body, terminator = p.parse_block(begin, "if", ("endif",), branches)
    elifs: list[tuple[Expr, Body]] = []
    while terminator.value == "elif":
        elif_test = p.parse_expression()
        p.expect_block_end("elif")
        elif_body, terminator = p.parse_block(begin, "if", ("endif",), branches)
        elifs.append((elif_test, elif_body))
    else_: Body = ()
    if terminator.value == "else":
        p.expect_block_end("else")
        else_, _ = p.parse_block(begin, "if", ("endif",))
    return If(test=test, body=body, elifs=tuple(elifs), else_=else_, **at(begin))


def parse_unless(p: Parser, begin: Token) -> If:
    """``{% unless c %}…{% else %}…{% end %}`` as ``If(not c)``."""
    test = p.parse_expression()
    p.expect_block_end("unless")
    closers = ("endunless", "endif")
    body, terminator = p.parse_block(begin, "unless", closers, frozenset({"else"}))
    else_: Body = ()
    if terminator.value == "else":
        p.expect_block_end("else")
        else_, _ = p.parse_block(begin, "unless", closers)
    negated = UnaryOp(op="not", operand=test, lineno=test.lineno, col_offset=test.col_offset)
    return If(test=negated, body=body, else_=else_, **at(begin))


def parse_for(p: Parser, begin: Token, *, is_async: bool = False) -> For:
    """``{% for target in iter [if test] %}…{% else/empty %}…{% end %}``."""
    label = "async for" if is_async else "for"
    target = p.parse_target(nested=True)
    if not p.stream.skip_name("in"):
        p.fail(
            f"expected 'in' in {{% {label} %}}, got {describe(p.stream.current)}", p.stream.current
        )
    iterable = p.parse_expression(ternary=False)
    test = p.parse_expression() if p.stream.skip_name("if") else None
    p.expect_block_end(label)
    body, terminator = p.parse_block(begin, label, ("endfor",), _ELSE, loop=True)
    else_: Body = ()
    if terminator.value in _ELSE:
        p.expect_block_end(terminator.value)
        else_, _ = p.parse_block(begin, label, ("endfor",))
    return For(
        target=target,
        iter=iterable,
        body=body,
        else_=else_,
        test=test,
        is_async=is_async,
        **at(begin),
    )


def parse_async(p: Parser, begin: Token) -> For:
    """``{% async for … %}``."""
    if not p.stream.skip_name("for"):
        p.fail(
            f"expected 'for' after 'async', got {describe(p.stream.current)}",
            p.stream.current,
            suggestion="'async' is only used as {% async for x in items %}",
        )
    return parse_for(p, begin, is_async=True)


def parse_while(p: Parser, begin: Token) -> While:
    """``{% while c %}…{% end %}``."""
    test = p.parse_expression()
    p.expect_block_end("while")
    body, _ = p.parse_block(begin, "while", ("endwhile",), loop=True)
    return While(test=test, body=body, **at(begin))


def _check_in_loop(p: Parser, begin: Token, tag: str) -> None:
    """Reject ``break``/``continue`` outside a loop body, then end the tag."""
    if not p.loop_depth:
        p.fail(
            f"{{% {tag} %}} outside a loop",
            begin,
            suggestion=f"{{% {tag} %}} is only valid inside {{% for %}} or {{% while %}}",
        )
    p.expect_block_end(tag)


def parse_break(p: Parser, begin: Token) -> Break:
    """``{% break %}``."""
    _check_in_loop(p, begin, "break")
    return Break(**at(begin))


def parse_continue(p: Parser, begin: Token) -> Continue:
    """``{% continue %}``."""
    _check_in_loop(p, begin, "continue")
    return Continue(**at(begin))


def parse_match(p: Parser, begin: Token) -> Match:
    """``{% match [subject] %}{% case pattern [if guard] %}…{% end %}``."""
    subject = None if p.stream.current.type is TokenType.BLOCK_END else p.parse_tuple()
    p.expect_block_end("match")
    cases_only = frozenset({"case"})
    head, terminator = p.parse_block(begin, "match", ("endmatch",), cases_only)
    for node in head:
        if not isinstance(node, Data) or node.value.strip():
            p.fail(
                "only {% case %} tags may appear directly inside {% match %}",
                Token(TokenType.DATA, "", node.lineno, node.col_offset),
                suggestion="move this content into a {% case %} branch",
            )
    cases: list[MatchCase] = []
    while terminator.value == "case":
        case_token = terminator
        pattern = p.parse_tuple(ternary=False)
        if subject is None and not (isinstance(pattern, Name) and pattern.name == "_"):
            p.fail(
                "a {% match %} without a subject only accepts '_' patterns",
                Token(TokenType.NAME, "", pattern.lineno, pattern.col_offset),
                ErrorCode.INVALID_EXPRESSION,
                "write {% case _ if condition %}",
            )
        guard = p.parse_expression() if p.stream.skip_name("if") else None
        p.expect_block_end("case")
        body, terminator = p.parse_block(begin, "match", ("endmatch",), cases_only)
        cases.append(MatchCase(pattern=pattern, body=body, guard=guard, **at(case_token)))
    if not cases:
        p.fail(
            "{% match %} needs at least one {% case %}",
            begin,
            suggestion="add {% case pattern %} branches, or {% case _ %} as a catch-all",
        )
    return Match(subject=subject, cases=tuple(cases), **at(begin))


# -- variables ----------------------------------------------------------------


def _parse_assignment_tag(p: Parser, begin: Token, tag: str, scope: SetScope) -> Set:
    """The shared ``set``/``let``/``export``/``promote`` inline form."""
    assignments = p.parse_assignments(tag)
    p.expect_block_end(tag)
    return Set(scope=scope, assignments=assignments, **at(begin))


def parse_set(p: Parser, begin: Token) -> Node:
    """``{% set a = 1, b = 2 %}`` or the block form ``{% set x %}…{% end %}`` (a capture)."""
    stream = p.stream
    following = stream.look()
    if stream.current.type is TokenType.NAME and (
        following.type is TokenType.BLOCK_END
        or (following.type is TokenType.OPERATOR and following.value == "|")
    ):
        return _parse_capture_body(p, begin, "set", ("endset",))
    return _parse_assignment_tag(p, begin, "set", "set")


def parse_let(p: Parser, begin: Token) -> Set:
    """``{% let … %}``: template-wide assignment."""
    return _parse_assignment_tag(p, begin, "let", "let")


def parse_export(p: Parser, begin: Token) -> Set:
    """``{% export … %}``: assignment to the outermost scope."""
    return _parse_assignment_tag(p, begin, "export", "export")


def parse_promote(p: Parser, begin: Token) -> Set:
    """``{% promote … %}``: alias of ``export``."""
    return _parse_assignment_tag(p, begin, "promote", "export")


def _parse_capture_body(p: Parser, begin: Token, tag: str, closers: tuple[str, ...]) -> Capture:
    """``name [| f(args) | g] %}body{% end %}`` shared by ``capture`` and block ``set``."""
    name = p.expect_name(f"to capture into after {{% {tag} %}}")
    filters = p.parse_filter_calls() if p.stream.skip_op("|") else ()
    p.expect_block_end(tag)
    body, _ = p.parse_block(begin, tag, closers)
    return Capture(name=name.value, body=body, filters=filters, **at(begin))


def parse_capture(p: Parser, begin: Token) -> Capture:
    """``{% capture name [| filters] %}…{% end %}``."""
    return _parse_capture_body(p, begin, "capture", ("endcapture",))


# -- scoped blocks ----------------------------------------------------------


def parse_with(p: Parser, begin: Token) -> Node:
    """``{% with a = 1 %}`` (always renders) or ``{% with expr [as n] %}`` (conditional)."""
    stream = p.stream
    following = stream.look()
    if (
        stream.current.type is TokenType.NAME
        and following.type is TokenType.OPERATOR
        and following.value == "="
    ):
        assignments = p.parse_assignments("with", coalesce=False)
        p.expect_block_end("with")
        body, _ = p.parse_block(begin, "with", ("endwith",))
        return With(assignments=assignments, body=body, **at(begin))
    values = [p.parse_expression()]
    while stream.skip_op(","):
        values.append(p.parse_expression())
    if stream.skip_name("as"):
        targets = [p.expect_name("after 'as'").value]
        while stream.skip_op(","):
            targets.append(p.expect_name("after ','").value)
        if len(targets) != len(values):
            p.fail(
                f"{{% with %}} binds {len(values)} value(s) to {len(targets)} name(s)",
                begin,
                ErrorCode.INVALID_EXPRESSION,
                "give one name per value: {% with a, b as x, y %}",
            )
    elif len(values) > 1:
        p.fail(
            "several {% with %} values need names",
            begin,
            ErrorCode.INVALID_EXPRESSION,
            "name them with 'as': {% with a, b as x, y %}",
        )
    else:
        targets = ["it"]
    p.expect_block_end("with")
    body, terminator = p.parse_block(begin, "with", ("endwith",), _ELSE)
    else_: Body = ()
    if terminator.value in _ELSE:
        p.expect_block_end(terminator.value)
        else_, _ = p.parse_block(begin, "with", ("endwith",))
    return WithCond(
        values=tuple(values), targets=tuple(targets), body=body, else_=else_, **at(begin)
    )


def parse_filter(p: Parser, begin: Token) -> FilterBlock:
    """``{% filter f(args) | g %}…{% end %}``."""
    filters = p.parse_filter_calls()
    p.expect_block_end("filter")
    body, _ = p.parse_block(begin, "filter", ("endfilter",))
    return FilterBlock(filters=filters, body=body, **at(begin))


def parse_spaceless(p: Parser, begin: Token) -> Spaceless:
    """``{% spaceless %}…{% end %}``."""
    p.expect_block_end("spaceless")
    body, _ = p.parse_block(begin, "spaceless", ("endspaceless",))
    return Spaceless(body=body, **at(begin))


def parse_flush(p: Parser, begin: Token) -> Flush:
    """``{% flush %}``."""
    p.expect_block_end("flush")
    return Flush(**at(begin))


def parse_raw(p: Parser, begin: Token) -> Node:
    """Only reached for a malformed ``{% raw … %}`` (the lexer handles valid ones)."""
    p.fail(
        f"{{% raw %}} takes no arguments, got {describe(p.stream.current)}",
        p.stream.current,
        suggestion="write {% raw %}…{% endraw %}",
    )


def parse_template(p: Parser, begin: Token) -> TemplateDecl:
    """``{% template page: Page, site %}``: declared context names and type text."""
    stream = p.stream
    names: list[tuple[str, str | None]] = []
    while True:
        name = p.expect_name("to declare in {% template %}").value
        annotation = _parse_annotation(p) if stream.skip_op(":") else None
        names.append((name, annotation))
        if not stream.skip_op(","):
            break
    p.expect_block_end("template")
    return TemplateDecl(names=tuple(names), **at(begin))


def _parse_annotation(p: Parser) -> str:
    """Collect a type annotation's tokens (up to a top-level ``,`` or ``%}``) as text."""
    stream = p.stream
    parts: list[str] = []
    depth = 0
    while True:
        token = stream.current
        if token.type in (TokenType.BLOCK_END, TokenType.EOF):
            break
        if token.type is TokenType.OPERATOR:
            if token.value == "," and depth == 0:
                break
            depth += token.value in ("(", "[")
            depth -= token.value in (")", "]")
        if token.type is TokenType.STRING:
            parts.append(repr(token.value))
        elif token.value in (",", "|"):
            parts.append(f"{token.value} " if token.value == "," else " | ")
        else:
            parts.append(token.value)
        stream.advance()
    if not parts:
        p.fail(f"expected a type after ':', got {describe(stream.current)}", stream.current)
    return "".join(parts)


# -- dispatch tables --------------------------------------------------------

# -- references to other templates ---------------------------------------------

_INCLUDE_ARGS_HINT = (
    "Kida's include takes no arguments: set the values first with {% let name = ... %}, "
    "the included template sees the current context"
)


def _context_clause(p: Parser, tag: str, default: bool) -> bool:
    """An optional ``with context`` / ``without context`` clause."""
    stream = p.stream
    if not stream.at_name("with", "without"):
        return default
    keyword = stream.advance()
    if stream.at_name("context"):
        stream.advance()
        return keyword.value == "with"
    p.fail(
        f"expected 'context' after '{keyword.value}' in {{% {tag} %}}",
        stream.current,
        ErrorCode.UNSUPPORTED_SYNTAX,
        _INCLUDE_ARGS_HINT if tag == "include" else None,
    )


def parse_extends(p: Parser, begin: Token) -> Extends:
    """``{% extends "base.html" %}`` or ``{% extends expr %}``."""
    template = p.parse_expression()
    p.expect_block_end("extends")
    return Extends(template=template, **at(begin))


def parse_include(p: Parser, begin: Token) -> Include:
    """``{% include target [ignore missing] [with|without context] %}`` (either order)."""
    stream = p.stream
    template = p.parse_expression()
    ignore_missing = False
    with_context = True
    seen_context = False
    while stream.current.type is not TokenType.BLOCK_END:
        if stream.at_name("ignore") and not ignore_missing:
            stream.advance()
            if not stream.at_name("missing"):
                p.fail("expected 'missing' after 'ignore'", stream.current)
            stream.advance()
            ignore_missing = True
        elif stream.at_name("with", "without") and not seen_context:
            with_context = _context_clause(p, "include", True)
            seen_context = True
        elif stream.at_name("only"):
            p.fail(
                "{% include … only %} is not supported",
                stream.current,
                ErrorCode.UNSUPPORTED_SYNTAX,
                "use 'without context' to hide the current context",
            )
        else:
            break
    p.expect_block_end("include")
    return Include(
        template=template, with_context=with_context, ignore_missing=ignore_missing, **at(begin)
    )


def parse_import(p: Parser, begin: Token) -> Import:
    """``{% import "forms.html" as forms [with|without context] %}``."""
    template = p.parse_expression()
    if not p.stream.at_name("as"):
        p.fail(
            f"expected 'as' in {{% import %}}, got {describe(p.stream.current)}",
            p.stream.current,
            suggestion='write {% import "forms.html" as forms %}',
        )
    p.stream.advance()
    target = p.expect_name("to bind the imported template to")
    with_context = _context_clause(p, "import", False)
    p.expect_block_end("import")
    return Import(template=template, target=target.value, with_context=with_context, **at(begin))


def parse_from(p: Parser, begin: Token) -> FromImport:
    """``{% from "forms.html" import field, button as btn [with|without context] %}``."""
    stream = p.stream
    template = p.parse_expression()
    if not stream.at_name("import"):
        p.fail(
            f"expected 'import' in {{% from %}}, got {describe(stream.current)}",
            stream.current,
            suggestion='write {% from "forms.html" import field %}',
        )
    stream.advance()
    names: list[tuple[str, str | None]] = []
    while True:
        name = p.expect_name("to import")
        alias = None
        if stream.at_name("as"):
            stream.advance()
            alias = p.expect_name("after 'as'").value
        names.append((name.value, alias))
        if not stream.skip_op(","):
            break
        if stream.at_name("with", "without"):
            break
    with_context = _context_clause(p, "from", False)
    p.expect_block_end("from")
    return FromImport(template=template, names=tuple(names), with_context=with_context, **at(begin))


STATEMENTS: dict[str, StatementParser] = {
    "if": parse_if,
    "unless": parse_unless,
    "for": parse_for,
    "async": parse_async,
    "while": parse_while,
    "break": parse_break,
    "continue": parse_continue,
    "match": parse_match,
    "set": parse_set,
    "let": parse_let,
    "export": parse_export,
    "promote": parse_promote,
    "capture": parse_capture,
    "with": parse_with,
    "filter": parse_filter,
    "spaceless": parse_spaceless,
    "flush": parse_flush,
    "raw": parse_raw,
    "template": parse_template,
    "extends": parse_extends,
    "include": parse_include,
    "import": parse_import,
    "from": parse_from,
}

# Composition tags, recognised but parsed in a later milestone (K-PAR-007).
UNSUPPORTED_TAGS = frozenset(
    [
        "block",
        "fragment",
        "def",
        "call",
        "slot",
        "region",
        "globals",
        "imports",
        "try",
        "fallback",
        "cache",
        "embed",
        "provide",
        "push",
        "stack",
        "yield",
    ]
)

# Every explicit closer (SYNTAX.md §4), plus ``endset`` for the block form of ``set``.
CLOSERS = frozenset(
    [
        "endif",
        "endunless",
        "endfor",
        "endwhile",
        "endblock",
        "endfragment",
        "endwith",
        "endraw",
        "enddef",
        "endregion",
        "endcall",
        "endcapture",
        "endcache",
        "endfilter",
        "endmatch",
        "endspaceless",
        "endembed",
        "endglobals",
        "endimports",
        "endpush",
        "endprovide",
        "endtrans",
        "endtry",
        "endset",
    ]
)
