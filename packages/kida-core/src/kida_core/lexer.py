"""Template lexer: source text to a flat list of positioned tokens.

The lexer resolves everything that is purely textual so the parser never sees
it: comments vanish, whitespace control (``{%-``, ``-%}``, ``trim_blocks``,
``lstrip_blocks``) is applied to the surrounding ``DATA`` tokens, and the body
of ``{% raw %}…{% endraw %}`` (or ``{% end %}``) becomes one ``DATA`` token.
As in Jinja2, ``trim_blocks``/``lstrip_blocks`` apply to block tags and comments,
never to ``{{ … }}``.

Inside a tag the lexer produces ``NAME``, ``STRING``, ``INTEGER``, ``FLOAT`` and
``OPERATOR`` tokens. Number literals follow Python: ``1_000`` and ``1_000.5`` are
accepted (underscores between digits), exponents like ``1e3`` make a float, and
``1..5`` lexes as ``1`` ``..`` ``5`` (a float needs a digit after the dot).
``STRING`` tokens carry the decoded value (Python backslash escapes applied).

Scanning uses precompiled regular expressions (one search per tag start, one
match per token); positions are tracked incrementally, so every token knows its
1-based ``lineno`` and 0-based ``col_offset`` at no extra pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import NoReturn

from kida_core.errors import ErrorCode, LexerError
from kida_core.lexer_config import LexerConfig as LexerConfig

MAX_TOKENS = 100_000

# Longest first, so ``?|>`` wins over ``?|`` and ``...`` over ``..``.
OPERATORS: tuple[str, ...] = tuple(
    sorted(
        [
            "?|>",
            "...",
            "??=",
            "??",
            "?.",
            "?[",
            "?|",
            "|>",
            "..",
            "**",
            "//",
            "==",
            "!=",
            "<=",
            ">=",
            "~",
            "|",
            ":",
            ",",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "=",
            "+",
            "-",
            "*",
            "/",
            "%",
            "<",
            ">",
            ".",
        ],
        key=len,
        reverse=True,
    )
)
_OPENING = frozenset({"(", "[", "{", "?["})
_CLOSING: dict[str, tuple[str, ...]] = {")": ("(",), "]": ("[", "?["), "}": ("{",)}

_ESCAPE_RE = re.compile(
    r"\\(?:(?P<simple>[\\'\"abfnrtv\n])|(?P<oct>[0-7]{1,3})|x(?P<x>[0-9a-fA-F]{2})"
    r"|u(?P<u>[0-9a-fA-F]{4})|U(?P<U>[0-9a-fA-F]{8})|N\{(?P<N>[^}]+)\})"
)
_SIMPLE_ESCAPES = {
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\n": "",
}
_WHITESPACE_RE = re.compile(r"\s*")
_LINE_BLANK_RE = re.compile(r"[ \t]*")


def _skip(pattern: re.Pattern[str], source: str, pos: int) -> int:
    """End of ``pattern`` matched at ``pos`` (both skip patterns accept ``""``)."""
    match = pattern.match(source, pos)
    assert match is not None
    return match.end()


class TokenType(Enum):
    """Kinds of lexer tokens."""

    DATA = "data"
    VARIABLE_BEGIN = "variable_begin"
    VARIABLE_END = "variable_end"
    BLOCK_BEGIN = "block_begin"
    BLOCK_END = "block_end"
    NAME = "name"
    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    OPERATOR = "operator"
    EOF = "eof"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its type, value (decoded for strings) and start position."""

    type: TokenType
    value: str
    lineno: int
    col_offset: int


_DEFAULT_CONFIG = LexerConfig()


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Regexes compiled once per delimiter configuration."""

    start: re.Pattern[str]
    body_top: dict[str, re.Pattern[str]]
    body_nested: re.Pattern[str]
    raw_open: re.Pattern[str]
    raw_close: re.Pattern[str]


def _body_pattern(end: str | None) -> re.Pattern[str]:
    """Tag-body tokenizer: leading whitespace, then one token.

    ``end`` is the closing delimiter, recognised only outside brackets.
    """
    parts = []
    if end is not None:
        parts.append(rf"(?P<end>-?{re.escape(end)})")
    parts += [
        r"(?P<float>\d(?:_?\d)*(?:\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|[eE][+-]?\d(?:_?\d)*))",
        r"(?P<int>\d(?:_?\d)*)",
        r"(?P<name>[^\W\d]\w*)",
        r"(?P<string>'[^'\\]*(?:\\.[^'\\]*)*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\")",
        "(?P<op>" + "|".join(re.escape(op) for op in OPERATORS) + ")",
    ]
    return re.compile(r"\s*(?:" + "|".join(parts) + ")", re.DOTALL)


@lru_cache(maxsize=32)
def _patterns(config: LexerConfig) -> _Patterns:
    """Compile (and cache) the regexes for one delimiter set."""
    starts = sorted(
        (
            ("variable", config.variable_start),
            ("block", config.block_start),
            ("comment", config.comment_start),
        ),
        key=lambda item: len(item[1]),
        reverse=True,
    )
    start = re.compile("|".join(f"(?P<{kind}>{re.escape(text)})" for kind, text in starts))
    bs, be = re.escape(config.block_start), re.escape(config.block_end)
    return _Patterns(
        start=start,
        body_top={
            "variable": _body_pattern(config.variable_end),
            "block": _body_pattern(config.block_end),
        },
        body_nested=_body_pattern(None),
        raw_open=re.compile(rf"\s*raw\s*(-?){be}"),
        raw_close=re.compile(rf"{bs}(-?)\s*end(?:raw)?\s*(-?){be}"),
    )


def _unescape_match(match: re.Match[str]) -> str:
    """Replacement for one backslash escape (unknown ones are kept verbatim)."""
    kind = match.lastgroup
    assert kind is not None
    text = match.group(kind)
    try:
        if kind == "simple":
            return _SIMPLE_ESCAPES[text]
        if kind == "oct":
            return chr(int(text, 8))
        if kind == "N":
            return unicodedata.lookup(text)
        return chr(int(text, 16))
    except (KeyError, ValueError):
        return match.group()


def unescape_string(body: str) -> str:
    """Decode Python backslash escapes in a string literal body (quotes stripped)."""
    if "\\" not in body:
        return body
    return _ESCAPE_RE.sub(_unescape_match, body)


class Lexer:
    """Tokenizer for one template source."""

    def __init__(
        self,
        source: str,
        config: LexerConfig | None = None,
        *,
        name: str | None = None,
        filename: str | None = None,
    ) -> None:
        self.source = source
        self.config = config or _DEFAULT_CONFIG
        self.name = name
        self.filename = filename
        self._tokens: list[Token] = []
        self._lineno = 1
        self._line_start = 0
        self._counted = 0

    # -- position tracking --------------------------------------------------

    def _position(self, offset: int) -> tuple[int, int]:
        """``(lineno, col_offset)`` of ``offset``; offsets must not decrease."""
        source = self.source
        newlines = source.count("\n", self._counted, offset)
        if newlines:
            self._lineno += newlines
            self._line_start = source.rfind("\n", self._counted, offset) + 1
        self._counted = offset
        return self._lineno, offset - self._line_start

    def _error(
        self,
        message: str,
        offset: int,
        code: ErrorCode,
        suggestion: str | None = None,
    ) -> LexerError:
        """A located ``LexerError`` for ``offset`` (computed from scratch)."""
        lineno = self.source.count("\n", 0, offset) + 1
        col = offset - (self.source.rfind("\n", 0, offset) + 1)
        exc = LexerError(message, self.source, lineno, col, suggestion, code=code)
        exc.name = self.name
        exc.filename = self.filename
        return exc

    # -- emission -----------------------------------------------------------

    def _emit_data(self, start: int, end: int) -> None:
        """Emit ``source[start:end]`` as a DATA token unless empty."""
        if end > start:
            lineno, col = self._position(start)
            self._tokens.append(Token(TokenType.DATA, self.source[start:end], lineno, col))

    def _check_limit(self, offset: int) -> None:
        """Enforce the token cap (K-LEX-004); ``offset`` is where to report it."""
        if len(self._tokens) > MAX_TOKENS:
            raise self._error(
                f"template produces more than {MAX_TOKENS} tokens",
                offset,
                ErrorCode.TOKEN_LIMIT,
                "split the template into smaller templates with include or import",
            )

    # -- main loop ----------------------------------------------------------

    def tokenize(self) -> list[Token]:
        """Tokenize the whole source; the list always ends with an ``EOF`` token."""
        source, config = self.source, self.config
        patterns = _patterns(config)
        search = patterns.start.search
        ends = {
            "variable": config.variable_end,
            "block": config.block_end,
            "comment": config.comment_end,
        }
        pos = data_start = 0
        while True:
            match = search(source, pos)
            if match is None:
                self._emit_data(data_start, len(source))
                break
            kind = match.lastgroup
            assert kind is not None
            tag_start = match.start()
            body_start = match.end()
            data_end = tag_start
            if source.startswith("-", body_start):
                body_start += 1
                data_end = data_start + len(source[data_start:tag_start].rstrip())
            elif config.lstrip_blocks and kind != "variable":
                line_start = source.rfind("\n", 0, tag_start) + 1
                if (
                    line_start >= data_start
                    and _skip(_LINE_BLANK_RE, source, line_start) == tag_start
                ):
                    data_end = line_start
            self._emit_data(data_start, data_end)

            if kind == "comment":
                close = source.find(ends["comment"], body_start)
                if close < 0:
                    raise self._error(
                        "unclosed comment",
                        tag_start,
                        ErrorCode.UNCLOSED_COMMENT,
                        f"add '{config.comment_end}' to close the comment",
                    )
                trim_after = close > body_start and source[close - 1] == "-"
                pos = close + len(config.comment_end)
            elif kind == "block" and (raw := patterns.raw_open.match(source, body_start)):
                pos, trim_after = self._lex_raw(tag_start, raw, patterns.raw_close)
            else:
                pos, trim_after = self._lex_tag(kind, tag_start, body_start, patterns)

            data_start = pos
            if trim_after:
                data_start = _skip(_WHITESPACE_RE, source, pos)
            elif config.trim_blocks and kind != "variable":
                if source.startswith("\n", pos):
                    data_start = pos + 1
                elif source.startswith("\r\n", pos):
                    data_start = pos + 2
            self._check_limit(tag_start)
        lineno, col = self._position(len(source))
        self._tokens.append(Token(TokenType.EOF, "", lineno, col))
        return self._tokens

    def _lex_raw(
        self, tag_start: int, raw: re.Match[str], raw_close: re.Pattern[str]
    ) -> tuple[int, bool]:
        """Emit a raw body as one DATA token; returns (end offset, trim after)."""
        source, config = self.source, self.config
        body_start = raw.end()
        if raw.group(1):
            body_start = _skip(_WHITESPACE_RE, source, body_start)
        elif config.trim_blocks and source.startswith("\n", body_start):
            body_start += 1
        close = raw_close.search(source, body_start)
        if close is None:
            raise self._error(
                "unclosed {% raw %} block",
                tag_start,
                ErrorCode.UNCLOSED_BLOCK,
                "add {% endraw %} or {% end %} to close the raw block",
            )
        body_end = close.start()
        if close.group(1):
            body_end = body_start + len(source[body_start:body_end].rstrip())
        elif config.lstrip_blocks:
            line_start = source.rfind("\n", 0, body_end) + 1
            if line_start >= body_start and _skip(_LINE_BLANK_RE, source, line_start) == body_end:
                body_end = line_start
        self._emit_data(body_start, body_end)
        return close.end(), bool(close.group(2))

    def tokenize_expression(self) -> list[Token]:
        """Tokenize the whole source as one expression, the inside of an output tag.

        The tokens are ``VARIABLE_BEGIN``, the expression's and ``EOF``; errors
        quote the source as given.
        """
        source = self.source
        end = self.config.variable_end
        # Lexed as the body of a tag closed right after the source; the closing
        # becomes the end of input.
        self.source = f"{source} {end}"
        try:
            pos, _ = self._lex_tag("variable", 0, 0, _patterns(self.config))
            if pos != len(self.source):
                raise self._error(
                    f"unexpected {end!r} in the expression",
                    self._tokens[-1].col_offset,
                    ErrorCode.SYNTAX_ERROR,
                )
        except LexerError as exc:
            exc.source = source
            raise
        finally:
            self.source = source
        stop = self._tokens.pop()
        self._tokens.append(Token(TokenType.EOF, "", stop.lineno, stop.col_offset))
        return self._tokens

    def _lex_tag(
        self, kind: str, tag_start: int, body_start: int, patterns: _Patterns
    ) -> tuple[int, bool]:
        """Tokenize a ``{{ … }}`` or ``{% … %}`` tag; returns (end offset, trim after).

        The closing delimiter only counts outside brackets, so ``{{ {'a': {}} }}``
        works; a new tag opener inside a tag means this one was never closed.
        """
        source, tokens = self.source, self._tokens
        config = self.config
        is_block = kind == "block"
        begin_type = TokenType.BLOCK_BEGIN if is_block else TokenType.VARIABLE_BEGIN
        end_type = TokenType.BLOCK_END if is_block else TokenType.VARIABLE_END
        lineno, col = self._position(tag_start)
        tokens.append(Token(begin_type, source[tag_start:body_start], lineno, col))
        top = patterns.body_top[kind].match
        nested = patterns.body_nested.match
        starts = (config.block_start, config.variable_start, config.comment_start)
        brackets: list[tuple[str, int]] = []
        pos = body_start
        # Inline position tracking: only whitespace and strings contain newlines.
        line, line_start = self._position(pos)[0], self._line_start
        while True:
            match = nested(source, pos) if brackets else top(source, pos)
            if match is None:
                self._raise_bad_tag(kind, tag_start, _skip(_WHITESPACE_RE, source, pos), brackets)
            group = match.lastgroup
            assert group is not None
            start = match.start(group)
            if start > pos:
                newlines = source.count("\n", pos, start)
                if newlines:
                    line += newlines
                    line_start = source.rfind("\n", pos, start) + 1
            if source.startswith(starts, start):
                self._raise_bad_tag(kind, tag_start, start, brackets)
            text = match.group(group)
            pos = match.end()
            col = start - line_start
            if group == "end":
                tokens.append(Token(end_type, text.lstrip("-"), line, col))
                self._lineno, self._line_start, self._counted = line, line_start, pos
                return pos, text.startswith("-")
            if group == "op":
                if text in _OPENING:
                    brackets.append((text, start))
                elif brackets and brackets[-1][0] in _CLOSING.get(text, ()):
                    brackets.pop()
                tokens.append(Token(TokenType.OPERATOR, text, line, col))
            elif group == "name":
                tokens.append(Token(TokenType.NAME, text, line, col))
            elif group == "string":
                tokens.append(Token(TokenType.STRING, unescape_string(text[1:-1]), line, col))
                newlines = text.count("\n")
                if newlines:
                    line += newlines
                    line_start = start + text.rfind("\n") + 1
            elif group == "int":
                tokens.append(Token(TokenType.INTEGER, text, line, col))
            else:
                tokens.append(Token(TokenType.FLOAT, text, line, col))

    def _raise_bad_tag(
        self, kind: str, tag_start: int, pos: int, brackets: list[tuple[str, int]]
    ) -> NoReturn:
        """Raise the right error for a tag body that cannot continue at ``pos``."""
        source, config = self.source, self.config
        if pos < len(source) and not source.startswith(
            (config.block_start, config.variable_start, config.comment_start), pos
        ):
            char = source[pos]
            if char in "'\"":
                raise self._error(
                    "unterminated string literal",
                    pos,
                    ErrorCode.SYNTAX_ERROR,
                    f"close the string with {char}",
                )
            raise self._error(f"unexpected character {char!r}", pos, ErrorCode.SYNTAX_ERROR)
        if kind == "block":
            code, what, end = ErrorCode.UNCLOSED_TAG, "block tag", config.block_end
        else:
            code, what, end = ErrorCode.UNCLOSED_VARIABLE, "output tag", config.variable_end
        if brackets:
            opener, offset = brackets[-1]
            raise self._error(
                f"unclosed {opener!r} in {what}",
                offset,
                code,
                f"close {opener!r} before {end!r}",
            )
        raise self._error(f"unclosed {what}", tag_start, code, f"add {end!r} to close the tag")


def tokenize(
    source: str,
    config: LexerConfig | None = None,
    *,
    name: str | None = None,
    filename: str | None = None,
) -> list[Token]:
    """Tokenize ``source`` (see :class:`Lexer`)."""
    return Lexer(source, config, name=name, filename=filename).tokenize()
