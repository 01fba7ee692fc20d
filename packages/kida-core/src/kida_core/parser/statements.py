"""One parse function per tag, dispatched by tag name through :data:`STATEMENTS`.

Each function receives the parser (positioned just after the tag name) and the
tag's ``{%`` token, consumes the rest of the tag — including its body and closer
for block tags — and returns the node. Adding a tag means adding a function and
a table entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from kida_core.errors import ErrorCode
from kida_core.lexer import Token, TokenType
from kida_core.nodes import (
    Autoescape,
    Block,
    BlockModifier,
    Body,
    Break,
    Cache,
    Call,
    CallBlock,
    Capture,
    Const,
    Continue,
    Data,
    Def,
    DictExpr,
    Embed,
    EmbedBlock,
    Expr,
    Extends,
    FilterBlock,
    Flush,
    For,
    FromImport,
    Globals,
    If,
    Import,
    Include,
    ListComp,
    ListExpr,
    Match,
    MatchCase,
    Name,
    NamespaceCapture,
    NamespaceSet,
    Node,
    Param,
    Provide,
    Push,
    Region,
    Set,
    SetScope,
    Slot,
    SlotContent,
    Spaceless,
    Stack,
    TemplateDecl,
    Try,
    TupleExpr,
    UnaryOp,
    While,
    With,
    WithCond,
    Yield,
    builder,
)
from kida_core.parser.base import at
from kida_core.parser.errors import describe
from kida_core.parser.expressions import CONSTANTS, RESERVED

if TYPE_CHECKING:
    from kida_core.parser.core import Parser

StatementParser = Callable[["Parser", Token], Node]

_ELSE = frozenset({"else", "empty"})
_IF_BRANCHES = frozenset({"elif", "else"})

# Builders of the statements templates have many of (see :func:`kida_core.nodes.builder`).
_new_if = builder(If)
_new_for = builder(For)
_new_block = builder(Block)
_new_param = builder(Param)
_new_extends = builder(Extends)
_new_include = builder(Include)


# -- control flow -----------------------------------------------------------


def parse_if(p: Parser, begin: Token) -> If:
    """``{% if c %}…{% elif c %}…{% else %}…{% end %}``."""
    test = p.parse_expression()
    p.expect_block_end("if")
    body, terminator = p.parse_block(begin, "if", ("endif",), _IF_BRANCHES)
    elifs: list[tuple[Expr, Body]] = []
    while terminator.value == "elif":
        elif_test = p.parse_expression()
        p.expect_block_end("elif")
        elif_body, terminator = p.parse_block(begin, "if", ("endif",), _IF_BRANCHES)
        elifs.append((elif_test, elif_body))
    else_: Body = ()
    if terminator.value == "else":
        p.expect_block_end("else")
        else_, _ = p.parse_block(begin, "if", ("endif",))
    return _new_if(
        test=test,
        body=body,
        elifs=tuple(elifs),
        else_=else_,
        lineno=begin.lineno,
        col_offset=begin.col_offset,
    )


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
    if is_async:
        p.record.is_async = True
    target = p.parse_target(nested=True)
    if not p.stream.skip_name("in"):
        p.fail(
            f"expected 'in' in {{% {label} %}}, got {describe(p.stream.current)}", p.stream.current
        )
    iterable = p.parse_expression(ternary=False)
    test = p.parse_expression() if p.stream.skip_name("if") else None
    recursive = _parse_recursive(p, label, is_async)
    p.expect_block_end(label)
    body, terminator = p.parse_block(begin, label, ("endfor",), _ELSE, loop=True)
    else_: Body = ()
    if terminator.value in _ELSE:
        p.expect_block_end(terminator.value)
        else_, _ = p.parse_block(begin, label, ("endfor",))
    return _new_for(
        target=target,
        iter=iterable,
        body=body,
        else_=else_,
        test=test,
        is_async=is_async,
        recursive=recursive,
        lineno=begin.lineno,
        col_offset=begin.col_offset,
    )


def _parse_recursive(p: Parser, label: str, is_async: bool) -> bool:
    """The optional ``recursive`` marker, which ends a ``for`` tag."""
    token = p.stream.current
    if not p.stream.skip_name("recursive"):
        return False
    if is_async:
        p.fail(
            "an {% async for %} loop cannot be recursive",
            token,
            ErrorCode.UNSUPPORTED_SYNTAX,
            "collect the items into a list first and use {% for … recursive %}",
        )
    if p.stream.at_name("if"):
        p.fail(
            f"the 'if' filter of a {{% {label} %}} goes before 'recursive'",
            p.stream.current,
            suggestion="write {% for item in items if condition recursive %}",
        )
    return True


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
    if not p.in_loop_body(through_functions=False):
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
                _token_at(node),
                suggestion="move this content into a {% case %} branch",
            )
    cases: list[MatchCase] = []
    while terminator.value == "case":
        case_token = terminator
        pattern = p.parse_tuple(ternary=False)
        if subject is None and not (isinstance(pattern, Name) and pattern.name == "_"):
            p.fail(
                "a {% match %} without a subject only accepts '_' patterns",
                _token_at(pattern),
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
    """``{% set a = 1, b = 2 %}`` or the block form ``{% set x %}…{% end %}`` (a capture).

    ``{% set ns.attr = v %}`` and ``{% set ns.attr %}…{% end %}`` write a namespace attribute.
    """
    stream = p.stream
    following = stream.look()
    if (
        stream.current.type is TokenType.NAME
        and following.type is TokenType.OPERATOR
        and following.value == "."
    ):
        return _parse_namespace_set(p, begin)
    if stream.current.type is TokenType.NAME and (
        following.type is TokenType.BLOCK_END
        or (following.type is TokenType.OPERATOR and following.value == "|")
    ):
        return _parse_capture_body(p, begin, "set", ("endset",))
    return _parse_assignment_tag(p, begin, "set", "set")


def _parse_namespace_set(p: Parser, begin: Token) -> NamespaceSet | NamespaceCapture:
    """``ns.attr = value %}`` or ``ns.attr [| filters] %}body{% endset %}``."""
    stream = p.stream
    name = stream.advance()
    namespace = Name(name=name.value, **at(name))
    stream.advance()  # the "."
    attr = p.expect_name("after '.' in {% set %}").value
    if stream.current.type is TokenType.BLOCK_END or stream.at_op("|"):
        filters = p.parse_filter_calls() if stream.skip_op("|") else ()
        p.expect_block_end("set")
        body, _ = p.parse_block(begin, "set", ("endset",))
        return NamespaceCapture(
            body=body, filters=filters, namespace=namespace, attr=attr, **at(begin)
        )
    if not stream.at_op("="):
        p.fail(
            f"expected '=' after {{% set {name.value}.{attr} %}}, got {describe(stream.current)}",
            stream.current,
            suggestion="an attribute takes one plain assignment: "
            f"{{% set {name.value}.{attr} = value %}}",
        )
    stream.advance()
    value = p.parse_assigned_value()
    p.expect_block_end("set")
    return NamespaceSet(namespace=namespace, attr=attr, value=value, **at(begin))


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
    """``{% with a = 1 %}`` (always renders) or ``{% with expr [as n] %}`` (conditional).

    A bare ``{% with %}`` only opens a scope, as in Jinja2.
    """
    stream = p.stream
    following = stream.look()
    if stream.current.type is TokenType.BLOCK_END:
        p.expect_block_end("with")
        body, _ = p.parse_block(begin, "with", ("endwith",))
        return With(assignments=(), body=body, **at(begin))
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
        # One value may unpack into several names: {% with pair as a, b %}.
        if len(targets) != len(values) and len(values) > 1:
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


def parse_autoescape(p: Parser, begin: Token) -> Autoescape:
    """``{% autoescape true %}…{% end %}`` (any expression; ``false`` turns escaping off)."""
    if p.stream.current.type is TokenType.BLOCK_END:
        p.fail(
            "{% autoescape %} needs a value",
            p.stream.current,
            ErrorCode.INVALID_EXPRESSION,
            suggestion="write {% autoescape true %} or {% autoescape false %}",
        )
    enabled = p.parse_expression()
    p.expect_block_end("autoescape")
    body, _ = p.parse_block(begin, "autoescape", ("endautoescape",))
    return Autoescape(enabled=enabled, body=body, **at(begin))


def parse_flush(p: Parser, begin: Token) -> Flush:
    """``{% flush %}``."""
    p.expect_block_end("flush")
    return Flush(**at(begin))


def parse_raw(p: Parser, begin: Token) -> Node:
    """Only reached for a malformed ``{% raw … %}`` (the lexer handles valid ones)."""
    current = p.stream.current
    if current.type is TokenType.BLOCK_END and current.value in ("\n", ""):  # a line's end
        p.fail(
            "raw cannot be a line statement",
            begin,
            suggestion="write {% raw %}…{% endraw %} with tags",
        )
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
        annotation = _parse_annotation(p, _DECL_STOPS) if stream.skip_op(":") else None
        names.append((name, annotation))
        if not stream.skip_op(","):
            break
    p.expect_block_end("template")
    return TemplateDecl(names=tuple(names), **at(begin))


_DECL_STOPS = frozenset({","})
_PARAM_STOPS = frozenset({",", "=", ")"})


def _parse_annotation(p: Parser, stops: frozenset[str]) -> str:
    """Collect a type annotation's tokens as normalised text.

    Stops at ``%}`` or, outside brackets, at an operator in ``stops``. Tokens
    are joined without spaces except ``", "`` after commas and ``" | "`` around
    unions, strings are written with ``repr``: ``dict[str,Any]|None`` becomes
    ``dict[str, Any] | None``.
    """
    stream = p.stream
    parts: list[str] = []
    depth = 0
    while True:
        token = stream.current
        if token.type in (TokenType.BLOCK_END, TokenType.EOF):
            break
        if token.type is TokenType.OPERATOR:
            if token.value in stops and depth == 0:
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
    entry = p.open_section()
    template = p.parse_expression()
    p.expect_block_end("extends")
    node = _new_extends(template=template, lineno=begin.lineno, col_offset=begin.col_offset)
    if entry is not None:
        entry.node = node
    return node


def parse_include(p: Parser, begin: Token) -> Include:
    """``{% include target [ignore missing] [with|without context] %}`` (either order)."""
    p.record.includes = True
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
    return _new_include(
        template=template,
        with_context=with_context,
        ignore_missing=ignore_missing,
        lineno=begin.lineno,
        col_offset=begin.col_offset,
    )


def parse_embed(p: Parser, begin: Token) -> Embed:
    """``{% embed target [with|without context] %}{% block name %}…{% end %}…{% end %}``.

    Only block overrides (and whitespace) may stand in the body.
    """
    template = p.parse_expression()
    with_context = True
    if p.stream.at_name("with", "without"):
        with_context = _context_clause(p, "embed", True)
    p.expect_block_end("embed")
    content, _ = p.parse_block(begin, "embed", ("endembed",))
    blocks: dict[str, EmbedBlock] = {}
    for node in content:
        if isinstance(node, Data) and not node.value.strip():
            continue
        if not isinstance(node, Block) or node.fragment or node.condition or node.modifiers:
            p.fail(
                "only {% block name %}…{% end %} overrides may stand inside {% embed %}",
                _token_at(node),
                suggestion="move other content out of the {% embed %}",
            )
        if node.name in blocks:
            p.fail(
                f"block {node.name!r} is overridden twice in this {{% embed %}}",
                _token_at(node),
                suggestion=f"merge the two {{% block {node.name} %}} bodies",
            )
        blocks[node.name] = EmbedBlock(
            name=node.name, body=node.body, lineno=node.lineno, col_offset=node.col_offset
        )
    return Embed(
        template=template, blocks=tuple(blocks.values()), with_context=with_context, **at(begin)
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


# -- inheritance ----------------------------------------------------------------

_MODIFIER_HINT = (
    "modifier values must be a string, number, true/false or none literal; "
    "compute anything else inside the block"
)
_COLLECTIONS = (ListExpr, TupleExpr, DictExpr, ListComp)


_NOT_IDENTIFIERS = RESERVED | CONSTANTS.keys()


def _token_at(node: Node) -> Token:
    """A stand-in token carrying ``node``'s position, for errors about a whole node."""
    return Token(TokenType.NAME, "", node.lineno, node.col_offset)


def _identifier(p: Parser, what: str) -> Token:
    """Consume a name usable as a variable (not a keyword or constant) or fail."""
    token = p.stream.current
    if token.type is TokenType.NAME and token.value not in _NOT_IDENTIFIERS:
        return p.stream.advance()
    p.fail(f"expected {what}, got {describe(token)}", token)


def _at_keyword(p: Parser) -> bool:
    """Whether the stream is at ``name =`` (a block modifier or tag option)."""
    following = p.stream.look()
    return (
        p.stream.current.type is TokenType.NAME
        and following.type is TokenType.OPERATOR
        and following.value == "="
    )


def _block_name(p: Parser, tag: str) -> str:
    """A block/fragment name; a hyphenated one fails with K-PAR-006."""
    stream = p.stream
    token = _identifier(p, f"a {tag} name")
    if not stream.at_op("-"):
        return token.value
    pieces = [token.value]
    while stream.skip_op("-"):
        if stream.current.type not in (TokenType.NAME, TokenType.INTEGER):
            pieces.append("")
            break
        pieces.append(stream.advance().value)
    p.fail(
        f"invalid {tag} name {'-'.join(pieces)!r}: names cannot contain '-'",
        token,
        ErrorCode.INVALID_IDENTIFIER,
        f"use underscores: {{% {tag} {'_'.join(pieces)} %}}",
    )


def _parse_modifiers(p: Parser, tag: str) -> tuple[BlockModifier, ...]:
    """Ordered ``name=literal`` pairs after a block/fragment name."""
    modifiers: list[BlockModifier] = []
    while _at_keyword(p):
        name = p.stream.advance()
        if any(modifier.name == name.value for modifier in modifiers):
            p.fail(
                f"duplicate {tag} modifier {name.value!r}",
                name,
                ErrorCode.UNSUPPORTED_SYNTAX,
                "give each modifier once",
            )
        p.stream.advance()
        value = _modifier_value(p, p.parse_expression(ternary=False), name.value)
        modifiers.append(BlockModifier(name=name.value, value=value, **at(name)))
    return tuple(modifiers)


def _modifier_value(p: Parser, value: Expr, name: str) -> str | int | float | bool | None:
    """The literal a modifier's value expression stands for (``-3`` included)."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, UnaryOp) and value.op == "-" and isinstance(value.operand, Const):
        number = value.operand.value
        if isinstance(number, int | float) and not isinstance(number, bool):
            return -number
    kind = "a collection" if isinstance(value, _COLLECTIONS) else "an expression"
    p.fail(
        f"block modifier {name!r} must be a literal, not {kind}",
        _token_at(value),
        ErrorCode.UNSUPPORTED_SYNTAX,
        _MODIFIER_HINT,
    )


def _parse_block_tag(p: Parser, begin: Token, tag: str) -> Block:
    """``{% block|fragment name [scoped] [required] [k=literal …] [if cond] %}…{% end %}``.

    A block may stand in a loop: it sees the loop's names only when ``scoped``.
    """
    entry = p.open_section()
    name = _block_name(p, tag)
    scoped = _skip_flag(p, "scoped")
    required = _skip_flag(p, "required")
    modifiers = _parse_modifiers(p, tag)
    awaits_before = len(p._awaits)
    condition = p.parse_expression() if p.stream.skip_name("if") else None
    if len(p._awaits) > awaits_before:
        # The condition is also evaluated by the synchronous render functions.
        p.fail(
            f"'await' is not allowed in a {tag} condition",
            p._awaits[awaits_before],
            ErrorCode.INVALID_EXPRESSION,
            "await the value first: {% let ready = await check() %}, then test 'ready'",
        )
    if condition is not None and _at_keyword(p):
        p.fail(
            f"{tag} modifiers must come before 'if'",
            p.stream.current,
            ErrorCode.UNSUPPORTED_SYNTAX,
            f"write {{% {tag} {name} key=value if condition %}}",
        )
    p.expect_block_end(tag)
    body, _ = p.parse_block(begin, tag, (f"end{tag}",), name=name)
    if required:
        for node in body:
            if not isinstance(node, Data) or node.value.strip():
                p.fail(
                    "required blocks can only contain comments or whitespace",
                    _token_at(node),
                    suggestion=f"move the content into the templates overriding "
                    f"{{% {tag} {name} %}}",
                )
    block = _new_block(
        name=name,
        body=body,
        condition=condition,
        modifiers=modifiers,
        fragment=tag == "fragment",
        scoped=scoped,
        required=required,
        lineno=begin.lineno,
        col_offset=begin.col_offset,
    )
    if entry is not None:
        entry.node = block
    return block


def _skip_flag(p: Parser, flag: str) -> bool:
    """Consume the bare word ``flag`` (``scoped``, ``required``) if it comes next."""
    stream = p.stream
    if stream.at_name(flag) and not _at_keyword(p):
        stream.advance()
        return True
    return False


def parse_block(p: Parser, begin: Token) -> Block:
    """``{% block name [modifiers] [if cond] %}…{% end/endblock [name] %}``."""
    return _parse_block_tag(p, begin, "block")


def parse_fragment(p: Parser, begin: Token) -> Block:
    """``{% fragment name [modifiers] [if cond] %}``: a block only ``render_block`` produces."""
    return _parse_block_tag(p, begin, "fragment")


def _parse_setup(p: Parser, begin: Token, tag: str) -> Globals:
    """``{% globals %}``/``{% imports %}``: a top-level setup section."""
    if p.enclosing:
        p.fail(
            f"{{% {tag} %}} must be at the top level of the template, "
            f"not inside {{% {p.enclosing[-1]} %}}",
            begin,
            ErrorCode.DEFINITION_NOT_TOPLEVEL,
            f"move the {{% {tag} %}} section to the top level",
        )
    p.expect_block_end(tag)
    body, _ = p.parse_block(begin, tag, (f"end{tag}",))
    return Globals(body=body, **at(begin))


def parse_globals(p: Parser, begin: Token) -> Globals:
    """``{% globals %}…{% end %}``."""
    return _parse_setup(p, begin, "globals")


def parse_imports(p: Parser, begin: Token) -> Globals:
    """``{% imports %}…{% end %}`` (same as ``globals``)."""
    return _parse_setup(p, begin, "imports")


# -- functions and components -----------------------------------------------------

# Bodies a def/region may stand in: setup sections, blocks and other definitions.
# Control flow and scoped constructs (if, for, with, call...) are refused.
_DEFINITION_HOMES = frozenset({"globals", "imports", "block", "fragment", "def", "macro", "region"})


def _check_definition_placement(p: Parser, begin: Token, tag: str) -> None:
    """K-TPL-004 when the definition stands in control flow or a scoped construct."""
    misplaced = [label for label in p.enclosing if label not in _DEFINITION_HOMES]
    if not misplaced:
        return
    p.fail(
        f"{{% {tag} %}} cannot be defined inside {{% {misplaced[-1]} %}}",
        begin,
        ErrorCode.DEFINITION_NOT_TOPLEVEL,
        f"move the {{% {tag} %}} out of the {{% {misplaced[-1]} %}} (to the top level, a block "
        "or another def) and call it from there",
    )


Params = tuple[tuple[Param, ...], str | None, str | None]


def _parse_params(p: Parser, tag: str, name: str, *, variadic: bool) -> Params:
    """``(a, b: str = "x", *args, **kwargs)``: params, ``*`` name, ``**`` name."""
    stream = p.stream
    if not stream.skip_op("("):
        p.fail(
            f"expected '(' after {{% {tag} {name} %}}, got {describe(stream.current)}",
            stream.current,
            ErrorCode.INVALID_EXPRESSION,
            f"write {{% {tag} {name}() %}}, even without parameters",
        )
    params: list[Param] = []
    vararg: str | None = None
    kwarg: str | None = None
    seen: set[str] = set()
    while not stream.at_op(")"):
        star = stream.current if stream.at_op("*", "**") else None
        if kwarg is not None:
            _bad_param(p, "**kwargs must be the last parameter", stream.current)
        if star is not None:
            if not variadic:
                p.fail(
                    f"{{% {tag} %}} does not accept {star.value}parameters",
                    star,
                    ErrorCode.UNSUPPORTED_SYNTAX,
                    "declare every parameter by name, or use a {% def %}",
                )
            stream.advance()
        token = _identifier(p, "a parameter name")
        if token.value in seen:
            _bad_param(p, f"duplicate parameter {token.value!r}", token)
        seen.add(token.value)
        if star is None:
            if vararg is not None:
                _bad_param(p, "parameters after *args are not supported", token)
            params.append(_parse_param(p, token, params))
        elif star.value == "**":
            kwarg = token.value
        elif vararg is not None:
            _bad_param(p, "only one *args parameter is allowed", star)
        else:
            vararg = token.value
        if not stream.skip_op(","):
            break
    p.expect_op(")", f"to close the {{% {tag} %}} parameters")
    return tuple(params), vararg, kwarg


def _parse_param(p: Parser, token: Token, before: list[Param]) -> Param:
    """The rest of ``name[: annotation][= default]`` after its name."""
    stream = p.stream
    annotation = _parse_annotation(p, _PARAM_STOPS) if stream.skip_op(":") else None
    awaits_before = len(p._awaits)
    default = p.parse_expression() if stream.skip_op("=") else None
    if len(p._awaits) > awaits_before:
        # Defaults are evaluated where the def is defined, also in synchronous code.
        p.fail(
            "'await' is not allowed in a parameter default",
            p._awaits[awaits_before],
            ErrorCode.INVALID_EXPRESSION,
            "await the value first: {% set value = await fetch() %}, then use it as the default",
        )
    if default is None and before and before[-1].default is not None:
        _bad_param(
            p,
            f"parameter {token.value!r} without a default follows one with a default",
            token,
            f"give {token.value!r} a default or move it before {before[-1].name!r}",
        )
    return _new_param(
        name=token.value,
        annotation=annotation,
        default=default,
        lineno=token.lineno,
        col_offset=token.col_offset,
    )


def _check_caller_param(p: Parser, params: tuple[Param, ...], tag: str) -> None:
    """A parameter named ``caller`` must have a default (``{% call %}`` fills it)."""
    for param in params:
        if param.name == "caller" and param.default is None:
            _bad_param(
                p,
                f"the 'caller' parameter of a {{% {tag} %}} needs a default",
                Token(TokenType.NAME, "", param.lineno, param.col_offset),
                "leave 'caller' out of the parameters: the body reads it implicitly",
            )


def _bad_param(p: Parser, message: str, token: Token, suggestion: str | None = None) -> NoReturn:
    """Raise K-PAR-003 for a malformed parameter list."""
    p.fail(message, token, ErrorCode.INVALID_EXPRESSION, suggestion)


def parse_def(p: Parser, begin: Token) -> Def:
    """``{% def name(params) %}…{% end/enddef %}``."""
    _check_definition_placement(p, begin, "def")
    name = _identifier(p, "a name for the {% def %}").value
    params, vararg, kwarg = _parse_params(p, "def", name, variadic=True)
    p.expect_block_end("def")
    body, _ = p.parse_block(begin, "def", ("enddef",))
    return Def(name=name, params=params, body=body, vararg=vararg, kwarg=kwarg, **at(begin))


def parse_region(p: Parser, begin: Token) -> Region:
    """``{% region name(params) %}…{% end/endregion %}``: a block and a callable."""
    _check_definition_placement(p, begin, "region")
    entry = p.open_section()
    name = _identifier(p, "a name for the {% region %}").value
    params, _, _ = _parse_params(p, "region", name, variadic=False)
    p.expect_block_end("region")
    body, _ = p.parse_block(begin, "region", ("endregion",))
    region = Region(name=name, params=params, body=body, **at(begin))
    if entry is not None:
        entry.node = region
    return region


def parse_call(p: Parser, begin: Token) -> CallBlock:
    """``{% call f(args) %}default {% slot name %}…{% end %}{% end/endcall %}``.

    An explicit ``{% slot default %}`` becomes ``body``, so ``slots`` only
    holds named slots. ``{% call(a, b=1) f() %}`` gives the body parameters
    that ``caller(x, y)`` fills, as in Jinja2.
    """
    params = None
    if p.stream.at_op("("):
        params, _, _ = _parse_params(p, "call", "", variadic=False)
        _check_caller_param(p, params, "call")
    call = p.parse_expression()
    if not isinstance(call, Call):
        p.fail(
            "{% call %} needs a function call",
            _token_at(call),
            suggestion="write {% call name(args) %}…{% end %}",
        )
    p.expect_block_end("call")
    content, _ = p.parse_block(begin, "call", ("endcall",))
    body = tuple(node for node in content if not isinstance(node, SlotContent))
    slots: dict[str, SlotContent] = {}
    for slot in (node for node in content if isinstance(node, SlotContent)):
        if slot.name in slots:
            p.fail(
                f"slot {slot.name!r} is filled twice in this {{% call %}}",
                _token_at(slot),
                suggestion=f"merge the two {{% slot {slot.name} %}} bodies",
            )
        slots[slot.name] = slot
    # A scoped default slot keeps its node (and its let: names) among the slots.
    default = slots.get("default")
    if default is not None and not default.lets:
        del slots["default"]
    if default is not None:
        if any(not isinstance(node, Data) or node.value.strip() for node in body):
            p.fail(
                "the default slot is filled twice: by {% slot default %} and by content "
                "outside any slot",
                _token_at(default),
                suggestion="move the loose content into {% slot default %}",
            )
        body = () if default.lets else default.body
    if params is not None and (slots or default is not None):
        p.fail(
            "a {% call %} with caller parameters takes no {% slot %} content",
            begin,
            suggestion="pass the values through caller(...) and read them in the body",
        )
    return CallBlock(call=call, body=body, slots=tuple(slots.values()), params=params, **at(begin))


def parse_slot(p: Parser, begin: Token) -> Node:
    """``{% slot [name] %}``: content inside ``call``, a self-closing placeholder elsewhere.

    Directly inside ``{% call %}`` it opens a body (``SlotContent``); anywhere
    else within a ``{% def %}`` it is a ``Slot`` placeholder.
    """
    stream = p.stream
    name = "default"
    if stream.current.type is TokenType.NAME and not _at_let(p):
        name = _identifier(p, "a slot name").value
    enclosing = p.enclosing
    if enclosing[-1:] == ("call",):
        names = tuple(let for let, _ in _slot_lets(p, with_values=False))
        p.expect_block_end("slot")
        body, _ = p.parse_block(begin, "slot", ())
        return SlotContent(name=name, body=body, lets=names, **at(begin))
    if "def" in enclosing:
        lets = tuple((let, value) for let, value in _slot_lets(p, with_values=True) if value)
        p.expect_block_end("slot")
        if not lets:
            return Slot(name=name, **at(begin))
        # A scoped slot always opens a body: its default content.
        default, _ = p.parse_block(begin, "slot", ())
        return Slot(name=name, lets=lets, default=default, **at(begin))
    if "call" in enclosing:
        p.fail(
            f"slot content must be directly inside {{% call %}}, "
            f"not inside {{% {enclosing[-1]} %}}",
            begin,
            suggestion=f"move the {{% slot {name} %}} out of the {{% {enclosing[-1]} %}}",
        )
    p.fail(
        "{% slot %} outside a {% def %} or {% call %}",
        begin,
        suggestion="use {% slot %} inside a {% def %} to place the caller's content, "
        "or {% slot name %}…{% end %} inside {% call %} to provide it",
    )


def parse_yield(p: Parser, begin: Token) -> Yield:
    """``{% yield [name] %}``: the enclosing def's caller slot, even inside a nested call."""
    stream = p.stream
    name = "default"
    if stream.current.type is TokenType.NAME:
        name = _identifier(p, "a slot name").value
    p.expect_block_end("yield")
    if "def" not in p.enclosing:
        p.fail(
            "{% yield %} outside a {% def %}",
            begin,
            suggestion="use {% yield %} inside a {% def %} to forward its caller's slot",
        )
    return Yield(name=name, **at(begin))


def _slot_lets(p: Parser, *, with_values: bool) -> list[tuple[str, Expr | None]]:
    """Scoped-slot bindings: ``let:a=x, let:b=y`` (def side) or ``let:a, let:b`` (call side)."""
    stream = p.stream
    lets: list[tuple[str, Expr | None]] = []
    while _at_let(p):
        stream.advance()
        stream.advance()
        let = _identifier(p, "a scoped-slot name after 'let:'")
        if any(let.value == seen for seen, _ in lets):
            p.fail(f"duplicate scoped-slot name '{let.value}'", let)
        value: Expr | None = None
        if with_values:
            if not stream.at_op("="):
                p.fail(
                    f"expected '=' after let:{let.value}, got {describe(stream.current)}",
                    stream.current,
                    suggestion=f"pass a value up to the caller: let:{let.value}=expr",
                )
            stream.advance()
            value = p.parse_expression()
        lets.append((let.value, value))
        if not stream.at_op(","):
            break
        stream.advance()
        if not _at_let(p):
            p.fail(f"expected 'let:' after ',', got {describe(stream.current)}", stream.current)
    return lets


def _at_let(p: Parser) -> bool:
    """Whether the stream is at a scoped-slot binding ``let:``."""
    following = p.stream.look()
    return (
        p.stream.at_name("let") and following.type is TokenType.OPERATOR and following.value == ":"
    )


# -- error boundaries and caching --------------------------------------------------


def parse_try(p: Parser, begin: Token) -> Try:
    """``{% try %}…{% fallback [name] %}…{% end/endtry %}``."""
    p.expect_block_end("try")
    body, terminator = p.parse_block(begin, "try", ("endtry",), frozenset({"fallback"}))
    if terminator.value != "fallback":
        p.fail(
            "{% try %} needs a {% fallback %}",
            begin,
            suggestion="add {% fallback %} and the content to show on error before the "
            "closing {% end %}",
        )
    error_name = None
    if p.stream.current.type is TokenType.NAME:
        error_name = _identifier(p, "a name for the error").value
    p.expect_block_end("fallback")
    fallback, _ = p.parse_block(begin, "try", ("endtry",))
    return Try(body=body, fallback=fallback, error_name=error_name, **at(begin))


_CACHE_OPTIONS = ("ttl", "depends")


def parse_cache(p: Parser, begin: Token) -> Cache:
    """``{% cache key [, ttl=expr] [, depends=expr] %}…{% end/endcache %}``."""
    stream = p.stream
    key = p.parse_expression()
    options: dict[str, Expr] = {}
    while stream.skip_op(","):
        option = stream.current
        if not _at_keyword(p):
            p.fail(
                f"expected ttl= or depends= after ',' in {{% cache %}}, got {describe(option)}",
                option,
                suggestion="the cache key is one expression: write {% cache (a, b) %} "
                "for a composite key",
            )
        if option.value not in _CACHE_OPTIONS:
            p.fail(
                f"unknown {{% cache %}} option {option.value!r}",
                option,
                suggestion="{% cache %} accepts ttl=… and depends=…",
            )
        if option.value in options:
            p.fail(
                f"duplicate {{% cache %}} option {option.value!r}",
                option,
                ErrorCode.INVALID_EXPRESSION,
            )
        stream.advance()
        stream.advance()
        options[option.value] = p.parse_expression()
    if _at_keyword(p):
        p.fail(
            f"expected ',' before {stream.current.value}= in {{% cache %}}",
            stream.current,
            suggestion=f"write {{% cache key, {stream.current.value}=… %}}",
        )
    p.expect_block_end("cache")
    body, _ = p.parse_block(begin, "cache", ("endcache",))
    return Cache(
        key=key, body=body, ttl=options.get("ttl"), depends=options.get("depends"), **at(begin)
    )


# -- provided values and content stacks --------------------------------------------


def parse_provide(p: Parser, begin: Token) -> Provide:
    """``{% provide key = expr %}…{% end/endprovide %}``."""
    key = p.expect_name("to provide after {% provide %}")
    if not p.stream.skip_op("="):
        p.fail(
            f"expected '=' after {{% provide {key.value} %}}, got {describe(p.stream.current)}",
            p.stream.current,
            suggestion=f"write {{% provide {key.value} = value %}}",
        )
    value = p.parse_expression()
    p.expect_block_end("provide")
    body, _ = p.parse_block(begin, "provide", ("endprovide",))
    return Provide(key=key.value, value=value, body=body, **at(begin))


def parse_push(p: Parser, begin: Token) -> Push:
    """``{% push "name" %}…{% end/endpush %}``."""
    name = p.parse_expression()
    p.expect_block_end("push")
    body, _ = p.parse_block(begin, "push", ("endpush",))
    return Push(name=name, body=body, **at(begin))


def parse_stack(p: Parser, begin: Token) -> Stack:
    """``{% stack "name" %}`` (self-closing)."""
    name = p.parse_expression()
    p.expect_block_end("stack")
    return Stack(name=name, **at(begin))


# -- dispatch tables --------------------------------------------------------------

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
    "autoescape": parse_autoescape,
    "flush": parse_flush,
    "raw": parse_raw,
    "template": parse_template,
    "extends": parse_extends,
    "include": parse_include,
    "embed": parse_embed,
    "import": parse_import,
    "from": parse_from,
    "block": parse_block,
    "fragment": parse_fragment,
    "globals": parse_globals,
    "imports": parse_imports,
    "def": parse_def,
    "region": parse_region,
    "call": parse_call,
    "slot": parse_slot,
    "yield": parse_yield,
    "try": parse_try,
    "cache": parse_cache,
    "provide": parse_provide,
    "push": parse_push,
    "stack": parse_stack,
}


# Every explicit closer of a block tag, plus ``endset`` for the block form of ``set``.
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
        "endmacro",
        "endregion",
        "endcall",
        "endcapture",
        "endcache",
        "endfilter",
        "endmatch",
        "endspaceless",
        "endautoescape",
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
