"""The template parser: template bodies, block nesting and shared tag pieces.

Tag-specific parsing lives in :mod:`kida_core.parser.statements` (one function
per tag, looked up by tag name); this module owns the body loop that dispatches
to them and the bookkeeping of open blocks, so closers, continuations
(``elif``/``else``/``empty``/``case``) and unclosed-block errors are handled in
one place.
"""

from __future__ import annotations

from typing import NamedTuple, NoReturn

from kida_core.errors import ErrorCode
from kida_core.lexer import Token, TokenType
from kida_core.nodes import (
    Assign,
    Body,
    Data,
    Expr,
    FilterCall,
    Name,
    Node,
    Output,
    TemplateNode,
    TupleExpr,
    builder,
)
from kida_core.parser.base import loc
from kida_core.parser.errors import (
    CONTINUATION_HOMES,
    JINJA_TAG_HINTS,
    NAMESPACE_HINT,
    describe,
    did_you_mean,
)
from kida_core.parser.expressions import ExpressionParser
from kida_core.parser.i18n import I18N_STATEMENTS
from kida_core.parser.macros import MACRO_STATEMENTS
from kida_core.parser.record import Section
from kida_core.parser.statements import CLOSERS
from kida_core.parser.statements import STATEMENTS as _CORE_STATEMENTS

#: Every tag's parse function.
STATEMENTS = {**_CORE_STATEMENTS, **MACRO_STATEMENTS, **I18N_STATEMENTS}

_DATA = TokenType.DATA
_BLOCK_BEGIN = TokenType.BLOCK_BEGIN
_BLOCK_END = TokenType.BLOCK_END
_VARIABLE_BEGIN = TokenType.VARIABLE_BEGIN
_VARIABLE_END = TokenType.VARIABLE_END
_NAME = TokenType.NAME
_EOF = TokenType.EOF
_ASSIGN = frozenset({"=", "??="})
_TARGET_PUNCTUATION = frozenset({"(", ")", ","})

# Builders of the nodes every template has many of (see :func:`kida_core.nodes.builder`).
_new_data = builder(Data)
_new_output = builder(Output)
_new_template = builder(TemplateNode)


class _OpenBlock(NamedTuple):
    """A block whose body is being parsed (a named tuple: built once per block body)."""

    label: str
    begin: Token
    closers: tuple[str, ...]
    continuations: frozenset[str]
    loop: bool


#: Deepest nesting of block tags (``if``, ``for``, ``with``, ``block``, ...) accepted.
MAX_BLOCK_DEPTH = 40
NESTING_HINT = (
    f"templates nest at most {MAX_BLOCK_DEPTH} blocks deep; move the inner part into a "
    "{% def %} or an include"
)

# Bodies compiled to a function of their own: ``break``/``continue`` cannot cross them.
_FUNCTION_BODIES = frozenset({"block", "fragment", "def", "macro", "region", "call", "slot"})
# Sections whose content still counts as the template's top level.
_SETUP_SECTIONS = frozenset({"globals", "imports"})
# Bodies of callables: blocks cannot stand in them.
_CALLABLE_BODIES = frozenset({"def", "macro", "call"})


class Parser(ExpressionParser):
    """Turns a token list into a :class:`~kida_core.nodes.TemplateNode`.

    ``trans_implicit_variables`` lets a ``{% trans %}`` body use undeclared
    names (read from the context) instead of rejecting them. ``warnings``
    collects :class:`~kida_core.errors.TemplateWarning` records (K-WARN-001)
    found while parsing; the caller decides how to emit them.
    """

    def __init__(
        self,
        tokens: list[Token],
        *,
        name: str | None = None,
        filename: str | None = None,
        source: str | None = None,
        trans_implicit_variables: bool = False,
    ) -> None:
        super().__init__(tokens, name=name, filename=filename, source=source)
        #: Whether an undeclared ``{{ name }}`` in a ``{% trans %}`` body reads the context.
        self.trans_implicit_variables = trans_implicit_variables
        self._blocks: list[_OpenBlock] = []
        # Token index up to which a comma is known not to start an assignment.
        self._no_assignment_before = 0

    def parse(self) -> TemplateNode:
        """Parse the whole template."""
        try:
            body, _ = self._parse_body()
        except RecursionError:  # the limits below normally stop much earlier
            self.fail(
                "the template nests too deeply to parse",
                self.stream.current,
                ErrorCode.SYNTAX_ERROR,
                NESTING_HINT,
            )
        root = _new_template(body=body, name=self.name, lineno=1, col_offset=0)
        record = self.record
        record.root = root
        record.is_async = record.is_async or bool(self._awaits)
        return root

    def parse_standalone_expression(self) -> Expr:
        """Parse the tokens of ``Lexer.tokenize_expression()``: exactly one expression."""
        stream = self.stream
        stream.advance()  # the opening of the implicit output tag
        expr = self.parse_expression()
        if stream.current.type is not _EOF:
            self.fail(f"unexpected {describe(stream.current)} after the expression", stream.current)
        return expr

    # -- bodies -------------------------------------------------------------

    def parse_block(
        self,
        begin: Token,
        label: str,
        closers: tuple[str, ...],
        continuations: frozenset[str] = frozenset(),
        *,
        loop: bool = False,
        name: str | None = None,
    ) -> tuple[Body, Token]:
        """Parse a block body up to ``{% end %}``, an explicit closer or a continuation.

        ``begin`` is the opening tag's ``{%`` token and ``label`` its name as
        written in messages; ``closers`` lists the explicit closers, the first
        one being suggested in errors. ``loop`` marks a loop body; ``name``
        lets an explicit closer repeat the block's name (``{% endblock nav %}``).
        Returns the body and the terminating tag-name token. A closing tag is
        consumed entirely; for a continuation the stream is left just after its
        name so the caller parses the rest.
        """
        if len(self._blocks) >= MAX_BLOCK_DEPTH:
            self.fail(
                f"{{% {label} %}} is nested more than {MAX_BLOCK_DEPTH} blocks deep",
                begin,
                ErrorCode.SYNTAX_ERROR,
                NESTING_HINT,
            )
        self._blocks.append(_OpenBlock(label, begin, closers, continuations, loop))
        try:
            body, terminator = self._parse_body()
        finally:
            self._blocks.pop()
        assert terminator is not None
        if terminator.value not in continuations:
            if (
                name is not None
                and terminator.value in closers
                and self.stream.current.type is _NAME
            ):
                self._check_closing_name(terminator, label, name, begin)
            self.expect_block_end(terminator.value)
        return body, terminator

    def _check_closing_name(self, closer: Token, label: str, name: str, begin: Token) -> None:
        """Consume the name after ``{% endblock %}``; it must be the block's own."""
        written = self.stream.current
        if written.value != name:
            self.fail(
                f"{{% {closer.value} {written.value} %}} does not match "
                f"{{% {label} {name} %}} from line {begin.lineno}",
                written,
                suggestion=f"write {{% {closer.value} {name} %}} or {{% end %}}",
            )
        self.stream.advance()

    # -- what the parser records --------------------------------------------

    def open_section(self) -> Section | None:
        """The record's entry for an extends, block or region starting here, made
        in the order a walk of the finished tree meets them (the node is set
        once built). None for a block that becomes an ``{% embed %}`` override.
        """
        top_level = True
        inside_callable = False
        for block in self._blocks:
            label = block.label
            if label not in _SETUP_SECTIONS:
                top_level = False
            if label in _CALLABLE_BODIES:
                inside_callable = True
                if label == "call":  # its slots are stored apart from its body
                    self.record.in_order = False
        if self._blocks and self._blocks[-1].label == "embed":
            return None
        section = Section(top_level, inside_callable)
        self.record.sections.append(section)
        return section

    # -- where the parser is ------------------------------------------------

    @property
    def enclosing(self) -> tuple[str, ...]:
        """Labels of the blocks being parsed, outermost first."""
        return tuple(block.label for block in self._blocks)

    def in_loop_body(self, *, through_functions: bool) -> bool:
        """Whether the current position is inside a ``for``/``while`` body.

        With ``through_functions=False`` the search stops at the nearest body
        compiled to its own function (def, call, block…), which is what
        decides whether ``break``/``continue`` can reach the loop.
        """
        for block in reversed(self._blocks):
            if block.loop:
                return True
            if not through_functions and block.label in _FUNCTION_BODIES:
                return False
        return False

    def _parse_body(self) -> tuple[Body, Token | None]:
        """Parse nodes until a terminator of the innermost open block (or EOF)."""
        stream = self.stream
        tokens = stream.tokens
        statements = STATEMENTS
        block = self._blocks[-1] if self._blocks else None
        body: list[Node] = []
        append = body.append
        while True:
            token = stream.current
            kind = token.type
            # Each step past a token that is not EOF is inlined (see TokenStream).
            if kind is _DATA:
                stream.pos = pos = stream.pos + 1
                stream.current = tokens[pos]
                append(
                    _new_data(value=token.value, lineno=token.lineno, col_offset=token.col_offset)
                )
            elif kind is _VARIABLE_BEGIN:
                stream.pos = pos = stream.pos + 1
                stream.current = tokens[pos]
                expr = self.parse_expression()
                end = stream.current
                if end.type is not _VARIABLE_END:
                    self.fail(f"expected end of output tag, got {describe(end)}", end)
                stream.pos = pos = stream.pos + 1
                stream.current = tokens[pos]
                append(_new_output(expr=expr, lineno=token.lineno, col_offset=token.col_offset))
            elif kind is _BLOCK_BEGIN:
                stream.pos = pos = stream.pos + 1
                stream.current = name = tokens[pos]
                if name.type is not _NAME:
                    self.fail(f"expected a tag name, got {describe(name)}", name)
                tag = name.value
                stream.pos = pos = pos + 1
                stream.current = tokens[pos]
                if block is not None and (
                    tag == "end" or tag in block.closers or tag in block.continuations
                ):
                    # A terminator of the innermost open block ends (or continues) it.
                    return tuple(body), name
                handler = statements.get(tag)
                if handler is None:
                    self._reject_tag(name)
                append(handler(self, token))
            elif kind is _EOF:
                if block is not None:
                    self._unclosed(block)
                return tuple(body), None
            else:
                self.fail(f"unexpected {describe(token)}", token)

    def _reject_tag(self, name: Token) -> NoReturn:
        """Raise the most helpful error for a tag that cannot start a statement here."""
        tag = name.value
        if tag == "end" or tag in CLOSERS:
            if self._blocks:
                block = self._blocks[-1]
                self.fail(
                    f"unexpected {{% {tag} %}}: expected {self._closer_text(block)} to close "
                    f"{{% {block.label} %}} from line {block.begin.lineno}",
                    name,
                    suggestion=f"add {self._closer_text(block)} before {{% {tag} %}}",
                )
            self.fail(
                f"unexpected {{% {tag} %}}: there is no open block to close",
                name,
                suggestion="remove it, or check that the opening tag is spelled correctly",
            )
        if tag in CONTINUATION_HOMES:
            self.fail(f"unexpected {{% {tag} %}}", name, suggestion=CONTINUATION_HOMES[tag])
        if tag in JINJA_TAG_HINTS:
            message, suggestion = JINJA_TAG_HINTS[tag]
            self.fail(message, name, suggestion=suggestion)
        known = {*STATEMENTS, *CLOSERS, *CONTINUATION_HOMES, "end"}
        self.fail(f"unknown tag {{% {tag} %}}", name, suggestion=did_you_mean(tag, known))

    @staticmethod
    def _closer_text(block: _OpenBlock) -> str:
        """``{% end %} or {% endfor %}`` for a block's closers."""
        return " or ".join(f"{{% {closer} %}}" for closer in ("end", *block.closers[:1]))

    def _unclosed(self, block: _OpenBlock) -> NoReturn:
        """Raise K-PAR-002 for a block still open at the end of the template."""
        self.fail(
            f"unclosed {{% {block.label} %}} (opened on line {block.begin.lineno}): "
            "reached the end of the template",
            block.begin,
            ErrorCode.UNCLOSED_BLOCK,
            f"add {self._closer_text(block)}",
        )

    # -- pieces shared by several tags -------------------------------------

    def expect_block_end(self, tag: str) -> None:
        """Consume the ``%}`` that ends the ``tag`` tag, or fail naming the stray token."""
        stream = self.stream
        token = stream.current
        if token.type is _BLOCK_END:
            stream.pos = pos = stream.pos + 1
            stream.current = stream.tokens[pos]
            return
        suggestion = None
        if tag == "else" and stream.at_name("if"):
            suggestion = "use {% elif condition %}"
        self.fail(
            f"expected end of {{% {tag} %}} tag, got {describe(token)}",
            token,
            suggestion=suggestion,
        )

    def parse_assignments(self, tag: str, *, coalesce: bool = True) -> tuple[Assign, ...]:
        """``a = 1, b ??= 2, c, d = pair`` for ``set``/``let``/``export``/``with``."""
        stream = self.stream
        assignments: list[Assign] = []
        while True:
            target = self.parse_target(nested=True)
            operator = stream.current
            if coalesce and stream.at_op("??="):
                if not isinstance(target, Name):
                    self.fail(
                        "'??=' assigns a single name",
                        operator,
                        ErrorCode.INVALID_EXPRESSION,
                        "write one '??=' per name: a ??= 1, b ??= 2",
                    )
            elif stream.at_op("."):
                self.fail(
                    f"{{% {tag} %}} cannot assign to an attribute here"
                    if tag == "set"
                    else f"{{% {tag} %}} cannot assign to an attribute",
                    operator,
                    ErrorCode.UNSUPPORTED_SYNTAX,
                    NAMESPACE_HINT,
                )
            elif not stream.at_op("="):
                self.fail(
                    f"expected '=' in {{% {tag} %}}, got {describe(operator)}",
                    operator,
                )
            stream.advance()
            value = self.parse_assigned_value()
            assignments.append(
                Assign(
                    target=target,
                    value=value,
                    coalesce=operator.value == "??=",
                    lineno=target.lineno,
                    col_offset=target.col_offset,
                )
            )
            if not stream.skip_op(","):
                return tuple(assignments)

    def parse_assigned_value(self) -> Expr:
        """The value after ``=``: an expression, or an implicit tuple ``1, 2`` / ``1,``.

        A comma ends the value when an assignment follows it (``a = 1, b = 2``).
        """
        stream = self.stream
        first = self.parse_expression()
        items = [first]
        trailing = False
        while stream.at_op(",") and not self._assignment_follows_comma():
            stream.advance()
            if stream.current.type is _BLOCK_END:
                trailing = True
                break
            items.append(self.parse_expression())
        if len(items) == 1 and not trailing:
            return first
        return TupleExpr(items=tuple(items), **loc(first))

    def _assignment_follows_comma(self) -> bool:
        """Whether the tokens after the current ``,`` are a target and ``=``/``??=``."""
        stream = self.stream
        if stream.pos < self._no_assignment_before:
            # An earlier scan crossed this comma: the same answer, without rescanning.
            return False
        offset = 1
        names = 0
        while True:
            token = stream.look(offset)
            if token.type is _NAME:
                names += 1
            elif token.type is TokenType.OPERATOR and token.value in _TARGET_PUNCTUATION:
                pass
            elif names > 0 and token.type is TokenType.OPERATOR and token.value in _ASSIGN:
                return True
            else:
                self._no_assignment_before = stream.pos + offset
                return False
            offset += 1

    def parse_filter_calls(self) -> tuple[FilterCall, ...]:
        """``f(args) | g | h`` as used by ``{% filter %}`` and ``{% capture x | … %}``."""
        calls: list[FilterCall] = []
        while True:
            name = self.stream.current
            if name.type is not _NAME:
                self.fail(
                    f"expected a filter name, got {describe(name)}",
                    name,
                    ErrorCode.INVALID_FILTER,
                )
            self.stream.advance()
            self._filter_names.append(name.value)
            args, kwargs, dyn_args, dyn_kwargs = (
                self._parse_arguments() if self.stream.at_op("(") else ((), (), None, None)
            )
            calls.append(
                FilterCall(
                    name=name.value,
                    args=args,
                    kwargs=kwargs,
                    dyn_args=dyn_args,
                    dyn_kwargs=dyn_kwargs,
                    lineno=name.lineno,
                    col_offset=name.col_offset,
                )
            )
            if not self.stream.skip_op("|"):
                return tuple(calls)
