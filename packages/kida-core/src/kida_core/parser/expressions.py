"""Expression grammar, one method per precedence level (lowest first).

Lowest to highest: ``??`` → ternary → ``or`` → ``and`` → ``not`` → comparisons
and tests → ``+ - ~`` → filter chains → ``* / // %`` → range literals → unary
``- +`` / ``await`` → ``**`` → postfix (``.`` ``?.`` ``[]`` ``?[]`` calls) →
primary.

Deviation from the table: range literals bind just below unary minus (not at the
postfix level) so ``-5..5`` is ``range(-5, 6)`` and ``10..0 by -2`` works.
A test (``is name``) after a comparison chain applies to the whole chain:
``a < b is true_test`` means ``(a < b) is true_test``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NoReturn, cast

from kida_core.errors import ErrorCode, TemplateWarning
from kida_core.lexer import Token, TokenType
from kida_core.nodes import (
    Await,
    BinOp,
    BinOperator,
    BoolOp,
    Call,
    Compare,
    CompareOperator,
    CondExpr,
    Const,
    DictExpr,
    Expr,
    Filter,
    Getattr,
    Getitem,
    Keyword,
    ListComp,
    ListExpr,
    Name,
    NullCoalesce,
    RangeExpr,
    Slice,
    Test,
    TupleExpr,
    UnaryOp,
    builder,
)
from kida_core.parser.base import ParserBase, at, loc
from kida_core.parser.errors import describe
from kida_core.parser.record import ParseRecord

MAX_FILTER_CHAIN = 200
#: Deepest nesting of parentheses, brackets, calls, unary operators and
#: conditional expressions inside one another that the parser accepts.
MAX_EXPRESSION_DEPTH = 30

CONSTANTS: dict[str, bool | None] = {
    "true": True,
    "True": True,
    "false": False,
    "False": False,
    "none": None,
    "None": None,
}
# Names that can never be a variable reference.
RESERVED = frozenset({"and", "or", "not", "in", "is", "if", "else", "for", "await"})
_NOT_VARIABLES = RESERVED | CONSTANTS.keys()

_COMPARE_OPS = frozenset({"==", "!=", "<", "<=", ">", ">="})
# Filter operator → chain family; one chain may only use one family.
_FILTER_FAMILIES = {"|": "|", "?|": "|", "|>": "|>", "?|>": "?|>"}
_STRING = TokenType.STRING
_INTEGER = TokenType.INTEGER
_FLOAT = TokenType.FLOAT

_NAME = TokenType.NAME
_OPERATOR = TokenType.OPERATOR
# Tokens that start an operand only through a prefix level (``not``, unary, ``await``).
_PREFIX_OPS = frozenset({"-", "+"})
_PREFIX_WORDS = frozenset({"not", "await"})
# Tokens after an operand that no operator level continues from (the token types
# are compared with ``is``: an enum member hashes through a Python-level method).
_VARIABLE_END = TokenType.VARIABLE_END
_BLOCK_END = TokenType.BLOCK_END
_EOF = TokenType.EOF
_CLOSING_OPS = frozenset({")", "]", "}", ",", ":", "="})

Arguments = tuple[tuple[Expr, ...], tuple[Keyword, ...], Expr | None, Expr | None]

# Builders of the nodes expressions are mostly made of (see :func:`kida_core.nodes.builder`).
_new_name = builder(Name)
_new_const = builder(Const)
_new_getattr = builder(Getattr)
_new_getitem = builder(Getitem)
_new_call = builder(Call)
_new_filter = builder(Filter)
_new_keyword = builder(Keyword)


#: Words that may follow a test without being its argument (``x is odd and y``).
_AFTER_TEST = frozenset(
    {"and", "or", "else", "if", "not", "in", "is", "for", "as", "with", "without", "recursive"}
    | {"ignore", "only", "context", "by", "from", "import"}
)


class ExpressionParser(ParserBase):
    """Recursive-descent expression parser over the shared token stream."""

    def __init__(
        self,
        tokens: list[Token],
        *,
        name: str | None = None,
        filename: str | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(tokens, name=name, filename=filename, source=source)
        # Filter nodes written inside parentheses (kept alive so ids stay unique).
        self._parenthesized: dict[int, Expr] = {}
        self._awaits: list[Token] = []
        self._depth = 0
        #: What shapes the compiled layout, noted while the nodes are built.
        self.record = ParseRecord()
        self._filter_names = self.record.filters

    # -- entry points -------------------------------------------------------

    def parse_expression(self, *, ternary: bool = True) -> Expr:
        """Level 1: ``a ?? b`` (right-assoc); ``ternary=False`` forbids ``x if c``."""
        self._depth += 1
        if self._depth > MAX_EXPRESSION_DEPTH:
            self._too_deep()
        try:
            stream = self.stream
            token = stream.current
            kind = token.type
            first: Expr | None = None
            if kind is _OPERATOR:
                if token.value not in _PREFIX_OPS:
                    first = self._parse_postfix()
            elif kind is not _NAME or token.value not in _PREFIX_WORDS:
                first = self._parse_postfix()
            if first is not None:
                # Fast path: an operand followed by a token no operator level takes
                # (``}}``, ``%}``, ``,``, ``)``…) is the whole expression; otherwise
                # the levels continue from the operand already parsed.
                following = stream.current
                kind = following.type
                if (
                    kind is _VARIABLE_END
                    or kind is _BLOCK_END
                    or (kind is _OPERATOR and following.value in _CLOSING_OPS)
                    or kind is _EOF
                ):
                    return first
            left = self._parse_ternary(first) if ternary else self._parse_or(first)
            if not self.stream.at_op("??"):
                return left
            operator = self.stream.advance()
            right = self.parse_expression(ternary=ternary)
            self._check_coalesce_operands(left, right, operator)
            return NullCoalesce(left=left, right=right, **loc(left))
        finally:
            self._depth -= 1

    def _enter(self) -> None:
        """Count one more level of expression nesting; fail past the limit.

        The parser recurses once per level, so the limit keeps it (and the
        compiler after it) far from Python's recursion limit.
        """
        self._depth += 1
        if self._depth > MAX_EXPRESSION_DEPTH:
            self._too_deep()

    def _too_deep(self) -> NoReturn:
        """Raise the error for an expression nested past :data:`MAX_EXPRESSION_DEPTH`."""
        self.fail(
            f"expression nested more than {MAX_EXPRESSION_DEPTH} levels deep",
            self.stream.current,
            ErrorCode.INVALID_EXPRESSION,
            "compute inner parts first with {% set %}, or in Python before rendering",
        )

    def parse_tuple(self, *, ternary: bool = True) -> Expr:
        """An expression or an implicit tuple ``a, b`` (``match`` subjects and cases)."""
        first = self.parse_expression(ternary=ternary)
        if not self.stream.at_op(","):
            return first
        items = [first]
        while self.stream.skip_op(","):
            items.append(self.parse_expression(ternary=ternary))
        return TupleExpr(items=tuple(items), **loc(first))

    def parse_target(self, *, nested: bool) -> Expr:
        """A binding target: ``x`` or ``a, b``; ``nested`` allows ``a, (b, c)``."""
        first = self._parse_target_atom(nested)
        if not self.stream.at_op(","):
            return first
        items = [first]
        while self.stream.skip_op(","):
            items.append(self._parse_target_atom(nested))
        return TupleExpr(items=tuple(items), **loc(first))

    def _parse_target_atom(self, nested: bool) -> Expr:
        """One name of a target, or a parenthesised sub-target when ``nested``."""
        token = self.stream.current
        if nested and self.stream.skip_op("("):
            target = self.parse_target(nested=True)
            self.expect_op(")", "to close the target")
            return target
        if token.type is not _NAME or token.value in RESERVED or token.value in CONSTANTS:
            self.fail(f"expected a variable name to assign to, got {describe(token)}", token)
        self.stream.advance()
        return Name(name=token.value, **at(token))

    # -- levels 2-5 ---------------------------------------------------------

    def _parse_ternary(self, first: Expr | None = None) -> Expr:
        """Level 2: ``body if test [else orelse]`` (right-assoc).

        ``first``, at this and every level below, is an operand the caller has
        already parsed at the postfix level (see :meth:`parse_expression`).
        """
        body = self._parse_or(first)
        if not self.stream.skip_name("if"):
            return body
        test = self._parse_or()
        orelse = self._nested(self._parse_ternary) if self.stream.skip_name("else") else None
        return CondExpr(test=test, body=body, orelse=orelse, **loc(body))

    def _nested(self, parse: Callable[[], Expr]) -> Expr:
        """``parse()`` one expression level deeper (see :meth:`_enter`)."""
        self._enter()
        try:
            return parse()
        finally:
            self._depth -= 1

    def _parse_or(self, operand: Expr | None = None) -> Expr:
        """Level 3: ``a or b or c``."""
        first = self._parse_and(operand)
        if not self.stream.at_name("or"):
            return first
        values = [first]
        while self.stream.skip_name("or"):
            values.append(self._parse_and())
        return BoolOp(op="or", values=tuple(values), **loc(first))

    def _parse_and(self, operand: Expr | None = None) -> Expr:
        """Level 4: ``a and b and c``."""
        first = self._parse_not(operand)
        if not self.stream.at_name("and"):
            return first
        values = [first]
        while self.stream.skip_name("and"):
            values.append(self._parse_not())
        return BoolOp(op="and", values=tuple(values), **loc(first))

    def _parse_not(self, first: Expr | None = None) -> Expr:
        """Level 5: prefix ``not``."""
        if first is not None:
            return self._parse_compare(first)
        token = self.stream.current
        if token.type is _NAME and token.value == "not":
            self.stream.advance()
            return UnaryOp(op="not", operand=self._nested(self._parse_not), **at(token))
        return self._parse_compare()

    # -- level 6: comparisons and tests -------------------------------------

    def _parse_compare(self, first: Expr | None = None) -> Expr:
        """Level 6: Python-style comparison chains, ``is``/``is not`` identity and tests."""
        stream = self.stream
        left = self._parse_additive(first)
        ops: list[CompareOperator] = []
        comparators: list[Expr] = []
        while True:
            token = stream.current
            if token.type is _OPERATOR and token.value in _COMPARE_OPS:
                stream.advance()
                ops.append(cast(CompareOperator, token.value))
            elif token.type is not _NAME:
                break
            elif token.value == "in":
                stream.advance()
                ops.append("in")
            elif (
                token.value == "not" and stream.look().type is _NAME and stream.look().value == "in"
            ):
                stream.advance()
                stream.advance()
                ops.append("not in")
            elif token.value == "is":
                stream.advance()
                negated = stream.skip_name("not")
                test_token = stream.current
                if test_token.type is _NAME and test_token.value in CONSTANTS:
                    stream.advance()
                    ops.append("is not" if negated else "is")
                    comparators.append(Const(value=CONSTANTS[test_token.value], **at(test_token)))
                    continue
                if ops:
                    left = Compare(
                        left=left, ops=tuple(ops), comparators=tuple(comparators), **loc(left)
                    )
                    ops, comparators = [], []
                left = self._parse_test(left, negated)
                continue
            else:
                break
            comparators.append(self._parse_additive())
        if not ops:
            return left
        return Compare(left=left, ops=tuple(ops), comparators=tuple(comparators), **loc(left))

    def _parse_test(self, value: Expr, negated: bool) -> Test:
        """The part after ``is [not]``: ``name``, ``name(args)`` or ``name <literal>``."""
        stream = self.stream
        token = stream.current
        if token.type is not _NAME:
            self.fail(
                f"expected a test name after 'is', got {describe(token)}",
                token,
                ErrorCode.INVALID_TEST,
                "write a test such as 'x is defined' or 'n is divisibleby(3)'",
            )
        stream.advance()
        args: tuple[Expr, ...] = ()
        kwargs: tuple[Keyword, ...] = ()
        following = stream.current
        if stream.at_op("("):
            args, kwargs, dyn_args, dyn_kwargs = self._parse_arguments()
            extra = dyn_args or dyn_kwargs
            if extra is not None:
                self.fail(
                    "tests do not accept *args or **kwargs",
                    Token(TokenType.NAME, "", extra.lineno, extra.col_offset),
                    ErrorCode.INVALID_TEST,
                )
        elif (
            following.type is _STRING
            or following.type is _INTEGER
            or following.type is _FLOAT
            or (following.type is _NAME and following.value in CONSTANTS)
            or (following.type is _OPERATOR and following.value in ("[", "{"))
        ):
            # A bare literal argument, including list/dict displays: ``x is in [1, 2]``.
            args = (self._parse_primary(),)
        elif following.type is _NAME and following.value not in _AFTER_TEST:
            self.fail(
                f"a test argument that is a name must be in parentheses: "
                f"'{token.value} {following.value}'",
                following,
                ErrorCode.INVALID_TEST,
                f"write 'is {token.value}({following.value})'",
            )
        self.record.tests.append(token.value)
        return Test(
            value=value, name=token.value, args=args, kwargs=kwargs, negated=negated, **loc(value)
        )

    # -- levels 7-8 ---------------------------------------------------------

    def _parse_additive(self, first: Expr | None = None) -> Expr:
        """Level 7: ``+ - ~`` (left-assoc); operands are filter chains."""
        stream = self.stream
        left = self._parse_filtered(first)
        while stream.current.type is _OPERATOR and stream.current.value in ("+", "-", "~"):
            op = stream.advance().value
            right = self._parse_filtered()
            left = BinOp(op=cast(BinOperator, op), left=left, right=right, **loc(left))
        return left

    def _parse_filtered(self, first: Expr | None = None) -> Expr:
        """Level 7½: a multiplicative operand followed by a filter chain."""
        value = self._parse_multiplicative(first)
        token = self.stream.current
        if token.type is _OPERATOR and token.value in _FILTER_FAMILIES:
            return self._parse_filter_chain(value)
        return value

    def _parse_filter_chain(self, value: Expr) -> Expr:
        """``value | f(a) | g`` and the ``|>`` / ``?|`` / ``?|>`` spellings."""
        stream = self.stream
        tokens = stream.tokens
        first: Token | None = None
        steps = 0
        while (operator := stream.current).type is _OPERATOR and operator.value in _FILTER_FAMILIES:
            # Steps past tokens that are not EOF are inlined (see TokenStream).
            stream.pos = pos = stream.pos + 1
            stream.current = tokens[pos]
            if first is None:
                first = operator
            elif _FILTER_FAMILIES[operator.value] != _FILTER_FAMILIES[first.value]:
                self.fail(
                    f"cannot mix {first.value!r} and {operator.value!r} in one filter chain",
                    operator,
                    ErrorCode.INVALID_FILTER,
                    f"use {first.value!r} for every step, or parenthesise the first part: "
                    f"(x {first.value} f) {operator.value} g",
                )
            steps += 1
            if steps > MAX_FILTER_CHAIN:
                self.fail(
                    f"filter chain has more than {MAX_FILTER_CHAIN} steps",
                    operator,
                    ErrorCode.INVALID_FILTER,
                    "split the chain with intermediate {% set %} variables",
                )
            name = stream.current
            if name.type is not _NAME:
                self.fail(
                    f"expected a filter name after {operator.value!r}, got {describe(name)}",
                    name,
                    ErrorCode.INVALID_FILTER,
                )
            stream.pos = pos = pos + 1
            stream.current = tokens[pos]
            self._filter_names.append(name.value)
            args, kwargs, dyn_args, dyn_kwargs = (
                self._parse_arguments() if stream.at_op("(") else ((), (), None, None)
            )
            value = _new_filter(
                value=value,
                name=name.value,
                args=args,
                kwargs=kwargs,
                dyn_args=dyn_args,
                dyn_kwargs=dyn_kwargs,
                optional=operator.value.startswith("?"),
                pipeline=operator.value.endswith(">"),
                lineno=value.lineno,
                col_offset=value.col_offset,
            )
        return value

    def _parse_multiplicative(self, first: Expr | None = None) -> Expr:
        """Level 8: ``* / // %`` (left-assoc)."""
        stream = self.stream
        left = self._parse_range(first)
        while stream.current.type is _OPERATOR and stream.current.value in ("*", "/", "//", "%"):
            op = stream.advance().value
            right = self._parse_range()
            left = BinOp(op=cast(BinOperator, op), left=left, right=right, **loc(left))
        return left

    # -- levels 9-11 --------------------------------------------------------

    def _parse_range(self, first: Expr | None = None) -> Expr:
        """Range literals ``a..b``, ``a...b``, ``a..b by step``."""
        stream = self.stream
        start = self._parse_power(first) if first is not None else self._parse_unary()
        token = stream.current
        if token.type is not _OPERATOR or token.value not in ("..", "..."):
            return start
        stream.advance()
        stop = self._parse_unary()
        step = self._parse_unary() if stream.skip_name("by") else None
        return RangeExpr(
            start=start, stop=stop, inclusive=token.value == "..", step=step, **loc(start)
        )

    def _parse_unary(self) -> Expr:
        """Level 9: unary ``-``/``+`` (folded into number literals) and ``await``."""
        stream = self.stream
        token = stream.current
        if token.type is _OPERATOR and token.value in ("-", "+"):
            stream.advance()
            operand = self._nested(self._parse_unary)
            if (
                isinstance(operand, Const)
                and isinstance(operand.value, int | float)
                and not isinstance(operand.value, bool)
            ):
                value = -operand.value if token.value == "-" else operand.value
                return _new_const(value=value, **at(token))
            return UnaryOp(op=cast(Literal["-", "+"], token.value), operand=operand, **at(token))
        if token.type is _NAME and token.value == "await":
            stream.advance()
            self._awaits.append(token)
            return Await(value=self._nested(self._parse_unary), **at(token))
        return self._parse_power()

    def _parse_power(self, first: Expr | None = None) -> Expr:
        """Level 10: ``a ** b`` (right-assoc; the exponent may be negative)."""
        base = self._parse_postfix() if first is None else first
        if self.stream.skip_op("**"):
            return BinOp(op="**", left=base, right=self._nested(self._parse_unary), **loc(base))
        return base

    def _parse_postfix(self) -> Expr:
        """Level 11: ``.name``, ``?.name``, ``[key]``, ``?[key]`` and calls."""
        stream = self.stream
        tokens = stream.tokens
        token = stream.current
        # Steps past tokens that are not EOF are inlined (see TokenStream).
        if token.type is _NAME and token.value not in _NOT_VARIABLES:
            # The most common operand, a variable, without a call to _parse_primary.
            stream.pos = pos = stream.pos + 1
            stream.current = tokens[pos]
            node: Expr = _new_name(
                name=token.value, lineno=token.lineno, col_offset=token.col_offset
            )
        else:
            node = self._parse_primary()
        while (token := stream.current).type is _OPERATOR:
            operator = token.value
            if operator == "." or operator == "?.":
                stream.pos = pos = stream.pos + 1
                stream.current = attr = tokens[pos]
                if attr.type is _NAME:
                    stream.pos = pos = pos + 1
                    stream.current = tokens[pos]
                    node = _new_getattr(
                        obj=node,
                        attr=attr.value,
                        optional=operator == "?.",
                        lineno=node.lineno,
                        col_offset=node.col_offset,
                    )
                elif attr.type is TokenType.INTEGER and operator == ".":
                    stream.advance()
                    index = _new_const(
                        value=int(attr.value, 0), lineno=attr.lineno, col_offset=attr.col_offset
                    )
                    node = _new_getitem(
                        obj=node, key=index, lineno=node.lineno, col_offset=node.col_offset
                    )
                else:
                    self.fail(
                        f"expected an attribute name after {operator!r}, got {describe(attr)}",
                        attr,
                        ErrorCode.INVALID_EXPRESSION,
                    )
            elif operator in ("[", "?["):
                stream.advance()
                key = self._parse_subscript()
                self.expect_op("]", "to close the subscript")
                node = _new_getitem(
                    obj=node,
                    key=key,
                    optional=operator == "?[",
                    lineno=node.lineno,
                    col_offset=node.col_offset,
                )
            elif operator == "(":
                if type(node) is Name:  # a global, or a def, macro or local
                    self.record.calls.append(node.name)
                args, kwargs, dyn_args, dyn_kwargs = self._parse_arguments()
                node = _new_call(
                    func=node,
                    args=args,
                    kwargs=kwargs,
                    dyn_args=dyn_args,
                    dyn_kwargs=dyn_kwargs,
                    lineno=node.lineno,
                    col_offset=node.col_offset,
                )
            else:
                break
        return node

    def _parse_subscript(self) -> Expr:
        """The inside of ``[…]``: an expression or a ``start:stop:step`` slice."""
        stream = self.stream
        token = stream.current
        start = None if stream.at_op(":") else self.parse_expression()
        if not stream.skip_op(":"):
            assert start is not None
            return start
        stop = None if stream.at_op(":", "]") else self.parse_expression()
        step = None
        if stream.skip_op(":") and not stream.at_op("]"):
            step = self.parse_expression()
        return Slice(start=start, stop=stop, step=step, **at(token))

    def _parse_arguments(self) -> Arguments:
        """``(a, k=v, *args, **kwargs)``; the current token is the ``(``."""
        stream = self.stream
        self.stream.advance()
        args: list[Expr] = []
        kwargs: list[Keyword] = []
        seen: set[str] = set()
        dyn_args: Expr | None = None
        dyn_kwargs: Expr | None = None
        while not stream.at_op(")"):
            token = stream.current
            if stream.skip_op("**"):
                if dyn_kwargs is not None:
                    self._bad_argument("only one **kwargs argument is allowed", token)
                dyn_kwargs = self.parse_expression()
            elif stream.skip_op("*"):
                if dyn_args is not None or dyn_kwargs is not None:
                    self._bad_argument("*args must come before **kwargs and appear once", token)
                dyn_args = self.parse_expression()
            elif (
                token.type is _NAME
                and stream.look().type is _OPERATOR
                and stream.look().value == "="
            ):
                if token.value in seen:
                    self._bad_argument(f"duplicate keyword argument {token.value!r}", token)
                seen.add(token.value)
                stream.advance()
                stream.advance()
                value = self.parse_expression()
                kwargs.append(
                    _new_keyword(
                        name=token.value,
                        value=value,
                        lineno=token.lineno,
                        col_offset=token.col_offset,
                    )
                )
            else:
                if kwargs or dyn_kwargs is not None:
                    self._bad_argument(
                        "positional argument follows keyword argument",
                        token,
                        "put positional arguments before keyword arguments",
                    )
                if dyn_args is not None:
                    self._bad_argument("positional argument follows *args", token)
                args.append(self.parse_expression())
            if not stream.skip_op(","):
                break
        self.expect_op(")", "to close the argument list")
        return tuple(args), tuple(kwargs), dyn_args, dyn_kwargs

    def _bad_argument(self, message: str, token: Token, suggestion: str | None = None) -> NoReturn:
        """Raise K-PAR-003 for a malformed argument list."""
        self.fail(message, token, ErrorCode.INVALID_EXPRESSION, suggestion)

    # -- level 12: primary --------------------------------------------------

    def _parse_primary(self) -> Expr:
        """Literals, names, parenthesised expressions, tuples, lists, dicts."""
        stream = self.stream
        token = stream.current
        kind = token.type
        if kind is _NAME:
            if token.value in CONSTANTS:
                stream.pos = pos = stream.pos + 1
                stream.current = stream.tokens[pos]
                return _new_const(
                    value=CONSTANTS[token.value], lineno=token.lineno, col_offset=token.col_offset
                )
            if token.value not in RESERVED:
                stream.advance()
                return _new_name(name=token.value, lineno=token.lineno, col_offset=token.col_offset)
        elif kind is _STRING:
            stream.pos = pos = stream.pos + 1
            stream.current = stream.tokens[pos]
            if stream.current.type is TokenType.STRING:
                # Jinja2 joins adjacent literals ("a" "b"); Kida spells the join.
                self.fail(
                    "adjacent string literals are not joined",
                    stream.current,
                    ErrorCode.INVALID_EXPRESSION,
                    f"join them with ~ ({token.value!r} ~ {stream.current.value!r}), "
                    "or write one literal",
                )
            return _new_const(value=token.value, lineno=token.lineno, col_offset=token.col_offset)
        elif kind is TokenType.INTEGER:
            stream.advance()
            return _new_const(
                value=int(token.value, 0), lineno=token.lineno, col_offset=token.col_offset
            )
        elif kind is TokenType.FLOAT:
            stream.advance()
            return _new_const(
                value=float(token.value), lineno=token.lineno, col_offset=token.col_offset
            )
        elif kind is _OPERATOR:
            if token.value == "(":
                return self._parse_parenthesized()
            if token.value == "[":
                return self._parse_list()
            if token.value == "{":
                return self._parse_dict()
        self.fail(
            f"expected an expression, got {describe(token)}",
            token,
            ErrorCode.INVALID_EXPRESSION,
        )

    def _parse_parenthesized(self) -> Expr:
        """``(expr)``, ``()``, ``(a,)`` and ``(a, b)``."""
        stream = self.stream
        open_token = stream.advance()
        if stream.skip_op(")"):
            return TupleExpr(items=(), **at(open_token))
        first = self.parse_expression()
        if stream.at_name("for"):
            self.fail(
                "generator expressions are not supported",
                stream.current,
                ErrorCode.INVALID_EXPRESSION,
                "use a list comprehension: [x for x in items]",
            )
        if not stream.at_op(","):
            self.expect_op(")", "to close the parenthesis")
            if isinstance(first, Filter):
                self._parenthesized[id(first)] = first
            return first
        items = [first]
        while stream.skip_op(","):
            if stream.at_op(")"):
                break
            items.append(self.parse_expression())
        self.expect_op(")", "to close the tuple")
        return TupleExpr(items=tuple(items), **at(open_token))

    def _parse_list(self) -> Expr:
        """``[a, b]`` or a list comprehension ``[elt for t in it if cond]``."""
        stream = self.stream
        open_token = stream.advance()
        if stream.skip_op("]"):
            return ListExpr(items=(), **at(open_token))
        awaits_before = len(self._awaits)
        first = self.parse_expression()
        if stream.at_name("for"):
            return self._parse_comprehension(open_token, first, awaits_before)
        items = [first]
        while stream.skip_op(","):
            if stream.at_op("]"):
                break
            items.append(self.parse_expression())
        self.expect_op("]", "to close the list")
        return ListExpr(items=tuple(items), **at(open_token))

    def _parse_comprehension(self, open_token: Token, elt: Expr, awaits_before: int) -> ListComp:
        """The ``for … in … [if …]`` part of a list comprehension."""
        stream = self.stream
        stream.advance()
        target = self.parse_target(nested=True)
        if not stream.skip_name("in"):
            self.fail(
                f"expected 'in' in the list comprehension, got {describe(stream.current)}",
                stream.current,
                ErrorCode.INVALID_EXPRESSION,
            )
        iterable = self.parse_expression(ternary=False)
        cond = self.parse_expression(ternary=False) if stream.skip_name("if") else None
        if stream.at_name("for"):
            self.fail(
                "list comprehensions take exactly one 'for'",
                stream.current,
                ErrorCode.INVALID_EXPRESSION,
                "nest loops with {% for %} tags, or flatten the data first",
            )
        if len(self._awaits) > awaits_before:
            self.fail(
                "'await' is not allowed inside a list comprehension",
                self._awaits[awaits_before],
                ErrorCode.INVALID_EXPRESSION,
                "await the value first: {% set items = await fetch() %}",
            )
        self.expect_op("]", "to close the list comprehension")
        return ListComp(elt=elt, target=target, iter=iterable, cond=cond, **at(open_token))

    def _parse_dict(self) -> DictExpr:
        """``{key: value, ...}`` with expression keys."""
        stream = self.stream
        open_token = stream.advance()
        keys: list[Expr] = []
        values: list[Expr] = []
        while not stream.at_op("}"):
            keys.append(self.parse_expression())
            if stream.at_op(",", "}"):
                self.fail(
                    "set literals are not supported",
                    stream.current,
                    ErrorCode.INVALID_EXPRESSION,
                    "use a list [a, b] or a dict {key: value}",
                )
            self.expect_op(":", "after a dict key")
            values.append(self.parse_expression())
            if not stream.skip_op(","):
                break
        self.expect_op("}", "to close the dict")
        return DictExpr(keys=tuple(keys), values=tuple(values), **at(open_token))

    # -- warnings -----------------------------------------------------------

    def _check_coalesce_operands(self, left: Expr, right: Expr, operator: Token) -> None:
        """Record K-WARN-001 when a ``??`` operand is an unparenthesised filter."""
        for side, operand in (("left", left), ("right", right)):
            if not isinstance(operand, Filter) or id(operand) in self._parenthesized:
                continue
            if side == "right":
                message = (
                    f"filter '{operand.name}' binds tighter than '??': "
                    f"'a ?? b | {operand.name}' means 'a ?? (b | {operand.name})'"
                )
                suggestion = (
                    f"write '(a ?? b) | {operand.name}' to filter the result, or "
                    f"'a ?? (b | {operand.name})' to keep this meaning"
                )
            else:
                message = (
                    f"filter '{operand.name}' binds tighter than '??': "
                    f"'a | {operand.name} ?? b' filters before '??' checks for None/undefined"
                )
                suggestion = f"write '(a | {operand.name}) ?? b' to make the order explicit"
            self.warnings.append(
                TemplateWarning(
                    ErrorCode.FILTER_PRECEDENCE,
                    message,
                    template_name=self.name,
                    lineno=operator.lineno,
                    suggestion=suggestion,
                )
            )
